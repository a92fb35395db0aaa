from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from creepcheck.caching import Derived
from creepcheck.loaders.field_roles import holds_own_contact
from creepcheck.loaders.internal_fields import (
    INTERNAL_VALUES,
    dotted_path,
    is_internal,
    leaf_values,
)
from creepcheck.models import Campaign, Finding, Profile, Severity
from creepcheck.privacy.masking import EMAIL, mask_text, mask_value
from creepcheck.render import RenderedMessage, Span
from creepcheck.rules.base import MessageSubject, Option, Rule
from creepcheck.text.ownership import (
    about_someone_else,
    link_host,
    role_mailbox,
    sender_side_field,
    sender_speaks,
    sentence_around,
)
from creepcheck.text.pii import (
    CREDIT_CARD,
    EMAIL_ADDRESS,
    IBAN_CODE,
    PERSONAL_KINDS,
    PHONE_NUMBER,
    US_SSN,
    PiiEntity,
    digits,
    find_pii,
    same_phone,
    value_pattern,
)

KIND_NAMES = {
    EMAIL_ADDRESS: "email address",
    PHONE_NUMBER: "phone number",
    CREDIT_CARD: "card number",
    IBAN_CODE: "bank account number (IBAN)",
    US_SSN: "social security number",
}
CHECKED_KINDS = frozenset(KIND_NAMES)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# The only non-ASCII characters that re.IGNORECASE matches to ASCII ones (the dotted and
# dotless i, the long s, the Kelvin sign), as those: see `_folded`.
ASCII_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


