"""The reader addressed in a role: "As a diabetic, you...", "As someone living with MS,
you...", «Как будущая мама, вы...»."""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import Grammar, as_opener, has_word

ROLE_FILL = frozenset(
    {
        "a",
        "an",
        "the",
        "fellow",
        "proud",
        "new",
        "newly",
        "recently",
        "busy",
        "single",
        "young",
        "first-time",
        "first",
        "time",
        "lifelong",
        "long-time",
        "longtime",
        "loyal",
        "committed",
        "devoted",
        "practising",
        "practicing",
        "observant",
        "card-carrying",
        "registered",
        "paid-up",
        "signed-up",
        "active",
        "someone",
        "somebody",
        "who",
        "is",
        "'s",
    }
)


def as_role(tokens: Sequence[Token], first: int, grammar: Grammar, addressed: bool) -> bool:
    """ "As a diabetic, you...", «Как будущая мама, вы...»."""
    if not addressed:
        return False
    if grammar.language != "ru" and _as_someone_who(tokens, first, grammar):
        return True
    limit = 1 if grammar.language == "ru" else 8  # "As someone who is registered blind"
    for index in range(first - 1, max(-1, first - 1 - limit), -1):
        token = tokens[index]
        if has_word(token, grammar.as_words):
            before = tokens[index - 1].lower if index > 0 else ""
            return before not in {"such", "same", "well", "так", "такой"} and not _topic(
                tokens, index
            )
        following = tokens[index + 1].lower
        if grammar.language == "ru" or not (
            token.lower in ROLE_FILL
            or token.is_alpha and token.text[:1].isupper() and index > 0
            # "As one of our longest-serving canvassers", "As a patient of Caribbean descent"
            or _one_of_our(tokens, index)
            or token.lower == "-"
            or token.lower.endswith("est") and following == "-"
            or _after_superlative(tokens, index)
            or token.lower in ROLE_HOLDERS and following == "of"
        ):
            return False  # "As a registered Green Party supporter": a name may stand between
    return False


def _one_of_our(tokens: Sequence[Token], index: int) -> bool:
    """A word of "one of our [most] ...", or the "of" after a role holder that does not
    open a thing's name: "a patient of Caribbean descent", not "a guest of our Jamaican
    restaurant"."""
    word = tokens[index].lower
    before = tokens[index - 1].lower if index else ""
    after = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    if word in {"one", "most"}:
        return True
    if word == "of":
        return before == "one" or before in ROLE_HOLDERS and after not in DETERMINERS
    return word == "our" and before == "of" and index >= 2 and tokens[index - 2].lower == "one"


DETERMINERS = frozenset({"a", "an", "the", "our", "your", "their", "his", "her", "this"})


def _after_superlative(tokens: Sequence[Token], index: int) -> bool:
    """The second half of "longest-serving", "oldest-running"."""
    return index >= 2 and tokens[index - 1].lower == "-" and tokens[index - 2].lower.endswith("est")


# whose role an "of" phrase gives: "a patient of Caribbean descent", "a member of"
ROLE_HOLDERS = frozenset(
    {"patient", "customer", "client", "member", "person", "woman", "man", "student", "guest"}
)


# "questions about dating as a single parent": a gerund after one of these is a topic
TOPIC_MARKERS = frozenset({"about", "on", "to", "for", "of", "around"})


def _topic(tokens: Sequence[Token], as_index: int) -> bool:
    """ "your questions about dating as a single parent", "a guide to travelling as a
    wheelchair user": the role belongs to an activity spoken of, not to the reader."""
    if as_index < 2:
        return False
    gerund = tokens[as_index - 1]
    doing = gerund.lower.endswith("ing") and "VERB" in gerund.pos
    return doing and tokens[as_index - 2].lower in TOPIC_MARKERS


