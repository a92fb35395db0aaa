"""What the tracking reader finds: a second-person act told as a fact, with the details
that make it an observation of the reader, and the rule for when the words alone are
enough to disclose tracking (CC204)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Detail", "TrackingAct"]


@dataclass(frozen=True)
class Detail:
    """What makes an act an observation: its kind and the words that say it."""

    kind: str  # count | habit | time | place | object | observed
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TrackingAct:
    """A second-person act told as a fact, with its details (possibly none)."""

    kind: str  # view | visit | open | search | pickup | attendance | time
    words: str  # the act as written ("looked at", "your last visit")
    start: int
    end: int
    who: str  # subject | thanks | possessive | dependent | elided
    details: tuple[Detail, ...]
    window: tuple[int, int]  # the clause it sits in: where a profile value is its detail
    needs: str = ""  # place: with a place and another detail; time: with when; count: how often

    @property
    def discloses(self) -> bool:
        """Whether the words alone make it an observation of the reader."""
        kinds = {d.kind for d in self.details}
        if "habit" in kinds and self.needs != "time":
            kinds = (kinds - {"habit"}) | {"count"}
        if self.who == "elided-ing":  # "Visiting your mum in Brighton again this weekend?"
            # or the words they searched for: "Still searching for 'wide-fit heels'?"
            # or what they looked at, pointed at: "Still eyeing those trail runners?"
            return "count" in kinds and bool(kinds & {"time", "place", "query", "object"})
        if "near" in kinds:
            kinds |= {"place", "time"}
        if self.needs == "place":
            if "observed" in kinds and "time" in kinds:
                return True  # "we saw you leave at 7:02": seen, and when, is a log
            if "place" in kinds and self.words.lower().rsplit(" ", 1)[-1] == "near":
                return True  # "You were just near our Harbor Street store": where they are
            return "place" in kinds and bool(kinds - {"place", "object", "habit"})
        if self.needs == "time":  # where alone is what any receipt says ("your order from")
            return bool(kinds & {"time", "observed", "count"})
        if self.needs == "count":  # "you looked 5 times" (the reader checks it is of times)
            return "count" in kinds
        if self.who == "elided":
            return bool(kinds & {"count", "time", "place", "observed", "query"})
        if self.who == "recap":  # "Viewed 4 times since Friday: the Alpine tent."
            small = all(
                int(n.replace(",", "")) <= 50
                for d in self.details
                if d.kind == "count"
                for n in re.findall(r"\d[\d,]*", d.text)
            )
            clocked = any(
                d.kind == "time" and any(c.isdigit() for c in d.text) for d in self.details
            )
            # "Checked in at PureGym Camden at 06:14": a place and a clock time are a log
            return (small and "count" in kinds and bool(kinds & {"time", "place"})) or (
                "place" in kinds and clocked
            )
        return bool(kinds)

    def shifted(self, offset: int) -> TrackingAct:
        return TrackingAct(
            self.kind,
            self.words,
            self.start + offset,
            self.end + offset,
            self.who,
            tuple(Detail(d.kind, d.start + offset, d.end + offset, d.text) for d in self.details),
            (self.window[0] + offset, self.window[1] + offset),
            self.needs,
        )

