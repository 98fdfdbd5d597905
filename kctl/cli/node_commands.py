"""kctl cordon / uncordon / drain / taint: kubectl's node maintenance commands
(k8s.io/kubectl/pkg/cmd/drain, pkg/drain, pkg/cmd/taint).

``drain`` cordons the node, then evicts its pods after kubectl's filters (in upstream order:
DaemonSet-managed, mirror pods, local storage, unreplicated), with kubectl's warnings and
errors; the control plane then re-creates the evicted pods elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import DryRun, NodeSelector, Quiet
from kctl.cli.output import dry_run_suffix, err, exit_on_errors, out

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")



def _nodes(api, names: list[str], selector: str | None, verb: str = "cordon") -> tuple[list[dict], list[str]]:
    from kctl.cli.targets import find_targets, not_found_text

    if names and selector:
        raise CommandError("error: cannot specify both a node name and a --selector option")
    if not names and not selector:
        raise CommandError(f"USAGE: {verb} NODE [flags]\nSee 'kctl {verb} -h' for help and examples")
    targets = find_targets(api, ["nodes", *names], namespace=None, selector=selector) if names or selector else []
    errors = []
    found = []
    for t in targets:
        if t.obj is None:
            errors.append(not_found_text(t.rt, t.name))
        else:
            found.append(t.obj)
    return found, errors


def cordon_nodes(api, nodes: list[dict], desired: bool, mode: str) -> list[dict]:
    """RunCordonOrUncordon: print cordoned / already cordoned (or un-); returns the nodes."""
    from kctl.api.server.apiserver import deep_copy

    verb = "cordon" if desired else "uncordon"
    out_nodes = []
    for node in nodes:
        name = node["metadata"]["name"]
        current = bool((node.get("spec") or {}).get("unschedulable"))
        if current == desired:
            out(f"node/{name} already {verb}ed")
            out_nodes.append(node)
            continue
        updated = deep_copy(node)
        if desired:
            updated.setdefault("spec", {})["unschedulable"] = True
        else:
            updated.setdefault("spec", {}).pop("unschedulable", None)
        if mode != "client":
            updated = api.update(updated, dry_run=mode == "server")
        out(f"node/{name} {verb}ed{dry_run_suffix(mode)}")
        out_nodes.append(updated)
    return out_nodes


def _cordon_verb(desired: bool, doc: str):
    """``kctl cordon`` (``desired``: unschedulable) or ``kctl uncordon``: the same flags and flow."""
    verb = "cordon" if desired else "uncordon"

    def command(
        ctx: typer.Context,
        node: list[str] = typer.Argument(None, metavar="NODE"),
        selector: NodeSelector = None,
        dry_run: DryRun = None,
        quiet: Quiet = False,
    ) -> None:
        from kctl.cli.apply import dry_run_mode
        from kctl.cli.dry_run import dry_run_session

        mode = dry_run_mode(dry_run)
        with dry_run_session(ctx, mode, quiet) as s:
            nodes, errors = _nodes(s.api, node or [], selector, verb)
            cordon_nodes(s.api, nodes, desired, mode)
        exit_on_errors(errors)

    command.__name__ = command.__qualname__ = verb
    command.__doc__ = doc
    return command


cordon = _cordon_verb(True, """Mark node as unschedulable.

    Examples:
      kctl cordon node-1
    """)

uncordon = _cordon_verb(False, """Mark node as schedulable.

    Examples:
      kctl uncordon node-1
    """)


# -- drain ------------------------------------------------------------------------------------


@dataclass
class PodDelete:
    pod: dict
    delete: bool
    reason: str  # Okay | Skip | Warning | Error
    message: str = ""


def _controller_of(pod: dict) -> dict | None:
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def _finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def pod_delete_status(pod: dict, api, *, force: bool, ignore_daemonsets: bool, delete_emptydir_data: bool) -> PodDelete:
    """The drain filters, in upstream order; the first that says "do not delete" wins."""

    def daemonset_filter() -> PodDelete:
        ref = _controller_of(pod)
        if ref is None or ref.get("kind") != "DaemonSet" or _finished(pod):
            return PodDelete(pod, True, "Okay")
        ns = pod["metadata"].get("namespace")
        if api.try_get("daemonsets.apps", ns, ref.get("name", "")) is None:
            message = f'daemonsets.apps "{ref.get("name", "")}" not found'
            if force:
                return PodDelete(pod, True, "Warning", message)
            return PodDelete(pod, False, "Error", message)
        if not ignore_daemonsets:
            return PodDelete(pod, False, "Error", DAEMONSET_FATAL)
        return PodDelete(pod, False, "Warning", DAEMONSET_WARNING)

    def mirror_filter() -> PodDelete:
        if MIRROR_POD_ANNOTATION in ((pod.get("metadata") or {}).get("annotations") or {}):
            return PodDelete(pod, False, "Skip")
        return PodDelete(pod, True, "Okay")

    def local_storage_filter() -> PodDelete:
        if not any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or []) or _finished(pod):
            return PodDelete(pod, True, "Okay")
        if not delete_emptydir_data:
            return PodDelete(pod, False, "Error", LOCAL_STORAGE_FATAL)
        return PodDelete(pod, True, "Warning", LOCAL_STORAGE_WARNING)

    def unreplicated_filter() -> PodDelete:
        if _finished(pod) or _controller_of(pod) is not None:
            return PodDelete(pod, True, "Okay")
        if force:
            return PodDelete(pod, True, "Warning", UNMANAGED_WARNING)
        return PodDelete(pod, False, "Error", UNMANAGED_FATAL)

    status = PodDelete(pod, True, "Okay")
    for f in (daemonset_filter, mirror_filter, local_storage_filter, unreplicated_filter):
        status = f()
        if not status.delete:
            break
    return status


def _pod_ref(pod: dict) -> str:
    meta = pod.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def _group_messages(items: list[PodDelete], reason: str) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for i in items:
        if i.reason == reason:
            grouped.setdefault(i.message or "unexpected error", []).append(_pod_ref(i.pod))
    return list(grouped.items())


def deletion_errors(items: list[PodDelete]) -> list[str]:
    """PodDeleteList.errors(): one error per message, naming its pods."""
    out_errors = []
    for message, pods in _group_messages(items, "Error"):
        prefix = message if message.lower().startswith("cannot delete") else f"cannot delete {message}"
        out_errors.append(f"{prefix}: {', '.join(pods)}")
    return out_errors


def deletion_warnings(items: list[PodDelete]) -> str:
    return "; ".join(f"{message}: {', '.join(pods)}" for message, pods in _group_messages(items, "Warning"))


def drain(
    ctx: typer.Context,
    node: list[str] = typer.Argument(None, metavar="NODE"),
    force: bool = typer.Option(False, "--force", help="Also delete pods that no controller manages."),
    ignore_daemonsets: bool = typer.Option(False, "--ignore-daemonsets", help="Leave DaemonSet-managed pods alone."),
    delete_emptydir_data: bool = typer.Option(False, "--delete-emptydir-data", help="Delete pods with emptyDir volumes."),
    grace_period: int = typer.Option(-1, "--grace-period", help="Seconds each pod gets to stop (-1: its own)."),
    disable_eviction: bool = typer.Option(False, "--disable-eviction", help="Delete pods instead of evicting them."),
    pod_selector: str = typer.Option(None, "--pod-selector", help="Only drain pods matching this label selector."),
    selector: NodeSelector = None,
    dry_run: DryRun = None,
    quiet: Quiet = False,
) -> None:
    """Drain node in preparation for maintenance.

    The node is cordoned, then its pods are evicted, except mirror pods. Pods managed by a
    DaemonSet stop the drain unless --ignore-daemonsets; pods with emptyDir volumes need
    --delete-emptydir-data; pods no controller manages need --force. The control plane
    then re-creates evicted pods on other nodes.

    Examples:
      kctl drain node-1 --ignore-daemonsets --delete-emptydir-data
    """
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.targets import _label_selector

    mode = dry_run_mode(dry_run)
    del grace_period  # deletions are immediate in kctl
    pods_sel = None
    if pod_selector:
        try:
            pods_sel = _label_selector(pod_selector)
        except CommandError:
            raise CommandError("--pod-selector=<pod_selector> must be a valid label selector") from None
    failure: list[str] = []
    with dry_run_session(ctx, mode, quiet) as s:
        nodes, errors = _nodes(s.api, node or [], selector, "drain")
        exit_on_errors(errors)
        cordon_nodes(s.api, nodes, True, mode)
        drained: list[str] = []
        names = [n["metadata"]["name"] for n in nodes]
        for name in names:
            pods = [p for p in s.api.list("pods", None) if (p.get("spec") or {}).get("nodeName") == name]
            if pods_sel is not None:
                pods = [p for p in pods if pods_sel.matches((p.get("metadata") or {}).get("labels") or {})]
            items = [pod_delete_status(p, s.api, force=force, ignore_daemonsets=ignore_daemonsets,
                                       delete_emptydir_data=delete_emptydir_data) for p in pods]
            problems = deletion_errors(items)
            if problems:
                err(f'error: unable to drain node "{name}", aborting command...\n\n')
                pending = [n for n in names if n not in drained]
                err("There are pending nodes to be drained:\n" + "".join(f" {n}\n" for n in pending))
                failure = problems
                break
            warnings = deletion_warnings(items)
            if warnings:
                err(f"WARNING: {warnings}")
            victims = [i.pod for i in items if i.delete]
            _evict(s, victims, mode, disable_eviction)
            drained.append(name)
            out(f"node/{name} drained{dry_run_suffix(mode)}")
    if failure:
        err(f"error: {failure[0]}" if len(failure) == 1 else "\n".join(failure))
        raise typer.Exit(1)


def _evict(s, pods: list[dict], mode: str, disable_eviction: bool) -> None:
    """evictPods / deletePods: the "evicting pod" lines, then each pod's "evicted" once gone."""
    verb = "deleted" if disable_eviction else "evicted"
    if mode == "client":
        for p in pods:
            out(f"evicting pod {_pod_ref(p)} (dry run)" if not disable_eviction else f"pod/{p['metadata']['name']} deleted (dry run)")
        return
    gone = []
    for p in pods:
        if not disable_eviction:
            out(f"evicting pod {_pod_ref(p)}" + (" (server dry run)" if mode == "server" else ""))
        meta = p["metadata"]
        try:
            s.api.delete("pods", meta.get("namespace"), meta["name"], dry_run=mode == "server")
        except Exception as e:  # noqa: BLE001 - an API error for one pod
            render = getattr(e, "render", None)
            if not callable(render) or getattr(e, "reason", "") != "NotFound":
                raise
        gone.append(p)
    if mode == "none":
        for p in gone:
            out(f"pod/{p['metadata']['name']} {verb}")


