"""The objects a write command works on: kubectl's resource builder for ``delete``,
``label``, ``annotate``, ``patch``, ``scale``, ``edit``, ``replace`` and ``diff``.

Forms (cli-runtime ``resource.Builder``): ``TYPE NAME...``, ``TYPE/NAME...``, ``TYPE -l SEL``,
``TYPE --all``, ``-f PATH``. Named objects that do not exist come back with ``obj=None`` so
that the command can report kubectl's per-name NotFound error and go on with the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from kctl.cli.errors import CommandError

RESOURCE_REQUIRED = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)


@dataclass
class Target:
    rt: object  # kctl.api.registry.ResourceType
    namespace: str | None  # None for cluster-scoped kinds
    name: str
    obj: dict | None  # None: a named object that does not exist
    manifest: object | None = None  # the -f document it came from


def namespace_of(rt, namespace: str | None) -> str | None:
    return (namespace or "default") if rt.namespaced else None


def find_targets(
    api,
    args: list[str],
    *,
    namespace: str | None,
    selector: str | None = None,
    all_: bool = False,
    all_namespaces: bool = False,
    field_selector: str | None = None,
    require_names: bool = False,
) -> list[Target]:
    """Resolve the resource arguments against the API; named objects keep the order given.

    ``require_names``: a bare ``TYPE`` (no names, no ``-l``, no ``--all``) is an error, as
    kubectl's ``RequireObject`` commands say."""
    from kctl.cli.args import parse_resource_args

    if not args:
        raise CommandError(RESOURCE_REQUIRED)
    selection = parse_resource_args(args, verb="get")
    named = any(r.names for r in selection.requests)
    if named and (selector or field_selector):
        raise CommandError("name cannot be provided when a selector is specified")
    if named and all_:
        raise CommandError("name cannot be provided when --all is specified")
    if named and all_namespaces:
        raise CommandError("a resource cannot be retrieved by name across all namespaces")
    if not named and require_names and not (selector or all_ or field_selector):
        raise CommandError("resource(s) were provided, but no name, label selector, or --all flag specified")
    label_sel = _label_selector(selector)
    field_sel = field_selector or None
    out: list[Target] = []
    for request in selection.requests:
        rt = request.type
        ns = namespace_of(rt, namespace)
        if request.names:
            for name in request.names:
                out.append(Target(rt, ns, name, api.try_get(rt, ns, name)))
            continue
        scope = None if (all_namespaces or not rt.namespaced) else ns
        for obj in api.list(rt, scope):
            meta = obj.get("metadata") or {}
            if label_sel is not None and not label_sel.matches(meta.get("labels") or {}):
                continue
            if field_sel is not None and not _field_matches(rt, obj, field_sel):
                continue
            out.append(Target(rt, meta.get("namespace") if rt.namespaced else None, meta.get("name", ""), obj))
    return out


def targets_from_manifests(api, manifests, namespace: str | None) -> list[Target]:
    """``-f``: each document names one object (live or not)."""
    from kctl.cli.files import check_namespace

    out = []
    for m in manifests:
        rt = api.resource_type(m.obj)
        ns = check_namespace(m, namespace, rt.namespaced)
        name = (m.obj.get("metadata") or {}).get("name") or ""
        out.append(Target(rt, ns, name, api.try_get(rt, ns, name) if name else None, m))
    return out


def _label_selector(text: str | None):
    if not text:
        return None
    from kctl.api.labels import LabelSelectorError, parse

    try:
        return parse(text)
    except LabelSelectorError as e:
        raise CommandError(str(e)) from None


def _field_matches(rt, obj: dict, text: str) -> bool:
    from kctl.api import fields

    try:
        selector = fields.parse_and_convert(text, rt.api_version, rt.kind)
    except fields.FieldSelectorError as e:
        raise CommandError(f"Error from server (BadRequest): {e}") from None
    return selector.matches(obj)


def not_found_text(rt, name: str) -> str:
    from kctl.api.errors import new_not_found

    return new_not_found(rt, name).render()


def kind_string(rt) -> str:
    """``deployment.apps`` / ``pod``: the kind part of kubectl's messages."""
    return rt.kind_group


__all__ = ["Target", "find_targets", "targets_from_manifests", "namespace_of", "not_found_text", "kind_string"]
