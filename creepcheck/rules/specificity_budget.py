from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from creepcheck.caching import Derived
from creepcheck.loaders.field_roles import named_like_content, names_the_person
from creepcheck.models import Finding, Severity, dotted_path
from creepcheck.policy.model import Policy
from creepcheck.privacy.outbound import input_value
from creepcheck.render import RenderedMessage, Span
from creepcheck.rules.base import MessageSubject, Option, Rule
from creepcheck.text.recall import URL, field_root, normalise


@dataclass(frozen=True)
class Fact:
    key: tuple[str, str]  # (field or list it came from, the value as shown)
    fields: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Candidates:
    """The values of a rendered message that may be facts, as shown, with their non-name
    fields: the part of `facts` that is the same for every profile given the message."""

    values: list[tuple[Span, str, tuple[str, ...]]]
    roots: tuple[str, ...]  # the top-level fields their paths start with
    shown: frozenset[str]


def facts(subject: MessageSubject) -> list[Fact]:
    """Distinct profile values rendered into the copy, in order of first appearance.

    A value counts once however often it appears; the name, identifiers, units such as
    a currency, values inside links, the contact point the message is sent to and the
    sender's own content (fields of `role: content`, by default those named like
    `picks`, `recommendations`, `offers`) do not count.
    """
    candidates = CANDIDATES.of(subject.rendered, using=subject)
    if not candidates.values:
        return []
    destination = str(subject.destination.get("value", "")).strip().lower()
    data = subject.profile.data
    # The rest is decided by the destination when shown and by which roots the profile
    # has: profiles sharing a message mostly share these too.
    shown_destination = destination if destination in candidates.shown else ""
    present = tuple(root in data for root in candidates.roots)
    return list(FACTS.of(subject.rendered, shown_destination, present, using=candidates))


def _facts(candidates: Candidates, destination: str, present: tuple[bool, ...]) -> tuple[Fact, ...]:
    have = {root for root, there in zip(candidates.roots, present, strict=True) if there}
    seen: dict[tuple[str, str], Fact] = {}
    for span, shown, fields in candidates.values:
        if shown == destination:
            continue
        paths = tuple(p for p in fields if field_root(p) in have)
        if not paths:
            continue
        key = (dotted_path(paths[0]), re.sub(r"\s+", " ", shown))
        if key not in seen:
            seen[key] = Fact(key, paths, span.start, span.end)
    return tuple(seen.values())


def _find_candidates(rendered: RenderedMessage, policy: Policy | None) -> Candidates:
    text = rendered.text
    urls = _links(text)
    found = []
    for span in rendered.values:
        shown = normalise(text[span.start : span.end]).strip(" \t\n.,;:!?\"'()«»")
        fields = tuple(
            p for p in span.fields if not names_the_person(p) and not _is_content(p, policy)
        )
        if shown and fields and not any(a <= span.start < b for a, b in urls):
            found.append((span, shown, fields))
    roots = tuple(dict.fromkeys(field_root(p) for _, _, fields in found for p in fields))
    return Candidates(found, roots, frozenset(shown for _, shown, _ in found))


# A rendered message belongs to one run, so to one policy.
CANDIDATES: Derived[Candidates] = Derived(
    lambda subject: _find_candidates(subject.rendered, subject.run.policy)
)
FACTS: Derived[tuple[Fact, ...]] = Derived(_facts)


def specificity(subject: MessageSubject) -> int:
    """How many distinct facts about the person the message recalls (its `specificity`)."""
    return len(facts(subject))


def _links(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in URL.finditer(text))


def _is_content(path: str, policy: Policy | None) -> bool:
    """Whether a field holds what the sender chose for the person (`role: content`)."""
    role = policy.field_role(path) if policy is not None else None
    return role == "content" if role is not None else named_like_content(path)


class SpecificityBudget(Rule):
    """The message recalls too many concrete facts about one person.

    What it flags:
        Every distinct profile value rendered into the copy counts as a fact (an item,
        a date, a place, a count, an attribute, a page, a segment), except the
        person's name, the sender's own data and the content the sender chose for the
        person: recommendations, offers and picks (fields the policy's `fields:` marks
        `role: content`, by default those named like `picks`, `recommendations`,
        `offers`; `role: fact` makes such a field count). Above `max_facts` the
        message fires.
        A value shown twice counts once; counts derived from a list
        (`{{ purchases | length }}`) count. Values inside links, and the address the
        message is sent to, do not. Every message's count is reported as its
        `specificity`.

    Why it is creepy:
        Each detail alone may be fine; five in one email show how much is known.

    Bad:
        Jane, your loafers from Queen St on 20 Feb, size 7, $89.99, in black...

    Better:
        Keep to one or two details the person would expect you to know.

    Options:
        max_facts: most distinct facts one message may recall.
    """

    code = "CC302"
    name = "specificity-budget"
    default_severity = Severity.WARNING
    scopes = ("message",)
    summary = "The message recalls more concrete facts about the person than max_facts"
    options = {
        "max_facts": Option(
            "int", 3, "most distinct facts about the person one message may recall", minimum=0
        ),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        found = facts(subject)
        limit = int(self.config["max_facts"])
        if len(found) <= limit:
            return
        text = subject.rendered.text
        shown = ", ".join(input_value(text[f.start : f.end].strip()) for f in found)
        file, line = subject.locate(found[0].start)
        yield self.finding(
            subject,
            f"Recalls {len(found)} facts about the person (at most {limit} allowed): {shown}",
            evidence=_evidence(text, found),
            fix=f"Keep at most {limit} personal details; drop the least expected ones "
            f"(dates, prices, counts, places) and speak in general terms.",
            fields=tuple(dict.fromkeys(p for f in found for p in f.fields)),
            spans=tuple((f.start, f.end) for f in found),
            file=file,
            line=line,
        )


def _evidence(text: str, found: list[Fact]) -> str:
    """The lines that carry the facts, joined (most messages: one or two sentences)."""
    lines: dict[tuple[int, int], None] = {}
    for fact in found:
        start = text.rfind("\n", 0, fact.start) + 1
        end = text.find("\n", fact.end)
        lines[(start, end if end != -1 else len(text))] = None
    joined = " … ".join(text[a:b].strip() for a, b in lines)
    return joined if len(joined) <= 400 else joined[:399] + "…"