# -- taint ------------------------------------------------------------------------------------


def _taint_string(t: dict) -> str:
    """Taint.ToString()."""
    if not t.get("effect"):
        return f"{t['key']}={t['value']}" if t.get("value") else t["key"]
    if t.get("value"):
        return f"{t['key']}={t['value']}:{t['effect']}"
    return f"{t['key']}:{t['effect']}"


def parse_taint(spec: str) -> dict:
    """parseTaint: ``key=value:Effect``, ``key:Effect`` or ``key``."""
    from kctl.api.labels import is_qualified_name, is_valid_label_value

    parts = spec.split(":")
    value = ""
    effect = ""
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        if effect not in TAINT_EFFECTS:
            raise CommandError(f"invalid taint effect: {effect}, unsupported taint effect")
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise CommandError(f"invalid taint spec: {spec}")
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            problems = is_valid_label_value(value)
            if problems:
                raise CommandError(f"invalid taint spec: {spec}, {'; '.join(problems)}")
    else:
        raise CommandError(f"invalid taint spec: {spec}")
    problems = is_qualified_name(key)
    if problems:
        raise CommandError(f"invalid taint spec: {spec}, {'; '.join(problems)}")
    taint = {"key": key}
    if value:
        taint["value"] = value
    if effect:
        taint["effect"] = effect
    return taint


