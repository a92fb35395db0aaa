"""Frames in which the sender's own words tie a term to the reader, with no "you are":
a selection made for the reader ("Car insurance for convicted drivers, priced for you",
"Chemo can leave skin sore, so we've picked a balm for you"), what the sender says it
knows ("We know things have been tight"), the reader called by the term or placed in it
by a leading phrase ("Rest up, mama", "Without a salary coming in, switch ..."), the
reader expected at it ("See you at Mass on Sunday?") and a milestone ("one year
cancer-free"). The cue words are the lexicon's `cues:` groups; see
creepcheck.text.frames for the frames of the second person.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import Grammar, has_word, second_person_possessive
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.service_change import changes_made
from creepcheck.text.speech import HARD


def picked_for_reader(tokens: Sequence[Token], lexicon: Lexicon) -> bool:
    """What the term names was chosen for the reader: "Car insurance for convicted
    drivers, priced for you", "Our Black-owned brands, picked for customers like you",
    "We've added halal options to your weekly box" (into the reader's order, not "since
    your trip, we've added Portuguese wines"). A selection made by a sensitive
    attribute tells the reader the sender holds it; "20% off for you" selects nothing."""
    if lexicon.cues("picked_for_reader", tokens) or _picked_then_for_you(tokens, lexicon):
        return True
    return any(
        second_person_possessive(tokens[index]) and tokens[index - 1].lower in {"to", "into", "in"}
        for cue in lexicon.cues("sender_added", tokens)
        for index in range(cue.last + 1, len(tokens))
    )


def adjusted_for_reader(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """Something of the reader's changed to fit what the term names, the change said
    before the term in its own clause: "We've tailored your haircare box for type 4
    coils", "Your delivery address is now the Elm Street halfway house", "We've
    rearranged your sessions so they no longer clash with midday prayers". The change
    tells the reader the sender holds the fact; a range changed for everyone ("We've
    moved our Pride range to the front") has no "your", and no one else may be named."""
    if any(has_word(t, grammar.third_party) for t in tokens):
        return False
    said = [(cue.first, cue.last) for cue in lexicon.cues("adjusted", tokens)]
    for first, last in said + changes_made(tokens, lexicon):
        if last > match.first:
            continue
        between = tokens[last : match.first]
        if any(t.lower in HARD for t in between):
            continue  # "Your order is now ready. Our Pride range ..."
        owner = tokens[max(0, first - 4) : match.first]
        after = tokens[match.last : match.last + 5]
        removed_from = any(  # "We've removed right-wing outlets from your news feed"
            after[k].lower == "from" and second_person_possessive(after[k + 1])
            for k in range(len(after) - 1)
        )
        if any(second_person_possessive(t) for t in owner) or removed_from:
            return True
    return False


def filtered_for_reader(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """The reader's own matches or search filtered by what the term names: "Every
    landlord in today's matches accepts unspent convictions, so your search just got
    easier", "We've put landlords who take housing benefit at the top of your matches"."""
    def same_clause(at: int) -> bool:
        low, high = sorted((at, match.first))
        return not any(t.is_punct and t.lower in HARD for t in tokens[low:high])

    if not any(same_clause(cue.first) for cue in lexicon.cues("reader_selection", tokens)):
        return False
    return any(
        cue.last <= match.first
        and match.first - cue.last <= 2
        and all(t.is_alpha for t in tokens[cue.last : match.first])
        for cue in lexicon.cues("accepting", tokens)
    )


def _picked_then_for_you(tokens: Sequence[Token], lexicon: Lexicon) -> bool:
    """ "we've picked a soothing balm for you": a chosen-for-you with the goods between,
    in one clause (the base form, "Pick a gift for you", is the reader's choice)."""
    picked = lexicon.words("picked_forms")
    for index, token in enumerate(tokens):
        if not has_word(token, picked):
            continue
        # words, not hyphens, count: "picked three boy-meets-boy romances for you"
        words = 0
        for later in range(index + 1, len(tokens) - 1):
            words += tokens[later].lower != "-"
            if words >= PICKED_REACH:
                break
            if tokens[later].is_punct and tokens[later].lower in HARD:
                break
            if tokens[later].lower == "for" and tokens[later + 1].lower in {"you", "yourself"}:
                return True
    return False


PICKED_REACH = 8


def known_to_sender(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """The sender says it knows or has noticed the state: "We know things have been tight
    since the bills went up", "We noticed you've switched to insulin-friendly snacks".
    The cue opens the clause that holds the term; a group named after the term ("for
    many of our customers", "for anyone grieving") makes it a general remark."""
    others = grammar.people | grammar.clientele | grammar.third_party
    for cue in lexicon.cues("known_to_sender", tokens):
        if cue.last > match.first or any(
            t.is_punct and t.lower in HARD for t in tokens[cue.last : match.first]
        ):
            continue
        return not any(has_word(t, others) for t in tokens[match.last :])
    return False


def set_off(
    tokens: Sequence[Token],
    match: RawMatch,
    greetings: frozenset[str] = frozenset(),
    people: frozenset[str] = frozenset(),
) -> str | None:
    """The term set off by a comma from a clause that speaks to the reader (a "you" or an
    imperative): "after" when it follows, as the reader is called ("Rest up, mama: your
    feet deserve it"), "before" when it leads, as the reader's own circumstance or name
    ("Without a salary coming in, switch to our basic plan", "Diabetics, this one's for
    you"): a leading phrase with no subject of its own has the main clause's. A list
    ("jeans, tops, maternity") has more than one comma and is neither. After a greeting
    ("Hey, mum-to-be!", "Hey, recent divorcee!"), the term is the one greeted: "after"
    (`_greeted`)."""
    start = match.first
    while start > 0 and not (tokens[start - 1].is_punct and tokens[start - 1].lower in HARD):
        start -= 1
    end = match.last
    while end < len(tokens) and not (tokens[end].is_punct and tokens[end].lower in HARD):
        end += 1
    # the term itself is what the reader is called ("Keep the faith, Remainer:"), not a name
    commas = [
        i
        for i in range(start, end)
        if tokens[i].lower == "," and (i + 1 == match.first or not _vocative(tokens, i))
    ]
    if not commas and start < match.first and tokens[start].lower in greetings:
        # no comma after the greeting: "Hey queer bookworm!", "Hey Latina queen!"
        return "after" if _greeted(tokens, match, start + 1, start, end, greetings) else None
    if len(commas) != 1:
        return None
    if _greeted(tokens, match, commas[0] + 1, start, end, greetings):
        return "after"
    if commas[0] == match.first - 1 and match.last == end:
        side, rest = "after", tokens[start : commas[0]]
    elif match.first == start and commas[0] in (
        match.last,
        _plural_head(tokens, match.last, people),  # "Big-bodied lifters, this one's for you"
    ):
        side, rest = "before", tokens[commas[0] + 1 : end]
    else:
        return None
    words = [t for t in rest if t.is_alpha]
    if side == "before" and _series(rest):
        return None  # "Ethiopian, Peruvian and Georgian kitchens deliver to your area"
    imperative = bool(words) and "VERB" in words[0].pos and words[0].lower == words[0].lemma
    if len(words) == 1 and "NOUN" in words[0].pos:
        imperative = False  # a list's item ("chair: ash, black"), not "Relax, mama"
    return side if imperative or any("2per" in t.tags for t in rest) else None


def _greeted(
    tokens: Sequence[Token],
    match: RawMatch,
    greeted: int,
    start: int,
    end: int,
    greetings: frozenset[str],
) -> bool:
    """The term is the one a greeting calls, with a word or two beside it: "Hey, recent
    divorcee!", "Hello, grieving mum 💐 our candles are here for you", "Hey queer
    bookworm!"; the greeted phrase starts at `greeted` and ends at punctuation or an
    emoji."""
    before = [t for t in tokens[start:greeted] if t.is_alpha]
    if not before or not all(t.lower in greetings for t in before):
        return False
    between = tokens[greeted : match.first]
    if len(between) > 2 or not all(t.is_alpha and "VERB" not in t.pos for t in between):
        return False
    after = 0
    for token in tokens[match.last : end]:
        if not token.is_alpha:
            break
        after += 1
    return after <= 1


def _series(rest: Sequence[Token]) -> bool:
    """The words after the comma go on a list the term began: "Peruvian and Georgian"."""
    return (
        len(rest) >= 3
        and rest[0].is_alpha
        and rest[0].text[:1].isupper()
        and any(t.lower in {"and", "or", "&"} for t in rest[1:3])
    )


def _plural_head(tokens: Sequence[Token], after: int, people: frozenset[str]) -> int | None:
    """The index just past people the term describes ("lifters", "runners"), or None:
    not goods ("Diabetes snacks, made for you", "Maternity joggers, now in your size")."""
    if after >= len(tokens) or not has_word(tokens[after], people):
        return None
    return after + 1


def _vocative(tokens: Sequence[Token], comma: int) -> bool:
    """The comma only sets off a name the reader is called by: the one that closes it
    ("After the redundancy, Tom, we've paused your fees": the first comma still ends
    the leading phrase), or the one before it at the end of the clause ("Hang in there,
    Maya: ...")."""
    if comma >= 2 and tokens[comma - 2].lower == "," and _name(tokens[comma - 1]):
        return True
    if comma + 1 >= len(tokens) or not _name(tokens[comma + 1]):
        return False
    after = tokens[comma + 2] if comma + 2 < len(tokens) else None
    return after is None or (after.is_punct and after.lower in HARD)


def _name(token: Token) -> bool:
    return token.is_alpha and token.text[:1].isupper()


def expects_reader(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """The sender expects to meet the reader at what the term names: "See you at Mass on
    Sunday?", "Catch you at the meeting". Only "at", "in", "after" or "before" (and "the")
    may come between: "see you at our Pride party" is the sender's event."""
    place = {cue.last: cue.first for cue in lexicon.cues("expects_place", tokens)}
    for cue in lexicon.cues("expects_reader", tokens):
        if cue.last == match.first or place.get(match.first) == cue.last:
            return True
    return False


def milestone(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """A span of time before the state makes it a milestone of someone's: "one year
    cancer-free", "six months smoke-free", "90 days sober"."""
    if match.first < 2 or not has_word(tokens[match.first - 1], lexicon.words("milestone")):
        return False
    count = tokens[match.first - 2]
    return count.lower.isdigit() or has_word(count, lexicon.words("count"))


def ancestry_share(tokens: Sequence[Token], match: RawMatch) -> bool:
    """An ethnic group given a share, as an ancestry result reads: "38% Scandinavian",
    "Nigerian (62%)", "Irish: 12 %". Not a share of a group ("62% of Nigerians") or a
    price ("Nigerian dishes, 20% off")."""
    if match.entry.category != "ethnicity":
        return False
    before = [t.lower for t in tokens[max(0, match.first - 2) : match.first]]
    after = [t.lower for t in tokens[match.last : match.last + 4] if t.lower not in SET_OFF]
    share_before = len(before) == 2 and _number(before[0]) and before[1] == "%"
    share_after = len(after) >= 2 and _number(after[0]) and after[1] == "%"
    return (share_before or share_after) and "off" not in after[2:3]


# What may stand between a group and its share: "Nigerian (62%)", "Irish: 12 %".
SET_OFF = frozenset({"(", ":", "-", "–"})


def _number(word: str) -> bool:
    return word.replace(".", "", 1).replace(",", "", 1).isdigit()
