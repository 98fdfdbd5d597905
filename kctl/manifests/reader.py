"""Decode sources into manifests, one per resource, with positions kept for errors.

Documents are decoded one at a time, so a 20 MB multi-document file is linted in
bounded memory; each document's node tree is kept only as long as its ``Manifest``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from kctl.api import field as fe
from kctl.manifests.positions import position
from kctl.manifests.sources import Source
from kctl.manifests.yamlload import ManifestLoader


@dataclass
class Manifest:
    """One resource read from a file: its data, where it came from, and how to find
    the position of any of its fields."""

    obj: dict
    filename: str
    doc_index: int  # index of the YAML document in the file (0-based)
    _node: yaml.Node | None = field(default=None, repr=False)  # the document's node tree
    item_path: tuple = ()  # ("items", 3) for a member of a List
    #: Problems found while decoding (duplicate fields), reported under strict validation.
    decode_errors: list[fe.FieldError] = field(default_factory=list)
    #: (text, start, end, line): where the document is, to compose its nodes on demand.
    _span: tuple | None = field(default=None, repr=False)
    root_mark: tuple[int, int] | None = None

    @property
    def node(self) -> yaml.Node | None:
        """The document's node tree (with source marks), composed only when needed."""
        if self._node is None and self._span is not None:
            self._node = compose_span(*self._span)
        return self._node

    @property
    def api_version(self) -> str:
        v = self.obj.get("apiVersion")
        return v if isinstance(v, str) else ""

    @property
    def kind(self) -> str:
        v = self.obj.get("kind")
        return v if isinstance(v, str) else ""

    @property
    def name(self) -> str:
        meta = self.obj.get("metadata")
        if isinstance(meta, dict):
            name = meta.get("name") or meta.get("generateName") or ""
            return name if isinstance(name, str) else str(name)
        return ""

    @property
    def namespace(self) -> str | None:
        meta = self.obj.get("metadata")
        ns = meta.get("namespace") if isinstance(meta, dict) else None
        return ns if isinstance(ns, str) else None

    def position(self, path: tuple = (), at_key: bool = False) -> tuple[int | None, int | None]:
        """1-based (line, column) of a field of this resource."""
        if not path and not self.item_path and self.root_mark is not None:
            return self.root_mark  # no need to compose the document for its own start
        if self.node is None:
            return None, None
        line, column = position(self.node, self.item_path + tuple(path), at_key)
        return line + self.line_offset, column

    @property
    def line_offset(self) -> int:
        return self._span[3] if self._span else 0


@dataclass
class ManifestError:
    """A source or document that could not be decoded into a resource."""

    filename: str
    message: str
    line: int | None = None
    column: int | None = None
    doc_index: int | None = None

    def location(self) -> str:
        loc = self.filename
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


def display_name(source: Source) -> str:
    return "<stdin>" if source.is_stdin else source.name


def read_sources(sources: list[Source]) -> Iterator[Manifest | ManifestError]:
    for source in sources:
        yield from read_source(source)


def read_source(source: Source) -> Iterator[Manifest | ManifestError]:
    name = display_name(source)
    if source.error:
        yield ManifestError(name, source.error)
        return
    try:
        raw = source.read_bytes()
    except OSError as e:
        yield ManifestError(name, e.strerror or str(e))
        return
    text = decode_text(raw, name)
    if isinstance(text, ManifestError):
        yield text
        return
    yield from read_text(text, name)


def decode_text(raw: bytes, name: str) -> str | ManifestError:
    """Bytes -> text: UTF-8 (BOM allowed) or UTF-16 with a BOM; binary is refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return ManifestError(name, "invalid UTF-16 text")
    if b"\x00" in raw:
        line, col = _line_col(raw, raw.index(b"\x00"))
        return ManifestError(name, "binary data (a NUL byte) is not a manifest", line, col)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _line_col(raw, e.start)
        return ManifestError(name, f"invalid UTF-8 (byte 0x{raw[e.start]:02x}): manifests must be UTF-8 text", line, col)


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def read_text(text: str, name: str) -> Iterator[Manifest | ManifestError]:
    """Decode a YAML (or JSON) stream into manifests (see ``fastload``)."""
    from kctl.manifests.fastload import iter_documents

    docs = iter_documents(text)
    while True:
        try:
            doc = next(docs)
        except StopIteration:
            return
        except yaml.MarkedYAMLError as e:
            yield _yaml_error(name, e, -1)
            return  # the stream cannot be resumed after a syntax error
        except yaml.YAMLError as e:
            yield ManifestError(name, f"yaml: {e}")
            return
        if doc.error:
            line, col = doc.error_mark or (None, None)
            yield ManifestError(name, doc.error, line, col, doc.index)
            continue
        data = doc.data
        if data is None:
            continue  # an empty or comment-only document
        span = (text, doc.start, doc.end, doc.line)
        if not isinstance(data, dict):
            what = "a list" if isinstance(data, list) else "a scalar"
            node = compose_span(*span)
            mark = node.start_mark if node is not None else None
            yield ManifestError(
                name,
                f"a manifest must be a mapping (an object with apiVersion and kind), not {what}",
                mark.line + 1 + doc.line if mark else doc.line + 1,
                mark.column + 1 if mark else 1,
                doc.index,
            )
            continue
        decode_errors = [fe.duplicate_field(p) for p in doc.duplicates]
        yield from _expand_list(Manifest(data, name, doc.index, None, (), decode_errors, span, doc.root_mark))


def compose_span(text: str, start: int, end: int, line: int) -> yaml.Node | None:
    """Compose one document of ``text`` (its [start, end) span) into nodes whose marks
    are positions in the whole text."""
    loader = ManifestLoader(text[start:end])
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return node  # marks count lines from ``start``: add the span's ``line``


def is_list_kind(obj: dict) -> bool:
    kind = obj.get("kind")
    return isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list)


def _expand_list(m: Manifest) -> Iterator[Manifest | ManifestError]:
    """``kind: List`` (and ``*List``) wrappers stand for their items."""
    if not is_list_kind(m.obj):
        yield m
        return
    for i, item in enumerate(m.obj["items"]):
        path = (*m.item_path, "items", i)
        if not isinstance(item, dict):
            line, col = m.position(path) if m.node is not None else (None, None)
            yield ManifestError(m.filename, f"items[{i}]: a List item must be an object", line, col, m.doc_index)
            continue
        errors = [e for e in m.decode_errors if e.path[: len(path)] == path]
        child = Manifest(item, m.filename, m.doc_index, m._node, path,
                         [fe.duplicate_field(e.path[len(path):]) for e in errors], m._span)
        yield from _expand_list(child)


def _yaml_error(name: str, e: yaml.MarkedYAMLError, index: int) -> ManifestError:
    mark = e.problem_mark or e.context_mark
    problem = e.problem or e.context or "invalid YAML"
    if e.context and e.problem:
        problem = f"{e.context}: {e.problem}" if "while" not in e.context else f"{e.problem} ({e.context})"
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    return ManifestError(name, f"yaml: {problem}", line, col, index)
