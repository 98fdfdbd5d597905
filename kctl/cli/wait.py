"""kctl wait: kubectl's ``wait`` (kubectl/pkg/cmd/wait: wait.go, condition.go, json.go,
delete.go, create.go) over the simulated cluster.

What is mirrored from kubectl 1.34:

- ``--for``: ``delete``, ``create`` (both case-insensitive), ``condition=NAME[=VALUE]`` (the
  type and the value compared after case folding, VALUE defaults to ``true``; a condition
  whose ``observedGeneration``, or else ``status.observedGeneration``, is older than
  ``metadata.generation`` does not count), ``jsonpath=EXPR[=VALUE]`` (EXPR relaxed as
  ``get --sort-by`` relaxes it; split on single ``=``, ``==`` kept; VALUE trimmed of quotes;
  without VALUE any result matches; one value only, never a map or list when compared);
  anything else -> ``unrecognized condition: "..."``.
- Objects: ``TYPE NAME...``, ``TYPE/NAME``, ``-l``, ``--field-selector``, ``--all``, ``-A``,
  ``-f``, visited in order, one after the other, against one shared deadline: each object
  met prints ``<kind>[.<group>]/<name> condition met`` (``-o name|json|yaml`` as the
  printer flags allow); the first one that is not met ends the command with
  ``error: timed out waiting for the condition on <resource>/<name>`` (exit 1), or with
  ``--timeout=0`` (check once) ``error: condition not met for <resource>/<name>``.
- ``--for=delete`` ignores objects that are already gone (nothing printed, exit 0, also when
  nothing matches); every other form says ``error: no matching resources found`` when a
  selector matches nothing, and ``Error from server (NotFound): ...`` for a missing name.
- ``--for=create`` waits until every named object exists (a selector: until one matches),
  then prints each; giving up says ``error: timed out waiting for the condition``.
- ``--timeout``: Go duration, default 30s; 0 checks once; negative means a week.

The simulation (kctl's own design, as the cluster clock only moves when a command moves
it): the condition is checked now; while it does not hold, simulated time passes in the
control plane's 15 s sync periods (``run_control_plane(..., until=...)``, as ``kctl
reconcile --advance`` runs it), up to ``--timeout``, and stops at the first check where every
object has met it. What the control plane did meanwhile is committed (the clock moved), and
stderr says how much simulated time passed, then the control-plane report (``-q``: neither).
``--timeout=0`` only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import (
    AllInNamespace,
    AllNamespaces,
    FieldSelector,
    Namespace,
    Quiet,
    Recursive,
    Selector,
)
from kctl.cli.output import err, out

#: ``--timeout`` below zero: kubectl waits a week.
NEGATIVE_TIMEOUT_SECONDS = 168 * 3600
#: ``wait.ErrWaitTimeout``'s text.
TIMED_OUT = "timed out waiting for the condition"
NO_MATCHING_RESOURCES = "no matching resources found"
NO_NAME_SPECIFIED = "resource(s) were provided, but no name was specified"
JSONPATH_FORMAT = (
    "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
    "--for=jsonpath='{.status.readyReplicas}'"
)
JSONPATH_VALUE_REQUIRED = (
    "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3"
)
OUTPUT_FORMATS = ("json", "yaml", "name")


class WaitError(Exception):
    """A condition check that failed (kubectl returns it from the condition func)."""


# -- --for ----------------------------------------------------------------------------------------


@dataclass
class Condition:
    """What ``--for`` asks: ``kind`` is delete, create, condition or jsonpath."""

    kind: str
    name: str = ""
    value: str = ""
    jsonpath: object | None = None  # kctl.printers.jsonpath.JSONPath
    match_any_value: bool = False

    def met(self, obj: dict) -> bool:
        if self.kind == "condition":
            return condition_met(obj, self.name, self.value)
        if self.kind == "jsonpath":
            return jsonpath_met(obj, self.jsonpath, self.value, self.match_any_value)
        return True  # create: the object exists


def parse_for(text: str) -> Condition:
    """``conditionFuncFor``: the ``--for`` value as a Condition, or kubectl's error."""
    lowered = text.lower()
    if lowered == "delete":
        return Condition("delete")
    if lowered == "create":
        return Condition("create")
    if text.startswith("condition="):
        name, sep, value = text[len("condition="):].partition("=")
        return Condition("condition", name=name, value=value if sep else "true")
    if text.startswith("jsonpath="):
        expression, value = process_jsonpath_input(text[len("jsonpath="):])
        return Condition("jsonpath", value=value, jsonpath=new_jsonpath_parser(expression),
                         match_any_value=value == "")
    raise CommandError(f"unrecognized condition: {_go_quote(text)}")


