"""Whether a sentence speaks to the reader without naming them: an imperative clause,
the reader's name set off by a comma, or a fragment with no one else in it that stands
next to a sentence saying "you". creepcheck.text.frames reads these around a term.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import has_word

# the context key (beside the cue groups) of a sentence whose neighbour in the block
# speaks to the reader: a "you", an imperative, "let's"
READER_NEARBY = "reader_nearby"
HARD = frozenset({".", "!", "?", ":", ";", "(", ")", "\u2014", "\u2013", '"'})


def imperative_clause(tokens: Sequence[Token]) -> bool:
    """A clause of the sentence, after a comma or at its start, opens with a verb in its
    base form: "Since the diagnosis, take it one day at a time"."""
    starts = [0] + [i + 1 for i, t in enumerate(tokens) if t.lower == ","]
    for start in starts:
        words = [t for t in tokens[start : start + 2] if t.is_alpha]
        if words and base_verb(words[0]):
            return True
    return False


EXPLETIVES = frozenset({"it", "it's", "its", "that", "that's", "there", "there's"})


def subjectless(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The sentence names no one who could hold the term: a fragment with no verb ("One
    year sober this month.") or a clause whose subject is an empty "it" or "that" ("It's
    been six months since the funeral."). Next to a sentence that says "you", the term
    is the reader's; "Our founder is two years sober" and "The film follows a family
    after the divorce" have someone else."""
    words = [t for i, t in enumerate(tokens) if t.is_alpha and not match.first <= i < match.last]
    if not words:
        return True
    if words[0].lower in EXPLETIVES:
        return True
    # "quarter" and "talk" may be verbs; a word that may also be a noun is not counted
    return not any("AUX" in t.pos or ("VERB" in t.pos and "NOUN" not in t.pos) for t in words)


def base_verb(token: Token) -> bool:
    return "VERB" in token.pos and token.lower == token.lemma


def leading_vocative(tokens: Sequence[Token]) -> bool:
    """A name set off by a comma at the start: "Ana, the first Christmas is the hardest"
    (copy's "{{ first_name }}, ..."); not an adverb ("Sadly, ...", "Today, ...")."""
    body = [t for t in tokens if not (t.is_punct and t.lower in HARD)]
    return (
        len(body) >= 3
        and body[1].lower == ","
        and body[0].is_alpha
        and body[0].text[:1].isupper()
        and "ADV" not in body[0].pos
    )


def vocative(tokens: Sequence[Token], salutation: frozenset[str] = frozenset()) -> bool:
    """The reader's name set off by a comma at the end ("Only 6 weeks to go, Amira."),
    or after a salutation at the start ("Hi Arjun, happy Navratri!")."""
    body = [t for t in tokens if not (t.is_punct and t.lower in HARD)]
    if len(body) >= 2 and body[-2].lower == ",":
        name = body[-1]
        if name.is_alpha and name.text[:1].isupper():
            return True
    return (
        len(body) >= 3
        and bool(salutation)
        and has_word(body[0], salutation)
        and body[1].is_alpha
        and body[1].text[:1].isupper()
        and body[2].lower == ","
    )


def called_by_name(tokens: Sequence[Token]) -> bool:
    """The reader's name set off anywhere in the sentence: at the start (`leading_vocative`),
    at the end (`vocative`), or between a comma and a clause break ("Going through a
    separation is hard enough, Helen; let us...", "Coming out takes courage, Felix, and
    ..."). Not a place after a place ("in Portland, Oregon, ...") or an item of a list."""
    if vocative(tokens) or leading_vocative(tokens):
        return True
    for index in range(1, len(tokens) - 1):
        name, before, after = tokens[index], tokens[index - 1], tokens[index + 1]
        if before.lower != "," or after.lower not in NAME_CLOSERS:
            continue
        if not (name.is_alpha and name.text[:1].isupper() and "NOUN" in name.pos):
            continue
        if name.pos & {"ADV", "AUX"} or name.lower in CALENDAR:
            continue
        previous = tokens[index - 2] if index >= 2 else None
        if previous is not None and previous.is_alpha and previous.text[:1].isupper():
            continue  # "Portland, Oregon,", "Leeds, Hull;"
        if after.lower == "," and index + 3 < len(tokens) and tokens[index + 3].lower == ",":
            continue  # "..., Red, Blue, or ...": a list goes on
        return True
    return False


# what closes a name set off in mid-sentence
NAME_CLOSERS = frozenset({",", ";", ":", "\u2014", "\u2013", "-", "!", "?", "."})
CALENDAR = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "january", "february", "march", "april", "june", "july", "august", "september",
     "october", "november", "december", "today", "tonight", "tomorrow", "yesterday"}
)


def first_word(tokens: Sequence[Token]) -> int | None:
    """The index of the sentence's first word, or None."""
    return next((i for i, t in enumerate(tokens) if t.is_alpha), None)
