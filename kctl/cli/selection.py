"""Resolve a command's resource arguments into objects, as cli-runtime's resource
``Builder`` does for ``kubectl get`` / ``describe`` / ``delete``.

``select(api, selection, ...)`` takes the parsed arguments (``kctl.cli.args``), the
namespace flags (``-n`` / ``-A``), ``-l`` and ``--field-selector`` and returns, per
requested type and in argument order, the objects found, plus the errors kubectl would
report (it keeps going after each one: found objects are still printed):

- a named object that does not exist: ``Error from server (NotFound): pods "x" not found``
  (one per missing name; ``ignore_not_found`` drops them);
- a label or field selector the server rejects, once per listed type, worded as
  cli-runtime rewrites the server's BadRequest: ``Unable to find "/v1, Resource=pods" that
  match label selector "", field selector "spec.foo=x": field label not supported: spec.foo``.

Argument combinations kubectl refuses before any request raise ``CommandError``:
names with ``-A`` (``a resource cannot be retrieved by name across all namespaces``) and
names with a selector (``name cannot be provided when a selector is specified``).

Server warnings (the 1.33+ Endpoints deprecation) are collected once each, in ``warnings``,
as kubectl's de-duplicating warning handler prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kctl.cli.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kctl.api.registry import ResourceType
    from kctl.cli.args import Selection

DEFAULT_NAMESPACE = "default"

#: The API server's deprecation warning for core/v1 Endpoints reads (server 1.33+).
ENDPOINTS_WARNING = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


@dataclass
class Selected:
    """What a selection found: ``groups`` is one ``(type, objects)`` pair per requested
    type, in argument order (objects in server order: namespace, then name)."""

    groups: list[tuple[ResourceType, list[dict]]] = field(default_factory=list)
    #: API errors to print (``err.render()``), in the order kubectl meets them.
    errors: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Exactly one object named on the command line (printed bare, not in a List).
    single_named: bool = False
    multi_type: bool = False

    @property
    def objects(self) -> list[dict]:
        return [o for _, objs in self.groups for o in objs]

    def typed_objects(self) -> list[tuple[ResourceType, dict]]:
        """Every object with its type, in order."""
        return [(rt, o) for rt, objs in self.groups for o in objs]


def effective_namespace(namespace: str | None) -> str:
    """``-n`` or the default namespace (kctl has no kubeconfig context namespace)."""
    return namespace or DEFAULT_NAMESPACE


def gvr_string(rt: ResourceType) -> str:
    """``schema.GroupVersionResource.String()``: ``apps/v1, Resource=deployments``,
    ``/v1, Resource=pods`` for the core group."""
    return f"{rt.group}/{rt.version}, Resource={rt.name}"


def selector_error(rt: ResourceType, label_selector: str, field_selector: str, message: str):
    """The BadRequest kubectl prints for a list the server refused (cli-runtime's
    ``Selector.Visit`` rewording of the server's message)."""
    from kctl.api.errors import new_bad_request

    if not label_selector and not field_selector:
        return new_bad_request(f'Unable to list "{gvr_string(rt)}": {message}')
    return new_bad_request(
        f'Unable to find "{gvr_string(rt)}" that match label selector "{label_selector}", '
        f'field selector "{field_selector}": {message}'
    )


def check_arguments(selection: Selection, *, all_namespaces: bool, label_selector: str, field_selector: str) -> None:
    """The Builder's argument checks, before any request is made."""
    named = any(r.names for r in selection.requests)
    if not named:
        return
    if label_selector or field_selector:
        if getattr(selection, "slash_form", False):
            raise CommandError("selectors and the all flag cannot be used when passing resource/name arguments")
        raise CommandError("name cannot be provided when a selector is specified")
    if all_namespaces:
        raise CommandError("a resource cannot be retrieved by name across all namespaces")


def select(
    api,
    selection: Selection,
    *,
    namespace: str | None = None,
    all_namespaces: bool = False,
    label_selector: str | None = None,
    field_selector: str | None = None,
    ignore_not_found: bool = False,
) -> Selected:
    """Fetch what ``selection`` names (see the module docstring)."""
    from kctl.api.errors import StatusError, new_not_found

    label_selector = (label_selector or "").strip()
    field_selector = (field_selector or "").strip()
    check_arguments(selection, all_namespaces=all_namespaces, label_selector=label_selector, field_selector=field_selector)
    ns = effective_namespace(namespace)
    result = Selected(single_named=selection.single_named, multi_type=selection.multi_type)

    labels, label_error = _label_selector(label_selector)
    for request in selection.requests:
        rt = request.type
        if rt.group == "" and rt.name == "endpoints" and ENDPOINTS_WARNING not in result.warnings:
            result.warnings.append(ENDPOINTS_WARNING)
        found: list[dict] = []
        if request.names:
            for name in request.names:
                obj = api.try_get(rt, ns, name)
                if obj is None:
                    if not ignore_not_found:
                        result.errors.append(new_not_found(rt, name))
                    continue
                found.append(obj)
            result.groups.append((rt, found))
            continue
        try:
            fields = _field_selector(rt, field_selector)
            if label_error is not None:
                raise _Rejected(label_error)
        except _Rejected as e:
            result.errors.append(selector_error(rt, label_selector, field_selector, str(e)))
            result.groups.append((rt, found))
            continue
        scope = None if (all_namespaces or not rt.namespaced) else ns
        try:
            objects = api.list(rt, scope)
        except StatusError as e:
            result.errors.append(e)
            objects = []
        for obj in objects:
            meta = obj.get("metadata") or {}
            if labels is not None and not labels.matches(meta.get("labels") or {}):
                continue
            if fields is not None and not fields.matches(obj):
                continue
            found.append(obj)
        result.groups.append((rt, found))
    return result


class _Rejected(Exception):
    pass


def _label_selector(text: str):
    """(selector or None for "everything", error message or None)."""
    if not text:
        return None, None
    from kctl.api.labels import LabelSelectorError, parse

    try:
        sel = parse(text)
    except LabelSelectorError as e:
        return None, str(e)
    return (None if sel.empty() else sel), None


def _field_selector(rt: ResourceType, text: str):
    if not text:
        return None
    from kctl.api.fields import FieldSelectorError, parse_and_convert

    try:
        sel = parse_and_convert(text, rt.api_version, rt.kind)
    except FieldSelectorError as e:
        raise _Rejected(str(e)) from None
    return None if sel.empty() else sel


def select_args(
    api,
    args: list[str],
    *,
    verb: str = "get",
    namespace: str | None = None,
    all_namespaces: bool = False,
    label_selector: str | None = None,
    field_selector: str | None = None,
    ignore_not_found: bool = False,
) -> Selected:
    """``parse_resource_args`` then ``select``: the whole of ``kubectl VERB TYPE [NAME...] -l ...``."""
    from kctl.cli.args import parse_resource_args

    return select(
        api,
        parse_resource_args(args, verb=verb),
        namespace=namespace,
        all_namespaces=all_namespaces,
        label_selector=label_selector,
        field_selector=field_selector,
        ignore_not_found=ignore_not_found,
    )


__all__ = [
    "DEFAULT_NAMESPACE",
    "ENDPOINTS_WARNING",
    "Selected",
    "check_arguments",
    "effective_namespace",
    "gvr_string",
    "select",
    "select_args",
    "selector_error",
]
