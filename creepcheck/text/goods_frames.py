"""How goods are tied to the reader: what a reader with a state needs or uses, picked
for them ("We thought you might need these: prenatal vitamins", "Because you use a
wheelchair, ..."), or asked about as something they are getting used to ("Still
adjusting to the hearing aids?"). Goods on their own are a range for anyone."""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import Grammar, has_word
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.speech import first_word


def needed_by_reader(
    tokens: Sequence[Token],
    match: RawMatch,
    lexicon: Lexicon,
    cues: frozenset[str],
    grammar: Grammar,
) -> bool:
    """Goods presented as what the reader needs or was picked for, anywhere in the
    sentence or in the lead-in of its list: "We thought you might need these: prenatal
    vitamins", "Picked for you: pregnancy tests". Only for the categories whose goods say
    a state (`needs_reveal`), and not where the sentence names someone else they may be
    for ("grab rails in your mum's room, as you requested")."""
    if not _revealing_and_unclaimed(tokens, match, lexicon, grammar):
        return False
    if "lead:for_your_needs" in cues:
        return True
    return any(
        cue.first == 0 or tokens[cue.first - 1].lower not in ASKED_OR_SUPPOSED
        for cue in lexicon.cues("for_your_needs", tokens)
    )


def arranged_for_reader(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """Goods the sender has already arranged for the reader (cue group `arranged`), in a
    sentence that says "you" or "your": "We've turned on audio description for every title
    on your profile", "An extension seatbelt is already clipped to your seat". Only for
    the categories whose goods say a state (`needs_reveal`); not a range announced to
    everyone ("We've added audio description to 200 titles")."""
    if not _revealing_and_unclaimed(tokens, match, lexicon, grammar):
        return False
    if not any(t.second_person for t in tokens):
        return False
    return bool(lexicon.cues("arranged", tokens))


def _revealing_and_unclaimed(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """Goods of a category whose goods say a state (`needs_reveal`), in a sentence that
    names no one else they may be for ("wheelchair assistance for your colleague's
    trip")."""
    return match.entry.category in lexicon.phrases("needs_reveal") and not any(
        has_word(t, grammar.third_party) for t in tokens
    )


def resupplied(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, cues: frozenset[str]
) -> bool:
    """A medicine or a revealing good after words saying the reader's supply is due or
    running out, in the sentence or in the lead-in of its list: "Time to reorder:
    Sertraline 50 mg", "Running low on your inhaler?"."""
    if match.entry.kind == "term" and match.entry.term not in lexicon.treatments:
        return False  # a condition is not a supply; a treatment is
    if match.entry.kind == "goods" and match.entry.category not in lexicon.phrases("needs_reveal"):
        return False
    if "lead:resupply" in cues:
        return True
    if any(t.second_person for t in tokens) and any(
        cue.first == match.last for cue in lexicon.cues("resupply_after", tokens)
    ):
        return True  # "Your co-pay for the Adderall refill is $15"
    first = first_word(tokens) or 0
    cues_before = [
        cue
        for group in ("resupply", "resupply_first")
        for cue in lexicon.cues(group, tokens)
        if group == "resupply" or cue.first == first
    ]
    return any(
        cue.last <= match.first
        and (
            all(t.lower in LEAD_IN for t in tokens[cue.last : match.first])
            or _heads_list(tokens, cue.last, match.first)
        )
        for cue in cues_before
    )


def _heads_list(tokens: Sequence[Token], after_cue: int, item: int) -> bool:
    """The cue ends a lead-in inside the sentence and the item is in the list after its
    colon: "Time to restock, Owen: 100 test strips, lancets and glucose tabs". Between
    the cue and the colon only punctuation or the reader's name."""
    colon = next((i for i in range(after_cue, item) if tokens[i].lower == ":"), None)
    if colon is None:
        return False
    return all(
        not t.is_alpha or t.text[:1].isupper() or t.lower in LEAD_IN
        for t in tokens[after_cue:colon]
    )


# Between the cue and what is running out: "Time to reorder: X", "running low on your X".
LEAD_IN = frozenset({":", "-", "–", "—", "your", "more", "some"})


# Before "you need" / "you use", a question put to anyone or a supposition: "Do you use
# a hearing aid?", "Whether you use a stick or a wheelchair, ...".
ASKED_OR_SUPPOSED = frozenset(
    {"do", "does", "did", "can", "could", "will", "would", "if", "whether", "when"}
)


def adjusting_to(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """A question with no subject about getting used to what the term names: "Still
    adjusting to the hearing aids?", "Getting used to your new wheelchair?"."""
    if not any(t.lower == "?" for t in tokens[match.last :]):
        return False
    words = [i for i, t in enumerate(tokens) if t.is_alpha]
    while words and tokens[words[0]].lower in {"still", "now", "just", "finally"}:
        words.pop(0)
    for cue in lexicon.cues("adjusting", tokens):
        between = [t.lower for t in tokens[cue.last : match.first]]
        first = bool(words) and cue.first == words[0]
        if first and 0 < len(between) <= 2 and between[0] in KNOWN_TO_BOTH:
            return True
        if first and between[:2] == ["life", "with"] and len(between) <= 3:
            # "Adjusting to life with a cane?": life with it is the reader's, any article
            return all(w in KNOWN_TO_BOTH | ANY_ONE for w in between[2:])
    if words and tokens[words[0]].lower == "how" and _settling(tokens, match, lexicon):
        return True
    # "Using a wheelchair on holiday?", "Wearing hearing aids to the gig?": asked with no
    # subject, using the thing at all is the reader's, whichever article it takes.
    for cue in lexicon.cues("using", tokens):
        between = [t.lower for t in tokens[cue.last : match.first]]
        first = bool(words) and cue.first == words[0]
        if first and len(between) <= 2 and all(w in KNOWN_TO_BOTH | ANY_ONE for w in between):
            return True
    return False


ANY_ONE = frozenset({"a", "an", "new"})


def _settling(tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> bool:
    """ "How are the new hearing aids settling in?", "How's your walker working out?":
    asked after how what the reader already has is going."""
    opener = first_word(tokens)
    if opener is None or opener + 2 > match.first:
        return False
    be = tokens[opener + 1].lower
    between = [t.lower for t in tokens[opener + 2 : match.first]]
    if be not in {"are", "is", "'s", "'re"} or not between or between[0] not in KNOWN_TO_BOTH:
        return False
    if not all(w in KNOWN_TO_BOTH | ANY_ONE for w in between):
        return False
    return any(
        match.last <= cue.first <= match.last + 1 for cue in lexicon.cues("settling", tokens)
    )


# "the" or "your" hearing aids: ones the reader has, not any on sale.
KNOWN_TO_BOTH = frozenset({"the", "your", "those", "these"})
