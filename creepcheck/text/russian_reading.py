"""One match in one Russian sentence, with the cue lookups the constructions share
(creepcheck.text.russian and russian_constructions)."""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token, hyphen_joins
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.phrase_index import token_keys

PREPOSITIONS = frozenset({"с", "со", "для", "от", "о", "об", "про", "против", "при", "из"})
PEOPLE_WITH = frozenset({"с", "со"})


class MatchReading:
    """One match in one sentence, with the cue lookups the constructions share."""

    def __init__(self, tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> None:
        self.tokens = tokens
        self.match = match
        self.lexicon = lexicon

    def words(self, group: str) -> frozenset[str]:
        return self.lexicon.words(group)

    def has(self, token: Token, group: str) -> bool:
        return bool(token_keys(token) & self.lexicon.words(group))

    def cues(self, group: str) -> list[RawMatch]:
        return self.lexicon.cues(group, self.tokens)

    def before(self, group: str, within: int = 99) -> RawMatch | None:
        """The nearest cue of a group that ends before the match, in the same clause."""
        found = [
            c
            for c in self.cues(group)
            if c.last <= self.match.first and self.match.first - c.last <= within
        ]
        return max(found, key=lambda c: c.last) if found else None

    @property
    def addressed(self) -> bool:
        """«вы», «ваш», a 2nd-person verb, or a name set off by a comma («Ирина, ...»)."""
        tokens = self.tokens
        return any(
            "2per" in t.tags
            or (is_name(t) and i > 0 and tokens[i - 1].lower == ",")
            or (
                is_name(t)
                and opens(tokens, i)
                and i + 1 < len(tokens)
                and tokens[i + 1].lower in {",", "!"}
            )
            for i, t in enumerate(tokens)
        )

    def imperative(self, index: int) -> bool:
        """An imperative verb, not a piece of a hyphenated word («беби-шауэр» is not «бей»)."""
        token = self.tokens[index]
        # «не пропустите»: a perfective future said to «вы» after «не» warns, as «не
        # пропускайте» would (the tags give it as a future; the tracking reader relies on that)
        warned = {"2per", "futr", "perf"} <= token.tags and index > 0 and (
            self.tokens[index - 1].lower == "не"
        )
        if ("impr" not in token.tags and not warned) or "VERB" not in token.pos:
            return False
        return not any(
            0 <= j < len(self.tokens) and hyphen_joins(self.tokens, j)
            for j in (index - 1, index + 1)
        )

    @property
    def imperatives(self) -> list[int]:
        return [i for i in range(len(self.tokens)) if self.imperative(i)]

    def clause(self, start: int, end: int) -> bool:
        """No clause boundary (comma, colon, dash, conjunction) in tokens[start:end]."""
        return not any(
            (t.is_punct and t.lower not in {"-", "«", "»", '"'}) or self.has(t, "clause_break")
            for t in self.tokens[start:end]
        )


def opens(tokens: Sequence[Token], index: int) -> bool:
    """Only greetings stand before the word: «Ирина, ...», «Дорогая Ирина!»."""
    return all(not t.is_alpha or t.lemma in OPENERS for t in tokens[:index])


OPENERS = frozenset({"дорогой", "уважаемый", "милый", "здравствуйте", "привет", "добрый", "день"})


def is_name(token: Token) -> bool:
    return "Name" in token.tags and token.text[:1].isupper()
