"""Compile OpenAPI v3 (Kubernetes structural-schema dialect) into validating closures.

Mirrors the API server's OpenAPI validation (k8s.io/kube-openapi/pkg/validation, as
apiextensions-apiserver converts its results to field errors in
``kubeOpenAPIResultToFieldErrors``):

- wrong type -> ``Invalid value`` with detail ``<path> in body must be of type <t>: "<actual>"``
- missing required -> ``Required value``; enum -> ``Unsupported value: ...: supported values: ...``
- ``maxLength`` -> ``Too long``; ``maxItems`` / ``maxProperties`` -> ``Too many``;
  other keyword failures -> ``Invalid value`` with kube-openapi's sentence
  (``should be at least 3 chars long``, ``should match '^a'``, ...)
- unknown fields (not in ``properties``, no ``additionalProperties``, no
  ``x-kubernetes-preserve-unknown-fields``) -> ``unknown field "<path>"`` as strict
  decoding reports them; the caller drops them in non-strict mode.

Each schema node becomes one closure ``check(value, stack, key, errs)``: ``stack`` is the
parent path (a list, pushed/popped only by containers), ``key`` the value's own key or
index, so the success path allocates nothing but the loop itself. Definitions are
compiled once per ``Compiler`` (a ``$ref`` cache with trampolines for recursion).

Two null semantics: built-in kinds decode JSON ``null`` as "absent" (Go's decoder), so
``null`` is always accepted and a required field holding ``null`` is missing; custom
resources honour ``nullable``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
import re
from collections.abc import Callable
from typing import Any

from kctl.api import field as fe

NOKEY = object()  # the key of the root value: its path is the stack itself

Check = Callable[[Any, list, Any, list], None]

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
_RFC3339 = (r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_PY_TYPES = {"string": str, "boolean": bool, "integer": int, "object": dict, "array": list}


def path_of(stack: list, key: Any) -> tuple:
    return tuple(stack) if key is NOKEY else (*stack, key)


def json_type(value: Any) -> str:
    """The JSON type name kube-openapi reports for a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, _dt.datetime | _dt.date):
        return "string"  # an unquoted YAML timestamp
    return type(value).__name__


def go_number(x: Any) -> str:
    """Go's ``%v`` of a float64 bound (``10`` not ``10.0``)."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def type_error(stack: list, key: Any, value: Any, expected: str) -> fe.FieldError:
    path = path_of(stack, key)
    detail = f'{fe.render_path(path)} in body must be of type {expected}: "{json_type(value)}"'
    return fe.FieldError(fe.INVALID, path, value, detail)


def format_error(stack: list, key: Any, value: Any, fmt: str) -> fe.FieldError:
    """kube-openapi's format failure: ``x in body must be of type int32: "3000000000"``."""
    path = path_of(stack, key)
    return fe.FieldError(fe.INVALID, path, value, f'{fe.render_path(path)} in body must be of type {fmt}: "{value}"')


def keyword_error(stack: list, key: Any, value: Any, sentence: str) -> fe.FieldError:
    path = path_of(stack, key)
    return fe.FieldError(fe.INVALID, path, value, f"{fe.render_path(path)} in body {sentence}")


