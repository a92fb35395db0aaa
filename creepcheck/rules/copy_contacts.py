"""The copy half of CC102: the message names a contact point or handle not given.

Two ways copy gives it away: a value rendered from a contact point whose `source` is
not one the person gave (a scraped Instagram handle printed into the greeting), and a
sentence that tells the reader where they were found ("We found you on LinkedIn",
«нашли вас в ВКонтакте»). The second is recognised by its grammar, not by phrases: a
first-person finder with a past-tense verb of finding or seeing, the reader ("you",
"your profile") and a source (a social network, a directory, a data partner). The
brand's own pages ("Follow us on LinkedIn", "our Facebook page") have no reader as the
thing found and do not fire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from creepcheck.caching import Derived
from creepcheck.models import Finding
from creepcheck.privacy.masking import mask_text, mask_value
from creepcheck.privacy.outbound import input_value
from creepcheck.render import RenderedMessage
from creepcheck.text.discovery import (
    FOLD,
    NETWORK_NAMES,
    NETWORKS,
    discoveries,
    sentences,
)
from creepcheck.text.fieldnames import handle_field

if TYPE_CHECKING:
    from creepcheck.models import Profile
    from creepcheck.rules.base import MessageSubject, Rule

NotGiven = tuple[str, str, Any, str]  # what it is, its field path, source, value


def copy_mentions_unlisted_contact(rule: Rule, subject: MessageSubject) -> Iterator[Finding]:
    """Findings for contact points named in the copy that the person did not give."""
    allowed = frozenset(str(s) for s in rule.config["allowed_sources"])
    not_given = _not_given(subject.profile, allowed)
    if not_given:
        yield from _rendered_contact_points(rule, subject, not_given)
    discoveries = _discoveries_in(subject.rendered)
    if discoveries:
        yield from _discovery_framing(rule, subject, allowed, discoveries)


# -- contact point values in the copy -----------------------------------------------------
def _rendered_contact_points(
    rule: Rule, subject: MessageSubject, not_given: tuple[NotGiven, ...]
) -> Iterator[Finding]:
    rendered = subject.rendered
    destination = str(subject.destination.get("value", "")).strip().lower()
    reported: set[str] = set()
    for label, path, source, value in not_given:
        if value.lower() == destination or value.lower() in reported:
            continue  # the address the message goes to is the delivery check's concern
        hit = next(
            (
                s
                for s in rendered.values
                if any(f == path or f.startswith((path + ".", path + "[")) for f in s.fields)
                and rendered.text[s.start : s.end].strip()
            ),
            None,
        )
        start_end = (hit.start, hit.end) if hit else _printed(rendered, value)
        if start_end is None:
            continue
        reported.add(value.lower())
        start, end = start_end
        file, line = subject.locate(start)
        yield rule.finding(
            subject,
            f"The copy names the recipient's {label} {mask_value(value)}, which came "
            f"from {input_value(source)}, not from them",
            evidence=_evidence(subject, start, end),
            fix="Mention only contact points and handles the person gave you themselves; "
            "leave scraped, bought or inferred ones out of the copy.",
            fields=(f"{path}.value", f"{path}.source"),
            file=file,
            line=line,
            spans=((start, end),),
        )


def _not_given(profile: Profile, allowed: frozenset[str]) -> tuple[NotGiven, ...]:
    """The contact points the person did not give, worked out once per profile (most
    have none)."""
    return NOT_GIVEN.of(profile, allowed)


def _find_not_given(profile: Profile, allowed: frozenset[str]) -> tuple[NotGiven, ...]:
    found: list[NotGiven] = []
    for point in profile.view.contact_points:
        source = point.source
        if source is None or str(source) in allowed:
            continue
        value = str(point.entry.get("value", "")).strip()
        if len(value) >= 3:
            path = f"contact_points.{point.listed_under}[{point.index}]"
            found.append((f"{point.listed_under} contact", path, source, value))
    # a handle kept among the attributes: `github_handle: {value: "@p-dev", source: ...}`
    attributes = profile.data.get("attributes")
    for key, entry in (attributes.items() if isinstance(attributes, Mapping) else ()):
        if not isinstance(entry, Mapping) or not handle_field(str(key)):
            continue
        source = entry.get("source")
        value = str(entry.get("value", "")).strip()
        if source is not None and str(source) not in allowed and len(value) >= 3:
            found.append((f"{key}", f"attributes.{key}", source, value))
    return tuple(found)


NOT_GIVEN: Derived[tuple[NotGiven, ...]] = Derived(_find_not_given)


def _printed(rendered: Any, value: str) -> tuple[int, int] | None:
    """Where `value` appears inside a value the template printed (not in static text)."""
    if not any(_may_hold(rendered.text[s.start : s.end], value) for s in rendered.values):
        return None  # spare compiling a pattern for a value no printed value can hold
    pattern = re.compile(rf"(?<![\w@.]){re.escape(value)}(?![\w@])", re.IGNORECASE)
    for match in pattern.finditer(rendered.text):
        if any(s.start <= match.start() and match.end() <= s.end for s in rendered.values):
            return match.start(), match.end()
    return None


def _may_hold(printed: str, value: str) -> bool:
    """Whether `value` may match inside `printed`, ignoring case: a match is as long as
    the value, and its ASCII digits, spaces and punctuation have no other case."""
    return len(printed) >= len(value) and all(
        c in printed for c in value if c.isascii() and not c.isalpha()
    )


# -- "we found you on LinkedIn" -------------------------------------------------------------
def _discovery_framing(
    rule: Rule,
    subject: MessageSubject,
    allowed: frozenset[str],
    discoveries: tuple[tuple[int, int, int, str | None], ...],
) -> Iterator[Finding]:
    for start, end, offset, network in discoveries:
        if network and _gave_on(subject.profile, network, allowed):
            continue  # they gave us their handle there: saying so is not a disclosure
        file, line = subject.locate(start + offset)
        if network:
            name = NETWORK_NAMES.get(network, network.capitalize())
            message = f"The copy tells the recipient they were found or looked up on {name}"
        else:
            message = (
                "The copy tells the recipient their details came from a third party "
                "or a public source"
            )
        yield rule.finding(
            subject,
            message,
            evidence=_clip(
                mask_text(subject.rendered.text.translate(FOLD)[start:end], subject.profile)
            ),
            fix="Do not tell people you found them on a social network or bought their "
            "details; write to them about what they signed up for, and say how you got "
            "their address only if they gave it to you.",
            fields=subject.rendered.fields_in(start, end),
            file=file,
            line=line,
            spans=((start, end),),
        )
        return  # one finding per message is enough to make the point


def _discoveries_in(rendered: RenderedMessage) -> tuple[tuple[int, int, int, str | None], ...]:
    """`_discoveries` of a message's folded text, once per rendered message."""
    return DISCOVERIES.of(rendered)


# By text as well: unshared renders of the same text (CREEPCHECK_UNOPTIMISED) read it once.
def _gave_on(profile: Profile, network: str, allowed: frozenset[str]) -> bool:
    """Whether the person gave a contact point on `network` themselves."""
    names = {n for n, c in NETWORKS.items() if c == network}
    for point in profile.view.contact_points:
        if str(point.entry.get("source", "customer")) not in allowed:
            continue
        described = " ".join(str(v) for k, v in point.entry.items() if k != "source").lower()
        if any(n in point.listed_under.lower() or n in described for n in names):
            return True
    return False


def _clip(sentence: str, limit: int = 200) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _evidence(subject: MessageSubject, start: int, end: int) -> str:
    text = subject.rendered.text
    for a, b in sentences(text):
        if a <= start < b:
            return _clip(mask_text(text[a:b], subject.profile))
    return _clip(mask_text(text[max(0, start - 60) : end + 60], subject.profile))


DISCOVERIES: Derived[tuple[tuple[int, int, int, str | None], ...]] = Derived(
    lambda rendered: discoveries(rendered.text.translate(FOLD))
)
