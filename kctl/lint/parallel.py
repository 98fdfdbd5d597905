"""Lint many files on every core: contiguous chunks of the file list go to worker
processes (fork), results come back in input order.

Custom resources whose CustomResourceDefinition is in another chunk are handed back
unvalidated; the parent registers every CRD the workers saw, then validates them,
so a CRD and its resources may sit in any files of the run, as in a single process.
"""

from __future__ import annotations

import os

from kctl.lint.runner import Linter, LintOptions
from kctl.manifests import Source, read_sources
from kctl.manifests.reader import read_source

#: Below this many files one process is faster than starting workers.
MIN_FILES = 96


def worker_count(sources: list[Source]) -> int:
    if len(sources) < MIN_FILES or any(s.is_stdin for s in sources) or os.environ.get("KCTL_LINT_WORKERS") == "1":
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def _chunk(items: list, n: int) -> list[list]:
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _lint_chunk(args) -> tuple[list, list[dict], list[tuple]]:
    sources, options = args
    linter = Linter(options)
    results = list(linter.run(read_sources(sources), finalize=False))
    deferred = [(m.filename, m.doc_index, m.item_path) for m in linter.deferred]
    return results, linter.crds, deferred


def lint_sources(sources: list[Source], options: LintOptions) -> list:
    workers = worker_count(sources)
    if workers == 1:
        return list(Linter(options).run(read_sources(sources)))
    import multiprocessing

    chunks = [c for c in _chunk(sources, workers * 4) if c]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_lint_chunk, [(chunk, options) for chunk in chunks])
    linter = Linter(options)
    for _, crds, _ in parts:
        for crd in crds:
            linter.schemas.add_crd(crd)
    results = [r for part in parts for r in part[0]]
    for filename, doc_index, item_path in (d for part in parts for d in part[2]):
        for m in read_source(Source(filename)):
            if getattr(m, "doc_index", None) == doc_index and getattr(m, "item_path", None) == item_path:
                results.append(linter.check(m, final=True))
                break
    return results
