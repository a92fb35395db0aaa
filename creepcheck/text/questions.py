"""Questions that presuppose the reader's state: an elided question ("Behind on
payments?", "Planning the funeral?"), a bare question about an identity ("Proud to be
Irish?", "Newly single?"), and not a question that offers the term as one of a choice
("Changing your name after marriage or divorce?"). `creepcheck.text.addressee` asks
these among its readings of the second person.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text import frames, speech
from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import (
    ENGLISH_COPULA_FILL,
    Grammar,
    has_word,
    second_person_possessive,
)
from creepcheck.text.roles import ROLE_FILL


def question(tokens: Sequence[Token], match: RawMatch, grammar: Grammar, addressed: bool) -> bool:
    if not any(t.lower == "?" for t in tokens[match.last :]):
        return False
    if _one_of_alternatives(tokens, match):
        return False  # "Changing your name after marriage or divorce?" asks anyone
    if _a_guest_at(tokens, match):
        return False  # "Going to a baby shower?": someone else's occasion
    start = speech.first_word(tokens)
    if start is None:
        return False
    head = tokens[start]
    subject = start + 1 if second_person_possessive(head) and start + 1 < match.first else start
    if subject < match.first and has_word(tokens[subject], grammar.third_party):
        return False  # "Mate just got divorced?", "Your sister expecting?": asked of them
    elided = (
        not has_word(head, grammar.explicit_start) or _bare_auxiliary(tokens, start, grammar)
    ) and "2per" not in head.tags
    if not (elided or addressed):
        return False
    return not any(
        has_word(t, grammar.activity) and not frames.undergoing(t, grammar)
        for t in tokens[start : match.first]
    )


def _a_guest_at(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The reader on the way to an occasion named with "a": "Going to a baby shower?",
    "Off to a wedding this weekend?". A guest's, not the reader's own."""
    at = match.first
    if at < 2 or tokens[at - 1].lower not in {"a", "an"} or tokens[at - 2].lower != "to":
        return False
    return at >= 3 and tokens[at - 3].lemma in {"go", "head", "off", "invite", "travel"}


