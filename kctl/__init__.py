"""kctl: a kubectl-compatible CLI over a local, simulated Kubernetes cluster."""

__version__ = "0.1.0"

#: The Kubernetes minor whose API (schemas, defaults, messages) kctl follows.
KUBERNETES_VERSION = "v1.34.0"
