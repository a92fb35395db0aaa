"""Who a sensitive word is about: the grammar that ties a term to the reader.

A sensitive word is only creepy when the copy says it of the person reading: "your
pregnancy", "you're expecting", "as a diabetic, you...", "Struggling with debt?",
"Beat debt for good", "Congratulations on...". It is not when it belongs to someone
else ("our pharmacist", "her pregnancy"), names a product or an audience ("our
maternity range", "diabetes care", "for expectant mums"), or follows something the
reader merely does ("you can shop our maternity range", "you subscribed to...").

There is no parser: the rules read a window of tokens around the term, with the
lexicon's cue words (owners, clause breaks, activity and coping verbs...) per language.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text import (
    episodic,
    frames,
    goods_frames,
    groups,
    holders,
    possessions,
    questions,
    sender_frames,
    shared_ground,
    speech,
)
from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import (
    AS,
    CONDOLENCE,
    CONGRATULATION,
    ENGLISH_COPULA_FILL,
    IMPERATIVE,
    POSSESSIVE,
    PRESUPPOSED,
    QUESTION,
    SUBJECT,
    Grammar,
    breaks_phrase,
    has_word,
    noun_phrase_owner,
    second_person_possessive,
)
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.roles import as_role, joined_by_reader, member_of_group
from creepcheck.text.speech import READER_NEARBY

WINDOW = 8


def _audience(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """ "for expectant mums", «для будущих мам»: the term names who a product is for, or
    what ("for a baby shower"). An event both sides know of ("for the custody hearing")
    is not an audience: the definite article presupposes it."""
    first = match.first
    if grammar.language != "ru" and match.entry.kind != "identity":
        head = tokens[match.last - 1]
        plural = head.lower != head.lemma and head.lower.endswith("s")
        if not plural and first > 0 and tokens[first - 1].lower == "the":
            return False
    for index in range(first - 1, max(-1, first - 4), -1):
        token = tokens[index]
        if has_word(token, grammar.audience):
            # "Filing for Chapter 7?": the reader's own act, not whom a product is for
            return index == 0 or not has_word(tokens[index - 1], grammar.undertaking)
        if breaks_phrase(token) or "2per" in token.tags:
            return False
    return False


def _subject_index(tokens: Sequence[Token], index: int, grammar: Grammar) -> bool:
    """Whether tokens[index] is a 2nd-person subject (not "for you", not "your")."""
    token = tokens[index]
    if "2per" not in token.tags or "POSS" in token.tags:
        return False
    if grammar.language == "ru":
        if "VERB" in token.pos and "impr" not in token.tags:
            return True  # «ждёте», «можете»
        if "nomn" in token.tags:
            return True  # «вы», «ты»
        return index > 0 and tokens[index - 1].lower == "у"  # «у вас диабет»
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is not None and (
        following.lower in {"'re", "are", "were", "'ve", "have", "had", "'d"}
        or "VERB" in following.pos
        and following.lower != following.lemma
        and following.lower.endswith("ed")
    ):
        return True  # "results show you're...", "we saw you marched": a finite verb's subject
    return index == 0 or not has_word(tokens[index - 1], grammar.object_marker)


def reader_subject(
    tokens: Sequence[Token], first: int, grammar: Grammar, copula_only: bool = False
) -> bool:
    """A 2nd-person subject shortly before the term, in the same clause."""
    for index in range(first - 1, max(-1, first - 1 - WINDOW), -1):
        token = tokens[index]
        if _subject_index(tokens, index, grammar):
            between = tokens[index + 1 : first]
            if copula_only:
                return len(between) <= 3 and all(
                    t.lower in ENGLISH_COPULA_FILL or t.lemma in {"быть", "являться"} or _share(t)
                    for t in between
                )
            return not any(has_word(t, grammar.activity) for t in (token, *between))
        if _coordinated_reader(tokens, index, grammar):
            continue  # "you and your partner are expecting": the reader is one subject
        if grammar.language != "ru" and _share(token):
            continue  # "you're 38% West African"
        if (
            breaks_phrase(token)
            or token.lower in grammar.owner
            or has_word(token, grammar.clause_break)
        ):
            return False
        if has_word(token, grammar.activity):
            return False
    return False


def _share(token: Token) -> bool:
    """A share of an identity: "you're 38% West African", "you're half Irish"."""
    return token.lower in SHARE_WORDS or token.lower.replace(".", "").isdigit()


SHARE_WORDS = frozenset({"%", "half", "quarter", "partly", "part", "mostly", "percent"})


def _coordinated_reader(tokens: Sequence[Token], index: int, grammar: Grammar) -> bool:
    """Whether tokens[index] joins a 2nd-person subject to another ("you or your family")."""
    if grammar.language == "ru" or index == 0 or tokens[index].lower not in {"and", "or"}:
        return False
    if not _subject_index(tokens, index - 1, grammar):
        return False
    # "If you or your family are ...": the coordination only supposes
    return index < 2 or not has_word(tokens[index - 2], grammar.hypothetical)


def _tally(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """A count of the term in a sentence that names no one else: a record's tally, said
    beside a sentence to the reader ("Three bounced direct debits this quarter.")."""
    if match.first < 1 or not speech.subjectless(tokens, match):
        return False
    if frames.elsewhere(tokens, match.last):
        return False  # "Five arrests at the stadium last night": a public event
    count = tokens[match.first - 1]
    return count.lower.isdigit() or (
        count.lower not in {"a", "an"} and has_word(count, lexicon.words("count"))
    )


def _imperative(
    tokens: Sequence[Token], match: RawMatch, grammar: Grammar, coping: Sequence[RawMatch]
) -> bool:
    start = speech.first_word(tokens)
    if start is not None and speech.leading_vocative(tokens):
        after = start + 2  # past "Ana,": "Ana, clear the rent arrears in one go"
        rest = speech.first_word(tokens[after:])
        start = None if rest is None else after + rest
    if start is None or start >= match.first:
        return False
    head = tokens[start]
    if grammar.language == "ru" and "impr" not in head.tags:
        return False
    return has_word(head, grammar.coping) or any(c.first == start for c in coping)


def _acquired_by_reader(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """ "The pregnancy test you ordered", "that hearing aid you asked about": a definite
    thing the relative clause right after it makes the reader's own."""
    before = tokens[match.first - 1].lower if match.first else ""
    if before not in {"the", "that", "those", "these"}:
        return False
    # the term may qualify the thing itself: "the bariatric bed you requested"
    following = tokens[match.last] if match.last < len(tokens) else None
    # not a cause the reader supports: "the diabetes walk you joined"
    cause = following is not None and following.lemma in CAUSE_EVENTS
    head = match.last + 1 if following is not None and _noun(following) and not cause else None
    return any(
        cue.first in {match.last, head} for cue in lexicon.cues("reader_acquired", tokens)
    )


