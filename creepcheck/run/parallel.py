"""`--jobs N`: check chunks of an audience on worker processes, results in input order.

Where processes fork, workers inherit the main process's checker, its compiled
templates and its warmed text analyzer (its lexicons), so they start at once; each
builds presidio's engine itself if its copy ever needs it.
Elsewhere (spawn) each worker loads the config, policy, rules and campaigns itself.
The main process reads the audience and hands out chunks; from a JSON Lines file it
hands out lines, which the workers parse (see `sources.AudienceReader`).
Template-level findings are reported by the main process only.

Only a bounded window of chunks is in flight at a time, so memory stays flat however
long the audience. A worker that dies (killed, or by the kernel when memory runs out)
ends the run with `WorkerDied` naming the profiles it was checking, never a hang.
Workers ignore Ctrl-C: the main process stops them when it is interrupted.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

from creepcheck.errors import UserError
from creepcheck.run import collector
from creepcheck.run.checker import CampaignChecker, Chunk, Outcome
from creepcheck.run.options import CheckOptions

_WORKER: CampaignChecker | None = None

# Chunks in flight per worker: enough to keep every worker busy while the main
# process takes results in order, few enough that memory does not grow with the run.
CHUNKS_PER_WORKER = 4

INTERRUPTS = {signal.SIGINT, signal.SIGTERM}

class WorkerDied(UserError):
    """A worker process ended while checking profiles: the run cannot finish (exit 2)."""


def _init_worker(options: CheckOptions) -> None:
    global _WORKER
    from creepcheck.run.setup import Setup  # spawned workers only

    _leave_signals_to_parent()
    with collector.paused():
        checker = Setup.load(options).prepared_checker()
    collector.settle()
    _WORKER = checker


def _use_inherited(checker: CampaignChecker) -> None:
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


def _check_chunk(chunk: Chunk) -> list[Outcome]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.check_chunk(chunk)


@contextmanager
def worker_pool(options: CheckOptions, checker: CampaignChecker) -> Iterator[Workers]:
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    jobs = max(min(options.jobs, os.cpu_count() or 1), 2)
    if fork:
        executor = ProcessPoolExecutor(jobs, context, _use_inherited, (checker,))
    else:
        executor = ProcessPoolExecutor(jobs, context, _init_worker, (options,))
    try:
        yield Workers(executor, jobs * CHUNKS_PER_WORKER)
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
    processes = _processes(executor)
    for process in processes:
        if process.exitcode is None:
            process.terminate()
    for process in processes:
        process.join()
    _end_results_pipe(executor)
    with _signals_deferred():
        executor.shutdown(wait=True, cancel_futures=True)


def _end_results_pipe(executor: ProcessPoolExecutor) -> None:
    """A worker ended in the middle of sending a result leaves the executor's thread
    waiting for the rest of it, and `shutdown` waiting for that thread. With every
    worker gone, the main process holds the last write end of the results pipe:
    closing it turns that wait into end-of-file, which the executor handles as a
    broken pool (and then stops feeding the call pipe that nobody reads)."""
    results = getattr(executor, "_result_queue", None)
    writer = getattr(results, "_writer", None)
    if writer is not None and not writer.closed:
        writer.close()


def _processes(executor: ProcessPoolExecutor) -> list[BaseProcess]:
    # The executor does not say which worker died or how; its process table does.
    return list((getattr(executor, "_processes", None) or {}).values())


@dataclass(frozen=True)
class _Span:
    """Where a chunk's profiles are: for the message when its worker dies."""

    file: str
    first: int | None
    last: int | None


class Workers:
    """Chunks checked on the pool's processes, results in input order (a `Runner`)."""

    def __init__(self, executor: ProcessPoolExecutor, window: int) -> None:
        self.executor = executor
        self.window = window

    def outcomes(self, chunks: Iterable[Chunk]) -> Iterator[list[Outcome]]:
        pending: deque[tuple[Future[list[Outcome]], _Span]] = deque()
        waiting = ((chunk, _Span(chunk.file, *chunk.line_span())) for chunk in chunks)

        def top_up() -> None:
            while len(pending) < self.window:
                job = next(waiting, None)
                if job is None:
                    return
                with _signals_deferred():
                    future = self.executor.submit(_check_chunk, job[0])
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
        """What to tell the user when a worker has died with these chunks in flight."""
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