def _go_quote(text: str) -> str:
    from kctl.printers.jsonpath import _go_quote as quote

    return quote(text)


def split_jsonpath_input(text: str) -> list[str]:
    """``splitJSONPathInput``: split on single ``=``; ``==`` stays in the expression."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "=":
            if i + 1 < len(text) and text[i + 1] == "=":
                current.append("==")
                i += 2
                continue
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(text[i])
        i += 1
    parts.append("".join(current))
    return parts


def process_jsonpath_input(text: str) -> tuple[str, str]:
    """``processJSONPathInput``: (relaxed expression, expected value or "")."""
    from kctl.printers.jsonpath import JSONPathError, relaxed_jsonpath_expression

    parts = split_jsonpath_input(text)
    if not 1 <= len(parts) <= 2:
        raise CommandError(JSONPATH_FORMAT)
    try:
        expression = relaxed_jsonpath_expression(parts[0])
    except JSONPathError as e:
        raise CommandError(str(e)) from None
    if len(parts) == 1:
        return expression, ""
    value = parts[1].strip("'\"")
    if not value:
        raise CommandError(JSONPATH_VALUE_REQUIRED)
    return expression, value


def new_jsonpath_parser(expression: str):
    """``newJSONPathParser``: client-go's JSONPath named "wait", missing keys allowed."""
    from kctl.printers.jsonpath import JSONPath, JSONPathError

    if not expression:
        raise CommandError("jsonpath expression cannot be empty")
    try:
        return JSONPath("wait", allow_missing_keys=True).parse(expression)
    except JSONPathError as e:
        raise CommandError(str(e)) from None


def condition_met(obj: dict, name: str, value: str) -> bool:
    """``ConditionalWait.checkCondition``: the first condition of that type (case folded)
    with a status decides, unless it describes an older generation."""
    status = obj.get("status")
    conditions = status.get("conditions") if isinstance(status, dict) else None
    if not isinstance(conditions, list):
        return False
    wanted = name.casefold()
    for condition in conditions:
        if not isinstance(condition, dict):
            continue
        ctype, cstatus = condition.get("type"), condition.get("status")
        if not isinstance(ctype, str) or ctype.casefold() != wanted or not isinstance(cstatus, str):
            continue
        generation = (obj.get("metadata") or {}).get("generation")
        if isinstance(generation, int):
            observed = _observed_generation(obj, condition)
            if observed is not None and observed < generation:
                return False
        return cstatus.casefold() == value.casefold()
    return False


def _observed_generation(obj: dict, condition: dict) -> int | None:
    """``getObservedGeneration``: the condition's own, else ``status.observedGeneration``."""
    observed = condition.get("observedGeneration")
    if isinstance(observed, int):
        return observed
    observed = (obj.get("status") or {}).get("observedGeneration")
    return observed if isinstance(observed, int) else None


def jsonpath_met(obj: dict, parser, value: str, match_any_value: bool) -> bool:
    """``JSONPathWait.checkCondition``: exactly one result, compared as Go's ``%v`` prints it
    (both sides trimmed); raises WaitError as kubectl fails the wait."""
    from kctl.printers.jsonpath import JSONPathError, go_sprint

    try:
        results = parser.find_results(obj)
    except JSONPathError as e:
        raise WaitError(str(e)) from None
    if not results or not results[0]:
        return False
    if len(results) > 1:
        raise WaitError("given jsonpath expression matches more than one list")
    if len(results[0]) > 1:
        raise WaitError("given jsonpath expression matches more than one value")
    if match_any_value:
        return True
    found = results[0][0]
    if isinstance(found, dict | list):
        raise WaitError("jsonpath leads to a nested object or list which is not supported")
    return go_sprint(found).strip() == value.strip()


# -- waiting ------------------------------------------------------------------------------------


@dataclass
class Waited:
    """One object of the wait, in visiting order."""

    rt: object
    namespace: str | None
    name: str
    listed: dict | None  # the object a selector or -f listing found (None: named, fetched lazily)
    named: bool
    entered: dict | None = None  # the object when its turn came
    printed: dict | None = None  # what "condition met" prints

    @property
    def object_name(self) -> str:
        """``Info.ObjectName()``: ``<resource>/<name>``."""
        return f"{self.rt.name}/{self.name}"


