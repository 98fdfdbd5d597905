"""Deterministic identities: uids and generated names.

Upstream draws both at random (``uuid.NewUUID()``, ``names.SimpleNameGenerator`` with
``utilrand.String(5)``). kctl must be reproducible, so both come from a SHA-256 of the cluster's
seed (``meta.seed``) and the store revision the write will take: still unique per cluster,
still shaped like the originals:

- uid: an RFC 4122 version-4 UUID (version nibble 4, variant 10xx);
- generateName: the prefix (cut to 58 characters, as upstream's maxGeneratedNameLength) plus
  5 characters from ``bcdfghjklmnpqrstvwxz2456789`` (apimachinery/pkg/util/rand: no vowels, no
  0/1/3, to avoid words and look-alikes).
"""

from __future__ import annotations

import hashlib

META_SEED = "seed"
DEFAULT_SEED = "kctl"

#: k8s.io/apimachinery/pkg/util/rand alphanums.
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
RANDOM_LENGTH = 5
MAX_NAME_LENGTH = 63
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("\x00".join(str(p) for p in parts).encode()).digest()


def new_uid(seed: str, counter: int) -> str:
    """A v4-shaped UUID that is a pure function of (seed, counter)."""
    raw = bytearray(_digest(seed, "uid", counter)[:16])
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()  # uuid.UUID's str(), without building the UUID object
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def random_string(seed: str, *salt: object, length: int = RANDOM_LENGTH) -> str:
    """utilrand.String(n), drawn from (seed, salt) instead of a PRNG."""
    out = []
    counter = 0
    while len(out) < length:
        for byte in _digest(seed, "rand", counter, *salt):
            # Rejection sampling keeps the 27 letters equally likely, like utilrand.
            if byte < 27 * 9:
                out.append(ALPHANUMS[byte % 27])
                if len(out) == length:
                    break
        counter += 1
    return "".join(out)


def generate_name(base: str, seed: str, *salt: object) -> str:
    """names.SimpleNameGenerator.GenerateName: ``base`` (cut to 58) + 5 seeded characters."""
    if len(base) > MAX_GENERATED_NAME_LENGTH:
        base = base[:MAX_GENERATED_NAME_LENGTH]
    return base + random_string(seed, "generateName", base, *salt)
