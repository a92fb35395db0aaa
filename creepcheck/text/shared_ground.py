"""What copy takes as known between the sender and the reader, without "you" beside the
term: a judgment held "against you", what the reader goes through as the subject of "is"
("Juggling which bill gets paid is exhausting, Dave"), and "those" before a term ("Those
late-night feeds won't last forever"). `creepcheck.text.addressee` asks these after its
second-person readings.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from creepcheck.text import speech
from creepcheck.text.document import RawMatch, Token
from creepcheck.text.frames import people_after


def held_against_reader(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The term opens its sentence and the clause it heads ends on the reader: "A county
    court judgment was registered against you", "Bailiff action was taken against you"."""
    start = speech.first_word(tokens)
    if start is None or any(t.lower not in {"a", "an", "the"} for t in tokens[start : match.first]):
        return False
    for index in range(match.last, min(len(tokens) - 1, match.last + 6)):
        if tokens[index].is_punct:
            return False
        if tokens[index].lower == "against" and tokens[index + 1].second_person:
            return "POSS" not in tokens[index + 1].tags
    return False


def gerund_of_reader(tokens: Sequence[Token], match: RawMatch, nearby: bool) -> bool:
    """A sentence opened by what someone goes through, said of it to the reader: the -ing
    clause that holds the term is the subject of "is", "can be" or "shouldn't" ("Juggling
    which bill gets paid this month is exhausting, Dave.", "Living with Crohn's is hard;
    we're here for you", "Getting in and out of the car shouldn't hurt, Maureen")."""
    start = speech.first_word(tokens)
    if start is None or start + GERUND_REACH < match.first:
        return False
    head = tokens[start]
    if not (head.lower.endswith("ing") and "VERB" in head.pos) or head.lower in GERUND_OPENERS:
        return _named_subject(tokens, match, start)
    for index in range(match.last, min(len(tokens), match.last + 6)):
        if tokens[index].is_punct:
            return False
        if tokens[index].lower in SUBJECT_OF or _says_of_it(tokens[index]):
            clause = itertools.takewhile(lambda t: t.lower not in {":", ";"}, tokens[index:])
            return (
                nearby or speech.called_by_name(tokens) or any(t.second_person for t in clause)
            )
    return False


def _named_subject(tokens: Sequence[Token], match: RawMatch, start: int) -> bool:
    """The term itself opens the sentence as the subject of what is said to the reader by
    name: "Limited mobility shouldn't limit your wardrobe, Fern". Without the name it is
    a line for a whole list ("Diabetes shouldn't stop your holiday plans")."""
    if match.first != start or match.last >= len(tokens):
        return False
    verb = tokens[match.last]
    return (verb.lower in SUBJECT_OF or _says_of_it(verb)) and speech.called_by_name(tokens)


def _says_of_it(token: Token) -> bool:
    """A present verb of the third person right after the clause: "takes", "means"."""
    return (
        token.is_alpha
        and "VERB" in token.pos
        and token.lower.endswith("s")
        and token.lower != token.lemma
        and token.lower not in {"is", "was", "has"}
    )


# how far into the -ing clause the term may start: "Finding clothes for a fuller figure"
GERUND_REACH = 5

# what follows an -ing clause that is the subject: "is exhausting", "can be hard",
# "shouldn't hurt", "doesn't have to be"
SUBJECT_OF = frozenset({"is", "isn't", "can", "should", "shouldn't", "does", "doesn't"})

# -ing words that open a sentence without being what the reader goes through
GERUND_OPENERS = frozenset({"according", "including", "regarding", "considering", "starting"})


