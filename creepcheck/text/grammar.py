"""The grammar words of a language that tie a sensitive term to the reader, and the
kinds of tie (TermMatch.reader): shared by the English reading (addressee.py), its
frames (frames.py) and the Russian reading (russian.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from creepcheck.text.document import Token
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.phrase_index import token_keys

# How the copy ties a term to the reader (TermMatch.reader).
POSSESSIVE, SUBJECT, AS, CONGRATULATION, CONDOLENCE, QUESTION, IMPERATIVE, PRESUPPOSED = (
    "possessive",
    "subject",
    "as",
    "congratulation",
    "condolence",
    "question",
    "imperative",
    "presupposed",
)
NP_SKIP = frozenset(
    {"'s", "'", "of", "recent", "recently", "new", "newly", "upcoming", "current", "ongoing"}
)
PLACE_WORDS = frozenset(
    {
        "local",
        "nearest",
        "nearby",
        "neighbourhood",
        "neighborhood",
        "ближайший",
        "ближайшая",
        "ближайшей",
        "ближайшем",
        "ближайшую",
    }
)


# Cue groups read by creepcheck.text.frames, in the order of Grammar's fields.
FRAME_GROUPS = (
    "hypothetical",
    "third_party",
    "coordinator",
    "fellow",
    "others",
    "people",
    "clientele",
    "offer_verb",
    "since",
    "absolute",
    "completed",
    "being",
    "determiner",
    "undergo",
    "belonging",
    "np_end",
    "dealing",
    "dealing_gift",
    "dealing_payment",
    "dealing_link",
    "salutation",
    "occasion_article",
    "occasion_modifier",
    "occasion_anchor",
    "generic_marker",
    "be_present",
    "be_past",
    "undertaking",
    "role_participle",
    "role_membership",
    "role_group",
    "clientele_link",
    "place_link",
    "address_to",
    "crew",
)


@dataclass(frozen=True)
class Grammar:
    """The cue words of one language, as token keys."""

    language: str
    owner: frozenset[str]
    object_marker: frozenset[str]
    clause_break: frozenset[str]
    explicit_start: frozenset[str]
    attributive: frozenset[str]
    audience: frozenset[str]
    as_words: frozenset[str]
    activity: frozenset[str]
    coping: frozenset[str]
    # the frames of creepcheck.text.frames
    hypothetical: frozenset[str] = frozenset()
    third_party: frozenset[str] = frozenset()
    coordinator: frozenset[str] = frozenset()
    fellow: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    clientele: frozenset[str] = frozenset()
    offer_verb: frozenset[str] = frozenset()
    since: frozenset[str] = frozenset()
    absolute: frozenset[str] = frozenset()
    completed: frozenset[str] = frozenset()
    being: frozenset[str] = frozenset()
    determiner: frozenset[str] = frozenset()
    undergo: frozenset[str] = frozenset()
    belonging: frozenset[str] = frozenset()
    np_end: frozenset[str] = frozenset()
    dealing: frozenset[str] = frozenset()
    dealing_gift: frozenset[str] = frozenset()
    dealing_payment: frozenset[str] = frozenset()
    dealing_link: frozenset[str] = frozenset()
    salutation: frozenset[str] = frozenset()
    occasion_article: frozenset[str] = frozenset()
    occasion_modifier: frozenset[str] = frozenset()
    occasion_anchor: frozenset[str] = frozenset()
    generic_marker: frozenset[str] = frozenset()
    be_present: frozenset[str] = frozenset()
    be_past: frozenset[str] = frozenset()
    undertaking: frozenset[str] = frozenset()
    role_participle: frozenset[str] = frozenset()
    role_membership: frozenset[str] = frozenset()
    role_group: frozenset[str] = frozenset()
    clientele_link: frozenset[str] = frozenset()
    place_link: frozenset[str] = frozenset()
    address_to: frozenset[str] = frozenset()
    crew: frozenset[str] = frozenset()

    @classmethod
    def of(cls, lexicon: Lexicon) -> Grammar:
        w = lexicon.words
        return cls(
            lexicon.language,
            w("owner"),
            w("object_marker"),
            w("clause_break"),
            w("explicit_start"),
            w("attributive"),
            w("audience"),
            w("as"),
            w("activity"),
            w("coping"),
            *(w(group) for group in FRAME_GROUPS),
        )


def has_word(token: Token, words: frozenset[str]) -> bool:
    return bool(token_keys(token) & words)


def as_opener(tokens: Sequence[Token], holder: int) -> int | None:
    """Where the "as" stands that gives the word at `holder` as a role ("As someone who",
    "As a patient of"): right before it, or before its "a" / "an"; None when there is none."""
    if holder >= 1 and tokens[holder - 1].lower == "as":
        return holder - 1
    if holder >= 2 and tokens[holder - 1].lower in {"a", "an"} and tokens[holder - 2].lower == "as":
        return holder - 2
    return None


def second_person_possessive(token: Token) -> bool:
    return "2per" in token.tags and ("POSS" in token.tags or token.lemma in {"ваш", "твой"})


def breaks_phrase(token: Token) -> bool:
    return token.is_punct and not token.lower.startswith("'") and token.lower not in {"-", "'s"}


COMPANION = frozenset({"with", "alongside", "beside"})


def _your_conjunct(tokens: Sequence[Token], conjunction: int) -> bool:
    """The noun phrase before "and" opens with "your" and holds only a noun or two."""
    for index in range(conjunction - 1, max(-1, conjunction - 4), -1):
        token = tokens[index]
        if second_person_possessive(token):
            return index < conjunction - 1
        if not token.is_alpha or "NOUN" not in token.pos:
            return False
    return False


def noun_phrase_owner(tokens: Sequence[Token], first: int, grammar: Grammar) -> str | None:
    """ "reader" when a 2nd-person possessive governs the term, "other" for someone else's."""
    steps = 0
    index = first - 1
    while index >= 0 and steps < 5:
        token = tokens[index]
        if second_person_possessive(token):
            # "your local food bank", "your nearest clinic": a place near the reader
            return None if tokens[index + 1].lower in PLACE_WORDS else "reader"
        if token.lower == "us" and index and tokens[index - 1].lower in COMPANION:
            break  # "standing with us at the rally": the sender beside, not the holder
        if token.lower in grammar.owner:
            return "other"
        if token.lower == "%" or token.lower.replace(".", "").isdigit():
            index -= 1  # "your 38% Irish heritage": a figure inside the noun phrase
            continue
        if token.lower in {"and", "&"} and _your_conjunct(tokens, index):
            return "reader"  # "your dates and Zamzam water": one "your" for both
        if breaks_phrase(token) or (
            token.lower not in NP_SKIP
            and (
                has_word(token, grammar.clause_break)
                or has_word(token, grammar.object_marker)
                or has_word(token, grammar.audience)
                or has_word(token, grammar.explicit_start)
                or "2per" in token.tags
            )
        ):
            break
        if token.lower not in NP_SKIP:
            steps += 1
        index -= 1
    if grammar.language == "ru":  # genitive after the noun: «утрата вашего близкого»
        for token in tokens[first + 1 : first + 3]:
            if token.lower in {"для", "ради"}:
                break  # «глюкометры для ваших родителей»: for someone else
            if second_person_possessive(token):
                return "reader"
    return None


# Between "you" and what it is said to be: "you're so proud", "you've become".
ENGLISH_COPULA_FILL = frozenset(
    {
        "'re",
        "re",
        "are",
        "were",
        "be",
        "been",
        "being",
        "'m",
        "am",
        "a",
        "an",
        "so",
        "very",
        "such",
        "proud",
        "also",
        "now",
        "still",
        "really",
        "truly",
        "fellow",
        "'ve",
        "ve",
        "have",
        "has",
        "become",
        "became",
        "not",
        "n't",
        "perhaps",
        "probably",
        "likely",
        "may",
        "might",
    }
)
