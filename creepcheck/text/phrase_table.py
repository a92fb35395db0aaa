"""The knowledge base's phrase words, tokenized and lemmatised ahead of time.

Compiling the built-in lexicon means tokenizing and lemmatising some ten thousand
distinct phrase words: about a second at every start, most of a pre-commit check. The
result depends only on the lexicon data, the code that reads a word and the versions of
the language libraries, so it ships with the package (`lexicons/<language>.phrases.json`)
stamped with a fingerprint of all of those. A table whose stamp differs (an edited
reader, another spaCy) is not used and every word is compiled as before, so a stale
table costs time, never a wrong match. A word the table lacks (a policy's own term) is
compiled when it is met.

    python scripts/compile_lexicons.py      # writes the tables

tests/test_phrase_table.py fails when a shipped table is stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import metadata, resources
from pathlib import Path

Keys = tuple[frozenset[str], ...]  # per token of the word: the keys it accepts

# What a phrase word's keys are made by: the modules that fold, tokenize and lemmatise
# it, and the libraries they call. The lexicon data is not part of the stamp: a word
# means the same in any phrase, and words the table lacks are compiled when met.
_READERS = (
    "normalize.py",
    "pipeline.py",
    "rule_tokenizer.py",
    "morph.py",
    "lexicon.py",
    "phrase_index.py",
    "phrase_table.py",
)
_LIBRARIES = ("spacy", "lemminflect", "pymorphy3", "pymorphy3-dicts-ru")


def table_file(language: str) -> str:
    return f"{language}.phrases.json"


@cache
def stamp() -> str:
    """A fingerprint of the code and the library versions that turn a word into keys."""
    digest = hashlib.sha256()
    here = resources.files("creepcheck.text")
    for name in _READERS:
        digest.update(name.encode() + b"\0" + here.joinpath(name).read_bytes())
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()[:32]


@cache
def load(language: str) -> Mapping[str, Keys]:
    """The shipped table for a language; empty when absent, unreadable or stale."""
    try:
        text = resources.files("creepcheck.text.lexicons").joinpath(table_file(language))
        data = json.loads(text.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("stamp") != stamp():
        return {}
    pieces = data.get("pieces")
    if not isinstance(pieces, dict):
        return {}
    return {
        piece: tuple(frozenset(keys) for keys in tokens)
        for piece, tokens in pieces.items()
        if isinstance(tokens, list)
    }


def dump(pieces: Mapping[str, Keys]) -> str:
    """A table as JSON, one word a line in a stable order: a diff shows what changed."""
    lines = [
        f"{json.dumps(piece, ensure_ascii=False)}: "
        f"{json.dumps([sorted(keys) for keys in pieces[piece]], ensure_ascii=False)}"
        for piece in sorted(pieces)
    ]
    body = ",\n".join(lines)
    return f'{{"stamp": "{stamp()}",\n"pieces": {{\n{body}\n}}}}\n'


def built_pieces(language: str) -> dict[str, Keys]:
    """Every word the built-in lexicon of `language` compiles, with its keys, worked out
    now (not read from a table)."""
    from creepcheck.policy.model import Policy
    from creepcheck.text import TextAnalyzer

    # The built-in lexicon alone: a policy's own terms are compiled when met.
    analyzer = TextAnalyzer(Policy(rules={}, categories={}), phrase_tables=False)
    seen: dict[str, Keys] = {}
    original: Callable[[str, str], Keys] = analyzer._piece_keys  # noqa: SLF001

    def record(piece: str, lang: str) -> Keys:
        keys = original(piece, lang)
        if lang == language:
            seen[piece] = keys
        return keys

    analyzer._piece_keys = record  # type: ignore[method-assign,assignment]  # noqa: SLF001
    analyzer.lexicon(language)
    return seen


def write(languages: Iterable[str], folder: Path) -> list[Path]:
    written = []
    for language in languages:
        path = folder / table_file(language)
        path.write_text(dump(built_pieces(language)), "utf-8")
        written.append(path)
    return written
