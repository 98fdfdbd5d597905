"""A container whose simulated memory usage exceeds its limit is OOMKilled, then restarted
with the kubelet's back-off (10 s doubling, capped at 300 s) as the cluster clock moves."""

from __future__ import annotations

from tests.metrics.conftest import app


def _app_status(k) -> dict:
    pod = k.items("pods")[0]
    return next(c for c in pod["status"]["containerStatuses"] if c["name"] == "app"), pod


def test_oom_killed_then_crash_loop_back_off(k):
    k.apply(app(replicas=1, limit="256Mi"))
    # 450Mi per pod: app gets 128/192 of it = 300Mi > its 256Mi limit; side (no limit) 150Mi
    k.ok("load", "deployment/web", "--memory", "450Mi", "--per-pod")
    cs, pod = _app_status(k)
    suffix = f"pod={pod['metadata']['name']}_default({pod['metadata']['uid']})"
    # t=0: killed, restarted at once (first restart), killed again -> back-off 10s
    assert cs["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert cs["lastState"]["terminated"]["exitCode"] == 137
    assert (cs["restartCount"], cs["state"]) == (1, {"waiting": {
        "reason": "CrashLoopBackOff", "message": f"back-off 10s restarting failed container=app {suffix}"}})
    side = next(c for c in pod["status"]["containerStatuses"] if c["name"] == "side")
    assert (side["restartCount"], list(side["state"])) == (0, ["running"])
    assert k.ok("get", "pods", "--no-headers").split()[1:4] == ["1/2", "CrashLoopBackOff", "1"]

    timeline = []
    for seconds in (15, 15, 15, 45, 90):
        k.ok("reconcile", "--advance", f"{seconds}s")
        cs, _ = _app_status(k)
        timeline.append((cs["restartCount"], cs["state"]["waiting"]["message"].split(" restarting")[0],
                         cs["lastState"]["terminated"]["finishedAt"][11:]))
    # each restart happens when its back-off has passed, at the kubelet's next sync (15 s steps)
    assert timeline == [
        (2, "back-off 20s", "12:00:15Z"),  # restarted at 10s, killed -> wait 20s (until 35s)
        (2, "back-off 20s", "12:00:15Z"),  # 30s: still backing off
        (3, "back-off 40s", "12:00:45Z"),  # restarted at 35s -> wait 40s (until 85s)
        (4, "back-off 1m20s", "12:01:30Z"),  # 90s: restarted at 85s -> wait 80s (until 170s)
        (5, "back-off 2m40s", "12:03:00Z"),  # 180s: restarted at 170s -> wait 160s
    ]
    reasons = [reason for type_, reason, _ in k.events(f"pod/{pod['metadata']['name']}") if type_ == "Warning"]
    assert reasons == ["BackOff"]  # one aggregated event (count grows)

    # the load drops: the next restart sticks
    k.ok("load", "deployment/web", "--memory", "300Mi")
    k.ok("reconcile", "--advance", "5m")
    cs, _ = _app_status(k)
    assert (cs["restartCount"], list(cs["state"]), cs["ready"]) == (6, ["running"], True)


def test_no_limit_no_oom_kill(k):
    k.apply(app(replicas=1, limit=None))
    k.ok("load", "deployment/web", "--memory", "8Gi")
    cs, _ = _app_status(k)
    assert (cs["restartCount"], list(cs["state"])) == (0, ["running"])


def test_user_applied_pod_metrics_can_oom_kill(k):
    k.apply(app(replicas=1, limit="128Mi"))
    name = k.items("pods")[0]["metadata"]["name"]
    k.apply(f"""
        apiVersion: metrics.k8s.io/v1beta1
        kind: PodMetrics
        metadata: {{name: {name}}}
        timestamp: "2025-05-01T12:00:00Z"
        window: 30s
        containers:
        - {{name: app, usage: {{cpu: 10m, memory: 129Mi}}}}
        """)
    cs, _ = _app_status(k)
    assert (cs["lastState"]["terminated"]["reason"], cs["state"]["waiting"]["reason"]) == ("OOMKilled", "CrashLoopBackOff")
