"""Splitting rendered text into blocks and sentences, and tokenizing them by spaCy's rules.

Only spaCy's rule-based tokenizer runs, from the rules shipped with the package
(`creepcheck.text.rule_tokenizer`; spaCy itself when they are stale, and on the plain
path); lemmas and grammatical features come from `creepcheck.text.morph`. When a trained
pipeline is named and installed it is used instead, for its language.

Blocks: a blank line always ends one (HTML block elements become blank lines in the
visible text). A single newline is usually a line wrap in plain-text templates, so it
ends a block only when the next line starts like a new sentence or heading and the
previous line does not run on (a comma, "and", "your" ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from creepcheck import tuning
from creepcheck.text import rule_tokenizer
from creepcheck.text.document import Reading, Token
from creepcheck.text.morph import analyse_word
from creepcheck.text.normalize import fold

BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
RUN_ON_END = re.compile(
    r"(?:[,;:(\-\u2013\u2014&/]|\b(?:and|or|of|the|a|an|to|with|for|in|on|at|by|from|as|your|"
    r"our|my|their|its|that|than|is|are|и|или|в|во|на|с|со|для|по|к|о|об|от|из|за|ваш\w*|"
    r"наш\w*|ваши|а|но|что|как))\s*$",
    re.IGNORECASE,
)
NEW_LINE_START = re.compile(r"^\s*[^\sa-zа-яё]", re.MULTILINE)  # matched at a line's start
TERMINALS = frozenset({".", "!", "?", "...", "?!", "!?", "!!", "??", ".."})
CLOSING = frozenset({".", "!", "?", ")", "]", '"', "'", "»", "”", "’"}) | TERMINALS


@dataclass(frozen=True)
class StretchJoins:
    """Where spaCy may join two whitespace-free stretches, so that a text must be
    tokenized whole: the start of a special case that holds a space ("в т.ч."), up to
    the first character after the space; or, for a special case that affixes split, its
    pieces with one space between them (in "x:) )" the pieces of ":))" span the space,
    and spaCy then leaves ":)" split: `rule_tokenizer.matched_pieces`)."""

    spaced: re.Pattern[str] | None
    before: dict[str, tuple[str, ...]]  # first character after the space -> what ends before

    def search(self, text: str) -> bool:
        if self.spaced is not None and self.spaced.search(text):
            return True
        if not self.before:
            return False
        low = text.lower()
        for match in _SPACE_THEN.finditer(low):
            ends = self.before.get(match.group(1))
            if ends and any(low.endswith(end, 0, match.start()) for end in ends):
                return True
        return False


_SPACE_THEN = re.compile(r"\s(\S)")


class Tokenizers:
    """spaCy tokenizers by language, built lazily once (a trained one when named)."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self._nlp: dict[str, Any] = {}
        self._stretches: dict[str, dict[str, Any]] = {}
        self._joined: dict[str, StretchJoins] = {}

    def __call__(self, language: str) -> Any:
        if language not in self._nlp:
            self._nlp[language] = self._build(language)
        return self._nlp[language]

    def stretches(self, language: str) -> dict[str, Any]:
        """The words of each whitespace-free stretch already tokenized, by language."""
        return self._stretches.setdefault(language, {})

    def joined(self, language: str) -> StretchJoins:
        """Where spaCy may join two stretches (see `StretchJoins`)."""
        if language not in self._joined:
            tokenizer = self(language)
            spaced = {
                re.escape(pieces[0]) + r"\s+" + re.escape(pieces[1][0])
                for rule in tokenizer.rules or {}
                if len(pieces := rule.split()) > 1
            }
            before: dict[str, set[str]] = {}
            for pieces in rule_tokenizer.matched_pieces(tokenizer):
                for cut in range(1, len(pieces)):
                    if pieces[cut]:
                        start = pieces[cut][0].lower()
                        before.setdefault(start, set()).add("".join(pieces[:cut]).lower())
            self._joined[language] = StretchJoins(
                re.compile("|".join(sorted(spaced)), re.IGNORECASE) if spaced else None,
                {char: tuple(sorted(ends)) for char, ends in before.items()},
            )
        return self._joined[language]

    @contextmanager
    def transient(self) -> Iterator[None]:
        """spaCy adds every new word it meets to its vocabulary and never lets it go: on
        an audience of unique names, links and amounts that is half a kilobyte a profile
        for the whole run. Words first met inside the block leave the vocabularies built
        so far (these tokenizers' and presidio's, which share `blank`) at its end. Only
        strings leave spaCy here, so nothing made inside is read after it."""
        vocabularies = {
            id(t.vocab): t.vocab
            for t in (*self._nlp.values(), *rule_tokenizer.BLANK.values())
            if hasattr(t, "vocab")  # the shipped rules keep no vocabulary
        }
        with ExitStack() as stack:
            for vocabulary in vocabularies.values():
                stack.enter_context(vocabulary.memory_zone())
            yield

    def _build(self, language: str) -> Any:
        rule_language = language if language in {"en", "ru"} else "xx"
        if not self.model and tuning.OPTIMISE:
            shipped = rule_tokenizer.load(rule_language)
            if shipped is not None:
                return shipped
        import spacy

        if self.model and spacy.util.is_package(self.model):  # never a folder of that name
            try:
                nlp = spacy.load(self.model)
            except (OSError, ImportError, ValueError):
                nlp = None
            if nlp is not None and nlp.lang == language:
                return nlp.tokenizer
        return rule_tokenizer.blank(rule_language)


