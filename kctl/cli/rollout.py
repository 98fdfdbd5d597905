"""kctl rollout: kubectl's ``rollout status|history|undo|restart|pause|resume``
(``kubectl/pkg/cmd/rollout`` over ``polymorphichelpers``).

Deployments use the pure helpers of :mod:`kctl.controllers.deployment.rollback`; DaemonSets
and StatefulSets read their ControllerRevisions (history, undo) and status fields.

``rollout status`` on a simulated cluster: a write command already ran the control plane to
a fixed point, and nothing changes while kctl waits (the cluster clock only moves when a
command moves it). So ``status`` prints the line kubectl would print for the current state,
once. Complete -> exit 0. Not complete with ``--watch=false`` -> exit 0 (kubectl's single
print). Not complete while watching -> exit 1 with ``error: timed out waiting for the
condition`` when ``--timeout`` is set (what kubectl reports once it gives up), otherwise an
error saying that the rollout cannot progress while kctl waits (kubectl would block forever).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import DryRun, Namespace, ObjectNamespace, Quiet, Recursive, Selector, WriteOutput
from kctl.cli.output import dry_run_suffix, err, out, report_pass

RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"

DEPLOYMENTS = "deployments.apps"
DAEMON_SETS = "daemonsets.apps"
STATEFUL_SETS = "statefulsets.apps"

WATCH_STALLED = ("the rollout is not complete and cannot progress while kctl watches (the simulated "
                 "cluster only changes when a command runs); use --watch=false to print the status once")
TIMED_OUT = "timed out waiting for the condition"

rollout_app = typer.Typer(
    help="Manage the rollout of one or many resources.\n\nValid resource types include: deployments, daemonsets, "
    "statefulsets.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@rollout_app.callback()
def rollout(ctx: typer.Context) -> None:
    """Manage the rollout of one or many resources (``kctl rollout`` alone prints this help)."""
    if ctx.invoked_subcommand is None:
        out(ctx.get_help())

_ARGS = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME)")
Filenames = Annotated[list[str], typer.Option("--filename", "-f", help="Files identifying the resources.")]


class _Failed(Exception):
    """One object's failure; the command goes on with the others and exits 1."""


# -- status ------------------------------------------------------------------------------------


@rollout_app.command("status", context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                                  "help_option_names": ["-h", "--help"]})
def status(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(TYPE NAME | TYPE/NAME) [--watch=true|false]"),
    filenames: Filenames = None,
    recursive: Recursive = False,
    namespace: ObjectNamespace = None,
    selector: Selector = None,
    revision: int = typer.Option(0, "--revision", help="Pin to a specific revision (0: the latest)."),
    timeout: str = typer.Option("0s", "--timeout", help="How long to watch before giving up (0: never)."),
) -> None:
    """Show the status of the rollout.

    Prints the status line kubectl prints for the object's current state. The simulated
    cluster does not move while kctl waits: an unfinished rollout with -w/--watch (the
    default, --watch=true) exits 1; with --watch=false it prints once and exits 0.

    Examples:
      # The rollout status of a deployment
      kctl rollout status deployment/web

      # Print once, without waiting
      kctl rollout status deployment/web --watch=false
    """
    args, watch = pop_bool_flag(list(args or []), "--watch", "-w", default=True)
    _require_resources(args, filenames)
    if revision < 0:
        raise CommandError(f"revision must be a positive integer: {revision}")
    seconds = parse_duration(timeout)
    from kctl.cli.session import read_session

    with read_session(ctx) as s:
        targets = _targets(s, args, filenames, recursive, namespace, selector)
        missing = [t for t in targets if t.obj is None]
        if missing:
            raise CommandError(_not_found(missing[0]))
        if len(targets) != 1:
            raise CommandError("rollout status is only supported on individual resources and resource collections - "
                               f"{len(targets)} resources were found")
        t = targets[0]
        message, done = status_line(t.rt, t.obj, revision)
    out(message)
    if done or not watch:
        return
    raise CommandError(TIMED_OUT if seconds > 0 else WATCH_STALLED)


def status_line(rt, obj: dict, revision: int = 0) -> tuple[str, bool]:
    """``StatusViewer.Status`` for the object's kind: (message, done); CommandError on failure."""
    from kctl.controllers.deployment.rollback import RolloutStatusError, rollout_status

    if rt.group_resource == DEPLOYMENTS:
        try:
            return rollout_status(obj, revision)
        except RolloutStatusError as e:
            raise CommandError(str(e)) from None
    if rt.group_resource == DAEMON_SETS:
        return daemon_set_status(obj)
    if rt.group_resource == STATEFUL_SETS:
        return stateful_set_status(obj)
    raise CommandError(f"no status viewer has been implemented for {_group_kind(rt)}")


