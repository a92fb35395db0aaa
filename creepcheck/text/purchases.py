"""Reading purchase recalls in copy: what a sentence says the reader bought, and how.

A recall is a second-person purchase act ("you spent", "your last order", "thanks for
shopping", «вы купили», «ваш заказ») said with a specific detail: the store, the amount,
the date, a count, or a run of purchases told in order. The item need not be named:
"the $212.40 you spent at our Elm St store on 3 May" recalls three details of a purchase.
Look-alikes are read as such: offers ("spend $50, save $10"), the sender's own figures
("87 shoppers took one home"), stores opening, generic thanks, questions that ask
rather than recall ("have you visited our new store?"), hypotheticals, and visits told
with a clock time, which are tracking (CC204), not purchases.

The words are data (`lexicons/purchases.en.yaml`, `.ru.yaml`; purchase_words.py turns
them into a few patterns per language, once); this module reads each sentence once: a
reading depends only on the text (and the store names given), so it is cached by them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from creepcheck.text.fieldnames import field_words
from creepcheck.text.purchase_runs import sequence as read_sequence
from creepcheck.text.purchase_words import Vocabulary, generic_stores, vocabulary
from creepcheck.text.recall import normalise

KINDS = ("date", "price", "quantity", "store", "sequence")
# Before a clock time: the sender's opening hours ("our store, which now stays open till
# 10pm"), not when the reader came or bought.
HOURS = re.compile(r"\b(?:open|opens|opening|close|closes|closing|till|until)\b[^.!?]{0,12}$")
# A purchase named as a thing, which a clock time dates ("your lunchtime order (12:32pm)")
BOUGHT = re.compile(r"\b(?:order|purchase|receipt|transaction)s?\b|\bзаказ\w*|\bпокупк\w*")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Detail:
    """One purchase detail in the copy: its kind (one of `KINDS`), words and span."""

    kind: str
    start: int
    end: int
    words: str


@dataclass(frozen=True, slots=True)
class PurchaseRecall:
    """A sentence that recalls the reader's purchases: the act, and the details said."""

    start: int  # the sentence
    end: int
    act: str  # the words of the purchase act ("you spent"), or "" for a run of purchases
    act_span: tuple[int, int] | None
    details: tuple[Detail, ...]


# -- reading ---------------------------------------------------------------------------


def read(
    text: str,
    bounds: Sequence[tuple[int, int]],
    language: str,
    stores: Sequence[str] = (),
) -> tuple[PurchaseRecall, ...]:
    """The purchase recalls of a message, sentence by sentence.

    `bounds` are the message's sentences; `stores` are store names from the profile
    (its purchases' stores, a `store` field), found in the copy as a store detail.
    """
    # Only the stores the copy says can matter: most profiles then share one reading.
    low = _lowered(text)
    said = tuple(sorted({s for s in stores if normalise(s) in low}))
    return _read(text, tuple(bounds), language, said)


@lru_cache(maxsize=256)
def _lowered(text: str) -> str:
    return normalise(text)


@lru_cache(maxsize=256)
def _read(
    text: str, bounds: tuple[tuple[int, int], ...], language: str, stores: tuple[str, ...]
) -> tuple[PurchaseRecall, ...]:
    low = _lowered(text)
    addressed = bool(vocabulary(language).second_person.search(low))
    found = []
    for i, (start, end) in enumerate(bounds):
        sentence = low[start:end]
        asked_next = i + 1 < len(bounds) and "?" in low[bounds[i + 1][0] : bounds[i + 1][1]]
        said = tuple(s for s in stores if normalise(s) in sentence)
        recall = _sentence(text[start:end], said, addressed, asked_next)
        if recall is not None:
            found.append(_shifted(recall, start))
    return tuple(found)


def _shifted(recall: PurchaseRecall, base: int) -> PurchaseRecall:
    span = recall.act_span
    return PurchaseRecall(
        recall.start + base,
        recall.end + base,
        recall.act,
        (span[0] + base, span[1] + base) if span is not None else None,
        tuple(Detail(d.kind, d.start + base, d.end + base, d.words) for d in recall.details),
    )


