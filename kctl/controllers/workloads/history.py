"""ControllerRevisions (pkg/controller/history) and the template hash
(``controller.ComputeHash``).

Upstream hashes Go's struct dump (or the revision's raw JSON) with FNV-1a 32 bit and spells
the decimal sum with ``rand.SafeEncodeString``; kctl hashes a canonical JSON serialization
instead, so values differ from a real cluster's but keep their alphabet and length.
"""

from __future__ import annotations

import json

from kctl.controllers.base import owner_reference

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
#: ``history.ControllerRevisionHashLabel``.
CONTROLLER_REVISION_HASH_LABEL = "controller.kubernetes.io/hash"


def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode_string(text: str) -> str:
    """``rand.SafeEncodeString``: each character mapped into the vowel-free alphabet."""
    return "".join(ALPHANUMS[ord(ch) % len(ALPHANUMS)] for ch in text)


def canonical_json(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(obj, collision_count: int | None) -> str:
    """FNV-1a 32 of ``obj`` (+ the collision count as 8 little-endian bytes when set)."""
    data = canonical_json(obj)
    if collision_count is not None:
        data += int(collision_count & 0xFFFFFFFF).to_bytes(8, "little")
    return safe_encode_string(str(fnv32a(data)))


def controller_revision_name(prefix: str, hash_: str) -> str:
    """``ControllerRevisionName``: ``<prefix>-<hash>``, prefix cut to 223 characters."""
    if len(prefix) > 223:
        prefix = prefix[:223]
    return f"{prefix}-{hash_}"


def template_patch(template: dict) -> dict:
    """The revision data StatefulSet and DaemonSet store: the template, ``$patch: replace``."""
    return {"spec": {"template": {**template, "$patch": "replace"}}}


def template_of(revision: dict) -> dict:
    """``ApplyRevision``: the pod template a revision recorded."""
    tpl = dict(((revision.get("data") or {}).get("spec") or {}).get("template") or {})
    tpl.pop("$patch", None)
    return tpl


def owned_revisions(cluster, owner: dict) -> list[dict]:
    uid = (owner.get("metadata") or {}).get("uid", "")
    revs = [o for o in cluster.owned_by(uid) if o.get("kind") == "ControllerRevision"]
    return sorted(revs, key=lambda r: (int(r.get("revision") or 0), (r.get("metadata") or {}).get("name", "")))


def next_revision(revisions: list[dict]) -> int:
    return max((int(r.get("revision") or 0) for r in revisions), default=0) + 1


def new_controller_revision(owner: dict, name: str, hash_: str, data: dict, revision: int,
                            extra_labels: dict | None = None) -> dict:
    """``history.NewControllerRevision``: labels = the template's labels + the hash label."""
    tpl_labels = ((((owner.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels")) or {}
    labels = {**tpl_labels, CONTROLLER_REVISION_HASH_LABEL: hash_, **(extra_labels or {})}
    meta = owner.get("metadata") or {}
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {
            "name": name,
            "namespace": meta.get("namespace") or "default",
            "labels": labels,
            "ownerReferences": [owner_reference(owner)],
        },
        "data": data,
        "revision": revision,
    }
