"""The boundary every string crosses on its way out of creepcheck.

Findings, input problems, notes and previews reach CI logs, terminals and reports read
by many. `outbound()` does three things to each, in this order:

1. masks the recipient's personal data (unless `--show-pii`). creepcheck's own words are
   told apart from the input's: a message is a template whose input values are marked
   with `input_value()` when they are interpolated (`describe()` does it for the values
   an error quotes). Marked values, and text that is all input (evidence), get every
   mask; creepcheck's own text only the profile's known values and email addresses, so
   that its limits, counts and line numbers are never masked as phone numbers;
2. cuts to length, after masking, so that a cut never leaves part of a value bare;
3. makes control characters, escape sequences, bidirectional overrides and invisible
   characters visible, so that no value can start a line (a forged `::error::` workflow
   command), move the cursor, write the clipboard or reorder what is read.
"""

from __future__ import annotations

import re

from creepcheck.models import Profile
from creepcheck.privacy.masking import mask_known, mask_text

VALUE_OPEN, VALUE_CLOSE = "\ue010", "\ue011"
MARKED = re.compile(f"{VALUE_OPEN}([^{VALUE_OPEN}{VALUE_CLOSE}]*){VALUE_CLOSE}")
MARKERS = re.compile(f"[{VALUE_OPEN}{VALUE_CLOSE}]")
EXCERPT_CHARS = 40  # the most of a file's content a message may quote
VALUE_LIMIT = EXCERPT_CHARS  # characters of one quoted value
CUT = "…"

NEWLINE = "⏎"
# C0 and C1 controls, DEL, line and paragraph separators, bidirectional marks, overrides
# and isolates, zero-width characters and the byte-order mark.
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
LAYOUT = "\n\t"


def input_value(value: object) -> str:
    """`value` marked as the input's inside a message creepcheck builds (see module doc)."""
    return f"{VALUE_OPEN}{MARKERS.sub('', str(value))}{VALUE_CLOSE}"


def outbound(
    text: str,
    *,
    profile: Profile | None = None,
    show_pii: bool = False,
    limit: int | None = None,
    from_input: bool = False,
    keep_layout: bool = False,
) -> str:
    """`text` as it may leave creepcheck: masked, cut to `limit`, control characters
    visible. `from_input`: all of `text` came from the input (evidence, copy).
    `keep_layout`: newlines and tabs stay (a preview, a report's evidence block)."""
    if not text:
        return text
    if from_input:
        shown = _shown_value(MARKERS.sub("", text), profile, show_pii, None)
    else:
        shown = _shown_message(text, profile, show_pii)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + CUT
    return visible(shown, keep_layout=keep_layout)


def unmarked(text: str) -> str:
    """The message with its value marks taken out, nothing else changed (for tests and
    for comparing messages; never for output)."""
    return MARKERS.sub("", text)


def visible(text: str, *, keep_layout: bool = False) -> str:
    """Control and invisible characters as visible text: a newline as `⏎`, other C0
    controls as their Unicode pictures (`␛` for escape), the rest as `<U+202E>`."""
    if not INVISIBLE.search(text):
        return text
    return INVISIBLE.sub(lambda m: _picture(m.group(), keep_layout), text)


def _picture(char: str, keep_layout: bool) -> str:
    if keep_layout and char in LAYOUT:
        return char
    if char == "\n":
        return NEWLINE
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def _shown_message(text: str, profile: Profile | None, show_pii: bool) -> str:
    parts: list[str] = []
    position = 0
    for match in MARKED.finditer(text):
        own = text[position : match.start()]
        parts.append(own if show_pii else mask_known(own, profile))
        parts.append(_shown_value(match.group(1), profile, show_pii, VALUE_LIMIT))
        position = match.end()
    rest = MARKERS.sub("", text[position:])
    parts.append(rest if show_pii else mask_known(rest, profile))
    return "".join(parts)


def _shown_value(value: str, profile: Profile | None, show_pii: bool, limit: int | None) -> str:
    shown = value if show_pii else mask_text(value, profile)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + CUT
    return shown
