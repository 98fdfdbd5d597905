"""``kctl auth`` through kctl's CLI entry point on one cluster holding the RBAC manifests of
``RBAC`` (read-only commands share it), plus ``golden()`` for exact outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scenarios.conftest import Kctl, new_cluster

GOLDEN = Path(__file__).parent / "golden"

RBAC = """\
apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ci, namespace: dev}
---
# a Role in dev: pods and their logs, one named ConfigMap
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [app-config]
  verbs: [get, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-reads-pods, namespace: dev}
subjects:
- kind: ServiceAccount
  name: ci
  namespace: dev
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
---
# a ClusterRole granted in prod only, through a RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: deployer}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, create, update, patch]
- apiGroups: [apps]
  resources: ["*/scale"]
  verbs: [update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-deploys, namespace: prod}
subjects:
- kind: ServiceAccount
  name: ci
  namespace: dev
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
---
# an aggregated ClusterRole bound cluster-wide to a group
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-nodes
  labels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list]
- nonResourceURLs: [/metrics, /debug/*]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-metrics
  labels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
- apiGroups: [metrics.k8s.io]
  resources: [pods, nodes]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: sre-monitoring}
subjects:
- kind: Group
  name: sre
  apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
---
# a user bound to a Role that does not exist
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling, namespace: dev}
subjects:
- kind: User
  name: dora
  apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing}
"""


@pytest.fixture(scope="module")
def k(tmp_path_factory) -> Kctl:
    kctl = new_cluster(tmp_path_factory.mktemp("auth"))
    kctl.apply(RBAC, "-q")
    return kctl


def golden(name: str, text: str) -> None:
    """Compare with ``golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert text == path.read_text(encoding="utf-8")
