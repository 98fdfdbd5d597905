"""Column definitions for ``kubectl get`` tables, per kind, as data.

Mirrors kubernetes ``pkg/printers/internalversion/printers.go`` (server-side printing):
each kind has its column definitions (name, priority 0 = default / 1 = ``-o wide``,
type, format) and one row function that computes **all** cells. Like the API server,
which always generates tables with ``Wide: true`` and lets kubectl drop priority-1
columns, rows are computed once in their wide form; the table printer filters.

Kinds without a printer fall back to what the API server does:
- built-in kinds without a handler (Role, ClusterRole, LimitRange, CRDs...): the
  apiserver default table convertor, ``NAME  CREATED AT`` (RFC 3339, UTC);
- custom resources without printer columns: ``NAME  AGE`` (the CRD default column).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

Cell = str | int | bool | None
RowFunc = Callable[[dict, datetime], list[Cell]]


@dataclass(frozen=True)
class Column:
    """A ``metav1.TableColumnDefinition``: ``name`` as upstream spells it (the header is
    upper-cased), ``priority`` 0 (default) or 1 (``-o wide`` only), ``format`` ``name``
    for the object-name column (the one ``--show-kind`` rewrites)."""

    name: str
    priority: int = 0
    type: str = "string"
    format: str = ""


@dataclass(frozen=True)
class TableDef:
    columns: tuple[Column, ...]
    row: RowFunc


_REGISTRY: dict[tuple[str, str], TableDef] = {}
_loaded = False


def register(group: str, kind: str, columns: tuple[Column, ...], row: RowFunc) -> None:
    _REGISTRY[(group, kind)] = TableDef(columns, row)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    from . import (  # noqa: F401  (modules register their kinds on import)
        autoscaling,
        config,
        events,
        metrics,
        networking,
        nodes,
        pods,
        rbac,
        storage,
        workloads,
    )

    _loaded = True


def table_def_for(group: str, kind: str) -> TableDef:
    """The table definition for ``kind`` in API ``group`` ("" for core)."""
    _load()
    found = _REGISTRY.get((group, kind))
    if found is not None:
        return found
    from kctl.api.registry import for_group_kind

    if for_group_kind(group, kind) is not None:
        return DEFAULT_TABLE
    return CUSTOM_RESOURCE_TABLE


def _default_row(obj: dict, now: datetime) -> list[Cell]:
    from kctl.printers.duration import format_rfc3339, parse_rfc3339

    meta = obj.get("metadata") or {}
    ts = meta.get("creationTimestamp")
    # Go formats the zero time as 0001-01-01T00:00:00Z.
    created = format_rfc3339(parse_rfc3339(ts)) if ts else "0001-01-01T00:00:00Z"
    return [meta.get("name", ""), created]


def _cr_row(obj: dict, now: datetime) -> list[Cell]:
    from .common import age

    return [(obj.get("metadata") or {}).get("name", ""), age(obj, now)]


NAME = Column("Name", format="name")
AGE = Column("Age")

#: apiserver ``rest.NewDefaultTableConvertor``: Name, Created At (type date).
DEFAULT_TABLE = TableDef((NAME, Column("Created At", type="date")), _default_row)
#: A custom resource whose CRD declares no printer columns: Name, Age.
CUSTOM_RESOURCE_TABLE = TableDef((NAME, AGE), _cr_row)

__all__ = ["Column", "TableDef", "Cell", "register", "table_def_for", "NAME", "AGE"]