# A sentence reads the same in every message that has it (most of a template's copy is
# the same for everyone), so its reading is cached by its text, at offset 0.
@lru_cache(maxsize=8192)
def _sentence(
    original: str, stores: tuple[str, ...], addressed: bool, asked_next: bool
) -> PurchaseRecall | None:
    low = normalise(original)
    v = vocabulary("ru" if CYRILLIC.search(low) else "en")
    return _read_sentence(original, low, 0, v, stores, addressed, "?" if asked_next else "")


def _read_sentence(
    original: str,
    low: str,
    base: int,
    v: Vocabulary,
    stores: tuple[str, ...],
    addressed: bool,
    following: str,
) -> PurchaseRecall | None:
    if v.hypothetical.search(low):
        return None
    clocked = any(
        not HOURS.search(low, max(0, m.start() - 24), m.start()) for m in v.clock.finditer(low)
    )
    details: list[Detail] = []

    def add(kind: str, a: int, b: int) -> None:
        details.append(Detail(kind, base + a, base + b, original[a:b].strip()))

    stores_said = _stores(original, low, v, stores)
    sequence = read_sequence(low, v, following)
    if sequence is not None:
        add("sequence", *sequence)
    act = _act(low, v)
    if clocked and (
        act is None
        or act[2]
        or not (v.clocked_verb.search(low[act[0] : act[1]]) or BOUGHT.search(low[act[0] : act[1]]))
    ):
        return None  # a clock time without "you bought" or "your order": when someone came or went
    if act is None:
        act = _possessed_from(low, v, stores_said)
    if act is not None or stores_said:
        for a, b in stores_said:
            add("store", a, b)
    strong = act is not None and not act[2]
    if strong:  # every detail counts
        for a, b in _prices(low, v):
            add("price", a, b)
        for m in v.measure.finditer(low):
            if not SENDERS_OWN.search(low, max(0, m.start() - 16), m.start()):
                add("quantity", m.start(), m.end())
        for a, b in _dates(low, v, act):
            add("date", a, b)
    taken = [(d.start - base, d.end - base) for d in details if d.kind in ("price", "date")]
    # A count of orders is a tally with a time ("your 4th order this month"); a lifetime
    # total ("you have 3 orders with us") is what a loyalty page shows.
    timed = bool(v.period.search(low) or any(p.search(low) for p in v.dates))
    counts = list(v.count.finditer(low)) if timed else []
    if strong:
        counts += list(v.verb_count.finditer(low)) + list(v.repeat.finditer(low))
    for m in counts:
        offered = _not_recalled(low[max(0, m.start() - 12) : m.start()], v)
        inside = any(a < m.end() and m.start() < b for a, b in taken)
        weak_count = v.logistics.search(low) or v.offer_start.search(low)
        # "Five orders in ten days, Priya!": a small timed tally with nobody else named.
        own = v.second_person.search(low) or (
            m.re is v.count
            and not v.third_party.search(low)
            and _small(m.group())
            and any(not RATE.match(p.group()) for p in v.period.finditer(low))
        )
        if not offered and not inside and (strong or (own and not weak_count)):
            add("quantity", m.start(), m.end())
    for m in v.run.finditer(low):
        if not v.run_basis.search(low, 0, m.start()):
            add("sequence", m.start(), m.end())
    tally = v.tally.search(low)
    timed_after = tally and (
        v.period.search(low, tally.end()) or any(p.search(low, tally.end()) for p in v.dates)
    )
    for m in v.ordinal_tally.finditer(low):
        # said to the reader, or asked: "Fifth pregnancy test this month?"
        said = (v.second_person.search(low) or low.rstrip().endswith("?")) and not (
            v.offer_start.search(low)
        )
        if said and not v.modal.search(low) and not SECOND.match(m.group()):
            add("quantity", m.start(), m.end())
    if not any(d.kind == "quantity" for d in details):
        tallied = _tally_fragment(low, v)
        if tallied is not None:
            add("quantity", *tallied)
    counted = any(d.kind == "quantity" for d in details)
    if tally and timed_after and not counted:
        add("quantity", tally.start(), tally.end())
    if (
        act is not None
        and v.cart.search(low, act[0], act[1])
        and not (  # "your last basket came to £126.40", but not one still waiting
            v.recent.search(low, act[0], act[1]) and not WAITING.search(low)
        )
    ):
        # "your basket total is $54.20" is the basket now; with a time, it was bought.
        details = (
            [d for d in details if d.kind != "price"] if not _has(details, "date") else details
        )
    if not details:
        return None
    weak = act is not None and act[2]
    kinds = {d.kind for d in details}
    # A store named with no act: only a store from the profile, in a sentence said or put
    # to the reader (a footer's own address, "12 Market Square, Bristol", recalls nothing).
    profile_store = (
        stores_said
        and addressed
        and (v.second_person.search(low) or low.rstrip().endswith("?"))
        and _profile_store(stores_said, original, stores)
    )
    if act is None and not ({"sequence", "quantity"} & kinds) and not profile_store:
        return None
    if weak and (v.surveillance.search(low) or not stores_said):
        return None
    span = (base + act[0], base + act[1]) if act is not None else None
    words = original[act[0] : act[1]] if act is not None else ""
    ordered = tuple(sorted(set(details), key=lambda d: (d.start, d.kind)))
    return PurchaseRecall(base, base + len(original), words, span, ordered)


