"""``controller.ComputeHash`` and ``rand.SafeEncodeString`` (the pod-template-hash).

Upstream hashes a spew dump of the Go PodTemplateSpec with FNV-1a 32-bit, then (when
``status.collisionCount`` is set) the count as 8 little-endian bytes (uint32 in the first 4),
and encodes the decimal ``Sum32`` digit by digit over the 27-character alphabet. A Go struct
dump cannot be reproduced here, so kctl hashes the template's canonical JSON (sorted keys,
compact separators, UTF-8) instead: the value differs from a real cluster's, but the
algorithm, the collision handling, the alphabet (``4-9 b c d f``) and the length (1-10
characters) are upstream's.
"""

from __future__ import annotations

import json

#: ``k8s.io/apimachinery/pkg/util/rand`` alphanums: no vowels, no confusable 0/1/3.
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"

_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193
_FNV64_OFFSET = 0xCBF29CE484222325
_FNV64_PRIME = 0x100000001B3


def fnv1a_32(data: bytes, h: int = _FNV32_OFFSET) -> int:
    for byte in data:
        h = ((h ^ byte) * _FNV32_PRIME) & 0xFFFFFFFF
    return h


def fnv1a_64(data: bytes, h: int = _FNV64_OFFSET) -> int:
    for byte in data:
        h = ((h ^ byte) * _FNV64_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def safe_encode_string(s: str) -> str:
    """``rand.SafeEncodeString``: each character ``c`` -> ``ALPHANUMS[ord(c) % 27]``."""
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in s)


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """The pod-template-hash of a (deployment) pod template and ``status.collisionCount``."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    h = fnv1a_32(data)
    if collision_count is not None:
        h = fnv1a_32((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0", h)
    return safe_encode_string(str(h))
