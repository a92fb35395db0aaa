"""`--jobs N`: check batches of profiles on worker processes, results in input order.

Where processes fork, workers inherit the main process's checker, its compiled
templates and its warmed text analyzer (lexicons, presidio), so they start at once.
Elsewhere (spawn) each worker loads the config, policy, rules and campaigns itself.
The main process reads the profiles and hands out batches; from a JSON Lines file it
hands out lines, which the workers parse (see `engine._check_json_lines`).
Template-level findings are reported by the main process only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from creepcheck import collector
from creepcheck.models import Profile

if TYPE_CHECKING:
    from creepcheck.engine import Batch, CheckOptions, LineOutcome, _CampaignChecker

_WORKER: _CampaignChecker | None = None


def _init_worker(options: CheckOptions) -> None:
    global _WORKER
    from creepcheck.engine import _Setup

    with collector.paused():
        setup = _Setup.load(options)
        checker = setup.checker()
        for campaign in setup.campaigns:
            checker.prepare(campaign)
        if checker.run.text is not None:
            checker.run.text.warm({c.language for c in setup.campaigns})
    collector.settle()
    _WORKER = checker


def _check_batch(job: tuple[str, list[Profile]]) -> Batch:
    assert _WORKER is not None, "worker not initialised"
    campaign_id, profiles = job
    return _WORKER.check_batch(campaign_id, profiles)


def _check_lines(job: tuple[str, str, list[tuple[int, str]]]) -> list[LineOutcome]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.check_lines(*job)


def _use_inherited(checker: _CampaignChecker) -> None:
    global _WORKER
    _WORKER = checker


@contextmanager
def worker_pool(options: CheckOptions, checker: _CampaignChecker) -> Iterator[Workers]:
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    jobs = min(options.jobs, os.cpu_count() or 1) if options.jobs > 1 else 1
    initializer, initargs = (_use_inherited, (checker,)) if fork else (_init_worker, (options,))
    with context.Pool(max(jobs, 2), initializer, initargs) as pool:
        yield Workers(pool)


class Workers:
    """Batches checked on the pool's processes, results in input order (`Runner`)."""

    on_workers = True

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def profiles(self, campaign_id: str, batches: Iterable[list[Profile]]) -> Iterator[Batch]:
        jobs = ((campaign_id, batch) for batch in batches)
        return self.pool.imap(_check_batch, jobs, chunksize=1)  # type: ignore[no-any-return]

    def lines(
        self, campaign_id: str, file: str, batches: Iterable[list[tuple[int, str]]]
    ) -> Iterator[list[LineOutcome]]:
        jobs = ((campaign_id, file, batch) for batch in batches)
        return self.pool.imap(_check_lines, jobs, chunksize=1)  # type: ignore[no-any-return]