def _as_someone_who(tokens: Sequence[Token], first: int, grammar: Grammar) -> bool:
    """ "As someone who is registered disabled, you...", "As someone living with MS, you...":
    a role given by a relative clause or a with-phrase that holds the term, in the same
    clause."""
    for index in range(first - 1, max(-1, first - 8), -1):
        token = tokens[index]
        if token.is_punct:
            return False
        if (
            index + 1 < first
            and token.lower in {"someone", "somebody", "person"}
            and tokens[index + 1].lower.endswith("ing")
            and as_opener(tokens, index) is not None
        ):  # "As someone recovering from cancer, you...": a participle's role, unless it
            # names someone else ("As someone caring for a parent recovering from cancer")
            return not any(has_word(t, grammar.third_party) for t in tokens[index + 1 : first])
        if token.lower in {"who", "with"} and index >= 2:
            holder_at = index - 1
            if token.lower == "with" and has_word(tokens[holder_at], grammar.role_participle):
                holder_at -= 1
            if holder_at < 1:
                return False
            holder = tokens[holder_at].lower
            opener = tokens[holder_at - 1].lower
            return holder in {"someone", "somebody", "one", "person"} and (
                opener == "as"
                or opener in {"a", "an"}
                and holder_at >= 2
                and tokens[holder_at - 2].lower == "as"
            )
    return False



def member_of_group(tokens: Sequence[Token], first: int, last: int, grammar: Grammar) -> bool:
    """ "As a member of our Type 2 support circle, you...": the reader's role is a place in
    a group of people the term names ("our Muslim community"), in a sentence to the reader;
    not a fund or a charity's cause ("a member of our diabetes research fund")."""
    if grammar.language == "ru" or not any("2per" in t.tags for t in tokens[last:]):
        return False
    after = tokens[last : last + 2]
    if after and not after[0].is_punct and not any(
        has_word(t, grammar.role_group) for t in after
    ):
        return False
    for index in range(first - 1, max(-1, first - 6), -1):
        token = tokens[index]
        if token.is_punct:
            return False
        if token.lower == "of":
            if index < 3 or not has_word(tokens[index - 1], grammar.role_membership):
                return False
            if tokens[index - 2].lower == "as":
                return True  # "As part of our LGBTQ+ family, you're invited"
            opener = index - 2
            while opener > 1 and tokens[opener].lower in ROLE_FILL - {"a", "an"}:
                opener -= 1  # "As a proud member of ..."
            return tokens[opener].lower in {"a", "an"} and tokens[opener - 1].lower == "as"
    return False


def joined_by_reader(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The reader joined the body the term names: "Now that you've joined the Communist
    Party", "since you joined the union branch". Joining a newsletter or a programme
    about a topic stays an activity ("you joined our diabetes webinar")."""
    if grammar.language == "ru" or match.last < 1:
        return False
    head = tokens[match.last - 1]
    after = tokens[match.last] if match.last < len(tokens) else None
    body = head.lemma in BODIES or (after is not None and after.lemma in BODIES)
    if not body:
        return False
    for index in range(match.first - 1, max(-1, match.first - 5), -1):
        token = tokens[index]
        if token.is_punct:
            return False
        if token.lemma in {"join", "rejoin"} and token.lower != token.lemma:  # joined
            return index > 0 and _reader_before(tokens, index)
    return False


def _reader_before(tokens: Sequence[Token], verb: int) -> bool:
    """ "you joined", "you've joined", "you have just joined"."""
    for index in range(verb - 1, max(-1, verb - 4), -1):
        token = tokens[index]
        if token.second_person and "POSS" not in token.tags:
            asked = index > 0 and tokens[index - 1].lower in {"have", "did", "do", "had"}
            return not asked  # "Have you joined the Green Party yet?" asks
        if token.lower not in {"'ve", "have", "had", "just", "recently", "finally", "now"}:
            return False
    return False


# bodies a person joins as a member: a party, a union, a congregation
BODIES = frozenset(
    {"party", "union", "branch", "congregation", "church", "mosque", "synagogue", "temple"}
    | {"parish", "lodge", "chapter", "caucus", "movement", "association", "federation"}
)

