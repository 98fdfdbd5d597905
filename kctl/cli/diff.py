"""kctl diff: kubectl's ``diff -f`` (k8s.io/kubectl/pkg/cmd/diff), over a transaction that is
rolled back.

Each manifest is applied exactly as ``kctl apply`` would (client-side three-way merge), the
control plane runs to a fixed point, and every object that the apply or the control plane
touched is compared: LIVE (before the command) against MERGED (after it), as YAML, in
files named ``[<group>.]<version>.<Kind>.<namespace>.<name>`` under ``LIVE-*`` and
``MERGED-*`` directories, the way ``diff -u -N`` shows them. Secret ``data`` values are
masked, ``managedFields`` dropped. ``KUBECTL_EXTERNAL_DIFF`` runs another program on real
directories. Exit codes: 0 no differences, 1 differences, >1 an error (kubectl's + 1).
"""

from __future__ import annotations

import os

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import Recursive
from kctl.cli.output import err

EXTERNAL_DIFF_ENV = "KUBECTL_EXTERNAL_DIFF"
EPOCH = "1970-01-01 00:00:00.000000000 +0000"


def diff(
    ctx: typer.Context,
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files or folders to diff, or - for stdin."),
    recursive: Recursive = False,
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace for objects that do not name one."),
    show_managed_fields: bool = typer.Option(False, "--show-managed-fields", help="Keep managedFields."),
    validate: str = typer.Option("strict", "--validate", help="strict, warn or ignore."),
) -> None:
    """Diff the live version against what would be applied, control-plane effects included.

    Output is always YAML. KUBECTL_EXTERNAL_DIFF names the program to use instead of
    "diff -u -N" (extra words made of letters, digits, '-' and '=' are kept as flags).

    Exit status: 0 no differences were found; 1 differences were found; >1 kctl or diff
    failed with an error.

    Examples:
      # Diff the objects in web.yaml against the cluster
      kctl diff -f web.yaml

      # Use another diff program
      KUBECTL_EXTERNAL_DIFF="colordiff -N -u" kctl diff -f web.yaml
    """
    try:
        code = _run(ctx, filenames or [], recursive, namespace, show_managed_fields, validate)
    except CommandError as e:
        err(e.message if e.message.startswith(("error:", "Error ")) else f"error: {e.message}")
        raise typer.Exit(e.exit_code + 1) from None
    except typer.Exit:
        raise
    except Exception as e:  # noqa: BLE001 - API errors: kubectl's CheckDiffErr adds one to the code
        render = getattr(e, "render", None)
        if not callable(render):
            raise
        err(render())
        raise typer.Exit(getattr(e, "exit_code", 1) + 1) from None
    raise typer.Exit(code)


def _run(ctx, filenames, recursive, namespace, show_managed_fields, validate) -> int:
    from kctl.api.errors import StatusError
    from kctl.cli.apply import apply_one
    from kctl.cli.files import check_namespace, display_file, load, validate_mode
    from kctl.cli.session import write_session

    loaded = load(filenames, recursive, validate_mode(validate))
    if loaded.failed:
        return 2
    live: dict[tuple, dict | None] = {}
    with write_session(ctx, dry_run=True) as s:
        api = s.api
        for m in loaded.manifests:
            rt = api.resource_type(m.obj)
            ns = check_namespace(m, namespace, rt.namespaced)
            name = (m.obj.get("metadata") or {}).get("name") or ""
            key = (rt.group_resource, ns if rt.namespaced else None, name)
            if key not in live:
                live[key] = api.try_get(rt, ns, name) if name else None
            try:
                apply_one(api, m, namespace, "none")
            except StatusError as e:
                if e.reason == "Invalid":
                    raise
                raise e.with_source("creating" if live[key] is None else "patching", display_file(m)) from None
        result = s.reconcile()
        for c in result.changes:
            key = (c.resource, c.namespace, c.name)
            if key not in live:
                live[key] = c.before
        when = api.clock.now()
        pairs = []
        for key, before in live.items():
            rt = _resource_type(key[0])
            after = api.try_get(rt, key[1], key[2])
            pairs.append((rt, key, before, after))
    files = [(_file_name(rt, key), _prepare(before, show_managed_fields), _prepare(after, show_managed_fields))
             for rt, key, before, after in pairs]
    masked = [(name, *mask_secret_pair(a, b)) for name, a, b in files]
    texts = sorted((name, _yaml(a), _yaml(b)) for name, a, b in masked)
    external = os.environ.get(EXTERNAL_DIFF_ENV)
    if external:
        return _external_diff(external, texts)
    output, changed = unified_directory_diff(texts, _dir_names(texts), when)
    if output:
        import sys

        sys.stdout.write(output)
    return 1 if changed else 0


def _resource_type(group_resource: str):
    from kctl.api import registry

    for rt in registry.RESOURCES:
        if rt.group_resource == group_resource:
            return rt
    raise CommandError(f'the server doesn\'t have a resource type "{group_resource}"')