def known_to_both(tokens: Sequence[Token], match: RawMatch) -> bool:
    """ "Those" as the determiner of the term's noun phrase takes what it names as known to
    the reader: "Those late-night feeds won't last forever", "Those 3 am feeds are tough".
    Not "those" as people ("Support those living with dementia") or a phrase that goes on
    ("those diabetes statistics")."""
    following = tokens[match.last] if match.last < len(tokens) else None
    goes_on = following is not None and "NOUN" in following.pos and not following.is_punct
    if goes_on and following is not None and following.lower not in AUXILIARIES:
        return False
    head = tokens[match.first]
    if people_after(head) or head.lower in {"in", "on", "of"}:
        return False
    for index in range(match.first - 1, max(-1, match.first - 4), -1):
        if tokens[index].lower == "those":
            return True
        if tokens[index].is_punct:
            return False
    return False


# Verbs that end a noun phrase even where the word list also reads them as nouns ("wo" of
# "won't", "will", "can").
AUXILIARIES = frozenset(
    {"wo", "ca", "is", "are", "was", "were", "will", "can", "have", "has", "had", "do",
     "does", "did", "would", "could", "should", "must", "may", "might", "'ll", "'re", "'s"}
)


def shared_with_reader(tokens: Sequence[Token], match: RawMatch) -> bool:
    """Others said to share the term with the reader: "new matches who also voted Remain",
    "mums who, like you, lost a baby", "others who keep kosher too": the relative clause
    that holds the term says "also", "too" or "like you"."""
    relative = None
    for index in range(match.first - 1, max(-1, match.first - 1 - SHARED_REACH), -1):
        token = tokens[index]
        if token.lower in RELATIVE_PRONOUNS:
            relative = index
            break
        if token.is_punct and token.lower != ",":
            return False
    if relative is None or relative == 0:
        return False
    holder = tokens[relative - 1]
    if not holder.is_alpha or holder.lower in NOT_HOLDERS:
        return False  # "so that you too...": no one named shares it
    between = [t.lower for t in tokens[relative + 1 : match.first]]
    if any(w in NOT_SHARED for w in between):
        return False  # "readers who also bought our Polish cookbook": a product, bought
    after = [t.lower for t in tokens[match.last : match.last + 2]]
    if "also" in between or "too" in between or after[:1] == ["too"]:
        return True
    return any(a == "like" and b in {"you", "yourself"} for a, b in itertools.pairwise(between))


def likened_to_reader(tokens: Sequence[Token], match: RawMatch) -> bool:
    """ "Max is on a weight plan just like you", "Hong Kong families like yours", "For
    colleagues on the weight programme, like you:": the reader compared to its holders,
    within a few words after the term and before the clause ends."""
    for index in range(match.last, min(len(tokens) - 1, match.last + LIKE_REACH)):
        token = tokens[index]
        if token.is_punct and token.lower != ",":
            return False
        if token.lower == "like" and tokens[index + 1].lower in {"you", "yours", "yourself"}:
            return not compares_acts(tokens, index + 2)
    return False


def compares_acts(tokens: Sequence[Token], after: int) -> bool:
    """ "like you" opens a clause of its own that repeats the sentence's verb ("cook
    Nigerian food like you cook", "know diabetes like you know your kids"): the acts are
    compared, not the people ("Mums like you love our range" is the people). `after` is
    the index after "you"."""
    if after >= len(tokens) or tokens[after - 1].lower != "you":
        return False
    verb = tokens[after].lemma
    return any(t.lemma == verb and "VERB" in t.pos for t in tokens[: after - 2])



LIKE_REACH = 4  # "[weight plan] just like you", "[Hong Kong] families like yours"
RELATIVE_PRONOUNS = frozenset({"who", "that"})
# what makes the term a product others chose, not a state they share with the reader
NOT_SHARED = frozenset(
    {"our", "their", "bought", "ordered", "viewed", "purchased", "liked", "loved", "read"}
    | {"watched", "tried", "chose", "picked", "got"}
)
SHARED_REACH = 5  # "who have also", "who, like you,"
NOT_HOLDERS = frozenset({"so", "now", "such", "than", "given", "except", "provided", "in"})
