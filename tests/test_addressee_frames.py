"""The frames of creepcheck.text.frames and how `attribute` reads them (CC201 grammar)."""

from __future__ import annotations

from functools import cache

import pytest

from creepcheck.policy.model import Policy
from creepcheck.text import TextAnalyzer, frames, groups, speech
from creepcheck.text.attribution import attribute
from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import FRAME_GROUPS, Grammar
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.pipeline import tokenize


@cache
def _analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={"divorce": {"en": ("divorce",)}}))


def _setup(text: str) -> tuple[tuple[Token, ...], Lexicon, Grammar]:
    analyzer = _analyzer()
    lexicon = analyzer.lexicon("en")
    tokens = tuple(tokenize(text, "en", analyzer._tokenizers))
    return tokens, lexicon, Grammar.of(lexicon)


def _match(tokens: tuple[Token, ...], lexicon: Lexicon, term: str) -> RawMatch:
    # The knowledge base may hold a longer phrase around the term ("going through a
    # divorce"): the longest match wins, so look for the term's words inside it.
    words = term.lstrip("=")
    found = [
        m
        for m in lexicon.match(tokens)
        if term == m.entry.term or f" {words} " in f" {_said(tokens, m)} "
    ]
    assert found, f"{term!r} not matched in {[t.text for t in tokens]}"
    return found[0]


def _said(tokens: tuple[Token, ...], match: RawMatch) -> str:
    """The matched words as written, lower case ("parents-to-be")."""
    said = tokens[match.first].lower
    for before, token in zip(
        tokens[match.first : match.last - 1], tokens[match.first + 1 : match.last], strict=True
    ):
        said += (" " if token.start > before.end else "") + token.lower
    return said


def reading(text: str, term: str) -> str | None:
    tokens, lexicon, grammar = _setup(text)
    return attribute(tokens, _match(tokens, lexicon, term), lexicon, grammar, frozenset())


def test_every_frame_group_is_in_the_english_lexicon() -> None:
    _, lexicon, grammar = _setup("x")
    for group in FRAME_GROUPS:
        assert getattr(grammar, group), f"cues.{group} is empty in en.yaml"
    for group in ("in_your_life", "vocative", "like_you", "greeting"):
        assert lexicon.cue_index.get(group), group


