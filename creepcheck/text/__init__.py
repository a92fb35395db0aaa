"""Text analysis for the copy rules: the only package that imports spaCy (and presidio).

`TextAnalyzer` is built once per run (pipelines and lexicons load lazily, on first use)
and turns a rendered message into an `Analysis`: sentences and tokens with offsets into
`rendered.text`, sensitive terms with how the copy ties each to the reader, lexicon cue
groups, ad-hoc phrase matching on lemmas, and (lazily) PII found by presidio.

Static template text is the same for every profile, so everything is computed per block
of text and cached on that text: only the blocks that hold profile values are read anew.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from creepcheck import tuning
from creepcheck.text import holders, lexicon_snapshot, phrase_table
from creepcheck.text.addressee import describes_thing
from creepcheck.text.attribution import attribute
from creepcheck.text.bounds import bounded
from creepcheck.text.category_model import (
    LEANING,
    CategoryHit,
    read_categories,
    speaks_to_reader,
)
from creepcheck.text.couples import builtin_names, partners_of_sex
from creepcheck.text.document import Entry, RawMatch, Reading, Sentence, Token
from creepcheck.text.grammar import Grammar
from creepcheck.text.lexicon import Lexicon, longest
from creepcheck.text.lexicon import phrase_keys as _phrase_keys
from creepcheck.text.normalize import Folded, fold
from creepcheck.text.phrase_index import PhraseIndex
from creepcheck.text.pipeline import Tokenizers, paragraphs, read_block, split_blocks, tokenize
from creepcheck.text.service_change import changed_for_reader
from creepcheck.text.speech import READER_NEARBY, imperative_clause
from creepcheck.text.untied import untied_categories, untied_terms

if TYPE_CHECKING:
    from creepcheck.policy.model import Policy
    from creepcheck.render import RenderedMessage

__all__ = [
    "Analysis",
    "CategoryHit",
    "Folded",
    "PhraseMatch",
    "Sentence",
    "TermMatch",
    "TextAnalyzer",
    "Token",
    "fold",
]
# the cue groups a sentence passes to the next; "addressed" (ru.yaml) is the reader spoken to
CONTEXT_CUES = ("congratulation", "condolence", "encouragement", "addressed")
# the cue groups a lead-in ending in ":" passes to the list under it, as "lead:<group>"
LEAD_CUES = ("resupply", "for_your_needs")


@dataclass(frozen=True)
class TermMatch:
    """A sensitive term in the copy, and whether (and how) it is said of the reader."""

    category: str
    term: str  # the lexicon entry as written
    kind: str  # term | goods | identity | cued
    start: int  # offsets into rendered.text
    end: int
    text: str  # as rendered
    reader: str | None  # possessive | subject | as | congratulation | condolence | question
    #                     | imperative | presupposed; None when the copy does not tie it to
    #                     the reader
    sentence: Sentence = field(repr=False, compare=False)
    # not tied to the reader, and the copy gives it (or may give it) to someone else: a
    # third party, a hypothetical, quoted words (English); False when tied or left untied
    elsewhere: bool = field(default=False, compare=False)
    # an identity word that describes the noun after it: a kind of thing ("Greek yogurt",
    # "the Caribbean carnival"), not a person's origin
    qualifies: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class PhraseMatch:
    """A phrase (from a cue group or the caller's list) found in the copy."""

    phrase: str
    start: int
    end: int
    text: str
    sentence: Sentence = field(repr=False, compare=False)


class Analysis:
    """The reading of one rendered message."""

    def __init__(
        self,
        text: str,
        language: str,
        sentences: tuple[Sentence, ...],
        analyzer: TextAnalyzer,
        contexts: tuple[frozenset[str], ...],
    ) -> None:
        self.text = text
        self.language = language
        self.sentences = sentences
        self._analyzer = analyzer
        self._contexts = contexts  # cue groups of the sentence before, in the same block
        self._starts = [s.start for s in sentences]
        self._cues: dict[str, tuple[PhraseMatch, ...]] = {}

    def sentence_at(self, offset: int) -> Sentence | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def sentences_in(self, start: int, end: int) -> list[Sentence]:
        return [s for s in self.sentences if s.start < end and s.end > start]

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for s in self.sentences for t in s.tokens)

    @property
    def addresses_reader(self) -> bool:
        return any(s.addresses_reader for s in self.sentences)

    def partners_of_sex(self, sex: str) -> list[tuple[int, int, Sentence]]:
        """Where the copy says "your husband" (male) or "your wife" (female): offsets into
        the text and the sentence. Empty for a language without a names list."""
        names = builtin_names(self.language)
        if names is None:
            return []
        return [
            (s.tokens[first].start, s.tokens[last - 1].end, s)
            for s in self.sentences
            for first, last in partners_of_sex(s.tokens, names, sex)
        ]

    @cached_property
    def pii(self) -> tuple[Any, ...]:
        from creepcheck.text.pii import find_pii

        return tuple(find_pii(self.text, self.language))

    @cached_property
    def personal_data(self) -> tuple[Any, ...]:
        """The PII that is about a person: emails, phones, cards, IBANs, SSNs."""
        from creepcheck.text.pii import PERSONAL_KINDS, find_pii

        return tuple(find_pii(self.text, self.language, PERSONAL_KINDS))

    @cached_property
    def _terms(self) -> tuple[TermMatch, ...]:
        out: list[TermMatch] = []
        for sentence, context in zip(self.sentences, self._contexts, strict=True):
            for raw, reader in self._analyzer._attributed(sentence.reading, self.language, context):
                start, end = sentence.start + raw.start, sentence.start + raw.end
                out.append(
                    TermMatch(
                        raw.entry.category,
                        raw.entry.term,
                        raw.entry.kind,
                        start,
                        end,
                        self.text[start:end],
                        reader,
                        sentence,
                        reader is None
                        and self._analyzer._elsewhere(sentence.reading, raw, self.language),
                        raw.entry.kind == "identity"
                        and describes_thing(sentence.reading.tokens, raw),
                    )
                )
        return tuple(out)

    @cached_property
    def category_hits(self) -> tuple[CategoryHit, ...]:
        """Sentences the trained model reads as revealing a category of the reader
        (creepcheck.text.category_model), at lower bars beside a term tied to nobody."""
        accommodates, termed = self._accommodates, self._untied_categories
        return read_categories(self.sentences, self.text, self.language, None, accommodates, termed)

    @cached_property
    def _untied(self) -> tuple[TermMatch, ...]:
        return untied_terms(self._terms, self._analyzer._grammars[self.language])

    def _untied_categories(self, window: Sequence[Sentence]) -> frozenset[str]:
        return untied_categories(self._untied, window, self._analyzer._grammars[self.language])

    def _accommodates(self, reading: Reading) -> bool:
        return bool(
            self._analyzer._cues(reading, self.language, "accommodated")
        ) or self._analyzer._service_changed(reading, self.language)

    @cached_property
    def category_leanings(self) -> tuple[CategoryHit, ...]:
        """The model's readings at the lower bar of copy chosen for a sensitive label
        (`category_model.LEANING`)."""
        return read_categories(self.sentences, self.text, self.language, LEANING)

    def find_terms(
        self,
        categories: Iterable[str] | None = None,
        *,
        kinds: Iterable[str] | None = None,
        start: int = 0,
        end: int | None = None,
        about_reader: bool = False,
    ) -> list[TermMatch]:
        """Sensitive terms in [start, end), optionally only some categories or kinds, or
        only those the copy says of the reader."""
        wanted = set(categories) if categories else None
        kind_set = set(kinds) if kinds else None
        stop = len(self.text) if end is None else end
        return [
            m
            for m in self._terms
            if (wanted is None or m.category in wanted)
            and (kind_set is None or m.kind in kind_set)
            and m.start < stop
            and m.end > start
            and (not about_reader or m.reader is not None)
        ]

    def cues(self, group: str) -> list[PhraseMatch]:
        """Matches of a lexicon cue group ("birthday", "congratulation", "activity"...)."""
        if group not in self._cues:
            self._cues[group] = tuple(
                self._phrase(raw, sentence)
                for sentence in self.sentences
                for raw in self._analyzer._cues(sentence.reading, self.language, group)
            )
        return list(self._cues[group])

    def find_phrases(self, phrases: Sequence[str]) -> list[PhraseMatch]:
        """Matches of the caller's phrases, on lemmas ("look at" finds "looked at"; a
        word written "=word" must match exactly). Compiled once per phrase list."""
        key = tuple(phrases)
        out = []
        for sentence in self.sentences:
            for raw in self._analyzer._phrases(sentence.reading, self.language, key):
                out.append(self._phrase(raw, sentence))
        return out

    def _phrase(self, raw: RawMatch, sentence: Sentence) -> PhraseMatch:
        start, end = sentence.start + raw.start, sentence.start + raw.end
        return PhraseMatch(raw.entry.term, start, end, self.text[start:end], sentence)

    def speaks_to_reader(self, sentence: Sentence) -> bool:
        """A "you", a question, or the reader's name set off by a comma."""
        return speaks_to_reader(sentence.reading)

    def categories_named(self, words: str) -> list[str]:
        """The categories whose terms a label names ("hindu_household": religion): what a
        segment or a flag says of whoever holds it."""
        return list(self._analyzer.label_categories(words, self.language))

    def categories(self) -> list[str]:
        """Every sensitive category known for this language (built-in and policy)."""
        return list(self._analyzer.lexicon(self.language).categories)

    def treatment(self, text: str) -> str | None:
        """The condition a medicine or procedure named in the copy treats, if it is one."""
        found = self._analyzer.lexicon(self.language).treatments.get(text.lower().strip())
        return found[1] if found else None

    def example(self, category: str) -> str | None:
        """A neutral example sentence for a category, in the message's language."""
        return self._analyzer.lexicon(self.language).examples.get(category)


