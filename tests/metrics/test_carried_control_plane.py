"""``kctl simulate`` runs one ``ControlPlane`` whose view is carried from step to step: every
run must give what ``run_control_plane`` gives on the same cluster (same changes, events,
rounds, the same store afterwards), and the carried view must be what a fresh listing of
the store gives."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest
import yaml

from kctl.api import registry
from kctl.api.cluster import ensure_initialized
from kctl.api.server import APIServer
from kctl.controllers.runner import ControlPlane, run_control_plane
from kctl.metrics.profile import parse_profile
from kctl.metrics.simulate import apply_loads, resolve_profile
from kctl.store.store import Store
from tests.metrics.conftest import app

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)

CLUSTER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {pool: burst}
      containers:
      - {name: web, image: nginx:1.27, resources: {requests: {cpu: 500m, memory: 256Mi}}}
---
apiVersion: kctl.io/v1alpha1
kind: NodeGroup
metadata: {name: pool}
spec:
  minSize: 0
  maxSize: 3
  template:
    metadata: {labels: {pool: burst}}
    status:
      capacity: {cpu: "2", memory: 8Gi, pods: "110"}
      allocatable: {cpu: 1900m, memory: 7Gi, pods: "110"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 8
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: api}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  updatePolicy: {updateMode: Auto}
"""

PROFILE = {"kind": "LoadProfile", "interpolation": "linear", "workloads": [
    {"target": "deployment/web", "points": [{"at": "0s", "cpu": "100m"}, {"at": "2m", "cpu": "1500m"},
                                            {"at": "4m", "cpu": "200m"}]},
    {"target": "deployment/api", "perPod": True,
     "points": [{"at": "0s", "cpu": "50m", "memory": "100Mi"}, {"at": "3m", "memory": "400Mi"}]},
]}


def _cluster(path) -> Store:
    store = Store.open(str(path))
    ensure_initialized(store, now=NOW, seed="carried")
    with store.transaction() as tx:
        api = APIServer(tx)
        for text in (CLUSTER, app("api", replicas=2, limit="256Mi")):
            for doc in yaml.safe_load_all(text):
                api.create(doc)
    return store


def _dump(api) -> dict:
    return {(rt.group_resource, o["metadata"].get("namespace"), o["metadata"]["name"]): o
            for rt in registry.RESOURCES for o in api.list(rt)}


def _summary(result) -> tuple:
    return ([(c.action, c.resource, c.namespace, c.name, c.after) for c in result.changes],
            result.events, result.errors, result.rounds)


@pytest.mark.parametrize("step", [15, 45])
def test_a_carried_control_plane_gives_what_fresh_passes_give(tmp_path, step):
    fresh_store, carried_store = _cluster(tmp_path / "fresh.db"), _cluster(tmp_path / "carried.db")
    profile = parse_profile(PROFILE)
    with fresh_store.transaction() as fresh_tx, carried_store.transaction() as carried_tx:
        fresh, carried = APIServer(fresh_tx), APIServer(carried_tx)
        fresh_loads, carried_loads = resolve_profile(fresh, profile), resolve_profile(carried, profile)
        apply_loads(fresh, fresh_loads, Fraction(0))
        apply_loads(carried, carried_loads, Fraction(0))
        plane = ControlPlane(carried)
        assert _summary(plane.run()) == _summary(run_control_plane(fresh))
        for t in range(step, 300 + 1, step):
            assert apply_loads(carried, carried_loads, Fraction(t), plane) == apply_loads(fresh, fresh_loads, Fraction(t))
            assert _summary(plane.run(advance_seconds=step)) == _summary(run_control_plane(fresh, advance_seconds=step))
        # the carried view is the store as a fresh listing sees it (events aside: the loops never read them)
        store_now = _dump(carried)
        assert _dump(fresh) == store_now
        assert {(r, ns, name): o for r in plane.view.resources() for o in plane.view.list(r)
                for ns, name in [(o["metadata"].get("namespace"), o["metadata"]["name"])]} == \
            {k: o for k, o in store_now.items() if k[0] not in ("events", "events.events.k8s.io")}
        reasons = {e["reason"] for e in store_now.values() if e.get("kind") == "Event"}
        assert {"SuccessfulRescale", "TriggeredScaleUp", "EvictedByVPA"} <= reasons  # every autoscaler acted
    fresh_store.close()
    carried_store.close()
