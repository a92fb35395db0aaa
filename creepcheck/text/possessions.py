"""What the copy says of the reader's own things: a predicate of something that is
theirs ("Your account is 45 days past due", "Your instalment bounced") and the reader's
own dealings with what a term names ("your appointment with the probation service",
"your $250 donation to the Libertarian Party"). `creepcheck.text.addressee` asks these
after the possessive reading of the term itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import RawMatch, Token
from creepcheck.text.frames import phrase_break
from creepcheck.text.grammar import Grammar, has_word
from creepcheck.text.grammar import second_person_possessive as _your
from creepcheck.text.lexicon import Lexicon

COPULA = frozenset({"is", "are", "was", "were", "'s", "been", "be", "now", "still", "currently"})
PREDICATE_FILL = frozenset(
    {
        "now",
        "still",
        "currently",
        "already",
        "officially",
        "in",
        "on",
        "days",
        "weeks",
        "months",
        "over",
        "more",
        "than",
        "%",
        # "Your app account is now marked coeliac", "your profile is set to halal"
        "marked",
        "flagged",
        "listed",
        "set",
        "noted",
        "recorded",
        "as",
        "to",
    }
)


def _your_subject_did(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon | None
) -> bool:
    """The term is what something of the reader's did: "Your third Pay-in-4 instalment
    bounced again", "your last two direct debits bounced" (a verb in the past right after
    the noun phrase that opens with "your")."""
    verb = tokens[match.first]
    if "VERB" not in verb.pos or not verb.lower.endswith("ed") or match.first == 0:
        return False
    owed = {cue.first for cue in lexicon.cues("dealing_payment", tokens)} if lexicon else set()
    for back in range(match.first - 1, max(-1, match.first - 7), -1):
        token = tokens[back]
        if _your(token):
            opens = back == 0 or phrase_break(tokens[back - 1])
            return opens and any(back < i < match.first for i in owed)
        if token.lower != "-" and not token.lower.replace("-", "").isalnum():
            return False
    return False


def your_predicate(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon | None = None
) -> bool:
    """The term is said of something of the reader's: "Your account is 45 days past due",
    "Your balance of $1,240.00 is now overdue", "Your loan is in arrears", "Your
    instalment bounced"."""
    index = match.first - 1
    fill = 0
    while (
        index >= 0
        and fill < 4
        and (
            tokens[index].lower in PREDICATE_FILL
            or tokens[index].lower in {"$", "£", "€"}
            or tokens[index].lower.replace(",", "").replace(".", "").isdigit()
        )
    ):
        index -= 1
        fill += 1
    copula = 0
    while index >= 0 and tokens[index].lower in COPULA | {"has", "have", "'ve"}:
        copula += int(tokens[index].lower in COPULA)
        index -= 1
    if not copula:
        return _your_subject_did(tokens, match, lexicon)
    for back in range(index, max(-1, index - 6), -1):
        token = tokens[back]
        if _your(token):
            return True
        if phrase_break(token) and token.lower not in {",", ".", "$", "£", "€"}:
            return False
    return False


def your_dealings(
    tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """The term names what the reader's own dealings are with: "your appointment with
    the probation service", "your ticket for the Lourdes pilgrimage", "your $250
    donation to the Libertarian Party". A gift counts only where it shows an allegiance
    (`gift_reveals`): "your donation to the food bank" is charity, not hardship; a
    payment only where it shows a debt or an allegiance (`payment_reveals`): "your
    payment to StepChange Debt Charity", "your payment to the union"."""
    index = match.first - 1
    while index > 0 and (
        tokens[index].lower in DEALING_FILL
        or tokens[index].is_alpha
        and tokens[index].text[:1].isupper()  # "at Westfield"
    ):
        index -= 1
    if index < 1 or not has_word(tokens[index], grammar.dealing_link):
        return False
    if index >= 3 and [t.lower for t in tokens[index - 2 : index]] == ["with", "us"]:
        index -= 2  # "your stay with us in the cardiac unit": the sender's part in it
    record = tokens[index - 1]
    if has_word(record, grammar.dealing_gift):
        if match.entry.category not in lexicon.phrases("gift_reveals"):
            return False
    elif has_word(record, grammar.dealing_payment):
        if match.entry.category not in lexicon.phrases("payment_reveals"):
            return False  # "your payment to the debt charity"; a hospice fee is not a state
    elif not has_word(record, grammar.dealing):
        return False
    for back in range(index - 2, max(-1, index - 6), -1):
        token = tokens[back]
        if _your(token):
            return True
        if phrase_break(token) and token.lower not in {"$", "£", "€", "-"}:
            return False
        if "VERB" in token.pos and not token.pos & {"ADJ", "NOUN"} and not token.lower.endswith(
            "ly"
        ):
            return False  # "your coach seat": a noun that may be a verb still names the seat
    return False


# Between a dealing's preposition and its term: "with the", "at our", "for this year's".
DEALING_FILL = frozenset({"the", "a", "an", "our", "this", "next", "upcoming", "'s", "year"})
