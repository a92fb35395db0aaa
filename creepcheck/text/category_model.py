"""A trained reading of the copy: which sensitive category a sentence speaks of, from all
of its words at once.

The knowledge base and the frames read a sentence by its terms; copy that implies a state
without one ("Two lines on the stick? ..."), or paraphrases it in words no entry holds, is
missed there. This model is one more signal beside them: a linear model (multinomial
logistic regression) over a sentence's lemmas and lemma pairs, trained on the development
split of the copy corpus (`tests/corpus/*.dev.yaml`) by `scripts/train_category_model.py`
and shipped as `lexicons/<language>.categories.json`. Nothing is fetched or trained at run
time, and its readings are explainable: a hit names its category, its probability and the
words that raised it most.

A sentence is read with the sentence before it in the same paragraph (a corpus item is one
or two sentences: "Two pink lines? Time to tell the family."), and only where it speaks
to the reader (a "you", a question, the reader's name): the category must be the reader's.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources

from creepcheck.text.couples import builtin_names
from creepcheck.text.document import Reading, Sentence, Token
from creepcheck.text.pipeline import BLANK_LINE
from creepcheck.text.speech import leading_vocative, vocative

MODEL_FILE = "{language}.categories.json"
NONE = "none"  # the class of copy that reveals nothing
YOU = "<you>"  # the feature of a sentence that says "you"
NUMBER = "<num>"  # a word with digits, as one feature


def words(tokens: Iterable[Token], language: str) -> list[str]:
    """The sentence as the model sees it: lemmas of words, numbers as one mark, people's
    first names left out (a name says nothing of anyone's state)."""
    return [t.lemma.lower() if t.is_alpha else NUMBER for t in _worded(tokens, language)]


@cache
def _first_names(language: str) -> frozenset[str]:
    names = builtin_names(language)
    return frozenset(names.sex_of_name) if names is not None else frozenset()


def features(tokens: Sequence[Token], language: str) -> frozenset[str]:
    """Lemmas, pairs of neighbouring lemmas, and whether the sentence says "you"."""
    seen = words(tokens, language)
    found = set(seen)
    found.update(f"{a} {b}" for a, b in zip(seen, seen[1:], strict=False))
    if any("2per" in token.tags for token in tokens):
        found.add(YOU)
    return frozenset(found)


@dataclass(frozen=True)
class Verdict:
    """The most likely category of a sentence and its probability."""

    category: str
    probability: float
    carriers: tuple[str, ...]  # the features that raised it most over `none`, strongest first


@dataclass(frozen=True)
class CategoryModel:
    language: str
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    threshold: float  # the probability a hit needs (chosen on cross-validated development data)
    common: frozenset[str]  # words in many items ("the", "your", "<you>"): not read alone
    silent: frozenset[str]  # categories read but never reported (see category_training)
    stamp: str  # what it was trained from (see category_training.stamp)

    def verdict(self, found: Iterable[str], category: str | None = None) -> Verdict:
        """The most likely category and its probability; or, given a category, that
        category's probability (and the features that raised it)."""
        known = [f for f in found if f in self.weights and self.telling(f)]
        scores = list(self.bias)
        for feature in known:
            for index, weight in enumerate(self.weights[feature]):
                scores[index] += weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        if category is None:
            best = max(range(len(scores)), key=scores.__getitem__)
        else:
            best = self.classes.index(category)
        category = self.classes[best]
        none = self.classes.index(NONE)
        lift = sorted(
            ((self.weights[f][best] - self.weights[f][none], f) for f in known),
            key=lambda pair: (-pair[0], pair[1]),
        )
        carriers = tuple(f for gain, f in lift if gain > 0)[:3]
        return Verdict(category, exps[best] / sum(exps), carriers)

    def telling(self, feature: str) -> bool:
        """Whether a feature is read at all: not one made only of common words ("for
        you"), which say who is spoken to (the reader gate's business), not of what."""
        return any(w not in self.common for w in feature.split(" "))

    def hit(self, found: Iterable[str], threshold: float | None = None) -> Verdict | None:
        """The verdict when it names a sensitive category with enough confidence (the
        model's own threshold unless told another)."""
        verdict = self.verdict(found)
        if verdict.category in self.silent or verdict.category == NONE:
            return None
        if verdict.probability < (self.threshold if threshold is None else threshold):
            return None
        return verdict if verdict.carriers else None


@cache
def load(language: str) -> CategoryModel | None:
    """The shipped model of a language, or None when there is none."""
    try:
        raw = resources.files("creepcheck.text.lexicons").joinpath(
            MODEL_FILE.format(language=language)
        )
        data = json.loads(raw.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return CategoryModel(
        language,
        tuple(data["classes"]),
        tuple(data["bias"]),
        {feature: tuple(row) for feature, row in data["weights"].items()},
        float(data["threshold"]),
        frozenset(data["common"]),
        frozenset(data["silent"]),
        str(data["stamp"]),
    )


@dataclass(frozen=True)
class CategoryHit:
    """A sentence the model reads as revealing a category of the reader."""

    category: str
    probability: float
    sentence: Sentence
    words: tuple[tuple[int, int], ...]  # offsets of the words that carried it, strongest first
    window: tuple[Sentence, ...]  # the sentences read together: the one before, and this


# The bar for copy a template renders only for holders of a sensitive label: the label
# says the category already, so the copy need only read as it more likely than not (or
# as the model's own bar, where that is lower still).
LEANING = 0.5
# The bar where the sender says it changed the reader's own service to suit them ("We've
# paused your wine club", "..., as you asked"): a change made for the reader has a reason
# of the reader's, and copy that reads as a sensitive category more likely than not
# names that reason. Not 0.5: at a coin toss, a change with a plain reason of someone
# else's reads as one ("We've taken your son's name off your car insurance now he has his
# own policy"), and so does a moved appointment at a place ("Your hearing at the county
# court has moved to 2 June").
ACCOMMODATED = 0.6
# The bar where the knowledge base found a term in the window that it could tie to nobody,
# not even to someone else ("Grief comes in waves. Our support line is here for you"):
# the term says which category the copy is about, and the model need only find the
# reader's situation in it plausible, not likelier than any other reading. Five-fold
# cross-validated on the development split (English CC201, 4,472 items and 3,375
# look-alikes): 47 more found for 6 more false alarms at 0.4; 60 for 8 at 0.3, where a
# rule case's look-alike fires too ("Your order is back on its way after the strike at
# the depot").
TERMED = 0.4


def read_categories(
    sentences: Sequence[Sentence],
    text: str,
    language: str,
    threshold: float | None = None,
    accommodates: Callable[[Reading], bool] | None = None,
    termed: Callable[[Sequence[Sentence]], frozenset[str]] | None = None,
) -> tuple[CategoryHit, ...]:
    """The model's hits in a message: each sentence read with the one before it in its
    paragraph, where they speak to the reader. A hit belongs to the sentence of the two
    that holds most of its words (the later on a tie), once: the next window does not tell
    the same words again. `threshold`: another bar than the model's own (`LEANING`);
    `accommodates`: whether a sentence says the sender changed the reader's service for
    them, which lowers the bar of its window to `ACCOMMODATED`; `termed`: the categories
    of terms in a window that the knowledge base tied to nobody, each read at `TERMED`."""
    model = load(language)
    if model is None:
        return ()
    out: dict[int, CategoryHit] = {}
    previous: Sentence | None = None
    for sentence in sentences:
        window = [sentence]
        if previous is not None and not BLANK_LINE.search(text, previous.end, sentence.start):
            window.insert(0, previous)
        previous = sentence
        bar = None if threshold is None else min(threshold, model.threshold)
        if accommodates is not None and any(accommodates(s.reading) for s in window):
            bar = min(ACCOMMODATED, model.threshold if bar is None else bar)
        verdict = _window_verdict(model, [s.reading for s in window], language, bar)
        if verdict is None and termed is not None:
            categories = termed(window)
            if categories:
                verdict = _termed_verdict(model, [s.reading for s in window], language, categories)
        if verdict is None:
            continue
        spans = tuple(
            span for c in verdict.carriers for span in _spans(window, c, language)[:1]
        )
        anchor = max(
            window, key=lambda s: (sum(s.start <= a < s.end for a, _ in spans), s.start)
        )
        if anchor.start not in out:
            out[anchor.start] = CategoryHit(
                verdict.category, verdict.probability, anchor, spans, tuple(window)
            )
    return tuple(out.values())


def _termed_verdict(
    model: CategoryModel, window: Sequence[Reading], language: str, categories: frozenset[str]
) -> Verdict | None:
    """The likeliest of the terms' categories on a window said to the reader, when the
    model gives it at least `TERMED`."""

    def read(found: frozenset[str]) -> Verdict | None:
        verdicts = [
            model.verdict(found, c)
            for c in sorted(categories)
            if c in model.classes and c not in model.silent
        ]
        best = max(verdicts, key=lambda v: v.probability, default=None)
        return best if best and best.probability >= TERMED and best.carriers else None

    return _cached_verdict(window, language, ("termed_verdict", categories), read)


def _window_verdict(
    model: CategoryModel, window: Sequence[Reading], language: str, threshold: float | None
) -> Verdict | None:
    """The model's hit on a window of readings at a bar."""
    read = partial(model.hit, threshold=threshold)
    return _cached_verdict(window, language, ("category_verdict", threshold), read)


def _cached_verdict(
    window: Sequence[Reading],
    language: str,
    key: tuple[object, ...],
    read: Callable[[frozenset[str]], Verdict | None],
) -> Verdict | None:
    """A reading of a window that speaks to the reader, kept on its last reading (per
    sentence before it and `key`), so template text shared by every message is read once."""
    last = window[-1]
    full_key = (*key, window[0].text if len(window) > 1 else None)
    if full_key in last.cache:
        return last.cache[full_key]  # type: ignore[return-value]
    verdict = None
    if any(speaks_to_reader(reading) for reading in window):
        verdict = read(frozenset().union(*(_cached_features(r, language) for r in window)))
    last.cache[full_key] = verdict
    return verdict


def speaks_to_reader(reading: Reading) -> bool:
    """A "you", a question, or the reader's name set off by a comma ("Mind the step,
    Siobhán!"). Not a sentence that merely opens with a word that may be a verb: a heading
    ("Back-to-work support, included") reads like an imperative."""
    tokens = reading.tokens
    return (
        reading.addresses_reader
        or reading.is_question
        or leading_vocative(tokens)
        or vocative(tokens)
    )


def _cached_features(reading: Reading, language: str) -> frozenset[str]:
    cached = reading.cache.get("category_features")
    if cached is None:
        cached = reading.cache["category_features"] = features(reading.tokens, language)
    return cached  # type: ignore[return-value]


def _spans(window: Sequence[Sentence], carrier: str, language: str) -> list[tuple[int, int]]:
    """Where a carrier (a lemma or a pair of lemmas) stands in the window."""
    wanted = carrier.split(" ")
    out = []
    for sentence in window:
        tokens = sentence.tokens
        marked = list(zip(words(tokens, language), _worded(tokens, language), strict=True))
        for index in range(len(marked) - len(wanted) + 1):
            if [w for w, _ in marked[index : index + len(wanted)]] == wanted:
                out.append((marked[index][1].start, marked[index + len(wanted) - 1][1].end))
    return out


def _worded(tokens: Iterable[Token], language: str) -> list[Token]:
    """The tokens `words` reads, in order: words other than first names, and numbers."""
    names = _first_names(language)
    return [
        t
        for t in tokens
        if (t.is_alpha and not (t.text[:1].isupper() and t.lower in names))
        or (not t.is_alpha and any(ch.isdigit() for ch in t.text))
    ]
