"""Couples: the reader's name beside a partner of the same sex.

"Happy anniversary to you and your husband, Daniel!", "Shopping for your wife's
birthday, Helen?", "Planning your wedding to Tom, Luke?" say nothing sensitive word by
word; together, the name the reader is addressed by and the partner the copy gives them
reveal a same-sex relationship (sexual_orientation). The reader's name is read where
copy addresses people by name: set off by a comma at either end of the sentence or
between punctuation inside it, or after a greeting word. Names and partner words are
data (`lexicons/names.<lang>.yaml`); a name that is not listed, or is given to either
sex, is never read as one sex.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from creepcheck.text.document import Token

CATEGORY = "sexual_orientation"
GREETINGS = frozenset({"hi", "hello", "hey", "dear", "congratulations", "congrats"})
SEXES = ("male", "female")
# Dashes are folded to "-" in `Token.lower`.
VOCATIVE_END = frozenset({",", ":", ";", "!", "?", ".", "-", "\u2014", "\u2013"})


@dataclass(frozen=True)
class Names:
    """A language's given names by sex, partner words by sex and romance words."""

    sex_of_name: Mapping[str, str]
    sex_of_partner: Mapping[str, str]
    romance: frozenset[str]
    given: frozenset[str] = frozenset()  # every listed given name, of either sex
    neutral_partners: frozenset[str] = frozenset()  # "partner", "spouse": no sex of their own
    sex_of_honorific: Mapping[str, str] | None = None  # "mr": male, "mrs": female
    sex_of_person: Mapping[str, str] | None = None  # "woman": female, "guys": male
    seeking: frozenset[str] = frozenset()  # "meet", "date": the reader looking for someone
    seeking_lead: frozenset[str] = frozenset()  # "hope", "look": before "to" and `seeking`
    dating: frozenset[str] = frozenset()  # "date": seeking right before the person
    attraction: frozenset[str] = frozenset()  # "love", "into", "look for": between two people
    meeting: frozenset[str] = frozenset()  # "match", "introduce": people put before the reader

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Names:
        names: dict[str, str] = {}
        for sex in SEXES:
            for name in data.get(sex) or ():
                key = str(name).lower()
                names[key] = "both" if names.get(key, sex) != sex else sex
        partners = {
            str(word).lower(): sex
            for sex in SEXES
            for word in (data.get("partners") or {}).get(sex) or ()
        }
        romance = frozenset(str(w).lower() for w in data.get("romance") or ())
        neutral = frozenset(str(w).lower() for w in data.get("neutral_partners") or ())
        honorifics = {
            str(word).lower(): sex
            for sex in SEXES
            for word in (data.get("honorifics") or {}).get(sex) or ()
        }
        people = {
            str(word).lower(): sex
            for sex in SEXES
            for word in (data.get("people") or {}).get(sex) or ()
        }
        return cls(
            {k: v for k, v in names.items() if v != "both"},
            partners,
            romance,
            frozenset(names),
            neutral,
            honorifics,
            people,
            *(frozenset(str(w).lower() for w in data.get(key) or ())
              for key in ("seeking", "seeking_lead", "dating", "attraction", "meeting")),
        )


@lru_cache(maxsize=4)
def builtin_names(language: str) -> Names | None:
    """The shipped names of a language, or None when it has none."""
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    path = folder.joinpath(f"names.{language}.yaml")
    if not path.is_file():
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Names.of(yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {})  # noqa: S506


def _name_sex(token: Token, names: Names) -> str | None:
    if not (token.is_alpha and token.text[:1].isupper()):
        return None
    return names.sex_of_name.get(token.lower)


def _titled_sex(tokens: Sequence[Token], index: int, names: Names) -> str | None:
    """The sex a title gives the capitalised name at `index`: "Mr Okafor", "Mrs. Shah"."""
    titles = names.sex_of_honorific or {}
    token = tokens[index]
    if not titles or not (token.is_alpha and token.text[:1].isupper()) or index < 1:
        return None
    before = index - 2 if tokens[index - 1].lower == "." and index >= 2 else index - 1
    return titles.get(tokens[before].lower)