def _act(low: str, v: Vocabulary) -> tuple[int, int, bool] | None:
    """The purchase act of a sentence: (start, end, weak)."""
    logistics = bool(v.logistics.search(low) or v.offer_start.search(low) or v.modal.search(low))
    for pattern in (v.act_verb, v.participle, v.time_act, v.bare_act, v.late_verb):
        for m in pattern.finditer(low):
            if pattern is v.late_verb:  # the verb alone is the act's words
                if v.third_party.search(low):
                    continue
                return low.rfind(" ", m.start(), m.end()) + 1, m.end(), False
            if (
                pattern is v.act_verb
                and v.object_verb.search(m.group())
                and not v.purchase_object.match(low, m.end())
            ):
                continue  # «вы сделали прививку»: made, but nothing bought
            if not v.not_spent_on.match(low, m.end()):
                return m.start(), m.end(), False
    gerund = v.gerund_act.search(low)  # "after spending €95 with us, you've unlocked..."
    if gerund and not logistics and v.second_person.search(low, gerund.end()):
        return gerund.start(), gerund.end(), False
    thanks = v.thanks.search(low)
    if thanks and not logistics and not v.not_spent_on.match(low, thanks.end()):
        return thanks.start(), thanks.end(), False
    for m in v.act_noun.finditer(low):
        between = m.group(1) or ""
        # an offer may still point at a purchase by its day: "your 28 October purchase"
        dated = v.dates[0].search(between) is not None and not (
            v.logistics.search(low) or v.modal.search(low)
        )
        if (
            (not logistics or dated)
            and not v.future_lead.search(between)
            and not _not_recalled(between, v)
        ):
            return m.start(), m.end(), False
    for m in v.weak_act.finditer(low):
        if not _not_recalled(m.group(), v) and not v.modal.search(low):
            return m.start(), m.end(), True
    return None


def _tally_fragment(low: str, v: Vocabulary) -> tuple[int, int] | None:
    """A sentence that is only a count of things and their time, said of nobody else: "5
    takeaways this week?", "148 coffees since January.", "Third pair of running shoes
    this year!". Not the sender's news ("12 new flavours this month"), a rate ("20
    coffees a month?") or a crowd ("87 shoppers this week")."""
    m = v.tally_fragment.match(low)
    if m is None or v.not_tallied.search(m.group("things")) or v.modal.search(low):
        return None
    if PLACED.search(m.group("things")):
        return None  # "Two brides in the family this summer?": people somewhere, not things
    if not _small(m.group("count"), 500) or v.offer_start.search(low):
        return None
    tail = low[m.end("things") :]
    if any(RATE.match(p.group()) for p in v.period.finditer(tail)):
        return None
    # "Two concerts this weekend!" may be the sender's programme: a time running now
    # counts only asked ("5 takeaways this week?"), of an nth thing, or had with the sender
    month = re.match(r"\s+in\s+", tail)
    ahead = CURRENT.match(tail) or (
        month and v.month.match(tail, month.end()) and "alone" not in tail
    )
    if (
        ahead
        and not low.rstrip().endswith("?")
        and m.group("nth") is None
        and not HAD_WITH_US.match(tail)
    ):
        return None
    return m.start("count"), m.end("things")


