"""Who does an act with no subject of the reader's own: a dependant or thing of the
reader's ("your son was collected", "your card's been tapping in"), the reader's device
("opened 4 times on your iPad"), or a message sent to the reader alone ("This email has
been opened 4 times since Friday")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from creepcheck.text.document import Token
from creepcheck.text.tracking_vocabulary import HARD, LAST, TrackingVocabulary

__all__ = ["ActReader", "dependent"]


class ActReader(Protocol):
    """What these readings need of a sentence (`tracking_clause.ClauseReader` has it)."""

    tokens: Sequence[Token]
    low: list[str]
    lemmas: list[set[str]]
    v: TrackingVocabulary
    ru: bool


def dependent(r: ActReader, i: int) -> bool:
    """ "your son was collected", "ваших детей забрали": someone of the reader's."""
    if _on_readers_device(r, i) or _message_opened(r, i):
        return True
    if r.ru:
        window = range(max(0, i - 3), min(len(r.tokens), i + 4))
        return any(
            r.lemmas[k] & (r.v.dependents | r.v.devices)
            and k > 0
            and "2per" in r.tokens[k - 1].tags
            and "POSS" in r.tokens[k - 1].tags
            for k in window
        )
    for k in range(i - 1, max(-1, i - 5), -1):
        pair = f"{r.low[k - 1]} {r.low[k]}" if k else ""  # "your little one"
        if r.lemmas[k] & r.v.dependents or r.low[k] in r.v.dependents or pair in r.v.dependents:
            # "your son was collected", "your morning run took you past"; a thing sent
            # to the reader only when it is picked up ("your parcel arrived" is no log)
            if r.low[k] in r.v.sent_things and not r.lemmas[i] & r.v.pickup_verbs:
                return False
            return "your" in r.low[max(0, k - 2) : k]
        if r.low[k] not in ("was", "were", "been", "has", "have", "had", "just", "'s"):
            return False
    return False


def _message_opened(r: ActReader, i: int) -> bool:
    """A message sent to the reader alone, opened (passive): "This email has been
    opened 4 times since Friday", "Our last three emails were opened in Manchester".
    Not the sender's mail at large ("Our emails were opened 2 million times") nor
    opened by others ("by 40% of subscribers")."""
    if r.ru or i < 2 or r.low[i - 1] not in ("was", "were", "been"):
        return False
    if not any(e.kind == "open" for k in r.lemmas[i] for e in r.v.entries.get(k, ())):
        return False
    if "by" in r.low[i + 1 : i + 4]:
        return False
    for k in range(i - 2, max(-1, i - 8), -1):
        if r.low[k] in r.v.messages:
            owner = r.low[max(0, k - 4) : k]
            return bool({"this", "that"} & set(owner)) or (
                "our" in owner and bool(LAST & set(owner))
            )
    return False


def _on_readers_device(r: ActReader, i: int) -> bool:
    """An act with no subject of its own done on the reader's device or card: "this
    email has been opened 4 times on your iPad", «письмо открывали с вашего планшета».
    English needs the passive; Russian an impersonal plural past with no subject."""
    if r.ru:
        if not {"plur", "past"} <= r.tokens[i].tags or any(
            "nomn" in t.tags and ("NPRO" in t.tags or "PRON" in t.tags)
            for t in r.tokens[max(0, i - 4) : i]
        ):
            return False
    elif not (i > 0 and r.low[i - 1] in ("was", "were", "been", "being")):
        return False
    for k in range(i + 1, min(len(r.tokens) - 1, i + 9)):
        if r.low[k] in HARD:
            return False
        token = r.tokens[k]
        if token.second_person and "POSS" in token.tags:
            device = r.lemmas[k + 1] | {r.low[k + 1]}
            return bool(device & (r.v.devices | r.v.dependents))
    return False