@dataclass
class WaitState:
    """kubectl's visit, one object after the other, against simulated time: ``poll`` checks
    the current object and moves on while objects meet the condition."""

    api: object
    condition: Condition
    objects: list[Waited]
    cursor: int = 0
    met: list[Waited] = field(default_factory=list)
    error: str | None = None  # a failure that ends the wait now (not a timeout)

    @property
    def done(self) -> bool:
        return self.error is not None or self.cursor >= len(self.objects)

    def poll(self) -> bool:
        """Check again (after time passed); True when the wait is over."""
        try:
            while self.cursor < len(self.objects):
                w = self.objects[self.cursor]
                if not self._check(w):
                    return False
                self.cursor += 1
        except WaitError as e:
            self.error = str(e)
        return True

    def _check(self, w: Waited) -> bool:
        current = self.api.try_get(w.rt, w.namespace, w.name)
        if self.condition.kind == "delete":
            return self._check_deleted(w, current)
        if w.entered is None:
            if current is None:
                raise WaitError(_not_found(w))
            w.entered = current
        if current is None or not self.condition.met(current):
            return False  # kubectl keeps watching an object that goes away
        w.printed = current
        self.met.append(w)
        return True

    def _check_deleted(self, w: Waited, current: dict | None) -> bool:
        if w.entered is None:
            if current is None:
                if w.listed is not None:  # IsDeleted: gone already -> the listed object
                    w.printed = w.listed
                    self.met.append(w)
                return True  # a missing name: the builder ignores NotFound, nothing printed
            w.entered = current
            return False
        uid = (w.entered.get("metadata") or {}).get("uid")
        if current is None or (current.get("metadata") or {}).get("uid") != uid:
            w.printed = w.entered
            self.met.append(w)
            return True
        return False


def _not_found(w: Waited) -> str:
    from kctl.cli.targets import not_found_text

    return not_found_text(w.rt, w.name)


@dataclass
class CreateState:
    """``--for=create``: poll the builder until it finds every named object (a selector: any)."""

    api: object
    resolve: object  # () -> list[Target]
    found: list = field(default_factory=list)
    done: bool = False

    def poll(self) -> bool:
        targets = self.resolve()
        if targets and all(t.obj is not None for t in targets):
            self.found = targets
            self.done = True
        return self.done


# -- the command --------------------------------------------------------------------------------


def parse_timeout(text: str) -> float:
    """``--timeout``: a Go duration; negative means a week (``168h``)."""
    from kctl.cli.rollout import parse_duration

    seconds = parse_duration(text)
    return float(NEGATIVE_TIMEOUT_SECONDS) if seconds < 0 else seconds


def wait(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="([-f FILENAME] | TYPE/NAME | TYPE [NAME...] | TYPE (-l label | --all))"),
    for_: str = typer.Option("", "--for", help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after case folding."),
    timeout: str = typer.Option("30s", "--timeout", help="How long to wait (simulated time) before giving up. Zero means check once and don't wait, negative means wait for a week."),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files identifying the resources to wait on."),
    recursive: Recursive = False,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    all_: AllInNamespace = False,
    selector: Selector = None,
    field_selector: FieldSelector = None,
    output: str = typer.Option(None, "--output", "-o", help="name, json or yaml (default: '<kind>/<name> condition met')."),
    quiet: Quiet = False,
) -> None:
    """Wait for a specific condition on one or many resources.

    Checks the condition now; while it does not hold, simulated time passes in 15 s sync
    periods (the control plane runs at each, as with `kctl reconcile --advance`) until
    every object meets it or --timeout runs out. The cluster keeps what happened meanwhile;
    stderr says how much simulated time passed. Each object that meets the condition prints
    "<kind>/<name> condition met".

    Examples:
      # Wait for the deployment "web" to be available
      kctl wait --for=condition=available deployment/web --timeout=60s

      # Wait for the pods labelled app=web to be Ready
      kctl wait --for=condition=Ready pod -l app=web

      # Wait for the job "migrate" to complete
      kctl wait --for=condition=complete job/migrate --timeout=2m

      # Wait for the pod "busybox1" to be Running
      kctl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1

      # Wait for the finished job "once" to be deleted (its ttlSecondsAfterFinished)
      kctl wait --for=delete job/once --timeout=5m
    """
    from kctl.cli.resource_builder import load_filenames

    seconds = parse_timeout(timeout)  # a flag that does not parse fails first, as cobra's
    if output not in (None, "", *OUTPUT_FORMATS):
        raise CommandError(
            f'unable to match a printer suitable for the output format "{output}", '
            f"allowed formats are: {','.join(OUTPUT_FORMATS)}"
        )
    condition = parse_for(for_)
    loaded = load_filenames(filenames, recursive)
    args = list(args or [])
    if loaded is None:
        _check_arguments(args, selector=selector, field_selector=field_selector, all_=all_)
    find = dict(selector=selector, field_selector=field_selector, all_=all_, all_namespaces=all_namespaces)

    if seconds == 0:
        from kctl.cli.session import read_session

        with read_session(ctx) as s:
            result = _wait(s.api, condition, loaded, args, namespace, find, seconds)
        _finish(result, output, quiet, elapsed=0.0, passed=None)
        return

    from kctl.cli.session import write_session

    with write_session(ctx) as s:
        start = s.now
        result = _wait(s.api, condition, loaded, args, namespace, find, seconds, session=s)
        elapsed = (s.now - start).total_seconds()
    _finish(result, output, quiet, elapsed=elapsed, passed=s.reconciled)


