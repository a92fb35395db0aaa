"""spaCy's rule-based tokenizer, run in Python from rules shipped with the package.

A blank spaCy pipeline tokenizes by rules alone: split at whitespace, then peel prefixes
and suffixes off each stretch, split it at infixes, keep URLs and the language's special
cases ("don't", "a.m.", "т.е.") whole. Importing spaCy to run those rules is about 0.45 s
of every start, a third of a pre-commit check on a small campaign. The rules (the
prefix, suffix, infix and URL expressions and the special cases) are read from spaCy
once, when the package is built, and shipped as `lexicons/tokenizer.<language>.json`,
stamped with the spaCy version they were read from; this module applies them the way
spaCy's tokenizer does (`Tokenizer._tokenize` and `_apply_special_cases` in its
tokenizer.pyx are the model). A table whose stamp differs is not used and spaCy
tokenizes as before, so a stale table costs time, never a different token.

    python scripts/compile_lexicons.py      # writes the tables with the phrase tables

tests/test_rule_tokenizer.py fails when a shipped table is stale, and compares the
tokens with spaCy's on the copy corpus, every special case and generated texts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "ru", "xx")
_NEVER = re.compile("a^")


def table_file(language: str) -> str:
    return f"tokenizer.{language}.json"


def stamp() -> str:
    try:
        return f"spacy={metadata.version('spacy')}"
    except metadata.PackageNotFoundError:
        return "spacy=-"


@dataclass(frozen=True)
class RuleToken:
    """A token as spaCy makes it: its text and where it starts (a run of whitespace is a
    token too, but for one plain space after a word)."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    # what the pipeline reads of a spaCy token, under spaCy's names
    @property
    def idx(self) -> int:
        return self.start

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    lemma_ = ""

    @property
    def is_alpha(self) -> bool:
        return self.text.isalpha()

    @property
    def is_punct(self) -> bool:
        return is_punct(self.text)


