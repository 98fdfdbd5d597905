"""What the autoscaler reports: NodeGroup status and the ``kube-system/cluster-autoscaler-status``
ConfigMap (a simplified form of upstream's YAML status: health, scale-up and scale-down
per cluster and per node group; kctl adds each group's unremovable nodes and why, and keeps
the last scale-up time in the annotation ``kctl.io/last-scale-up-time``).

NodeGroup conditions (metav1.Condition):
- ``Healthy``: True/Healthy, ``ready=N unready=M registered=T (minSize=a, maxSize=b)``.
- ``ScaleUp``: False/NoActivity until the group's first scale-up, then True/ScaledUp with
  the ``Scale-up: setting group ...`` text; its lastTransitionTime is the latest scale-up.
- ``ScaleDown``: True/CandidatesPresent or False/NoCandidates, ``candidates=N``.
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import clone, rfc3339
from kctl.controllers.clusterautoscaler import nodegroups as ng
from kctl.controllers.clusterautoscaler.settings import NAMESPACE, STATUS_CONFIG_MAP

LAST_SCALE_UP = "kctl.io/last-scale-up-time"
LAST_UPDATED = "cluster-autoscaler.kubernetes.io/last-updated"


def _condition(conditions: list[dict], type_: str, status: str, reason: str, message: str, now: datetime,
               force_transition: bool = False) -> dict:
    old = next((c for c in conditions if c.get("type") == type_), None)
    changed = old is None or old.get("status") != status or force_transition
    return {"type": type_, "status": status,
            "lastTransitionTime": rfc3339(now) if changed else old.get("lastTransitionTime", rfc3339(now)),
            "reason": reason, "message": message}


def node_group_status(group: dict, nodes: list[dict], candidates: int, scaled_up: str | None,
                      now: datetime) -> dict | None:
    """The group with its new status, or None when nothing changed."""
    status = group.get("status") or {}
    conditions = list(status.get("conditions") or [])
    ready = sum(1 for n in nodes if ng.is_ready(n))
    health = _condition(conditions, "Healthy", "True", "Healthy",
                        f"ready={ready} unready={len(nodes) - ready} registered={len(nodes)} "
                        f"(minSize={ng.min_size(group)}, maxSize={ng.max_size(group)})", now)
    old_up = next((c for c in conditions if c.get("type") == "ScaleUp"), None)
    if scaled_up:
        up = _condition(conditions, "ScaleUp", "True", "ScaledUp", scaled_up, now, force_transition=True)
    elif old_up is not None:
        up = old_up
    else:
        up = _condition(conditions, "ScaleUp", "False", "NoActivity", "", now)
    down = _condition(conditions, "ScaleDown", "True" if candidates else "False",
                      "CandidatesPresent" if candidates else "NoCandidates", f"candidates={candidates}", now)
    new_status = {**status, "currentSize": len(nodes), "conditions": [health, up, down]}
    if new_status == status:
        return None
    out = clone(group)
    out["status"] = new_status
    return out


def status_text(groups: list[dict], members: dict[str, list[dict]], candidates: dict[str, list[str]],
                unremovable: dict[str, dict[str, str]], scale_up_in_progress: bool) -> str:
    """The ConfigMap's ``status`` key (YAML, no volatile probe times)."""
    nodes = [n for g in groups for n in members.get(ng.group_name(g)) or ()]
    ready = sum(1 for n in nodes if ng.is_ready(n))
    total_candidates = sum(len(v) for v in candidates.values())
    lines = [
        "autoscalerStatus: Running",
        "clusterWide:",
        "  health:",
        "    status: Healthy",
        "    nodeCounts:",
        "      registered:",
        f"        total: {len(nodes)}",
        f"        ready: {ready}",
        f"        unready: {len(nodes) - ready}",
        "  scaleUp:",
        f"    status: {'InProgress' if scale_up_in_progress else 'NoActivity'}",
        "  scaleDown:",
        f"    status: {'CandidatesPresent' if total_candidates else 'NoCandidates'}",
        f"    candidates: {total_candidates}",
        "nodeGroups:",
    ]
    for g in sorted(groups, key=ng.group_name):
        name = ng.group_name(g)
        gnodes = members.get(name) or []
        gready = sum(1 for n in gnodes if ng.is_ready(n))
        cands = candidates.get(name) or []
        lines += [
            f"- name: {name}",
            "  health:",
            "    status: Healthy",
            "    nodeCounts:",
            "      registered:",
            f"        total: {len(gnodes)}",
            f"        ready: {gready}",
            f"        unready: {len(gnodes) - gready}",
            f"    cloudProviderTarget: {len(gnodes)}",
            f"    minSize: {ng.min_size(g)}",
            f"    maxSize: {ng.max_size(g)}",
            "  scaleUp:",
            f"    status: {'InProgress' if scale_up_in_progress else 'NoActivity'}",
            "  scaleDown:",
            f"    status: {'CandidatesPresent' if cands else 'NoCandidates'}",
            f"    candidates: {len(cands)}",
        ]
        if cands:
            lines.append("    unneededNodes:")
            lines += [f"    - {c}" for c in cands]
        blocked = unremovable.get(name) or {}
        if blocked:
            lines.append("    unremovableNodes:")
            for node in sorted(blocked):
                lines.append(f"    - name: {node}")
                lines.append(f"      reason: {_yaml_str(blocked[node])}")
    return "\n".join(lines) + "\n"


def _yaml_str(s: str) -> str:
    return f'"{s}"' if any(ch in s for ch in ":{}[]#,") else s


def status_config_map(current: dict | None, text: str, last_scale_up: str | None, now: datetime) -> tuple[str, dict] | None:
    """("create"|"update", object) for the status ConfigMap, or None when unchanged."""
    annotations = {LAST_UPDATED: rfc3339(now)}
    if last_scale_up:
        annotations[LAST_SCALE_UP] = last_scale_up
    if current is None:
        return "create", {"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": STATUS_CONFIG_MAP, "namespace": NAMESPACE, "annotations": annotations},
                          "data": {"status": text}}
    old_ann = (current.get("metadata") or {}).get("annotations") or {}
    if (current.get("data") or {}).get("status") == text and old_ann.get(LAST_SCALE_UP) == last_scale_up:
        return None
    out = clone(current)
    ann = out["metadata"].setdefault("annotations", {})
    ann.update(annotations)
    if not last_scale_up:
        ann.pop(LAST_SCALE_UP, None)
    out["data"] = {**(out.get("data") or {}), "status": text}
    return "update", out
