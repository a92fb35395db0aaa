"""Where chunks are checked: in this process, or on worker processes (`parallel.py`);
outcomes come back in input order either way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Protocol

from creepcheck.run.checker import CampaignChecker, Chunk, Outcome
from creepcheck.run.options import CheckOptions


class Runner(Protocol):
    def outcomes(self, chunks: Iterable[Chunk]) -> Iterator[list[Outcome]]: ...


class InProcess:
    def __init__(self, checker: CampaignChecker) -> None:
        self.checker = checker

    def outcomes(self, chunks: Iterable[Chunk]) -> Iterator[list[Outcome]]:
        return (self.checker.check_chunk(chunk) for chunk in chunks)


@contextmanager
def runner(options: CheckOptions, checker: CampaignChecker) -> Iterator[Runner]:
    if options.jobs <= 1:
        yield InProcess(checker)
        return
    from creepcheck.run.parallel import worker_pool

    with worker_pool(replace(options, progress=None, audience_size=None), checker) as workers:
        yield workers
