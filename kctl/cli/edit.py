"""kctl edit: kubectl's ``edit`` (k8s.io/kubectl/pkg/cmd/util/editor): the object as YAML in
``$KUBE_EDITOR`` / ``$EDITOR`` (default ``vi``) under kubectl's header comment; on save the
change is sent as a patch (strategic merge for built-in kinds, JSON merge otherwise). An
invalid edit reopens the file with the errors in the header; saving the same invalid text
again gives up and keeps a copy. Several objects are edited together as a ``List``.

The editor runs outside any store transaction (like kubectl between its GET and PATCH).
"""

from __future__ import annotations

import os

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import Namespace, Quiet, Selector
from kctl.cli.output import err, exit_on_errors, out, report_pass

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)


def strip_comments(text: str) -> str:
    """cmdutil.StripComments: drop lines whose first non-blank character is ``#``."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


def manual_strip(text: str) -> str:
    """cmdutil.ManualStrip: drop lines that start with ``#``."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def hash_on_line_break(text: str) -> str:
    out_chars = []
    for i, ch in enumerate(text):
        if ch == "\n" and i + 1 < len(text) and text[i + 1] != "#":
            out_chars.append("\n# ")
        else:
            out_chars.append(ch)
    return "".join(out_chars)


def header_text(reasons: list[tuple[str, list[str]]]) -> str:
    """editHeader.writeTo."""
    parts = [HEADER]
    for head, other in reasons:
        parts.append(f"# {hash_on_line_break(head)}{':' if other else ''}\n")
        parts.extend(f"# * {hash_on_line_break(o)}\n" for o in other)
        parts.append("#\n")
    return "".join(parts)


def editor_command() -> list[str]:
    """DefaultEditor: KUBE_EDITOR, then EDITOR, then vi; a value with spaces runs in a shell."""
    for var in ("KUBE_EDITOR", "EDITOR"):
        value = os.environ.get(var)
        if value:
            break
    else:
        value = "vi"
    if " " in value.strip():
        return ["sh", "-c", f'{value} "$1"', "sh"]
    return [value]


def launch_editor(text: str, suffix: str = ".yaml") -> tuple[str, str]:
    """Write ``text`` to a temp file, run the editor on it; (edited text, file path)."""
    import subprocess
    import tempfile

    fd, path = tempfile.mkstemp(prefix="kctl-edit-", suffix=suffix)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    command = editor_command()
    try:
        proc = subprocess.run([*command, path], check=False)
    except OSError as e:
        raise CommandError(f"unable to launch the editor \"{' '.join(command)}\": {e.strerror}") from None
    if proc.returncode != 0:
        raise CommandError(f"there was a problem with the editor \"{' '.join(command)}\"")
    with open(path, encoding="utf-8", errors="replace") as f:  # not text: a syntax error, not a crash
        return f.read(), path


def edit(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME)"),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files naming the objects to edit."),
    namespace: Namespace = None,
    selector: Selector = None,
    output: str = typer.Option("yaml", "--output", "-o", help="yaml or json: the format to edit in."),
    quiet: Quiet = False,
) -> None:
    """Edit a resource from the default editor.

    The editor is $KUBE_EDITOR, else $EDITOR, else vi. If the saved object is invalid the
    file is reopened with the errors at the top; saving it unchanged gives up and keeps a
    copy of your changes.

    Examples:
      kctl edit deployment/web
      KUBE_EDITOR="nano" kctl edit svc web
    """
    from kctl.cli.resource_builder import load_filenames, select_targets
    from kctl.cli.session import read_session
    from kctl.cli.targets import not_found_text
    from kctl.printers.serialize import list_wrapper, strip_managed_fields, to_json, to_yaml

    if output not in ("yaml", "json"):
        raise CommandError(f'the edit mode "{output}" is not supported; use yaml or json')
    loaded = load_filenames(filenames)
    errors: list[str] = []
    with read_session(ctx) as s:
        targets = select_targets(s.api, loaded, args, namespace, selector=selector, require_names=True)
        originals = []
        for t in targets:
            if t.obj is None:
                errors.append(not_found_text(t.rt, t.name))
            else:
                originals.append((t.rt, strip_managed_fields(t.obj)))
    exit_on_errors(errors)
    if not originals:
        raise CommandError("edit cancelled, no objects found")

    def render(obj) -> str:
        return to_yaml(obj) if output == "yaml" else to_json(obj)

    doc = originals[0][1] if len(originals) == 1 else {**list_wrapper([o for _, o in originals]), "metadata": {}}
    original_text = render(doc)
    reasons: list[tuple[str, list[str]]] = []
    edited = ""
    path = ""
    contains_error = False
    while True:
        body = original_text if not contains_error else manual_strip(edited)
        previous = edited
        stale = path if contains_error else None
        edited, path = launch_editor(header_text(reasons) + body, ".yaml" if output == "yaml" else ".json")
        if stale and os.path.exists(stale):
            os.remove(stale)
        if contains_error and strip_comments(previous) == strip_comments(edited):
            err(f'A copy of your changes has been stored to "{path}"')
            raise CommandError("Edit cancelled, no valid changes were saved.")
        if strip_comments(original_text) == strip_comments(edited):
            os.remove(path)
            err("Edit cancelled, no changes made.")
            return
        if not strip_comments(edited).strip():
            os.remove(path)
            err("Edit cancelled, saved file was empty.")
            return
        reasons = []
        try:
            updated = _parse(edited)
        except ValueError as e:
            contains_error = True
            reasons.append((f"The edited file had a syntax error: {e}", []))
            continue
        try:
            results = _submit(ctx, originals, updated)
        except CommandError:
            err(f'A copy of your changes has been stored to "{path}"')
            raise
        invalid = False
        for line, reason in results.messages:
            if reason is not None:
                invalid = True
                reasons.append(reason)
                err(line)
            else:
                out(line)
        if results.other_errors:
            for line in results.other_errors:
                err(line)
            err(f"You can run `kctl replace -f {path}` to try this update again.")
            raise typer.Exit(1)
        if invalid:
            contains_error = True
            continue
        os.remove(path)
        if results.reconciled is not None:
            report_pass(results.reconciled, quiet)
        return


