"""The simulated metrics pipeline: what metrics-server would report in a kctl cluster.

- ``load``: the load model. A workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
  ReplicationController, Job) or a single Pod carries its usage in the annotation
  ``kctl.io/load`` (JSON, written by ``kctl load``); pods created later inherit it because the
  annotation lives on the owner, not on the pods.
- ``server``: the ``metrics-server`` control loop. It writes a ``metrics.k8s.io/v1beta1``
  PodMetrics per Running pod and a NodeMetrics per Ready node (usage = the sum of its pods'
  usage, nothing else), and deletes the PodMetrics/NodeMetrics it wrote for pods and nodes
  that are gone. Objects without its managed-by label (applied by a user) are never touched.
- ``profile``: load profiles (usage over time per workload) for ``kctl simulate``.
- ``top``: ``kubectl top node|pod`` tables; ``timeline``/``svg``: the simulation's output.
"""

from __future__ import annotations

#: metrics-server's objects carry this label (user-applied metrics objects do not).
MANAGED_BY_LABEL = "kctl.io/managed-by"
MANAGED_BY = "metrics-server"

POD_METRICS = "pods.metrics.k8s.io"
NODE_METRICS = "nodes.metrics.k8s.io"
METRICS_API_VERSION = "metrics.k8s.io/v1beta1"
#: The sampling window metrics-server reports (kctl's metric resolution is the 15 s HPA step;
#: the window is the rate window of the cpu counter).
WINDOW = "30s"
