from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from creepcheck.caching import Derived
from creepcheck.models import NAME_FIELDS, Finding, Profile, Severity
from creepcheck.privacy.outbound import input_value
from creepcheck.rules.base import MessageSubject, Rule, sentences
from creepcheck.text.document import Sentence as TextSentence
from creepcheck.text.fieldnames import states_nothing, tracked_field
from creepcheck.text.observed import (
    counts,
    framing,
    page_and_product_nouns,
    told_as_observed,
    told_by_reader,
    value_matches,
)
from creepcheck.text.quantities import past_times
from creepcheck.text.recall import (
    Sentence,
    event_dates,
    field_root,
    in_url,
    records,
    sentence_of,
)
from creepcheck.text.tracking import acts_in

BEHAVIOR_ROOTS = ("behavior", "behaviour")
PAGE_KEYS = ("page", "url", "path", "screen")
PRODUCT_KEYS = ("product", "item", "title", "name", "category")
PLACE_KEYS = ("store", "location", "venue", "branch")
SEARCH_KEYS = ("query", "search", "term", "q")


@dataclass
class Disclosure:
    kinds: dict[str, None] = field(default_factory=dict)
    spans: set[tuple[int, int]] = field(default_factory=set)
    fields: dict[str, None] = field(default_factory=dict)
    sentences: list[Sentence | TextSentence] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


class TrackingDisclosure(Rule):
    """The copy tells the person what you watched them do.

    What it flags:
        Copy that tells the recipient what they were seen doing: a second-person act of
        viewing, visiting, opening an email, searching, being somewhere, picking up or
        dropping off, checking in or missing a class, or spending time on a page, told
        as a fact together with how often, when or where ("you opened our last 4 emails
        from your phone", "you were at our Elm St store on Tuesday at 6pm", "you've
        missed 3 spin classes"), or framed as observed ("we saw you..."), or the
        reader placed in a named place ("Welcome to Lisbon!", "How was Rome?", "while
        you're in Tokyo"; the names are in lexicons/places.en.yaml). It fires
        whichever profile field the words came from (`behavior`, `recap`, `stats`,
        `visits`...) or on literal template copy, on values rendered from
        `behavior` (including counts such as `{{ views | length }}`), and on values
        printed from a field whose name says it is tracked behaviour ("Still in {{
        last_location }}?"; the names are in lexicons/fields.yaml). Invitations
        ("visit our store"), hypotheticals ("if you stopped by"), questions that ask
        rather than tell ("have you seen...?"), third parties ("87 shoppers viewed
        this"), the sender's own facts ("our store opens at 9") and the reader's acts
        with no count, time or place ("thanks for shopping with us") do not fire.

    Why it is creepy:
        "We saw you looked at our pricing page 3 times yesterday" proves the person
        was watched individually, which most never expected from a website visit.

    Bad:
        We noticed you looked at the Harbour sofa 4 times yesterday.

    Better:
        The Harbour sofa is back in stock. (no reference to what the person did)

    Options:
        None besides `severity`.
    """

    code = "CC204"
    name = "tracking-disclosure"
    default_severity = Severity.WARNING
    scopes = ("message",)
    reads = BEHAVIOR_ROOTS
    summary = "The copy reveals individual tracking: pages, times, counts, places"

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        events, dates = _behaviour(subject)
        found = Disclosure()
        if events:
            sents = sentences(subject)
            _rendered_behaviour(subject, sents, events, dates, found)
            for sentence in sents:
                _observed(subject, sentence, events, dates, found)
        _told(subject, found)
        _tracked_values(subject, found)
        if not found.sentences:
            return
        first = min(found.spans)[0]
        file, line = subject.locate(first)
        evidence = min(found.sentences, key=lambda s: s.start)
        yield self.finding(
            subject,
            "Tells the recipient what they were tracked doing: "
            + (", ".join(found.kinds) or "what they viewed"),
            evidence=evidence.text,
            fix=_fix(found.names),
            fields=tuple(found.fields),
            spans=tuple(sorted(found.spans)),
            file=file,
            line=line,
        )


