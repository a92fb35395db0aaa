"""Whose contact data a sentence shows: the sender's (its role mailboxes, its link
hosts, "write to us at"), or someone else's ("your neighbour Tom... his number").

The vocabulary is data (`lexicons/ownership.yaml`); this module turns it into patterns.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml


@cache
def _vocabulary() -> dict[str, Any]:
    text = resources.files("creepcheck.text").joinpath("lexicons/ownership.yaml").read_text(
        encoding="utf-8"
    )
    return dict(yaml.safe_load(text))


def _words(name: str) -> list[str]:
    return str(_vocabulary()[name]).split()


def _word_pattern(name: str) -> re.Pattern[str]:
    """Whole words of a list; `word*` takes any ending."""
    parts = [
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in _words(name)
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


ROLE_MAILBOXES = frozenset(_words("role_mailboxes"))
SENDER_SIDE = re.compile(
    r"(?:^|[._\[])(?:"
    + "|".join(re.escape(w) for w in _words("sender_side_fields"))
    + r")s?(?:[._\[]|$)",
    re.IGNORECASE,
)
THIRD_PERSON = _word_pattern("third_person")
FIRST_PERSON_PLURAL = _word_pattern("first_person_plural")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence around [start, end); dots inside it (an email address) do not end it."""
    left = max(text.rfind(p, 0, start) for p in (". ", "! ", "? ", "\n\n")) + 1
    right = [i for i in (text.find(p, end) for p in (". ", "! ", "? ", "\n\n")) if i != -1]
    return text[left : min(right) if right else len(text)]


def about_someone_else(sentence: str) -> bool:
    return THIRD_PERSON.search(sentence) is not None


def sender_speaks(sentence: str) -> bool:
    return FIRST_PERSON_PLURAL.search(sentence) is not None


def sender_side_field(path: str) -> bool:
    """Whether a profile field describes the sender's side (`store.phone`, `rep.email`)."""
    return SENDER_SIDE.search(path) is not None


def role_mailbox(local: str) -> bool:
    """Whether an address's local part names a role (`help`, `orders.eu`), not a person."""
    head = re.split(r"[.+_-]", local, maxsplit=1)[0]
    return local in ROLE_MAILBOXES or head in ROLE_MAILBOXES and head != local


def link_host(href: str) -> str:
    """The host a link points at, without `www.`; empty for mailto:, tel:, sms: and #."""
    href = href.strip()
    if not re.match(r"[a-z][a-z0-9+.-]*://", href, re.IGNORECASE):
        if href.lower().startswith(("mailto:", "tel:", "sms:", "#")):
            return ""
        href = "//" + href
    host = (urlsplit(href).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