def test_a_language_without_the_groups_reads_no_frame() -> None:
    grammar = Grammar.of(_analyzer().lexicon("ru"))
    assert grammar.fellow == frozenset()


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("Struggling with debt?", "debt", "question"),
        ("Behind on payments?", "behind on payments", "question"),
        ("Going through a divorce?", "divorce", "question"),
        ("Still getting those hot flushes at night, Karen?", "hot flush", "question"),
        ("Managing your asthma this winter?", "asthma", "possessive"),
        ("Don't let your psoriasis hold you back.", "psoriasis", "possessive"),
        ("Catholic singles near you are waiting.", "catholic", "as"),
        ("For Muslims like you: our Eid boxes.", "muslim", "as"),
        ("Fellow veterans of chemo, this one's for you.", "chemo", "as"),
        ("Dear fellow union members, welcome.", "union members", "as"),
        ("Calling all expectant dads: class is Saturday.", "expectant", "as"),
        ("Diabetics save 15% this week.", "diabetic", "as"),
        ("For our customers with long-term conditions.", "long-term condition", "as"),
        ("To our widowed customers: lunch is on us.", "widowed", "as"),
        ("Join other people living with epilepsy.", "epilepsy", "as"),
        ("Rebuild your credit after bankruptcy.", "bankruptcy", "presupposed"),
        ("Don't let being unemployed stop you.", "unemployed", "presupposed"),
        ("Reconnect with your Polish heritage.", "polish", "possessive"),
        ("Happy Diwali to you and your family!", "diwali", "congratulation"),
        ("Payday loans for people with bad credit, picked for you.", "bad credit", "presupposed"),
        ("We've added kosher wines to your basket.", "kosher", "presupposed"),
        ("We know money has been tight lately.", "money has been tight", "presupposed"),
        ("Put your feet up, mama.", "mama", "as"),
        ("Mama, you deserve a rest.", "mama", "as"),
        ("Celebrate one year cancer-free with us.", "cancer-free", "presupposed"),
        ("Now that the papers are signed, treat yourself.", "papers are signed", "presupposed"),
        ("Since the diagnosis, take it one day at a time.", "diagnosis", "presupposed"),
        ("See you at Mass on Sunday?", "at mass", "subject"),
        ("See you at the union meeting.", "union meeting", "subject"),
        ("Thanks for standing with us at the rally.", "at the rally", "subject"),
        ("Giving up chocolate again this Lent?", "this lent", "question"),
        ("Since your stay with us in the cardiac unit, rest up.", "cardiac unit", "possessive"),
        ("Need help writing the eulogy for your dad?", "writing the eulogy", "possessive"),
        ("Still adjusting to the hearing aids?", "hearing aids", "question"),
        ("We wondered how the IVF is going.", "ivf", "presupposed"),
        ("After the redundancy, Tom, we've paused your fees.", "redundancy", "presupposed"),
    ],
)
def test_the_reader_is_read(text: str, term: str, expected: str) -> None:
    assert reading(text, term) == expected


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Looking after a parent with dementia?", "dementia"),
        ("Caring for someone after a hospital stay?", "hospital stay"),
        ("Help a loved one through chemo.", "chemo"),
        ("Do you know the signs of diabetes?", "diabetes"),
        ("If you're in a union, ask your rep.", "union"),
        ("Whether you're expecting this spring or not, our boxes fit.", "=expecting"),
        ("If you or someone you know lives with diabetes, read on.", "diabetes"),
        ("For the parents-to-be in your life: gift cards.", "parents-to-be"),
        ("Our charity partner supports families living with epilepsy.", "epilepsy"),
        ("Our bereavement team is here for every customer.", "bereavement"),
        ("Our kosher range is back.", "kosher"),
        ("Diabetes awareness week starts Monday.", "diabetes"),
        ("Happy Diwali from all of us!", "diwali"),
        ("Your Chinese takeaway is on its way.", "chinese"),
        ("Kosher wines for the holidays, 20% off for you.", "kosher"),
        ("We know Ramadan is a busy time for many of our customers.", "ramadan"),
        ("Since your trip to Porto, we've added Portuguese wines you might like.", "portuguese"),
        ("Shop now: jeans, tops, maternity.", "maternity"),
        ("Our maternity range, mama-approved.", "mama"),
        ("Celebrate two years of our bakery, sober or not.", "sober"),
        ("Join us at the rally on Saturday.", "at the rally"),
        ("Writing the eulogy for a friend? Our guide helps.", "writing the eulogy"),
        ("Hang in there: our chemo fundraiser closes Friday.", "chemo"),
        ("Stay strong this winter: our diabetes range is 10% off for everyone.", "diabetes"),
        ("Getting used to the new store layout? Hearing aids are on aisle 3.", "hearing aids"),
        ("After the sale, Tom, we've restocked the diabetes range.", "diabetes"),
        ("Thanks for donating to the food bank.", "food bank"),
        ("Giving up chocolate for Lent is a tradition for many.", "lent"),
        ("The cardiac unit at St Mary's opens a new wing.", "cardiac unit"),
    ],
)
def test_look_alikes_are_not_read_as_the_reader(text: str, term: str) -> None:
    assert reading(text, term) is None


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("One year sober this month.", "sober", True),
        ("It's been six months since the funeral.", "funeral", True),
        ("Six months since the diagnosis.", "diagnosis", True),
        ("Our founder is two years sober today.", "sober", False),
        ("The film follows a family after the divorce.", "divorce", False),
        ("Three bounced direct debits this quarter.", "bounced direct debits", True),
    ],
)
def test_subjectless_sentences_name_no_one_else(text: str, term: str, expected: bool) -> None:
    tokens, lexicon, _ = _setup(text)
    assert speech.subjectless(tokens, _match(tokens, lexicon, term)) is expected


def test_hypothetical_stops_at_a_comma() -> None:
    tokens, lexicon, grammar = _setup("If you need us, your debt plan is ready.")
    match = _match(tokens, lexicon, "debt")
    assert not frames.hypothetical(tokens, match.first, grammar)
    assert frames.hypothetical(*_first_term("If you're in debt, call us.", "in debt"))


def _first_term(text: str, term: str) -> tuple[tuple[Token, ...], int, Grammar]:
    tokens, lexicon, grammar = _setup(text)
    return tokens, _match(tokens, lexicon, term).first, grammar


def test_third_party_leaves_the_readers_own_relation_to_the_possessive() -> None:
    tokens, lexicon, grammar = _setup("Since your son's passing, we have paused reminders.")
    match = _match(tokens, lexicon, "=passing")
    assert not frames.third_party(tokens, match, lexicon, grammar)
    tokens, lexicon, grammar = _setup("Caring for a friend with cancer?")
    assert frames.third_party(tokens, _match(tokens, lexicon, "cancer"), lexicon, grammar)


def test_group_address_needs_the_term_in_the_groups_phrase() -> None:
    tokens, lexicon, grammar = _setup("Fellow shoppers, our diabetes care range is in.")
    assert not groups.group_address(tokens, _match(tokens, lexicon, "diabetes"), lexicon, grammar)
    tokens, lexicon, grammar = _setup("Our staff are proud members of the retail union.")
    assert not groups.group_address(tokens, _match(tokens, lexicon, "union"), lexicon, grammar)


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("You or your family are struggling with debt.", "debt", "subject"),
        ("Your husband and you are going through a divorce.", "divorce", "subject"),
        # look-alikes: a third party coordinated without the reader, a hypothetical
        ("His brother and his wife are going through a divorce.", "divorce", None),
        ("If you or your family are struggling with debt, call us.", "debt", None),
    ],
)
def test_a_coordinated_subject_that_includes_the_reader(
    text: str, term: str, expected: str | None
) -> None:
    assert reading(text, term) == expected