def _file_name(rt, key: tuple) -> str:
    """InfoObject.Name(): ``[<group>.]<version>.<Kind>.<namespace>.<name>``."""
    group = f"{rt.group}." if rt.group else ""
    return f"{group}{rt.version}.{rt.kind}.{key[1] or ''}.{key[2]}"


def _prepare(obj: dict | None, show_managed_fields: bool) -> dict | None:
    if obj is None:
        return None
    from kctl.printers.serialize import strip_managed_fields

    return obj if show_managed_fields else strip_managed_fields(obj)


def _yaml(obj: dict | None) -> str:
    if obj is None:
        return ""
    from kctl.printers.serialize import to_yaml

    return to_yaml(obj)


def mask_secret_pair(live: dict | None, merged: dict | None) -> tuple[dict | None, dict | None]:
    """kubectl diff's Masker: Secret ``data`` values become ``***``, or ``*** (before)`` /
    ``*** (after)`` where the two sides differ."""
    if not _is_secret(live) and not _is_secret(merged):
        return live, merged
    from kctl.api.server.apiserver import deep_copy

    live, merged = deep_copy(live), deep_copy(merged)
    before = (live or {}).get("data") or {}
    after = (merged or {}).get("data") or {}
    for k in set(before) | set(after):
        if k in before and k in after and before[k] != after[k]:
            before[k], after[k] = "*** (before)", "*** (after)"
            continue
        if k in before:
            before[k] = "***"
        if k in after:
            after[k] = "***"
    return live, merged


def _is_secret(obj: dict | None) -> bool:
    return isinstance(obj, dict) and obj.get("kind") == "Secret" and obj.get("apiVersion") == "v1"


def _dir_names(texts) -> tuple[str, str]:
    """``LIVE-<n>`` / ``MERGED-<n>`` under the temp dir (os.MkdirTemp names them with a random
    number; kctl derives it from the content so that output is reproducible)."""
    import hashlib
    import tempfile

    digest = hashlib.sha256(repr(texts).encode()).hexdigest()
    base = tempfile.gettempdir()
    return (os.path.join(base, f"LIVE-{int(digest[:8], 16) % 10**9}"),
            os.path.join(base, f"MERGED-{int(digest[8:16], 16) % 10**9}"))


def unified_directory_diff(texts, dirs: tuple[str, str], when) -> tuple[str, bool]:
    """What ``diff -u -N LIVE MERGED`` prints for the files ``texts`` ((name, live, merged),
    sorted by name); an empty side is a missing file (timestamp of the epoch)."""
    import difflib

    stamp = when.strftime("%Y-%m-%d %H:%M:%S.000000000 +0000")
    chunks: list[str] = []
    changed = False
    for name, a, b in texts:
        if a == b:
            continue
        changed = True
        left, right = os.path.join(dirs[0], name), os.path.join(dirs[1], name)
        chunks.append(f"diff -u -N {left} {right}\n")
        lines = difflib.unified_diff(
            a.splitlines(keepends=True), b.splitlines(keepends=True),
            fromfile=left, tofile=right,
            fromfiledate=stamp if a else EPOCH, tofiledate=stamp if b else EPOCH, n=3,
        )
        for line in lines:
            if line.startswith(("---", "+++")):
                line = line.rstrip("\n").replace(f" {EPOCH}", f"\t{EPOCH}").replace(f" {stamp}", f"\t{stamp}") + "\n"
            chunks.append(line)
    return "".join(chunks), changed


def external_command(value: str) -> list[str]:
    """kubectl's DiffProgram: the first word is the program; later words are kept only when
    made of letters, digits, ``-`` and ``=``."""
    import re

    words = value.split()
    if not words:
        return ["diff", "-u", "-N"]
    flag = re.compile(r"^[a-zA-Z0-9-=]+$")
    return [words[0], *(w for w in words[1:] if flag.match(w))]


def _external_diff(value: str, texts) -> int:
    import shutil
    import subprocess
    import tempfile

    live_dir = tempfile.mkdtemp(prefix="LIVE-")
    merged_dir = tempfile.mkdtemp(prefix="MERGED-")
    try:
        for name, a, b in texts:
            if a:
                with open(os.path.join(live_dir, name), "w") as f:
                    f.write(a)
            if b:
                with open(os.path.join(merged_dir, name), "w") as f:
                    f.write(b)
        try:
            proc = subprocess.run([*external_command(value), live_dir, merged_dir], check=False)
        except OSError as e:
            err(f"error: failed to run \"{value.split()[0]}\": {e.strerror}")
            return 2
        return proc.returncode
    finally:
        shutil.rmtree(live_dir, ignore_errors=True)
        shutil.rmtree(merged_dir, ignore_errors=True)


__all__ = ["diff", "mask_secret_pair", "unified_directory_diff", "external_command"]
