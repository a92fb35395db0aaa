"""Frames beyond "you"/"your": whom a sentence is about, and what it takes for granted.

`creepcheck.text.addressee` ties a term to the reader through the second person. These
frames widen and narrow that reading, in general ways rather than per phrase (the reader
addressed as one of a group is `creepcheck.text.groups`):

- a presupposed event: the reader's life placed after or during it ("Rebuild your
  credit after bankruptcy", "Since the funeral, we've held your deliveries"), or named
  as over ("With the probate sorted, review your savings"), or the reader as the
  understood subject of "being ..." ("Don't let being out of work stop you");
- what cancels a reading: a third party who holds the term ("a parent with dementia",
  "someone after a hospital stay", "the parents-to-be in your life") and a hypothetical
  ("if you're in a union", "whether you're expecting guests").

The cue words are the lexicon's `cues:` groups, so the frames are data per language; a
language without a group simply does not use that frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import COMPANION, Grammar, as_opener, has_word
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.speech import (
    base_verb,
    called_by_name,
    first_word,
    imperative_clause,
    subjectless,
    vocative,
)

BACK = 6  # how far back a holder or a conditional is looked for, in tokens
NP_GAP = 3  # modifiers allowed between a group cue and the term ("fellow laid-off engineers")


def phrase_break(token: Token) -> bool:
    """Punctuation that ends a phrase (not a hyphen or a possessive)."""
    return token.is_punct and token.lower not in {"-", "'s", "'"}


NUMBER_WORDS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty",
     "hundred", "thousand", "million", "half", "third", "quarter"}
)  # fmt: skip


def proportion(tokens: Sequence[Token], first: int) -> bool:
    """A statistic counts the term's holders: "one in four pregnancies", "1 in 3 adults
    with diabetes", "40% of divorces", "half of all carers": a population, not the reader."""
    before = tokens[max(0, first - 5) : first]

    def number(token: Token) -> bool:
        return token.lower in NUMBER_WORDS or token.lower.replace(",", "").isdigit()

    for index, token in enumerate(before[:-1]):
        after = before[index + 1]
        if number(token) and after.lower in {"in", "out"}:
            return True
        if token.lower == "%" or (number(token) and after.lower in {"percent", "per"}):
            return True
        if token.lower in {"half", "third", "quarter"} and after.lower == "of":
            return True
    return False


def _your(token: Token) -> bool:
    return "2per" in token.tags and "POSS" in token.tags


def _subject_you(token: Token) -> bool:
    return "2per" in token.tags and "POSS" not in token.tags


def hypothetical(
    tokens: Sequence[Token], first: int, grammar: Grammar, lexicon: Lexicon | None = None
) -> bool:
    """The term sits in a clause that only supposes: "If you're in a union, ...",
    "Whether you're expecting guests or ...", "If you or someone you know lives with ...",
    "Should you ever fall behind ...", "In case you lose your job ...", "No matter your
    faith, ...". Single-word openers are the grammar's; phrases come from the lexicon's
    `hypothetical` cue group."""
    # a definite term far into the clause is taken as there whatever is supposed ("in case
    # you'd like a bunch for the grave on Sunday"); an indefinite one is supposed with it
    definite = tokens[first].lower == "the" or (first > 0 and tokens[first - 1].lower == "the")
    reach = BACK if definite else SUPPOSED_REACH
    opened = -1
    if lexicon is not None:
        for cue in lexicon.cues("hypothetical", tokens):
            if first - reach <= cue.last <= first and cue.first > opened:
                opened = cue.first
    for index in range(first - 1, max(-1, first - 1 - reach), -1):
        token = tokens[index]
        if phrase_break(token):
            return False
        if index == opened or has_word(token, grammar.hypothetical):
            return True
    return False


# how far back in its clause the opener of a supposition may stand: "If you're ever
# helping settle a loved one's estate"
SUPPOSED_REACH = 9


