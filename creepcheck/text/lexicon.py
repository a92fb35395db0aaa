"""Lexicons: the sensitive vocabularies and grammar cue words, matched on lemmas.

The built-in lexicons are package data (`lexicons/en.yaml`, `lexicons/ru.yaml`; the
format is described at the top of en.yaml), with the treatments vocabulary of a
language beside them (`lexicons/en.treatments.yaml`: medicines and procedures, each
under the category and condition it reveals). The policy's `categories:` add terms to
a category or define new ones. Phrases are compiled with the same tokenizer and
lemmatizer as the copy, so a phrase and its inflections meet on the same keys; a
phrase word written `#` stands for any number ("lost # kg").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import product
from typing import Any

import yaml

from creepcheck.text.couples import CATEGORY as COUPLE_CATEGORY
from creepcheck.text.couples import (
    Names,
    builtin_names,
    like_you_at,
    names_people,
    same_sex_attraction,
    same_sex_partners,
    sought,
)
from creepcheck.text.document import Entry, RawMatch, Token
from creepcheck.text.morph import analyse_word
from creepcheck.text.phrase_index import NUMBER_KEY, PhraseIndex, token_keys
from creepcheck.text.word_classes import expand_items

KINDS = ("term", "goods", "identity", "cued", "said")
# The lists of a category entry and the kind of entry each holds. Concepts, life events,
# paraphrases and implications are all terms: they count when tied to the reader.
SECTIONS = {
    "terms": "term",
    "life_events": "term",
    "paraphrases": "term",
    "implications": "term",
    "presumed": "term",
    "goods": "goods",
    "identity": "identity",
    "cued": "cued",
    "said": "said",
}
CLAUSE_END = frozenset({".", "!", "?", ";", ":", "(", ")", "\u2014", "\u2013"})
WITHIN = 6  # how many tokens a combination may span by default
MAX_FACET_MATCHES = 6  # per class and sentence, so that the pairing stays small
# A class no list spells out: a capitalised given name of names.<language>.yaml ("since
# Jim passed", "you and Steve have gone your separate ways").
GIVEN_NAME = "given_name"
_GIVEN_NAME_ENTRY = Entry(GIVEN_NAME, GIVEN_NAME, "class", ())
NUMBER = "#"  # a phrase word that matches any number


@dataclass(frozen=True)
class Combination:
    """Word classes that, together in one clause, say what no single word says: a
    relative and a death ("since your husband passed"), money and strain ("rent's late
    again?"), a body measure and a decrease ("9 kg down"). See `combinations:` in en.yaml."""

    entry: Entry
    facets: tuple[str, ...]  # class names, each matched somewhere in the span
    within: int
    ordered: bool
    unless_phrases: PhraseIndex  # the `unless` entries of more than one word
    facet_set: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "facet_set", frozenset(self.facets))


def longest(matches: Iterable[RawMatch]) -> list[RawMatch]:
    """Non-overlapping matches, longest first; equal spans keep every category."""
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), m.start))
    kind_rank = {"ignore": 0, "term": 1, "said": 2, "identity": 3, "cued": 4, "goods": 5, "cue": 6}
    ordered.sort(
        key=lambda m: (
            -(m.end - m.start),
            m.start,
            kind_rank.get(m.entry.kind, 9),
            not m.entry.presumed,  # the same phrase listed twice: the wider reading
        )
    )
    taken: list[tuple[int, int]] = []
    seen: set[tuple[int, int, str]] = set()
    kept: list[RawMatch] = []
    for match in ordered:
        span = (match.first, match.last)
        if (*span, match.entry.category) in seen:
            continue
        seen.add((*span, match.entry.category))
        if span in taken:
            kept.append(match)
            continue
        if any(match.first < b and a < match.last for a, b in taken):
            continue
        taken.append(span)
        kept.append(match)
    ignored = {(m.first, m.last) for m in kept if m.entry.kind == "ignore"}
    return sorted((m for m in kept if (m.first, m.last) not in ignored), key=lambda m: m.start)


