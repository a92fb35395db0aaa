"""What the expensive readers of a message see: the copy, with pathological runs cut.

spaCy's tokenizer strips prefix and suffix punctuation one character at a time and
searches the rest of the chunk again each time, so a run of punctuation costs the square
of its length (twenty thousand `!` take most of a minute), and so does a long chunk of
`a:a:a:`; presidio's patterns try a long match at every position of a long chunk. Copy
needs neither: no word or link is longer than `LONGEST_TOKEN` visible characters, and a
run of more than `LONGEST_SYMBOL_RUN` punctuation marks or symbols says nothing its first
ones do not.

`bounded(text)` is a copy of the same length in which the rest of each over-long token
or symbol run is replaced by spaces; an offset found in the copy is the same offset in
the text. What is left costs time in proportion to its length, which rendering bounds.
Characters that folding drops or merges (zero-width, combining marks) do not count
towards a length and are never replaced, so padding a word with them cannot cut it in two.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from creepcheck.text.normalize import INVISIBLE

LONGEST_TOKEN = 256  # visible characters between whitespace: a long tracking link fits
LONGEST_SYMBOL_RUN = 20  # punctuation marks, symbols or emoji in a row

_SYMBOL_RUN = re.compile(rf"[^\w\s]{{{LONGEST_SYMBOL_RUN + 1},}}")
_LONG_TOKEN = re.compile(rf"\S{{{LONGEST_TOKEN + 1},}}")


def _transparent(char: str) -> bool:
    return char in INVISIBLE or unicodedata.combining(char) != 0


def _cut(run: str, keep: int) -> str:
    """`run` with its visible characters after the first `keep` replaced by spaces."""
    if run.isascii():  # nothing transparent
        return run[:keep] + " " * (len(run) - keep)
    seen = 0
    for index, char in enumerate(run):
        if not _transparent(char):
            seen += 1
            if seen > keep:
                head, tail = run[:index], run[index:]
                return head + "".join(c if _transparent(c) else " " for c in tail)
    return run


@lru_cache(maxsize=16)  # the analysis and presidio ask for the same message in turn
def bounded(text: str) -> str:
    """`text` with over-long tokens and symbol runs cut, at the same offsets."""
    text = _SYMBOL_RUN.sub(lambda m: _cut(m.group(), LONGEST_SYMBOL_RUN), text)
    return _LONG_TOKEN.sub(lambda m: _cut(m.group(), LONGEST_TOKEN), text)
