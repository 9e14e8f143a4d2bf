"""The parallel build keeps memory flat: the writer never has more than a few chunks of parsed
reports waiting, however many files there are and however slowly it writes."""

from __future__ import annotations

from pathlib import Path

import loaders.build as build_module
from loaders.extract.agencies import Overrides


class CountingPool:
    """Stands in for the process pool: runs a task when its result is asked for, and records
    how many submitted tasks were not yet consumed at the busiest moment."""

    instances: list["CountingPool"] = []

    def __init__(self, *args, **kwargs):
        self.outstanding = 0
        self.most_outstanding = 0
        self.submitted = 0
        CountingPool.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, chunk):
        pool = self
        self.submitted += 1
        self.outstanding += 1
        self.most_outstanding = max(self.most_outstanding, self.outstanding)

        class Future:
            def result(self):
                pool.outstanding -= 1
                return [build_module.FileOutcome(name) for _, name in chunk]
        return Future()


def test_tasks_in_flight_are_bounded_and_results_come_in_input_order(monkeypatch):
    monkeypatch.setattr(build_module, "ProcessPoolExecutor", CountingPool)
    inputs = [(Path(f"{i}.txt"), f"{i}.txt") for i in range(10_000)]
    names = [p.name for p in build_module.parse_all(inputs, Overrides.load(None), jobs=2)]
    assert names == [name for _, name in inputs]
    [pool] = CountingPool.instances[-1:]
    assert pool.submitted == 10_000 // build_module.CHUNK_FILES + 1
    # 2 workers x TASKS_PER_WORKER chunks of CHUNK_FILES files at most, not the corpus
    assert pool.most_outstanding == 2 * build_module.TASKS_PER_WORKER
