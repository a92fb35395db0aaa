"""Whether a sentence says that something of the reader's was changed: "Bluefin Cruises has
changed your booking to a single cabin", "Your plan's been moved to our Essentials tier",
"Your GoldPlus card now pays your monthly dues", «Мы перенесли ваши занятия на вечер».

A change the sender made to the reader's own service, told to the reader, only makes
sense if the sender knows why it was made: where the trained model leans to a sensitive
category in the same window, that is enough (`category_model.ACCOMMODATED`), and a term
said after the change, of the reader's thing, is presumed the reader's
(`sender_frames.adjusted_for_reader`). The words are the lexicon's: `service_change`
(the verbs of a change) and `change_marker` (what makes the verb a change already made:
"has", "been", "now", «мы», «теперь»), with the adverbs of `change_filler` allowed
between. An offer to change ("Switch your plan today"), an intent ("we'd love to move
your ..."), a question ("Has your plan changed?") and the reader's own act ("you've
paid") are not a change made.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import Token
from creepcheck.text.grammar import has_word
from creepcheck.text.lexicon import Lexicon

REACH = 3  # marker words before the verb: "has now been moved"


def changed_for_reader(tokens: Sequence[Token], lexicon: Lexicon) -> bool:
    """A change made, in a statement with the reader in it."""
    if not tokens or tokens[-1].text == "?" or not any(t.second_person for t in tokens):
        return False
    return bool(changes_made(tokens, lexicon))


def changes_made(tokens: Sequence[Token], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Token spans [first, last) of the changes said as made: from the marker to the verb
    ("has been moved", "'ve quietly removed", "now pays")."""
    verbs, markers = lexicon.words("service_change"), lexicon.words("change_marker")
    fillers = lexicon.words("change_filler")
    found = []
    for index, token in enumerate(tokens):
        if not has_word(token, verbs) or (token.pos and "VERB" not in token.pos):
            continue
        first = None
        for at in range(index - 1, max(0, index - REACH) - 1, -1):
            if has_word(tokens[at], markers):
                first = at
            elif not has_word(tokens[at], fillers):
                break
        if first is not None and not _readers_own_act(tokens, first, index):
            found.append((first, index + 1))
    return found


def _readers_own_act(tokens: Sequence[Token], first: int, verb: int) -> bool:
    """ "You've paid", "you've moved house": the reader did it; "you've been moved" was
    done to them."""
    if first == 0 or tokens[first - 1].lower != "you":
        return False
    return not any(t.lemma == "be" for t in tokens[first:verb])
