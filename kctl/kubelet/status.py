"""The simulated kubelet's pod status: one pure function from (pod, node, lookups, now) to
the next ``status`` and the kubelet events of that transition.

What a real kubelet does over many syncs is folded into a deterministic state machine that is
advanced to ``now`` on every call; the previous status is the only memory, so calling it again
with the same inputs returns the same status and no events (events are emitted only for
transitions). Mirrors, in order: volume mount (``FailedMount``), sandbox + pod IP
(``PodReadyToStartContainers``), init containers one at a time (sidecars = init containers with
``restartPolicy: Always`` keep running), then the app containers; per container: image pull,
config (env) -> ``CreateContainerConfigError``, create, start; exits, restarts and back-off.
Phase: ``getPhase`` in ``kubelet_pods.go``; conditions: ``pkg/kubelet/status/generate.go``.

Simulation knobs (pod annotations, for demos and tests):
- ``kctl.io/run-seconds``: app containers of pods with restartPolicy Never/OnFailure (Job pods)
  exit after this many seconds of running (default 0: they complete in the same pass, i.e.
  once ``now >= startedAt + run-seconds``).
- ``kctl.io/exit-code``: the exit code they exit with (default 0). Set on a pod with
  restartPolicy Always, its app containers also exit after run-seconds, so a non-zero code
  gives CrashLoopBackOff. Never -> terminated ``Error``, phase Failed; OnFailure/Always ->
  restart with back-off (10 s doubling to 300 s; the first restart is immediate).
- ``kctl.io/init-run-seconds``: how long each (non-sidecar) init container runs (default 0).
- ``kctl.io/image-pull: fail``: every image pull fails: ``ErrImagePull`` on the first attempt,
  ``ImagePullBackOff`` (``Back-off pulling image "<img>"``) from the next sync on.
A running container whose image was updated (the one container change a Pod update allows) is
killed (``Killing``: ``Container <name> definition changed, will be restarted``; last state
terminated, exit code 0) and started again at once with the new image, restartCount + 1
(``computePodActions``: the container's hash changed; a new hash means a fresh back-off key).
Readiness and startup probes are assumed to succeed at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kctl.kubelet import backoff, config_refs, images
from kctl.kubelet.ipam import node_internal_ips
from kctl.kubelet.qos import get_pod_qos
from kctl.kubelet.timeutil import as_utc, parse_time, plus_seconds, rfc3339

RUN_SECONDS_ANNOTATION = "kctl.io/run-seconds"
EXIT_CODE_ANNOTATION = "kctl.io/exit-code"
INIT_RUN_SECONDS_ANNOTATION = "kctl.io/init-run-seconds"
IMAGE_PULL_ANNOTATION = "kctl.io/image-pull"

CONTAINER_CREATING = "ContainerCreating"
POD_INITIALIZING = "PodInitializing"
CRASH_LOOP_BACK_OFF = "CrashLoopBackOff"
ERR_IMAGE_PULL = "ErrImagePull"
IMAGE_PULL_BACK_OFF = "ImagePullBackOff"
CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError"
#: Internal only: a container killed because its definition changed, to be started now
#: (``_try_start`` always replaces this state).
_DEFINITION_CHANGED = "DefinitionChanged"

#: Conditions the kubelet owns, in the order it writes them (generateAPIPodStatus).
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
TERMINAL_PHASES = ("Succeeded", "Failed")
#: Safety bound on restarts simulated in one call (a clock jump over hours of crash loop).
_MAX_STEPS = 64


def _no_ips(_pod: dict) -> list[str]:
    return []


def _no_usage(_pod: dict, _container: str) -> int | None:
    return None


def _missing(_ns: str, _name: str) -> dict | None:
    return None


@dataclass
class Lookups:
    """What the kubelet reads besides the pod and its node."""

    configmap: Callable[[str, str], dict | None] = _missing
    secret: Callable[[str, str], dict | None] = _missing
    #: Called once when a pod's sandbox is created and it has no IP yet (host-local IPAM).
    allocate_pod_ips: Callable[[dict], list[str]] = _no_ips
    #: Container memory working set in bytes, or None (the OOM trigger; metrics come later).
    memory_usage: Callable[[dict, str], int | None] = _no_usage

    @classmethod
    def from_view(cls, cluster, **overrides) -> Lookups:
        return cls(configmap=lambda ns, name: cluster.get("configmaps", ns, name),
                   secret=lambda ns, name: cluster.get("secrets", ns, name), **overrides)


@dataclass(frozen=True)
class KubeletEvent:
    type: str
    reason: str
    message: str
    field_path: str = ""


@dataclass
class PodSyncResult:
    status: dict
    events: list[KubeletEvent] = field(default_factory=list)


# -- annotations -------------------------------------------------------------------------
def _annotation_number(pod: dict, key: str, default: int = 0) -> int:
    raw = ((pod.get("metadata") or {}).get("annotations") or {}).get(key)
    try:
        return int(float(raw)) if raw is not None else default
    except ValueError:
        return default


@dataclass
class _Ctx:
    pod: dict
    lookups: Lookups
    now: datetime
    namespace: str
    restart_policy: str
    run_seconds: int
    init_run_seconds: int
    exit_code: int | None
    pull_fails: bool
    events: list[KubeletEvent] = field(default_factory=list)

    def event(self, type_: str, reason: str, message: str, field_path: str) -> None:
        self.events.append(KubeletEvent(type_, reason, message, field_path))


def _make_ctx(pod: dict, lookups: Lookups, now: datetime) -> _Ctx:
    meta = pod.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    exit_raw = annotations.get(EXIT_CODE_ANNOTATION)
    try:
        exit_code = int(exit_raw) if exit_raw is not None else None
    except ValueError:
        exit_code = None
    return _Ctx(pod=pod, lookups=lookups, now=now, namespace=meta.get("namespace") or "default",
                restart_policy=(pod.get("spec") or {}).get("restartPolicy") or "Always",
                run_seconds=max(0, _annotation_number(pod, RUN_SECONDS_ANNOTATION)),
                init_run_seconds=max(0, _annotation_number(pod, INIT_RUN_SECONDS_ANNOTATION)),
                exit_code=exit_code,
                pull_fails=annotations.get(IMAGE_PULL_ANNOTATION, "").lower() == "fail")


# -- one container -------------------------------------------------------------------------
@dataclass
class _Container:
    spec: dict
    kind: str  # "init" | "sidecar" | "app"
    state: dict
    last_state: dict
    restart_count: int
    created: bool  # a runtime container exists (running or terminated, now or last)

    @property
    def field_path(self) -> str:
        where = "containers" if self.kind == "app" else "initContainers"
        return f"spec.{where}{{{self.spec.get('name', '')}}}"


def _waiting(reason: str, message: str = "") -> dict:
    w = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def _exit_plan(c: _Container, ctx: _Ctx, started_at: datetime) -> tuple[datetime, int, str] | None:
    """When and how a running container exits on its own: (at, exitCode, reason) or None."""
    plan = None
    if c.kind == "init":
        plan = (plus_seconds(started_at, ctx.init_run_seconds), 0, "Completed")
    elif c.kind == "app" and (ctx.restart_policy != "Always" or ctx.exit_code is not None):
        code = ctx.exit_code or 0
        plan = (plus_seconds(started_at, ctx.run_seconds), code, "Completed" if code == 0 else "Error")
    usage = ctx.lookups.memory_usage(ctx.pod, c.spec.get("name", ""))
    if backoff.is_oom_killed(c.spec, usage) and (plan is None or plan[0] > ctx.now):
        plan = (max(ctx.now, started_at), backoff.OOM_EXIT_CODE, "OOMKilled")
    return plan


def _restarts(c: _Container, ctx: _Ctx, exit_code: int) -> bool:
    if c.kind == "sidecar":
        return True
    if c.kind == "init":
        return exit_code != 0 and ctx.restart_policy != "Never"
    if ctx.restart_policy == "Always":
        return True
    return ctx.restart_policy == "OnFailure" and exit_code != 0


def _try_start(c: _Container, ctx: _Ctx, start_at: datetime, prev_waiting: dict) -> bool:
    """Pull, configure, create and start; False (with a waiting state) when blocked."""
    name = c.spec.get("name", "")
    image = c.spec.get("image", "")
    fp = c.field_path
    prev_reason = prev_waiting.get("reason")
    if ctx.pull_fails:
        if prev_reason in (ERR_IMAGE_PULL, IMAGE_PULL_BACK_OFF):
            c.state = _waiting(IMAGE_PULL_BACK_OFF, images.back_off_pulling_message(image))
            if prev_reason == ERR_IMAGE_PULL:
                ctx.event("Normal", "BackOff", images.back_off_pulling_message(image), fp)
                ctx.event("Warning", "Failed", f"Error: {IMAGE_PULL_BACK_OFF}", fp)
        else:
            c.state = _waiting(ERR_IMAGE_PULL, images.pull_error(image))
            ctx.event("Normal", "Pulling", images.pulling_message(image), fp)
            ctx.event("Warning", "Failed", images.failed_to_pull_message(image), fp)
            ctx.event("Warning", "Failed", f"Error: {ERR_IMAGE_PULL}", fp)
        return False
    error = config_refs.container_config_error(c.spec, ctx.namespace, ctx.lookups.configmap, ctx.lookups.secret)
    policy = c.spec.get("imagePullPolicy") or images.default_pull_policy(image)
    if error:
        c.state = _waiting(CREATE_CONTAINER_CONFIG_ERROR, error)
        if prev_reason != CREATE_CONTAINER_CONFIG_ERROR or prev_waiting.get("message") != error:
            _pull_events(ctx, image, policy, fp)
            ctx.event("Warning", "Failed", f"Error: {error}", fp)
        return False
    _pull_events(ctx, image, policy, fp)
    ctx.event("Normal", "Created", f"Created container: {name}", fp)
    ctx.event("Normal", "Started", f"Started container {name}", fp)
    c.state = {"running": {"startedAt": rfc3339(start_at)}}
    c.created = True
    return True


def _pull_events(ctx: _Ctx, image: str, policy: str, fp: str) -> None:
    if policy == "Always":
        ctx.event("Normal", "Pulling", images.pulling_message(image), fp)
        ctx.event("Normal", "Pulled", images.pulled_message(image), fp)
    else:
        ctx.event("Normal", "Pulled", images.pulled_present_message(image), fp)


def _advance(c: _Container, ctx: _Ctx, start_at: datetime) -> None:
    """Advance one container to ``ctx.now``: start it, let it exit, restart it with back-off."""
    now = ctx.now
    prev_state = c.state
    pending_start: datetime | None = None
    restarting = False
    entered_back_off = False
    if "running" not in c.state and "terminated" not in c.state:
        waiting = c.state.get("waiting") or {}
        if waiting.get("reason") == CRASH_LOOP_BACK_OFF:
            finished = parse_time((c.last_state.get("terminated") or {}).get("finishedAt")) or now
            restart_at = plus_seconds(finished, backoff.restart_backoff_seconds(c.restart_count))
            if restart_at > now:
                return
            pending_start, restarting = restart_at, True
        else:
            pending_start, restarting = start_at, bool(c.last_state.get("terminated"))
    for _ in range(_MAX_STEPS):
        if pending_start is not None:
            prev_waiting = (prev_state.get("waiting") or {}) if pending_start is start_at else {}
            if restarting:
                c.restart_count += 1  # the new container's attempt number
            if not _try_start(c, ctx, pending_start, prev_waiting):
                if restarting:
                    c.restart_count -= 1  # no container was created
                return
            pending_start = None
        running = c.state.get("running")
        if running is None:
            return
        started_at = parse_time(running.get("startedAt")) or now
        plan = _exit_plan(c, ctx, started_at)
        if plan is None or plan[0] > now:
            return
        at, code, reason = plan
        terminated = {"containerID": images.container_id(_uid(ctx.pod), c.spec.get("name", ""), c.restart_count),
                      "exitCode": code, "finishedAt": rfc3339(at), "reason": reason,
                      "startedAt": rfc3339(started_at)}
        if not _restarts(c, ctx, code):
            c.state = {"terminated": terminated}
            return
        c.last_state = {"terminated": terminated}
        wait = backoff.restart_backoff_seconds(c.restart_count)
        restart_at = plus_seconds(at, wait)
        if restart_at > now:
            c.state = _waiting(CRASH_LOOP_BACK_OFF, backoff.crash_loop_message(c.spec.get("name", ""), ctx.pod, wait))
            entered_back_off = True
            break
        pending_start, restarting = restart_at, True
    if entered_back_off:
        ctx.event("Warning", "BackOff", backoff.back_off_event_message(c.spec.get("name", ""), ctx.pod),
                  c.field_path)


def _uid(pod: dict) -> str:
    return (pod.get("metadata") or {}).get("uid", "")


def _container_status(c: _Container, ctx: _Ctx) -> dict:
    name = c.spec.get("name", "")
    spec_image = c.spec.get("image", "")
    running = "running" in c.state
    terminated = c.state.get("terminated")
    if c.kind == "init":
        ready = bool(terminated) and terminated.get("exitCode") == 0
    else:
        ready = running
    status = {"name": name, "state": c.state, "lastState": c.last_state, "ready": ready,
              "restartCount": c.restart_count, "started": running}
    if c.created:
        status["image"] = images.normalize_image(spec_image)
        status["imageID"] = images.image_id(spec_image)
        status["containerID"] = images.container_id(_uid(ctx.pod), name, c.restart_count)
        mounts = []
        for m in c.spec.get("volumeMounts") or ():
            vm = {"name": m.get("name", ""), "mountPath": m.get("mountPath", "")}
            if m.get("readOnly"):
                vm["readOnly"] = True
                vm["recursiveReadOnly"] = "Disabled"
            mounts.append(vm)
        if mounts:
            status["volumeMounts"] = mounts
    else:
        status["image"] = spec_image
        status["imageID"] = ""
    return status


def _kill_if_definition_changed(c: _Container, ctx: _Ctx, prev: dict | None) -> None:
    """A running container started from another image than the spec's is killed, to be
    restarted at once (kuberuntime ``computePodActions``: "definition changed")."""
    running = c.state.get("running")
    if not prev or running is None or not c.created:
        return
    image = c.spec.get("image", "")
    if prev.get("image") in (None, images.normalize_image(image)):
        return
    name = c.spec.get("name", "")
    ctx.event("Normal", "Killing", f"Container {name} definition changed, will be restarted", c.field_path)
    c.last_state = {"terminated": {"containerID": images.container_id(_uid(ctx.pod), name, c.restart_count),
                                   "exitCode": 0, "finishedAt": rfc3339(ctx.now), "reason": "Completed",
                                   "startedAt": running.get("startedAt", rfc3339(ctx.now))}}
    c.state = _waiting(_DEFINITION_CHANGED)


def _from_previous(spec: dict, kind: str, prev: dict | None, default_reason: str) -> _Container:
    if not prev:
        return _Container(spec, kind, _waiting(default_reason), {}, 0, False)
    state = dict(prev.get("state") or {}) or _waiting(default_reason)
    last = dict(prev.get("lastState") or {})
    created = bool(prev.get("containerID"))
    return _Container(spec, kind, state, last, int(prev.get("restartCount") or 0), created)


# -- pod phase and conditions ---------------------------------------------------------------
def get_phase(pod: dict, init_statuses: list[dict], statuses: list[dict]) -> str:
    """``getPhase`` (kubelet_pods.go): Pending / Running / Succeeded / Failed."""
    spec = pod.get("spec") or {}
    restart_policy = spec.get("restartPolicy") or "Always"
    by_name = {s["name"]: s for s in init_statuses}
    pending_init = failed_init = 0
    for c in spec.get("initContainers") or ():
        s = by_name.get(c.get("name"))
        sidecar = c.get("restartPolicy") == "Always"
        if s is None:
            pending_init += 1
            continue
        state = s.get("state") or {}
        if "running" in state:
            if not (sidecar and s.get("started")):
                pending_init += 1
        elif "terminated" in state:
            if state["terminated"].get("exitCode", 0) != 0 and not sidecar:
                failed_init += 1
        else:
            last = (s.get("lastState") or {}).get("terminated")
            if last is not None and last.get("exitCode", 0) != 0:
                failed_init += 1
            else:
                pending_init += 1
    if failed_init and restart_policy == "Never":
        return "Failed"
    running = waiting = stopped = succeeded = 0
    for s in statuses:
        state = s.get("state") or {}
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            if state["terminated"].get("exitCode", 0) == 0:
                succeeded += 1
        elif (s.get("lastState") or {}).get("terminated") is not None:
            stopped += 1
        else:
            waiting += 1
    any_started = any("running" in (s.get("state") or {}) or "terminated" in (s.get("state") or {})
                      or (s.get("lastState") or {}).get("terminated") for s in statuses)
    if (pending_init and not any_started) or waiting:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if restart_policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if restart_policy == "Never":
            return "Failed"
        return "Running"
    return "Pending"


def _go_list(names: list[str]) -> str:
    return "[" + " ".join(names) + "]"


def _containers_ready(pod: dict, init_statuses: list[dict], statuses: list[dict], phase: str) -> dict:
    spec = pod.get("spec") or {}
    if phase in TERMINAL_PHASES:
        return {"type": "ContainersReady", "status": "False",
                "reason": "PodCompleted" if phase == "Succeeded" else "PodFailed"}
    init_by = {s["name"]: s for s in init_statuses}
    app_by = {s["name"]: s for s in statuses}
    unknown, unready = [], []
    for c in spec.get("initContainers") or ():
        if c.get("restartPolicy") != "Always":
            continue
        s = init_by.get(c.get("name"))
        if s is None:
            unknown.append(c.get("name", ""))
        elif not s.get("ready"):
            unready.append(c.get("name", ""))
    for c in spec.get("containers") or ():
        s = app_by.get(c.get("name"))
        if s is None:
            unknown.append(c.get("name", ""))
        elif not s.get("ready"):
            unready.append(c.get("name", ""))
    messages = []
    if unknown:
        messages.append(f"containers with unknown status: {_go_list(unknown)}")
    if unready:
        messages.append(f"containers with unready status: {_go_list(unready)}")
    if messages:
        return {"type": "ContainersReady", "status": "False", "reason": "ContainersNotReady",
                "message": ", ".join(messages)}
    return {"type": "ContainersReady", "status": "True"}


def _pod_ready(pod: dict, containers_ready: dict, conditions: list[dict]) -> dict:
    if containers_ready["status"] != "True":
        return {**containers_ready, "type": "Ready"}
    messages = []
    for gate in (pod.get("spec") or {}).get("readinessGates") or ():
        ctype = gate.get("conditionType", "")
        cond = next((c for c in conditions if c.get("type") == ctype), None)
        if cond is None:
            messages.append(f'corresponding condition of pod readiness gate "{ctype}" does not exist.')
        elif cond.get("status") != "True":
            messages.append(f'the status of pod readiness gate "{ctype}" is not "True", but {cond.get("status")}')
    if messages:
        return {"type": "Ready", "status": "False", "reason": "ReadinessGatesNotReady", "message": ", ".join(messages)}
    return {"type": "Ready", "status": "True"}


def _initialized(pod: dict, init_statuses: list[dict], statuses: list[dict], phase: str) -> dict:
    spec = pod.get("spec") or {}
    by = {s["name"]: s for s in init_statuses}
    unknown, incomplete = [], []
    for c in spec.get("initContainers") or ():
        s = by.get(c.get("name"))
        if s is None:
            unknown.append(c.get("name", ""))
            continue
        done = s.get("started") if c.get("restartPolicy") == "Always" else s.get("ready")
        if not done:
            incomplete.append(c.get("name", ""))
    if phase == "Succeeded" and not unknown:
        return {"type": "Initialized", "status": "True", "reason": "PodCompleted"}
    if any("running" in (s.get("state") or {}) or "terminated" in (s.get("state") or {}) for s in statuses):
        return {"type": "Initialized", "status": "True"}
    messages = []
    if unknown:
        messages.append(f"containers with unknown status: {_go_list(unknown)}")
    if incomplete:
        messages.append(f"containers with incomplete status: {_go_list(incomplete)}")
    if messages:
        return {"type": "Initialized", "status": "False", "reason": "ContainersNotInitialized",
                "message": ", ".join(messages)}
    return {"type": "Initialized", "status": "True"}


def _merge_conditions(pod: dict, previous: list[dict], generated: list[dict], now: datetime) -> list[dict]:
    """Status-manager merge: foreign conditions first (kept as they are), then the kubelet's,
    each keeping its lastTransitionTime while its status is unchanged."""
    generation = (pod.get("metadata") or {}).get("generation")
    old = {c.get("type"): c for c in previous}
    out = [c for c in previous if c.get("type") not in KUBELET_CONDITIONS]
    for cond in generated:
        full = {"type": cond["type"]}
        if generation is not None:
            full["observedGeneration"] = generation
        full["status"] = cond["status"]
        full["lastProbeTime"] = None
        prior = old.get(cond["type"])
        if prior is not None and prior.get("status") == cond["status"] and prior.get("lastTransitionTime"):
            full["lastTransitionTime"] = prior["lastTransitionTime"]
        else:
            full["lastTransitionTime"] = rfc3339(now)
        for key in ("reason", "message"):
            if cond.get(key):
                full[key] = cond[key]
        out.append(full)
    return out


# -- the pod ---------------------------------------------------------------------------------
def _condition(status: dict, ctype: str) -> dict | None:
    return next((c for c in status.get("conditions") or () if c.get("type") == ctype), None)


def _sandbox_failure(pod: dict, node: dict) -> str:
    from kctl.kubelet.ipam import node_pod_cidrs

    sandbox = images.container_id(_uid(pod), "POD").removeprefix("containerd://")
    cidrs = node_pod_cidrs(node)
    node_name = (node.get("metadata") or {}).get("name", "")
    reason = (f"no IP addresses available in range set: {cidrs[0]}" if cidrs
              else f'no podCIDR allocated to node "{node_name}"')
    return (f"Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for "
            f'sandbox "{sandbox}": plugin type="host-local" failed (add): {reason}')


def generate_pod_status(pod: dict, node: dict, lookups: Lookups, now: datetime,
                        previous_status: dict | None = None) -> PodSyncResult:
    """The status the kubelet on ``node`` writes for ``pod`` at ``now``, and the events of
    getting there from ``previous_status`` (default: the pod's current status)."""
    now = as_utc(now)
    prev = dict(previous_status if previous_status is not None else (pod.get("status") or {}))
    spec = pod.get("spec") or {}
    ctx = _make_ctx(pod, lookups, now)
    status = dict(prev)
    was_ready_to_start = (_condition(prev, "PodReadyToStartContainers") or {}).get("status") == "True"

    # Pod IPs, host IPs, start time, QoS.
    host_ips = node_internal_ips(node)
    if host_ips:
        status["hostIP"] = host_ips[0]
        status["hostIPs"] = [{"ip": ip} for ip in host_ips]
    status["startTime"] = prev.get("startTime") or rfc3339(now)
    # The API server set the class at create from the pod's resources, which do not change
    # it afterwards (an in-place resize keeps the QoS class): the same answer, read back.
    status["qosClass"] = prev.get("qosClass") or get_pod_qos(pod)
    generation = (pod.get("metadata") or {}).get("generation")
    if generation is not None:
        status["observedGeneration"] = generation

    # Volumes, then the sandbox (network).
    sandbox_ready = was_ready_to_start
    first_sync = not prev.get("startTime")
    if not sandbox_ready:
        mount_errors = config_refs.failed_mount_messages(pod, lookups.configmap, lookups.secret)
        if mount_errors:
            if first_sync:
                for message in mount_errors:
                    ctx.event("Warning", "FailedMount", message, "")
        else:
            ips = list(host_ips) if spec.get("hostNetwork") else (
                [p["ip"] for p in prev.get("podIPs") or ()] or lookups.allocate_pod_ips(pod))
            if ips:
                sandbox_ready = True
                status["podIP"] = ips[0]
                status["podIPs"] = [{"ip": ip} for ip in ips]
            elif first_sync:
                ctx.event("Warning", "FailedCreatePodSandBox", _sandbox_failure(pod, node), "")

    inits = spec.get("initContainers") or []
    default_reason = POD_INITIALIZING if inits else CONTAINER_CREATING
    prev_init = {s.get("name"): s for s in prev.get("initContainerStatuses") or ()}
    prev_app = {s.get("name"): s for s in prev.get("containerStatuses") or ()}
    init_cs = [_from_previous(c, "sidecar" if c.get("restartPolicy") == "Always" else "init",
                              prev_init.get(c.get("name")), default_reason) for c in inits]
    app_cs = [_from_previous(c, "app", prev_app.get(c.get("name")), default_reason)
              for c in spec.get("containers") or ()]
    for c in init_cs:
        if c.kind == "sidecar":
            _kill_if_definition_changed(c, ctx, prev_init.get(c.spec.get("name")))
    for c in app_cs:
        _kill_if_definition_changed(c, ctx, prev_app.get(c.spec.get("name")))

    if sandbox_ready:
        prior_ready = _condition(prev, "PodReadyToStartContainers")
        cursor = (parse_time(prior_ready.get("lastTransitionTime")) if was_ready_to_start and prior_ready
                  else None) or now
        initialized = True
        for c in init_cs:
            waiting_reason = (c.state.get("waiting") or {}).get("reason")
            start_at = cursor if waiting_reason in (None, CONTAINER_CREATING, POD_INITIALIZING) else now
            _advance(c, ctx, min(start_at, now))
            running = c.state.get("running")
            terminated = c.state.get("terminated")
            if c.kind == "sidecar" and running:
                cursor = parse_time(running.get("startedAt")) or now
            elif c.kind == "init" and terminated and terminated.get("exitCode") == 0:
                cursor = parse_time(terminated.get("finishedAt")) or now
            else:
                initialized = False
                break
        if initialized:
            for c in app_cs:
                waiting_reason = (c.state.get("waiting") or {}).get("reason")
                start_at = cursor if waiting_reason in (None, CONTAINER_CREATING, POD_INITIALIZING) else now
                _advance(c, ctx, min(start_at, now))
            _stop_sidecars_when_done(init_cs, app_cs, ctx)

    init_statuses = [_container_status(c, ctx) for c in init_cs]
    statuses = [_container_status(c, ctx) for c in app_cs]
    if inits:
        status["initContainerStatuses"] = init_statuses
    else:
        status.pop("initContainerStatuses", None)
    status["containerStatuses"] = statuses
    phase = get_phase(pod, init_statuses, statuses)
    status["phase"] = phase

    containers_ready = _containers_ready(pod, init_statuses, statuses, phase)
    ready = _pod_ready(pod, containers_ready, prev.get("conditions") or [])
    if phase in TERMINAL_PHASES:
        ready = {**containers_ready, "type": "Ready"}
    generated = [
        {"type": "PodReadyToStartContainers", "status": "True" if sandbox_ready and phase not in TERMINAL_PHASES
         else "False"},
        _initialized(pod, init_statuses, statuses, phase),
        ready,
        containers_ready,
        {"type": "PodScheduled", "status": "True"},
    ]
    status["conditions"] = _merge_conditions(pod, prev.get("conditions") or [], generated, now)
    return PodSyncResult(status, ctx.events)


def _stop_sidecars_when_done(init_cs: list[_Container], app_cs: list[_Container], ctx: _Ctx) -> None:
    """Once every app container has terminated for good, the kubelet stops the sidecars."""
    if not app_cs or not all("terminated" in c.state for c in app_cs):
        return
    finished = max(parse_time(c.state["terminated"].get("finishedAt")) or ctx.now for c in app_cs)
    for c in init_cs:
        running = c.state.get("running")
        if c.kind == "sidecar" and running:
            name = c.spec.get("name", "")
            ctx.event("Normal", "Killing", f"Stopping container {name}", c.field_path)
            c.state = {"terminated": {"containerID": images.container_id(_uid(ctx.pod), name, c.restart_count),
                                      "exitCode": 0, "finishedAt": rfc3339(finished), "reason": "Completed",
                                      "startedAt": running.get("startedAt", rfc3339(finished))}}