# a term that ends on one of these is completed by what follows: "months behind on [your plan]"
OPEN_PREPOSITIONS = frozenset({"on", "with", "for", "about", "of"})

# an arrangement made for all is not the reader's: "Flu jabs are booked for every member"
EVERYONE = frozenset({"all", "every", "everyone", "everybody", "anyone", "anybody", "each"})

# events run for a cause: joining one says nothing of the reader's own state
CAUSE_EVENTS = frozenset(
    {"walk", "run", "race", "ride", "swim", "challenge", "appeal", "fundraiser", "campaign"}
)

# who a thing makes someone: "a hearing-aid wearer", "a wheelchair user"
USER_NOUNS = frozenset({"user", "wearer", "owner"})


def _yourself_after(tokens: Sequence[Token], match: RawMatch) -> bool:
    """ "yourself" closes the clause the term ends: the reader did or was it ("Having
    left the Witnesses yourself"); not an offer to do it ("Test for diabetes yourself")."""
    opener = speech.first_word(tokens)
    if opener is not None and speech.base_verb(tokens[opener]):
        return False
    for token in tokens[match.last : match.last + 2]:
        if token.lower == "yourself":
            return True
        if token.is_punct:
            return False
    return False


def describes_thing(tokens: Sequence[Token], match: RawMatch) -> bool:
    """An identity word that describes the noun after it: "the Caribbean carnival"."""
    following = tokens[match.last] if match.last < len(tokens) else None
    return following is not None and _noun(following)


