"""kctl api-resources: the resource types the (simulated) API server serves
(kubectl/pkg/cmd/apiresources/apiresources.go).

Columns ``NAME SHORTNAMES APIVERSION NAMESPACED KIND`` (``-o wide`` adds ``VERBS`` and
``CATEGORIES``, comma-joined); ``-o name`` prints ``plural[.group]``. Rows are sorted by
API group (core first), then by name (``--sort-by=name|kind`` sorts by that instead).
Only the preferred version of each resource is listed.
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out

_ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
#: Resources that do not serve the full verb set (as discovery reports them).
_VERBS = {
    ("", "bindings"): ("create",),
    ("", "componentstatuses"): ("get", "list"),
    ("", "namespaces"): ("create", "delete", "get", "list", "patch", "update", "watch"),
    ("authentication.k8s.io", "selfsubjectreviews"): ("create",),
    ("authentication.k8s.io", "tokenreviews"): ("create",),
    ("authorization.k8s.io", "localsubjectaccessreviews"): ("create",),
    ("authorization.k8s.io", "selfsubjectaccessreviews"): ("create",),
    ("authorization.k8s.io", "selfsubjectrulesreviews"): ("create",),
    ("authorization.k8s.io", "subjectaccessreviews"): ("create",),
    ("metrics.k8s.io", "nodes"): ("get", "list"),
    ("metrics.k8s.io", "pods"): ("get", "list"),
}
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def verbs_of(rt) -> tuple[str, ...]:
    return _VERBS.get((rt.group, rt.name), _ALL_VERBS)


def parse_bool_flag(flag: str, value: str) -> bool:
    """pflag's ``strconv.ParseBool`` with its error wording."""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise typer.BadParameter(f'invalid argument "{value}" for "{flag}" flag: strconv.ParseBool: parsing "{value}": invalid syntax')


def list_resources(*, namespaced: bool | None = None, api_group: str | None = None, verbs: tuple[str, ...] = (),
                   categories: tuple[str, ...] = (), sort_by: str | None = None) -> list:
    """The registry's resource types after kubectl's filters, in its order."""
    from kctl.api import registry

    rows = []
    for rt in registry.RESOURCES:
        if api_group is not None and rt.group != api_group:
            continue
        if namespaced is not None and rt.namespaced != namespaced:
            continue
        if verbs and not set(verbs) <= set(verbs_of(rt)):
            continue
        if categories and not set(categories) <= set(rt.categories):
            continue
        rows.append(rt)
    if sort_by == "name":
        rows.sort(key=lambda rt: rt.name)
    elif sort_by == "kind":
        rows.sort(key=lambda rt: rt.kind)
    else:
        rows.sort(key=lambda rt: (rt.group, rt.name))
    return rows


def api_resources(
    namespaced: str = typer.Option(None, "--namespaced", help="true: only namespaced resources; false: only cluster-scoped ones."),
    api_group: str = typer.Option(None, "--api-group", help="Limit to resources in this API group ('' for core)."),
    output: str = typer.Option(None, "--output", "-o", help="wide or name."),
    no_headers: bool = typer.Option(False, "--no-headers", help="Don't print headers."),
    sort_by: str = typer.Option(None, "--sort-by", help="Sort by 'name' or 'kind'."),
    verbs: str = typer.Option(None, "--verbs", help="Limit to resources that support these verbs (comma-separated)."),
    categories: str = typer.Option(None, "--categories", help="Limit to resources in these categories (comma-separated)."),
) -> None:
    """Print the supported API resources on the server.

    Examples:
      # Print the supported API resources
      kctl api-resources

      # Print the supported API resources with more information
      kctl api-resources -o wide

      # Print the cluster-scoped resources, names only
      kctl api-resources --namespaced=false -o name

      # Print the resources of the apps group
      kctl api-resources --api-group=apps
    """
    if output not in (None, "", "wide", "name"):
        raise CommandError(f"--output {output} is not available")
    if sort_by not in (None, "", "name", "kind"):
        raise CommandError(f"--sort-by accepts only name or kind, got {sort_by}")
    ns_filter = None if namespaced is None else parse_bool_flag("--namespaced", namespaced)
    rows = list_resources(
        namespaced=ns_filter, api_group=api_group, sort_by=sort_by or None,
        verbs=tuple(v for v in (verbs or "").split(",") if v),
        categories=tuple(c for c in (categories or "").split(",") if c),
    )
    if output == "name":
        out("".join(f"{rt.name}.{rt.group}\n" if rt.group else f"{rt.name}\n" for rt in rows))
        return
    from kctl.printers.tabwriter import format_lines

    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if output == "wide":
        header += ["VERBS", "CATEGORIES"]
    lines = [] if no_headers else ["\t".join(header)]
    for rt in rows:
        cells = [rt.name, ",".join(rt.short_names), rt.api_version, "true" if rt.namespaced else "false", rt.kind]
        if output == "wide":
            cells += [",".join(verbs_of(rt)), ",".join(rt.categories)]
        lines.append("\t".join(cells))
    if lines:
        out(format_lines(lines))


__all__ = ["api_resources", "list_resources", "verbs_of"]