def _has(details: list[Detail], kind: str) -> bool:
    return any(d.kind == kind for d in details)


def _small(words: str, most: int = 50) -> bool:
    """Whether the number in a count is one a person reaches (not "10,000 orders")."""
    digits = re.search(r"\d[\d,. ]*", words)
    return digits is None or int(re.sub(r"\D", "", digits.group()) or 0) <= most


def _not_recalled(between: str, v: Vocabulary) -> bool:
    """ "your next order", "your new purchase": what is offered, not what was bought."""
    return bool(v.not_recalled.search(between))


def _stores(
    original: str, low: str, v: Vocabulary, stores: tuple[str, ...]
) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for m in v.store.finditer(low):
        if (
            m.lastindex and "city" not in m.re.groupindex
        ):  # English: a lead word, the name, the store noun (in a lookahead)
            lead, middle = m.group(1).strip(), m.group(2)
            named = original[m.start(2) : m.end(2)].strip()
            if v.store_generic.search(middle) or (lead != "our" and not named[:1].isupper()):
                continue
            end = m.end(2) + re.match(r"[\w-]+(?:\s+counter)?", low[m.end(2) :]).end()  # type: ignore[union-attr]
            span = (m.start(1), end)
        elif m.groupdict().get("city") and not original[m.start("city")].isupper():
            continue  # «в магазине в Химках», not «в магазине в субботу»
        else:
            span = (m.start(), m.end())
        if not any(a < span[1] and span[0] < b for a, b in found):
            found.append(span)
    for m in v.store_after.finditer(low):
        named = original[m.start(1) : m.end(1)]
        if (
            not named[:1].isupper()
            or v.month.match(low, m.start(1))
            or v.weekday.match(low, m.start(1))
        ):
            continue  # "our branch in May", "our store on Friday"
        first, _, second = named.partition(" ")
        end = m.end() if second[:1].isupper() else m.start(1) + len(first)
        if not any(a < end and m.start() < b for a, b in found):
            found.append((m.start(), end))
    for m in v.store_apposed.finditer(low):
        apposed = STORE_NAME.match(original, m.end())
        if apposed is not None and not any(a < apposed.end() and m.start() < b for a, b in found):
            found.append((m.start(), apposed.end()))
    for name in stores:
        for m in re.finditer(rf"(?<!\w){re.escape(normalise(name))}(?!\w)", low):
            if not any(a <= m.start() < b for a, b in found):
                found.append((m.start(), m.end()))
    return found


def _profile_store(spans: list[tuple[int, int]], original: str, stores: tuple[str, ...]) -> bool:
    names = {normalise(s) for s in stores}
    return any(normalise(original[a:b]) in names for a, b in spans)


def _prices(low: str, v: Vocabulary) -> Iterable[tuple[int, int]]:
    for m in v.money.finditer(low):
        before = low[max(0, m.start() - 25) : m.start()]
        after = low[m.end() : m.end() + 12]
        if v.offer_money.search(before) or re.match(
            r"\s*(?:off|discount|back|cashback|скидк)", after
        ):
            continue
        yield m.start(), m.end()


def _dates(
    low: str, v: Vocabulary, act: tuple[int, int, bool] | None = None
) -> Iterable[tuple[int, int]]:
    dated: list[tuple[int, int]] = []
    for pattern in v.dates:
        for m in pattern.finditer(low):
            before = low[max(0, m.start() - 14) : m.start()]
            if v.future_lead.search(before.split()[-1] if before.split() else ""):
                continue
            dated.append((m.start(), m.end()))
            yield m.start(), m.end()
    for m in v.weekday.finditer(low):
        lead = (m.group(1) or "").strip()
        if lead and v.future_lead.fullmatch(lead.split()[0]):
            continue
        inside_act = act is not None and act[0] <= m.start() < act[1]  # "your Friday order"
        if lead or m.group(0).endswith("'s") or inside_act:
            yield m.start(), m.end()
    if act is not None and not act[2]:  # "the pan you ordered this spring"
        for m in v.acted_period.finditer(low, act[1], act[1] + ACTED_REACH):
            if not CLAUSE_BREAK.search(low, act[1], m.start()):
                yield m.start(), m.end()
    if act is not None:  # "your January order"
        for m in v.month.finditer(low, act[0], act[1]):
            if not any(a <= m.start() < b for a, b in dated):  # "5 April" already said
                yield m.start(), m.end()