ACT_KINDS = {
    "view": "what they viewed",
    "visit": "places visited",
    "open": "emails opened",
    "search": "searches",
    "pickup": "pick-ups and drop-offs",
    "attendance": "classes attended or missed",
    "time": "time spent",
    "cart": "cart and wishlist activity",
    "activity": "what they did",
}
DETAIL_NAMES = {
    "count": "how often",
    "habit": "how often",
    "time": "when",
    "day": "when",
    "place": "where",
    "near": "where they are",
    "object": "what",
    "query": "what they searched for",
}


def _told(subject: MessageSubject, found: Disclosure) -> None:
    """Tracking acts the copy tells the reader, whatever field (if any) they came from:
    "you opened our last 4 emails from your phone", "you were at our Elm St store on
    Tuesday at 6pm". A profile value rendered in the act's clause is a detail too."""
    if subject.run.text is None:
        return
    analysis = subject.analysis
    text = subject.rendered.text
    for sentence in analysis.sentences:
        acts = acts_in(sentence, analysis.language)
        if not acts:
            continue
        for act in acts:
            values = [
                span
                for span in subject.rendered.values_in(*act.window)
                if span.fields
                and not {field_root(f) for f in span.fields} <= NAME_FIELDS
                and not (act.start <= span.start < act.end)
                and text[span.start : span.end].strip()
                and not in_url(text, span.start)
            ]
            if act.needs == "time":  # "Your trip to {{ destination }}": a booking, unless
                values = [v for v in values if any(c.isdigit() for c in text[v.start : v.end])]
            if not act.discloses and not (
                values and act.who not in ("elided", "elided-ing", "recap")
            ):
                continue
            details = dict.fromkeys(
                DETAIL_NAMES[d.kind] for d in act.details if d.kind in DETAIL_NAMES
            )
            label = ACT_KINDS.get(act.kind, "what they did")
            said = f'"{act.words}"' + (f" with {', '.join(details)}" if details else "")
            found.kinds[f"{label} ({said})"] = None
            found.spans.add((act.start, act.end))
            found.spans.update((d.start, d.end) for d in act.details)
            for span in values:
                found.spans.add((span.start, span.end))
                found.fields.update(dict.fromkeys(span.fields))
            if not any(getattr(s, "start", None) == sentence.start for s in found.sentences):
                found.sentences.append(sentence)


def _tracked_values(subject: MessageSubject, found: Disclosure) -> None:
    """A value printed from a field whose name says it is the reader's tracked behaviour
    ("last_location", "page_views", "watch_history"): "Still in {{ last_location }}?" or a
    list of `store_visits` hands the log back whatever the words, in a sentence or not."""
    if subject.run.text is None:
        return
    text = subject.rendered.text
    for span in subject.rendered.values:
        paths = [p for p in span.fields if tracked_field(p)]
        if not paths or states_nothing(text[span.start : span.end]) or in_url(text, span.start):
            continue
        sentence = subject.analysis.sentence_at(span.start)
        if sentence is None:
            continue
        label = f"what the profile logged ({', '.join(paths)})"
        _add(found, label, (span.start, span.end), paths, sentence)


def _behaviour(
    subject: MessageSubject,
) -> tuple[list[tuple[str, Mapping[str, Any]]], list[date]]:
    """The profile's behaviour records and their dates, read once per profile."""
    return BEHAVIOUR.of(subject.profile)


def _read_behaviour(profile: Profile) -> tuple[list[tuple[str, Mapping[str, Any]]], list[date]]:
    events = records(profile.data, BEHAVIOR_ROOTS)
    return events, event_dates(r for _, r in events)


BEHAVIOUR: Derived[tuple[list[tuple[str, Mapping[str, Any]]], list[date]]] = Derived(
    _read_behaviour
)


