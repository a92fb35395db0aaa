"""The reader addressed as one of a group, without "you are": a vocative ("Fellow
veterans", "Dear fellow union members", "Calling all expectant dads"), the sender's own
customers named by the attribute ("our Jewish customers", "our customers with long-term
conditions", not "our customers send money home"), a group placed beside the reader
("Catholic singles near you", "Hindu families like yours", "Join other people living with
MS"), a group as the beneficiary of the offer ("Diabetics save 15%"), a group called out
before a "you" ("Curvy girls, this one's for you"), the sender and the reader in one group
("from one lesbian to another").

The cue words are the lexicon's `cues:` and grammar groups, so the frame is data per
language.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.frames import BACK, NP_GAP, phrase_break
from creepcheck.text.grammar import Grammar, has_word, second_person_possessive
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.shared_ground import compares_acts
from creepcheck.text.speech import first_word


def group_address(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """The reader is addressed as one of a group the term names (see the module doc)."""
    following = tokens[match.last] if match.last < len(tokens) else None
    describes_thing = following is not None and has_word(following, grammar.attributive)
    if not describes_thing and (
        _after_cue(tokens, match.first, grammar.fellow)
        or _after_phrase(tokens, match.first, lexicon.cues("vocative", tokens), grammar)
        or _other_people(tokens, match.first, grammar)
        or _other_of_group(tokens, match, grammar)
        or _beneficiary(tokens, match, grammar)
        or _called_out(tokens, match, grammar)
        or _title_of_name(tokens, match, lexicon, grammar)
        or _greeted_group(tokens, match, grammar)
    ):
        return True
    return (
        _our_clientele(tokens, match, grammar)
        or _beside_reader(tokens, match, lexicon)
        or _one_to_another(tokens, match, lexicon, grammar)
    )


def _after_cue(tokens: Sequence[Token], first: int, words: frozenset[str]) -> bool:
    """ "Fellow migraine warriors", "Dear fellow union members": the cue opens the
    noun phrase that holds the term."""
    for index in range(first - 1, max(-1, first - 1 - NP_GAP), -1):
        token = tokens[index]
        if has_word(token, words):
            return True
        if phrase_break(token) or "2per" in token.tags:
            return False
    return False


def _after_phrase(
    tokens: Sequence[Token], first: int, cues: Sequence[RawMatch], grammar: Grammar
) -> bool:
    """ "Calling all expectant dads": a vocative phrase right before the term's phrase, not
    a place after the group it calls ("all our volunteers at the food bank")."""
    return any(
        first - NP_GAP <= cue.last <= first
        and not any(
            phrase_break(t) or has_word(t, grammar.place_link) for t in tokens[cue.last : first]
        )
        for cue in cues
    )


def _other_people(tokens: Sequence[Token], first: int, grammar: Grammar) -> bool:
    """ "Join other people living with MS", "other parents who've been there": "other"
    before a group of people puts the reader in the group."""
    for index in range(first - 1, max(-1, first - 1 - BACK), -1):
        token = tokens[index]
        if phrase_break(token) or "2per" in token.tags:
            return False
        after_others = index > 0 and has_word(tokens[index - 1], grammar.others)
        if has_word(token, grammar.people) and after_others:
            return True
    return False


def _other_of_group(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """ "Meet other queer women", "other Muslim families near you", "other diabetics
    swear by it": "other" opens the noun phrase of a plural group the term names, so the
    reader is one of them. Not the sender's ("our other Muslim customers") nor a
    determiner's ("the other veterans")."""
    opener = next(
        (
            i
            for i in range(match.first - 1, max(-1, match.first - 1 - NP_GAP), -1)
            if has_word(tokens[i], grammar.others) or phrase_break(tokens[i])
        ),
        None,
    )
    if opener is None or not has_word(tokens[opener], grammar.others):
        return False
    before = tokens[opener - 1].lower if opener > 0 else ""
    if before in grammar.owner or before in {"the", "these", "those"}:
        return False
    head = tokens[match.last] if match.last < len(tokens) else tokens[match.last - 1]
    if not has_word(head, grammar.people):
        head = tokens[match.last - 1]
    plural = head.lower != head.lemma and head.is_alpha
    return plural and _names_people(head, match, grammar)


def _names_people(head: Token, match: RawMatch, grammar: Grammar) -> bool:
    """The group's head word names people: a grammar word ("mums"), an identity term,
    or a one-word term with a person's ending ("diabetics")."""
    return (
        has_word(head, grammar.people)
        or match.entry.kind == "identity"
        or (match.last - match.first == 1 and head.lemma.endswith(PERSON_ENDINGS))
    )


# what a one-word plural English term ends in when it names people: diabetics, Christians,
# Buddhists, amputees, veterans, Sikhs
PERSON_ENDINGS = ("ic", "ian", "ist", "ee", "an", "ite", "kh", "im", "ew", "du")