def third_party(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """Someone else holds the term: "a parent with dementia", "someone after a hospital
    stay", "help a loved one through chemo", "the parents-to-be in your life".

    "your son's passing" is left to the possessive reading: a loss in the reader's own
    family is the reader's bereavement.
    """
    if _for_someone_after(tokens, match, grammar):
        return not for_readers_kin(tokens, match, lexicon, grammar)
    if _describes_someone(tokens, match, grammar):
        return True
    if _someone_after(tokens, match, grammar):  # "Expecting a grandchild this spring?"
        return match.entry.category not in lexicon.phrases("relation_reveals")
    for cue in lexicon.cues("in_your_life", tokens):
        if cue.first > 0 and tokens[cue.first - 1].lower in {"like", "as"}:
            continue  # "Nigerian mums like you love ...": the reader, not someone they know
        if cue.last < len(tokens) and tokens[cue.last].lower == "it":
            continue  # "before you know it": an idiom, not someone the reader knows
        if match.last <= cue.first <= match.last + 2 and not any(
            phrase_break(t) for t in tokens[match.last : cue.first]
        ):
            return True
    for index in range(match.first - 1, max(-1, match.first - 1 - BACK), -1):
        token = tokens[index]
        if phrase_break(token) or _your(token) or has_word(token, grammar.coordinator):
            return False
        if _subject_you(token) and tokens[index + 1].lower in {"'re", "are", "were"}:
            return False  # "telling your boss you're pregnant": the term is said of "you"
        if has_word(token, grammar.third_party):
            before = tokens[index - 1] if index > 0 else None
            if as_opener(tokens, index) is not None:
                return False  # "As someone who votes green, you...", "As a patient of ..."
            if before is not None and _your(before) and _with_reader(tokens, index - 1, grammar):
                return False  # "You and your wife are expecting": the reader is a subject
            # "your son's passing", "your dad would have been 80" are the reader's loss;
            # "your friend's divorce" is not
            if before is not None and _your(before):
                return match.entry.category not in lexicon.phrases("relation_reveals")
            return True
    return False


def _for_someone_after(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The term is for someone else, said after it: "a baby shower for a friend", "a
    get-well hamper for your mum", "blood-glucose strips for your father" (through the
    rest of the noun phrase the term opens)."""
    index = match.last
    while (
        index < min(len(tokens), match.last + 2)
        and tokens[index].is_alpha
        and "NOUN" in tokens[index].pos
        and tokens[index].lower != "for"
    ):
        index += 1
    if index >= len(tokens) or tokens[index].lower != "for":
        return False
    for token in tokens[index + 1 : index + 4]:
        if has_word(token, grammar.third_party):
            return True
        if token.lower not in {"a", "an", "the", "your", "my", "our", "their", "his", "her"}:
            return False
    return False


def _describes_someone(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The term describes someone the reader may know, not the reader: "Looking after a
    disabled relative?", "tips for an autistic child's first haircut", "anxiety in dogs"."""
    if match.first == 0 or match.last >= len(tokens):
        return False
    article = tokens[match.first - 1].lower in {"a", "an"}
    if article and match.first >= 2 and tokens[match.first - 2].lower == "as":
        return False  # "As a First Nations client, you...": the reader's role
    if article and has_word(tokens[match.last], grammar.third_party):
        return True
    # "Separation anxiety in dogs?", "ADHD in children": a condition as others have it
    beyond = tokens[match.last + 1] if match.last + 1 < len(tokens) else None
    return (
        tokens[match.last].lower == "in"
        and beyond is not None
        and beyond.lower != beyond.lemma
        and has_word(beyond, grammar.third_party)
    )


def _someone_after(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """Someone else right after the term, as its object: "Expecting a grandchild?",
    "expecting a new niece". A loss is the reader's own ("Grieving a parent?"), which
    the caller keeps."""
    after = tokens[match.last : match.last + 3]
    if not after or after[0].lower not in {"a", "an", "another"}:
        return False
    return any(has_word(t, grammar.third_party) for t in after[1:])


def for_readers_kin(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """A rite or a loss for the reader's own relation, where the relation's state is the
    reader's (`relation_reveals`): "writing the eulogy for your dad", "the ashes of your
    mother", as "your son's passing" is the reader's bereavement."""
    if match.entry.category not in lexicon.phrases("relation_reveals"):
        return False
    after = tokens[match.last : match.last + 4]
    if len(after) < 3 or after[0].lower not in {"for", "of"} or not _your(after[1]):
        return False
    return any(has_word(t, grammar.third_party) for t in after[2:])


def _with_reader(tokens: Sequence[Token], your: int, grammar: Grammar) -> bool:
    """Whether the "your" at `your` follows "you and" / "you or": "you and your wife"."""
    return (
        your >= 2
        and has_word(tokens[your - 1], grammar.coordinator)
        and "2per" in tokens[your - 2].tags
        and "POSS" not in tokens[your - 2].tags
    )


def presupposed(
    tokens: Sequence[Token],
    match: RawMatch,
    grammar: Grammar,
    lexicon: Lexicon | None = None,
    nearby: bool = False,
) -> bool:
    """The message speaks to the reader and takes the event for granted: the reader's
    life placed after or during it ("Rebuild your credit after bankruptcy", "Since the
    funeral, we've held your deliveries", "Now that the papers are signed, plan a
    weekend away"), or the reader as the one "being" it ("Don't let being out of work
    stop you"). The "you" may be in the sentence before or after (`nearby`): "Six months
    since the funeral. How are you holding up?"."""
    spoken = (
        any("2per" in t.tags for t in tokens)
        or (grammar.language != "ru" and imperative_clause(tokens))
        or (nearby and subjectless(tokens, match))
    )
    if not spoken or elsewhere(tokens, match.last):
        return False
    # "now that the papers are signed": a phrase that takes its clause as a fact
    factive = {cue.last - 1 for cue in lexicon.cues("factive", tokens)} if lexicon else set()
    for index in range(match.first - 1, max(-1, match.first - 1 - NP_GAP), -1):
        token = tokens[index]
        if has_word(token, grammar.since) and lexicon and _explains(tokens, index, lexicon):
            return False  # "we'll talk you through payment holidays": a topic, not a time
        if token.lower == "since" and _own_clause(tokens, match.last):
            return False  # "since loss never waits": because, with the term its subject
        if has_word(token, grammar.since) or has_word(token, grammar.being) or index in factive:
            return True
        if has_word(token, grammar.absolute) and _completed_after(tokens, match.last, grammar):
            return True
        if not has_word(token, grammar.determiner):
            return False
    return False


def _own_clause(tokens: Sequence[Token], after: int) -> bool:
    """The term is the subject of a verb right after it ("loss never waits", "debt
    doesn't wait"): the "since" before it gives a reason, not a time."""
    if after >= len(tokens):
        return False
    following = tokens[after]
    if following.lower in CLAUSE_OPENERS:
        return True
    return "VERB" in following.pos and "NOUN" not in following.pos and following.lower.endswith("s")


CLAUSE_OPENERS = frozenset(
    {"never", "always", "often", "rarely", "can", "can't", "cannot", "doesn't", "does"}
    | {"won't", "will", "isn't", "is", "has", "hasn't", "comes", "happens", "hits"}
)


def reason_about_reader(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """The term sits in an opening clause that gives the sender's reason as a fact about
    the reader (cue group `reason_opening`): "Because your surname points to a Punjabi
    background, Harpreet, ...", "Given the causes you support on the Second Amendment,
    ...". Not the thing a term describes ("because you gave to our cancer appeal")."""
    start = first_word(tokens)
    if start is None or not any(c.first == start for c in lexicon.cues("reason_opening", tokens)):
        return False
    end = next((i for i in range(start, len(tokens)) if phrase_break(tokens[i])), len(tokens))
    if match.last > end:
        return False
    following = tokens[match.last] if match.last < len(tokens) else None
    if following is not None and has_word(following, grammar.attributive):
        return False
    return any("2per" in t.tags for t in tokens[start:end])


def _explains(tokens: Sequence[Token], through: int, lexicon: Lexicon) -> bool:
    """ "through" after a verb of explaining (cue group `explaining`), maybe with its "you"
    between: "we'll talk you through payment holidays" names a topic, not a time."""
    if tokens[through].lower != "through":
        return False
    before = [t for t in tokens[max(0, through - 2) : through] if t.is_alpha]
    if before and before[-1].second_person:
        before = before[:-1]
    return bool(before) and before[-1].lemma in lexicon.words("explaining")


def _completed_after(tokens: Sequence[Token], after: int, grammar: Grammar) -> bool:
    """ "with the divorce (finally) behind you": the event named as over."""
    for token in tokens[after : after + 2]:
        if has_word(token, grammar.completed):
            return True
        if "ADV" not in token.pos:
            return False
    return False


def elsewhere(tokens: Sequence[Token], after: int) -> bool:
    """The event is placed at someone else's or made by others: "after the strike at the
    depot", "since the closure by the council". Such an event is public, not the reader's."""
    if after + 1 >= len(tokens) or tokens[after].lower not in {"at", "by"}:
        return False
    following = tokens[after + 1]
    return following.lower in {"the", "our", "a", "an"} or (
        following.is_alpha and following.text[:1].isupper()
    )


def undergoing(token: Token, grammar: Grammar) -> bool:
    """A verb that, asked of the reader, is a state rather than a purchase ("Still
    getting those hot flushes?")."""
    return has_word(token, grammar.undergo)


def own_identity(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """ "your Irish roots", "your conservative values": an identity word as the reader's
    own heritage or beliefs (not "your Chinese takeaway")."""
    following = tokens[match.last] if match.last < len(tokens) else None
    return following is not None and has_word(following, grammar.belonging)


def reader_act(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """The reader thanked for, or expected at, what the term names: "Thanks for joining
    the walkout", "Thank you for canvassing with us", "See you at Sunday Mass". Between
    the cue and the term only a verb in -ing and an article may stand, so "thanks for
    donating to the food bank" stays a donation."""
    for cue in lexicon.cues("reader_act", tokens):
        shared = cue.last == match.first + 1 and tokens[match.first].lower in SHARED_PREPOSITION
        if cue.last > match.first and not shared:
            continue  # "Good luck on the picket line": the cue's "on" opens the term
        between = [t.lower for t in tokens[cue.last : match.first]]
        if len(between) >= 3 and between[1] in COMPANION and between[2] == "us":
            # "Thanks for standing with us at the rally": the reader was there too
            between = [between[0], *between[3:]]
        if "'s" in between:  # "Thanks for hosting last Thursday's phone bank"
            between = [w for w in between if w not in WHEN_OWNED]
        if len(between) <= 2 and all(w in READER_ACT_FILL or w.endswith("ing") for w in between):
            return True
    return False


# a time that owns the event: "last Thursday's", "this weekend's", "yesterday's"
WHEN_OWNED = frozenset(
    {"'s", "last", "this", "yesterday", "today", "tonight", "week", "weekend", "month"}
    | {"night", "morning", "monday", "tuesday", "wednesday", "thursday", "friday"}
    | {"saturday", "sunday"}
)


READER_ACT_FILL = frozenset({"the", "a", "an", "this", "that", "our"})
SHARED_PREPOSITION = frozenset({"on", "at", "in", "with"})


def eligible(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """The reader found eligible for, or admitted to, what the term names: "You've been
    approved for our hardship payment plan", "Welcome to our new-parents club". Only
    articles and "our" may stand between."""
    return any(
        cue.last <= match.first
        and match.first - cue.last <= 2
        and all(
            t.lower in {"the", "a", "an", "our", "this"} for t in tokens[cue.last : match.first]
        )
        for cue in lexicon.cues("eligible", tokens)
    )


def greeted(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """A season's greeting to the reader on an observance: "Happy Diwali to you and your
    family", "Wishing you a blessed Eid", "Happy second trimester, Mia!" (the reader's
    name after a comma)."""
    salutation = lexicon.words("salutation")
    if not any("2per" in t.tags for t in tokens) and not vocative(tokens, salutation):
        return False
    return any(
        match.first - 2 <= cue.last <= match.first
        and not any(phrase_break(t) for t in tokens[cue.last : match.first])
        for cue in lexicon.cues("greeting", tokens)
    )


def _noun_led(tokens: Sequence[Token], match: RawMatch, opener: int) -> bool:
    """The sentence opens with the phrase itself, a noun before a number: "Size 28 jeans
    are back in stock" is no imperative."""
    following = tokens[opener + 1] if opener + 1 < len(tokens) else None
    return (
        opener == match.first
        and following is not None
        and following.lower.isdigit()
        and opener + 1 < match.last
    )


def said_to_reader(
    tokens: Sequence[Token],
    match: RawMatch,
    lexicon: Lexicon,
    grammar: Grammar,
    nearby: bool = False,
) -> bool:
    """A `presumed:` phrase ("4 kg to go", "two pink lines", "what would have been his
    birthday") in a sentence spoken to the reader: a "you", a question, an exclamation,
    an imperative or the reader's name set off by a comma. In a message to one person such a
    phrase can only be about that person, unless someone else is the clause's subject
    ("Our members have lost 4 kg", "She's down two dress sizes")."""
    first_person = lexicon.words("first_person")
    for index in range(match.first - 1, max(-1, match.first - 1 - BACK), -1):
        token = tokens[index]
        if phrase_break(token) or has_word(token, grammar.clause_break) or "2per" in token.tags:
            break
        if token.lower in grammar.owner and not has_word(token, first_person):
            return False  # "she's down two sizes"; "we've added a carer's ticket" is fine
        if token.lower == "those" and index + 1 < len(tokens) and people_after(tokens[index + 1]):
            return False  # "Support those living with dementia": other people
        if has_word(token, grammar.third_party):
            if index > 0 and _your(tokens[index - 1]):
                break  # "your late wife's": the reader's own relation
            return False
    if (nearby and subjectless(tokens, match)) or any(
        "2per" in t.tags or t.lower in {"?", "!"} for t in tokens
    ):
        return True
    opener = first_word(tokens)
    if opener is not None and base_verb(tokens[opener]) and not _noun_led(tokens, match, opener):
        return True  # an imperative: "Shift those last pounds"
    return vocative(tokens, grammar.salutation) or called_by_name(tokens)


def people_after(token: Token) -> bool:
    """ "those living with", "those who", "those with": "those" as people, not things."""
    return token.lower.endswith("ing") or token.lower in {"who", "with", "whose", "affected"}
