"""kctl patch: kubectl's ``patch`` with the three patch types the API server accepts:
``strategic`` (built-in kinds; merge keys and directives), ``merge`` (RFC 7386) and ``json``
(RFC 6902: add, remove, replace, move, copy, test; the error wording of evanphx/json-patch,
which the API server uses)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import DryRun, ObjectNamespace, Quiet, WriteOutput
from kctl.cli.output import exit_on_errors

PATCH_TYPES = ("json", "merge", "strategic")
UNSUPPORTED_MEDIA = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
)


class JSONPatchError(ValueError):
    """An operation that does not apply (HTTP 422 from the API server)."""


# -- RFC 6902 -------------------------------------------------------------------------------------


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _split_pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise JSONPatchError(f"JSON pointer must be empty or start with a \"/\": {path}")
    return [_unescape(t) for t in path[1:].split("/")]


def _container(doc, tokens: list[str], op: str, path: str):
    """The parent of the pointed-to location."""
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise JSONPatchError(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")
    return node


def _get(doc, path: str):
    tokens = _split_pointer(path)
    node = doc
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(path)
    return node


def _add(doc, path: str, value, op: str = "add"):
    tokens = _split_pointer(path)
    if not tokens:
        return value
    parent = _container(doc, tokens, op, path)
    key = tokens[-1]
    if isinstance(parent, dict):
        parent[key] = value
    elif isinstance(parent, list):
        if key == "-":
            parent.append(value)
        elif key.isdigit() and int(key) <= len(parent):
            parent.insert(int(key), value)
        else:
            raise JSONPatchError(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")
    else:
        raise JSONPatchError(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")
    return doc


def _remove(doc, path: str, op: str = "remove"):
    tokens = _split_pointer(path)
    parent = _container(doc, tokens, op, path) if tokens else None
    key = tokens[-1] if tokens else ""
    if isinstance(parent, dict) and key in parent:
        return parent.pop(key)
    if isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
        return parent.pop(int(key))
    raise JSONPatchError(f"error in remove for path: '{path}': Unable to remove nonexistent key: {key}: missing value")


def json_patch(doc, operations) -> object:
    """Apply an RFC 6902 patch to a copy of ``doc``."""
    from kctl.api.server.apiserver import deep_copy

    if not isinstance(operations, list):
        raise CommandError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = deep_copy(doc)
    for operation in operations:
        if not isinstance(operation, dict):
            raise JSONPatchError("Unexpected kind: invalid operation")
        op = operation.get("op")
        path = operation.get("path")
        if not isinstance(path, str):
            raise JSONPatchError(f"{op} operation does not apply: missing path")
        if op == "add":
            doc = _add(doc, path, deep_copy(operation.get("value")))
        elif op == "remove":
            _remove(doc, path)
        elif op == "replace":
            try:
                _get(doc, path)
            except KeyError:
                raise JSONPatchError(
                    f"replace operation does not apply: doc is missing key: {path}: missing value") from None
            tokens = _split_pointer(path)
            if not tokens:
                doc = deep_copy(operation.get("value"))
            else:
                parent = _container(doc, tokens, "replace", path)
                key = tokens[-1]
                parent[int(key) if isinstance(parent, list) else key] = deep_copy(operation.get("value"))
        elif op in ("move", "copy"):
            source = operation.get("from")
            try:
                value = _get(doc, source)
            except KeyError:
                raise JSONPatchError(f"{op} operation does not apply: doc is missing from path: {source}: missing value") from None
            if op == "move":
                _remove(doc, source, "move")
            doc = _add(doc, path, deep_copy(value), op)
        elif op == "test":
            try:
                value = _get(doc, path)
            except KeyError:
                value = _MISSING
            from kctl.api.merge.gojson import deep_equal

            if value is _MISSING or not deep_equal(value, operation.get("value")):
                raise JSONPatchError(f"testing value {path} failed: test failed")
        else:
            raise JSONPatchError(f"Unexpected kind: {op}")
    return doc


_MISSING = object()


# -- the command ----------------------------------------------------------------------------------


def parse_patch(text: str):
    """kubectl reads the patch as YAML or JSON (yaml.ToJSON)."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CommandError(f'unable to parse "{text}": {str(e).splitlines()[0]}') from None


def patched_object(live: dict, patch, patch_type: str) -> dict:
    """The object after ``patch`` (the API server's patcher, before update)."""
    from kctl.api.errors import StatusError
    from kctl.api.merge import json_merge_patch, patch_meta_for, strategic_merge

    if patch_type == "json":
        try:
            return json_patch(live, patch)
        except JSONPatchError as e:
            raise StatusError("Invalid", str(e), code=422) from None
    if not isinstance(patch, dict):
        raise StatusError("BadRequest", f"json: cannot unmarshal {_json_kind(patch)} into Go value of type map[string]interface {{}}")
    if patch_type == "merge":
        return json_merge_patch(live, patch)
    meta = patch_meta_for(str(live.get("apiVersion", "")), str(live.get("kind", "")))
    if meta is None:
        raise StatusError("UnsupportedMediaType", UNSUPPORTED_MEDIA)
    try:
        return strategic_merge(live, patch, meta)
    except ValueError as e:
        raise StatusError("BadRequest", str(e)) from None