def is_punct(text: str) -> bool:
    """spaCy's lexical `is_punct`: every character is Unicode punctuation."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class RuleTokenizer:
    """The tokenizer of one language, from its shipped rules."""

    def __init__(self, rules: Mapping[str, Any]) -> None:
        self.prefix_search = _compiled(rules.get("prefix")).search
        self.suffix_search = _compiled(rules.get("suffix")).search
        self.infix_finditer = _compiled(rules.get("infix")).finditer
        self.token_match = _compiled(rules.get("token_match")).match
        self.url_match = _compiled(rules.get("url_match")).match
        self.rules: dict[str, tuple[str, ...]] = {
            orth: tuple(pieces) for orth, pieces in rules["specials"].items()
        }
        # special cases that affixes would split, found again over the tokens (spaCy's
        # special matcher): the tokens each is split into without special cases
        self.matched: frozenset[tuple[str, ...]] = frozenset(
            tuple(tokens) for tokens in rules["matched"].values()
        )
        self._first_tokens = frozenset(tokens[0] for tokens in self.matched if tokens)
        self._longest = max((len(tokens) for tokens in self.matched), default=0)

    def __call__(self, text: str) -> list[RuleToken]:
        """The tokens of `text`, whitespace tokens included."""
        tokens: list[RuleToken] = []
        for start, stretch, space in _stretches(text):
            if space:
                tokens.append(RuleToken(start, stretch))
            else:
                tokens.extend(self._stretch(stretch, start))
        return self._special_spans(text, tokens) if self._longest else tokens

    def _stretch(self, stretch: str, offset: int) -> Iterator[RuleToken]:
        """One stretch between whitespace, as spaCy's `_tokenize` splits it: a special
        case whole; else prefixes and suffixes peeled off together, a round at a time,
        until none is left or what is left (or left but for the last one) is a special
        case; then what is left is a special case, a token match, a URL, or split at
        its infixes."""
        rules = self.rules
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = stretch
        if string in rules:
            string = ""
            prefixes.extend(rules[stretch])
        last_size = 0
        while string and len(string) != last_size:
            if self.token_match(string) or string in rules:
                break
            last_size = len(string)
            prefix = self.prefix_search(string)
            pre_len = prefix.end() - prefix.start() if prefix else 0
            if pre_len and string[pre_len:] in rules:
                prefixes.append(string[:pre_len])
                string = string[pre_len:]
                break
            suffix = self.suffix_search(string[pre_len:])
            suf_len = suffix.end() - suffix.start() if suffix else 0
            if suf_len and string[:-suf_len] in rules:
                suffixes.append(string[-suf_len:])
                string = string[:-suf_len]
                break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                prefixes.append(string[:pre_len])
                suffixes.append(string[-suf_len:])
                string = string[pre_len:-suf_len]
            elif pre_len:
                prefixes.append(string[:pre_len])
                string = string[pre_len:]
            elif suf_len:
                suffixes.append(string[-suf_len:])
                string = string[:-suf_len]
        middle: list[str] = []
        if string in rules:
            middle.extend(rules[string])
        elif string and (self.token_match(string) or self.url_match(string)):
            middle.append(string)
        elif string:
            middle.extend(self._infixed(string))
        position = offset
        for piece in [*prefixes, *middle, *reversed(suffixes)]:
            yield RuleToken(position, piece)
            position += len(piece)

    def _infixed(self, substring: str) -> list[str]:
        pieces: list[str] = []
        offset = 0
        for match in self.infix_finditer(substring):
            if offset == 0 and match.start() == 0:
                continue
            if substring[offset : match.start()]:
                pieces.append(substring[offset : match.start()])
            if match.start() != match.end():
                pieces.append(substring[match.start() : match.end()])
            offset = match.end()
        if substring[offset:]:
            pieces.append(substring[offset:])
        return pieces

    def _special_spans(self, text: str, tokens: list[RuleToken]) -> list[RuleToken]:
        """Special cases found again over the tokens, longest and then first kept, as
        spaCy's `_filter_special_spans` keeps them; a span whose text (spaces included)
        is a special case is replaced by its pieces."""
        orths = [token.text for token in tokens]
        found: list[tuple[int, int]] = []
        for first in range(len(tokens)):
            if orths[first] not in self._first_tokens:
                continue
            for size in range(1, min(self._longest, len(tokens) - first) + 1):
                if tuple(orths[first : first + size]) in self.matched:
                    found.append((first, first + size))
        if not found:
            return tokens
        found.sort(key=lambda span: (-(span[1] - span[0]), span[0]))
        seen: set[int] = set()
        kept: list[tuple[int, int]] = []
        for first, last in found:
            if first not in seen and last - 1 not in seen:
                kept.append((first, last))
            seen.update(range(first, last))
        out: list[RuleToken] = []
        index = 0
        for first, last in sorted(kept):
            out.extend(tokens[index:first])
            start, end = tokens[first].start, tokens[last - 1].end
            pieces = self.rules.get(text[start:end])
            if pieces is None:
                out.extend(tokens[first:last])
            else:
                position = start
                for piece in pieces:
                    out.append(RuleToken(position, piece))
                    position += len(piece)
            index = last
        out.extend(tokens[index:])
        return out


def matched_pieces(tokenizer: Any) -> frozenset[tuple[str, ...]]:
    """The special cases that affixes split, as the pieces they are split into: spaCy
    finds them again over the tokens of the whole text, across a single space too (in
    "x:) )" the pieces of ":))" span the space, and spaCy then leaves ":)" split)."""
    if isinstance(tokenizer, RuleTokenizer):
        return tokenizer.matched
    bare = _without_specials(tokenizer)
    return frozenset(
        tuple(token.text for token in bare(orth))
        for orth in tokenizer.rules or {}
        if tokenizer.find_prefix(orth)
        or tokenizer.find_infix(orth)
        or tokenizer.find_suffix(orth)
        or " " in orth
    )


def _stretches(text: str) -> Iterator[tuple[int, str, bool]]:
    """(start, stretch, is whitespace): the stretches spaCy tokenizes one by one. A run
    of whitespace is a token but for one plain space after a word."""
    start = 0
    in_space = bool(text) and text[0].isspace()
    for index, char in enumerate(text):
        if char.isspace() != in_space:
            if start < index:
                yield start, text[start:index], in_space
            start = index + 1 if char == " " else index
            in_space = not in_space
    if start < len(text):
        yield start, text[start:], in_space


def _compiled(rule: Any) -> Any:
    if not rule:
        return _NEVER
    return re.compile(rule["pattern"], rule["flags"])


BLANK: dict[str, Any] = {}


def blank(language: str) -> Any:
    """spaCy's rule-based tokenizer of a language, built once per process and shared
    (the tokenizers here and presidio's NLP engine). Called on a text it gives the `Doc`
    that `spacy.blank(language)` gives, with the same lexical attributes; built from
    the language's defaults directly, because `spacy.blank` first scans every installed
    package's entry points (a third of a second; tests/test_tokenize_stretches.py
    compares the two)."""
    if language in BLANK:
        return BLANK[language]
    from spacy.tokenizer import Tokenizer
    from spacy.util import (
        compile_infix_regex,
        compile_prefix_regex,
        compile_suffix_regex,
        get_lang_class,
    )
    from spacy.vocab import create_vocab

    defaults = get_lang_class(language).Defaults
    tokenizer = BLANK[language] = Tokenizer(
        create_vocab(language, defaults),
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
        suffix_search=compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )
    return tokenizer


@cache
def load(language: str) -> RuleTokenizer | None:
    """The shipped tokenizer of a language; None when absent, unreadable or stale."""
    try:
        raw = resources.files("creepcheck.text.lexicons").joinpath(table_file(language))
        data = json.loads(raw.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp():
        return None
    try:
        return RuleTokenizer(data["rules"])
    except (KeyError, TypeError, re.error):
        return None


def built(language: str) -> dict[str, Any]:
    """The rules of spaCy's blank tokenizer for a language, as shipped."""
    from spacy.attrs import ORTH

    spacy_tokenizer = blank(language)

    def rule(function: Callable[..., Any] | None) -> dict[str, Any] | None:
        if function is None:
            return None
        pattern = function.__self__  # type: ignore[attr-defined]
        return {"pattern": pattern.pattern, "flags": pattern.flags}

    specials = {
        orth: [piece.get(ORTH, piece.get("ORTH")) for piece in pieces]
        for orth, pieces in spacy_tokenizer.rules.items()
    }
    bare = _without_specials(spacy_tokenizer)
    matched = {
        orth: [token.text for token in bare(orth)]
        for orth in specials
        if spacy_tokenizer.find_prefix(orth)
        or spacy_tokenizer.find_infix(orth)
        or spacy_tokenizer.find_suffix(orth)
        or " " in orth
    }
    return {
        "prefix": rule(spacy_tokenizer.prefix_search),
        "suffix": rule(spacy_tokenizer.suffix_search),
        "infix": rule(spacy_tokenizer.infix_finditer),
        "token_match": rule(spacy_tokenizer.token_match),
        "url_match": rule(spacy_tokenizer.url_match),
        "specials": dict(sorted(specials.items())),
        "matched": dict(sorted(matched.items())),
    }


def _without_specials(spacy_tokenizer: Any) -> Any:
    """A spaCy tokenizer with the same affix rules and no special cases: how a special
    case is split when spaCy meets it again over the tokens."""
    from spacy.tokenizer import Tokenizer

    return Tokenizer(
        spacy_tokenizer.vocab,
        rules={},
        prefix_search=spacy_tokenizer.prefix_search,
        suffix_search=spacy_tokenizer.suffix_search,
        infix_finditer=spacy_tokenizer.infix_finditer,
        token_match=spacy_tokenizer.token_match,
        url_match=spacy_tokenizer.url_match,
    )


def write(folder: Path) -> list[Path]:
    paths = []
    for language in LANGUAGES:
        path = folder / table_file(language)
        body = {"stamp": stamp(), "rules": built(language)}
        text = json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True)
        path.write_text(text + "\n", "utf-8")
        paths.append(path)
    return paths
