from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from creepcheck.caching import Derived
from creepcheck.loaders.field_roles import given_for
from creepcheck.models import Finding, Profile, Severity
from creepcheck.privacy.outbound import input_value
from creepcheck.render import RenderedMessage
from creepcheck.rules.base import MessageSubject, Option, Rule, sentences
from creepcheck.text import purchases as copy_reading
from creepcheck.text.fieldnames import purchase_fields
from creepcheck.text.purchase_words import (
    generic_stores,
    item_cues,
    opens_multibuy,
    order_words,
)
from creepcheck.text.quantities import (
    amounts,
    as_number,
    has_past_verb,
    needs_dates,
    numbers,
    past_times,
)
from creepcheck.text.recall import (
    Sentence,
    anchor,
    event_dates,
    in_url,
    item_key,
    partial_matches,
    phrase_matches,
    records,
    sentence_of,
)

_NAMES = purchase_fields()  # what the shop platform calls a purchase list and its keys
PURCHASE_ROOTS, ITEM_KEYS, DATE_KEYS = _NAMES.lists, _NAMES.item, _NAMES.date
PRICE_KEYS, QUANTITY_KEYS, STORE_KEYS = _NAMES.price, _NAMES.quantity, _NAMES.store
DETAIL_TEXT = {
    "date": "when it was bought",
    "price": "what it cost",
    "quantity": "how many were bought",
    "store": "which store it came from",
    "sequence": "the order of several purchases",
}
_FIELD = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


@dataclass
class Mention:
    """A purchased item named in the copy."""

    index: int  # position in the profile's purchase list
    name: str  # normalised item name, for counting distinct items
    start: int
    end: int
    sentence: Sentence | None


@dataclass
class Recall:
    reasons: dict[str, None] = field(default_factory=dict)
    spans: set[tuple[int, int]] = field(default_factory=set)
    fields: dict[str, None] = field(default_factory=dict)
    evidence: Sentence | None = None
    words: dict[str, dict[str, None]] = field(default_factory=dict)  # reason -> words said

    def add(
        self, reason: str, span: tuple[int, int], fields: Sequence[str], sentence: Sentence | None
    ) -> None:
        self.reasons[reason] = None
        self.spans.add(span)
        self.fields.update(dict.fromkeys(fields))
        if self.evidence is None or (sentence and sentence.start < self.evidence.start):
            self.evidence = sentence or self.evidence


