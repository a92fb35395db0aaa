"""`--jobs N`: check batches of profiles on worker processes, results in input order.

Where processes fork, workers inherit the main process's checker, its compiled
templates and its warmed text analyzer (lexicons, presidio), so they start at once.
Elsewhere (spawn) each worker loads the config, policy, rules and campaigns itself.
The main process reads the profiles and hands out batches; from a JSON Lines file it
hands out lines, which the workers parse (see `engine._check_json_lines`).
Template-level findings are reported by the main process only.

Only a bounded window of batches is in flight at a time, so memory stays flat however
long the audience. A worker that dies (killed, or by the kernel when memory runs out)
ends the run with `WorkerDied` naming the profiles it was checking, never a hang.
Workers ignore Ctrl-C: the main process stops them when it is interrupted.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, TypeVar

from creepcheck import collector
from creepcheck.errors import UserError
from creepcheck.models import Profile

if TYPE_CHECKING:
    from creepcheck.engine import Batch, CheckOptions, LineOutcome, _CampaignChecker

_WORKER: _CampaignChecker | None = None

# Batches in flight per worker: enough to keep every worker busy while the main
# process takes results in order, few enough that memory does not grow with the run.
BATCHES_PER_WORKER = 4

INTERRUPTS = {signal.SIGINT, signal.SIGTERM}

Job = TypeVar("Job")
Result = TypeVar("Result")


class WorkerDied(UserError):
    """A worker process ended while checking profiles: the run cannot finish (exit 2)."""


def _init_worker(options: CheckOptions) -> None:
    global _WORKER
    from creepcheck.engine import _Setup

    _leave_signals_to_parent()
    with collector.paused():
        setup = _Setup.load(options)
        checker = setup.checker()
        for campaign in setup.campaigns:
            checker.prepare(campaign)
        if checker.run.text is not None:
            checker.run.text.warm({c.language for c in setup.campaigns})
    collector.settle()
    _WORKER = checker


def _use_inherited(checker: _CampaignChecker) -> None:
    global _WORKER
    _leave_signals_to_parent()
    _WORKER = checker


def _leave_signals_to_parent() -> None:
    """Ctrl-C reaches the whole process group: the main process alone handles it, and
    ends its workers. A forked worker also drops the main process's SIGTERM handler."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # blocked when forked (`_signals_deferred`)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPTS)


def _check_batch(job: tuple[str, list[Profile]]) -> Batch:
    assert _WORKER is not None, "worker not initialised"
    campaign_id, profiles = job
    return _WORKER.check_batch(campaign_id, profiles)


def _check_lines(job: tuple[str, str, list[tuple[int, str]]]) -> list[LineOutcome]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.check_lines(*job)


@contextmanager
def worker_pool(options: CheckOptions, checker: _CampaignChecker) -> Iterator[Workers]:
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    jobs = max(min(options.jobs, os.cpu_count() or 1), 2)
    if fork:
        executor = ProcessPoolExecutor(jobs, context, _use_inherited, (checker,))
    else:
        executor = ProcessPoolExecutor(jobs, context, _init_worker, (options,))
    try:
        yield Workers(executor, jobs * BATCHES_PER_WORKER)
    except BaseException:
        _stop(executor)
        raise
    with _signals_deferred():
        executor.shutdown(wait=True)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """An interrupt arriving in the block is handled when it ends: the executor holds a
    lock in `submit` and `shutdown` that stopping the workers takes again."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now, whatever they are doing (an interrupt, a failed run)."""
    for process in _processes(executor):
        if process.exitcode is None:
            process.terminate()
    with _signals_deferred():
        executor.shutdown(wait=True, cancel_futures=True)


def _processes(executor: ProcessPoolExecutor) -> list[BaseProcess]:
    # The executor does not say which worker died or how; its process table does.
    return list((getattr(executor, "_processes", None) or {}).values())


@dataclass(frozen=True)
class _Span:
    """Where a batch's profiles are: for the message when its worker dies."""

    file: str
    first: int | None
    last: int | None


class Workers:
    """Batches checked on the pool's processes, results in input order (`Runner`)."""

    on_workers = True

    def __init__(self, executor: ProcessPoolExecutor, window: int) -> None:
        self.executor = executor
        self.window = window

    def profiles(self, campaign_id: str, batches: Iterable[list[Profile]]) -> Iterator[Batch]:
        jobs = (
            ((campaign_id, batch), _Span(batch[0].file, batch[0].line, batch[-1].line))
            for batch in batches
        )
        return self._in_order(_check_batch, jobs)

    def lines(
        self, campaign_id: str, file: str, batches: Iterable[list[tuple[int, str]]]
    ) -> Iterator[list[LineOutcome]]:
        jobs = (
            ((campaign_id, file, batch), _Span(file, batch[0][0], batch[-1][0]))
            for batch in batches
        )
        return self._in_order(_check_lines, jobs)

    def _in_order(
        self, function: Callable[[Job], Result], jobs: Iterable[tuple[Job, _Span]]
    ) -> Iterator[Result]:
        pending: deque[tuple[Future[Result], _Span]] = deque()
        waiting = iter(jobs)

        def top_up() -> None:
            while len(pending) < self.window:
                job = next(waiting, None)
                if job is None:
                    return
                with _signals_deferred():
                    future = self.executor.submit(function, job[0])
                pending.append((future, job[1]))

        while True:
            try:
                top_up()
                if not pending:
                    return
                result = pending[0][0].result()
            except BrokenProcessPool:  # from `result`, or from `submit` once it is known
                raise self._died([span for _, span in pending]) from None
            pending.popleft()
            yield result

    def _died(self, spans: list[_Span]) -> WorkerDied:
        """What to tell the user when a worker has died with these batches in flight."""
        processes = _processes(self.executor)
        _stop(self.executor)  # every worker reaped: their exit codes are known
        codes = [p.exitcode for p in processes if p.exitcode]
        how = _how_it_ended(codes)
        lines = [n for span in spans for n in (span.first, span.last) if n is not None]
        where = f" on lines {min(lines)}..{max(lines)}" if lines else ""
        of = f" of {spans[0].file}" if spans else ""
        return WorkerDied(
            f"a worker process died ({how}) while checking the profiles{where}{of}; "
            "run with --jobs 1 or with more memory"
        )


def _how_it_ended(exit_codes: list[int]) -> str:
    """The likeliest cause among the workers' exit codes: the others were stopped
    with SIGTERM once the pool broke."""
    signals = [-code for code in exit_codes if code < 0]
    for number in sorted(signals, key=lambda n: n == signal.SIGTERM):
        hint = ", maybe out of memory" if number == signal.SIGKILL else ""
        return f"killed by signal {number}{hint}"
    errors = [code for code in exit_codes if code > 0]
    return f"exited with code {errors[0]}" if errors else "ended unexpectedly"
