"""The VPA admission controller (pkg/admission-controller/resource/pod): a pod created
for a VPA's target gets the recommended requests (limits keep their ratio, per
``controlledValues``), unless the VPA's mode is ``Off`` or there is no recommendation yet.
It records what it did in the pod annotations ``vpaUpdates`` (``Pod resources updated by
<vpa>: container 0: cpu request, memory request``) and ``vpaObservedContainers``.

``admit_pod(pod, vpas, get)`` mutates ``pod`` in place; the API server calls it from its
Pod admission chain with the namespace's VPAs and a getter for their targets.
"""

from __future__ import annotations

from kctl.controllers.vpa import policy as vpa_policy
from kctl.controllers.vpa.targets import selects, update_mode


def matching_vpa(pod: dict, vpas: list[dict], get) -> dict | None:
    """The VPA governing the pod (several: the first by name, as upstream picks one)."""
    for vpa in sorted(vpas, key=lambda v: (v.get("metadata") or {}).get("name", "")):
        if selects(vpa, pod, get):
            return vpa
    return None


def admit_pod(pod: dict, vpas: list[dict], get) -> bool:
    """Apply the recommendation to a new pod; True when its resources changed."""
    if not vpas:
        return False
    vpa = matching_vpa(pod, vpas, get)
    if vpa is None or update_mode(vpa) == "Off":
        return False
    recs = {r.get("containerName"): r for r in
            (((vpa.get("status") or {}).get("recommendation") or {}).get("containerRecommendations") or [])}
    containers = (pod.get("spec") or {}).get("containers") or []
    meta = pod.setdefault("metadata", {})
    annotations = meta.get("annotations") or {}
    annotations["vpaObservedContainers"] = ", ".join(c.get("name", "") for c in containers)
    parts = []
    for i, c in enumerate(containers):
        rec = recs.get(c.get("name"))
        if rec is None:
            continue
        policy = vpa_policy.container_policy(vpa, c.get("name", ""))
        if vpa_policy.is_off(policy):
            continue
        changed = vpa_policy.apply_to_container(c, rec, policy)
        if changed:
            parts.append(f"container {i}: {', '.join(changed)}")
    if parts:
        annotations["vpaUpdates"] = f"Pod resources updated by {vpa['metadata']['name']}: {'; '.join(parts)}"
    meta["annotations"] = annotations
    return bool(parts)
