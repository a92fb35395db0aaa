"""Masking a recipient's personal data in everything creepcheck prints.

Reports are read by many (CI logs, audit folders), so names, emails, phone numbers,
addresses and handles are masked unless the user asks for `--show-pii`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from creepcheck.models import Profile, derived

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE_CANDIDATE = re.compile(r"(?<![\w/:.-])\+?\(?\d[\d ()\-.]{5,}\d(?![\w/:])")
DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
# Top-level profile fields that hold the person's own identifying data.
NAME_FIELDS = ("first_name", "last_name", "middle_name", "full_name", "name")
ADDRESS_KEYS = ("value", "line1", "line2", "street", "address")


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
    for key in NAME_FIELDS:
        value = profile.data.get(key)
        if isinstance(value, str) and len(value.strip()) > 1:
            pairs[value.strip()] = mask_name(value.strip())
    points = profile.data.get("contact_points")
    if isinstance(points, dict):
        for entries in points.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                for value in _point_values(entry):
                    pairs[value] = mask_value(value)
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def _point_values(entry: object) -> Iterable[str]:
    if isinstance(entry, dict):
        for key in ADDRESS_KEYS:
            value = entry.get(key)
            if isinstance(value, str | int) and len(str(value).strip()) > 2:
                yield str(value).strip()
    elif isinstance(entry, str) and len(entry.strip()) > 2:
        yield entry.strip()


def mask_text(text: str, profile: Profile | None = None) -> str:
    """Mask the profile's own data and any email address or phone number in `text`."""
    if not text:
        return text
    if profile is not None:
        text = _mask_own(text, _personal_values_of(profile))
    text = EMAIL.sub(lambda m: mask_email(m.group()) if "***" not in m.group() else m.group(), text)
    return PHONE_CANDIDATE.sub(
        lambda m: mask_phone(m.group()) if is_phone(m.group()) else m.group(), text
    )


def _personal_values_of(profile: Profile) -> tuple[tuple[str, str], ...]:
    return derived(profile.memo, "masking.personal_values", lambda: tuple(personal_values(profile)))


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