def reader_name(tokens: Sequence[Token], names: Names) -> tuple[int, str] | None:
    """The index and sex of the name the sentence addresses the reader by (a given name,
    or a surname after a title: "Mr Okafor, you and your husband...")."""
    words = [i for i, t in enumerate(tokens) if not t.is_punct]
    if not words:
        return None
    last, first = words[-1], words[0]
    if tokens[first].lower in (names.sex_of_honorific or {}):
        dotted = first + 1 < len(tokens) and tokens[first + 1].lower == "."
        surname = first + 2 if dotted else first + 1
        after = surname + 1
        sex = _titled_sex(tokens, surname, names) if surname < len(tokens) else None
        if sex and after < len(tokens) and tokens[after].lower in {",", "!"}:
            return surname, sex
    if last > 1 and tokens[last - 1].lower != "," and tokens[last - 2].lower == ",":
        sex = _titled_sex(tokens, last, names)  # "...ready for you, Mr Okafor."
        if sex:
            return last, sex
    if last > 0 and tokens[last - 1].lower == ",":
        sex = _name_sex(tokens[last], names)
        if sex:
            return last, sex
    if first + 1 < len(tokens) and tokens[first + 1].lower in {",", "!"}:
        sex = _name_sex(tokens[first], names)
        if sex:
            return first, sex
    for index in words[:-1]:
        if tokens[index].lower in GREETINGS:
            sex = _name_sex(tokens[index + 1], names)
            if sex:
                return index + 1, sex
    for index in words[1:-1]:  # set off mid-sentence: "..., Hannah: two tickets"
        if tokens[index + 1].lower not in VOCATIVE_END:
            continue
        if tokens[index - 1].lower == ",":
            sex = _name_sex(tokens[index], names)
            if sex:
                return index, sex
        titled = _titled_sex(tokens, index, names)  # "..., Mr. Brennan, right beside ..."
        start = index - 2 if tokens[index - 1].lower == "." else index - 1
        if titled and start > 0 and tokens[start - 1].lower == ",":
            return index, titled
    return None


def same_sex_partners(tokens: Sequence[Token], names: Names) -> list[tuple[int, int]]:
    """Token spans [first, last) of partners of the reader's own sex."""
    reader = reader_name(tokens, names)
    if reader is None:
        return []
    at, sex = reader
    romantic = any(t.lower in names.romance or t.lemma in names.romance for t in tokens)
    found = partners_of_sex(tokens, names, sex)  # "your husband"
    for index, token in enumerate(tokens):
        if index == at:
            continue
        before = tokens[index - 1].lower if index > 0 else ""
        if index > 0 and token.lower in names.neutral_partners and "2per" in tokens[index - 1].tags:
            comma = index + 1 < len(tokens) and tokens[index + 1].lower == ","
            named = index + 2 if comma else index + 1
            if named < len(tokens) and named != at and _name_sex(tokens[named], names) == sex:
                found.append((index - 1, named + 1))  # "your partner, Ben," to Tom
            elif index >= 3 and tokens[index - 2].lower == "as" and index - 3 != at:
                named_at = _named_before(tokens, index - 3, names)
                if named_at is not None and named_at[1] == sex:
                    # "You've added Sophie as your spouse", "... Ms. Dana Whitley as ..."
                    found.append((named_at[0], index + 1))
        elif _name_sex(token, names) == sex and (
            (before in {"to", "with"} and romantic)
            or (before == "and" and index > 1 and "2per" in tokens[index - 2].tags)
        ):
            found.append((index, index + 1))  # "you and Robert", "your wedding to Tom"
        elif romantic and _sought(tokens, index, names, sex):
            found.append((index, index + 1))  # "hoping to meet a woman ..., Mia?"
    return sorted(found)


def _named_before(tokens: Sequence[Token], last: int, names: Names) -> tuple[int, str] | None:
    """Where the full name ending at `last` starts, and the sex its title or given name
    gives: "Sophie Whitley", "Ms. Dana Whitley", "Mr Okafor"."""
    if not (tokens[last].is_alpha and tokens[last].text[:1].isupper()):
        return None
    first = last
    while first > 0 and tokens[first - 1].is_alpha and tokens[first - 1].text[:1].isupper():
        first -= 1
    titled = _titled_sex(tokens, first, names)
    if titled:
        return (first - 2 if tokens[first - 1].lower == "." else first - 1), titled
    given = _name_sex(tokens[first], names)
    return (first, given) if given in SEXES else None


def _sought(tokens: Sequence[Token], index: int, names: Names, sex: str) -> bool:
    """A person of `sex` the reader looks for: "meet a woman", "the guy you're into"."""
    if (names.sex_of_person or {}).get(tokens[index].lower) != sex:
        return False
    for at in range(max(0, index - 3), index):
        word = tokens[at]
        if word.lemma in names.dating:
            return True  # "dating women", "date a guy"
        if word.lemma in names.seeking and at >= 2 and tokens[at - 1].lower == "to":
            return tokens[at - 2].lemma in names.seeking_lead
        if word.lower == "for" and at >= 1 and tokens[at - 1].lemma == "look":
            return True  # "Still looking for a guy who loves hill walks, Tom?"
    after = tokens[index + 1 : index + 4]
    return any(t.second_person for t in after) and any(t.lower == "into" for t in after)


