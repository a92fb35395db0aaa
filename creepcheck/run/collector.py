"""The cyclic garbage collector's settings for a check run.

Python's collector is tuned for programs whose heap turns over. A check run is the
opposite: startup builds a large heap that lives to the end (spaCy, presidio, the
compiled lexicons), then each profile makes short-lived objects that are freed by
reference counting, not by the collector. With the default settings the collector
rescans that long-lived heap again and again; on a 20,000-profile run that cost a
quarter of the time. So: no collections while the heap is being built, then the heap
is frozen (never scanned, and not copied on write by forked workers) and young
objects are collected in larger batches. Cyclic garbage is still collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Objects allocated between collections of the youngest generation (Python's default
# is 700): a profile allocates a few hundred, almost none of them in cycles.
YOUNG_THRESHOLD = 10_000


@contextmanager
def paused() -> Iterator[None]:
    """No collections inside the block (building the long-lived heap)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Everything allocated so far is left out of collections until the block ends."""
    thresholds = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def settle() -> None:
    """Freeze the heap built so far and collect young objects in larger batches, for
    the rest of the process (a spawned worker that only checks profiles from now on)."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