def _says_you(tokens: Sequence[Token], match: RawMatch, grammar: Grammar) -> bool:
    """The phrase holds "you" as the subject of its own verb: "vote the way you do"."""
    return any(
        _subject_index(tokens, i, grammar) and i > match.first
        for i in range(match.first, match.last)
    )


def _addressed(tokens: Sequence[Token]) -> bool:
    return any("2per" in t.tags for t in tokens)


def _noun(token: Token) -> bool:
    return token.is_alpha and "NOUN" in token.pos


def _media_topic(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    return any(cue.first == match.last for cue in lexicon.cues("media_topic", tokens))


def attribute(
    tokens: Sequence[Token],
    match: RawMatch,
    lexicon: Lexicon,
    grammar: Grammar,
    cues: frozenset[str],
) -> str | None:
    """How the sentence ties this match to the reader, or None when it does not.

    `cues` are the cue groups present in this sentence or the one before it in the same
    block: "congratulation", "condolence". For Russian, creepcheck.text.russian adds its
    own constructions around this reading (`attribution.attribute` chooses).
    """
    kind = match.entry.kind
    nearby = READER_NEARBY in cues
    # The frames read cue groups only English declares so far (see creepcheck.text.frames).
    framed = grammar.language != "ru"
    # others said to share it with the reader are no third party to hold it instead
    if framed and kind in {"term", "identity"} and not (
        kind == "identity" and describes_thing(tokens, match)
    ):
        if shared_ground.likened_to_reader(tokens, match):
            return AS  # "For colleagues on the weight programme, like you: ..."
        if shared_ground.shared_with_reader(tokens, match):
            return PRESUPPOSED  # "new matches who also voted Remain"
    if framed and kind == "term" and _says_you(tokens, match, grammar):
        return SUBJECT  # "neighbours who vote the way you do": the phrase's own "you"
    if framed and (
        holders.held_elsewhere(tokens, match, grammar, lexicon)
        or frames.proportion(tokens, match.first)
    ):
        return None
    if framed and frames.for_readers_kin(tokens, match, lexicon, grammar):
        return POSSESSIVE  # "Need help writing the eulogy for your dad?"
    if kind in {"term", "identity"} and groups.group_address(tokens, match, lexicon, grammar):
        return AS  # "Fellow veterans", "our Jewish customers", "Catholic singles near you"
    if kind in {"term", "identity"} and member_of_group(tokens, match.first, match.last, grammar):
        return AS  # "As a member of our Type 2 support circle, you..."
    if kind in {"term", "identity"} and joined_by_reader(tokens, match, grammar):
        return SUBJECT  # "Now that you've joined the Communist Party"
    if framed and kind == "term" and frames.eligible(tokens, match, lexicon):
        return SUBJECT  # "approved for our hardship payment plan": the reader qualifies
    if (
        framed
        and kind in {"term", "identity"}
        and not (kind == "identity" and describes_thing(tokens, match))
        and possessions.your_dealings(tokens, match, lexicon, grammar)
    ):
        return POSSESSIVE  # "your appointment with the probation service"
    # The sender's "we" and "our" below are not someone else's: the sender chose or knows.
    if framed and kind != "cued" and sender_frames.known_to_sender(tokens, match, lexicon, grammar):
        return PRESUPPOSED  # "We know things have been tight since the bills went up"
    if framed and kind in {"term", "goods", "identity"} and (
        sender_frames.picked_for_reader(tokens, lexicon)
        or sender_frames.filtered_for_reader(tokens, match, lexicon)
    ):
        return PRESUPPOSED  # "Car insurance for convicted drivers, priced for you"
    # The change words are declared in both languages (text/service_change.py).
    if kind == "term" and sender_frames.adjusted_for_reader(tokens, match, lexicon, grammar):
        return PRESUPPOSED  # "Your delivery address is now the Elm Street halfway house"
    if framed and kind == "term" and sender_frames.expects_reader(tokens, match, lexicon):
        return SUBJECT  # "See you at Mass on Sunday?"
    side = (
        sender_frames.set_off(tokens, match, grammar.salutation, grammar.people)
        if framed and kind in {"term", "identity"}
        else None
    )
    if side == "after" or (side == "before" and kind == "identity"):
        return AS  # "Rest up, mama", "Diabetics, this one's for you"
    if side == "before":
        return PRESUPPOSED  # "Without a salary coming in, switch to our basic plan"
    owner = noun_phrase_owner(tokens, match.first, grammar)
    if any(second_person_possessive(t) for t in tokens[match.first : match.last]):
        owner = "reader"  # the phrase itself says "your": "behind on your payments"
    elif (
        match.last < len(tokens)
        and tokens[match.last - 1].lower in OPEN_PREPOSITIONS
        and second_person_possessive(tokens[match.last])
    ):
        owner = "reader"  # or ends on a preposition that "your" completes: "months behind on"
    if owner is None and framed and _acquired_by_reader(tokens, match, lexicon):
        owner = "reader"  # "the hearing aid you asked about"
    if framed and kind == "term" and shared_ground.known_to_both(tokens, match):
        return PRESUPPOSED  # "Those late-night feeds won't last forever"
    if owner == "other":
        # "As one of our longest-serving canvassers, you...": the sender's, and the reader's
        reader_role = framed and kind in {"term", "identity"}
        in_role = reader_role and as_role(tokens, match.first, grammar, _addressed(tokens))
        return AS if in_role else None
    if (
        framed
        and kind == "term"
        and any(_subject_index(tokens, i, grammar) for i in range(match.first, match.last))
    ):
        return SUBJECT  # the phrase says "you": "since you got out"
    if (
        framed
        and kind == "term"
        and not match.parts
        and any(t.second_person and "POSS" not in t.tags for t in tokens[match.first : match.last])
    ):
        return SUBJECT  # the phrase says "you" as its object: "the factory let you go"
    if owner == "reader" and kind == "identity" and frames.own_identity(tokens, match, grammar):
        return POSSESSIVE  # "your Irish roots"
    cue_groups = cues - {READER_NEARBY}
    if owner == "reader" and framed and _media_topic(tokens, match, lexicon):
        return None  # "your politics briefing": the topic of what the reader reads
    if owner == "reader" and kind != "identity" and not (kind == "cued" and not cue_groups):
        if kind != "goods" and "congratulation" in cues:
            return CONGRATULATION
        if kind != "goods" and "condolence" in cues:
            return CONDOLENCE
        return POSSESSIVE
    if kind in {"goods", "term"} and frames.greeted(tokens, match, lexicon):
        return CONGRATULATION  # "Happy Diwali to you and your family"
    qualifies = kind == "identity" and describes_thing(tokens, match)
    if framed and not qualifies and goods_frames.resupplied(tokens, match, lexicon, cues):
        return PRESUPPOSED  # "Time to reorder: Sertraline 50 mg" (not "Greek yogurt")
    if (
        framed
        and kind == "term"
        and not any(t.lower in EVERYONE for t in tokens)
        and goods_frames.arranged_for_reader(tokens, match, lexicon, grammar)
    ):
        return PRESUPPOSED  # "a sharps bin holder has been fitted in your new car"
    if kind == "goods":
        user = match.last < len(tokens) and tokens[match.last].lemma in USER_NOUNS
        if framed and user and as_role(tokens, match.first, grammar, _addressed(tokens)):
            return AS  # "As a hearing-aid wearer, you'll love ..."
        if framed and goods_frames.adjusting_to(tokens, match, lexicon):
            return QUESTION  # "Still adjusting to the hearing aids?"
        if framed and questions.own_thing_in_elided_question(tokens, match):
            return QUESTION  # "Hearing aids whistling again?"
        if framed and "encouragement" in cues:
            return PRESUPPOSED  # "Go easy on yourself during Ramadan, Aisha"
        # "We thought you might need these: prenatal vitamins"
        needed = framed and (
            goods_frames.needed_by_reader(tokens, match, lexicon, cues, grammar)
            or goods_frames.arranged_for_reader(tokens, match, lexicon, grammar)
        )
        return PRESUPPOSED if needed else None  # or already arranged for the reader
    if kind in {"cued", "term"} and questions.definite_in_elided_question(tokens, match, grammar):
        return QUESTION  # "Planning the funeral?": the event is known to both
    if framed and kind in {"cued", "term"} and questions.dated_event_question(tokens, match):
        return QUESTION  # "Chemo week?": the reader's own event, and when
    if kind == "cued":
        if "congratulation" in cues:
            return CONGRATULATION
        if "condolence" in cues:
            return CONDOLENCE
        return PRESUPPOSED if frames.presupposed(tokens, match, grammar, lexicon, nearby) else None
    addressed = _addressed(tokens)
    if as_role(tokens, match.first, grammar, addressed):
        return AS
    if framed and kind in {"term", "identity"} and frames.reason_about_reader(
        tokens, match, lexicon, grammar
    ):
        return PRESUPPOSED  # "Because your surname points to a Punjabi background, ..."
    if kind == "identity" and questions.bare_question(tokens, match, grammar):
        return QUESTION  # "Proud to be Irish?", "Newly single?"
    if kind == "identity":  # "you're Irish", or an ancestry result: "your results: Irish (62%)"
        share = addressed and sender_frames.ancestry_share(tokens, match)
        return SUBJECT if share or reader_subject(tokens, match.first, grammar, True) else None
    following = tokens[match.last] if match.last < len(tokens) else None
    if following is not None and has_word(following, grammar.attributive):
        return None  # "diabetes care": a product or a service
    if kind == "term" and frames.reader_act(tokens, match, lexicon):
        return SUBJECT  # "Thanks for joining the walkout"
    if _audience(tokens, match, grammar) and not match.entry.presumed:
        return None  # "for expectant mums": an audience, even with "20% off for you"
    if grammar.language == "ru" and any(
        "2per" in t.tags and "VERB" in t.pos for t in tokens[match.first : match.last]
    ):
        return SUBJECT  # «ждёте малыша»
    if reader_subject(tokens, match.first, grammar) or _yourself_after(tokens, match):
        return SUBJECT  # "Having left the Jehovah's Witnesses yourself, ..."
    if framed and kind == "term" and shared_ground.held_against_reader(tokens, match):
        return SUBJECT  # "A county court judgment was registered against you in May"
    if framed and kind == "term" and shared_ground.gerund_of_reader(tokens, match, nearby):
        return PRESUPPOSED  # "Juggling which bill gets paid is exhausting, Dave"
    if kind == "term" and possessions.your_predicate(tokens, match, lexicon):
        return POSSESSIVE  # "Your account is 45 days past due"
    if frames.presupposed(tokens, match, grammar, lexicon, nearby):
        return PRESUPPOSED
    if framed and kind == "term" and nearby and _tally(tokens, match, lexicon):
        return PRESUPPOSED  # "Three bounced direct debits this quarter. Let's talk."
    if "congratulation" in cues:
        return CONGRATULATION
    if "condolence" in cues:
        return CONDOLENCE
    if "encouragement" in cues:
        return PRESUPPOSED  # "Hang in there, Maya: the first weeks of chemo are the hardest"
    if questions.question(tokens, match, grammar, addressed):
        return QUESTION
    if _imperative(tokens, match, grammar, lexicon.cues("coping", tokens)):
        return IMPERATIVE
    if (
        framed
        and kind == "term"
        and episodic.definite_event(
            tokens,
            match,
            lexicon,
            grammar,
            addressed
            or nearby
            or speech.imperative_clause(tokens)
            or speech.called_by_name(tokens),
        )
    ):
        return PRESUPPOSED  # "The morning sickness should ease soon, Sam"
    presumed = match.entry.presumed or sender_frames.milestone(tokens, match, lexicon)
    if framed and presumed and frames.said_to_reader(tokens, match, lexicon, grammar, nearby):
        return PRESUPPOSED  # "Only 4 kg to go!", "Celebrate one year cancer-free"
    return None