def parse_taints(specs: list[str]) -> tuple[list[dict], list[dict]]:
    add: list[dict] = []
    remove: list[dict] = []
    for spec in specs:
        if spec.endswith("-"):
            t = parse_taint(spec[:-1])
            remove.append({k: v for k, v in t.items() if k != "value"})
            continue
        t = parse_taint(spec)
        if not t.get("effect"):
            raise CommandError(f"invalid taint spec: {spec}")
        if any(o["key"] == t["key"] and o.get("effect") == t.get("effect") for o in add):
            raise CommandError(f"duplicated taints with the same key and effect: {_go_taint(t)}")
        add.append(t)
    return add, remove


def _go_taint(t: dict) -> str:
    return f"{{{t['key']} {t.get('value', '')} {t.get('effect', '')} <nil>}}"


def reorganize_taints(old: list[dict], overwrite: bool, to_add: list[dict], to_remove: list[dict]) -> tuple[str, list[dict], list[str]]:
    """reorganizeTaints: (operation, new taints, errors)."""
    new = [dict(t) for t in to_add]
    for o in old:
        if not any(t["key"] == o["key"] and t.get("effect") == o.get("effect") for t in new):
            new.append(o)
    added = len(old) != len(new)
    errors = []
    removed = False
    for r in to_remove:
        before = len(new)
        if r.get("effect"):
            new = [t for t in new if not (t["key"] == r["key"] and t.get("effect") == r["effect"])]
        else:
            new = [t for t in new if t["key"] != r["key"]]
        removed = len(new) != before
        if not removed:
            errors.append(f'taint "{_taint_string(r)}" not found')
    if (added and removed) or overwrite:
        return "modified", new, errors
    if added:
        return "tainted", new, errors
    return "untainted", new, errors


