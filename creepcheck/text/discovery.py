"""Copy that says the sender found the reader somewhere ("we found you on LinkedIn",
«нашли вас во ВКонтакте»): where in a message, which network, and the sentences of a
message as the contact-point rules read them. English and Russian.

What a sentence says depends on its text alone, so it is worked out once per sentence.
"""

from __future__ import annotations

import re
from itertools import islice

from creepcheck.caching import memoised

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


@memoised(maxsize=1024)
def discoveries(text: str) -> tuple[tuple[int, int, int, str | None], ...]:
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
                return verb.start(), network_in(verb.group())
            # The source comes after the verb: "found you on LinkedIn", "saw on LinkedIn
            # that you...", "came across your profile on LinkedIn".
            where = sources.at(verb.end())
            if where is None:
                break  # nor after any later verb
            if readers is None or _reader_near(text, readers, verb.end(), where.end()):
                return verb.start(), network_in(where.group())
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


def network_in(phrase: str) -> str | None:
    lowered = phrase.lower()
    for name, canonical in sorted(NETWORKS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<!\w){re.escape(name)}", lowered):
            return canonical
    return None


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


FOLD = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u2013": "-", "\u2014": "—"}
)
