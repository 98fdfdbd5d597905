"""kctl events: ``kubectl events`` (kubectl/pkg/cmd/events), the core Events of a
namespace (or ``-A``), oldest first.

Columns ``LAST SEEN TYPE REASON OBJECT MESSAGE`` (``-A`` prepends ``NAMESPACE``); LAST SEEN
is the age of the last occurrence, ``<age> (x<count> over <first age>)`` for repeated
events; OBJECT is ``<Kind>/<name>`` as the event names it. ``--for TYPE/NAME`` keeps the
events of one object, ``--types Warning`` those of the given types. Nothing to show:
``No events found in <ns> namespace.`` on stderr.
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import ReadNamespace
from kctl.cli.output import err, out

EVENT_TYPES = ("Normal", "Warning")


def _last_time(ev: dict) -> str:
    series = ev.get("series") or {}
    return (
        series.get("lastObservedTime") or ev.get("lastTimestamp") or ev.get("eventTime")
        or ev.get("firstTimestamp") or ((ev.get("metadata") or {}).get("creationTimestamp")) or ""
    )


def _resource_version(ev: dict) -> int:
    rv = (ev.get("metadata") or {}).get("resourceVersion") or "0"
    return int(rv) if rv.isdigit() else 0


def interval(ev: dict, now) -> str:
    from kctl.printers.duration import translate_timestamp_since

    last = translate_timestamp_since(_last_time(ev), now)
    count = ev.get("count") or 0
    if count > 1:
        first = translate_timestamp_since(ev.get("firstTimestamp") or ev.get("eventTime") or _last_time(ev), now)
        return f"{last} (x{count} over {first})"
    return last


def events_table(events: list[dict], now, *, all_namespaces: bool = False, no_headers: bool = False) -> str:
    from kctl.printers.table import escape_cell
    from kctl.printers.tabwriter import format_lines

    lines = []
    if not no_headers:
        lines.append(("NAMESPACE\t" if all_namespaces else "") + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE")
    for ev in events:
        obj = ev.get("involvedObject") or {}
        cells = [
            interval(ev, now), ev.get("type", ""), ev.get("reason", ""),
            f"{obj.get('kind', '')}/{obj.get('name', '')}", (ev.get("message") or "").strip(),
        ]
        if all_namespaces:
            cells.insert(0, (ev.get("metadata") or {}).get("namespace", ""))
        lines.append("\t".join(escape_cell(c) for c in cells))
    return format_lines(lines)


def events(
    ctx: typer.Context,
    namespace: ReadNamespace = None,
    all_namespaces: bool = typer.Option(False, "--all-namespaces", "-A", help="Events of every namespace."),
    for_object: str = typer.Option(None, "--for", help="Only the events of this object, as TYPE/NAME."),
    types: str = typer.Option(None, "--types", help="Only events of these types (Normal, Warning; comma-separated)."),
    output: str = typer.Option(None, "--output", "-o", help="json or yaml."),
    no_headers: bool = typer.Option(False, "--no-headers", help="Don't print headers."),
) -> None:
    """List events.

    Examples:
      # Events in the default namespace, oldest first
      kctl events

      # Warnings of every namespace
      kctl events -A --types=Warning

      # The events of one pod
      kctl events --for pod/web-7c5ddbdf54-2xkqz
    """
    from kctl.cli.selection import effective_namespace
    from kctl.cli.session import read_session

    if output not in (None, "", "json", "yaml"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", allowed formats are: json,yaml')
    wanted_types = [t.strip() for t in (types or "").split(",") if t.strip()]
    for t in wanted_types:
        if t.lower() not in ("normal", "warning"):
            raise CommandError(f"valid --types are Normal or Warning: {t}")
    kind = name = None
    if for_object:
        from kctl.cli.args import resolve_type

        type_name, sep, name = for_object.partition("/")
        if not sep or not name:
            raise CommandError(f"--for must be in resource/name form: {for_object}")
        kind = resolve_type(type_name).kind
    ns = effective_namespace(namespace)
    with read_session(ctx) as s:
        found = s.api.list("events", None if all_namespaces else ns)
        now = s.now
    selected = [
        ev for ev in found
        if (not wanted_types or (ev.get("type") or "").lower() in {t.lower() for t in wanted_types})
        and (kind is None or ((ev.get("involvedObject") or {}).get("kind") == kind
                              and (ev.get("involvedObject") or {}).get("name") == name))
    ]
    selected.sort(key=lambda ev: (_last_time(ev), _resource_version(ev)))
    if output in ("json", "yaml"):
        from kctl.printers.serialize import format_objects

        out(format_objects(selected, output))
        return
    if not selected:
        err("No events found." if all_namespaces else f"No events found in {ns} namespace.")
        return
    out(events_table(selected, now, all_namespaces=all_namespaces, no_headers=no_headers))


__all__ = ["events", "events_table", "interval"]
