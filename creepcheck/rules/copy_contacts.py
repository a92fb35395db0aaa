"""The copy half of CC102: the message names a contact point or handle not given.

Two ways copy gives it away: a value rendered from a contact point whose `source` is
not one the person gave (a scraped Instagram handle printed into the greeting), and a
sentence that tells the reader where they were found ("We found you on LinkedIn",
«нашли вас в ВКонтакте»). The second is recognised by its grammar, not by phrases: a
first-person finder with a past-tense verb of finding or seeing, the reader ("you",
"your profile") and a source (a social network, a directory, a data partner). The
brand's own pages ("Follow us on LinkedIn", "our Facebook page") have no reader as the
thing found and do not fire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from creepcheck.caching import Derived, memoised
from creepcheck.models import Finding
from creepcheck.privacy.masking import mask_text, mask_value
from creepcheck.privacy.outbound import input_value
from creepcheck.render import RenderedMessage

if TYPE_CHECKING:
    from creepcheck.models import Profile
    from creepcheck.rules.base import MessageSubject, Rule

# Social networks and the canonical name they are recorded under in contact points.
NETWORKS = {
    "linkedin": "linkedin",
    "линкедин": "linkedin",
    "facebook": "facebook",
    "фейсбук": "facebook",
    "instagram": "instagram",
    "инстаграм": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "twitter": "twitter",
    "твиттер": "twitter",
    "tiktok": "tiktok",
    "тикток": "tiktok",
    "pinterest": "pinterest",
    "reddit": "reddit",
    "youtube": "youtube",
    "ютуб": "youtube",
    "github": "github",
    "snapchat": "snapchat",
    "mastodon": "mastodon",
    "bluesky": "bluesky",
    "xing": "xing",
    "vkontakte": "vk",
    "вконтакте": "vk",
    "vk": "vk",
    "вк": "vk",
    "одноклассник": "ok",
    "odnoklassniki": "ok",
    "telegram": "telegram",
    "телеграм": "telegram",
    "strava": "strava",
    "meetup": "meetup",
    "tumblr": "tumblr",
    "flickr": "flickr",
    "glassdoor": "glassdoor",
    "behance": "behance",
    "dribbble": "dribbble",
    "discord": "discord",
    "twitch": "twitch",
    "quora": "quora",
    "yelp": "yelp",
}
NETWORK_NAMES = {
    "linkedin": "LinkedIn",
    "vk": "VK",
    "ok": "Odnoklassniki",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "github": "GitHub",
}
THANKS = re.compile(r"\bthank\s+you\b|\bспасибо\b", re.IGNORECASE)
# Latin names are whole words; Cyrillic ones are stems that take case endings.
NETWORK = (
    r"(?:"
    + "|".join(
        re.escape(n) + (r"\w*" if re.match("[а-яё]", n) else r"(?!\w)")
        for n in sorted(NETWORKS, key=len, reverse=True)
    )
    + ")"
)
# Places a person's details are looked up or bought, besides social networks.
GENERIC_SOURCE = (
    r"(?:social\s+(?:media|networks?|sites?|platforms?)|the\s+(?:internet|web)|google|"
    r"search\s+engines?|(?:public\s+|online\s+|professional\s+|business\s+)?"
    r"(?:director(?:y|ies)|databases?|regist(?:ry|er)|records|listings?|lists?)|"
    r"(?:a\s+|an\s+)?(?:mutual\s+)?(?:friends?|colleagues?|contacts?|connections?)|someone|"
    r"(?:our\s+|one\s+of\s+our\s+)?(?:(?:data\s+)?(?:partners?|providers?|brokers?|"
    r"suppliers?|vendors?)|affiliates?|third[\s-]part(?:y|ies)))"
)
PREP = r"(?:on|via|through|in|from|at|by)"
# Up to three words between the preposition and the source, but not the brand's own page.
BETWEEN = r"(?:(?!our\b|my\b)[\w'-]+\s+){0,3}?"
SOURCE_EN = re.compile(
    rf"\b{PREP}\s+{BETWEEN}(?:{NETWORK}|(?:a\s+|an\s+|the\s+)?{GENERIC_SOURCE})\b|\byour\s+(?:[\w'-]+\s+)?{NETWORK}\b|\b(?:you|your\s+\w+)\s+online\b",
    re.IGNORECASE,
)
READER_EN = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
FINDER = r"(?:\bwe|\bi|\bour\s+[\w-]+(?:\s+team)?)"
FILLER = r"(?:\s*'(?:ve|d)|\s+(?:have|had|just|recently|actually|first|really|also|been|were|was))*"
PAST_FOUND = (
    r"(?:found|saw|seen|spotted|noticed|discovered|came\s+across|come\s+across|"
    r"stumbled\s+(?:up)?on|looked\s+(?:you\s+)?up|checked\s+out|read|got|obtained|pulled|"
    r"sourced|picked\s+up|tracked\s+(?:you\s+)?down|followed|following|watching|watched|"
    r"browsing|scrolling\s+through)"
)
# Without a finder the verb must be unmistakably past ("Read your..." is an imperative).
ELLIPTIC_FOUND = (
    r"(?:found|saw|spotted|noticed|discovered|came\s+across|stumbled\s+(?:up)?on|"
    r"looked\s+you\s+up|tracked\s+you\s+down|got)"
)
PRESENT_FOUND = r"(?:find|see|spot|notice|discover|follow|watch|look\s+you\s+up)"
DISCOVERY_EN = re.compile(
    # "We found you", "our recruiter spotted", "I've come across" ...
    rf"{FINDER}{FILLER}\s*(?:{PAST_FOUND}|{PRESENT_FOUND})\b"
    # ... or a clause that starts with the verb: "Hi Sam, saw your post on LinkedIn".
    rf"|(?:^|[,;:(—–]|\s-|\band\b)\s*(?:just\s+|recently\s+)?{ELLIPTIC_FOUND}\b",
    re.IGNORECASE,
)
# "You were recommended to us on LinkedIn", "your details came from a data partner".
PASSIVE_EN = re.compile(
    r"\byou\s+(?:were|have\s+been|got)\s+(?:\w+\s+){0,2}?(?:found|spotted|recommended|"
    r"identified|flagged|referred|suggested|listed|discovered|mentioned|tagged)\b"
    rf"|\byour\s+(?:(?:contact|personal|phone|mobile|cell|work|home|email|e-mail|postal|social|"
    rf"{NETWORK})\s+){{0,2}}(?:profile|details|number|email|e-mail|address|contact|information|"
    r"info|name|handle|data)\s+(?:\w+\s+)?(?:was|were|has\s+been|have\s+been|came|comes|"
    r"come)\b",
    re.IGNORECASE,
)
# "Your LinkedIn profile caught our eye", "loved your recent Instagram post".
NOTICED_EN = re.compile(
    rf"\b(?:loved|liked|enjoyed|saw|noticed|spotted)\s+your\s+(?:[\w'-]+\s+){{0,2}}?"
    rf"{NETWORK}\b|\byour\s+(?:[\w'-]+\s+)?{NETWORK}\s+(?:[\w'-]+\s+){{0,2}}?(?:caught\s+(?:our|my)\s+"
    r"(?:eye|attention)|stood\s+out|came\s+up|popped\s+up|showed\s+up|turned\s+up)",
    re.IGNORECASE,
)

FOUND_RU = (
    r"(?:нашл[иа]|нашёл|нашел|увидел[иа]?|видел[иа]?|заметил[иа]?|обнаружил[иа]?|"
    r"наткнул(?:ись|ся|ась)|присмотрел[иа]?|отыскал[иа]?|получил[иа]?|узнал[иа]?|"
    r"прочитал[иа]?|прочли|читал[иа]?|взял[иа]?)"
)
DISCOVERY_RU = re.compile(rf"(?<!\bвы\s)(?<!\bты\s)\b{FOUND_RU}\b", re.IGNORECASE)
_YOUR_DETAILS_RU = (
    r"\b(?:ваш\w*|тво\w*)\s+(?:\w+\s+)?(?:номер\w*|адрес\w*|контакт\w*|профил\w*|email|"
    r"почт\w*|данны\w*|страниц\w*)\s+"
)
# "Ваш номер нам передал партнёр": someone handed the details over.
GIVEN_RU = re.compile(
    _YOUR_DETAILS_RU + r"(?:\w+\s+)?нам\s+(?:\w+\s+)?(?:передал\w*|переда\w*|предостав\w*|"
    r"продал\w*|сообщил\w*|дал[иа]?)\b",
    re.IGNORECASE,
)
# "Ваши данные получены от партнёра": needs the source ("получены" alone is a receipt).
PASSIVE_RU = re.compile(
    _YOUR_DETAILS_RU + r"(?:\w+\s+)?(?:получен\w*|взят\w*|найден\w*|куплен\w*)",
    re.IGNORECASE,
)
READER_RU = re.compile(r"\b(?:вас|вам|ваш\w*|тебя|тебе|тво[йеяих]\w*)\b", re.IGNORECASE)
SOURCE_RU = re.compile(
    rf"\b(?:в|во|на|через|из|у|от)\s+(?:(?!наш)\w+\s+){{0,2}}?(?:{NETWORK}|соцсет\w*|"
    r"социальн\w+\s+сет\w*|интернет\w*|сети|баз[еы]\w*|справочник\w*|партн[её]р\w*|"
    r"знаком\w*|друз\w*|коллег\w*)",
    re.IGNORECASE,
)
# End punctuation, a blank line, or the line break after a greeting or label ("Hi Sam,").
WORD_RUN = re.compile(r"\S+")
SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'»”)\]]*(?=\s|$)|\n[ \t]*\n|(?<=[,:])[ \t]*\n")


NotGiven = tuple[str, int, Any, str]  # channel, index, source, value of a contact point


def copy_mentions_unlisted_contact(rule: Rule, subject: MessageSubject) -> Iterator[Finding]:
    """Findings for contact points named in the copy that the person did not give."""
    allowed = _allowed(tuple(rule.config["allowed_sources"]))
    not_given = _not_given(subject.profile, allowed)
    if not_given:
        yield from _rendered_contact_points(rule, subject, not_given)
    discoveries = _discoveries_in(subject.rendered)
    if discoveries:
        yield from _discovery_framing(rule, subject, allowed, discoveries)


@memoised(maxsize=64)
def _allowed(sources: tuple[Any, ...]) -> frozenset[str]:
    return frozenset(str(s) for s in sources)


# -- contact point values in the copy -----------------------------------------------------
def _rendered_contact_points(
    rule: Rule, subject: MessageSubject, not_given: tuple[NotGiven, ...]
) -> Iterator[Finding]:
    rendered = subject.rendered
    destination = str(subject.destination.get("value", "")).strip().lower()
    reported: set[str] = set()
    for channel, index, source, value in not_given:
        if value.lower() == destination or value.lower() in reported:
            continue  # the address the message goes to is the delivery check's concern
        path = f"contact_points.{channel}[{index}]"
        hit = next(
            (
                s
                for s in rendered.values
                if any(f == path or f.startswith((path + ".", path + "[")) for f in s.fields)
                and rendered.text[s.start : s.end].strip()
            ),
            None,
        )
        start_end = (hit.start, hit.end) if hit else _printed(rendered, value)
        if start_end is None:
            continue
        reported.add(value.lower())
        start, end = start_end
        file, line = subject.locate(start)
        yield rule.finding(
            subject,
            f"The copy names the recipient's {channel} contact {mask_value(value)}, which came "
            f"from {input_value(source)}, not from them",
            evidence=_evidence(subject, start, end),
            fix="Mention only contact points and handles the person gave you themselves; "
            "leave scraped, bought or inferred ones out of the copy.",
            fields=(f"{path}.value", f"{path}.source"),
            file=file,
            line=line,
            spans=((start, end),),
        )


def _not_given(profile: Profile, allowed: frozenset[str]) -> tuple[NotGiven, ...]:
    """The contact points the person did not give, worked out once per profile (most
    have none)."""
    return NOT_GIVEN.of(profile, allowed)


def _find_not_given(profile: Profile, allowed: frozenset[str]) -> tuple[NotGiven, ...]:
    found = []
    for point in profile.view.contact_points:
        source = point.source
        if source is None or str(source) in allowed:
            continue
        value = str(point.entry.get("value", "")).strip()
        if len(value) >= 3:
            found.append((point.listed_under, point.index, source, value))
    return tuple(found)


NOT_GIVEN: Derived[tuple[NotGiven, ...]] = Derived(_find_not_given)


def _printed(rendered: Any, value: str) -> tuple[int, int] | None:
    """Where `value` appears inside a value the template printed (not in static text)."""
    if not any(_may_hold(rendered.text[s.start : s.end], value) for s in rendered.values):
        return None  # spare compiling a pattern for a value no printed value can hold
    pattern = re.compile(rf"(?<![\w@.]){re.escape(value)}(?![\w@])", re.IGNORECASE)
    for match in pattern.finditer(rendered.text):
        if any(s.start <= match.start() and match.end() <= s.end for s in rendered.values):
            return match.start(), match.end()
    return None


def _may_hold(printed: str, value: str) -> bool:
    """Whether `value` may match inside `printed`, ignoring case: a match is as long as
    the value, and its ASCII digits, spaces and punctuation have no other case."""
    return len(printed) >= len(value) and all(
        c in printed for c in value if c.isascii() and not c.isalpha()
    )


# -- "we found you on LinkedIn" -------------------------------------------------------------
def _discovery_framing(
    rule: Rule,
    subject: MessageSubject,
    allowed: frozenset[str],
    discoveries: tuple[tuple[int, int, int, str | None], ...],
) -> Iterator[Finding]:
    for start, end, offset, network in discoveries:
        if network and _gave_on(subject.profile, network, allowed):
            continue  # they gave us their handle there: saying so is not a disclosure
        file, line = subject.locate(start + offset)
        if network:
            name = NETWORK_NAMES.get(network, network.capitalize())
            message = f"The copy tells the recipient they were found or looked up on {name}"
        else:
            message = (
                "The copy tells the recipient their details came from a third party "
                "or a public source"
            )
        yield rule.finding(
            subject,
            message,
            evidence=_clip(
                mask_text(subject.rendered.text.translate(_FOLD)[start:end], subject.profile)
            ),
            fix="Do not tell people you found them on a social network or bought their "
            "details; write to them about what they signed up for, and say how you got "
            "their address only if they gave it to you.",
            fields=subject.rendered.fields_in(start, end),
            file=file,
            line=line,
            spans=((start, end),),
        )
        return  # one finding per message is enough to make the point


def _discoveries_in(rendered: RenderedMessage) -> tuple[tuple[int, int, int, str | None], ...]:
    """`_discoveries` of a message's folded text, once per rendered message."""
    return DISCOVERIES.of(rendered)


