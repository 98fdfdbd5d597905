"""What a control-plane pass changed, as text (a diff grouped by object) or as data.

    control plane: 4 created, 1 changed, 0 deleted; 9 events
      + replicaset.apps/web-6d8f9c7b5 -n shop
      + pod/web-6d8f9c7b5-7xk2p -n shop  Running on node-2 (10.244.2.2)
      ~ deployment.apps/web -n shop
          status.readyReplicas: <none> -> 3
    events:
      Normal  ScalingReplicaSet  deployment/web  Scaled up replica set web-6d8f9c7b5 from 0 to 3
"""

from __future__ import annotations

from kctl.printers.tabwriter import format_cells

#: Fields every write touches; they say nothing about what changed.
NOISE = {("metadata", "resourceVersion"), ("metadata", "managedFields")}
MAX_FIELDS = 8
MAX_PER_RESOURCE = 25


def flatten(obj, prefix: tuple = ()) -> dict[tuple, object]:
    out: dict[tuple, object] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, (*prefix, k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(flatten(v, (*prefix, i)))
    else:
        out[prefix] = obj
    return out


def field_changes(before: dict, after: dict) -> list[tuple[str, object, object]]:
    """Leaf fields that differ: (path, old, new); missing values are None."""
    from kctl.api.field import render_path

    old, new = flatten(before), flatten(after)
    changes = []
    for path in sorted(set(old) | set(new), key=lambda p: tuple(str(x) for x in p)):
        if path[:2] in NOISE:
            continue
        if old.get(path, _MISSING) != new.get(path, _MISSING):
            changes.append((render_path(path), old.get(path), new.get(path)))
    return changes


_MISSING = object()


def _value(v) -> str:
    if v is None:
        return "<none>"
    text = str(v) if not isinstance(v, bool) else str(v).lower()
    return text if len(text) <= 60 else text[:57] + "..."


def object_name(change) -> str:
    from kctl.api import registry

    obj = change.after or change.before or {}
    rt = registry.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    prefix = rt.kind_group if rt else change.resource
    return f"{prefix}/{change.name}"


def pod_summary(pod: dict) -> str:
    from kctl.printers.columns.pods import pod_status_cells  # kubectl's STATUS column

    status = pod_status_cells(pod)[2] if _has_status(pod) else (pod.get("status") or {}).get("phase", "")
    node = (pod.get("spec") or {}).get("nodeName")
    ip = (pod.get("status") or {}).get("podIP")
    text = status
    if node:
        text += f" on {node}"
    if ip:
        text += f" ({ip})"
    return text


def _has_status(pod: dict) -> bool:
    return isinstance(pod.get("status"), dict)


def render_changes(result, *, verbose: bool = False) -> str:
    changes = result.changes
    counts = {a: sum(1 for c in changes if c.action == a) for a in ("created", "changed", "deleted")}
    lines = [f"control plane: {counts['created']} created, {counts['changed']} changed, "
             f"{counts['deleted']} deleted; {len(result.events)} events"]
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for c in changes:
        if not verbose and shown.get(c.resource, 0) >= MAX_PER_RESOURCE:
            hidden[c.resource] = hidden.get(c.resource, 0) + 1
            continue
        shown[c.resource] = shown.get(c.resource, 0) + 1
        mark = {"created": "+", "changed": "~", "deleted": "-"}[c.action]
        head = f"  {mark} {object_name(c)}" + (f" -n {c.namespace}" if c.namespace else "")
        obj = c.after or c.before
        if c.resource == "pods" and c.action != "deleted":
            head += f"  {pod_summary(obj)}"
        lines.append(head)
        if c.action == "changed":
            fields = field_changes(c.before, c.after)
            for path, old, new in fields[:MAX_FIELDS] if not verbose else fields:
                lines.append(f"      {path}: {_value(old)} -> {_value(new)}")
            if not verbose and len(fields) > MAX_FIELDS:
                lines.append(f"      ... {len(fields) - MAX_FIELDS} more fields")
    for resource, n in sorted(hidden.items()):
        lines.append(f"  ... and {n} more {resource}")
    if result.events:
        lines.append("events:")
        rows = []
        for e in result.events:
            ref = e.get("involvedObject") or {}
            message = (e.get("message") or "").split("\n")[0]
            rows.append([e.get("type", ""), e.get("reason", ""), f"{ref.get('kind', '').lower()}/{ref.get('name', '')}", message])
        rows = _dedupe(rows)
        if not verbose and len(rows) > 40:
            extra = len(rows) - 40
            rows = rows[:40]
            lines.extend("  " + line for line in format_cells(rows, min_width=0, padding=2).splitlines())
            lines.append(f"  ... and {extra} more events")
        else:
            lines.extend("  " + line for line in format_cells(rows, min_width=0, padding=2).splitlines())
    for err in result.errors:
        lines.append(f"error: {err}")
    return "\n".join(lines) + "\n"


def _dedupe(rows: list[list[str]]) -> list[list[str]]:
    seen, out = set(), []
    for r in rows:
        key = tuple(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def changes_as_data(result) -> dict:
    """``-o json``: the pass as data for scripts."""
    return {
        "rounds": result.rounds,
        "changes": [
            {"action": c.action, "resource": c.resource, "namespace": c.namespace, "name": c.name,
             "fields": [{"path": p, "old": o, "new": n} for p, o, n in field_changes(c.before, c.after)]
             if c.action == "changed" else [],
             "object": c.after if c.action != "deleted" else c.before}
            for c in result.changes
        ],
        "events": result.events,
        "errors": result.errors,
    }
