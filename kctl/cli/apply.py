"""kctl apply: client-side apply (last-applied annotation, three-way merge), then the
control plane reconciles."""

from __future__ import annotations

import sys

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import dry_run_suffix, err, out, report_pass

DRY_RUN = ("none", "client", "server")
PRUNE_ALLOWLIST = (
    ("", "ConfigMap"), ("", "Endpoints"), ("", "Namespace"), ("", "PersistentVolumeClaim"), ("", "PersistentVolume"),
    ("", "Pod"), ("", "ReplicationController"), ("", "Secret"), ("", "Service"), ("batch", "Job"), ("batch", "CronJob"),
    ("networking.k8s.io", "Ingress"), ("apps", "DaemonSet"), ("apps", "Deployment"), ("apps", "ReplicaSet"),
    ("apps", "StatefulSet"),
)


def dry_run_mode(value: str | None) -> str:
    if value is None:
        return "none"
    if value == "":
        err("W: --dry-run is deprecated and can be replaced with --dry-run=client.")
        return "client"
    if value not in DRY_RUN:
        raise CommandError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')
    return value


def apply(
    ctx: typer.Context,
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files or folders to apply, or - for stdin."),
    recursive: bool = typer.Option(False, "--recursive", "-R", help="Process folders recursively."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace for objects that do not name one."),
    dry_run: str = typer.Option(None, "--dry-run", help="none, client or server: show what would happen, store nothing."),
    output: str = typer.Option(None, "--output", "-o", help="name, json or yaml."),
    prune: bool = typer.Option(False, "--prune", help="Delete previously applied objects not in this apply (needs -l)."),
    selector: str = typer.Option(None, "--selector", "-l", help="Label selector for --prune."),
    validate: str = typer.Option("strict", "--validate", help="strict, warn or ignore."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors (no control-plane report)."),
) -> None:
    """Apply a configuration to a resource by file name or stdin.

    Examples:
      # Apply the configuration in web.yaml
      kctl apply -f web.yaml

      # Apply every manifest under k8s/, and prune what was applied before but is gone
      kctl apply -R -f k8s/ --prune -l app=shop
    """
    from kctl.cli.files import load, validate_mode

    mode = dry_run_mode(dry_run)
    if output not in (None, "name", "json", "yaml"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", allowed formats are: json,name,yaml')
    if prune and not selector:
        raise CommandError("all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector")
    # The API server validates what it stores; --dry-run=client sends nothing, so the
    # documents' server-side rules run up front there (kctl.cli.files explains the split).
    loaded = load(filenames or [], recursive, validate_mode(validate), server_rules=mode == "client")
    if mode == "client":
        from kctl.cli.session import read_session

        with read_session(ctx) as s:
            failed = _apply_all(s, loaded, namespace, mode, output, prune, selector)
    else:
        from kctl.cli.session import write_session

        with write_session(ctx, dry_run=mode == "server") as s:
            failed = _apply_all(s, loaded, namespace, mode, output, prune, selector)
            s.reconcile()
            if not quiet:
                _ingress_warnings(s, loaded.accepted(), namespace)
        if mode == "none":
            report_pass(s.reconciled, quiet)
    if failed or loaded.failed:
        raise typer.Exit(1)


def _apply_all(s, loaded, namespace, mode, output, prune, selector) -> bool:
    from kctl.api.errors import StatusError
    from kctl.cli.files import InvalidDocument

    failed = False
    applied_objects = []
    visited = set()
    lookup = LiveLookup(s.api, len(loaded.manifests) >= LiveLookup.MANY)
    for m in loaded.manifests:
        try:
            obj, verb = apply_one(s.api, m, namespace, mode, loaded=loaded, lookup=lookup)
        except InvalidDocument as e:
            err(e.text)
            failed = True
            continue
        except StatusError as e:
            # A refused document: its own problems (lint's FILE:LINE:COL report) come first.
            err(loaded.document_error(m) or _with_file(e, m))
            failed = True
            continue
        except CommandError as e:
            err(loaded.document_error(m) or f"error: {e.message}")
            failed = True
            continue
        applied_objects.append(obj)
        visited.add(_identity(obj))
        if output is None:
            out(f"{_name(obj)} {verb}{dry_run_suffix(mode)}")
        elif output == "name":
            out(_name(obj))
    if prune:
        failed |= _prune(s, visited, applied_objects, namespace, selector, mode, output)
    if output in ("json", "yaml") and applied_objects:
        from kctl.printers.serialize import format_objects

        out(format_objects(applied_objects, output, single=len(applied_objects) == 1))
    return failed


class LiveLookup:
    """``try_get`` for the manifests of one apply. In a large apply, each partition (resource
    and namespace) has its names read once, so objects that do not exist yet (the usual
    case: a first apply) cost no query; names created by this apply are added."""

    MANY = 64  # manifests in a run from which reading a partition's names pays off

    def __init__(self, api, many: bool):
        self.api = api
        self.many = many
        self._names: dict[tuple, set] = {}

    def try_get(self, rt, namespace: str | None, name: str) -> dict | None:
        if self.many:
            key = (rt.group, rt.name, namespace or "")
            names = self._names.get(key)
            if names is None:
                names = self._names[key] = self.api.tx.names(*key)
            if name not in names:
                return None
        return self.api.try_get(rt, namespace, name)

    def created(self, rt, namespace: str | None, name: str) -> None:
        names = self._names.get((rt.group, rt.name, namespace or ""))
        if names is not None:
            names.add(name)


def apply_one(api, m, request_ns: str | None, mode: str, *, loaded=None, lookup=None) -> tuple[dict, str]:
    """Create the object or patch the live one; returns (object, kubectl's verb).

    ``loaded`` (``kctl.cli.files.Loaded``): when it left ``m``'s server-side rules to the
    API server, they run here before a patch (the server validates the merged object, not
    the document) and raise ``InvalidDocument``; a create is validated by the server.
    ``lookup``: a ``LiveLookup`` shared by the manifests of one run."""
    from kctl.api.merge import LAST_APPLIED_CONFIG_ANNOTATION, client_side_apply
    from kctl.cli.files import check_namespace

    rt = api.resource_type(m.obj)
    ns = check_namespace(m, request_ns, rt.namespaced)
    name = (m.obj.get("metadata") or {}).get("name")
    if not name:
        raise CommandError("resource name may not be empty")
    live = (lookup or api).try_get(rt, ns, name)
    if live is not None and loaded is not None:
        loaded.require_valid(m)
    outcome = client_side_apply(m.obj, live, namespace=ns, namespaced=rt.namespaced)
    if live is None:
        obj = outcome.result
        if mode != "client":
            # outcome.result is a fresh document (decoded from the annotation's JSON):
            # the server may default and store it instead of a copy.
            obj = api.create(obj, dry_run=False, namespace=ns, copy=False)
            if lookup is not None:
                lookup.created(rt, ns, name)
        return obj, "created"
    if outcome.missing_last_applied:
        err(f"Warning: resource {rt.name}/{name} is missing the {LAST_APPLIED_CONFIG_ANNOTATION} annotation which is "
            "required by kctl apply. kctl apply should only be used on resources created declaratively by either "
            "kctl create --save-config or kctl apply. The missing annotation will be patched automatically.")
    if outcome.operation == "unchanged":
        return live, "unchanged"
    obj = outcome.result
    if mode != "client":
        obj = api.update(obj)
    return obj, "configured"


def _prune(s, visited, applied, namespace, selector, mode, output) -> bool:
    """Delete objects with the last-applied annotation, matching the selector, of the
    prunable kinds, in the namespaces this apply touched, that it did not apply."""
    from kctl.api import registry
    from kctl.api.labels import parse
    from kctl.api.merge import LAST_APPLIED_CONFIG_ANNOTATION

    sel = parse(selector)
    namespaces = {(o.get("metadata") or {}).get("namespace") for o in applied} - {None}
    if namespace:
        namespaces.add(namespace)
    for group, kind in PRUNE_ALLOWLIST:
        rt = registry.for_group_kind(group, kind)
        scopes = sorted(namespaces) if rt.namespaced else [None]
        for ns in scopes:
            for obj in s.api.list(rt, ns):
                meta = obj.get("metadata") or {}
                if _identity(obj) in visited or LAST_APPLIED_CONFIG_ANNOTATION not in (meta.get("annotations") or {}):
                    continue
                if not sel.matches(meta.get("labels") or {}):
                    continue
                if mode != "client":
                    s.api.delete(rt, meta.get("namespace"), meta["name"])
                out(_name(obj) if output == "name" else f"{_name(obj)} pruned{dry_run_suffix(mode)}")
    return False


def _ingress_warnings(s, manifests, namespace) -> None:
    """Problems of the applied Ingresses (TLS Secrets, backends, endpoints), as warnings."""
    from kctl.networking.ingress import apply_warnings

    for line in apply_warnings(s.api, [m.obj for m in manifests], namespace, s.now):
        err(f"Warning: {line}")


def _identity(obj: dict) -> tuple:
    meta = obj.get("metadata") or {}
    return (obj.get("apiVersion"), obj.get("kind"), meta.get("namespace"), meta.get("name"))


def _name(obj: dict) -> str:
    from kctl.printers.serialize import resource_name

    return resource_name(obj)



def _with_file(e, m) -> str:
    """kubectl adds `error when creating "FILE": ` to server errors (not to Invalid)."""
    from kctl.cli.files import display_file

    text = e.render()
    if e.reason == "Invalid" or "error when" in text:
        return text
    prefix = f"Error from server ({e.reason}): " if e.reason else "Error from server: "
    if text.startswith(prefix):
        return f'{prefix}error when creating "{display_file(m)}": {text[len(prefix):]}'
    return text


__all__ = ["apply", "apply_one", "dry_run_mode", "sys"]