class Compiler:
    """Compiles schema nodes; ``resolve(name)`` returns the node of a ``$ref``.

    ``builtin=True``: Go-decoder null semantics (see module doc). ``delegate``: a compiler
    that owns some ``$ref`` names (CRDs refer to the built-in ObjectMeta).
    """

    __slots__ = ("resolve", "builtin", "delegate", "_refs")

    def __init__(self, resolve: Callable[[str], dict], builtin: bool = True, delegate: Compiler | None = None):
        self.resolve = resolve
        self.builtin = builtin
        self.delegate = delegate
        self._refs: dict[str, Check] = {}

    def ref(self, name: str) -> Check:
        """The check of a definition, compiled on its first use (so a Deployment
        compiles only the parts of PodSpec it contains)."""
        fn = self._refs.get(name)
        if fn is not None:
            return fn
        cell: list[Check] = []
        patchers: list[Callable[[Check], None]] = []

        def lazy(value, stack, key, errs):
            if not cell:
                real = self._compile_ref(name)
                cell.append(real)
                self._refs[name] = real
                for patch in patchers:
                    patch(real)
                patchers.clear()
            cell[0](value, stack, key, errs)

        lazy.patchers = patchers  # holders swap the stub for the real check once compiled
        self._refs[name] = lazy
        return lazy

    def _compile_ref(self, name: str) -> Check:
        if self.delegate is not None:
            try:
                node = self.resolve(name)
            except KeyError:
                return self.delegate.ref(name)
        else:
            node = self.resolve(name)
        return self.compile(node)

    # -- node kinds ---------------------------------------------------------------------

    def compile(self, node: dict) -> Check:
        if "$ref" in node:
            return self.ref(node["$ref"].rsplit("/", 1)[-1])
        checks = []
        base = self._compile_base(node)
        if base is not None:
            checks.append(base)
        for sub in node.get("allOf", ()):
            checks.append(self.compile(sub))
        if "anyOf" in node or "oneOf" in node or "not" in node:
            checks.append(self._compile_combinators(node))
        if not checks:
            return _accept
        if len(checks) == 1:
            return checks[0]
        return _all(tuple(checks))

    def _nullable(self, node: dict) -> bool:
        return self.builtin or bool(node.get("nullable"))

    def _compile_base(self, node: dict) -> Check | None:
        t = node.get("type")
        if node.get("x-kubernetes-int-or-string"):
            return self._scalar(node, (int, str), "integer,string", int_or_string=True)
        if isinstance(t, list):
            names = [x for x in t if x != "null"]
            pytypes = tuple({"number": (int, float)}.get(x, (_PY_TYPES.get(x, object),)) for x in names)
            flat = tuple(p for group in pytypes for p in group)
            return self._scalar(node, flat, ",".join(names))
        if t == "object":
            return self._object(node)
        if t is None and ("properties" in node or "additionalProperties" in node or "required" in node):
            return self._object(node, typeless=True)  # e.g. an anyOf branch: {"required": ["a"]}
        if t == "array":
            return self._array(node)
        if t == "string":
            return self._scalar(node, (str,), "string")
        if t == "integer":
            return self._scalar(node, (int,), "integer")
        if t == "number":
            return self._scalar(node, (int, float), "number")
        if t == "boolean":
            return self._scalar(node, (bool,), "boolean")
        if "enum" in node:
            return self._scalar(node, (object,), "")
        return None  # no type: any value (x-kubernetes-preserve-unknown-fields)

    def fast_type(self, node: dict) -> type | None:
        """A Python type whose exact instances need no further check (else None)."""
        if "$ref" in node or len(node) != 1:
            return None
        return {"string": str, "boolean": bool}.get(node.get("type"))

    def _scalar(self, node: dict, pytypes: tuple, expected: str, int_or_string: bool = False) -> Check:
        null_ok = self._nullable(node)
        fmt = node.get("format")
        want_int = expected == "integer"
        accepts_float_ints = int in pytypes and float not in pytypes
        rng = INT32 if fmt == "int32" else INT64 if (fmt == "int64" or want_int) else None
        enum = node.get("enum")
        enum_set = _freeze_set(enum) if enum is not None else None
        enum_shown = [v if isinstance(v, str) else json.dumps(v) for v in enum] if enum is not None else None
        max_len, min_len = node.get("maxLength"), node.get("minLength")
        pattern = node.get("pattern")
        pattern_re = re.compile(pattern) if pattern else None
        minimum, maximum = node.get("minimum"), node.get("maximum")
        ex_min, ex_max = node.get("exclusiveMinimum", False), node.get("exclusiveMaximum", False)
        multiple = node.get("multipleOf")
        date_time = fmt == "date-time"
        rfc3339 = re.compile(_RFC3339) if date_time else None
        byte_fmt = fmt == "byte"
        plain = (
            enum is None and max_len is None and min_len is None and pattern is None and minimum is None
            and maximum is None and multiple is None and not date_time and not byte_fmt and rng is None
        )

        def check(value, stack, key, errs):
            if value is None:
                if not null_ok:
                    errs.append(type_error(stack, key, value, expected))
                return
            if isinstance(value, bool) and bool not in pytypes:
                errs.append(type_error(stack, key, value, expected))
                return
            if not isinstance(value, pytypes):
                if accepts_float_ints and isinstance(value, float) and value.is_integer():
                    value = int(value)
                elif date_time and isinstance(value, _dt.datetime | _dt.date):
                    return
                else:
                    errs.append(type_error(stack, key, value, expected))
                    return
            if plain:
                return
            if rng is not None and type(value) is int and not rng[0] <= value <= rng[1]:
                errs.append(format_error(stack, key, value, fmt or "int64"))
                return
            if enum_set is not None and _freeze(value) not in enum_set:
                errs.append(fe.not_supported(path_of(stack, key), value, enum_shown))
                return
            if isinstance(value, str):
                if (date_time and not rfc3339.match(value)) or (byte_fmt and not _is_base64(value)):
                    errs.append(format_error(stack, key, value, fmt))
                    return
                n = len(value)
                if max_len is not None and n > max_len:
                    errs.append(fe.too_long(path_of(stack, key), value, max_len))
                if min_len is not None and n < min_len:
                    errs.append(keyword_error(stack, key, value, f"should be at least {min_len} chars long"))
                if pattern_re is not None and not pattern_re.search(value):
                    errs.append(keyword_error(stack, key, value, f"should match '{pattern}'"))
            elif not int_or_string and isinstance(value, int | float):
                if minimum is not None and (value <= minimum if ex_min else value < minimum):
                    word = "greater than" if ex_min else "greater than or equal to"
                    errs.append(keyword_error(stack, key, value, f"should be {word} {go_number(minimum)}"))
                if maximum is not None and (value >= maximum if ex_max else value > maximum):
                    word = "less than" if ex_max else "less than or equal to"
                    errs.append(keyword_error(stack, key, value, f"should be {word} {go_number(maximum)}"))
                if multiple and (value / multiple) != int(value / multiple):
                    errs.append(keyword_error(stack, key, value, f"should be a multiple of {go_number(multiple)}"))

        return check

    def _object(self, node: dict, typeless: bool = False) -> Check:
        null_ok = self._nullable(node) or typeless
        builtin = self.builtin
        props: dict[str, tuple] = {}
        properties = dict(node.get("properties") or {})
        if node.get("x-kubernetes-embedded-resource"):
            properties.setdefault("apiVersion", {"type": "string"})
            properties.setdefault("kind", {"type": "string"})
            properties.setdefault("metadata", {"$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"})
        for name, sub in properties.items():
            fast, fn = self.fast_type(sub), self.compile(sub)
            props[name] = (fast, fn)
            _when_compiled(fn, lambda real, name=name, fast=fast: props.__setitem__(name, (fast, real)))
        required = tuple(node.get("required") or ())
        ap = node.get("additionalProperties")
        preserve = bool(node.get("x-kubernetes-preserve-unknown-fields")) or ap is True or typeless
        additional = self.compile(ap) if isinstance(ap, dict) else None
        add_fast = self.fast_type(ap) if isinstance(ap, dict) else None
        max_props, min_props = node.get("maxProperties"), node.get("minProperties")
        props_get = props.get
        unknown_field = fe.unknown_field
        required_error = fe.required

        def set_additional(real):
            nonlocal additional
            additional = real

        _when_compiled(additional, set_additional)

        def check(value, stack, key, errs):
            if not isinstance(value, dict):
                if (value is None and null_ok) or typeless:
                    return
                errs.append(type_error(stack, key, value, "object"))
                return
            pushed = key is not NOKEY
            if pushed:
                stack.append(key)
            for k, v in value.items():
                spec = props_get(k)
                if spec is None:
                    if additional is not None:
                        if type(v) is not add_fast:
                            additional(v, stack, k, errs)
                    elif not preserve:
                        errs.append(unknown_field((*stack, k)))
                    continue
                if type(v) is spec[0]:
                    continue
                spec[1](v, stack, k, errs)
            for r in required:
                if (value.get(r) is None) if builtin else (r not in value):
                    errs.append(required_error((*stack, r)))
            if max_props is not None and len(value) > max_props:
                errs.append(fe.too_many(tuple(stack), len(value), max_props))
            if min_props is not None and len(value) < min_props:
                errs.append(fe.FieldError(fe.INVALID, tuple(stack), len(value),
                                          f"{fe.render_path(tuple(stack))} in body should have at least {min_props} properties"))
            if pushed:
                stack.pop()

        return check

    def _array(self, node: dict) -> Check:
        null_ok = self._nullable(node)
        items = node.get("items")
        item_fast = self.fast_type(items) if isinstance(items, dict) else None
        item = self.compile(items) if isinstance(items, dict) else _accept
        max_items, min_items = node.get("maxItems"), node.get("minItems")
        unique = bool(node.get("uniqueItems"))
        list_type = None if self.builtin else node.get("x-kubernetes-list-type")
        map_keys = tuple(node.get("x-kubernetes-list-map-keys") or ())

        def set_item(real):
            nonlocal item
            item = real

        _when_compiled(item, set_item)

        def check(value, stack, key, errs):
            if not isinstance(value, list):
                if value is None and null_ok:
                    return
                errs.append(type_error(stack, key, value, "array"))
                return
            pushed = key is not NOKEY
            if pushed:
                stack.append(key)
            for i, v in enumerate(value):
                if type(v) is not item_fast:
                    item(v, stack, i, errs)
            if pushed:
                stack.pop()
            n = len(value)
            if max_items is not None and n > max_items:
                errs.append(fe.too_many(path_of(stack, key), n, max_items))
            if min_items is not None and n < min_items:
                errs.append(keyword_error(stack, key, n, f"should have at least {min_items} items"))
            if unique and _has_duplicates(value):
                errs.append(keyword_error(stack, key, "", "shouldn't contain duplicates"))
            if list_type == "set" or (list_type == "map" and map_keys):
                _list_duplicates(value, list_type, map_keys, path_of(stack, key), errs)

        return check

    def _compile_combinators(self, node: dict) -> Check:
        any_of = tuple(self.compile(s) for s in node.get("anyOf", ()))
        one_of = tuple(self.compile(s) for s in node.get("oneOf", ()))
        not_ = self.compile(node["not"]) if "not" in node else None

        def passes(fn, value, stack, key) -> bool:
            scratch: list = []
            fn(value, list(stack), key, scratch)
            return not [e for e in scratch if e.type != fe.UNKNOWN_FIELD]

        def check(value, stack, key, errs):
            if any_of and not any(passes(f, value, stack, key) for f in any_of):
                errs.append(keyword_error(stack, key, value, "must validate at least one schema (anyOf)"))
            if one_of:
                n = sum(passes(f, value, stack, key) for f in one_of)
                if n != 1:
                    errs.append(keyword_error(stack, key, value, "must validate one and only one schema (oneOf)"))
            if not_ is not None and passes(not_, value, stack, key):
                errs.append(keyword_error(stack, key, value, "must not validate the schema (not)"))

        return check