def _check_arguments(args: list[str], *, selector, field_selector, all_) -> None:
    """The builder's checks that ``find_targets`` words for other verbs."""
    from kctl.cli.targets import RESOURCE_REQUIRED

    if not args:
        raise CommandError(RESOURCE_REQUIRED)
    from kctl.cli.args import parse_resource_args

    selection = parse_resource_args(args, verb="get")
    named = any(r.names for r in selection.requests)
    if not named and not (selector or field_selector or all_):
        raise CommandError(NO_NAME_SPECIFIED)


@dataclass
class _Outcome:
    printed: list[dict]
    error: str | None


def _resolve(api, loaded, args, namespace, find) -> list:
    from kctl.cli.resource_builder import select_targets

    return select_targets(api, loaded, args, namespace, **find)


def _wait(api, condition: Condition, loaded, args, namespace, find, seconds: float, session=None) -> _Outcome:
    """Run the wait; the control plane runs (through ``session``) only when time may pass."""
    named = loaded is not None or _has_names(args)
    if condition.kind == "create":
        state = CreateState(api, lambda: _resolve(api, loaded, args, namespace, find))
        if not state.poll() and session is not None:
            _let_time_pass(session, seconds, state.poll)
        if not state.done:
            return _Outcome([], TIMED_OUT)
        return _Outcome([t.obj for t in state.found], None)

    targets = _resolve(api, loaded, args, namespace, find)
    objects = [
        Waited(t.rt, t.namespace, t.name, None if named else t.obj, named)
        for t in targets
    ]
    if not objects and not named:
        return _Outcome([], None if condition.kind == "delete" else NO_MATCHING_RESOURCES)
    state = WaitState(api, condition, objects)
    if not state.poll() and session is not None:
        _let_time_pass(session, seconds, state.poll)
    printed = [w.printed for w in state.met]
    if state.error is not None:
        return _Outcome(printed, state.error)
    if not state.done:
        current = state.objects[state.cursor]
        if session is None:
            return _Outcome(printed, f"condition not met for {current.object_name}")
        return _Outcome(printed, f"{TIMED_OUT} on {current.object_name}")
    if not printed and condition.kind != "delete":
        return _Outcome(printed, NO_MATCHING_RESOURCES)
    return _Outcome(printed, None)


def _has_names(args: list[str]) -> bool:
    from kctl.cli.args import parse_resource_args

    return any(r.names for r in parse_resource_args(args, verb="get").requests)


def _let_time_pass(session, seconds: float, until) -> None:
    """Simulated time in sync periods until ``until()`` holds or ``seconds`` have passed."""
    from kctl.controllers.runner import run_control_plane

    session.reconciled = run_control_plane(session.api, advance_seconds=seconds, until=until)


def _finish(result: _Outcome, output: str | None, quiet: bool, *, elapsed: float, passed) -> None:
    from kctl.cli.output import report_pass

    for obj in result.printed:
        out(_render(obj, output))
    if not quiet and elapsed > 0:
        err(f"waited {format_seconds(elapsed)} of simulated time")
    report_pass(passed, quiet)
    if result.error is not None:
        err(result.error if result.error.startswith("Error from server") else f"error: {result.error}")
        raise typer.Exit(1)


def _render(obj: dict, output: str | None) -> str:
    from kctl.printers.serialize import format_objects, resource_name

    if output in ("json", "yaml"):
        return format_objects([obj], output, single=True)
    return f"{resource_name(obj)} condition met"


def format_seconds(seconds: float) -> str:
    """Go's ``time.Duration.String()`` for whole seconds: ``45s``, ``1m0s``, ``1h2m3s``."""
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}h{m}m{s}s"
    if m:
        return f"{m}m{s}s"
    return f"{s}s"


__all__ = [
    "Condition", "WaitError", "condition_met", "format_seconds", "jsonpath_met", "parse_for", "parse_timeout",
    "process_jsonpath_input", "split_jsonpath_input", "wait",
]