def daemon_set_status(ds: dict) -> tuple[str, bool]:
    """``DaemonSetStatusViewer.Status`` (the revision is ignored, as upstream)."""
    spec, st = ds.get("spec") or {}, ds.get("status") or {}
    name = (ds.get("metadata") or {}).get("name", "")
    if ((spec.get("updateStrategy") or {}).get("type") or "RollingUpdate") != "RollingUpdate":
        raise CommandError("rollout status is only available for RollingUpdate strategy type")
    generation = int((ds.get("metadata") or {}).get("generation") or 0)
    if generation <= int(st.get("observedGeneration") or 0):
        desired = int(st.get("desiredNumberScheduled") or 0)
        updated = int(st.get("updatedNumberScheduled") or 0)
        available = int(st.get("numberAvailable") or 0)
        if updated < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} '
                    "new pods have been updated...\n", False)
        if available < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} '
                    "updated pods are available...\n", False)
        return f'daemon set "{name}" successfully rolled out\n', True
    return "Waiting for daemon set spec update to be observed...\n", False


def stateful_set_status(sts: dict) -> tuple[str, bool]:
    """``StatefulSetStatusViewer.Status``: a defaulted RollingUpdate strategy has a partition
    (0), so a finished rollout reads ``partitioned roll out complete``, as on a real cluster."""
    spec, st = sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        raise CommandError("rollout status is only available for RollingUpdate strategy type")
    generation = int((sts.get("metadata") or {}).get("generation") or 0)
    observed = int(st.get("observedGeneration") or 0)
    if observed == 0 or generation > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = spec.get("replicas", 1)
    ready = int(st.get("readyReplicas") or 0)
    updated = int(st.get("updatedReplicas") or 0)
    if replicas is not None and ready < int(replicas):
        return f"Waiting for {int(replicas) - ready} pods to be ready...\n", False
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if replicas is not None and partition is not None and updated < int(replicas) - int(partition):
            return ("Waiting for partitioned roll out to finish: "
                    f"{updated} out of {int(replicas) - int(partition)} new pods have been updated...\n", False)
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if st.get("updateRevision") != st.get("currentRevision"):
        return ("waiting for statefulset rolling update to complete "
                f"{updated} pods at revision {st.get('updateRevision', '')}...\n", False)
    return (f"statefulset rolling update complete {int(st.get('currentReplicas') or 0)} pods at revision "
            f"{st.get('currentRevision', '')}...\n", True)


# -- history -----------------------------------------------------------------------------------


@rollout_app.command("history")
def history(
    ctx: typer.Context,
    args: list[str] = _ARGS,
    filenames: Filenames = None,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    revision: int = typer.Option(0, "--revision", help="Show the details, including the pod template, of this revision."),
) -> None:
    """View rollout history.

    Examples:
      # The revisions of a deployment
      kctl rollout history deployment/web

      # The pod template of revision 3
      kctl rollout history deployment/web --revision=3
    """
    _require_resources(args, filenames)
    if revision < 0:
        raise CommandError(f"revision must be a positive integer: {revision}")
    from kctl.cli.session import read_session

    errors: list[str] = []
    with read_session(ctx) as s:
        for t in _targets(s, args, filenames, recursive, namespace, selector):
            if t.obj is None:
                errors.append(_not_found(t))
                continue
            try:
                body = view_history(s, t.rt, t.obj, revision)
            except _Failed as e:
                errors.append(str(e))
                continue
            with_revision = f"with revision #{revision}" if revision > 0 else ""
            sys.stdout.write(f"{_name(t.obj)} {with_revision}\n{body}\n")
    _finish(errors)


def view_history(s, rt, obj: dict, revision: int) -> str:
    """``HistoryViewer.ViewHistory``: the revision table, or one revision's pod template."""
    from kctl.controllers.deployment import rollback as rb

    if rt.group_resource == DEPLOYMENTS:
        revisions = {r.revision: r.template for r in rb.history(obj, _replica_sets(s, obj))}
        if not revisions:
            return "No rollout history found."
        if revision > 0:
            if revision not in revisions:
                raise _Failed("error: unable to find the specified revision")
            return print_template(revisions[revision], s.now)
        return rb.format_history(rb.history(obj, _replica_sets(s, obj)))
    if rt.group_resource in (DAEMON_SETS, STATEFUL_SETS):
        from kctl.controllers.workloads.history import template_of

        by_revision = {int(r.get("revision") or 0): r for r in _controller_revisions(s, obj)}
        if not by_revision:
            return "No rollout history found."
        if revision > 0:
            if revision not in by_revision:
                raise _Failed("error: unable to find the specified revision")
            return print_template(template_of(by_revision[revision]), s.now)
        rows = [rb.Revision(v, ((by_revision[v].get("metadata") or {}).get("annotations") or {}).get(
            "kubernetes.io/change-cause", ""), {}) for v in sorted(by_revision)]
        return rb.format_history(rows)
    raise _Failed(f'error: no history viewer has been implemented for "{_group_kind(rt)}"')