class PiiLeak(Rule):
    """The message leaks data it must not contain.

    What it flags:
        Personal data that is not the recipient's (another person's email, phone
        number or card number), and internal fields printed into the copy: agent
        notes, model scores, segment names (see `internal_fields`). The recipient's
        own contact details and the sender's help address do not fire.

    Why it is creepy:
        "Difficult caller, threatened to cancel" in a customer's inbox, or another
        customer's email address in yours, is a data breach, not a marketing mistake.

    Bad:
        A note for you: {{ notes }}   /  Your neighbour tom@example.org just joined

    Better:
        Keep internal fields out of templates; never name other customers.

    Options:
        internal_fields: profile fields that must never reach a message.
    """

    code = "CC205"
    name = "pii-leak"
    default_severity = Severity.ERROR
    scopes = ("message",)
    summary = "The message contains someone else's personal data or an internal field"
    options = {
        "internal_fields": Option(
            "list[str]",
            ["notes", "inferred.*", "internal.*", "segments", "score", "*_score"],
            "profile fields that must never reach a message (dotted globs)",
        ),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        yield from self._internal_fields(subject)
        yield from self._foreign_personal_data(subject)

    # -- internal fields -----------------------------------------------------------------
    def _internal_fields(self, subject: MessageSubject) -> Iterator[Finding]:
        rendered, profile = subject.rendered, subject.profile
        globs = tuple(self.config["internal_fields"])
        reported: set[str] = set()
        covered: list[tuple[int, int]] = []
        for span, internal, shown in _internal_spans(rendered, globs):
            if not _prints_field(span, shown, internal, profile):
                continue
            covered.append((span.start, span.end))
            key = dotted_path(internal[0])
            if key in reported:
                continue
            reported.add(key)
            yield self._internal_finding(subject, span.start, span.end, internal)
        for path, value in _internal_values(profile, globs):
            key = dotted_path(path)
            if key in reported:
                continue
            for start, end in _occurrences(rendered, value):
                if any(a <= start and end <= b for a, b in covered):
                    continue
                reported.add(key)
                yield self._internal_finding(subject, start, end, [path])
                break

    def _internal_finding(
        self, subject: MessageSubject, start: int, end: int, fields: Sequence[str]
    ) -> Finding:
        file, line = subject.locate(start)
        names = ", ".join(dict.fromkeys(dotted_path(f) for f in fields))
        return self.finding(
            subject,
            f"The copy prints the internal field {names}, which must never reach a customer",
            evidence=_evidence(subject, start, end),
            fix=f"Remove {names} from the template; internal notes, scores and segment "
            "names are for your team only.",
            fields=tuple(fields),
            file=file,
            line=line,
            spans=((start, end),),
        )

    # -- someone else's personal data ----------------------------------------------------
    def _foreign_personal_data(self, subject: MessageSubject) -> Iterator[Finding]:
        exposures = _exposures(subject)
        if not exposures:
            return
        own = _own_values(subject.profile)
        seen: set[tuple[str, str]] = set()
        for exposure in exposures:
            entity = exposure.entity
            if exposure.key in seen or _is_recipients(entity, own):
                continue
            seen.add(exposure.key)
            message, fix = exposure.wording
            file, line = subject.locate(entity.start)
            yield self.finding(
                subject,
                message,
                evidence=_evidence(subject, entity.start, entity.end),
                fix=fix,
                fields=exposure.fields,
                file=file,
                line=line,
                spans=((entity.start, entity.end),),
            )


def _internal_spans(
    rendered: RenderedMessage, globs: tuple[str, ...]
) -> tuple[tuple[Span, tuple[str, ...], str], ...]:
    """The value spans that read an internal field and show something, with those fields
    and the text shown: per message, however many profiles share it."""
    return INTERNAL_SPANS.of(rendered, globs)


def _find_internal_spans(
    rendered: RenderedMessage, globs: tuple[str, ...]
) -> Iterator[tuple[Span, tuple[str, ...], str]]:
    for span in rendered.values:
        internal = tuple(f for f in span.fields if is_internal(f, globs))
        shown = rendered.text[span.start : span.end]
        if internal and shown.strip():
            yield span, internal, shown


INTERNAL_SPANS: Derived[tuple[Any, ...]] = Derived(
    lambda rendered, globs: tuple(_find_internal_spans(rendered, globs))
)


def _prints_field(span: Span, shown: str, internal: Sequence[str], profile: Profile) -> bool:
    """Whether a value span prints the internal field, not a label chosen by it.

    `{{ "Gold" if inferred.score > 0.7 }}` reads the field but prints a constant; a plain
    field output (filtered or not) prints the field itself.
    """
    if span.expression and "…" not in span.expression:
        return True
    lowered = shown.lower()
    for path in internal:
        for value in leaf_values(profile, path):
            if str(value).strip() and str(value).lower() in lowered:
                return True
    return False


def _internal_values(profile: Profile, globs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Internal values distinctive enough that finding them in the copy is no coincidence."""
    return INTERNAL_VALUES.of(profile, globs)


def _occurrences(rendered: RenderedMessage, value: str) -> Iterator[tuple[int, int]]:
    if value.isascii() and value.lower() not in _folded(rendered):
        return  # the usual case, found without a pattern (one per recipient's value)
    numeric = NUMBER.fullmatch(value) is not None
    for match in value_pattern(value).finditer(rendered.text):
        # A number counts only where the template printed a value, never in static text.
        if numeric and not any(
            s.start <= match.start() and match.end() <= s.end for s in rendered.values
        ):
            continue
        yield match.start(), match.end()


FOLDED: Derived[str] = Derived(lambda rendered: rendered.text.translate(ASCII_TWINS).lower())


def _folded(rendered: RenderedMessage) -> str:
    """The text lowercased, with `ASCII_TWINS` made ASCII: whatever `value_pattern`
    matches of an ASCII value is, lowercased, in it (tests/test_pii_leak_perf_equivalence.py)."""
    return FOLDED.of(rendered)


def _pii(subject: MessageSubject) -> list[PiiEntity]:
    if subject.run.text is not None:
        return list(subject.analysis.personal_data)
    return find_pii(subject.rendered.text, subject.campaign.language, PERSONAL_KINDS)


@dataclass(frozen=True)
class _Exposure:
    """Personal data in the copy that is not the sender's: the recipient's own, or a leak."""

    entity: PiiEntity
    fields: tuple[str, ...]
    key: tuple[str, str]  # the same data written twice is reported once

    @property
    def wording(self) -> tuple[str, str]:
        """The finding's message and fix."""
        entity, what = self.entity, KIND_NAMES[self.entity.kind]
        if entity.kind in (CREDIT_CARD, US_SSN):
            return (
                f"The copy shows a full {what} (ending {digits(entity.text)[-4:]})",
                "Never print a full card or social security number; show at most the "
                "last four digits, and only in a transactional message.",
            )
        return (
            f"The copy shows another person's {what} ({mask_value(entity.text)}), "
            "not the recipient's own",
            "Never put other customers' contact details in a message; refer to "
            "them without identifying data, or not at all.",
        )


def _exposures(subject: MessageSubject) -> tuple[_Exposure, ...]:
    """Per message and campaign: the PII in the copy and the sender's identity are the
    same for every profile that shares the rendered message."""
    return EXPOSURES.of(subject.rendered, subject.campaign.id, using=subject)


def _find_exposures(subject: MessageSubject) -> Iterator[_Exposure]:
    entities = [e for e in _pii(subject) if e.kind in CHECKED_KINDS]
    if not entities:
        return
    rendered = subject.rendered
    sender = _SenderIdentity(subject)
    for entity in entities:
        fields = rendered.fields_in(entity.start, entity.end)
        if sender.owns(entity, fields, rendered.text):
            continue
        key = (entity.kind, digits(entity.text) or entity.text.lower())
        yield _Exposure(entity, fields, key)


EXPOSURES: Derived[tuple[_Exposure, ...]] = Derived(
    lambda subject, _campaign_id: tuple(_find_exposures(subject))
)


class _OwnValues:
    """The recipient's own contact data: every contact point, top-level and attribute values."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = tuple(dict.fromkeys(values))
        self.emails = frozenset(value.lower() for value in self.values)
        self.numbers = frozenset(filter(None, map(digits, self.values)))


def _own_values(profile: Profile) -> _OwnValues:
    return OWN_VALUES.of(profile)


def _find_own_values(profile: Profile) -> list[str]:
    own: list[str] = []
    for path, value in profile.leaves:
        if isinstance(value, str | int) and not isinstance(value, bool) and holds_own_contact(path):
            own.append(str(value).strip())
    return own


OWN_VALUES: Derived[_OwnValues] = Derived(lambda profile: _OwnValues(_find_own_values(profile)))


def _is_recipients(entity: PiiEntity, own: _OwnValues) -> bool:
    if entity.kind == EMAIL_ADDRESS:
        return entity.text.lower() in own.emails
    if entity.kind == PHONE_NUMBER:
        return any(same_phone(entity.text, value) for value in own.values)
    if entity.kind == IBAN_CODE:
        return digits(entity.text) in own.numbers
    return False  # a full card or social security number is never fine to print


class _SenderIdentity:
    """What belongs to the sending brand: its link domains, role mailboxes, static numbers."""

    def __init__(self, subject: MessageSubject) -> None:
        self.domains = {link_host(link.href) for link in subject.rendered.links} - {""}
        self.addresses = _campaign_addresses(subject.campaign)
        self.domains |= {a.rpartition("@")[2] for a in self.addresses}

    def owns(self, entity: PiiEntity, fields: tuple[str, ...], text: str) -> bool:
        if fields and all(sender_side_field(f) for f in fields):
            return True  # the store's number, the account manager's address
        if fields:
            return False  # someone else's data held in the recipient's profile
        # Static text: the brand's own contact details, unless the sentence is about
        # another person ("your neighbour Tom (+1 503 555 0199) just joined").
        sentence = sentence_around(text, entity.start, entity.end)
        about_someone = about_someone_else(sentence)
        if entity.kind == EMAIL_ADDRESS:
            address = entity.text.lower()
            local, _, domain = address.rpartition("@")
            if (
                address in self.addresses
                or role_mailbox(local)
                or any(domain == d or domain.endswith("." + d) for d in self.domains)
            ):
                return True
            if about_someone:
                return False
            # "Write to us at..." is ours; otherwise an address at a domain other than the
            # brand's (when its links tell us the brand's domain) is someone else's.
            return sender_speaks(sentence) or not self.domains
        if entity.kind in (PHONE_NUMBER, IBAN_CODE):
            # "Call her on..." next to "our stylist" is still the brand's own line.
            return not about_someone or sender_speaks(sentence)
        return False


# The email addresses in the campaign file, lowercased: the sender's own.
CAMPAIGN_ADDRESSES: Derived[frozenset[str]] = Derived(
    lambda campaign: frozenset(a.lower() for a in _emails_in(campaign.raw))
)


def _campaign_addresses(campaign: Campaign) -> frozenset[str]:
    return CAMPAIGN_ADDRESSES.of(campaign)


def _emails_in(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _emails_in(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _emails_in(value)
    elif isinstance(node, str):
        yield from EMAIL.findall(node)


def _evidence(subject: MessageSubject, start: int, end: int) -> str:
    """The line around the offending text, masked, at most ~160 characters."""
    text = subject.rendered.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left = max(line_start, start - 80)
    right = min(line_end, end + 80)
    snippet = text[left:right].strip()
    snippet = ("…" if left > line_start else "") + snippet + ("…" if right < line_end else "")
    return mask_text(snippet, subject.profile)  # cards, IBANs and SSNs too
