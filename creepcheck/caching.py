"""The two kinds of cache the core keeps, and nothing else does.

Rules are pure functions of what they read; they declare what may be remembered and
the core stores it:

- `Derived(make)` for data worked out from one object that many checks read: a
  profile (`Profile.memo`), a rendered message shared by the profiles that render it
  alike (`RenderedMessage.memo`) or a campaign (`Campaign.memo`). It is made by
  `make(source, *key)` the first time and kept on the object, so it lives as long as
  the object and no longer; a `Derived` instance is its own key, so two never collide.
  This is the only kind a rule module may declare.
- `memoised(maxsize)` for a function of hashable values in the readers below the rules
  (a sentence, a field path, a time zone): most of a campaign's copy and most field
  paths are the same for every profile, so each is worked out once however many
  profiles show it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, Generic, Protocol, TypeVar

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])


def memoised(maxsize: int) -> Callable[[_F], _F]:
    """Remember a pure function's results by its (hashable) arguments, bounded."""

    def wrap(function: _F) -> _F:
        return lru_cache(maxsize=maxsize)(function)  # type: ignore[return-value]

    return wrap


class HasMemo(Protocol):
    @property
    def memo(self) -> dict[Any, Any]: ...


class Derived(Generic[_T]):
    """Data derived from one object by a pure function, made once per object (and key)."""

    def __init__(self, make: Callable[..., _T]) -> None:
        self.make = make

    def of(self, source: HasMemo, *key: Hashable, using: object = None) -> _T:
        """`make(source, *key)`, or `make(using, *key)` when the inputs are reached through
        another object (a check's subject) that differs where `source` is shared."""
        memo = source.memo
        slot = (self, *key) if key else self
        if slot not in memo:
            memo[slot] = self.make(source if using is None else using, *key)
        return memo[slot]  # type: ignore[no-any-return]