def _when_compiled(fn, patch: Callable[[Check], None]) -> None:
    """If ``fn`` is a not-yet-compiled ``$ref`` stub, call ``patch(real)`` once it compiles,
    so the hot path calls the real check directly."""
    patchers = getattr(fn, "patchers", None)
    if patchers is not None:
        patchers.append(patch)


def _accept(value, stack, key, errs):
    return None


def _all(checks: tuple) -> Check:
    def check(value, stack, key, errs):
        for c in checks:
            c(value, stack, key, errs)

    return check


def _freeze(value: Any):
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _freeze_set(values: list) -> frozenset:
    return frozenset(_freeze(v) for v in values)


def _has_duplicates(value: list) -> bool:
    seen = set()
    for v in value:
        f = _freeze(v)
        if f in seen:
            return True
        seen.add(f)
    return False


def _list_duplicates(value: list, list_type: str, map_keys: tuple, path: tuple, errs: list) -> None:
    """apiextensions' listtype validation: ``Duplicate value`` at the repeated item."""
    seen = set()
    for i, v in enumerate(value):
        if list_type == "set":
            ident, shown = _freeze(v), v
        else:
            if not isinstance(v, dict):
                continue
            shown = {k: v[k] for k in map_keys if k in v}
            ident = _freeze(shown)
        if ident in seen:
            errs.append(fe.duplicate((*path, i), shown))
        else:
            seen.add(ident)


def _is_base64(s: str) -> bool:
    try:
        base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True
