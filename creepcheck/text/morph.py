"""Word-level morphology: lemmas, coarse parts of speech and grammatical features.

English uses lemminflect's lookup tables (every lemma a word may have, by part of
speech); Russian uses pymorphy3 (lemma plus grammemes such as `2per`, `impr`, `nomn`).
Both work offline from data shipped in their packages. Results are cached per word:
marketing copy repeats a small vocabulary endlessly.

Without those packages a word's lemma is the word itself (with a few English suffix
rules), which keeps creepcheck working with lower recall.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from creepcheck import tuning
from creepcheck.text import lemma_table

ENGLISH_FEATURES: dict[str, frozenset[str]] = {
    "you": frozenset({"2per", "PRON"}),
    "ya": frozenset({"2per", "PRON"}),
    "u": frozenset({"2per", "PRON"}),
    "yourself": frozenset({"2per", "PRON"}),
    "yourselves": frozenset({"2per", "PRON"}),
    "your": frozenset({"2per", "POSS"}),
    "yours": frozenset({"2per", "POSS"}),
    "ur": frozenset({"2per", "POSS"}),
    "urs": frozenset({"2per", "POSS"}),
    "thy": frozenset({"2per", "POSS"}),
}
# Short forms of text messages, read as the word they stand for ("1 yr sober").
ENGLISH_SHORT: dict[str, str] = {
    "yr": "year", "yrs": "year", "wk": "week", "wks": "week", "mth": "month",
    "mths": "month", "hr": "hour", "hrs": "hour", "bday": "birthday", "bf": "boyfriend",
    "gf": "girlfriend", "hubby": "husband", "wifey": "wife", "congrats": "congratulations",
    "thx": "thanks", "pls": "please", "plz": "please", "bc": "because", "cuz": "because",
    "u": "you", "ur": "your", "urs": "yours", "r": "are", "w/": "with", "w/o": "without",
    "wknd": "weekend", "tmrw": "tomorrow", "ppl": "people", "appt": "appointment",
    "abt": "about",
}  # fmt: skip
# The polite and the familiar «you» stand for the same reader in lexicon phrases.
READER_FORMS = {"POSS": frozenset({"ваш", "твой"}), "PRON": frozenset({"вы", "ты"})}
_POS_ORDER = ("NOUN", "VERB", "ADJ", "ADV", "AUX", "PROPN", "PRON", "ADP", "DET")
_VOWELS = re.compile(r"[aeiouy]")


@dataclass(frozen=True)
class WordInfo:
    lemma: str  # the most likely lemma
    lemmas: frozenset[str]  # every lemma the word may have, and the word itself
    pos: frozenset[str]  # coarse parts of speech it may be (NOUN, VERB, ADJ, ...)
    tags: frozenset[str]  # grammatical features: 2per, impr, nomn, plur, POSS, ...


@lru_cache(maxsize=1)
def _lemminflect() -> Any:
    """lemminflect's lemmatizer (what its `getAllLemmas` and `getAllLemmasOOV` ask).

    The package's `__init__` imports spaCy, to hook a token extension creepcheck does not
    use: half a second of a start whose copy is otherwise read without spaCy. Unless the
    package is already imported, its lemmatizer module is loaded under a bare package
    entry that is taken away again, so a later `import lemminflect` runs the package as
    usual and finds the same module (and singleton)."""
    try:
        if "lemminflect" in sys.modules:
            from lemminflect.core.Lemmatizer import Lemmatizer
        else:
            spec = importlib.util.find_spec("lemminflect")
            if spec is None or not spec.submodule_search_locations:
                return None
            bare = types.ModuleType("lemminflect")
            bare.__path__ = list(spec.submodule_search_locations)
            sys.modules["lemminflect"] = bare
            try:
                Lemmatizer = importlib.import_module("lemminflect.core.Lemmatizer").Lemmatizer
            finally:
                if sys.modules.get("lemminflect") is bare:
                    del sys.modules["lemminflect"]
    except ImportError:  # pragma: no cover - the package is a declared dependency
        return None
    return Lemmatizer()


@lru_cache(maxsize=1)
def _pymorphy() -> Any:
    try:
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang="ru")
    except Exception:  # pragma: no cover - missing package or dictionaries
        return None


def _english_fallback(word: str) -> tuple[str, ...]:
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        stem = word[: -len(suffix)] + repl
        if word.endswith(suffix) and len(stem) > 2 and _VOWELS.search(stem):
            return (stem,)
    return ()


@lru_cache(maxsize=16384)
def english(word: str) -> WordInfo:
    """Lemmas of an English word form (already folded to lower case)."""
    tags = ENGLISH_FEATURES.get(word, frozenset())
    if word in ENGLISH_SHORT:
        full = english(ENGLISH_SHORT[word])
        return WordInfo(full.lemma, full.lemmas | {word}, full.pos, tags | full.tags)
    if not word.isalpha() and "'" not in word:
        return WordInfo(word, frozenset({word}), frozenset(), tags)
    table = lemma_table.load() if tuning.OPTIMISE else None
    lib = _lemminflect() if table is None else None
    by_pos: dict[str, tuple[str, ...]] = {}
    if table is not None:
        by_pos = lemma_table.lemmas_by_pos(table, word)
    elif lib is not None:
        by_pos = dict(lib.getAllLemmas(word)) or {}
    else:
        by_pos = {"X": _english_fallback(word)}
    if not by_pos and word.isalpha():  # out of the vocabulary: lemminflect's rules
        lib = lib or _lemminflect()
        if lib is not None:
            by_pos = {"NOUN": tuple(lib.getAllLemmasOOV(word, "NOUN").get("NOUN", ()))}
    ordered = [lem for pos in _POS_ORDER for lem in by_pos.get(pos, ())]
    ordered += [lem for lems in by_pos.values() for lem in lems]
    lemma = (ordered[0] if ordered else word).lower()
    lemmas = frozenset({word, *(lem.lower() for lem in ordered)})
    return WordInfo(lemma, lemmas, frozenset(by_pos), tags)


_RU_POS = {
    "NOUN": "NOUN",
    "ADJF": "ADJ",
    "ADJS": "ADJ",
    "COMP": "ADJ",
    "VERB": "VERB",
    "INFN": "VERB",
    "PRTF": "VERB",
    "PRTS": "VERB",
    "GRND": "VERB",
    "NUMR": "NUM",
    "ADVB": "ADV",
    "NPRO": "PRON",
    "PRED": "ADV",
    "PREP": "ADP",
    "CONJ": "CCONJ",
    "PRCL": "PART",
    "INTJ": "INTJ",
}


@lru_cache(maxsize=16384)
def russian(word: str) -> WordInfo:
    """Lemma and grammemes of a Russian word form (folded: lower case, ё as е)."""
    analyzer = _pymorphy()
    if analyzer is None or not any("а" <= c <= "я" for c in word):
        return WordInfo(word, frozenset({word}), frozenset(), frozenset())
    parses = analyzer.parse(word)
    best = parses[0]
    top = [p for p in parses if p.score >= best.score * 0.5] or [best]
    lemma = _participle(best) or best.normal_form.replace("ё", "е")
    lemmas = frozenset(
        {word, lemma, *(p.normal_form.replace("ё", "е") for p in top), *_participles(top)}
    )
    pos = frozenset(_RU_POS.get(str(p.tag.POS), str(p.tag.POS)) for p in top)
    tags = frozenset(str(g) for g in best.tag.grammemes)
    # features a likely reading has though the best does not: «незрячим» (with the blind
    # man, or to the blind)
    tags |= {g for g in AMBIGUOUS_FEATURES if any(g in p.tag for p in top)}
    if any("Name" in p.tag for p in parses):
        tags |= {"Name"}  # «Вера», «Роман», «Надежда»: a name when written as one
    lemmas |= frozenset(a for p in top if p.tag.POS in _VERBS for a in aspect_partners(p))
    if lemma in {"ваш", "твой"}:
        tags |= {"2per", "POSS"}
        lemmas |= READER_FORMS["POSS"]  # «твоя утрата» matches «ваша утрата»
    elif lemma in {"вы", "ты"}:
        lemmas |= READER_FORMS["PRON"]  # «тебя сократили» matches «вас сократить»
    return WordInfo(lemma, lemmas, pos, tags)


AMBIGUOUS_FEATURES = ("2per", "datv")
_VERBS = frozenset({"VERB", "INFN", "GRND", "PRTS"})
# Imperfective and perfective infinitives differ by a few suffixes: «оставаться» and
# «остаться», «переживать» and «пережить», «проверять» and «проверить», «получать» and
# «получить». Each candidate is kept only if the dictionary knows it as an infinitive of
# the other aspect, so a lexicon phrase in one aspect matches copy in the other.
_TO_PERFECTIVE = (("вать", "ть"), ("ывать", "ать"), ("ивать", "ить"), ("ивать", "ать"),
                  ("ять", "ить"), ("ать", "ить"))
_TO_IMPERFECTIVE = tuple((b, a) for a, b in _TO_PERFECTIVE)


def aspect_partners(parse: Any) -> frozenset[str]:
    """The infinitives of the other aspect that a verb's infinitive may pair with."""
    infinitive = parse.normal_form.replace("ё", "е")
    reflexive = infinitive.endswith("ся")
    stem = infinitive[:-2] if reflexive else infinitive
    rules = _TO_PERFECTIVE if "impf" in parse.tag else _TO_IMPERFECTIVE
    other = "perf" if "impf" in parse.tag else "impf"
    return frozenset(
        word
        for old, new in rules
        if stem.endswith(old)
        and (word := stem[: -len(old)] + new + ("ся" if reflexive else "")) != infinitive
        and _infinitive_of(word, other)
    )


@lru_cache(maxsize=16384)
def _infinitive_of(word: str, aspect: str) -> bool:
    analyzer = _pymorphy()
    return analyzer is not None and any(
        p.tag.POS == "INFN" and aspect in p.tag and p.is_known for p in analyzer.parse(word)
    )


def _participle(parse: Any) -> str | None:
    """A participle's own lemma («судимый», not «судить»): pymorphy3 lemmatises
    participles to their verb, which would make «судимый» match «судя»."""
    if parse.tag.POS != "PRTF":
        return None
    inflected = parse.inflect({"masc", "sing", "nomn"})
    return inflected.word.replace("ё", "е") if inflected is not None else None


def _participles(parses: list[Any]) -> list[str]:
    return [lemma for lemma in map(_participle, parses) if lemma is not None]


def analyse_word(word: str, language: str) -> WordInfo:
    return russian(word) if language == "ru" else english(word)
