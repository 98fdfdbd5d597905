"""Pieces every report format shares: how a resource, a position and a finding are named.

Kept free of heavy imports: the text report (the default) uses nothing else.
"""

from __future__ import annotations

from kctl.lint.results import Finding, ResourceResult

#: The filename the manifest reader gives to standard input.
STDIN = "<stdin>"


def resource_label(r: ResourceResult) -> str:
    """``Deployment/web``: kubectl's ``kind/name`` (``Kind`` alone when unnamed; empty when unknown)."""
    if r.kind and r.name:
        return f"{r.kind}/{r.name}"
    return r.kind or r.name


def location(filename: str, line: int | None, column: int | None) -> str:
    """``FILE:LINE:COL`` as compilers print it; the unknown parts are left out."""
    if line is None:
        return filename
    if column is None:
        return f"{filename}:{line}"
    return f"{filename}:{line}:{column}"


def finding_text(f: Finding) -> str:
    """``spec.replicas: Invalid value: -1: ...``: field.Error's own rendering (no path, no prefix)."""
    return f"{f.path}: {f.message}" if f.path else f.message


def finding_line(r: ResourceResult, f: Finding) -> str:
    """``FILE:LINE:COL: Kind/name: field.path: message``: one finding, as the text report prints it."""
    return _join(location(r.filename, f.line, f.column), resource_label(r), finding_text(f))


def error_line(r: ResourceResult) -> str:
    """``FILE:LINE:COL: Kind/name: msg`` (or ``FILE: msg``) for a resource that could not be checked."""
    return _join(location(r.filename, r.line, r.column), resource_label(r), r.msg)


def _join(*parts: str) -> str:
    return ": ".join(p for p in parts if p)


def split_path(path: str) -> list[str]:
    """Undo ``field.render_path``: ``spec.containers[0].name`` -> ``["spec", "containers", "0", "name"]``.

    Bracketed parts are list indices or map keys that are not plain identifiers
    (``metadata.labels[app.kubernetes.io/name]``); a bracket runs to the first ``]``
    that ends the path or is followed by ``.`` or ``[``, so keys holding ``]`` survive.
    """
    parts: list[str] = []
    i, n = 0, len(path)
    while i < n:
        if path[i] == "[":
            end = path.find("]", i + 1)
            while end != -1 and end + 1 < n and path[end + 1] not in ".[":
                end = path.find("]", end + 1)
            if end == -1:  # unbalanced: the rest is one key
                end = n
            parts.append(path[i + 1 : end])
            i = end + 1
        else:
            j = i
            while j < n and path[j] not in ".[":
                j += 1
            parts.append(path[i:j])
            i = j
        if i < n and path[i] == ".":
            i += 1
    return parts


def json_pointer(path: str) -> str:
    """A dotted kubectl field path as an RFC 6901 JSON pointer (kubeconform's ``path``):
    ``spec.ports[0].port`` -> ``/spec/ports/0/port``; the whole document is ``""``."""
    if not path:
        return ""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in split_path(path))
