"""Masking a recipient's personal data in everything creepcheck prints.

Reports are read by many (CI logs, audit folders), so names, emails, phone numbers,
addresses, handles, birth dates, relatives' names and document or account numbers are
masked unless the user asks for `--show-pii`. `outbound.py` decides which text is the
input's (masked) and which is creepcheck's own (left alone).

The patterns run on text of any length (a long error message, a hostile profile), so
each can start only at the beginning of a run of the characters it matches, or is
bounded: matching stays linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from creepcheck.caching import Derived
from creepcheck.models import Profile
from creepcheck.values import as_date

EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# An address cut short ("jane.doe@exam…"): in input text, masked too.
EMAIL_PART = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w.-]*", re.UNICODE)
PHONE_CANDIDATE = re.compile(
    r"(?<![\w/:.-])(?<!\d[ ()\-.])(?<!\d[ ()\-.]{2})(?<!\d[ ()\-.]{3})"
    r"\+?\(?\d(?:[ ()\-.]{0,3}\d){5,19}(?![\w/:])"
)
DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
CARD_LIKE = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
SSN_LIKE = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
ADDRESS_KEYS = ("value", "line1", "line2", "street", "address")

# The piece of text at a cut made before masking: `Marco Ros…`, `…ssi said`.
CUT_END = re.compile(r"(?<![\w.+'@-])([\w.+'@-]{2,40})…")
CUT_START = re.compile(r"…([\w.+'@-]{2,40})(?![\w.+'@-])")

NAME, DATE, NUMBER = "name", "date", "number"
# Profile fields (at any depth) whose values are personal whatever they look like, and
# how to mask them. A key matches an entry or starts with one as whole words:
# `spouse_name`, `passport_no` and `bank_account_number` match. Values that look like
# an email or a phone number are masked as such (`household.partner_phone`).
PERSONAL_FIELDS: dict[str, str] = {
    "dob": DATE, "birth_date": DATE, "birthdate": DATE, "date_of_birth": DATE,
    "birthday": DATE,
    "spouse": NAME, "partner": NAME, "husband": NAME, "wife": NAME, "child": NAME,
    "children": NAME, "kids": NAME, "household": NAME, "household_members": NAME,
    "emergency_contact": NAME, "emergency_contacts": NAME, "next_of_kin": NAME,
    "relatives": NAME, "family": NAME, "mother": NAME, "father": NAME, "parent": NAME,
    "parents": NAME, "guardian": NAME, "dependents": NAME,
    "ssn": NUMBER, "social_security_number": NUMBER, "passport": NUMBER,
    "national_id": NUMBER, "tax_id": NUMBER, "iban": NUMBER, "account_number": NUMBER,
    "bank_account": NUMBER, "card": NUMBER, "card_number": NUMBER, "credit_card": NUMBER,
    "driver_license": NUMBER, "drivers_license": NUMBER, "document_number": NUMBER,
    "id_number": NUMBER,
}  # fmt: skip
# How a birth date may be written in the copy, besides its ISO form.
DATE_FORMATS = ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%B %d, %Y", "%d %B %Y", "%b %d, %Y")
MAX_DEPTH = 20


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    labels = domain.split(".")
    head = [f"{label[:1]}***" for label in labels[:-1]]
    return f"{local[:1]}***@{'.'.join([*head, labels[-1]])}"


def mask_phone(phone: str) -> str:
    """Keep the country code and the last four digits: `+1 *** *** 0199`."""
    groups = re.split(r"(\D+)", phone)
    digit_groups = [i for i, g in enumerate(groups) if g.isdigit()]
    total = sum(len(groups[i]) for i in digit_groups)
    keep_from = total - 4  # digits at or past this index stay visible
    country = digit_groups[0] if phone.lstrip().startswith("+") and len(digit_groups) > 2 else -1
    seen = 0
    for i in digit_groups:
        group, start = groups[i], seen
        seen += len(group)
        if i == country or start >= keep_from:
            continue
        cut = keep_from - start
        groups[i] = "***" if cut >= len(group) else "*" * cut + group[cut:]
    return "".join(groups)


def mask_name(name: str) -> str:
    return " ".join(f"{part[:1]}." for part in name.split() if part)


def mask_number(number: str) -> str:
    """A card, account or document number: its last four letters or digits stay (two of
    a short one, none of a very short one), separators too: `**** **** **** 1111`."""
    characters = sum(ch.isalnum() for ch in number)
    keep = 4 if characters >= 8 else 2 if characters >= 5 else 0
    masked, seen = [], 0
    for ch in number:
        if ch.isalnum():
            seen += 1
            ch = ch if seen > characters - keep else "*"
        masked.append(ch)
    return "".join(masked)


def mask_date(text: str) -> str:
    return re.sub(r"\w", "*", text)


def mask_value(value: str) -> str:
    """Mask one personal value by its look: email, phone, handle or other text."""
    value = value.strip()
    if EMAIL.fullmatch(value):
        return mask_email(value)
    if is_phone(value):
        return mask_phone(value)
    if value.startswith("@") and len(value) > 2:
        return f"@{value[1]}***"
    return f"{value[:1]}***" if value else value


def personal_values(profile: Profile) -> list[tuple[str, str]]:
    """(value, masked) pairs of a profile's identifying data, longest first."""
    pairs: dict[str, str] = {}
    view = profile.view
    for key in sorted(view.names):
        name = view.names[key].strip()
        if len(name) > 1:
            pairs[name] = mask_name(name)
    for point in view.entries:
        for address in _point_values(point.entry):
            pairs[address] = mask_value(address)
    for kind, value in _field_values(profile.data, None, 0):
        pairs.update(_masked_forms(kind, value))
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def personal_field(key: str) -> str | None:
    """What a profile key holds when `PERSONAL_FIELDS` names it: name, date or number."""
    words = key.lower().replace("-", "_").split("_")
    for end in range(len(words), 0, -1):
        kind = PERSONAL_FIELDS.get("_".join(words[:end]))
        if kind is not None:
            return kind
    return None