def _beneficiary(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """ "Diabetics save 15% ...", "Curvy girls get first dibs": a plural group opens the
    sentence as the one the offer is for."""
    start = first_word(tokens)
    if start != match.first or match.last >= len(tokens):
        return False
    end = match.last
    identity = match.entry.kind == "identity"
    if identity and has_word(tokens[end], grammar.people) and end + 1 < len(tokens):
        end += 1  # "Curvy girls get first dibs"
    head = tokens[end - 1]
    plural = head.lower.endswith("s") and head.lower != head.lemma
    people = _names_people(head, match, grammar) or head.lemma.endswith(PERSON_ENDINGS)
    return plural and people and has_word(tokens[end], grammar.offer_verb)


def _called_out(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """ "Curvy girls, this one's for you", "Hey new mums, your bundle is here": a group of
    people opens the sentence, set off by a comma, and what follows speaks to the reader,
    or names them ("Recently divorced dads setting up a second home, Greg: ...")."""
    start = first_word(tokens)
    if start is None or not 0 <= match.first - start <= NP_GAP:
        return False
    if any(phrase_break(t) for t in tokens[start : match.first]):
        return False
    for index in range(match.last, min(len(tokens), match.last + GROUP_TAIL)):
        token = tokens[index]
        if token.lower == ",":
            head = tokens[index - 1] if index - match.last < NP_GAP else _term_head(tokens, match)
            if head is None:
                return False
            plural = head.lower != head.lemma and head.lower.endswith("s")
            person = has_word(head, grammar.people) or (
                head is tokens[match.last - 1] and _names_people(head, match, grammar)
            )
            spoken_to = any("2per" in t.tags for t in tokens[index + 1 :])
            return plural and person and (spoken_to or _named(tokens, index + 1))
        if phrase_break(token):
            return False
    return False


# how far after the term the comma of a called-out group may come: "divorced dads
# setting up a second home, Greg"
GROUP_TAIL = 8


def _term_head(tokens: Sequence[Token], match: RawMatch) -> Token | None:
    """The term's last word, when what follows it up to the comma describes it (a
    participle: "dads setting up a second home"); None when it is another noun phrase."""
    following = tokens[match.last]
    if following.lower.endswith("ing") and "VERB" in following.pos:
        return tokens[match.last - 1]
    return None


def _named(tokens: Sequence[Token], index: int) -> bool:
    """A capitalised name alone between the comma and the end of the call: "..., Greg:",
    "..., Dean -", "..., Kim?"."""
    if index >= len(tokens):
        return False
    name = tokens[index]
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        name.is_alpha
        and name.text[:1].isupper()
        and (after is None or after.lower in NAME_ENDS)
    )


NAME_ENDS = frozenset({":", "-", "–", "—", "?", "!", "."})


def _title_of_name(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """ "Comrade Ruth, your pin is back in stock", "Dear Comrade Ruth": the term is the
    title the reader is called by, right before their given name."""
    start = first_word(tokens)
    if start is not None and has_word(tokens[start], grammar.salutation):
        start += 1
    if start != match.first or match.last + 1 >= len(tokens):
        return False
    name, after = tokens[match.last], tokens[match.last + 1]
    return (
        name.is_alpha
        and name.text[:1].isupper()
        and name.lower in lexicon.given_names
        and after.lower in {",", ":", "!"}
    )


def _greeted_group(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The sentence opens by greeting a group the term names: as a letter's address ("To
    the Deaf members of our club: ...", "To customers rebuilding bad credit: ...") or with a
    hello ("Hey migraine crew"). Not an infinitive ("To beat diabetes, ...") nor a hello to
    the reader by name."""
    start = first_word(tokens)
    if start == match.first:  # "Blue Badge holders: ur parking is booked"
        return _group_heading(tokens, match, grammar)
    if start is None or not 0 < match.first - start <= GROUP_TAIL:
        return False
    opener = tokens[start]
    if has_word(opener, grammar.salutation):  # "Hey migraine crew", "Hey mama-to-be!"
        after = _placed_after(tokens, match.last, grammar)  # "Hey, wheelchair users in Bristol:"
        following = tokens[after] if after < len(tokens) else None
        return match.first - start <= 2 and (
            following is None
            or (after == match.last and has_word(following, grammar.crew))
            or following.lower in GREETING_ENDS
        )
    if _people_noun(opener, grammar):  # "Drivers on a debt management plan: ... your"
        return _headed_by_colon(tokens, match)
    if not has_word(opener, grammar.address_to):
        return False
    lead = tokens[start + 1]
    if lead.lower not in LETTER_DETERMINERS and not has_word(lead, grammar.clientele) and (
        lead is not tokens[match.first]
    ):
        return False  # "To book, call us"
    for index in range(start + 1, min(len(tokens), match.last + GROUP_TAIL)):
        token = tokens[index]
        if token.lower in ADDRESS_ENDS:
            named = tokens[start + 1 : index]
            people = any(
                has_word(t, grammar.people)
                or has_word(t, grammar.clientele)
                or has_word(t, grammar.crew)
                for t in named
            )
            return index >= match.last and (
                people or _names_people(tokens[match.last - 1], match, grammar)
            )
        if token.lower in {".", "!", "?"}:
            return False
    return False


def _placed_after(tokens: Sequence[Token], index: int, grammar: Grammar) -> int:
    """Past a place the greeted group is in, when one follows: "in Bristol", "near
    Leeds" (capitalised names only); `index` otherwise."""
    if index >= len(tokens) or not has_word(tokens[index], grammar.place_link):
        return index
    end = index + 1
    while end < len(tokens) and tokens[end].is_alpha and tokens[end].text[:1].isupper():
        end += 1
    return end if end > index + 1 else index


def _group_heading(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The term and the people it names head the sentence up to a colon, and what follows
    is the reader's: "Blue Badge holders: ur free airport parking is booked", "Roma
    families: your advice line is open". Not a thing the term names ("Roma tomatoes:")."""
    after = match.last
    if after < len(tokens) and _people_noun(tokens[after], grammar):
        after += 1
    elif not _names_people(tokens[match.last - 1], match, grammar):
        return False
    return (
        after < len(tokens)
        and tokens[after].lower == ":"
        and any(second_person_possessive(t) for t in tokens[after + 1 :])
    )


def _people_noun(token: Token, grammar: Grammar) -> bool:
    return has_word(token, grammar.people) or has_word(token, grammar.clientele)


def _headed_by_colon(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The group and the term head the sentence up to a colon, and what follows it speaks
    to the reader: "Drivers on a debt management plan: no credit check at your renewal"."""
    for index in range(match.last, min(len(tokens), match.last + COLON_TAIL)):
        if tokens[index].lower == ":":
            return any(t.second_person for t in tokens[index + 1 :])
        if tokens[index].is_punct and tokens[index].lower not in {"-", "'s"}:
            return False
    return False  # "Shoppers on the Polish high street:": the term names a place, not them


COLON_TAIL = 2  # "Members living with MS in Leeds:" is left to the model


LETTER_DETERMINERS = frozenset({"the", "all", "our", "every", "those", "my"})
# what ends a hello to the reader as one of a group: "Hey mama-to-be!", "Hi big guy,"
GREETING_ENDS = frozenset({"!", ",", ":"})

# what ends a letter's address: "To our queer community in Brighton – Alex, ..."
ADDRESS_ENDS = frozenset({":", ",", "-", "–", "—"})


def _our_clientele(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The sender's own customers named by the term: "our low-income customers", "our
    LGBTQ+ members' newsletter", "our customers with long-term conditions"."""
    # before: our [modifiers] TERM [modifiers] customers ("our union-loving, left-leaning
    # customers")
    for index in range(match.last, min(len(tokens), match.last + 2 * NP_GAP)):
        token = tokens[index]
        if has_word(token, grammar.clientele):
            return _sender_before(tokens, match.first)
        another_head = has_word(token, grammar.np_end)
        if (phrase_break(token) and token.lower not in {",", "-"}) or another_head:
            break  # "our bereavement team is here for every customer": another head
    # after: our customers (with | living with | who have | expecting) TERM, not their act:
    # "our customers send money home"
    for index in range(match.first - 1, max(-1, match.first - 1 - BACK), -1):
        token = tokens[index]
        if phrase_break(token) or "2per" in token.tags:
            return False
        if has_word(token, grammar.clientele):
            head = tokens[index + 1]
            acts = "VERB" in head.pos and not head.lower.endswith("ing")
            adjacent = index + 1 == match.first and not acts
            return (adjacent or has_word(head, grammar.clientele_link)) and _sender_before(
                tokens, index
            )
    return False


def _sender_before(tokens: Sequence[Token], index: int) -> bool:
    """ "our" (or "my") opens the phrase that ends at `index`."""
    for token in reversed(tokens[max(0, index - NP_GAP) : index]):
        if token.lower in {"our", "my"}:
            return True
        if phrase_break(token) and token.lower != ",":
            return False
    return False


def _one_to_another(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """ "From one (proud) lesbian to another": the sender and the reader are both in the
    group the term names."""
    opens = any(
        match.first - 2 <= cue.last <= match.first
        and not any(phrase_break(t) for t in tokens[cue.last : match.first])
        for cue in lexicon.cues("one_of_us", tokens)
    )
    person = not has_word(tokens[match.last - 1], grammar.attributive)  # "one lesbian bar"
    return (
        opens
        and person
        and any(cue.first == match.last for cue in lexicon.cues("to_another", tokens))
    )


def _beside_reader(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """ "Catholic singles near you", "Hindu families like yours", "people with
    diabetes, like you": the group is placed beside the reader."""
    for cue in lexicon.cues("like_you", tokens):
        if not match.last <= cue.first <= match.last + NP_GAP:
            continue
        between = tokens[match.last : cue.first]
        if all(not phrase_break(t) or t.lower == "," for t in between):
            return not compares_acts(tokens, cue.last)  # not "food like you cook"
    return False