def print_template(template: dict, now) -> str:
    """kubectl's ``printTemplate``: describe's ``Pod Template:`` block."""
    from kctl.printers.describe.containers import describe_pod_template
    from kctl.printers.describe.tabwriter import PrefixWriter

    w = PrefixWriter()
    describe_pod_template(template, w, now)
    return w.render()


# -- undo --------------------------------------------------------------------------------------


@rollout_app.command("undo")
def undo(
    ctx: typer.Context,
    args: list[str] = _ARGS,
    filenames: Filenames = None,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    to_revision: int = typer.Option(0, "--to-revision", help="The revision to roll back to (0: the previous one)."),
    dry_run: DryRun = None,
    quiet: Quiet = False,
) -> None:
    """Roll back to a previous rollout.

    Examples:
      # Roll back to the previous deployment
      kctl rollout undo deployment/web

      # Roll back to revision 3
      kctl rollout undo deployment/web --to-revision=3

      # Show the template it would roll back to, changing nothing
      kctl rollout undo deployment/web --dry-run=client
    """
    from kctl.cli.apply import dry_run_mode

    _require_resources(args, filenames)
    mode = dry_run_mode(dry_run)
    suffix = dry_run_suffix(mode)

    def run(s) -> list[str]:
        errors: list[str] = []
        for t in _targets(s, args, filenames, recursive, namespace, selector):
            if t.obj is None:
                errors.append(_not_found(t))
                continue
            try:
                message = rollback_one(s, t.rt, t.obj, to_revision, mode)
            except _Failed as e:
                errors.append(str(e))
                continue
            out(f"{_name(t.obj)} {message}{suffix}")
        return errors

    errors = _run_write(ctx, mode, quiet, run)
    _finish(errors)


def rollback_one(s, rt, obj: dict, to_revision: int, mode: str) -> str:
    """``Rollbacker.Rollback``: the message kubectl prints after the object's name."""
    from kctl.api.server.apiserver import deep_copy

    if rt.group_resource == DEPLOYMENTS:
        from kctl.controllers.deployment import rollback as rb
        from kctl.controllers.deployment import util as u

        rss = _replica_sets(s, obj)
        try:
            if mode == "client":
                return print_template(u.template(rb.deployment_revision(obj, rss, to_revision)), s.now)
            result = rb.rollback(obj, rss, to_revision)
        except rb.RollbackError as e:
            raise _Failed(f"error: {_qualify_paused(e, obj)}") from None
        if not result.changed:
            return result.message
        new = deep_copy(obj)
        new.setdefault("spec", {})["template"] = result.template
        new.setdefault("metadata", {})["annotations"] = result.annotations
        _update(s, new, mode, f"failed restoring revision {to_revision}: ")
        return result.message
    if rt.group_resource in (DAEMON_SETS, STATEFUL_SETS):
        from kctl.controllers.workloads.history import template_of, template_patch

        if to_revision < 0:
            raise _Failed(f"error: unable to find specified revision {to_revision} in history")
        revisions = sorted(_controller_revisions(s, obj), key=lambda r: int(r.get("revision") or 0))
        if to_revision == 0 and len(revisions) <= 1:
            raise _Failed("error: no last revision to roll back to")
        if to_revision == 0:
            target = revisions[-2]
        else:
            target = next((r for r in revisions if int(r.get("revision") or 0) == to_revision), None)
            if target is None:
                raise _Failed(f"error: unable to find specified revision {to_revision} in history")
        if mode == "client":
            return f"will roll back to {print_template(template_of(target), s.now)}"
        if template_patch((obj.get("spec") or {}).get("template") or {}) == target.get("data"):
            return f"skipped rollback (current template already matches revision {to_revision})"
        new = deep_copy(obj)
        new.setdefault("spec", {})["template"] = template_of(target)
        _update(s, new, mode, f"failed restoring revision {to_revision}: ")
        return "rolled back"
    raise _Failed(f'error: no rollbacker has been implemented for "{_group_kind(rt)}"')


