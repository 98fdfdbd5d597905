"""kctl explain: the fields of a resource type, in kubectl 1.34's ``explain`` layout
(the OpenAPI v3 plaintext template of kubectl/pkg/explain/v2).

Header ``GROUP:`` (omitted for the core group), ``KIND:``, ``VERSION:`` with values at
column 13; for a field path ``FIELD: <name> <<type>>`` (and ``ENUM:`` with one value per
line when the field has one); then ``FIELDS:`` with ``  <name>\\t<<type>>`` lines, ``
-required-`` after required ones and an ``enum: a, b`` line under enum fields;
``--recursive`` nests every sub-field two spaces deeper (a type already being expanded is
not expanded again). kctl's schemas carry no description prose: a ``DESCRIPTION:`` block
says so once, where kubectl prints the field's documentation.
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out

NO_DESCRIPTIONS = (
    "kctl's built-in schemas carry no field descriptions; see the Kubernetes API\n"
    "    reference for the documentation of each field."
)
_MAX_DEPTH = 12


def explain(
    args: list[str] = typer.Argument(None, metavar="TYPE[.FIELD.PATH]"),
    recursive: bool = typer.Option(False, "--recursive", help="Print the fields of the fields, all the way down."),
    api_version: str = typer.Option(None, "--api-version", help="The API version to explain (default: the preferred one), e.g. autoscaling/v1."),
    output: str = typer.Option("plaintext", "--output", "-o", help="plaintext (the only format)."),
) -> None:
    """Describe fields and structure of various resources.

    Lists the fields of a resource type, or of one of its fields given as a dotted path,
    with their types and whether they are required.

    Examples:
      # The fields of a Deployment
      kctl explain deployments

      # The fields of a container, and of all their sub-fields
      kctl explain pods.spec.containers --recursive

      # One field of the autoscaling/v1 HorizontalPodAutoscaler
      kctl explain hpa.spec.targetCPUUtilizationPercentage --api-version=autoscaling/v1
    """
    if not args:
        from kctl.cli.get import missing_resource_type

        raise missing_resource_type("explain")
    if len(args) > 1:
        raise CommandError(f"We accept only this format: explain RESOURCE, received {len(args)}")
    if output not in ("plaintext", "plaintext-openapiv2"):
        raise CommandError(f"unsupported output format: {output}")
    out(render(args[0], recursive=recursive, api_version=api_version))


def split_type_path(spec: str) -> tuple[str, str]:
    """``deployments.spec.replicas`` -> (``deployments``, ``spec.replicas``); a group-qualified
    type (``deployments.apps.spec``) is matched by trying the longest resolvable prefix."""
    from kctl.api import registry

    parts = spec.split(".")
    for i in range(len(parts), 0, -1):
        head = ".".join(parts[:i])
        try:
            registry.resolve(head)
        except registry.UnknownResourceType:
            continue
        return head, ".".join(parts[i:])
    return parts[0], ".".join(parts[1:])


def render(spec: str, *, recursive: bool = False, api_version: str | None = None) -> str:
    from kctl.api.openapi import default_schema_set
    from kctl.api.openapi.explain import FieldNotFound
    from kctl.api.openapi.explain import explain as explain_field
    from kctl.cli.args import resolve_type

    type_name, path = split_type_path(spec)
    rt = resolve_type(type_name)
    version = api_version or rt.api_version
    if version not in rt.served_api_versions():
        raise CommandError(f"couldn't find resource for \"{rt.group_resource}\" in version \"{version}\"")
    schemas = default_schema_set()
    try:
        e = explain_field(schemas, version, rt.kind, path)
    except FieldNotFound as exc:
        raise CommandError(str(exc)) from None
    except LookupError:
        raise CommandError(f'couldn\'t find resource for "{rt.group_resource}"') from None
    group, _, ver = version.rpartition("/")
    lines = []
    if group:
        lines.append(f"GROUP:      {group}")
    lines += [f"KIND:       {rt.kind}", f"VERSION:    {ver}", ""]
    if e.path:
        lines.append(f"FIELD: {e.path.rsplit('.', 1)[-1]} <{e.type}>")
        if e.enum:
            lines.append("ENUM:")
            lines.extend(f"    {v}" for v in e.enum)
        lines.append("")
    lines += ["DESCRIPTION:", f"    {NO_DESCRIPTIONS}", ""]
    if e.fields:
        lines.append("FIELDS:")
        seen = {e.type}
        _field_lines(lines, schemas, version, rt.kind, e, 1, recursive, seen)
        lines.append("")
    return "\n".join(lines)


def _field_lines(lines, schemas, version, kind, e, depth, recursive, seen) -> None:
    from kctl.api.openapi.explain import explain as explain_field

    indent = "  " * depth
    for f in e.fields:
        lines.append(f"{indent}{f.name}\t<{f.type}>" + (" -required-" if f.required else ""))
        child_path = f"{e.path}.{f.name}" if e.path else f.name
        child = explain_field(schemas, version, kind, child_path)
        if child.enum and not recursive:
            lines.append(f"{indent}enum: {', '.join(str(v) for v in child.enum)}")
        if recursive and child.fields and depth < _MAX_DEPTH and f.type not in seen:
            _field_lines(lines, schemas, version, kind, child, depth + 1, recursive, seen | {f.type})


__all__ = ["explain", "render", "split_type_path"]