class TextAnalyzer:
    """Builds `Analysis` objects; one per run, shared by every rule and profile."""

    def __init__(
        self,
        policy: Policy,
        *,
        model: str | None = None,
        phrase_tables: bool = True,
        snapshots: bool = True,
    ) -> None:
        self.policy = policy
        self.model = model
        # A trained model lemmatises on its own: the shipped tables hold blank-spaCy keys.
        self._phrase_tables = phrase_tables and model is None
        self._snapshots = snapshots and self._phrase_tables
        self._tokenizers = Tokenizers(model)
        self._lexicons: dict[str, Lexicon] = {}
        self._grammars: dict[str, Grammar] = {}
        self._read_block = lru_cache(maxsize=8192)(self._read_block_uncached)
        self._read_paragraph = lru_cache(maxsize=8192)(self._read_paragraph_uncached)
        self._analyze_text = lru_cache(maxsize=512)(self._analyze_text_uncached)
        self._phrase_index = lru_cache(maxsize=256)(self._phrase_index_uncached)
        self._piece_keys = lru_cache(maxsize=65536)(self._piece_keys_uncached)
        self.label_categories = lru_cache(maxsize=1024)(self._label_categories_uncached)

    def warm(self, languages: Iterable[str]) -> None:
        """Build now what the first message would build: the lexicons (before worker
        processes fork, so that they share them). The PII engine is left to the first
        text that needs it, in whichever process: most copy never does (presidio's
        patterns are asked first, see `creepcheck.text.pii_patterns`), and where it does,
        workers build it side by side in the time the main process would take alone."""
        for language in languages:
            self.lexicon(language)

    def transient(self) -> AbstractContextManager[None]:
        """A block after which the words spaCy first met inside it are forgotten (a
        chunk of an audience: see `Tokenizers.transient`)."""
        return self._tokenizers.transient()

    def analyze(self, rendered: RenderedMessage, language: str) -> Analysis:
        return self.analyze_text(rendered.text, language)

    def analyze_text(self, text: str, language: str) -> Analysis:
        if tuning.OPTIMISE:  # an Analysis only hands out immutable or fresh results
            return self._analyze_text(text, language)
        return self._analyze_text_uncached(text, language)

    def _analyze_text_uncached(self, text: str, language: str) -> Analysis:
        sentences: list[Sentence] = []
        contexts: list[frozenset[str]] = []
        readable = bounded(text)  # same offsets; see creepcheck.text.bounds
        lead: frozenset[str] = frozenset()
        for para_start, para_end in paragraphs(readable):
            paragraph = readable[para_start:para_end]
            for start, end, reading, context in self._read_paragraph(paragraph, language):
                begin = para_start + start
                sentences.append(Sentence(begin, para_start + end, reading.text, reading))
                contexts.append(context | lead)
                lead = self._lead(reading, language, lead)
        return Analysis(text, language, tuple(sentences), self, tuple(contexts))

    def _lead(self, reading: Reading, language: str, lead: frozenset[str]) -> frozenset[str]:
        """What the next sentence inherits as an item of a list: a lead-in ending in ":"
        passes its `LEAD_CUES` ("Time to reorder:" over "Sertraline 50 mg"), as does a
        short question asking after the reader's supply ("Running low?"); an item without a
        full stop keeps the list going, anything else ends it."""
        text = reading.text.rstrip()
        if text.endswith(":"):
            return frozenset(f"lead:{g}" for g in LEAD_CUES if self._cues(reading, language, g))
        words = sum(t.is_alpha for t in reading.tokens)
        if text.endswith("?") and words <= 3 and self._cues(reading, language, "resupply_ask"):
            return frozenset({"lead:resupply"})  # "Running low? Test strips + lancets, ..."
        return lead if lead and not text.endswith((".", "!", "?")) else frozenset()

    def lexicon(self, language: str) -> Lexicon:
        if language not in self._lexicons:
            self._lexicons[language] = lexicon_snapshot.policy_lexicon(
                language,
                self.policy,
                lambda phrase: self.compile(phrase, language),
                snapshot=self._snapshots and tuning.OPTIMISE,
            )
            self._grammars[language] = Grammar.of(self._lexicons[language])
        return self._lexicons[language]

    def compile(self, phrase: str, language: str) -> tuple[frozenset[str], ...]:
        """The per-word keys of a phrase, for matching against tokens."""
        words: list[frozenset[str]] = []
        for piece in phrase.split():
            words.extend(self._piece_keys(piece, language))
        return tuple(words)

    def _piece_keys_uncached(self, piece: str, language: str) -> tuple[frozenset[str], ...]:
        # A lexicon's phrases share most of their words ("your" alone starts hundreds):
        # each distinct word is tokenized once, or read from the shipped table.
        if self._phrase_tables and tuning.OPTIMISE:
            known = phrase_table.load(language).get(piece)
            if known is not None:
                return known
        exact = piece.startswith("=") and len(piece) > 1
        return tuple(
            _phrase_keys(token, exact, language)
            for token in tokenize(piece[1:] if exact else piece, language, self._tokenizers)
            if token.lower not in {"-", "–", "—", "/"}
        )

    def _label_categories_uncached(self, words: str, language: str) -> tuple[str, ...]:
        label = self._analyze_text_uncached(words.replace("_", " "), language)
        return tuple(dict.fromkeys(m.category for m in label.find_terms()))

    # -- cached internals ---------------------------------------------------------------
    def _read_paragraph_uncached(
        self, paragraph: str, language: str
    ) -> tuple[tuple[int, int, Reading, frozenset[str]], ...]:
        """Sentences of a paragraph with the cue context each sees: its own and the
        previous sentence's in the same block (blocks never cross a paragraph)."""
        out = []
        for block_start, block_end in split_blocks(paragraph):
            block = paragraph[block_start:block_end]
            read = self._read_block(block, language)
            owns = [self._context(reading, language) for _, _, reading in read]
            spoken = [_speaks_to_reader(reading, language) for _, _, reading in read]
            for index, (start, end, reading) in enumerate(read):
                context = owns[index] | (owns[index - 1] if index else frozenset())
                if (index and spoken[index - 1]) or (index + 1 < len(read) and spoken[index + 1]):
                    context |= {READER_NEARBY}
                out.append((block_start + start, block_start + end, reading, context))
        return tuple(out)

    def _read_block_uncached(
        self, block: str, language: str
    ) -> tuple[tuple[int, int, Reading], ...]:
        lexicon = self.lexicon(language)
        return read_block(
            block, language, self._tokenizers, lambda tokens, _lang: lexicon.match(tokens)
        )

    def _context(self, reading: Reading, language: str) -> frozenset[str]:
        cached = reading.cache.get("context")
        if cached is None:
            lexicon = self.lexicon(language)
            cached = frozenset(g for g in CONTEXT_CUES if lexicon.cues(g, reading.tokens))
            reading.cache["context"] = cached
        return cached  # type: ignore[return-value]

    def _attributed(
        self, reading: Reading, language: str, context: frozenset[str]
    ) -> tuple[tuple[RawMatch, str | None], ...]:
        key = ("attributed", context)
        cached = reading.cache.get(key)
        if cached is None:
            lexicon = self.lexicon(language)
            grammar = self._grammars[language]
            cached = tuple(
                (m, attribute(reading.tokens, m, lexicon, grammar, context))
                for m in reading.matches
            )
            reading.cache[key] = cached
        return cached  # type: ignore[return-value]

    def _elsewhere(self, reading: Reading, match: RawMatch, language: str) -> bool:
        """The frames that give a term to someone else, which English reads (see
        creepcheck.text.frames), or someone else named in its sentence ("a balm for your
        sister")."""
        if language == "ru":  # the frames read cue groups only English declares
            return False
        key = ("elsewhere", match.first, match.last)
        cached = reading.cache.get(key)
        if cached is None:
            tokens, grammar = reading.tokens, self._grammars[language]
            cached = reading.cache[key] = holders.held_elsewhere(
                tokens, match, grammar, self.lexicon(language)
            ) or holders.someone_else_named(tokens, match, grammar)
        return cached  # type: ignore[return-value]

    def _service_changed(self, reading: Reading, language: str) -> bool:
        cached = reading.cache.get("service_changed")
        if cached is None:
            cached = reading.cache["service_changed"] = changed_for_reader(
                reading.tokens, self.lexicon(language)
            )
        return cached  # type: ignore[return-value]

    def _cues(self, reading: Reading, language: str, group: str) -> tuple[RawMatch, ...]:
        key = ("cues", group)
        cached = reading.cache.get(key)
        if cached is None:
            cached = reading.cache[key] = tuple(self.lexicon(language).cues(group, reading.tokens))
        return cached  # type: ignore[return-value]

    def _phrases(
        self, reading: Reading, language: str, phrases: tuple[str, ...]
    ) -> tuple[RawMatch, ...]:
        key = ("phrases", phrases)
        cached = reading.cache.get(key)
        if cached is None:
            index = self._phrase_index(phrases, language)
            cached = reading.cache[key] = tuple(longest(index.find(reading.tokens)))
        return cached  # type: ignore[return-value]

    def _phrase_index_uncached(self, phrases: tuple[str, ...], language: str) -> PhraseIndex:
        index = PhraseIndex()
        for phrase in phrases:
            index.add(Entry("", phrase, "cue", self.compile(phrase, language)))
        return index


def _speaks_to_reader(reading: Reading, language: str) -> bool:
    """A "you", or (English) an imperative clause or "let's": "How are you holding up?",
    "Take it easy this weekend.", "Let's talk."."""
    tokens = reading.tokens
    if any("2per" in token.tags for token in tokens):
        return True
    if language == "ru":
        return False
    words = [t.lower for t in tokens if t.is_alpha or t.lower == "'s"]
    return words[:2] == ["let", "'s"] or words[:2] == ["let", "us"] or imperative_clause(tokens)
