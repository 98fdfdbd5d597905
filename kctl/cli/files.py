"""``-f`` for the write commands: read manifests, validate them as the API server will
(reporting problems at FILE:LINE:COL, like ``kctl lint``), and say which to send.

Each object is validated once. ``kctl lint``'s pipeline is strict decoding, the schema,
then the server-side rules (``kctl.api.validation``); the API server itself runs only the
server-side rules, on the object it is about to store (after defaulting and mutating
admission, as upstream does). So the write commands that send every document to the API
server (``load(..., server_rules=False)``) check strict decoding and the schema up front
and leave the server-side rules to the server. A document the server then refuses (for
any reason) is checked against those rules as written before its error is printed: when
the document breaks them, the user gets lint's FILE:LINE:COL report, exactly as if the
rules had run up front, instead of the server's message (``Loaded.document_error``).
Where the server validates something other than the document (an apply that patches a
live object: the merged object; ``--dry-run=client``: nothing), the document's rules run
before it is sent (``Loaded.require_valid``), so no invalid document is ever accepted.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from kctl.cli.errors import CommandError

VALIDATE_MODES = {"strict": "strict", "true": "strict", "warn": "warn", "ignore": "ignore", "false": "ignore"}


class InvalidDocument(Exception):
    """A document broke the server-side rules; ``text`` is lint's report (as printed)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass
class Loaded:
    manifests: list = field(default_factory=list)  # kctl.manifests.Manifest, valid ones
    failed: bool = False  # something could not be read or was invalid (exit 1 at the end)
    #: ids of manifests whose server-side rules have not run yet (left to the API server).
    unchecked: set = field(default_factory=set)
    #: ids of manifests those rules later refused (``accepted()`` leaves them out).
    rejected: set = field(default_factory=set)
    _linter: object = field(default=None, repr=False)  # the pre-check's Linter (schemas seen)
    _rules_linter: object = field(default=None, repr=False)

    def document_error(self, m) -> str | None:
        """Lint's report of ``m``'s server-side rules (what ``load`` would have printed up
        front, ``error: ...`` included), or None when they pass or already ran. Call it when
        the API server refused the object: the document's own problems come first."""
        if id(m) not in self.unchecked:
            return None
        self.unchecked.discard(id(m))
        if self._rules_linter is None:
            from kctl.lint.runner import Linter, LintOptions

            self._rules_linter = Linter(LintOptions(strict=True, ignore_missing_schemas=True))
            self._rules_linter.schemas = self._linter.schemas  # CRDs of this run included
        text = _findings(self._rules_linter.check(m))
        if text is not None:
            text = _as_error(text)
            self.rejected.add(id(m))
            self.failed = True
        return text

    def require_valid(self, m) -> None:
        """Run ``m``'s server-side rules now (when the server will not see the document as
        written); raises ``InvalidDocument`` with lint's report when they fail."""
        text = self.document_error(m)
        if text is not None:
            raise InvalidDocument(text)

    def accepted(self) -> list:
        """The manifests not refused by a check (``manifests`` minus ``rejected``)."""
        if not self.rejected:
            return self.manifests
        return [m for m in self.manifests if id(m) not in self.rejected]


def validate_mode(value: str) -> str:
    mode = VALIDATE_MODES.get(value.lower())
    if mode is None:
        raise CommandError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, ignore (or false)')
    return mode


def load(filenames: list[str], recursive: bool, validate: str = "strict", *, server_rules: bool = True,
         verb: str = "apply") -> Loaded:
    """Read every document; report unreadable or invalid ones on stderr (lint's format).

    ``server_rules=False``: with ``--validate=strict``, the server-side rules of documents
    that pass the schema are left for later (``Loaded.unchecked``): the caller sends each
    of them to the API server, which validates it, and asks ``Loaded.document_error`` when
    the server refuses it. (``warn`` prints every finding up front, so it keeps them.)"""
    from kctl.lint.results import VALID
    from kctl.lint.runner import Linter, LintOptions
    from kctl.manifests import ManifestError, expand_paths, read_sources
    from kctl.manifests.reader import is_list_kind

    if not filenames:
        raise CommandError("must specify one of -f and -k", 1)
    out = Loaded()
    defer = not server_rules and validate == "strict"
    linter = None
    if validate != "ignore":
        linter = Linter(LintOptions(strict=validate == "strict", ignore_missing_schemas=True, server_side=not defer))
    out._linter = linter
    for item in read_sources(expand_paths(filenames, recursive)):
        if isinstance(item, ManifestError):
            sys.stderr.write(f"error: {item}\n")
            out.failed = True
            continue
        if is_list_kind(item.obj):
            continue
        unmapped = resource_mapping_error(item)
        if unmapped is not None:
            sys.stderr.write(f"error: {unmapped}\n")
            out.failed = True
            continue
        if linter is not None:
            result = linter.check(item)
            text = _findings(result)
            if text is not None:
                if validate == "warn":
                    sys.stderr.write("\n".join(f"Warning: {line}" for line in text.splitlines()) + "\n")
                else:
                    sys.stderr.write(_as_error(text))
                    out.failed = True
                    continue
            elif defer and result is not None and result.status == VALID:
                out.unchecked.add(id(item))
        out.manifests.append(item)
    if not out.manifests and not out.failed:
        raise CommandError(f"no objects passed to {verb}")  # kubectl's words, per verb
    return out


def resource_mapping_error(manifest) -> str | None:
    """kubectl's RESTMapper failure for an object of a kind the server does not serve (checked
    before anything is sent; the file's other objects go on):
    ``resource mapping not found for name: "x" namespace: "" from "f.yaml": no matches for
    kind "Foo" in version "v1"`` and ``ensure CRDs are installed first``."""
    from kctl.api.registry import for_kind

    obj = manifest.obj
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not (isinstance(api_version, str) and isinstance(kind, str) and api_version and kind):
        return None  # the schema check reports what is missing
    if for_kind(api_version, kind) is not None:
        return None
    md = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return (f'resource mapping not found for name: "{md.get("name") or ""}" namespace: "{md.get("namespace") or ""}" '
            f'from "{display_file(manifest)}": no matches for kind "{kind}" in version "{api_version}"\n'
            "ensure CRDs are installed first")


def _findings(result) -> str | None:
    """Lint's text report of a result that is not ok (no final newline), else None."""
    if result is None or result.ok:
        return None
    from kctl.lint.report import render_text

    return render_text([result]).rstrip("\n")


def _as_error(text: str) -> str:
    """As the write commands print findings: ``error: `` and the one finding line, or
    ``error: validation failed:`` and one line per finding."""
    return f"error: {text}\n" if "\n" not in text else f"error: validation failed:\n{text}\n"


def check_namespace(manifest, request_ns: str | None, namespaced: bool) -> str | None:
    """EnsureObjectNamespaceMatchesRequestNamespace, client side (kubectl's wording)."""
    if not namespaced:
        return None
    obj_ns = manifest.namespace
    if request_ns and obj_ns and obj_ns != request_ns:
        raise CommandError(
            f'the namespace from the provided object "{obj_ns}" does not match the namespace "{request_ns}". '
            f"You must pass '--namespace={obj_ns}' to perform this operation."
        )
    return obj_ns or request_ns or "default"


def display_file(manifest) -> str:
    return "STDIN" if manifest.filename == "<stdin>" else manifest.filename