def _rendered_behaviour(
    subject: MessageSubject,
    sents: Sequence[Sentence],
    events: Sequence[tuple[str, Mapping[str, Any]]],
    dates: Sequence[date],
    found: Disclosure,
) -> None:
    """Values rendered from `behavior`, said to the reader or framed as observation."""
    text = subject.rendered.text
    today = subject.campaign.send_at.date()
    for span in subject.rendered.values:
        paths = [p for p in span.fields if field_root(p) in BEHAVIOR_ROOTS]
        value = text[span.start : span.end].strip()
        if not paths or not value or in_url(text, span.start):
            continue
        sentence = sentence_of(sents, span.start)
        if sentence is None:
            continue
        count = value.isdigit()
        if not count and told_by_reader(sentence.low):
            continue  # "thanks for asking to test-drive the {{ vehicle }}": their request
        framed = (
            count
            or sentence.addressed()
            or told_as_observed(sentence.low)
            or past_times(sentence, dates, today)
        )
        if not framed:
            continue
        kind = "how many times" if count else _kind(paths[0])
        _add(found, kind, (span.start, span.end), paths, sentence)
        if not count:
            found.names.append(value)


def _observed(
    subject: MessageSubject,
    sentence: Sentence,
    events: Sequence[tuple[str, Mapping[str, Any]]],
    dates: Sequence[date],
    found: Disclosure,
) -> None:
    """The reader told what they viewed or visited, with a detail of their own behaviour."""
    framed = framing(sentence.text)
    if not framed:
        return
    low = sentence.low
    details: list[tuple[str, tuple[int, int], list[str]]] = []
    for path, record in events:
        for key, value in record.items():
            kind = _kind(f"{path}.{key}")
            if kind and isinstance(value, str):
                matches = value_matches(
                    sentence, value, page=key in PAGE_KEYS, product=key in PRODUCT_KEYS
                )
                for span in matches:
                    details.append((kind, span, [f"{path}.{key}"]))
                    found.names.append(
                        sentence.text[span[0] - sentence.start : span[1] - sentence.start]
                    )
    base = sentence.start
    details += [
        ("how many times", (base + m.start(), base + m.end()), ["behavior"])
        for m in counts(low)
    ]
    today = subject.campaign.send_at.date()
    details += [("when", span, []) for span in past_times(sentence, dates, today)]
    details += [
        (kind, (base + m.start(), base + m.end()), []) for kind, m in page_and_product_nouns(low)
    ]
    if not details:
        return  # a bare "you viewed ..." is read, with its object, by the copy reader
    for m in framed:
        _add(found, None, (base + m.start(), base + m.end()), [], sentence)
    for kind, span, paths in details:
        _add(found, kind, span, paths, sentence)


def _kind(path: str) -> str:
    key = path.rsplit(".", 1)[-1]
    if key in PAGE_KEYS:
        return "pages viewed"
    if key in PRODUCT_KEYS:
        return "products viewed"
    if key in PLACE_KEYS:
        return "places visited"
    if key in SEARCH_KEYS:
        return "searches"
    return "when" if key in ("at", "time", "date") else "what they did"


def _add(
    found: Disclosure,
    kind: str | None,
    span: tuple[int, int],
    paths: Sequence[str],
    sentence: Sentence | TextSentence,
) -> None:
    if kind:
        found.kinds[kind] = None
    found.spans.add(span)
    found.fields.update(dict.fromkeys(paths))
    if sentence not in found.sentences:
        found.sentences.append(sentence)


def _fix(names: Sequence[str]) -> str:
    thing = next((n for n in names if not n.startswith("/") and not n.isdigit()), None)
    example = (
        f"'{input_value(thing[:1].upper() + thing[1:])} is still available.'"
        if thing
        else ("'Our spring range is here.'")
    )
    return (
        "Drop what the person was seen doing (what they viewed, how often, when, where) "
        f"and present the offer on its own, e.g. {example}"
    )