def same_sex_attraction(tokens: Sequence[Token], names: Names) -> list[tuple[int, int]]:
    """Token spans [first, last) of people of one sex said to want people of their own
    sex: "men who love men", "women who, like you, are looking for women", "guys into
    guys". Not a thing of theirs ("women who love women's football")."""
    people = names.sex_of_person or {}
    found = []
    for first, token in enumerate(tokens):
        sex = people.get(token.lower)
        if sex is None:
            continue
        for last in range(first + 1, min(len(tokens), first + ATTRACTION_REACH)):
            word = tokens[last]
            if word.lower in CLAUSE_ENDS:
                break
            if word.lower not in people:
                continue
            following = tokens[last + 1].lower if last + 1 < len(tokens) else ""
            if (
                people[word.lower] == sex
                and following not in POSSESSIVE_OR_JOINED
                and _attracted(tokens[first + 1 : last], names)
            ):
                found.append((first, last + 1))
            break
    return found


def _attracted(between: Sequence[Token], names: Names) -> bool:
    pairs = {f"{a.lemma} {b.lower}" for a, b in zip(between, between[1:], strict=False)}
    return any(
        t.lower in names.attraction or t.lemma in names.attraction for t in between
    ) or bool(pairs & names.attraction)


def sought(tokens: Sequence[Token], first: int, names: Names) -> int | None:
    """Where the verb stands by which the reader is to meet or is looking for the people
    at `first`, said to them: "Want to meet more gay men near Leeds?", "Meet women who
    love women"; None when nobody is sought."""
    if not _to_reader(tokens) or tokens[first].lower in DEFINITE:
        return None
    for at in range(first - 1, max(-1, first - SEEKING_REACH), -1):
        word = tokens[at]
        if word.lower in CLAUSE_ENDS or word.lower in DEFINITE:
            return None  # "Meet the gay men who built our brand": these people, shown
        if word.lemma in names.seeking or word.lemma in names.dating:
            return at
        if word.lemma in names.meeting or word.lower in names.meeting:
            return at
        if word.lower == "for" and at >= 1 and tokens[at - 1].lemma in {"look", "search"}:
            return at - 1
    return None


def names_people(tokens: Sequence[Token], last: int, names: Names) -> bool:
    """The words ending at `last` name people, not what they describe: "gay men",
    "lesbians", "women who love women"; not "gay-friendly travel agents", "LGBTQ+
    venues", "gay bars"."""
    people = names.sex_of_person or {}
    following = tokens[last] if last < len(tokens) else None
    if tokens[last - 1].lower in people or (following is not None and following.lower in people):
        return True
    if following is not None and (
        following.lower in {"-", "friendly"} or (following.is_alpha and "NOUN" in following.pos)
    ):
        return False
    word = tokens[last - 1]  # a plural noun of people: "lesbians", "gays"
    return word.lower != word.lemma and word.lower.endswith("s")


def like_you_at(tokens: Sequence[Token], first: int, last: int) -> int | None:
    """Where "like you" stands among or right after the people: "women like you who love
    women", "women who, like you, are looking for women"."""
    for at in range(first, min(last + 1, len(tokens) - 1)):
        if tokens[at].lower == "like" and tokens[at + 1].lower == "you":
            return at
    return None


def _to_reader(tokens: Sequence[Token]) -> bool:
    """A sentence put to the reader: a "you", a question, or an imperative opening it."""
    words = [t for t in tokens if not t.is_punct]
    opening = words[0] if words else None
    return (
        any(t.second_person for t in tokens)
        or any(t.lower == "?" for t in tokens)
        or (opening is not None and "VERB" in opening.pos and opening.lower == opening.lemma)
    )


# how far apart the two people of an attraction may stand, and a seeking verb from them
ATTRACTION_REACH = 14
SEEKING_REACH = 5
CLAUSE_ENDS = frozenset({".", "!", "?", ";", ":", "(", ")", "\u2014", "\u2013"})
DEFINITE = frozenset({"the", "our", "these", "this", "those", "that"})
POSSESSIVE_OR_JOINED = frozenset({"'s", "'", "-", "\u2019s", "\u2019"})


def partners_of_sex(tokens: Sequence[Token], names: Names, sex: str) -> list[tuple[int, int]]:
    """Token spans [first, last) of "your <partner>" where the partner word is of `sex`
    ("your husband" for male): with the profile's own gender, a same-sex partner."""
    return [
        (index - 1, index + 1)
        for index, token in enumerate(tokens)
        if index > 0
        and names.sex_of_partner.get(token.lower) == sex
        and "2per" in tokens[index - 1].tags
    ]
