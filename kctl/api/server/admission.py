"""The mutating admission plugins a default kube-apiserver runs on Pod create, in order
(plugin/pkg/admission/...):

- ``ServiceAccount``: ``serviceAccountName`` defaults to ``default``; unless automounting is
  off (pod or ServiceAccount ``automountServiceAccountToken: false``), a projected
  ``kube-api-access-<5 chars>`` volume (token, ``kube-root-ca.crt``, namespace) is added and
  mounted read-only at ``/var/run/secrets/kubernetes.io/serviceaccount`` in every container.
  (kctl does not reject pods whose ServiceAccount is missing: no controller creates them yet.)
- ``Priority``: ``spec.priority`` from ``priorityClassName`` (built-in system classes or a
  PriorityClass object; the global-default class, else 0) and ``preemptionPolicy``
  (the class's, else ``PreemptLowerPriority``).
- ``DefaultTolerationSeconds``: NoExecute tolerations of ``node.kubernetes.io/not-ready`` and
  ``.../unreachable`` for 300 s, unless the pod already tolerates them.
"""

from __future__ import annotations

from collections.abc import Callable

from kctl.api.errors import StatusError, new_forbidden

SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_EXPIRATION_SECONDS = 3607
DEFAULT_TOLERATION_SECONDS = 300
TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"

#: pkg/apis/scheduling: the built-in classes.
SYSTEM_PRIORITY_CLASSES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}


def service_account(pod: dict, random5: Callable[[], str], lookup_sa: Callable[[str], dict | None]) -> None:
    spec = pod.setdefault("spec", {})
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec.get("serviceAccount") or "default"
    spec["serviceAccount"] = spec["serviceAccountName"]
    if spec.get("automountServiceAccountToken") is False:
        return
    sa = lookup_sa(spec["serviceAccountName"])
    if spec.get("automountServiceAccountToken") is None and sa and sa.get("automountServiceAccountToken") is False:
        return
    containers = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
    if all(_mounts_at(c, SERVICE_ACCOUNT_MOUNT) for c in containers):
        return
    volumes = spec.setdefault("volumes", [])
    name = next((v["name"] for v in volumes if v.get("name", "").startswith("kube-api-access-")), None)
    if name is None:
        name = f"kube-api-access-{random5()}"
        volumes.append(
            {
                "name": name,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
                        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                        {
                            "downwardAPI": {
                                "items": [
                                    {"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}
                                ]
                            }
                        },
                    ],
                },
            }
        )
    for c in containers:
        if not _mounts_at(c, SERVICE_ACCOUNT_MOUNT):
            c.setdefault("volumeMounts", []).append({"mountPath": SERVICE_ACCOUNT_MOUNT, "name": name, "readOnly": True})


def _mounts_at(container: dict, path: str) -> bool:
    return any(m.get("mountPath") == path for m in container.get("volumeMounts") or [])


def priority(pod: dict, lookup_class: Callable[[str], dict | None], default_class: Callable[[], dict | None]) -> None:
    """plugin/pkg/admission/priority: resolve priorityClassName to spec.priority."""
    spec = pod.setdefault("spec", {})
    name = spec.get("priorityClassName")
    policy = "PreemptLowerPriority"
    if name in SYSTEM_PRIORITY_CLASSES:
        value = SYSTEM_PRIORITY_CLASSES[name]
    elif name:
        pc = lookup_class(name)
        if pc is None:
            raise new_forbidden("pods", pod["metadata"].get("name", ""), f"no PriorityClass with name {name} was found")
        value = int(pc.get("value", 0))
        policy = pc.get("preemptionPolicy") or policy
    else:
        pc = default_class()
        value = int(pc.get("value", 0)) if pc else 0
        if pc:
            spec["priorityClassName"] = pc["metadata"]["name"]
            policy = pc.get("preemptionPolicy") or policy
    if spec.get("priority") is not None and spec["priority"] != value:
        raise new_forbidden(
            "pods",
            pod["metadata"].get("name", ""),
            f"the integer value of priority ({spec['priority']}) must not be provided in pod spec; "
            f"priority admission controller computed {value} from the given PriorityClass name",
        )
    spec["priority"] = value
    spec.setdefault("preemptionPolicy", policy)


def default_ingress_class(ingress: dict, list_classes: Callable[[], list[dict]]) -> None:
    """DefaultIngressClass: an Ingress created without a class gets the default IngressClass
    (``kctl.networking.ingress.admit_default_ingress_class``)."""
    from kctl.networking.ingress import admit_default_ingress_class

    if not (ingress.get("spec") or {}).get("ingressClassName"):
        admit_default_ingress_class(ingress, list_classes())


def default_toleration_seconds(pod: dict) -> None:
    spec = pod.setdefault("spec", {})
    tolerations = spec.get("tolerations") or []
    not_ready = unreachable = False
    for t in tolerations:
        key, effect = t.get("key") or "", t.get("effect") or ""
        if key in (TAINT_NODE_NOT_READY, "") and effect in ("NoExecute", ""):
            not_ready = True
        if key in (TAINT_NODE_UNREACHABLE, "") and effect in ("NoExecute", ""):
            unreachable = True
    added = []
    if not not_ready:
        added.append(_toleration(TAINT_NODE_NOT_READY))
    if not unreachable:
        added.append(_toleration(TAINT_NODE_UNREACHABLE))
    if added:
        spec["tolerations"] = [*tolerations, *added]


def vertical_pod_autoscaler(pod: dict, list_vpas: Callable[[], list[dict]], get: Callable) -> None:
    """The VPA admission webhook (kubernetes/autoscaler vertical-pod-autoscaler): a pod its
    namespace's VerticalPodAutoscalers target gets their recommended requests
    (``kctl.controllers.vpa.admission``). ``get(resource, namespace, name)`` reads targets."""
    vpas = list_vpas()
    if vpas:
        from kctl.controllers.vpa.admission import admit_pod

        admit_pod(pod, vpas, get)


def _toleration(key: str) -> dict:
    return {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": DEFAULT_TOLERATION_SECONDS}


__all__ = ["StatusError", "default_toleration_seconds", "priority", "service_account", "vertical_pod_autoscaler"]