def _qualify_paused(e: Exception, obj: dict) -> str:
    """kubectl names the deployment in its paused-rollback hint (``rollout resume deployment/<name>``)."""
    text = str(e)
    name = (obj.get("metadata") or {}).get("name", "")
    return text.replace("'kubectl rollout resume' and", f"'kubectl rollout resume deployment/{name}' and")


# -- restart, pause, resume --------------------------------------------------------------------


def _restart_patch(rt, obj: dict, now: str) -> dict:
    """``defaultObjectRestarter``."""
    if rt.group_resource not in (DEPLOYMENTS, DAEMON_SETS, STATEFUL_SETS):
        raise _Failed("restarting is not supported")
    spec = obj.setdefault("spec", {})
    if rt.group_resource == DEPLOYMENTS and spec.get("paused"):
        raise _Failed("can't restart paused deployment (run rollout resume first)")
    meta = spec.setdefault("template", {}).setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), RESTARTED_AT_ANNOTATION: now}
    return obj


def _pause_patch(rt, obj: dict, now: str) -> dict:
    """``defaultObjectPauser``."""
    if rt.group_resource != DEPLOYMENTS:
        raise _Failed("pausing is not supported")
    spec = obj.setdefault("spec", {})
    if spec.get("paused"):
        raise _Failed("is already paused")
    spec["paused"] = True
    return obj


def _resume_patch(rt, obj: dict, now: str) -> dict:
    """``defaultObjectResumer``."""
    if rt.group_resource != DEPLOYMENTS:
        raise _Failed("resuming is not supported")
    spec = obj.setdefault("spec", {})
    if not spec.get("paused"):
        raise _Failed("is not paused")
    spec["paused"] = False
    return obj


def _edit_command(ctx, args, filenames, recursive, namespace, selector, output, quiet, patch_fn, verb) -> None:
    """pause/resume/restart: ``set.CalculatePatches`` then a patch per object, errors aggregated
    as ``error: <resource>.<group> "<name>" <reason>``."""
    _require_resources(args, filenames)
    if output not in (None, "name", "json", "yaml"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", '
                           "allowed formats are: json,name,yaml")
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.results import OperationPrinter

    def run(s) -> list[str]:
        errors: list[str] = []
        printer = OperationPrinter(output)
        now = s.api.clock.timestamp()
        for t in _targets(s, args, filenames, recursive, namespace, selector):
            if t.obj is None:
                errors.append(_not_found(t))
                continue
            try:
                new = patch_fn(t.rt, deep_copy(t.obj), now)
            except _Failed as e:
                errors.append(f'error: {t.rt.group_resource} "{t.name}" {e}')
                continue
            if new == t.obj:  # kubectl: the patch is empty, and it patches and prints anyway
                errors.append(f"error: failed to create patch for {t.name}: empty patch")
            try:
                stored = _update(s, new, "none", "failed to patch: ")
            except _Failed as e:
                errors.append(str(e))
                continue
            printer.print(stored, verb)
        printer.flush()
        return errors

    _finish(_run_write(ctx, "none", quiet, run))


def _object_edit_command(name: str, patch_fn, verb: str, doc: str):
    """Register ``rollout <name>``: the same flags and flow for restart, pause and resume, each
    with its own patch function, verb and help."""

    def command(
        ctx: typer.Context,
        args: list[str] = _ARGS,
        filenames: Filenames = None,
        recursive: Recursive = False,
        namespace: Namespace = None,
        selector: Selector = None,
        output: WriteOutput = None,
        quiet: Quiet = False,
    ) -> None:
        _edit_command(ctx, args, filenames, recursive, namespace, selector, output, quiet, patch_fn, verb)

    command.__name__ = command.__qualname__ = name
    command.__doc__ = doc
    return rollout_app.command(name)(command)


restart = _object_edit_command("restart", _restart_patch, "restarted", """Restart a resource.

    Sets the pod template annotation kubectl.kubernetes.io/restartedAt to the cluster
    clock: a new rollout starts and completes in the same command's control-plane pass.

    Examples:
      # Restart a deployment
      kctl rollout restart deployment/web

      # Restart every deployment of the namespace
      kctl rollout restart deployment
    """)

pause = _object_edit_command("pause", _pause_patch, "paused", """Mark the provided resource as paused.

    Paused deployments are not rolled out by the controller: template changes wait until
    "kctl rollout resume". Currently only deployments support being paused.

    Examples:
      # Pause the web deployment
      kctl rollout pause deployment/web
    """)

