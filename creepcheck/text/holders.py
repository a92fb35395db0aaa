"""Whom else the copy gives a term to: a third party or a hypothetical (read in
`creepcheck.text.frames`), the news or a book whose topic it is, the receiver of the
reader's gift, or quoted words. A term held elsewhere is not the reader's, and the
trained model does not speak over it.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.frames import hypothetical, phrase_break, third_party
from creepcheck.text.grammar import Grammar, as_opener, has_word
from creepcheck.text.lexicon import Lexicon


def held_elsewhere(
    tokens: Sequence[Token], match: RawMatch, grammar: Grammar, lexicon: Lexicon
) -> bool:
    """The copy gives the term to someone other than the reader: a hypothetical, a third
    party, someone's quoted words, the receiver of a gift, the news or a book."""
    return (
        hypothetical(tokens, match.first, grammar, lexicon)
        or third_party(tokens, match, lexicon, grammar)
        or quoted(tokens, match)
        or received(tokens, match, lexicon)
        or reported(tokens, match, lexicon)
    )


def someone_else_named(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """Someone else named anywhere in the sentence ("a balm for your sister"), outside the
    term ("mum-to-be" is not someone else) and not the reader's own role ("As someone
    rebuilding life after prison, you qualify ...", "As a patient of ...")."""
    return any(
        has_word(t, grammar.third_party) and not as_role(tokens, i)
        for i, t in enumerate(tokens)
        if not match.first <= i < match.last
    )


def as_role(tokens: Sequence[Token], index: int) -> bool:
    """ "as someone", "as a patient" opening the sentence, said of the "you" after it."""
    return as_opener(tokens, index) == 0 and any(t.lower == "you" for t in tokens[index + 1 :])


def reported(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """The term is what the news or a book tells of ("Redundancies in the news again?",
    "books on the history of world religions"), not the reader's state: no "you" or
    "your" between the telling and the term ("our guide to managing your diabetes")."""
    if any(cue.first == match.last for cue in lexicon.cues("in_the_news", tokens)):
        return True
    for cue in lexicon.cues("written_on", tokens):
        between = tokens[cue.last : match.first]
        if cue.last <= match.first and len(between) <= TOPIC_GAP and not any(
            t.second_person or phrase_break(t) for t in between
        ):
            return True
    return False


TOPIC_GAP = 4  # "books on [the history of] world religions"


# Categories a gift tells of the giver: a party, a church, a union given to is a stance; a
# food bank or a hospice given to is not the giver's need.
STANCES = frozenset({"political_opinion", "religion", "trade_union"})
RECEIVER_WORDS = 3  # "chipped in to [the Riverside] Food Bank"


def received(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """The term names who receives the reader's gift ("you've chipped in to the Riverside
    Food Bank", "volunteering at the hospice"), not the giver's need; a stance excepted."""
    if match.entry.category in STANCES:
        return False
    return any(
        cue.last <= match.first <= cue.last + RECEIVER_WORDS
        and not any(phrase_break(t) for t in tokens[cue.last : match.first])
        for cue in lexicon.cues("given_to", tokens)
    )


QUOTE_MARKS = frozenset({'"', "\u201c", "\u201d", "\u00ab", "\u00bb"})


def quoted(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The term is inside quotation marks while the sentence goes on outside them: a title
    or someone's words ('Most read: "How to talk about your ex"', 'hear the words "you have
    cancer"'), not what the sender says to the reader."""
    marks = [i for i, t in enumerate(tokens) if t.text in QUOTE_MARKS]
    for opening, closing in zip(marks[::2], marks[1::2], strict=False):
        if opening < match.first and match.last <= closing:
            outside = [*tokens[:opening], *tokens[closing + 1 :]]
            return sum(t.is_alpha for t in outside) >= 2
    return False
