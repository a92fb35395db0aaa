from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from creepcheck.loaders.field_roles import consented_uses
from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Rule
from creepcheck.text import Analysis, Sentence, Token
from creepcheck.values import age_on, as_date

BIRTH_KEYS = ("birth_date", "date_of_birth", "birthdate", "dob", "birthday")
# Uses broad enough to cover any marketing copy built on the attribute.
BROAD_USES = frozenset(
    {
        "marketing",
        "personalisation",
        "personalization",
        "any",
        "all",
        "offers",
        "personalised_marketing",
        "personalized_marketing",
    }
)
COPY_USE_WORDS = (
    "marketing",
    "offer",
    "newsletter",
    "recommend",
    "personalis",
    "personaliz",
    "communication",
)
AGE_CHECK_WORDS = ("verif", "check", "gate", "confirm", "assur", "legal", "compliance")
GREETING_WORDS = frozenset({"happy", "счастливый"})
ORDINAL = re.compile(r"^(\d{1,3})(?:st|nd|rd|th|-?й|-?го|-?летие)?$")


class UnconsentedAttributeUse(Rule):
    """The copy uses a personal attribute for something the person did not agree to.

    What it flags:
        Copy built on an attribute outside its `consented_uses`: a birthday message,
        or an age revealed, from a birth date given only for an age check; any
        attribute with `consented_uses` rendered into copy whose use is not listed.

    Why it is creepy:
        People hand over a birth date to prove they are old enough, not to be wished
        a happy birthday by a shop; purpose limitation (GDPR Art. 5(1)(b)) says the same.

    Bad:
        Happy birthday, Jane!   with birth_date {consented_uses: [age_verification]}

    Better:
        Send birthday offers only to people whose birth date lists the `birthday` use.

    Options:
        None besides `severity`.

    Attributes without `consented_uses` are not judged (nothing was recorded to break),
    and neither is a profile without a birth date. The `birthday` use (or a broad one such
    as `marketing`) covers birthday copy; `age` covers copy that states the age.
    """

    code = "CC203"
    name = "unconsented-attribute-use"
    default_severity = Severity.WARNING
    scopes = ("message",)
    reads = ("attributes",)
    summary = "The copy uses an attribute outside the uses the person agreed to"

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        attributes = subject.profile.get("attributes")
        if not isinstance(attributes, Mapping):
            return
        analysis = subject.analysis
        purpose = subject.campaign.purpose
        breaches: list[Breach] = []
        birth_key = next((k for k in BIRTH_KEYS if k in attributes), None)
        if birth_key is not None:
            uses = consented_uses(attributes[birth_key])
            if uses is not None:
                birthday = birthday_sentences(analysis)
                if birthday and not _allows_birthday(uses, purpose):
                    breaches.append(Breach(birth_key, "birthday", uses, birthday))
                born = as_date(_value(attributes[birth_key]))
                age = age_on(born, subject.campaign.send_at.date()) if born else None
                ages = age_sentences(analysis, age) if age is not None else []
                if ages and not _allows_age(uses, purpose):
                    breaches.append(Breach(birth_key, "age", uses, ages))
        for value in subject.rendered.values:
            for name in _attribute_names(value.fields):
                uses = consented_uses(attributes.get(name))
                if uses is None or _allows_copy(uses, purpose, name):
                    continue
                if any(b.attribute == name and b.use == "copy" for b in breaches):
                    continue
                sentence = analysis.sentence_at(value.start)
                hits = [(sentence, value.start, value.end)]
                breaches.append(Breach(name, "copy", uses, hits))
        for breach in breaches:
            yield self._finding(subject, breach)

    def _finding(self, subject: MessageSubject, breach: Breach) -> Finding:
        sentence, start, _end = breach.hits[0]
        given = ", ".join(breach.uses) if breach.uses else "no use at all"
        name = f"attributes.{breach.attribute}"
        if breach.use == "birthday":
            message = f"Sends birthday copy, but {name} was given only for: {given}"
            fix = (
                "Send birthday messages only to people whose birth date lists the "
                "'birthday' use, or ask for that consent first."
            )
        elif breach.use == "age":
            message = f"Reveals the person's age, but {name} was given only for: {given}"
            fix = (
                "Leave the age out ('Happy birthday!' rather than 'you turn 30'), and use "
                "it only where the person agreed to an 'age' use."
            )
        else:
            message = (
                f"Prints {name} into {subject.campaign.purpose} copy, but it was given "
                f"only for: {given}"
            )
            fix = f"Leave {breach.attribute} out of the copy, or ask the person to allow this use."
        text = subject.rendered.text
        lo, hi = (sentence.start, sentence.end) if sentence else (start, _end)
        file, line = subject.locate(start)
        fields = (name, *subject.rendered.fields_in(lo, hi))
        return self.finding(
            subject,
            message,
            evidence=text[lo:hi].replace("\n", " "),
            fix=fix,
            fields=tuple(dict.fromkeys(fields)),
            file=file,
            line=line,
            spans=tuple((a, b) for _s, a, b in breach.hits),
        )


Hit = tuple[Sentence | None, int, int]  # sentence, start, end of the offending words


