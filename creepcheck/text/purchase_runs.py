"""Runs of purchases told in order (CC301's "sequence" detail): "First the tent, then the
stove, now the mat", "A lawnmower in April, a strimmer in May and now a hedge trimmer",
"You went from our small bag of kibble to the large one". Read on a sentence's lowered
text by `creepcheck.text.purchases`, with its vocabulary."""

from __future__ import annotations

import re

from creepcheck.text.purchase_words import Vocabulary

__all__ = ["sequence"]

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)

# "..., and now the water bottle": a run brought up to now
NOW = re.compile(r"[,;]\s*(?:and\s+)?(?:now|теперь)\b")
# things, each after an ordering word: "first the tent, then the stove"
THINGS_IN_TURN = re.compile(r"\b(?:first|then|now|next)\s*,?\s+(?:the|a|an|your|that|those)\b")
ARTICLE = re.compile(r"\b(?:a|an|the|some|new)\b")
SENDER = re.compile(r"\b(?:our|we|we've|we're|us|наш\w*|мы|нас)\b")
# "From the starter kit to the pro kit to the master set: you've come a long way."
FROM_TO = re.compile(
    r"^\W*(?:from|от|с)\s+[^,:;]+?\s+(?:to|до|на)\s+[^,:;]+?\s+(?:to|до|на)\s+[^,:;]+"
)
MOVED = re.compile(
    r"\b(?:you|you've|вы)\s+(?:\w+\s+)?(?:moved|switched|upgraded|gone|went|перешли)\s+(?:from|с)\b"
)


def sequence(low: str, v: Vocabulary, following: str) -> tuple[int, int] | None:
    """A run of purchases told in order, whoever the sentence names as buying them."""
    moved = MOVED.search(low)
    if moved and len(re.findall(r"\b(?:to|на)\s+(?:the|a|our)?\b", low[moved.end() :])) >= 2:
        return moved.start(), len(low.rstrip())
    steps = FROM_TO.match(low)
    if steps and v.second_person.search(low, steps.end()) and not SENDER.search(low):
        return steps.start(), steps.end()
    if v.sender.search(low):
        return None
    head = re.split(r"[:—–]|\s-\s", low, maxsplit=1)
    chain = head[0]
    markers = len(v.chain_next.findall(chain)) + (1 if v.chain_first.search(chain) else 0)
    # A chain told to the reader as a recall, not a how-to ("...: your nails will love it").
    told = len(head) > 1 and not v.second_person.search(chain) and not v.modal.search(head[1])
    dated = any(p.search(chain) for p in v.dates)  # «..., а на прошлой неделе кроватка»
    # or brought up to now, or asked what comes next: "First the trainers, then the shorts,
    # now the water bottle", "First the tent, then the stove... a lantern next?"
    progress = (NOW.search(chain) is not None or low.rstrip().endswith("?")) and len(
        THINGS_IN_TURN.findall(chain)
    ) >= 2  # things, not steps to take ("First, pick a colour; then choose a size?")
    if markers >= 2 and (told or dated or progress or v.act_verb.search(low)):
        return 0, len(chain.rstrip())
    # "A lawnmower in April, a strimmer in May and now a hedge trimmer: ...": things each
    # given a time, three or more in a list told to the reader
    stamps = {m.start() for p in v.dates for m in p.finditer(chain)}
    listed = len(re.findall(r",|\s(?:and|и|а)\s", chain)) + 1
    things = CYRILLIC.search(chain) or len(ARTICLE.findall(chain)) >= 2  # not "starts in May"
    stamped = len(stamps) >= 2 and things
    if told and listed >= 3 and (stamped or _past_run(chain, head, v, stamps)):
        return 0, len(chain.rstrip())

    after = re.match(r"^\W*(?:after|после)\s+([^,]+(?:,\s*[^,]+)*?\s+(?:and|и)\s+[^,]+),", low)
    if after and v.second_person.search(low[after.end() :]):
        return after.start(1), after.end(1)
    times = [m for p in v.dates for m in p.finditer(low)]
    times += [m for m in v.weekday.finditer(low) if m.group(1)]
    # asked, or said to the reader before any tail: "...: book your spot" is a calendar
    asked = "?" in low or "?" in following or v.second_person.search(head[0])
    steps_said = len({m.start() for m in times}) + len(v.chain_next.findall(low))
    if len(times) >= 2 and steps_said >= 3 and "," in low and asked:
        return min(m.start() for m in times), max(m.end() for m in times)
    return None


def _past_run(chain: str, head: list[str], v: Vocabulary, stamps: set[int]) -> bool:
    """A list with a time for each of three things, said as the reader's past: one of its
    times is gone ("Tent in May, sleeping bag in June, stove last week"), or what follows
    it teases the reader about what they are up to ("...: sounds like someone's off
    camping!"). Not the sender's calendar ("Asparagus in May, strawberries in June, plums
    in August: eat with the seasons")."""
    if len(stamps | {m.start() for m in DAY_STAMP.finditer(chain)}) < 3:
        return False
    return any(p.search(chain) for p in v.gone) or TEASED.search(head[1]) is not None


# "on Monday", "on Friday night": a day each thing of a list was had on
DAY_STAMP = re.compile(r"\bon\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
# the reader teased about what a run of purchases says: "someone's off camping!"
TEASED = re.compile(r"\b(?:someone|somebody)(?:'s|\s+is|\s+has)\b|\byou've\s+been\b")
