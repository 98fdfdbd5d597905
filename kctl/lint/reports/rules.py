"""Stable ids for the kinds of problem `kctl lint` reports (SARIF ``ruleId``, JUnit ``type``).

One id per check of the API server's create path, in the order the checks run:
reading the document, its TypeMeta, finding a schema, strict decoding, the
OpenAPI schema, then the server-side validation rules.

The runner may name the check on each finding with a ``rule`` attribute (one of
``RULES``); when it does not, the id is inferred from the message, and a field
error that could come from either the schema or the server-side rules is
reported as ``invalid``.
"""

from __future__ import annotations

from kctl.lint.results import ERROR, Finding, ResourceResult

#: id -> (name, short description). The order is the order of ``tool.driver.rules``.
RULES: dict[str, tuple[str, str]] = {
    "parse": ("ParseError", "The file or document could not be read or decoded."),
    "type-meta": ("MissingTypeMeta", "The document does not set apiVersion and kind."),
    "schema-not-found": ("SchemaNotFound", "No schema is known for the resource's apiVersion and kind."),
    "strict": ("StrictDecoding", "Unknown or duplicate field (the API server's strict field validation)."),
    "schema": ("SchemaValidation", "The resource does not match the OpenAPI schema of its kind."),
    "server-side": ("ServerSideValidation", "The resource breaks a validation rule the API server enforces."),
    "invalid": ("FieldValidation", "The resource has a field the API server would reject."),
}

RULE_IDS: tuple[str, ...] = tuple(RULES)


def rule_of_finding(f: Finding) -> str:
    rule = getattr(f, "rule", "")
    if rule in RULES:
        return rule
    if f.message.startswith(('unknown field "', 'duplicate field "')):
        return "strict"
    return "invalid"


def rule_of_error(r: ResourceResult) -> str:
    """The rule of a resource that could not be validated at all (statusError)."""
    if r.status != ERROR:
        return "invalid"
    if r.msg.startswith("could not find schema for"):
        return "schema-not-found"
    if r.msg.endswith(("apiVersion not set", "kind not set")):
        return "type-meta"
    return "parse"