def split_blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each block of `text`: paragraphs, headings, list items."""
    for para in paragraphs(text):
        start, end = para
        line_start = start
        while True:
            newline = text.find("\n", line_start, end)
            if newline == -1:
                break
            if NEW_LINE_START.match(text, newline + 1, end) and (
                not _runs_on(text, start, newline) or _salutation(text[line_start:newline])
            ):
                yield start, newline
                start = newline + 1
            line_start = newline + 1
        if start < end:
            yield start, end


def _runs_on(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` ends like a sentence that goes on. A match of RUN_ON_END
    starts at the last word or the last mark, so only from there is it looked for: a
    block of many run-on lines is not read again at every line break."""
    last = end
    while last > start and text[last - 1].isspace():
        last -= 1
    word = last
    while word > start and (text[word - 1].isalnum() or text[word - 1] == "_"):  # \w
        word -= 1
    return bool(RUN_ON_END.search(text, max(start, min(word, last - 1)), end))


def _salutation(line: str) -> bool:
    """ "Hi Jane," on a line of its own: a greeting, not a wrapped sentence."""
    stripped = line.strip()
    return stripped.endswith(",") and len(stripped.split()) <= 4


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the stretches between blank lines; blocks never cross one."""
    position = 0
    for match in BLANK_LINE.finditer(text):
        if match.start() > position:
            yield position, match.start()
        position = match.end()
    if position < len(text):
        yield position, len(text)


def tokenize(text: str, language: str, tokenizers: Tokenizers) -> list[Token]:
    """Tokens of `text` (offsets into `text`), analysed on its folded form."""
    folded = fold(text, language)
    tokens = []
    for start, end, word in _words(folded.text, language, tokenizers):
        start, end = folded.span(start, end)
        tokens.append(
            Token(
                text=text[start:end],
                lower=word.lower,
                lemma=word.lemma,
                start=start,
                end=end,
                is_alpha=word.is_alpha,
                is_punct=word.is_punct,
                lemmas=word.lemmas,
                pos=word.pos,
                tags=word.tags,
            )
        )
    return tokens


@dataclass(frozen=True)
class _Word:
    """What a token is, wherever it stands: everything of a `Token` but its offsets."""

    lower: str
    lemma: str
    is_alpha: bool
    is_punct: bool
    lemmas: frozenset[str]
    pos: frozenset[str]
    tags: frozenset[str]


def _words(folded: str, language: str, tokenizers: Tokenizers) -> list[tuple[int, int, _Word]]:
    """(start, end, word) of the tokens of folded text, spaces left out.

    spaCy splits at whitespace before anything else and tokenizes each stretch between on
    its own, so a stretch is tokenized once however many texts hold it: a name, a price
    or a token in a link costs once, not once per sentence it appears in. Only special
    cases join stretches, those that hold a space ("в т.ч.") and those whose pieces spaCy
    finds again across one (`StretchJoins`): where one may, the text is tokenized whole
    (tests/test_tokenize_stretches.py)."""
    if not tuning.OPTIMISE or tokenizers.joined(language).search(folded):
        return list(_spacy_words(folded, language, tokenizers))
    return [
        (stretch.start() + start, stretch.start() + end, word)
        for stretch in _STRETCH.finditer(folded)
        for start, end, word in _stretch_words(stretch.group(), language, tokenizers)
    ]


_STRETCH = re.compile(r"\S+")


def _stretch_words(
    stretch: str, language: str, tokenizers: Tokenizers
) -> tuple[tuple[int, int, _Word], ...]:
    cache = tokenizers.stretches(language)
    words = cache.get(stretch)
    if words is None:
        if len(cache) >= MAX_STRETCHES:
            cache.clear()
        words = cache[stretch] = tuple(_spacy_words(stretch, language, tokenizers))
    return words


MAX_STRETCHES = 16_384  # a stretch of a new text is tokenized again after a clear


def _spacy_words(
    folded: str, language: str, tokenizers: Tokenizers
) -> Iterator[tuple[int, int, _Word]]:
    for spacy_token in tokenizers(language)(folded):
        if spacy_token.is_space:
            continue
        lower = spacy_token.text
        info = analyse_word(lower, language)
        lemma = info.lemma
        if spacy_token.lemma_ and spacy_token.lemma_.lower() != lower:  # a trained pipeline
            lemma = spacy_token.lemma_.lower()
        word = _Word(
            lower,
            lemma,
            spacy_token.is_alpha,
            spacy_token.is_punct,
            info.lemmas | {lemma},
            info.pos,
            info.tags,
        )
        yield spacy_token.idx, spacy_token.idx + len(lower), word


# Titles written with a full stop ("Mr. Okafor", "Dr. Shah"), which never end a sentence.
TITLES = frozenset({"mr", "mrs", "ms", "mx", "dr", "prof", "rev"})


def sentence_bounds(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Token index ranges of the sentences in one block."""
    first = index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.lower not in TERMINALS and not (token.is_punct and set(token.lower) <= {"!", "?"}):
            continue
        # "?!", a closing quote or bracket belongs to the sentence it closes
        while index < len(tokens) and tokens[index].lower in CLOSING:
            index += 1
        following = tokens[index] if index < len(tokens) else None
        if token.lower in {".", "..."} and following is not None and following.text[:1].islower():
            continue  # an abbreviation the tokenizer did not know, or a lower-case run-on
        if token.lower == "." and index >= 2 and tokens[index - 2].lower in TITLES:
            continue  # "Mr. Okafor": a title's full stop
        yield first, index
        first = index
    if first < len(tokens):
        yield first, len(tokens)


Matcher = Callable[[tuple[Token, ...], str], tuple[Any, ...]]


def read_block(
    block: str, language: str, tokenizers: Tokenizers, matcher: Matcher | None
) -> tuple[tuple[int, int, Reading], ...]:
    """Sentences of a block: (start, end) in the block and the sentence's reading."""
    tokens = tokenize(block, language, tokenizers)
    out = []
    for first, last in sentence_bounds(tokens):
        start, end = tokens[first].start, tokens[last - 1].end
        relative = tuple(t.shifted(-start) if start else t for t in tokens[first:last])
        text = block[start:end]
        matches = matcher(relative, language) if matcher is not None else ()
        out.append((start, end, Reading(text, relative, matches)))
    return tuple(out)
