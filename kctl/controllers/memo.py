"""Reusing a controller's per-object answer while nothing it read has changed.

The view never changes an object in place: a write puts a new object in its place. So a
decision that is a pure function of some objects (and of ``now``) can be reused, within a
pass, as long as it is handed the very same objects again: identity, not equality, is the
test, and it costs one pointer comparison per input. Controllers use it where a round
re-examines thousands of unchanged objects (the endpoints of every Service, each round).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

#: What ``IdentityMemo.get`` returns when there is no reusable answer.
MISS: Any = object()


class IdentityMemo:
    """Answers keyed by an object's key, valid while their inputs are the same objects."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[tuple, Any]] = {}

    def get(self, key: Hashable, inputs: Sequence) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return MISS
        seen, answer = entry
        if len(seen) != len(inputs) or any(a is not b for a, b in zip(seen, inputs, strict=True)):
            return MISS
        return answer

    def put(self, key: Hashable, inputs: Sequence, answer: Any) -> Any:
        self._entries[key] = (tuple(inputs), answer)
        return answer
