"""lemminflect's English lemma lookup, shipped as one compact table.

Every English word of a message is lemmatised with lemminflect, whose first lookup
reads its whole table from a gzipped CSV with a per-line codec: about 0.2 s of every
start, a tenth of a pre-commit check. The same table, written once in a form that loads
in a few hundredths of a second, ships with the package (`lexicons/en.lemmas.json.gz`),
stamped with the lemminflect version it was read from; a table whose stamp differs is
not used and lemminflect answers as before, so a stale table costs time, never a
different lemma. Words the table lacks (out of lemminflect's vocabulary) still go to
lemminflect's rules for unknown words.

    python scripts/compile_lexicons.py      # writes the table with the phrase tables

tests/test_lemma_table.py fails when the shipped table is stale.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import metadata, resources
from pathlib import Path

TABLE_FILE = "en.lemmas.json.gz"
# word -> "NOUN:lemma,lemma;VERB:lemma": one string a word, split when it is looked up.
Table = dict[str, str]


def stamp() -> str:
    try:
        return f"lemminflect={metadata.version('lemminflect')}"
    except metadata.PackageNotFoundError:
        return "lemminflect=-"


@cache
def load() -> Table | None:
    """The shipped table; None when absent, unreadable or stale."""
    try:
        raw = resources.files("creepcheck.text.lexicons").joinpath(TABLE_FILE).read_bytes()
        data = json.loads(gzip.decompress(raw))
    except (OSError, ValueError, EOFError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp():
        return None
    words = data.get("words")
    return words if isinstance(words, dict) else None


def lemmas_by_pos(table: Table, word: str) -> dict[str, tuple[str, ...]]:
    """What lemminflect's `getAllLemmas(word)` answers for a lower-case word: {} for a
    word out of its vocabulary."""
    entry = table.get(word)
    if not entry:
        return {}
    by_pos: dict[str, tuple[str, ...]] = {}
    for part in entry.split(";"):
        pos, _, lemmas = part.partition(":")
        by_pos[pos] = tuple(lemmas.split(",")) if lemmas else ()
    return by_pos


def built() -> Table:
    """The table from lemminflect itself: `getAllLemmas` of every lower-case word its
    lookup or its overrides hold (it folds a word to lower case before looking it up),
    leaving out the words it has no lemma for."""
    from lemminflect.core.Lemmatizer import Lemmatizer

    lemmatizer = Lemmatizer()
    known = lemmatizer._getLemmaDict().keys() | lemmatizer._getOverridesDict().keys()  # noqa: SLF001
    table: Table = {}
    for word in sorted({key.lower() for key in known}):
        by_pos = lemmatizer.getAllLemmas(word)
        if not by_pos:
            continue
        parts = [f"{pos}:{','.join(lemmas)}" for pos, lemmas in by_pos.items()]
        if any(c in lemma for lemmas in by_pos.values() for lemma in lemmas for c in ",;"):
            raise ValueError(f"a lemma of {word!r} holds a separator: {by_pos}")
        table[word] = ";".join(parts)
    return table


def write(folder: Path) -> Path:
    path = folder / TABLE_FILE
    body = json.dumps({"stamp": stamp(), "words": built()}, sort_keys=True, separators=(",", ":"))
    path.write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))
    return path
