"""Text analysis for the copy rules: the only package that imports spaCy (and presidio).

Minimal first version: the API is stable, the internals are being improved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creepcheck.policy.model import Policy
    from creepcheck.render import RenderedMessage

SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "вы", "ваш",
                           "ваша", "ваше", "ваши", "вас", "вам", "ты", "твой", "тебя", "тебе"})


@dataclass(frozen=True)
class Token:
    text: str
    lower: str
    lemma: str
    start: int  # offsets into rendered.text
    end: int
    is_alpha: bool
    is_punct: bool


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]

    @property
    def addresses_reader(self) -> bool:
        return any(t.lemma in SECOND_PERSON for t in self.tokens)


@dataclass(frozen=True)
class TermMatch:
    category: str
    term: str
    start: int
    end: int
    sentence: Sentence


class Analysis:
    def __init__(self, text: str, language: str, sentences: tuple[Sentence, ...]) -> None:
        self.text = text
        self.language = language
        self.sentences = sentences

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    @cached_property
    def pii(self) -> list[Any]:
        from creepcheck.text.pii import find_pii

        return find_pii(self.text, self.language)

    def find_terms(self, categories: tuple[str, ...] | None = None) -> list[TermMatch]:
        return []


_WORD = re.compile(r"\w+|[^\w\s]")


class TextAnalyzer:
    def __init__(self, policy: Policy, *, model: str | None = None) -> None:
        self.policy = policy
        self.model = model

    def analyze(self, rendered: RenderedMessage, language: str) -> Analysis:
        text = rendered.text
        sentences = []
        for match in re.finditer(r"[^\n.!?]+[.!?]*", text):
            tokens = tuple(
                Token(m.group(), m.group().lower(), m.group().lower(), match.start() + m.start(),
                      match.start() + m.end(), m.group().isalpha(), not m.group()[0].isalnum())
                for m in _WORD.finditer(match.group())
            )
            if tokens:
                sentences.append(Sentence(match.start(), match.end(), match.group(), tokens))
        return Analysis(text, language, tuple(sentences))