def _field_values(data: object, kind: str | None, depth: int) -> Iterator[tuple[str, object]]:
    """(kind, value) for each value under a key `PERSONAL_FIELDS` names."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _field_values(value, kind or personal_field(str(key)), depth + 1)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _field_values(item, kind, depth + 1)
    elif kind is not None and isinstance(data, str | int | date) and not isinstance(data, bool):
        yield kind, data


def _masked_forms(kind: str, value: object) -> Iterator[tuple[str, str]]:
    """The ways a personal value may appear in text, each with its masked form."""
    if kind == DATE and (day := as_date(value)) is not None:
        for text in (day.isoformat(), *(day.strftime(f) for f in DATE_FORMATS)):
            yield text, mask_date(text)
        return
    text = str(value).strip()
    if len(text) <= 2:
        return
    if EMAIL.fullmatch(text) or is_phone(text):
        yield text, mask_value(text)
    elif kind == NAME and not text.replace(" ", "").isdigit():
        yield text, mask_name(text)
        for part in text.split():
            if len(part) > 2:
                yield part, mask_name(part)
    elif kind in (NAME, NUMBER):  # a number under a relative's field is masked as one
        yield text, mask_number(text)
    else:
        yield text, mask_date(text)


def _point_values(entry: object) -> Iterable[str]:
    if isinstance(entry, dict):
        for key in ADDRESS_KEYS:
            value = entry.get(key)
            if isinstance(value, str | int) and len(str(value).strip()) > 2:
                yield str(value).strip()
    elif isinstance(entry, str) and len(entry.strip()) > 2:
        yield entry.strip()


def mask_text(text: str, profile: Profile | None = None) -> str:
    """Mask the profile's personal data and anything that looks personal in `text`: an
    email address (or the start of one), a phone, card, IBAN or SSN-like number. For
    text that came from the input; see `mask_known` for creepcheck's own text."""
    if not text:
        return text
    text = mask_known(text, profile)
    if profile is not None and "…" in text:
        text = _mask_cut_edges(text, _personal_values_of(profile))
    text = EMAIL_PART.sub(_mask_email_part, text)
    for pattern in (IBAN_LIKE, SSN_LIKE, CARD_LIKE):
        text = pattern.sub(lambda m: mask_number(m.group()), text)
    return PHONE_CANDIDATE.sub(
        lambda m: mask_phone(m.group()) if is_phone(m.group()) else m.group(), text
    )


def mask_known(text: str, profile: Profile | None = None) -> str:
    """Mask the profile's personal data and email addresses only: for creepcheck's own
    text, whose numbers (limits, counts, lines) are not phone numbers."""
    if not text:
        return text
    if profile is not None:
        text = _mask_own(text, _personal_values_of(profile))
    return EMAIL.sub(lambda m: mask_email(m.group()) if "***" not in m.group() else m.group(), text)


def _mask_cut_edges(text: str, values: Iterable[tuple[str, str]]) -> str:
    """A personal value cut short where an excerpt was cut (`Marco Ros…`, `…ssi said`):
    the piece at the cut is masked when a value starts or ends with it."""
    known = [value.lower() for value, _ in values]

    def at_end(match: re.Match[str]) -> str:
        piece = match.group(1).lower()
        hit = any(value.startswith(piece) for value in known)
        return f"{match.group(1)[:1]}***…" if hit else match.group()

    def at_start(match: re.Match[str]) -> str:
        piece = match.group(1).lower()
        return "…***" if any(value.endswith(piece) for value in known) else match.group()

    return CUT_START.sub(at_start, CUT_END.sub(at_end, text))


def _mask_email_part(match: re.Match[str]) -> str:
    found = match.group()
    if "***" in found:
        return found
    if EMAIL.fullmatch(found):
        return mask_email(found)
    return f"{found[:1]}***@***"


PERSONAL_VALUES: Derived[tuple[tuple[str, str], ...]] = Derived(
    lambda profile: tuple(personal_values(profile))
)


def _personal_values_of(profile: Profile) -> tuple[tuple[str, str], ...]:
    return PERSONAL_VALUES.of(profile)


def _mask_own(text: str, values: Iterable[tuple[str, str]]) -> str:
    """Each value, as a whole word in any case, replaced by its masked form."""
    for value, masked in values:
        if value and text.isascii() and value.isascii():
            text = _replace_ascii_words(text, value, masked)
        else:  # outside ASCII, case folding has exceptions (the Kelvin sign): regex it
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", masked, text, flags=re.I)
    return text


def _replace_ascii_words(text: str, value: str, masked: str) -> str:
    """What `_mask_own`'s regular expression does, for ASCII text and value, without
    compiling a pattern per value (each recipient's values are new to the regex cache)."""
    lowered, needle = text.lower(), value.lower()
    out: list[str] = []
    position = start = 0
    while (start := lowered.find(needle, start)) != -1:
        end = start + len(needle)
        if (start == 0 or not _is_word(text[start - 1])) and (
            end == len(text) or not _is_word(text[end])
        ):
            out += [text[position:start], masked]
            position = start = end
        else:
            start += 1
    if not out:
        return text
    out.append(text[position:])
    return "".join(out)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def is_phone(text: str) -> bool:
    """Looks like a phone number: 7 to 15 digits in phone punctuation, not a date or amount."""
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if not 7 <= digits <= 15 or not PHONE_CANDIDATE.fullmatch(text) or DATE_LIKE.search(text):
        return False
    return not re.fullmatch(r"\d+\.\d+", text)
