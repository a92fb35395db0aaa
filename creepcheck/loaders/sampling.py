"""`--sample N`: N records drawn at random from a streamed audience, reproducibly.

Reservoir sampling (Vitter's algorithm R): one pass over the source, holding N records,
every record equally likely to be drawn whatever the source's length. The draw depends
only on the seed and the order of the source, so the same file, N and `--seed` check
the same profiles on every run and with any `--jobs`. The records are returned in the
order of the source, so findings and input problems read top to bottom.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def reservoir(items: Iterable[T], size: int, seed: int) -> list[T]:
    """`size` of `items` drawn uniformly at random (all of them when there are fewer)."""
    draw = random.Random(seed)
    kept: list[tuple[int, T]] = []
    for index, item in enumerate(items):
        if index < size:
            kept.append((index, item))
            continue
        slot = draw.randrange(index + 1)
        if slot < size:
            kept[slot] = (index, item)
    kept.sort(key=lambda pair: pair[0])
    return [item for _, item in kept]
