"""The generic describer kubectl uses for kinds without their own (``genericDescriber``).

Name, Namespace, Labels, Annotations, then every other field of the object, keys sorted,
one ``Smart Label:  value`` line per scalar, maps and lists nested two spaces deeper
(list items are not marked), then Events.
"""

from __future__ import annotations

import re
from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    describe_events,
    go_value,
    write_labels_annotations,
    write_name_namespace,
)
from kctl.printers.describe.tabwriter import PrefixWriter

COMMON_ACRONYMS = ("API", "URL", "UID", "OSB", "GUID")
SKIP = (
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
)
_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]*[a-z]+|[A-Z]+|[^A-Za-z]+")


def camelcase_split(s: str) -> list[str]:
    """fatih/camelcase ``Split`` for letter/dash words: ``apiVersion`` -> api, Version."""
    return _PARTS.findall(s)


def smart_label_for(field: str) -> str:
    """``smartLabelFor``: ``creationTimestamp`` -> ``Creation Timestamp``, ``uid`` -> ``UID``."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = []
    for part in camelcase_split(field):
        if part == "_":
            continue
        parts.append(part.upper() if part.upper() in COMMON_ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(parts)


def print_unstructured_content(w: PrefixWriter, level: int, content: dict, skip_prefix: str) -> None:
    for field in sorted(content):
        value = content[field]
        expr = f"{skip_prefix}.{field}"
        if expr in SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label_for(field)}:\n")
            print_unstructured_content(w, level + 1, value, expr)
        elif isinstance(value, list):
            w.write(level, f"{smart_label_for(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    print_unstructured_content(w, level + 1, child, expr)
                else:
                    w.write(level + 1, f"{go_value(child)}\n")
        else:
            w.write(level, f"{smart_label_for(field)}:\t{go_value(value)}\n")


def describe_generic(obj: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    write_name_namespace(w, obj)
    write_labels_annotations(w, obj)
    print_unstructured_content(w, LEVEL_0, obj, "")
    describe_events(obj, events, w, now)