def taint(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N"),
    overwrite: bool = typer.Option(False, "--overwrite", help="Allow taints to be overwritten."),
    selector: NodeSelector = None,
    all_: bool = typer.Option(False, "--all", help="Every node."),
    dry_run: DryRun = None,
    quiet: Quiet = False,
) -> None:
    """Update the taints on one or more nodes.

    A taint is key=value:effect (the value may be empty); effect is NoSchedule,
    PreferNoSchedule or NoExecute. key:effect- removes one taint, key- all taints with
    that key.

    Examples:
      kctl taint nodes node-1 dedicated=special-user:NoSchedule
      kctl taint nodes node-1 dedicated:NoSchedule-
    """
    from kctl.api.errors import StatusError
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.targets import find_targets, not_found_text

    mode = dry_run_mode(dry_run)
    resources, specs = _taint_args(args or [])
    if not resources:
        raise CommandError("at least one resource name must be specified since 'all' parameter is not set")
    if not specs:
        raise CommandError("at least one taint update is required")
    to_add, to_remove = parse_taints(specs)
    if any(a["key"] == r["key"] and (not r.get("effect") or a.get("effect") == r.get("effect")) for a in to_add for r in to_remove):
        raise CommandError("can not both modify and remove the following taint(s) in the same command: "
                           + ", ".join(_taint_string(r) for r in to_remove))
    errors: list[str] = []
    with dry_run_session(ctx, mode, quiet) as s:
        targets = find_targets(s.api, resources, namespace=None, selector=selector, all_=all_)
        for t in targets:
            if t.rt.group_resource != "nodes":
                raise CommandError(f'invalid resource type {t.rt.name}, only "nodes" is supported')
            if t.obj is None:
                errors.append(not_found_text(t.rt, t.name))
                continue
            node = deep_copy(t.obj)
            old = list((node.get("spec") or {}).get("taints") or [])
            if not overwrite:
                exists = [a["key"] for a in to_add for o in old if a["key"] == o["key"] and a.get("effect") == o.get("effect")]
                if exists:
                    errors.append(f"error: node {t.name} already has {','.join(exists)} taint(s) with same effect(s) "
                                  "and --overwrite is false")
                    continue
            operation, new, problems = reorganize_taints(old, overwrite, to_add, to_remove)
            if problems:
                errors.extend(f"error: {p}" for p in problems)
                continue
            spec = node.setdefault("spec", {})
            if new:
                spec["taints"] = new
            else:
                spec.pop("taints", None)
            if mode != "client":
                try:
                    s.api.update(node, dry_run=mode == "server")
                except StatusError as e:
                    errors.append(e.render())
                    continue
            out(f"node/{t.name} {operation}{dry_run_suffix(mode)}")
    exit_on_errors(errors)


def _taint_args(args: list[str]) -> tuple[list[str], list[str]]:
    """taint's argument split: resources first, then specs (anything with ``=`` or ``:``, or
    ending in ``-``)."""
    resources: list[str] = []
    specs: list[str] = []
    for a in args:
        if "=" in a or ":" in a or (a.endswith("-") and resources):
            specs.append(a)
        elif specs:
            raise CommandError(f"all resources must be specified before taint changes: {a}")
        else:
            resources.append(a)
    return resources, specs


__all__ = ["cordon", "uncordon", "drain", "taint", "pod_delete_status", "deletion_errors", "deletion_warnings",
           "parse_taint", "parse_taints", "reorganize_taints"]
