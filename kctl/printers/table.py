"""``kubectl get`` human-readable tables.

Mirrors cli-runtime's ``HumanReadablePrinter``: ``decorateTable`` (NAMESPACE column for
``-A`` on namespaced kinds, ``kind[.group]/name`` NAME cells for ``--show-kind`` / several
kinds, ``-L`` label columns, ``--show-labels``) and ``printTable`` (upper-cased headers,
priority-1 columns only with ``-o wide``, string cells cut at the first newline/CR/FF with
``...``, no header when there are no rows), all through Go's tabwriter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from kctl.printers.columns import table_def_for
from kctl.printers.columns.common import format_labels
from kctl.printers.tabwriter import format_lines

TYPE_CHECKING = False  # avoid importing typing at start-up
if TYPE_CHECKING:
    from kctl.api.registry import ResourceType

_BREAK_CHARS = ("\n", "\r", "\f")


def escape_cell(value) -> str:
    """A table cell as printTable writes it: strings cut at the first newline, carriage
    return or form feed (then ``...``), terminal escapes neutralised (ESC -> ``^[``);
    booleans ``true``/``false``; nil -> empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    cut = -1
    for ch in _BREAK_CHARS:
        i = value.find(ch)
        if i >= 0 and (cut < 0 or i < cut):
            cut = i
    if cut >= 0:
        value = value[:cut].replace("\x1b", "^[") + "..."
    elif "\x1b" in value:
        value = value.replace("\x1b", "^[")
    return value


def label_column_header(key: str) -> str:
    """``-L app.kubernetes.io/name`` -> ``NAME``: upper-cased part after the last ``/``."""
    return key.rsplit("/", 1)[-1].upper()


def _resource_type_of(objects: Sequence[dict]) -> ResourceType | None:
    from kctl.api.registry import for_kind

    for obj in objects:
        rt = for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
        if rt is not None:
            return rt
    return None


def table_lines(
    objects: Sequence[dict],
    resource_type: ResourceType | None,
    *,
    now: datetime,
    wide: bool = False,
    all_namespaces: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
    show_kind: bool = False,
) -> list[str]:
    """The table's lines as tab-separated cells (before alignment); empty when there are
    no objects."""
    if not objects:
        return []
    rt = resource_type or _resource_type_of(objects)
    if rt is not None:
        group, kind = rt.group, rt.kind
    else:
        av = objects[0].get("apiVersion", "")
        group, kind = av.rpartition("/")[0], objects[0].get("kind", "")
    tdef = table_def_for(group, kind)
    visible = [i for i, c in enumerate(tdef.columns) if wide or c.priority == 0]
    name_col = -1
    if show_kind:
        for i, c in enumerate(tdef.columns):
            if c.format == "name" and c.type == "string":
                name_col = i
                break
    kind_prefix = ""
    if name_col >= 0:
        kind_prefix = (rt.kind_group if rt is not None else (f"{kind}.{group}" if group else kind).lower()) + "/"
    with_namespace = all_namespaces and (rt is None or rt.namespaced)

    lines: list[str] = []
    if not no_headers:
        header = [tdef.columns[i].name.upper() for i in visible]
        if with_namespace:
            header.insert(0, "NAMESPACE")
        header.extend(label_column_header(k) for k in label_columns)
        if show_labels:
            header.append("LABELS")
        lines.append("\t".join(header))

    row_fn = tdef.row
    for obj in objects:
        cells = row_fn(obj, now)
        if name_col >= 0 and name_col < len(cells):
            cells[name_col] = kind_prefix + str(cells[name_col])
        out = [escape_cell(cells[i]) for i in visible if i < len(cells)]
        meta = obj.get("metadata") or {}
        if with_namespace:
            out.insert(0, escape_cell(meta.get("namespace", "")))
        if label_columns or show_labels:
            labels = meta.get("labels") or {}
            out.extend(escape_cell(labels.get(k, "")) for k in label_columns)
            if show_labels:
                out.append(escape_cell(format_labels(labels)))
        lines.append("\t".join(out))
    return lines


def print_table(objects: Sequence[dict], resource_type: ResourceType | None, *, now: datetime, **options) -> str:
    """One kind's table as kubectl prints it (``""`` when there are no objects: the caller
    then prints ``no_resources_message`` to stderr). ``options``: ``table_lines``' keywords
    (``wide``, ``all_namespaces``, ``show_labels``, ``label_columns``, ``no_headers``, ``show_kind``)."""
    lines = table_lines(objects, resource_type, now=now, **options)
    return format_lines(lines) if lines else ""


def print_tables(
    groups: Iterable[tuple[ResourceType | None, Sequence[dict]]],
    *,
    now: datetime,
    no_headers: bool = False,
    show_kind: bool = True,
    **options,
) -> str:
    """Several kinds (``get deploy,svc``, ``get all``): one table per kind with objects,
    NAME cells as ``kind[.group]/name``, tables separated by one blank line (none with
    ``--no-headers``, as kubectl only separates header groups). ``options``: the other
    keywords of ``table_lines``."""
    parts = []
    for rt, objects in groups:
        text = print_table(objects, rt, now=now, no_headers=no_headers, show_kind=show_kind, **options)
        if text:
            parts.append(text)
    return ("" if no_headers else "\n").join(parts)


def no_resources_message(namespace: str | None, all_namespaces: bool = False) -> str:
    """stderr text for an empty ``get``: ``No resources found in <ns> namespace.`` or, with
    ``-A``, ``No resources found``."""
    if all_namespaces or not namespace:
        return "No resources found"
    return f"No resources found in {namespace} namespace."
