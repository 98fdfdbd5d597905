"""kubectl's resource argument forms: ``TYPE``, ``TYPE NAME...``, ``TYPE/NAME...``,
``TYPE1,TYPE2``, and the ``all`` category, resolved through the registry."""

from __future__ import annotations

from dataclasses import dataclass

from kctl.api import registry
from kctl.api.registry import ResourceType
from kctl.cli.errors import CommandError


@dataclass(frozen=True)
class ResourceRequest:
    """One resource type, and the names asked for (empty: all of them)."""

    type: ResourceType
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    requests: tuple[ResourceRequest, ...]
    #: True when exactly one object was named (kubectl then prints it bare, not in a List).
    single_named: bool
    #: Several types or the `all` category: tables print `kind.group/name` NAME cells.
    multi_type: bool
    #: Arguments were given in ``TYPE/NAME`` form (cli-runtime's resource tuples).
    slash_form: bool = False


def resolve_type(name: str) -> ResourceType:
    try:
        return registry.resolve(name)
    except registry.UnknownResourceType as e:
        raise CommandError(str(e)) from None


def resolve_types(spec: str) -> list[ResourceType]:
    """``deploy,svc`` or ``all`` -> resource types, de-duplicated, in the order given."""
    out: list[ResourceType] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        members = registry.category(part)
        for rt in members if members is not None else (resolve_type(part),):
            if rt not in out:
                out.append(rt)
    return out


def parse_resource_args(args: list[str], *, verb: str = "get") -> Selection:
    if not args:
        raise CommandError(
            f'You must specify the type of resource to {verb}. Use "kctl api-resources" for a complete list of supported resources.\n'
            "error: Required resource not specified."
        )
    if any("/" in a for a in args):
        return _slash_form(args)
    spec, names = args[0], tuple(args[1:])
    types = resolve_types(spec)
    if names and len(types) != 1:
        raise CommandError("you must specify only one resource")
    return Selection(
        requests=tuple(ResourceRequest(rt, names) for rt in types),
        single_named=len(names) == 1 and len(types) == 1,
        multi_type=len(types) > 1 or registry.category(spec) is not None,
    )


def _slash_form(args: list[str]) -> Selection:
    if not all("/" in a for a in args):
        raise CommandError(
            "there is no need to specify a resource type as a separate argument when passing arguments in "
            "resource/name form (e.g. 'kctl get resource/<resource_name>' instead of 'kctl get resource "
            "resource/<resource_name>'"
        )
    grouped: dict[ResourceType, list[str]] = {}
    for arg in args:
        if arg.count("/") > 1:
            raise CommandError("arguments in resource/name form may not have more than one slash")
        type_name, name = arg.split("/")
        if not type_name or not name:
            raise CommandError("arguments in resource/name form must have a single resource and name")
        grouped.setdefault(resolve_type(type_name), []).append(name)
    requests = tuple(ResourceRequest(rt, tuple(names)) for rt, names in grouped.items())
    return Selection(requests, single_named=len(args) == 1, multi_type=len(requests) > 1, slash_form=True)