def _json_kind(value) -> str:
    """encoding/json's name of a JSON value's kind in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", type(None): "null"}.get(type(value), "object")


def type_errors(obj: dict) -> list:
    """Values of the wrong JSON type in ``obj`` (a patched or edited object), which the API
    server cannot decode into the kind's Go type; worded as the schema words them
    (``spec.replicas: Invalid value: "abc": ... must be of type integer: "string"``)."""
    from kctl.api.openapi import default_schema_set

    schema = default_schema_set().find(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if schema is None:
        return []
    return [e for e in schema.validate(obj, strict=False) if " must be of type " in e.detail]


def check_name(result: dict, live: dict) -> None:
    """The API server's checkName: a patch may not rename or move the object it patches."""
    from kctl.api.errors import StatusError

    new, old = result.get("metadata") or {}, live.get("metadata") or {}
    for key in ("name", "namespace"):
        if (new.get(key) or "") != (old.get(key) or "") and not (key == "namespace" and not new.get(key)):
            raise StatusError("BadRequest", f"the {key} of the object ({new.get(key)}) does not match the {key} on the URL ({old.get(key)})")


def check_types(rt, obj: dict) -> None:
    """Refuse ``obj`` (an Invalid error) when ``type_errors`` finds anything."""
    from kctl.api.errors import new_invalid

    errors = type_errors(obj)
    if errors:
        raise new_invalid(rt.kind, rt.group, (obj.get("metadata") or {}).get("name", ""), errors)


def patch(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME)"),
    patch_text: str = typer.Option(None, "--patch", "-p", help="The patch, as JSON or YAML."),
    patch_file: str = typer.Option(None, "--patch-file", help="A file holding the patch."),
    patch_type: str = typer.Option("strategic", "--type", help="json, merge or strategic."),
    subresource: str = typer.Option(None, "--subresource", help="status or scale."),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="A file naming the object to patch."),
    namespace: ObjectNamespace = None,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

    Examples:
      # Scale through a strategic merge patch
      kctl patch deployment web -p '{"spec":{"replicas":3}}'

      # Replace the image of the first container with a JSON patch
      kctl patch deployment web --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]'
    """
    from kctl.api.errors import StatusError, new_not_found
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output
    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.resource_builder import load_filenames, select_targets
    from kctl.cli.results import OperationPrinter

    mode = dry_run_mode(dry_run)
    _check_output(output)
    if patch_type not in PATCH_TYPES:
        raise CommandError(f"--type must be one of [json merge strategic], not \"{patch_type}\"")
    if patch_text is not None and patch_file:
        raise CommandError("cannot specify --patch and --patch-file together")
    if patch_file:
        try:
            with open(patch_file, encoding="utf-8") as f:
                patch_text = f.read()
        except OSError as e:
            raise CommandError(f"unable to read patch file: open {patch_file}: {e.strerror.lower()}") from None
        except UnicodeDecodeError:
            raise CommandError(f"unable to parse patch file {patch_file}: not UTF-8 text") from None
    if not patch_text:
        raise CommandError("must specify --patch or --patch-file containing the contents of the patch")
    if subresource not in (None, "status", "scale"):
        raise CommandError(f'invalid subresource value: "{subresource}". Must be one of [status scale]')
    body = parse_patch(patch_text)
    loaded = load_filenames(filenames)
    errors: list[str] = []
    printer = OperationPrinter(output, mode)
    with dry_run_session(ctx, mode, quiet) as s:
        for t in select_targets(s.api, loaded, args, namespace, require_names=True):
            try:
                if t.obj is None:
                    raise new_not_found(t.rt, t.name)
                result = patched_object(t.obj, body, patch_type)
                for key in ("apiVersion", "kind"):
                    if result.get(key) != t.obj.get(key):
                        raise StatusError("BadRequest", f"the {key} of the patched object may not change")
                check_name(result, t.obj)
                stored = result
                check_types(t.rt, result)
                if mode != "client":
                    if subresource == "status":
                        stored = s.api.update_status(result, dry_run=mode == "server")
                    else:
                        if subresource == "scale":
                            result = {**t.obj, "spec": {**(t.obj.get("spec") or {}),
                                                        "replicas": (result.get("spec") or {}).get("replicas")}}
                        stored = s.api.update(result, dry_run=mode == "server")
            except StatusError as e:
                errors.append(_render(e))
                continue
            unchanged = stored == t.obj if mode != "client" else result == t.obj
            printer.print(stored, "patched (no change)" if unchanged else "patched")
        printer.flush()
    exit_on_errors(errors)


def _render(e) -> str:
    """kubectl prints an Invalid error without kind or name as ``The request is invalid: ...``."""
    if e.reason == "Invalid" and not (e.kind or e.name):
        return f"The request is invalid: {e.message}"
    return e.render()


__all__ = ["patch", "json_patch", "patched_object", "parse_patch", "JSONPatchError"]