resume = _object_edit_command("resume", _resume_patch, "resumed", """Resume a paused resource.

    Examples:
      # Resume the web deployment (a pending template change rolls out now)
      kctl rollout resume deployment/web
    """)


# -- shared ------------------------------------------------------------------------------------


def _require_resources(args, filenames) -> None:
    if not args and not filenames:
        raise CommandError("required resource not specified")


def _targets(s, args, filenames, recursive, namespace, selector):
    from kctl.cli.resource_builder import load_filenames, select_targets

    return select_targets(s.api, load_filenames(filenames, recursive), args, namespace, selector=selector)


def _run_write(ctx, mode: str, quiet: bool, run) -> list[str]:
    """Run ``run(session)`` in a write transaction followed by a control-plane pass when it
    wrote something (a read for client dry runs, rolled back for server dry runs); report the
    pass on stderr."""
    from kctl.cli.session import read_session, write_session

    if mode == "client":
        with read_session(ctx) as s:
            return run(s)
    with write_session(ctx, dry_run=mode == "server") as s:
        errors = run(s)
        if mode == "none" and getattr(s, "wrote", False):
            s.reconcile()
    report_pass(s.reconciled, quiet)
    return errors


def _update(s, obj: dict, mode: str, prefix: str) -> dict:
    from kctl.api.errors import StatusError

    try:
        stored = s.api.update(obj, dry_run=mode == "server")
        s.wrote = True
        return stored
    except StatusError as e:
        raise _Failed(f"error: {prefix}{e.render()}") from None


def _finish(errors: list[str]) -> None:
    for e in errors:
        err(e if e.startswith(("error:", "Error ")) else f"error: {e}")
    if errors:
        raise typer.Exit(1)


def _replica_sets(s, deployment: dict) -> list[dict]:
    from kctl.api import registry

    ns = (deployment.get("metadata") or {}).get("namespace")
    return s.api.list(registry.for_group_kind("apps", "ReplicaSet"), ns)


def _controller_revisions(s, owner: dict) -> list[dict]:
    """The ControllerRevisions the object controls (``controlledHistories``)."""
    from kctl.api import registry

    meta = owner.get("metadata") or {}
    uid = meta.get("uid")
    out_ = []
    for rev in s.api.list(registry.for_group_kind("apps", "ControllerRevision"), meta.get("namespace")):
        for ref in (rev.get("metadata") or {}).get("ownerReferences") or ():
            if ref.get("controller") and ref.get("uid") == uid:
                out_.append(rev)
                break
    return out_


def _not_found(t) -> str:
    from kctl.cli.targets import not_found_text

    return not_found_text(t.rt, t.name)


def _name(obj: dict) -> str:
    from kctl.printers.serialize import resource_name

    return resource_name(obj)


def _group_kind(rt) -> str:
    """Go's ``schema.GroupKind.String()``: ``ReplicaSet.apps``, ``Pod``."""
    return f"{rt.kind}.{rt.group}" if rt.group else rt.kind


def pop_bool_flag(args: list[str], long: str, short: str, default: bool) -> tuple[list[str], bool]:
    """A pflag boolean (``-w``, ``--watch``, ``--watch=false``) taken out of the arguments;
    anything else that looks like an option is click's usual error."""
    from kctl.cli.errors import click_exceptions

    value, rest = default, []
    for a in args:
        name, eq, text = a.partition("=")
        if name in (long, short):
            if not eq:
                value = True
                continue
            if text.lower() in ("1", "t", "true"):
                value = True
            elif text.lower() in ("0", "f", "false"):
                value = False
            else:
                raise CommandError(f'invalid argument "{text}" for "{short}, {long}" flag: '
                                   f'strconv.ParseBool: parsing "{text}": invalid syntax')
            continue
        if a.startswith("-") and a != "-":
            raise click_exceptions().NoSuchOption(name)
        rest.append(a)
    return rest, value


def parse_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` (``1m30s``, ``2h``, ``0``) in seconds (empty: 0)."""
    from kctl.api.duration import DurationError
    from kctl.api.duration import parse_duration as go_duration

    s = text.strip()
    try:
        return go_duration(s) if s else 0.0
    except DurationError as e:
        raise CommandError(f'invalid argument "{text}" for "--timeout" flag: {e.message}') from None


__all__ = [
    "rollout_app", "status_line", "daemon_set_status", "stateful_set_status", "view_history", "print_template",
    "rollback_one", "parse_duration", "RESTARTED_AT_ANNOTATION",
]
