"""The reader's own event, named as one both sides know of: a definite description in a
sentence that speaks of one occasion, not of the event in general.

In a message to one person, "the morning sickness should ease soon, Sam", "the bailiffs
came again this week, didn't they?" or "after everything with the court case, we thought
you deserved a break" take for granted an event the reader and the sender share: the
definite article presupposes a referent both know, and the time the sentence is anchored
to (soon, this week, went well, is helping) makes it one occasion. The same words said
of the event in general ("The menopause can bring sleepless nights", "the flu season is
here") name no one's: a generic sentence has a modal or a quantifier and no anchor. The
words of each part are the lexicon's (`occasion_*`, `generic_marker`, `be_*`).
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.frames import elsewhere, people_after
from creepcheck.text.grammar import Grammar, has_word
from creepcheck.text.lexicon import Lexicon

MAX_MODIFIERS = 2  # "the new inhaler", "those late feeds"


def definite_event(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar, spoken: bool
) -> bool:
    """Whether the term is the reader's own occasion, named with "the": see the module.
    Only for the categories whose events are one person's (`own_occasion`)."""
    if match.entry.category not in lexicon.phrases("own_occasion"):
        return False
    if not spoken or not _definite(tokens, match.first, grammar):
        return False
    if not _head(tokens, match.last, grammar) or elsewhere(tokens, match.last):
        return False  # "the divorce rate"; "the strike at the depot" is a public event
    if any(has_word(t, grammar.generic_marker) for t in tokens):
        return False
    return any(
        has_word(t, grammar.occasion_anchor) or _episodic_verb(tokens, i, grammar)
        for i, t in enumerate(tokens)
    )


def _definite(tokens: Sequence[Token], first: int, grammar: Grammar) -> bool:
    if has_word(tokens[first], grammar.occasion_article):
        return True  # the lexicon's own "the court case"
    index = first - 1
    while (
        index >= 0
        and first - index <= MAX_MODIFIERS
        and has_word(tokens[index], grammar.occasion_modifier)
    ):
        index -= 1
    if index >= 0 and tokens[index].lower == "those" and people_after(tokens[index + 1]):
        return False  # "those living with dementia": other people
    return index >= 0 and has_word(tokens[index], grammar.occasion_article)


def _head(tokens: Sequence[Token], after: int, grammar: Grammar) -> bool:
    """The term ends its noun phrase ("the divorce was"), rather than naming what a
    following noun is about ("the divorce rate", "the debt ceiling vote")."""
    if after >= len(tokens):
        return True
    following = tokens[after]
    return (
        not following.is_alpha
        or "NOUN" not in following.pos
        or has_word(following, grammar.np_end)
    )


def _episodic_verb(tokens: Sequence[Token], index: int, grammar: Grammar) -> bool:
    """A verb in the past ("went well", "we thought") or happening now ("is helping"):
    a generic sentence is in the simple present."""
    token = tokens[index]
    if "VERB" not in token.pos or has_word(token, grammar.be_present):
        return False
    if token.lower.endswith("ing"):
        before = tokens[index - 1] if index > 0 else None
        return before is not None and (
            has_word(before, grammar.be_present) or has_word(before, grammar.be_past)
        )
    inflected = any(lemma != token.lower for lemma in token.lemmas)
    return inflected and not token.lower.endswith("s")
