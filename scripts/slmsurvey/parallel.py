"""Use every core for the pure, per-item work of rendering: `parallel_map(func, items)`.

MkDocs runs single-threaded, so while our hook renders, the machine's other cores are idle. Worker
processes are forked, so they inherit the catalog and the (unpicklable) page closures instead of
receiving them; only the rendered text travels back. Results come back in input order, so the output
is byte-for-byte what a serial run gives (tests/test_benchmark_data.py holds the two equal).
Small jobs, or a platform without fork, run serially: forking only pays off past a few hundred items.
So does a process with other threads running (`mkdocs serve` serves and watches files in threads):
a forked child gets only the forking thread, and any lock another thread held stays locked in it.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PARALLEL_FROM = 500  # items; below this, forking costs more than it saves (1,000 works: 2.1 s, not 2.6 s at 2,000)

_task: tuple[Callable, Sequence] | None = None  # what forked workers run, set just before they start


def parallel_map(func: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if workers < 2 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods() \
            or not single_threaded():
        return [func(item) for item in items]
    global _task
    _task = (func, items)
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
            # Interleaved shares balance cheap and costly items; this process renders share 0 itself.
            futures = [pool.submit(_share, index, workers) for index in range(1, workers)]
            shares = [_share(0, workers)] + [future.result() for future in futures]
    finally:
        _task = None
    results: list = [None] * len(items)
    for index, share in enumerate(shares):
        results[index::workers] = share
    return results


def single_threaded() -> bool:
    return threading.active_count() == 1


def _share(index: int, workers: int) -> list:
    func, items = _task
    return [func(item) for item in items[index::workers]]