class Lexicon:
    """The compiled lexicon of one language, with the policy's extra terms."""

    def __init__(
        self,
        language: str,
        data: Mapping[str, Any],
        extra: Mapping[str, Sequence[str]],
        compile_phrase: Any,
        treatments: Mapping[str, Any] | None = None,
        ignored: Sequence[str] = (),
    ) -> None:
        self._start(language, compile_phrase)
        self._add_builtin(data, builtin_treatments(language) if treatments is None else treatments)
        self._finish()
        self.add_policy_terms(extra, ignored)

    @classmethod
    def restored(
        cls,
        language: str,
        parts: Mapping[str, Any],
        extra: Mapping[str, Sequence[str]],
        compile_phrase: Any,
        ignored: Sequence[str] = (),
    ) -> Lexicon:
        """The lexicon that `Lexicon(language, builtin_data(language), extra, ...)` builds,
        from the built-in part already compiled (`lexicon_snapshot`)."""
        lexicon = cls.__new__(cls)
        lexicon._start(language, compile_phrase)
        for name, value in parts.items():
            setattr(lexicon, name, value)
        lexicon._finish()
        lexicon.add_policy_terms(extra, ignored)
        return lexicon

    def _start(self, language: str, compile_phrase: Any) -> None:
        self.language = language
        self._compile = compile_phrase
        self.sensitive = PhraseIndex()
        self.cue_index: dict[str, PhraseIndex] = {}
        self._words: dict[str, frozenset[str]] = {}  # by cue group, asked per sentence
        self.examples: dict[str, str] = {}
        self.categories: list[str] = []
        self.treatments: dict[str, tuple[str, str]] = {}  # name -> (category, concept)
        self.names = builtin_names(language)
        self.classes: Mapping[str, Sequence[str]] = {}
        self.combinations: list[Combination] = []
        self.class_index = PhraseIndex()

    def _add_builtin(self, data: Mapping[str, Any], treatments: Mapping[str, Any]) -> None:
        # Word classes: "<class>" in a phrase stands for any of its words (word_classes.py),
        # and `combinations:` find classes together in a clause (`_combined`).
        self.classes = data.get("classes") or {}
        for category, spec in (data.get("categories") or {}).items():
            self._add_category(category, spec or {})
        for category, combinations in (data.get("combinations") or {}).items():
            for combination in combinations or ():
                self._add_combination(str(category), combination)
        # Only the classes a combination names are looked for in each sentence.
        for name in sorted({f for c in self.combinations for f in c.facets}):
            for phrase in self.classes.get(name) or ():
                self._add(self.class_index, name, phrase, "class")
        for category, by_concept in (treatments.get("treatments") or {}).items():
            self._add_treatments(category, by_concept or {})
        for phrase in data.get("ignore") or ():
            self._add(self.sensitive, "", phrase, "ignore")
        for group, phrases in (data.get("cues") or {}).items():
            index = self.cue_index.setdefault(group, PhraseIndex())
            for phrase in phrases or ():
                self._add(index, group, phrase, "cue")

    def _finish(self) -> None:
        wanted = any(GIVEN_NAME in c.facets for c in self.combinations)
        self.given_names = self.names.given if wanted and self.names is not None else frozenset()
        self.fillers = self.words("filler")  # words a phrase may run over (cue group)

    def add_policy_terms(self, extra: Mapping[str, Sequence[str]], ignored: Sequence[str]) -> None:
        """The policy's own terms, as written, and the phrases it says are not sensitive.
        (Added after the built-in ignore entries: an ignore entry never ties with a term
        in `longest`, so where they stand in the index changes no match.)"""
        for category, terms in extra.items():
            self._add_category(category, {"terms": list(terms)}, classes={})
        for phrase in ignored:
            self._add(self.sensitive, "", phrase, "ignore")

    def _add_category(
        self, category: str, spec: Mapping[str, Any], classes: Mapping[str, Any] | None = None
    ) -> None:
        if category not in self.categories:
            self.categories.append(category)
        if spec.get("example"):
            self.examples[category] = str(spec["example"])
        chosen = self.classes if classes is None else classes
        for key, kind in SECTIONS.items():
            for item in expand_items(spec.get(key) or (), chosen):
                self._add(self.sensitive, category, item, kind, presumed=key == "presumed")

    def _add_combination(self, category: str, spec: Mapping[str, Any]) -> None:
        facets = tuple(str(name) for name in spec.get("all") or ())
        unless_all = [str(u).lower() for u in spec.get("unless") or ()]
        unless = frozenset(u for u in unless_all if len(self._compile(u)) == 1)
        phrases = PhraseIndex()
        for phrase in unless_all:
            if phrase not in unless:
                self._add(phrases, category, phrase, "ignore")
        label = str(spec.get("name") or " + ".join(facets))
        entry = Entry(category, label, "term", (), unless, presumed=bool(spec.get("presumed")))
        within = int(spec.get("within") or WITHIN)
        ordered = bool(spec.get("ordered"))
        self.combinations.append(Combination(entry, facets, within, ordered, phrases))

    def _add_treatments(self, category: str, by_concept: Mapping[str, Any]) -> None:
        """Medicines and procedures: terms of the category, each with what it treats."""
        if category not in self.categories:
            self.categories.append(category)
        for concept, names in by_concept.items():
            for name in names or ():
                self._add(self.sensitive, category, name, "term", str(concept))
                self.treatments[str(name).lower()] = (category, str(concept))

    def _add(
        self,
        index: PhraseIndex,
        category: str,
        item: Any,
        kind: str,
        concept: str = "",
        *,
        presumed: bool = False,
    ) -> None:
        unless: frozenset[str] = frozenset()
        if isinstance(item, Mapping):
            unless = frozenset(str(u).lower() for u in item.get("unless") or ())
            item = item.get("term", "")
        phrase = str(item).strip()
        if phrase:
            entry = Entry(category, phrase, kind, self._compile(phrase), unless, concept, presumed)
            index.add(entry)

    def match(self, tokens: Sequence[Token]) -> tuple[RawMatch, ...]:
        """Sensitive-category matches in a sentence, longest first, `unless` applied."""
        lemmas: set[str] = set()
        for token in tokens:
            lemmas |= token_keys(token)
        found = [
            m
            for m in longest(self.sensitive.find(tokens, self.fillers))
            if not (m.entry.unless & lemmas)
        ]
        if self.combinations:
            found += self._combined(tokens, lemmas, found)
        if self.names is not None:
            found += self._couples(tokens, self.names, found)
        return tuple(found)

    def _combined(
        self, tokens: Sequence[Token], lemmas: set[str], found: Sequence[RawMatch]
    ) -> list[RawMatch]:
        """The combinations whose classes all occur in one clause of the sentence, each
        as one match over the tightest span, unless a term of the same category is
        already there (a weaker reading of one of its words, "died" as a `cued` word, does
        not stop it; a presumed combination takes such a term into its span)."""
        by_class: dict[str, list[RawMatch]] = {}
        for match in self.class_index.find(tokens, self.fillers):
            by_class.setdefault(match.entry.category, []).append(match)
        if self.given_names:
            for index, token in enumerate(tokens):
                if token.is_alpha and token.text[:1].isupper() and token.lower in self.given_names:
                    match = RawMatch(_GIVEN_NAME_ENTRY, index, index + 1, token.start, token.end)
                    by_class.setdefault(GIVEN_NAME, []).append(match)
        if not by_class:
            return []
        ends = [i for i, t in enumerate(tokens) if t.lower in CLAUSE_END]
        present = by_class.keys()
        out: list[RawMatch] = []
        for combination in self.combinations:
            entry = combination.entry
            if not present >= combination.facet_set or entry.unless & lemmas:
                continue
            groups = [by_class[name][:MAX_FACET_MATCHES] for name in combination.facets]
            if combination.unless_phrases.entries and combination.unless_phrases.find(tokens):
                continue
            best: tuple[int, int] | None = None
            parts: tuple[tuple[int, int], ...] = ()
            for choice in product(*groups):
                span = _joint_span(choice, combination, ends)
                if span is not None and (best is None or span[1] - span[0] < best[1] - best[0]):
                    best = span
                    parts = tuple(sorted((m.first, m.last) for m in choice))
            if best is None:
                continue
            first, last = best
            overlapping = [
                m
                for m in (*found, *out)
                if m.entry.category == entry.category
                and m.entry.kind == "term"
                and m.first < last
                and first < m.last
            ]
            if overlapping and not entry.presumed:
                continue
            # a presumed reading is stronger than a term it overlaps, and takes it in
            # ("Send money home" in "Send money home to Manila")
            first = min([first, *(m.first for m in overlapping)])
            last = max([last, *(m.last for m in overlapping)])
            start, end = tokens[first].start, tokens[last - 1].end
            out.append(RawMatch(entry, first, last, start, end, parts))
        return out

    def _couples(
        self, tokens: Sequence[Token], names: Names, found: Sequence[RawMatch]
    ) -> list[RawMatch]:
        """A partner of the reader's own sex, as a presumed term; people of one sex who
        want their own sex, as an identity; and such people, or those an identity word
        names, put before the reader to meet, as a presumed term (creepcheck.text.couples)."""
        out = []
        for first, last in same_sex_partners(tokens, names):
            if any(m.first < last and first < m.last for m in found):
                continue
            entry = Entry(COUPLE_CATEGORY, "same-sex partner", "term", (), presumed=True)
            out.append(RawMatch(entry, first, last, tokens[first].start, tokens[last - 1].end))
        people = [
            (m.first, m.last)
            for m in found
            if m.entry.category == COUPLE_CATEGORY and m.entry.kind in ("identity", "term")
        ]
        for first, last in same_sex_attraction(tokens, names):
            if not any(a < last and first < b for a, b in people):
                people.append((first, last))
                entry = Entry(COUPLE_CATEGORY, "same-sex attraction", "identity", ())
                out.append(RawMatch(entry, first, last, tokens[first].start, tokens[last - 1].end))
        for first, last in people:
            if not names_people(tokens, last, names):
                continue  # "gay-friendly travel agents", "LGBTQ+ venues", "gay bars"
            # from the reader's own words: the seeking verb, or "like you" among them
            start = sought(tokens, first, names)
            if start is None:
                start = like_you_at(tokens, first, last)
            if start is not None and not any(
                m.first < last and start < m.last for m in out if m.entry.presumed
            ):
                entry = Entry(COUPLE_CATEGORY, "people sought", "term", (), presumed=True)
                out.append(RawMatch(entry, start, last, tokens[start].start, tokens[last - 1].end))
        return out

    def cues(self, group: str, tokens: Sequence[Token]) -> list[RawMatch]:
        """A cue group's matches in a sentence, `unless` applied ("sympathy" is not a
        condolence beside "wreaths")."""
        index = self.cue_index.get(group)
        if index is None:
            return []
        found = longest(index.find(tokens))
        if any(m.entry.unless for m in found):
            keys: set[str] = set()
            for token in tokens:
                keys |= token_keys(token)
            found = [m for m in found if not (m.entry.unless & keys)]
        return found

    def phrases(self, group: str) -> frozenset[str]:
        """The cues of a group as written (category names, labels)."""
        index = self.cue_index.get(group)
        return frozenset(entry.term for entry in index.entries) if index else frozenset()

    def words(self, group: str) -> frozenset[str]:
        """The single-word cues of a group, as keys (lemmas and forms)."""
        known = self._words.get(group)
        if known is None:
            index = self.cue_index.get(group)
            entries = index.entries if index is not None else ()
            known = frozenset(key for e in entries if len(e.words) == 1 for key in e.words[0])
            self._words[group] = known
        return known