class PurchaseRecall(Rule):
    """The copy recalls what the person bought in too much detail.

    What it flags:
        Compared with the profile's `purchases`: more than `max_items` specific items
        named, an item named with when it was bought (a date or "last week"), its
        price, quantity or store (per `forbid`), or a sequence of purchases ("last week
        you bought..., and ... the week before"). The item need not be named: a purchase
        said to the reader ("you spent", "your last order", «ваш заказ») with its amount,
        date, store or count, or a run of purchases, fires too ("the $212.40 you spent at
        our Elm St store on 3 May", "your 4th order this month", "your last three
        orders"), whether the detail was printed from the profile or written in the copy
        (`creepcheck.text.purchases` reads it). General references ("based on your
        purchase history"), generic thanks, offers ("spend $50, save $10"), the sender's
        own figures, hypotheticals, products the person did not buy and profiles with no
        purchases do not fire, nor do transactional messages (a receipt is expected to
        list the order).

    Why it is creepy:
        A message listing last week's shoes and the pair before reads like a receipt
        from someone watching over your shoulder.

    Bad:
        Last week you bought black loafers, and green ones the week before.

    Better:
        Based on your recent purchases, you might like these.

    Options:
        max_items: most specific items one message may name.
        forbid: details that must not be recalled with an item (date, price,
        quantity, store, sequence).
    """

    code = "CC301"
    name = "purchase-recall"
    default_severity = Severity.WARNING
    scopes = ("message",)
    summary = "The copy recalls purchases in more detail than the policy allows"
    options = {
        "max_items": Option(
            "int", 1, "most specific purchased items one message may name", minimum=0
        ),
        "forbid": Option(
            "list[choice]",
            ["date", "price", "quantity", "store", "sequence"],
            "purchase details that must not be recalled with an item",
            choices=("date", "price", "quantity", "store", "sequence"),
        ),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        if subject.campaign.purpose == "transactional":
            return
        bought = _bought(subject)
        purchases = bought.records
        if not purchases:  # nothing bought, nothing recalled (`explain CC301`)
            return
        mentions = _mentions(subject, bought)
        sents = sentences(subject)
        recall = Recall()
        names = list(dict.fromkeys(m.name for m in mentions))
        max_items = int(self.config["max_items"])
        forbid = set(self.config["forbid"])
        if mentions:
            if len(names) > max_items:
                for m in mentions:
                    recall.add("items", (m.start, m.end), _item_field(purchases, m), m.sentence)
            _details(subject, bought, mentions, sents, forbid, recall)
            if "sequence" in forbid and len(names) >= 2:
                _sequence(subject, bought, mentions, recall)
        _printed_details(subject, {m.index for m in mentions}, sents, forbid, recall)
        _said(subject, bought, sents, forbid, recall)
        if not recall.reasons:
            return
        start = min(recall.spans)[0]
        file, line = subject.locate(start)
        yield self.finding(
            subject,
            _message(recall, len(names), max_items),
            evidence=recall.evidence.text if recall.evidence else "",
            fix=_fix(recall, subject.campaign.language, max_items),
            fields=_items_first(recall.fields),
            spans=tuple(sorted(recall.spans)),
            file=file,
            line=line,
        )


def _said(
    subject: MessageSubject,
    bought: Bought,
    sents: Sequence[Sentence],
    forbid: set[str],
    recall: Recall,
) -> None:
    """Details of a purchase the copy says to the reader, the item named or not: "the
    $212.40 you spent at our Elm St store on 3 May" (read by `creepcheck.text.purchases`)."""
    rendered = subject.rendered
    said = copy_reading.read(
        rendered.text,
        [(s.start, s.end) for s in sents],
        subject.campaign.language,
        bought.stores,
    )
    if not said:
        return
    spans = _field_spans(rendered)
    data, purpose = subject.profile.data, subject.campaign.purpose
    for found in said:
        sentence = sentence_of(sents, found.start)
        for detail in found.details:
            if detail.kind not in forbid or in_url(rendered.text, detail.start):
                continue
            paths = [f.path for f in spans if f.start < detail.end and detail.start < f.end] + [
                path
                for span in rendered.values
                if span.start < detail.end and detail.start < span.end
                for path in span.fields
            ]
            if detail.kind == "store" and paths and all(given_for(data, p, purpose) for p in paths):
                continue
            recall.add(
                detail.kind, (detail.start, detail.end), list(dict.fromkeys(paths)), sentence
            )
            recall.words.setdefault(detail.kind, {})[detail.words] = None
        if found.act_span is not None and any(d.kind in forbid for d in found.details):
            recall.spans.add(found.act_span)
            recall.words.setdefault("act", {})[found.act.strip()] = None


def _items_first(fields: Iterable[str]) -> tuple[str, ...]:
    ordered = list(fields)
    return tuple(
        sorted(ordered, key=lambda f: (f.rsplit(".", 1)[-1] not in ITEM_KEYS, ordered.index(f)))
    )


def _item_name(record: Mapping[str, Any]) -> str | None:
    for key in ITEM_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _item_field(purchases: Sequence[tuple[str, Mapping[str, Any]]], m: Mention) -> list[str]:
    path, record = purchases[m.index]
    key = next((k for k in ITEM_KEYS if isinstance(record.get(k), str)), "item")
    return [f"{path}.{key}"]


@dataclass
class Bought:
    """A profile's purchases as the rule reads them, worked out once per profile."""

    records: list[tuple[str, Mapping[str, Any]]]
    index_of: dict[str, int]  # record path -> position
    named: list[tuple[int, str, str]]  # (position, item name, its key) of named items
    stores: tuple[str, ...]  # store names of the purchases, and of a top-level `store`
    _dates: list[date] | None = field(default=None, init=False)

    @property
    def dates(self) -> list[date]:
        """Read on first use: only messages that name an item need them."""
        if self._dates is None:
            self._dates = event_dates((r for _, r in self.records), DATE_KEYS)
        return self._dates


def _bought(subject: MessageSubject) -> Bought:
    return BOUGHT.of(subject.profile)


def _read_bought(profile: Profile) -> Bought:
    purchases = records(profile.data, PURCHASE_ROOTS)
    names = [(i, _item_name(record)) for i, (_, record) in enumerate(purchases)]
    return Bought(
        purchases,
        {path: i for i, (path, _) in enumerate(purchases)},
        [(i, name, item_key(name)) for i, name in names if name],
        tuple(copy_reading.profile_stores(profile.data, PURCHASE_ROOTS, ("store",))),
    )


BOUGHT: Derived[Bought] = Derived(_read_bought)


class FieldSpan(NamedTuple):
    """A rendered value and one `root[n].key` field it came from."""

    start: int
    end: int
    path: str  # purchases[0].item
    record: str  # purchases[0]
    root: str
    number: int
    key: str


def _field_spans(rendered: RenderedMessage) -> tuple[FieldSpan, ...]:
    """The message's values printed from `root[n].key` fields: the same for everyone."""
    return FIELD_SPANS.of(rendered)


def _find_field_spans(rendered: RenderedMessage) -> tuple[FieldSpan, ...]:
    found = []
    for span in rendered.values:
        for path in span.fields:
            match = _FIELD.match(path)
            if match:
                root, number, key = match.groups()
                record = f"{root}[{number}]"
                found.append(FieldSpan(span.start, span.end, path, record, root, int(number), key))
    return tuple(found)


FIELD_SPANS: Derived[tuple[FieldSpan, ...]] = Derived(_find_field_spans)


def _mentions(subject: MessageSubject, bought: Bought) -> list[Mention]:
    """Items named in the copy: values rendered from an item field, or the item's words."""
    found: dict[tuple[int, int], Mention] = {}
    for f in _field_spans(subject.rendered):
        if f.key in ITEM_KEYS:
            i = bought.index_of.get(f.record)
            name = _item_name(bought.records[i][1]) if i is not None else None
            if i is not None and name:
                found[(f.start, f.end)] = Mention(
                    i, item_key(name), f.start, f.end, sentence_of(sentences(subject), f.start)
                )
    for i, name, key in bought.named:
        for start, end, sentence in _name_hits(subject, name):
            if not any(s < end and start < e for s, e in found):
                found[(start, end)] = Mention(i, key, start, end, sentence)
    return sorted(found.values(), key=lambda m: m.start)


def _name_hits(subject: MessageSubject, name: str) -> tuple[tuple[int, int, Sentence], ...]:
    """Where the copy says an item's name, in full or shortened: the same for everyone
    who bought an item of that name, so worked out once per message and name."""
    return NAME_HITS.of(subject.rendered, name, using=subject)


def _find_name(sents: Sequence[Sentence], name: str) -> tuple[tuple[int, int, Sentence], ...]:
    needed = anchor(name)
    return tuple(
        (start, end, sentence)
        for sentence in sents
        if needed is not None and sentence.may_contain(needed)
        for start, end in (
            phrase_matches(sentence, name) or partial_matches(sentence, name, item_cues())
        )
    )


NAME_HITS: Derived[tuple[tuple[int, int, Sentence], ...]] = Derived(
    lambda subject, name: _find_name(sentences(subject), name)
)


def _details(
    subject: MessageSubject,
    bought: Bought,
    mentions: Sequence[Mention],
    sents: Sequence[Sentence],
    forbid: set[str],
    recall: Recall,
) -> None:
    """Dates, prices, quantities and stores said with a named item."""
    today = subject.campaign.send_at.date()
    purchases = bought.records
    mentioned = {m.index for m in mentions}
    # A detail rendered from a mentioned purchase counts wherever it appears.
    for f in _field_spans(subject.rendered):
        if f.root not in PURCHASE_ROOTS:
            continue
        kind = _NAMES.detail_of(f.key)
        if kind in forbid and f.number in mentioned:
            recall.add(kind, (f.start, f.end), [f.path], sentence_of(sents, f.start))
    for m in mentions:
        sentence = m.sentence
        if sentence is None:
            continue
        path, record = purchases[m.index]
        item = _item_field(purchases, m)
        if "date" in forbid:
            dates = bought.dates if needs_dates(sentence) else []
            for when in past_times(sentence, dates, today):
                key = next((k for k in DATE_KEYS if k in record), "at")
                recall.add("date", when, [*item, f"{path}.{key}"], sentence)
        said = amounts(sentence) if "price" in forbid else []
        if said:
            prices = [(k, as_number(record.get(k))) for k in PRICE_KEYS]
            for start, end, value in said:
                paid = [k for k, p in prices if p is not None and abs(value - p) < 0.005]
                if paid:
                    recall.add("price", (start, end), [*item, f"{path}.{paid[0]}"], sentence)
        if "quantity" in forbid:
            _quantity(record, path, m, sentence, item, recall, subject.campaign.language)
        if "store" in forbid:
            shop = next((k for k in STORE_KEYS if isinstance(record.get(k), str)), None)
            store = record[shop] if shop is not None else None
            if store and store.strip().lower() not in generic_stores():
                for where in phrase_matches(sentence, store):
                    recall.add("store", where, [*item, f"{path}.{shop}"], sentence)


def _printed_details(
    subject: MessageSubject,
    mentioned: set[int],
    sents: Sequence[Sentence],
    forbid: set[str],
    recall: Recall,
) -> None:
    """Purchases told by their details printed from the profile, the item unnamed: two
    details of one purchase ("{{ p.at }} · {{ p.store }}") or details of two purchases."""
    printed: dict[int, list[tuple[str, FieldSpan]]] = {}
    text = subject.rendered.text
    for f in _field_spans(subject.rendered):
        kind = _NAMES.detail_of(f.key)
        if f.root not in PURCHASE_ROOTS or f.number in mentioned or in_url(text, f.start):
            continue
        if kind in forbid:
            printed.setdefault(f.number, []).append((kind, f))
    kinds = [{kind for kind, _ in details} for details in printed.values()]
    if len(printed) < 2 and not any(len(k) >= 2 for k in kinds):
        return
    for details in printed.values():
        for kind, f in details:
            recall.add(kind, (f.start, f.end), [f.path], sentence_of(sents, f.start))


def _quantity(
    record: Mapping[str, Any],
    path: str,
    m: Mention,
    sentence: Sentence,
    item: list[str],
    recall: Recall,
    language: str,
) -> None:
    key = next((k for k in QUANTITY_KEYS if k in record), None)
    quantity = as_number(record[key]) if key is not None else None
    if quantity is None or quantity < 2:
        return
    for start, end, value in numbers(sentence):
        near = 0 <= m.start - end <= 25 or 0 <= start - m.end <= 3
        offer = opens_multibuy(sentence.text[end - sentence.start :], language)
        if value == quantity and near and not offer:
            recall.add("quantity", (start, end), [*item, f"{path}.{key}"], sentence)


def _sequence(
    subject: MessageSubject,
    bought: Bought,
    mentions: Sequence[Mention],
    recall: Recall,
) -> None:
    """Two or more purchases told in order: with a time or an ordering word beside them."""
    today = subject.campaign.send_at.date()
    purchases, dates = bought.records, bought.dates
    by_sentence = {m.sentence.start: m.sentence for m in mentions if m.sentence}
    cues: list[tuple[int, int, Sentence]] = []
    for sentence in by_sentence.values():
        cues += [(a, b, sentence) for a, b in past_times(sentence, dates, today)]
        inside = [m for m in mentions if m.sentence is sentence]
        past = has_past_verb(sentence)
        for x in order_words().finditer(sentence.low):
            a, b = sentence.start + x.start(), sentence.start + x.end()
            # "then", "before" about the past, or between two items ("first X, then Y");
            # not "before winter" after them.
            between = len({m.name for m in inside if m.end <= a}) and any(
                m.start >= b for m in inside
            )
            if past or between:
                cues.append((a, b, sentence))
    if not cues:
        return
    for m in mentions:
        recall.add("sequence", (m.start, m.end), _item_field(purchases, m), m.sentence)
    for start, end, sentence in cues:
        recall.add("sequence", (start, end), (), sentence)


def _message(recall: Recall, count: int, max_items: int) -> str:
    parts = []
    if "items" in recall.reasons:
        parts.append(f"names {count} purchased items (at most {max_items} allowed)")
    parts += [DETAIL_TEXT[r] + _words(recall, r) for r in DETAIL_TEXT if r in recall.reasons]
    acts = list(recall.words.get("act", ()))[:2]
    said = "; said as " + ", ".join('"' + input_value(a) + '"' for a in acts) if acts else ""
    return "Recalls the person's purchases in too much detail: " + ", ".join(parts) + said


def _words(recall: Recall, reason: str) -> str:
    """The copy's words for a detail read from what the copy says, quoted."""
    said = list(recall.words.get(reason, ()))[:3]
    return " (" + ", ".join('"' + input_value(w) + '"' for w in said) + ")" if said else ""


def _fix(recall: Recall, language: str, max_items: int) -> str:
    general = (
        "«На основе ваших покупок мы подобрали для вас…»"
        if language == "ru"
        else "'Based on your recent purchases, you might like…'"
    )
    dropped = [r for r in ("date", "price", "quantity", "store") if r in recall.reasons]
    if "items" in recall.reasons or "sequence" in recall.reasons:
        limit = "no item" if max_items == 0 else f"at most {max_items} item(s)"
        return f"Name {limit} and no purchase order; refer to history in general: {general}"
    return (
        f"Drop the {', '.join(dropped)} of the purchase; name the item alone, or refer to "
        f"history in general: {general}"
    )
