"""Terms the knowledge base found in copy but tied to nobody, not even to someone else:
"Grief comes in waves. Our support line is here for you". Such a term says which
category the copy is about; the trained model reads whose situation it is, at a lower
bar for that category (`category_model.TERMED`). Kept out: what cannot be anyone's state
or is someone else's (see `untied_categories`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from creepcheck.text.document import Reading, Sentence
from creepcheck.text.grammar import Grammar, has_word
from creepcheck.text.holders import as_role

if TYPE_CHECKING:
    from creepcheck.text import TermMatch

__all__ = ["untied_categories", "untied_terms"]

# how many words before goods may say they are the sender's: "our new organic jollof"
SENDER_REACH = 4
# someone else's pronouns besides the third-party words ("they" may be anyone: "the way
# they do back home")
OTHERS_PRONOUNS = frozenset({"them", "their", "theirs", "him", "his", "her", "hers"})


def untied_terms(terms: Iterable[TermMatch], grammar: Grammar) -> tuple[TermMatch, ...]:
    """The terms tied to nobody, not even to someone else, that can be anyone's state: not
    goods the sender sells ("our starter jollof basket"), an identity word that describes
    a kind of thing ("West African cooking"), a term before a noun that makes it a
    product, a service or a figure ("redundancy cover", "the divorce rate"), nor a
    heading's topic ("Weight loss made simple: ...")."""
    return tuple(
        t
        for t in terms
        if t.kind in ("term", "identity", "goods")
        and t.reader is None
        and not t.elsewhere
        and not t.qualifies
        and not (t.kind == "goods" and _sold_by_sender(t))
        and not _describes_service(t, grammar)
        and not _heading(t)
    )


def untied_categories(
    untied: Sequence[TermMatch], window: Sequence[Sentence], grammar: Grammar
) -> frozenset[str]:
    """The categories of the untied terms in these sentences, unless the window names
    someone else ("Know a union rep?", "Gift them one of our heritage tours")."""
    found = [t for t in untied if t.sentence in window]
    if not found or any(_others(sentence.reading, grammar) for sentence in window):
        return frozenset()
    return frozenset(t.category for t in found)


def _others(reading: Reading, grammar: Grammar) -> bool:
    """Someone else the copy speaks of: a third party's word (not the reader's role: "As
    someone recovering from ..., you"), or "them", "his", "her"."""
    tokens = reading.tokens
    return any(
        token.lower in OTHERS_PRONOUNS
        or (has_word(token, grammar.third_party) and not as_role(tokens, index))
        for index, token in enumerate(tokens)
    )


def _sold_by_sender(term: TermMatch) -> bool:
    """Goods in the sender's own noun phrase: "our starter jollof basket"."""
    tokens = term.sentence.reading.tokens
    offset = term.start - term.sentence.start
    before = [t for t in tokens if t.end <= offset][-SENDER_REACH:]
    return any(t.lower in ("our", "we", "we're", "we've") for t in before)


def _describes_service(term: TermMatch, grammar: Grammar) -> bool:
    """A noun after the term makes it a product, a service or a figure: "redundancy
    cover", "the divorce rate" (the knowledge base's `attributive` words)."""
    end = term.end - term.sentence.start
    following = next((t for t in term.sentence.reading.tokens if t.start >= end), None)
    return following is not None and has_word(following, grammar.attributive)


def _heading(term: TermMatch) -> bool:
    """The term is in a heading before a colon that does not speak to the reader: the topic
    of what follows ("Weight loss made simple: you'll love our new meal plans")."""
    sentence = term.sentence
    tokens = sentence.reading.tokens
    colon = next((t.start for t in tokens if t.lower == ":"), None)
    if colon is None or term.start - sentence.start >= colon:
        return False
    return not any("2per" in t.tags for t in tokens if t.start < colon)
