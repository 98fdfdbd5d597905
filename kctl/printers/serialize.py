"""``-o json``, ``-o yaml``, ``-o name`` and the List wrapper of ``kubectl get``.

- json: Go ``json.MarshalIndent(obj, "", "    ")`` + newline: keys sorted (objects from
  the server), HTML-safe escaping (``<`` ``>`` ``&`` as ``\\u003c`` ``\\u003e``
  ``\\u0026``), U+2028/U+2029 escaped, non-ASCII kept, control characters as Go writes them.
- yaml: see ``kctl.printers.goyaml``; several objects are separated by ``---``.
- name: ``<kind>[.<group>]/<name>`` lower-cased kind.
- managedFields are dropped unless asked for (``--show-managed-fields``).
- List wrapper: exactly one object named on the command line prints that object; any
  other get prints ``{"apiVersion": "v1", "items": [...], "kind": "List",
  "metadata": {"resourceVersion": ""}}`` (also for zero or one match).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as _encode_basestring

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_GO_CONTROL = {"b": "\\u0008", "f": "\\u000c"}
_ESCAPE_RE = re.compile(r"\\(.)")


def strip_managed_fields(obj: dict) -> dict:
    """A shallow copy of ``obj`` without ``metadata.managedFields`` (the object itself when
    it has none)."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or "managedFields" not in meta:
        return obj
    meta = {k: v for k, v in meta.items() if k != "managedFields"}
    return {**obj, "metadata": meta}


def list_wrapper(items: Sequence[dict]) -> dict:
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}


def output_object(objects: Sequence[dict], *, single: bool, show_managed_fields: bool = False) -> dict:
    """What ``-o json|yaml`` prints for a get: the object itself when exactly one object was
    named (``single``), else the List wrapper."""
    items = objects if show_managed_fields else [strip_managed_fields(o) for o in objects]
    if single and len(items) == 1:
        return items[0]
    return list_wrapper(items)


def _go_json_fixups(text: str) -> str:
    """Go's encoder escapes ``<`` ``>`` ``&`` U+2028 U+2029 and writes \\b, \\f as \\u00XX.
    These characters only occur inside strings, so plain replacement is exact."""
    for ch, esc in _HTML_ESCAPES.items():
        if ch in text:
            text = text.replace(ch, esc)
    if "\\b" in text or "\\f" in text:
        text = _ESCAPE_RE.sub(lambda m: _GO_CONTROL.get(m.group(1), m.group(0)), text)
    return text


def _encode_indented(obj, sort_keys: bool) -> str:
    """json.MarshalIndent(obj, "", "    ") without the pure-Python ``json`` indenter
    (about twice as fast): strings go through the C ``encode_basestring``."""
    parts: list[str] = []
    app = parts.append
    key_text: dict[str, str] = {}
    enc = _encode_basestring

    def rec(o, ind: str) -> None:
        t = type(o)
        if t is dict:
            if not o:
                app("{}")
                return
            inner = ind + "    "
            first_sep = "{\n" + inner
            sep = ",\n" + inner
            first = True
            for k in (sorted(o) if sort_keys else o):
                kt = key_text.get(k)
                if kt is None:
                    kt = key_text[k] = enc(str(k)) + ": "
                app((first_sep if first else sep) + kt)
                first = False
                v = o[k]
                tv = type(v)
                if tv is str:
                    app(enc(v))
                elif tv is int:
                    app(int.__repr__(v))
                else:
                    rec(v, inner)
            app("\n" + ind + "}")
        elif t is list or t is tuple:
            if not o:
                app("[]")
                return
            inner = ind + "    "
            first_sep = "[\n" + inner
            sep = ",\n" + inner
            first = True
            for v in o:
                app(first_sep if first else sep)
                first = False
                if type(v) is str:
                    app(enc(v))
                else:
                    rec(v, inner)
            app("\n" + ind + "]")
        elif t is str:
            app(enc(o))
        elif o is None:
            app("null")
        elif t is bool:
            app("true" if o else "false")
        elif t is int:
            app(int.__repr__(o))
        elif t is float:
            app(_format_json_float(o))
        elif isinstance(o, dict):
            rec(dict(o), ind)
        elif isinstance(o, (list, tuple)):
            rec(list(o), ind)
        else:
            raise TypeError(f"Object of type {t.__name__} is not JSON serializable")

    rec(obj, "")
    return "".join(parts)


def _format_json_float(f: float) -> str:
    """encoding/json float64: integral values without ``.0``, ``e`` notation outside
    [1e-6, 1e21)."""
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"unsupported value: {f!r}")
    if f.is_integer() and abs(f) < 1e21:
        return str(int(f))
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        s = repr(f)
        if "e" in s:
            mant, exp = s.split("e")
            sign = exp[0] if exp[0] in "+-" else "+"
            digits = exp.lstrip("+-").lstrip("0") or "0"
            return f"{mant}e{sign}{digits.zfill(2)}"
        return s
    return repr(f)


def to_json(obj, *, sort_keys: bool = True) -> str:
    """Go json.MarshalIndent with 4 spaces, plus the trailing newline kubectl adds.
    ``sort_keys=False`` keeps the given key order (objects generated client-side)."""
    return _go_json_fixups(_encode_indented(obj, sort_keys)) + "\n"


def to_yaml(obj) -> str:
    from kctl.printers import goyaml

    return goyaml.dump(obj)


def to_yaml_stream(objects: Iterable) -> str:
    """Several objects printed one after another by the YAML printer: ``---`` between them."""
    return "---\n".join(to_yaml(o) for o in objects)


def resource_name(obj: dict) -> str:
    """``deployment.apps/web``, ``pod/web-1``: the ``-o name`` form of an object."""
    from kctl.api.registry import for_kind

    kind = obj.get("kind", "")
    api_version = obj.get("apiVersion", "")
    rt = for_kind(api_version, kind)
    if rt is not None:
        prefix = rt.kind_group
    else:
        group = api_version.rpartition("/")[0]
        prefix = (f"{kind}.{group}" if group else kind).lower()
    return f"{prefix}/{(obj.get('metadata') or {}).get('name', '')}"


def to_name(objects: Iterable[dict]) -> str:
    return "".join(resource_name(o) + "\n" for o in objects)


def format_objects(
    objects: Sequence[dict], output: str, *, single: bool = False, show_managed_fields: bool = False
) -> str:
    """stdout text of ``get -o json|yaml|name`` for the objects found."""
    if output == "name":
        return to_name(objects)
    obj = output_object(objects, single=single, show_managed_fields=show_managed_fields)
    if output == "json":
        return to_json(obj)
    if output == "yaml":
        return to_yaml(obj)
    raise ValueError(f"unsupported output format {output!r}")
