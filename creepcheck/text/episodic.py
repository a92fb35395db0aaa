"""The reader's own event, named as one both sides know of: a definite description in a
sentence that speaks of one occasion, not of the event in general.

In a message to one person, "the morning sickness should ease soon", "we hope the new
inhaler is helping" or "after everything with the court case, we thought you deserved
a break" take for granted an event the reader and the sender share: the definite
article presupposes a referent both know, and the time the sentence is anchored to
(soon, this week, went well, is helping) makes it one occasion. The same words said
of the event in general ("The menopause can bring sleepless nights", "the flu season is
here") name no one's: a generic sentence has a modal or a quantifier and no anchor.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.frames import elsewhere
from creepcheck.text.lexicon import Lexicon

DEFINITE = frozenset({"the", "those", "these"})
# what may stand between the article and the event: "the new inhaler", "those late feeds"
MODIFIERS = frozenset(
    {"new", "latest", "recent", "next", "first", "big", "whole", "upcoming", "ongoing",
     "current", "little", "early", "final", "last", "long", "late", "late-night",
     "night-time", "nighttime", "daily", "weekly", "monthly", "morning", "evening"}
)  # fmt: skip
# one occasion: when it happens, happened or will
ANCHORS = frozenset(
    {"soon", "today", "tonight", "tomorrow", "yesterday", "lately", "recently", "already",
     "again", "finally", "week", "weeks", "month", "months", "weekend", "morning", "night",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december", "due", "went", "came", "got",
     "helping", "working", "settling", "going", "easing", "healing", "behind", "over",
     "done", "sorted", "well"}
)  # fmt: skip
# the event in general, or anyone's: "can bring", "many people", "for anyone"
GENERIC = frozenset(
    {"can", "could", "might", "often", "sometimes", "usually", "typically", "generally",
     "many", "most", "people", "anyone", "anybody", "everyone", "everybody", "whoever",
     "every", "common", "millions", "thousands", "others", "our", "guide", "tips",
     "learn", "read", "about", "awareness", "facts", "research", "world", "nation",
     "country", "national", "news", "all", "us", "who", "whose"}
)  # fmt: skip


def definite_event(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, spoken: bool
) -> bool:
    """Whether the term is the reader's own occasion, named with "the": see the module.
    Only for the categories whose events are one person's (`own_occasion`)."""
    if match.entry.category not in lexicon.phrases("own_occasion"):
        return False
    if not spoken or not _definite(tokens, match.first) or not _head(tokens, match.last):
        return False
    if elsewhere(tokens, match.last):  # "the strike at the depot": a public event
        return False
    words = {t.lower for t in tokens}
    if words & GENERIC:
        return False
    return bool(words & ANCHORS) or any(_episodic_verb(tokens, i) for i in range(len(tokens)))


def _definite(tokens: Sequence[Token], first: int) -> bool:
    if tokens[first].lower in DEFINITE:
        return True  # the lexicon's own "the court case"
    index = first - 1
    while index >= 0 and tokens[index].lower in MODIFIERS and first - index <= 2:
        index -= 1
    return index >= 0 and tokens[index].lower in DEFINITE


def _head(tokens: Sequence[Token], after: int) -> bool:
    """The term ends its noun phrase ("the divorce was"), rather than naming what a
    following noun is about ("the divorce rate", "the debt ceiling vote")."""
    if after >= len(tokens):
        return True
    following = tokens[after]
    return not following.is_alpha or "NOUN" not in following.pos or following.lower in FUNCTION


FUNCTION = frozenset(
    {"is", "was", "are", "were", "be", "has", "had", "have", "will", "should", "would",
     "shall", "must", "in", "on", "at", "with", "of", "for", "and", "or", "but", "to",
     "from", "this", "that", "next", "last", "so", "now", "still", "just"}
)  # fmt: skip


def _episodic_verb(tokens: Sequence[Token], index: int) -> bool:
    """A verb in the past ("went well", "we thought") or happening now ("is helping"):
    a generic sentence is in the simple present."""
    token = tokens[index]
    if "VERB" not in token.pos or token.lower in BE_PRESENT:
        return False
    if token.lower.endswith("ing"):
        return index > 0 and tokens[index - 1].lower in BE_FORMS
    inflected = any(lemma != token.lower for lemma in token.lemmas)
    return inflected and not token.lower.endswith("s")


BE_PRESENT = frozenset({"is", "are", "am", "'s", "'re", "'m", "has", "does"})
BE_FORMS = BE_PRESENT | {"was", "were", "been"}