def _parse(text: str) -> list[dict]:
    import yaml

    try:
        doc = yaml.safe_load(strip_comments(text))
    except yaml.YAMLError as e:
        raise ValueError(str(e).replace("\n", " ")) from None
    if not isinstance(doc, dict):
        raise ValueError("error converting YAML to JSON: the edited document is not an object")
    if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
        return [i for i in doc["items"] if isinstance(i, dict)]
    return [doc]


class _Results:
    def __init__(self):
        self.messages: list[tuple[str, tuple[str, list[str]] | None]] = []
        self.other_errors: list[str] = []
        self.reconciled = None


def _submit(ctx, originals, updated: list[dict]) -> _Results:
    """visitToPatch: per object, a two-way patch from the original to the edit, applied to
    the live object; Invalid errors go back into the editor."""
    from kctl.api.errors import StatusError
    from kctl.api.merge import (
        create_merge_patch,
        create_two_way_merge_patch,
        json_merge_patch,
        patch_meta_for,
        strategic_merge,
    )
    from kctl.cli.patch import check_types
    from kctl.cli.session import write_session
    from kctl.printers.serialize import resource_name

    results = _Results()
    by_uid = {(o.get("metadata") or {}).get("uid"): (rt, o) for rt, o in originals}
    with write_session(ctx) as s:
        for new in updated:
            uid = (new.get("metadata") or {}).get("uid")
            if uid not in by_uid:
                raise CommandError(f"no original object found for {new.get('kind', '')} {(new.get('metadata') or {}).get('name', '')}")
            rt, original = by_uid[uid]
            if original == new:
                results.messages.append((f"{resource_name(original)} skipped", None))
                continue
            for key in ("apiVersion", "kind"):
                if new.get(key) != original.get(key):
                    raise CommandError("At least one of apiVersion, kind and name was changed")
            if (new.get("metadata") or {}).get("name") != original["metadata"].get("name"):
                raise CommandError("At least one of apiVersion, kind and name was changed")
            meta = patch_meta_for(str(original.get("apiVersion", "")), str(original.get("kind", "")))
            name = original["metadata"]["name"]
            resource = rt.group_resource
            try:
                live = s.api.get(rt, original["metadata"].get("namespace"), name)
                if meta is not None:
                    result = strategic_merge(live, create_two_way_merge_patch(original, new, meta), meta)
                else:
                    result = json_merge_patch(live, create_merge_patch(original, new))
                check_types(rt, result)
                stored = s.api.update(result)
            except StatusError as e:
                if e.reason == "Invalid":
                    other = [f"{c.field}: {c.body()}" for c in e.causes]
                    results.messages.append((f'error: {resource} "{name}" is invalid',
                                             (f'{resource} "{name}" was not valid', other)))
                elif e.reason == "NotFound":
                    results.other_errors.append(f'error: {resource} "{name}" could not be found on the server')
                else:
                    results.other_errors.append(f'error: {resource} "{name}" could not be patched: {e.message}')
                continue
            results.messages.append((f"{resource_name(stored)} edited", None))
        results.reconciled = s.reconcile()
    return results


__all__ = ["edit", "strip_comments", "header_text", "editor_command"]