# By text as well: unshared renders of the same text (CREEPCHECK_UNOPTIMISED) read it once.
@memoised(maxsize=1024)
def _discoveries(text: str) -> tuple[tuple[int, int, int, str | None], ...]:
    """(start, end, offset of the verb, network) of each sentence saying the reader was found."""
    found = []
    for start, end in sentences(text):
        match = discovery_source(text[start:end])
        if match is not None:
            found.append((start, end, *match))
    return tuple(found)


@memoised(maxsize=4096)
def discovery_source(sentence: str) -> tuple[int, str | None] | None:
    """(offset of the finding verb, canonical network or None) when a sentence says the
    reader was found somewhere; None when it does not."""
    text = THANKS.sub(lambda m: "x" * len(m.group()), sentence)  # "thank you" is no reader
    for finder, reader, source in (
        (DISCOVERY_EN, READER_EN, SOURCE_EN),
        (PASSIVE_EN, None, SOURCE_EN),
        (NOTICED_EN, None, None),
        (DISCOVERY_RU, READER_RU, SOURCE_RU),
        (GIVEN_RU, None, None),
        (PASSIVE_RU, None, SOURCE_RU),
    ):
        sources = _NextMatch(source, text) if source is not None else None
        # Verbs, and so the sources after them, come in order: each reader is found once.
        readers = (_NextMatch(reader, text), _NextMatch(reader, text)) if reader else None
        for verb in finder.finditer(text):
            if sources is None:
                return verb.start(), _network_in(verb.group())
            # The source comes after the verb: "found you on LinkedIn", "saw on LinkedIn
            # that you...", "came across your profile on LinkedIn".
            where = sources.at(verb.end())
            if where is None:
                break  # nor after any later verb
            if readers is None or _reader_near(text, readers, verb.end(), where.end()):
                return verb.start(), _network_in(where.group())
    return None


