"""The reader placed in a named place with no act of their own: "Welcome to Lisbon,
Dana!", "How was Rome?", "Hope you enjoyed your weekend in Brighton!", "While you're in
Tokyo, ...", "Our app shows you've touched down in Singapore", "your last day in
Prague". The place must be a name from the gazetteer (creepcheck.text.places), so
"Welcome to NorthTrail!", "Welcome to the club" and "Welcome to London Fashion Week"
place nobody; a condition ("If you're in Leeds this weekend"), a plan ("Planning your
weekend in Brighton?") and an offer ("Enjoy Lisbon with our guide") do not either."""

from __future__ import annotations

from creepcheck.text.places import place_end
from creepcheck.text.tracking_act import TrackingAct
from creepcheck.text.tracking_details import DetailReader
from creepcheck.text.tracking_vocabulary import HARD

__all__ = ["PlaceReader"]

# A stretch of the reader's own time somewhere: "your weekend in Brighton"
STAYS = frozenset(
    {"day", "night", "weekend", "week", "trip", "stay", "time", "holiday", "holidays",
     "visit", "break", "evening", "morning", "afternoon", "getaway", "vacation"}
)  # fmt: skip
ARRIVALS = frozenset({"landed", "arrived", "touched"})
# Before "you're in": the reader may be anywhere ("Wherever you are in London")
NOT_THERE = frozenset({"wherever", "whenever", "if", "when", "once", "unless", "until", "whether"})


class PlaceReader(DetailReader):
    """The frames that place the reader by a place's name (English)."""

    def _placed_by_name(self, i: int) -> tuple[TrackingAct, range] | None:
        low = self.low
        word = low[i]
        if word == "welcome":
            at = i + 2 if low[i + 1 : i + 2] == ["back"] else i + 1
            return self._named(i, at + 1) if low[at : at + 1] == ["to"] else None
        if word == "how" and low[i + 1 : i + 2] == ["was"] and self.question:
            return self._named(i, i + 2, stays=True, closed=True)  # not "How was Rome built?"
        if word in ("enjoyed", "enjoying"):  # "Hope you enjoyed Rome", "Enjoying Lisbon?"
            said = (i and low[i - 1] in ("you", "'re")) or self._opens(i)
            asked = word == "enjoyed" or self.question
            return self._named(i, i + 1, stays=True) if said and asked else None
        if word == "you" and not self._hypothetical(i) and not (i and low[i - 1] in NOT_THERE):
            k = i + 1
            if low[k : k + 1] in (["'re"], ["are"]) and low[k + 1 : k + 2] in (["in"], ["near"]):
                return self._named(i, k + 2)
            while low[k : k + 1] in (["'ve"], ["have"], ["just"]):
                k += 1
            if low[k : k + 1] and low[k] in ARRIVALS:
                k += 2 if low[k] == "touched" and low[k + 1 : k + 2] == ["down"] else 1
                if low[k : k + 1] in (["in"], ["at"]):
                    return self._named(i, k + 1)
            return None
        if word == "your" and low[i + 1 : i + 2] == ["last"]:
            return self._named(i, i + 2, stays=True)
        return None

    def _named(
        self, i: int, k: int, stays: bool = False, closed: bool = False
    ) -> tuple[TrackingAct, range] | None:
        """The act when a place name starts at `k`, or (`stays`) after the reader's
        stretch of time there ("your weekend in", "your last day in"); `closed`: only
        where the name ends its clause."""
        low = self.low
        if stays:
            at = k + 1 if low[k : k + 1] == ["your"] else k
            if at < len(low) and low[at] in STAYS and low[at + 1 : at + 2] in (["in"], ["at"]):
                k = at + 2
        texts = [t.text for t in self.tokens]
        end = place_end(texts, low, k, "ru" if self.ru else "en")
        if end is None or (closed and end < len(low) and low[end] not in HARD | {","}):
            return None
        begin, finish = self._clause(i, k)
        details = (self._detail("observed", i, k), self._detail("place", k, end))
        act = self._act_over("visit", i, k, "thanks", details, (begin, finish), "place")
        return act, range(i, end)
