"""Build Python data straight from libyaml's event stream: the fast path.

PyYAML's composer and constructor spend most of their time in Python per node
(resolving each scalar through a regex table, then constructing it). Kubernetes
manifests need far less: mappings, sequences and scalars with the YAML 1.1 scalar
rules of go-yaml. This builder walks the C parser's events once, with:

- scalar resolution by a first-character dispatch (most values are plain strings);
- duplicate keys recorded with their field path and position (strict decoding);
- anchors, aliases and ``<<`` merge keys, with the expanded size counted so alias
  bombs are refused ("document contains excessive aliasing");
- each document's span in the text, so the slow composer runs only for documents
  that turn out to have errors, to map field paths back to lines and columns.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

import yaml
from yaml import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from kctl.manifests.yamlload import MAX_ALIAS_EXPANSION

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Parser

_INT = re.compile(r"[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_BOOLS = {
    "yes": True, "Yes": True, "YES": True, "true": True, "True": True, "TRUE": True, "on": True, "On": True, "ON": True,
    "no": False, "No": False, "NO": False, "false": False, "False": False, "FALSE": False, "off": False, "Off": False,
    "OFF": False,
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_NUMERIC_START = set("-+0123456789.")
_WORD_START = set("yYnNtTfFoO~")


class ExcessiveAliasing(Exception):
    pass


def _to_int(v: str) -> int:
    v = v.replace("_", "")
    sign = 1
    if v[0] in "+-":
        sign = -1 if v[0] == "-" else 1
        v = v[1:]
    if v.startswith("0b"):
        return sign * int(v[2:], 2)
    if v.startswith("0x"):
        return sign * int(v[2:], 16)
    if v != "0" and v.startswith("0"):
        return sign * int(v, 8)
    return sign * int(v)


def _to_float(v: str) -> float:
    v = v.replace("_", "").lower()
    if v.endswith("inf"):
        return float("-inf") if v.startswith("-") else float("inf")
    if v.endswith("nan"):
        return float("nan")
    return float(v)


def resolve_plain(v: str):
    """A plain scalar's value, with go-yaml's YAML 1.1 rules (timestamps stay strings)."""
    if not v or v in _NULLS:
        return None
    c = v[0]
    if c in _NUMERIC_START:
        if _INT.fullmatch(v):
            return _to_int(v)
        if _FLOAT.fullmatch(v):
            return _to_float(v)
        return v
    if c in _WORD_START:
        b = _BOOLS.get(v)
        if b is not None:
            return b
        if v == "~":
            return None
    return v


def _tagged(ev: ScalarEvent):
    tag = ev.tag
    v = ev.value
    if tag in ("tag:yaml.org,2002:str", "!"):
        return v
    if tag == "tag:yaml.org,2002:int":
        return _to_int(v)
    if tag == "tag:yaml.org,2002:float":
        return _to_float(v)
    if tag == "tag:yaml.org,2002:bool":
        return _BOOLS.get(v, v)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:binary":
        return base64.b64encode(base64.decodebytes(v.encode())).decode()
    return resolve_plain(v) if ev.implicit[0] else v


@dataclass
class RawDocument:
    data: object
    index: int  # document index in the stream
    start: int  # character offset of the document in the text
    end: int
    line: int  # 0-based line of ``start``
    duplicates: list[tuple] = field(default_factory=list)  # field paths of duplicated keys
    error: str | None = None  # "document contains excessive aliasing"
    error_mark: tuple[int, int] | None = None
    root_mark: tuple[int, int] = (1, 1)  # 1-based (line, column) of the document's top node


def iter_documents(text: str):
    """Yield a RawDocument per YAML document; YAML syntax errors propagate as
    ``yaml.MarkedYAMLError`` from the point where the stream breaks."""
    parser = _Parser(text)
    get = parser.get_event
    try:
        get()  # StreamStart
        index = -1
        while True:
            ev = get()
            if isinstance(ev, StreamEndEvent):
                return
            assert isinstance(ev, DocumentStartEvent)
            index += 1
            yield _document(get, ev, index, text)
    finally:
        parser.dispose()


def _document(get, start_ev, index: int, text: str) -> RawDocument:
    """One document, built iteratively; the hot loop of manifest reading (kept flat)."""
    line_start = text.rfind("\n", 0, start_ev.start_mark.index) + 1
    doc = RawDocument(None, index, line_start, line_start, start_ev.start_mark.line)
    anchors: dict[str, object] = {}
    sizes: dict[str, int] = {}
    count = 0  # nodes built; an alias counts at its expanded size
    no_key = _NO_KEY
    scalar_t, map_t, seq_t, map_end_t, seq_end_t, alias_t = (
        ScalarEvent, MappingStartEvent, SequenceStartEvent, MappingEndEvent, SequenceEndEvent, AliasEvent)
    # Per open container: the container, whether it is a mapping, and its pending key.
    containers: list = []
    is_map: list[bool] = []
    keys: list = []
    frames: list[tuple] = []  # (anchor, count at start, merges list or None)
    path: list = []
    root = None
    while True:
        ev = get()
        cls = ev.__class__
        opened = False
        if cls is scalar_t:
            count += 1
            if ev.tag is None:
                value = resolve_plain(ev.value) if ev.implicit[0] else ev.value
            else:
                value = _tagged(ev)
            if ev.anchor:
                anchors[ev.anchor] = value
                sizes[ev.anchor] = 1
        elif cls is map_t or cls is seq_t:
            count += 1
            value = {} if cls is map_t else []
            if ev.anchor:
                anchors[ev.anchor] = value
            opened = True
        elif cls is map_end_t or cls is seq_end_t:
            container = containers.pop()
            is_map.pop()
            keys.pop()
            anchor, started, merges = frames.pop()
            if merges:  # merge keys: explicit keys win, then earlier merges
                for source in merges:
                    for merged in source if isinstance(source, list) else (source,):
                        if isinstance(merged, dict):
                            for k, v in merged.items():
                                container.setdefault(k, v)
            if anchor:
                sizes[anchor] = count - started + 1
            if not containers:
                end_ev = get()  # DocumentEnd
                doc.data = root
                doc.end = end_ev.end_mark.index if isinstance(end_ev, DocumentEndEvent) else len(text)
                return doc
            path.pop()
            continue
        elif cls is alias_t:
            if ev.anchor not in anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {ev.anchor!r}", ev.start_mark)
            value = anchors[ev.anchor]
            count += sizes.get(ev.anchor, 1)
            if count > MAX_ALIAS_EXPANSION:
                doc.error = "yaml: document contains excessive aliasing"
                doc.error_mark = (start_ev.start_mark.line + 1, start_ev.start_mark.column + 1)
                _skip_document(get, len(containers))
                return doc
        elif cls is DocumentEndEvent:  # an empty document
            doc.end = ev.end_mark.index
            return doc
        else:  # pragma: no cover - the parser emits nothing else inside a document
            continue

        if not containers:
            if opened:
                root = value
                doc.root_mark = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                containers.append(value)
                is_map.append(cls is map_t)
                keys.append(no_key)
                frames.append((ev.anchor, count, None))
                continue
            doc.data = value  # a document that is a single scalar
            end_ev = get()
            doc.end = end_ev.end_mark.index if isinstance(end_ev, DocumentEndEvent) else len(text)
            return doc
        container = containers[-1]
        if is_map[-1]:
            key = keys[-1]
            if key is no_key:  # this node is a key
                if opened:
                    raise yaml.constructor.ConstructorError(None, None, "found unhashable key", ev.start_mark)
                if value.__class__ is not str:
                    if isinstance(value, dict | list):
                        raise yaml.constructor.ConstructorError(None, None, "found unhashable key", ev.start_mark)
                    value = "null" if value is None else ("true" if value is True else "false" if value is False else str(value))
                if value in container and value != "<<":
                    doc.duplicates.append((*path, value))
                keys[-1] = value
                continue
            keys[-1] = no_key
            if key == "<<" and (opened or cls is alias_t):
                anchor, started, merges = frames[-1]
                if merges is None:
                    merges = []
                    frames[-1] = (anchor, started, merges)
                merges.append(value)  # a mapping, or a list of them (filled in later)
                if opened:  # an inline merge mapping still has to be filled
                    path.append(key)
                    containers.append(value)
                    is_map.append(cls is map_t)
                    keys.append(no_key)
                    frames.append((ev.anchor, count, None))
                continue
            container[key] = value
            if opened:
                path.append(key)
        else:
            if opened:
                path.append(len(container))
            container.append(value)
        if opened:
            containers.append(value)
            is_map.append(cls is map_t)
            keys.append(no_key)
            frames.append((ev.anchor, count, None))


_NO_KEY = object()


def _skip_document(get, depth: int) -> None:
    while True:
        ev = get()
        if isinstance(ev, DocumentEndEvent):
            return