def _one_of_alternatives(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The term is one side of an "or": the question offers choices, it presumes none."""
    index = match.first - 1
    while index > 0 and tokens[index].lower in {"a", "an", "the", "your"}:
        index -= 1  # "after a wedding or a divorce?"
    before = tokens[index].lower if index >= 0 else ""
    after = tokens[match.last].lower if match.last < len(tokens) else ""
    return "or" in (before, after)


# Auxiliaries that open a question with its own subject ("Have you...", "Did they...")
# and, with none after them, one whose subject is the reader left out ("Had enough of the
# bailiffs' letters?").
BARE_AUXILIARIES = frozenset({"had", "have", "has", "did", "do", "does", "been", "got"})
SUBJECT_WORDS = frozenset(
    {"you", "u", "ya", "we", "they", "he", "she", "it", "i", "there", "the", "this", "that",
     "these", "those", "your", "our", "their", "his", "her", "its", "my", "a", "an"}
)  # fmt: skip


def _bare_auxiliary(tokens: Sequence[Token], start: int, grammar: Grammar) -> bool:
    if grammar.language == "ru" or tokens[start].lower not in BARE_AUXILIARIES:
        return False
    following = tokens[start + 1] if start + 1 < len(tokens) else None
    return (
        following is not None
        and following.is_alpha
        and following.lower not in SUBJECT_WORDS
        and not following.text[:1].isupper()
    )


def definite_in_elided_question(
    tokens: Sequence[Token], match: RawMatch, grammar: Grammar
) -> bool:
    """A question with no subject, opened by what the reader is doing, about *the* event:
    "Planning the funeral?", "Getting ready for the big arrival?". The definite article
    presupposes an event both sides know of; "Planning a funeral?" asks anyone."""
    if grammar.language == "ru" or not any(t.lower == "?" for t in tokens[match.last :]):
        return False
    start = speech.first_word(tokens)
    if start is None or start >= match.first or "2per" in tokens[start].tags:
        return False
    while start < match.first - 1 and tokens[start].lower in LEADING_ADVERBS:
        start += 1  # "Still paying off the funeral?"
    head = tokens[start]
    if head.lower == "how" and start + 1 < match.first:
        start += 1  # "How's the new baby sleeping?", "How is the recovery going?"
        if tokens[start].lower not in {"'s", "is", "are", "'re", "was"}:
            return False
    elif has_word(head, grammar.explicit_start) or not head.lower.endswith("ing"):
        return False
    if any(t.is_punct or "2per" in t.tags for t in tokens[start : match.first]):
        return False
    # "this" as well: "Giving up chocolate again this Lent?" (this year's, the reader's)
    before = tokens[max(start, match.first - 3) : match.first + 1]
    return any(t.lower in {"the", "this"} for t in before)


LEADING_ADVERBS = frozenset({"still", "now", "finally", "already", "just", "busy", "currently"})


def bare_question(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """A question that is only the group and what "you are" would carry: "Proud to be
    Irish?", "Newly single?". The elided subject can only be the reader."""
    if grammar.language == "ru" or not any(t.lower == "?" for t in tokens[match.last :]):
        return False
    start = speech.first_word(tokens)
    if start is None or start > match.first:
        return False
    return all(
        t.lower in ENGLISH_COPULA_FILL or t.lower in ROLE_FILL or t.lower == "to"
        for t in tokens[start : match.first]
    )


def own_thing_in_elided_question(tokens: Sequence[Token], match: RawMatch) -> bool:
    """A question with no subject, opened by a thing and what it is doing: "Hearing aids
    whistling again?", "Insulin pump playing up?", "Wheelchair ramp still missing from
    your front door?": a thing in use, so the reader's own. Not news of the thing
    ("Hearing aids coming to our Leeds store?") nor a sale ("Hearing aids on sale?")."""
    if match.last >= len(tokens) or not any(t.lower == "?" for t in tokens[match.last :]):
        return False
    start = speech.first_word(tokens)
    if start is None or start > match.first or match.first - start > 2:
        return False
    lead = tokens[start : match.first]  # "your", or the thing's own nouns ("Wheelchair ramp")
    if not all(t.is_alpha and ("NOUN" in t.pos or second_person_possessive(t)) for t in lead):
        return False
    head = tokens[match.last]
    if head.lower in {"still", "again"}:
        return True
    return head.lower.endswith("ing") and "VERB" in head.pos and head.lower not in NEWS_OF_THINGS


# what a thing does in the sender's news, not in the reader's hands
NEWS_OF_THINGS = frozenset(
    {"coming", "arriving", "shipping", "selling", "launching", "trending", "going"}
    | {"returning", "landing", "dropping", "starting", "flying", "heading", "getting"}
)


def dated_event_question(tokens: Sequence[Token], match: RawMatch) -> bool:
    """A question that is only the event and when it is: "Chemo week?", "Funeral next
    wk?", "Parole check-in Mon 9am?". With no subject and no verb, the dated event can
    only be the reader's own. Not a season anyone has ("Flu season?"), not an offer."""
    if match.last >= len(tokens) or not any(t.lower == "?" for t in tokens[match.last :]):
        return False
    start = speech.first_word(tokens)
    if start is None or start != match.first:
        return False
    end = next(i for i in range(match.last, len(tokens)) if tokens[i].lower == "?")
    rest = tokens[match.last : end]
    if not rest or any(t.lower in UNDATED for t in rest):
        return False
    dated = [t for t in rest if t.lower in WHEN or t.lower[:1].isdigit()]
    nouns = [  # "check-in" is one noun
        t
        for i, t in enumerate(rest)
        if t not in dated
        and t.lower not in {"-", "at", "on"}
        and not (i and rest[i - 1].lower == "-")
    ]
    return bool(dated) and len(nouns) <= 2 and all("NOUN" in t.pos for t in nouns)


# when a dated event is: "week", "next wk", "Mon", "tomorrow"
WHEN = frozenset(
    {"week", "wk", "day", "night", "weekend", "wknd", "today", "tonight", "tomorrow", "next",
     "this", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "am", "pm",
     "morning", "afternoon", "evening"}
)  # fmt: skip
# what makes it anyone's or the sender's: a season, a sale, a range
UNDATED = frozenset({"season", "month", "sale", "sales", "deals", "offer", "offers", "range"})
