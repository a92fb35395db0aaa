"""Whether a profile source's field names are the ones creepcheck reads (SPEC 1.3).

A CRM export whose columns are named its own way (`email` for
`contact_points.email.0.value`) loads without error, and every check that needs those
fields then passes for want of data. Each source is looked at once: its CSV header, or
the field names of its first records. A source where no field creepcheck reads appears,
and each name close to a known one, is reported with a did-you-mean. Other names are
allowed: profiles may carry any fields of their own.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


def _profile_fields() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Top fields, contact point keys, consent keys and channels, from the profile
    schema (creepcheck/schemas/profile.yaml), which is their one source."""
    from creepcheck.schemas import schema

    profile = schema("profile")
    defs = profile["$defs"]
    top = tuple(name for name in profile["properties"] if name != "id")
    channels = tuple(profile["properties"]["contact_points"]["propertyNames"]["enum"])
    return (
        top,
        tuple(defs["contact_point"]["properties"]),
        tuple(defs["consent"]["properties"]),
        channels,
    )


TOP_FIELDS, CONTACT_POINT_KEYS, CONSENT_KEYS, CONTACT_CHANNELS = _profile_fields()
# Fields whose inner keys creepcheck reads, so a misspelt inner key is worth a hint.
CHECKED_INSIDE = ("contact_points", "consents")
TARGETED_HINTS = {
    "email": "contact_points.email.0.value",
    "e-mail": "contact_points.email.0.value",
    "email_address": "contact_points.email.0.value",
    "phone": "contact_points.phone.0.value",
    "phone_number": "contact_points.phone.0.value",
    "mobile": "contact_points.sms.0.value",
    "sms": "contact_points.sms.0.value",
    "tz": "timezone",
}
CLOSE_ENOUGH = 0.8
MAX_FUZZY = 500  # names compared letter by letter; beyond, only cheap spellings are tried


def _known_paths() -> tuple[str, ...]:
    paths = ["id", *TOP_FIELDS]
    paths += [f"contact_points.{c}.0.{k}" for c in CONTACT_CHANNELS for k in CONTACT_POINT_KEYS]
    paths += [f"consents.{c}.{k}" for c in CONTACT_CHANNELS for k in CONSENT_KEYS]
    return tuple(paths)


KNOWN_PATHS = _known_paths()
_KNOWN = frozenset(KNOWN_PATHS)


def normalized(parts: Iterable[str]) -> str:
    """A field path with every list index as 0 (`contact_points.email.2.value`)."""
    return ".".join("0" if part.isascii() and part.isdigit() else part for part in parts)


def reads_nothing(paths: Iterable[str]) -> bool:
    """Whether none of the fields creepcheck reads is among `paths` (the id aside)."""
    return not any(path.split(".")[0] in TOP_FIELDS for path in paths)


def suggestion(path: str, *, fuzzy: bool = True) -> str | None:
    """The known field a name is probably meant to be, or None for a known field or
    one of the profile's own. `fuzzy=False` tries only the cheap spellings (case,
    separators, a plural), for the columns of a very wide export."""
    top, _, rest = path.partition(".")
    if path in _KNOWN or (top in TOP_FIELDS and top not in CHECKED_INSIDE):
        return None
    if path.lower() in TARGETED_HINTS:
        return TARGETED_HINTS[path.lower()]
    if top in CHECKED_INSIDE:
        if _inside_known(path):
            return None
        return _closest(path, _UNDER[top]) if fuzzy else None
    known_top = _SPELLINGS.get(_spelling(top))
    if known_top is None and fuzzy:
        known_top = _closest(top, ("id", *TOP_FIELDS))
    if known_top is None or not rest:
        return known_top
    corrected = f"{known_top}.{rest}"
    if corrected in _KNOWN or known_top not in CHECKED_INSIDE or _inside_known(corrected):
        return corrected
    return _closest(corrected, _UNDER[known_top]) if fuzzy else None


def _spelling(name: str) -> str:
    """`First-Name`, `firstname`, `first_names` all as `firstname`."""
    return "".join(c for c in name.lower() if c.isalnum()).removesuffix("s")


def _closest(name: str, candidates: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=CLOSE_ENOUGH)
    return close[0] if close else None


_SPELLINGS = {_spelling(name): name for name in TOP_FIELDS}
_UNDER = {top: tuple(p for p in KNOWN_PATHS if p.startswith(top + ".")) for top in CHECKED_INSIDE}


def _inside_known(path: str) -> bool:
    """A prefix of a known path (`consents.email`) or one with a key of its own below a
    known channel (`consents.email.note`), which profiles may carry."""
    parts = path.split(".")
    if len(parts) < 3:
        return any(known.startswith(path + ".") for known in KNOWN_PATHS)
    return parts[1] in CONTACT_CHANNELS and not difflib.get_close_matches(
        parts[-1], CONTACT_POINT_KEYS + CONSENT_KEYS, n=1, cutoff=CLOSE_ENOUGH
    )


def schema_messages(paths: Iterable[str]) -> list[str]:
    """What to tell about a source's field names: nothing when they look fine."""
    names = list(dict.fromkeys(paths))
    if reads_nothing(names):
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        hints = [
            f"{name} → {hint}"
            for index, name in enumerate(names)
            if (hint := suggestion(name, fuzzy=index < MAX_FUZZY))
        ]
        return [
            f"none of the fields creepcheck reads appear (got {shown or 'only id'}); "
            "checks that need contact_points, consents, timezone, status or last_verified "
            "cannot fail for these profiles"
            + (f"; did you mean {', '.join(hints)}" if hints else "")
            + ". Rename the fields, or map CSV columns with `mapping:` in creepcheck.yaml"
        ]
    return [
        f'unknown field "{name}": did you mean "{hint}"? (docs/reference.md lists the profile '
        "fields)"
        for index, name in enumerate(names)
        if (hint := suggestion(name, fuzzy=index < MAX_FUZZY))
    ]
