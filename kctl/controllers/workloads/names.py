"""Deterministic generateName-style pod names for controllers that must know a pod's name
before the API server sees it (their events name the pod).

Same shape as ``names.SimpleNameGenerator``: the base cut to 58 characters plus 5 characters
from ``bcdfghjklmnpqrstvwxz2456789`` (apimachinery/pkg/util/rand), drawn from a SHA-256 of
the salt instead of a PRNG.
"""

from __future__ import annotations

import hashlib

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = 63 - RANDOM_LENGTH


def seeded_suffix(*salt: object, length: int = RANDOM_LENGTH) -> str:
    out: list[str] = []
    counter = 0
    while len(out) < length:
        digest = hashlib.sha256("\x00".join(str(s) for s in (*salt, counter)).encode()).digest()
        for byte in digest:
            if byte < 27 * 9:  # rejection sampling keeps the 27 letters equally likely
                out.append(ALPHANUMS[byte % 27])
                if len(out) == length:
                    break
        counter += 1
    return "".join(out)


def generate_name(base: str, *salt: object) -> str:
    if len(base) > MAX_GENERATED_NAME_LENGTH:
        base = base[:MAX_GENERATED_NAME_LENGTH]
    return base + seeded_suffix(base, *salt)


def unique_name(base: str, taken, *salt: object) -> str:
    """``generate_name`` with an attempt counter, skipping names in ``taken``."""
    attempt = 0
    while True:
        name = generate_name(base, *salt, attempt)
        if name not in taken:
            return name
        attempt += 1
