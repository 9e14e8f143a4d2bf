"""Worker processes: how they are started, and their results taken in order with a bounded
number of tasks in flight. Used by the build's parse (build.parse_all) and by the search index's
segmentation (derived/search_index.py)."""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator

# forkserver: workers start from a clean process that has imported the loaders once (a test
# that patches the code a worker runs sets fork, whose workers inherit the patch).
START_METHOD = "forkserver" if sys.platform != "win32" else "spawn"
# What the fork server imports once, before it forks a worker.
PRELOAD = ["loaders.pipeline", "loaders.store"]


def context():
    """The multiprocessing context worker pools are made with (``START_METHOD``)."""
    made = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        made.set_forkserver_preload(PRELOAD)
    return made


def in_order(pool, task: Callable, chunks: Iterable, in_flight: int) -> Iterator:
    """The items of ``task(chunk)`` for each chunk, chunk after chunk in the chunks' order,
    computed by ``pool`` (a ``concurrent.futures`` executor) with at most ``in_flight`` chunks
    submitted and not yet taken: memory holds that many chunks' results whatever their number,
    and the chunks are read from their iterator only as fast as the results are taken."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(pool.submit(task, chunk))
        if len(pending) >= in_flight:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