@dataclass
class Breach:
    attribute: str
    use: str  # birthday | age | copy
    uses: tuple[str, ...]  # what the person agreed to
    hits: list[Hit] = field(default_factory=list)


def _value(attribute: Any) -> Any:
    return attribute.get("value") if isinstance(attribute, Mapping) else attribute


def _attribute_names(fields: Sequence[str]) -> list[str]:
    names = [re.split(r"[.\[]", f)[1] for f in fields if f.startswith("attributes.")]
    return list(dict.fromkeys(n for n in names if n))


def _allows_birthday(uses: Sequence[str], purpose: str) -> bool:
    return any("birthday" in u or u in BROAD_USES or u == purpose for u in uses)


def _allows_age(uses: Sequence[str], purpose: str) -> bool:
    return any(
        (u == "age" or (u.startswith("age") and not any(w in u for w in AGE_CHECK_WORDS)))
        or "birthday" in u
        or u in BROAD_USES
        or u == purpose
        for u in uses
    )


def _allows_copy(uses: Sequence[str], purpose: str, name: str) -> bool:
    if name in BIRTH_KEYS and _allows_birthday(uses, purpose):
        return True
    return any(u == purpose or u in BROAD_USES or any(w in u for w in COPY_USE_WORDS) for u in uses)


# -- reading birthday and age copy ------------------------------------------------------------


def _own_birthday(sentence: Sentence, analysis: Analysis) -> bool:
    """ "Happy birthday to us!", "our birthday sale": the sender's own birthday."""
    first_person = {
        m.start for m in analysis.cues("first_person") if sentence.start <= m.start < sentence.end
    }
    return bool(first_person) and not sentence.addresses_reader


def _someone_elses(sentence: Sentence, cue_end: int, analysis: Analysis) -> bool:
    """The birthday belongs to the sender or someone named: "...to us", "...to Ember & Oak"."""
    if _own_birthday(sentence, analysis):
        return True
    after = [t for t in sentence.tokens if t.start >= cue_end and t.is_alpha][:2]
    return (
        bool(after)
        and after[0].lower in {"to", "нам"}
        and not (len(after) > 1 and after[1].second_person)
    )


def birthday_sentences(analysis: Analysis) -> list[Hit]:
    """Sentences that wish the reader a happy birthday or offer them a birthday treat."""
    hits: list[Hit] = []
    seen: set[int] = set()
    others = {m.sentence.start for m in analysis.cues("birthday_other")}
    rewards = analysis.cues("birthday_reward")
    for cue in analysis.cues("birthday_greeting"):
        sentence = cue.sentence
        if sentence.start in seen or _someone_elses(sentence, cue.end, analysis):
            continue
        seen.add(sentence.start)
        hits.append((sentence, cue.start, cue.end))
    for cue in analysis.cues("birthday"):
        sentence = cue.sentence
        if (
            sentence.start in seen
            or sentence.start in others
            or _someone_elses(sentence, cue.end, analysis)
        ):
            continue
        before = [t for t in sentence.tokens if t.end <= cue.start][-3:]
        greeting = any(t.lemma in GREETING_WORDS for t in before[-2:])  # "Happy 30th birthday"
        owned = greeting or any("POSS" in t.tags and t.second_person for t in before)
        other = any(
            t.lower in {"our", "its", "their", "his", "her", "наш", "их", "его", "ее"}
            for t in before
        )
        reward = any(
            r.sentence.start == sentence.start and 0 <= r.start - cue.end <= 12 for r in rewards
        )
        if other or not (owned or (reward and sentence.addresses_reader)):
            continue
        seen.add(sentence.start)
        hits.append((sentence, cue.start, cue.end))
    return sorted(hits, key=lambda h: h[1])


def _number(token: Token) -> int | None:
    match = ORDINAL.match(token.lower)
    return int(match.group(1)) if match else None


def age_sentences(analysis: Analysis, age: int) -> list[Hit]:
    """Sentences that state the reader's age: "you turn 30", "your 40th birthday"."""
    verbs = {(m.sentence.start, m.end) for m in analysis.cues("age_verb")}
    units = {(m.sentence.start, m.start) for m in analysis.cues("age_unit")}
    birthday = {m.sentence.start for m in analysis.cues("birthday")} | {
        m.sentence.start for m in analysis.cues("birthday_greeting")
    }
    hits: list[Hit] = []
    for sentence in analysis.sentences:
        addressed = sentence.addresses_reader or sentence.start in birthday
        if not addressed:
            continue
        at = sentence.start  # the reading's token offsets are relative to the sentence
        tokens = sentence.reading.tokens
        for index, token in enumerate(tokens):
            number = _number(token)
            if number is None or number not in {age, age + 1}:
                continue
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and following.lower in {"%", "$", "£", "€", "₽"}:
                continue
            before = [t for t in tokens[max(0, index - 3) : index]]
            after_verb = any((at, at + t.end) in verbs for t in before)
            with_unit = following is not None and (at, at + following.start) in units
            ordinal = token.lower != str(number) and at in birthday
            copula = any(t.lower in {"'re", "are", "re"} for t in before[-1:])
            if after_verb or with_unit or ordinal or copula:
                hits.append((sentence, at + token.start, at + token.end))
                break
    return hits