def _possessed_from(
    low: str, v: Vocabulary, stores: list[tuple[int, int]]
) -> tuple[int, int, bool] | None:
    """ "Your loafers from 20 February": a thing of the reader's, from a time or place."""
    m = POSSESSED_FROM.search(low)
    if (
        m is None
        or v.not_bought.search(m.group())
        or v.logistics.search(low)
        or v.modal.search(low)
    ):
        return None
    after = low[m.end() :]
    said = (
        any(p.match(after) for p in v.dates)
        or v.weekday.match(after)
        or any(0 <= a - m.end() <= 8 for a, _ in stores)  # "from our Elm St store"
        or re.match(
            r"(?:the|your|last|our|ваш\w*|последн\w*)?\s*(?:\w+'s\s+)?(?:order|заказ|покупк)", after
        )
    )
    return (m.start(), m.end() - 1, False) if said else None


POSSESSED_FROM = re.compile(
    r"\b(?:your|ваш\w*|как вам)\b(?:\s+[^\s,.;:!?]+){1,7}?\s+(?:from|из|от)\s"
)


WAITING = re.compile(r"\b(?:still|waiting|saved|left|abandoned|forgot|forgotten)\b")
SECOND = re.compile(r"(?:second|2nd|втор)")  # "your second X this year" is mostly an offer
# a time that may still be running or ahead: "this weekend", "in 10 days" (or "in March")
CURRENT = re.compile(r"\s+(?:this\s|(?:in|within|over)\s+(?:\d+|a|an|one|two|three|four|five|six"
                     r"|seven|eight|nine|ten|eleven|twelve|a few|a couple of)\s)")
# before a size or amount: the sender's thing ("our new 5kg bag"), not the one bought
SENDERS_OWN = re.compile(r"\b(?:our|new|a|an|any|every|each)\b[^,.;:!?]*$")
PLACED = re.compile(r"\s(?:in|at|on)\s")
HAD_WITH_US = re.compile(r"\s+(?:with|from)\s+us\b")
RATE = re.compile(r"(?:a|an|per|each|в|на|за каждую)\s")  # "two a day": a rate, not a window
# how far after "you bought" a season may date it, within its clause ("you ordered the
# pan this spring", not "you ordered, and this week we deliver")
ACTED_REACH = 40
CLAUSE_BREAK = re.compile(r"[,;:]|\band\b|\bbut\b|\bso\b")
STORE_NAME = re.compile(r"[A-Z][\w'.&-]*(?:\s+[A-Z][\w'.&-]*){0,2}")


def profile_stores(data: Mapping[str, Any], roots: Sequence[str], keys: Sequence[str]) -> list[str]:
    """Store names the profile holds: its purchases' stores and a top-level field named
    for a store (`store`, `last_store`, `homeBranch`)."""
    names: list[str] = []
    for root in roots:
        for record in data.get(root) or ():
            if isinstance(record, Mapping):
                names += [record[k] for k in keys if isinstance(record.get(k), str)]
    names += [
        value
        for key, value in data.items()
        if isinstance(value, str) and (key in keys or _names_a_store(key))
    ]
    generic = generic_stores()
    return [
        n.strip()
        for n in names
        if n.strip() and n.strip().lower() not in generic and len(n.strip()) >= 3
    ]


# The last word of a top-level field that holds a store's name.
STORE_FIELD_ENDS = frozenset({"store", "shop", "branch", "outlet"})


@lru_cache(maxsize=1024)
def _names_a_store(key: str) -> bool:
    """A field name ending in a store word (`last_store`, `homeBranch`): asked per
    profile, of the few names an audience's profiles share."""
    words = field_words(key)
    return bool(words) and words[-1] in STORE_FIELD_ENDS
