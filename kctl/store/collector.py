"""Pausing Python's automatic (cyclic) garbage collection around bulk work.

A control-plane pass or a large commit allocates many container objects (JSON documents)
while the process holds every object of the cluster, so the collector's generational scans
would run again and again over a growing heap. The documents are acyclic and freed by
reference counting; the few cycles bulk work may leave are found by the next automatic
collection after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def automatic_gc_paused() -> Iterator[None]:
    """No automatic collection inside the block; afterwards the collector is as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