class _NextMatch:
    """The first match of a pattern at or after a position, asked for positions that only
    grow: a match is searched for once however many verbs precede it, not once per verb."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text = pattern, text
        self.searched_from = -1
        self.found: re.Match[str] | None = None

    def at(self, position: int) -> re.Match[str] | None:
        reusable = 0 <= self.searched_from <= position and (
            self.found is None or position <= self.found.start()
        )
        if not reusable:
            self.searched_from = position
            self.found = self.pattern.search(self.text, position)
        return self.found


def _reader_near(
    flat: str, readers: tuple[_NextMatch, _NextMatch], verb_end: int, source_end: int
) -> bool:
    """The reader is what was found: right after the verb, or right after the source."""
    after_verb = readers[0].at(verb_end)
    if after_verb is None:
        return False
    if _few_words(flat, verb_end, after_verb.start(), 3):
        return True
    after_source = readers[1].at(source_end)
    return after_source is not None and _few_words(flat, source_end, after_source.start(), 2)


def _few_words(text: str, start: int, end: int, most: int) -> bool:
    """Whether `text[start:end]` holds at most `most` words, read no further than that."""
    return sum(1 for _ in islice(WORD_RUN.finditer(text, start, end), most + 1)) <= most


def _network_in(phrase: str) -> str | None:
    lowered = phrase.lower()
    for name, canonical in sorted(NETWORKS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<!\w){re.escape(name)}", lowered):
            return canonical
    return None


def _gave_on(profile: Profile, network: str, allowed: frozenset[str]) -> bool:
    """Whether the person gave a contact point on `network` themselves."""
    names = {n for n, c in NETWORKS.items() if c == network}
    for point in profile.view.contact_points:
        if str(point.entry.get("source", "customer")) not in allowed:
            continue
        described = " ".join(str(v) for k, v in point.entry.items() if k != "source").lower()
        if any(n in point.listed_under.lower() or n in described for n in names):
            return True
    return False


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets: split at end punctuation and blank lines, not single line breaks."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if text[start : match.end()].strip():
            bounds.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return [_strip(text, a, b) for a, b in bounds]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clip(sentence: str, limit: int = 200) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _evidence(subject: MessageSubject, start: int, end: int) -> str:
    text = subject.rendered.text
    for a, b in sentences(text):
        if a <= start < b:
            return _clip(mask_text(text[a:b], subject.profile))
    return _clip(mask_text(text[max(0, start - 60) : end + 60], subject.profile))


_FOLD = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u2013": "-", "\u2014": "—"}
)


DISCOVERIES: Derived[tuple[tuple[int, int, int, str | None], ...]] = Derived(
    lambda rendered: _discoveries(rendered.text.translate(_FOLD))
)
