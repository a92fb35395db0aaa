"""The built-in lexicons, compiled ahead of time.

Building a language's lexicon at start means reading its YAML files and compiling some
sixteen thousand phrases into an index: a quarter of a pre-commit check. The built-in
part depends only on the shipped data, the code that compiles and indexes a phrase and
the versions of the language libraries, so it ships with the package
(`lexicons/<language>.lexicon.pickle`, plain lists, tuples and strings), stamped with a
fingerprint of all of those. A snapshot whose stamp differs is not used and the lexicon
is built from the YAML as before, so a stale snapshot costs time, never a different
match. A policy's own terms are added on top either way (`Lexicon.add_policy_terms`).

    python scripts/compile_lexicons.py      # writes the snapshots with the phrase tables

tests/test_lexicon_snapshot.py fails when a shipped snapshot is stale.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creepcheck.text import phrase_table
from creepcheck.text.document import Entry
from creepcheck.text.lexicon import Combination, Lexicon, builtin_data
from creepcheck.text.phrase_index import PhraseIndex

if TYPE_CHECKING:
    from creepcheck.policy.model import Policy

# The code that turns the data into entries and indexes them, besides what the phrase
# tables' stamp already covers (which reads a word).
_BUILDERS = ("lexicon.py", "lexicon_snapshot.py", "document.py", "word_classes.py")
_FORMAT = 1

# An entry as plain data: category, term, kind, words (keyset ids), unless (a keyset
# id), concept, presumed. Keysets repeat across entries ("your" starts hundreds) and are
# stored once.
PlainEntry = tuple[str, str, str, tuple[int, ...], int, str, bool]


def snapshot_file(language: str) -> str:
    return f"{language}.lexicon.pickle"


@cache
def stamp(language: str) -> str:
    """A fingerprint of the data, the code and the libraries a built-in lexicon is made by."""
    digest = hashlib.sha256(f"{_FORMAT}\0{phrase_table.stamp()}\0".encode())
    here = resources.files("creepcheck.text")
    for name in _BUILDERS:
        digest.update(name.encode() + b"\0" + here.joinpath(name).read_bytes())
    for item in sorted(here.joinpath("lexicons").iterdir(), key=lambda f: f.name):
        if item.name.startswith(f"{language}.") and item.name.endswith(".yaml"):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:32]


def policy_lexicon(
    language: str, policy: Policy, compile_phrase: Callable[[str], Any], *, snapshot: bool
) -> Lexicon:
    """A language's lexicon with the policy's terms added and its `not_sensitive` phrases
    ignored: the built-in part from the shipped snapshot where `snapshot` allows and one
    is fresh, else from the YAML."""
    extra = {
        category: tuple(by_language.get(language, ()))
        for category, by_language in policy.categories.items()
    }
    extra = {k: v for k, v in extra.items() if v}
    ignored = policy.not_sensitive.get(language, ())
    lexicon = None
    if snapshot and language in {"en", "ru"}:
        lexicon = restored(language, extra, compile_phrase, ignored)
    if lexicon is None:
        lexicon = Lexicon(language, builtin_data(language), extra, compile_phrase, ignored=ignored)
    return lexicon


def restored(
    language: str,
    extra: Mapping[str, Any],
    compile_phrase: Callable[[str], Any],
    ignored: Iterable[str] = (),
) -> Lexicon | None:
    """The language's lexicon with the policy's terms, from its shipped snapshot; None
    when there is none for this language or it is stale."""
    data = _shipped(language)
    if data is None:
        return None
    # Unpacked anew for each lexicon: a policy's terms go into its indexes.
    return Lexicon.restored(language, _unpacked(data), extra, compile_phrase, tuple(ignored))


@cache
def _shipped(language: str) -> Mapping[str, Any] | None:
    try:
        raw = resources.files("creepcheck.text.lexicons").joinpath(snapshot_file(language))
        data = pickle.loads(raw.read_bytes())  # noqa: S301 (package data, as trusted as code)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp(language):
        return None
    return data


def _unpacked(data: Mapping[str, Any]) -> dict[str, Any]:
    keysets = [frozenset(keys) for keys in data["keysets"]]

    def entry(plain: PlainEntry) -> Entry:
        category, term, kind, words, unless, concept, presumed = plain
        keys = tuple(keysets[k] for k in words)
        return Entry(category, term, kind, keys, keysets[unless], concept, presumed)

    def index(plains: Iterable[PlainEntry]) -> PhraseIndex:
        built = PhraseIndex()
        for plain in plains:
            built.add(entry(plain))
        return built

    return {
        "sensitive": index(data["sensitive"]),
        "class_index": index(data["class_index"]),
        "cue_index": {group: index(plains) for group, plains in data["cue_index"].items()},
        "combinations": [
            Combination(entry(plain), tuple(facets), within, ordered, index(unless))
            for plain, facets, within, ordered, unless in data["combinations"]
        ],
        "examples": dict(data["examples"]),
        "categories": list(data["categories"]),
        "treatments": {name: tuple(pair) for name, pair in data["treatments"].items()},
        "classes": {name: list(words) for name, words in data["classes"].items()},
    }


def packed(lexicon: Lexicon) -> dict[str, Any]:
    """The built-in part of a lexicon (built with no policy terms) as plain data."""
    keysets: dict[frozenset[str], int] = {}

    def keyset(keys: frozenset[str]) -> int:
        return keysets.setdefault(keys, len(keysets))

    def plain(entry: Entry) -> PlainEntry:
        words = tuple(keyset(w) for w in entry.words)
        unless, concept, presumed = keyset(entry.unless), entry.concept, entry.presumed
        return (entry.category, entry.term, entry.kind, words, unless, concept, presumed)

    def plains(index: PhraseIndex) -> list[PlainEntry]:
        return [plain(e) for e in index.entries]

    body = {
        "sensitive": plains(lexicon.sensitive),
        "class_index": plains(lexicon.class_index),
        "cue_index": {group: plains(index) for group, index in lexicon.cue_index.items()},
        "combinations": [
            (plain(c.entry), c.facets, c.within, c.ordered, plains(c.unless_phrases))
            for c in lexicon.combinations
        ],
        "examples": dict(lexicon.examples),
        "categories": list(lexicon.categories),
        "treatments": dict(lexicon.treatments),
        "classes": {name: list(words) for name, words in lexicon.classes.items()},
    }
    return {
        "stamp": stamp(lexicon.language),
        "keysets": [sorted(keys) for keys in keysets],
        **body,
    }


def built(language: str) -> Lexicon:
    """The built-in lexicon of `language` compiled now, from the YAML."""
    from creepcheck.policy.model import Policy
    from creepcheck.text import TextAnalyzer

    analyzer = TextAnalyzer(Policy(rules={}, categories={}), snapshots=False)
    return Lexicon(
        language, builtin_data(language), {}, lambda phrase: analyzer.compile(phrase, language)
    )


def write(languages: Iterable[str], folder: Path) -> list[Path]:
    written = []
    for language in languages:
        path = folder / snapshot_file(language)
        path.write_bytes(pickle.dumps(packed(built(language)), protocol=4))
        written.append(path)
    return written