def _joint_span(
    choice: Sequence[RawMatch], combination: Combination, clause_ends: Sequence[int]
) -> tuple[int, int] | None:
    """The token span the chosen facet matches cover together, or None when they overlap,
    break the combination's order, lie too far apart or sit in different clauses."""
    ordered = sorted(choice, key=lambda m: m.first)
    if combination.ordered and list(choice) != ordered:
        return None
    if any(a.last > b.first for a, b in zip(ordered, ordered[1:], strict=False)):
        return None
    first = ordered[0].first
    last = max(m.last for m in ordered)
    if last - first > combination.within or any(first < end < last for end in clause_ends):
        return None
    return first, last


@lru_cache(maxsize=4)
def builtin_data(language: str) -> Mapping[str, Any]:
    """The shipped lexicon of a language (English for languages without one): `en.yaml`,
    with the concept files beside it (`en.concepts.*.yaml`, same format) merged in, each
    list appended to the list of the same name."""
    language = language if language in {"en", "ru"} else "en"
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    data = _load(folder.joinpath(f"{language}.yaml").read_text(encoding="utf-8"))
    prefix = f"{language}.concepts."
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.startswith(prefix) and item.name.endswith(".yaml"):
            _merge(data, _load(item.read_text(encoding="utf-8")))
    return data


def _load(text: str) -> dict[str, Any]:
    # Shipped data, not user input: libyaml's safe loader where built (ten times faster).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}  # noqa: S506 (a safe loader)


def _merge(into: dict[str, Any], more: Mapping[str, Any]) -> None:
    """Lists are appended, mappings merged key by key, anything else replaced."""
    for key, value in more.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + value
        else:
            into[key] = value


@lru_cache(maxsize=4)
def builtin_treatments(language: str) -> Mapping[str, Any]:
    """The shipped treatments vocabulary of a language ({} when it has none)."""
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    path = folder.joinpath(f"{language}.treatments.yaml")
    if not path.is_file():
        return {}
    return _load(path.read_text(encoding="utf-8"))


def phrase_keys(word: Token, exact: bool, language: str) -> frozenset[str]:
    """The keys a lexicon word accepts: its form, and unless exact, its main lemmas."""
    if word.lower == NUMBER:
        return frozenset({NUMBER_KEY})
    if exact:
        return frozenset({"=" + word.lower})
    if language == "ru":  # the best parse only: a phrase word should not match homonyms
        return frozenset({word.lower, analyse_word(word.lower, language).lemma})
    return word.lemmas | {word.lower}
