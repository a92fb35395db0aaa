"""The purchase-recall vocabulary of a language (`lexicons/purchases.<lang>.yaml`)
turned into a few patterns, once: read by creepcheck.text.purchases."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from creepcheck.caching import memoised


def _load(language: str) -> Mapping[str, Any]:
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    text = folder.joinpath(f"purchases.{language}.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}  # noqa: S506 (a safe loader)


def _alternation(phrases: Iterable[str]) -> str:
    """Whole-word alternation of phrases; a word ending in `*` is a prefix."""
    parts = []
    for phrase in sorted(
        {str(p).lower().replace("ё", "е") for p in phrases}, key=len, reverse=True
    ):
        parts.append(r"\s+".join(_word(w) for w in phrase.split()))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _word(word: str) -> str:
    return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)


def _words(phrases: Iterable[str]) -> str:
    return rf"(?<![\w'’]){_alternation(phrases)}(?![\w'’])"


@dataclass(frozen=True)
class Vocabulary:
    """The compiled patterns of one language."""

    act_verb: re.Pattern[str]
    act_noun: re.Pattern[str]
    thanks: re.Pattern[str]
    weak_act: re.Pattern[str]
    participle: re.Pattern[str]
    gerund_act: re.Pattern[str]
    tally: re.Pattern[str]
    store: re.Pattern[str]
    store_after: re.Pattern[str]
    store_generic: re.Pattern[str]
    store_apposed: re.Pattern[str]
    count: re.Pattern[str]
    run: re.Pattern[str]
    dates: tuple[re.Pattern[str], ...]
    gone: tuple[re.Pattern[str], ...]  # of `dates`, the times already gone: "last week"
    weekday: re.Pattern[str]
    future_lead: re.Pattern[str]
    chain_first: re.Pattern[str]
    chain_next: re.Pattern[str]
    sender: re.Pattern[str]
    hypothetical: re.Pattern[str]
    surveillance: re.Pattern[str]
    clock: re.Pattern[str]
    money: re.Pattern[str]
    offer_money: re.Pattern[str]
    multibuy: re.Pattern[str]
    logistics: re.Pattern[str]
    second_person: re.Pattern[str]
    verb_count: re.Pattern[str]
    repeat: re.Pattern[str]
    time_act: re.Pattern[str]
    not_spent_on: re.Pattern[str]
    period: re.Pattern[str]
    acted_period: re.Pattern[str]  # a time that dates a purchase the sentence says was made
    not_bought: re.Pattern[str]
    not_recalled: re.Pattern[str]
    run_basis: re.Pattern[str]  # "Inspired by your past orders: ...": what follows is not them
    bare_act: re.Pattern[str]
    third_party: re.Pattern[str]
    late_verb: re.Pattern[str]
    cart: re.Pattern[str]
    month: re.Pattern[str]
    ordinal_tally: re.Pattern[str]
    offer_start: re.Pattern[str]
    modal: re.Pattern[str]
    object_verb: re.Pattern[str]
    clocked_verb: re.Pattern[str]
    purchase_object: re.Pattern[str]
    recent: re.Pattern[str]  # "last", "previous": what was, not what will be
    # a whole sentence that is a count of things and a time: "5 takeaways this week?"
    tally_fragment: re.Pattern[str]
    measure: re.Pattern[str]  # how much of a thing, or its size: "2kg", "size 14", "XL"
    not_tallied: re.Pattern[str]  # what such a count is of when it is the sender's


def _both(key: str) -> list[str]:
    """A word list of both languages, English first: the rule reads a profile's purchases
    and its copy's names whatever the campaign's language."""
    return [str(word) for language in ("en", "ru") for word in _load(language).get(key, ())]


@memoised(maxsize=1)
def order_words() -> re.Pattern[str]:
    """Words that put a named purchase in order: "then", "before", «потом»."""
    return re.compile(rf"\b(?:{'|'.join(_both('order_words'))})\b")


@memoised(maxsize=1)
def item_cues() -> frozenset[str]:
    """Words after which a bare head noun is a purchased item: "your", "bought", «ваши»."""
    return frozenset(_both("item_cues"))


@memoised(maxsize=1)
def generic_stores() -> frozenset[str]:
    """Store values that name a channel, not a place: "online", «сайт»."""
    return frozenset(_both("generic_stores"))


def opens_multibuy(after: str, language: str) -> bool:
    """Whether the text right after a number makes it a multi-buy offer ("2 for 1")."""
    return vocabulary(language).multibuy.match(after.lower()) is not None


@memoised(maxsize=4)
def vocabulary(language: str) -> Vocabulary:
    data = _load("ru" if language == "ru" else "en")
    w = {key: value for key, value in data.items() if isinstance(value, list)}
    patterns = data.get("patterns", {})
    ru = language == "ru"

    def words(*keys: str) -> str:
        return _words(p for key in keys for p in w.get(key, ()))

    # English texting forms too: "u", "ur" ("Ur £12.99 top-up on Tues was ur biggest")
    you = (
        r"(?:вы|ты)"
        if ru
        else r"(?<!of )(?<!of all )(?:you|(?<![\w'-])u(?![\w'-]))(?:'ve|'d| have| had)?"
    )
    your = r"(?:ваш|тво|сво)\w*" if ru else r"(?:your|(?<![\w'-])ur(?![\w'-]))"  # «свой заказ»
    gap = (
        r"(?:\s+[\w'-]+){0,3}?"
        if ru
        else r"(?:\s+(?!(?:can|could|will|'ll|may|might|should|would|need|want|to|like|love)\b)"
        r"[\w'-]+){0,3}?"  # "you've come back and bought"
    )
    number = rf"(?:\d+|{_alternation(w['numbers'])})"
    ordinal = rf"(?:\d+(?:st|nd|rd|th|-?й|-?я|-?е)|{_alternation(w['ordinals'])})"
    months = _alternation(w["months"])
    day_month = (
        rf"\b\d{{1,2}}(?:-?(?:е|го))?\s+{months}(?:\s+(?:19|20)\d{{2}})?"
        if ru
        else rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{months}\b\.?(?:,?\s+(?:19|20)\d{{2}})?"
        rf"|\b{months}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{{2}})?"
    )
    in_month = (
        rf"\bв\s+{months}(?:\s+(?:19|20)\d{{2}}(?:\s+год\w*)?)?"
        if ru
        else rf"\b(?:in|back in|during|since|from|on)\s+{months}\b(?:\s+(?:19|20)\d{{2}})?"
        rf"|\b{months}\s+(?:19|20)\d{{2}}\b"
    )
    numeric = (
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
        r"|\b(?:от|с|on|from|dated)\s+\d{1,2}[/.]\d{1,2}\b(?![.,/]?\d)"  # "от 03.02"
    )
    dates = [day_month, in_month, numeric, words("holidays"), *patterns.get("relative", [])]
    period_words = "|".join(patterns.get("period", ["(?!)"]))
    # "A dozen cold brews in March alone.", "17 chicken tikka pizzas and counting, Aaron!",
    # "Third pair of running shoes this year!": no verb, a count, its things, their time
    tally_fragment = (
        "(?!)"
        if ru
        else rf"^\W*(?:(?:that's|another|a whopping)\s+)?(?P<count>(?P<nth>{ordinal})|{number})\s+"
        r"(?P<things>(?:[\w'-]+\s+){0,4}?[\w'-]+)(?:\s+(?:with|from|at)\s+us)?"
        rf"\s+(?:(?:{period_words}|{'|'.join(dates)})(?:\s+(?:alone|so far|already))?"
        r"|so far|and counting)"
        r"(?:\s+and counting)?(?:,\s*[\w'-]+)?\W*$"
    )
    weekday = (
        rf"(?:(\b(?:в|во|по|до|к|с|в прошл\w+|в эт\w+|в следующ\w+|кажд\w+)\s+)?)"
        rf"\b{_alternation(w['weekdays'])}\b"
        if ru
        else rf"(?:\b(on a|on|last|this past|from|every|by|until|till|before|next|this coming)\s+)?"
        rf"\b{_alternation(w['weekdays'])}(?:s\b|'s\b|\b)"
    )
    store = (
        rf"{_alternation(w['store_nouns'])}(?:(?:\s+[—–-])?\s+(?:на|у)\s+[\w-]+"
        r"|(?:\s+(?:в\s+)?(?:тц|трц|торговом центре))?\s+«[^»]{1,40}»"
        r"|\s+в\s+(?P<city>[\w-]+))"
        if ru
        # "our airport shop", or a name in capitals: "the Hill St store", "at Queen St branch"
        else rf"\b(?=((?:our|the|at|from|in)\s+)((?:[\w'&.-]+\s+){{1,3}}?)"
        rf"{_alternation(w['store_nouns'])}\b)"
    )
    nouns = _alternation(w["order_nouns"])
    count = (
        r"(?<![\d.,$£€₽¥])"
        rf"\b{ordinal}(?:\s+[\w-]+){{0,2}}?\s+{nouns}\b"
        rf"|(?<![\d.,$£€₽¥])\b{number}(?![\d.,]\d)(?:\s+[\w-]+){{0,2}}?\s+{nouns}\b"
        + (
            r"|\b(?:заказ|покупк)\w*\s+номер\s*\d{1,3}\b"
            if ru
            else r"|\border (?:number\s*|#\s?)\d{1,3}\b(?!\d)"
        )
    )
    period = "|".join(patterns.get("period", ["(?!)"]))
    run = (
        rf"{your}\s+{_alternation(w['recent'])}\s+{number}\s+{nouns}"
        rf"|{your}\s+{_alternation(w['recent'])}\s+{_alternation(w['plural_orders'])}\s*:"
        rf"|{your}\s+{_alternation(w['plural_orders'])}\s+(?:{period})\s*:"
        # «оба ваших последних заказа»
        rf"|\b{number}\s+{your}\s+{_alternation(w['recent'])}\s+{nouns}"
    )
    verbs = _alternation(w["act_verbs"])
    verb_count = (
        rf"{verbs}(?:\s+(?:у нас|нам|us|from us|with us|from|up|in|on))?"
        rf"\s+(?:{number}|{ordinal})\b(?![.,]\d|\s\d{{3}})"
        rf"(?!\s+{words('not_bought')})"  # "you've got 1240 points": held, not bought
        rf"|\bthe\s+(?:{number}|{ordinal})(?:\s+[\w-]+){{1,5}}\s+{you}\s+{verbs}"
        # «вы уже трижды покупали»: the count before the verb
        + (rf"|\b{_alternation(w['adverb_counts'])}\s+{verbs}" if "adverb_counts" in w else "")
        # «девятый флакон сиропа, который вы купили»: a counted thing the reader bought
        + (
            rf"|\b{ordinal}(?:\s+[\w-]+){{1,5}}?,?\s+(?:котор\w+|что)\s+{you}\s+{verbs}"
            if ru
            else ""
        )
    )
    repeat = rf"\b(?:{number}|{ordinal})\s+{_alternation(w.get('repeat_nouns', ['(?!)']))}\b"
    if "adverb_counts" in w:  # «вы дважды за неделю заказали»: the count anywhere
        repeat += rf"|\b{_alternation(w['adverb_counts'])}\b"
    return Vocabulary(
        act_verb=re.compile(rf"\b{you}{gap}\s+{verbs}(?!\w)"),
        act_noun=re.compile(
            rf"\b(?:{your}|another|ещ[её] (?:один|одна))((?:\s+[\w$€£₽.,:'-]+){{0,3}}?)"
            rf"\s+{_alternation(w['act_nouns'])}(?!\w)"
        ),
        # Russian puts a date or an adverb between: «спасибо, что 8 марта снова выбрали»
        thanks=re.compile(rf"{words('thanks')}{gap if ru else ''}\s+{words('thanked_acts')}"),
        weak_act=re.compile(
            rf"\b(?:{you}{gap}\s+|{your}\s+(?:\w+\s+)?|{words('thanks')}\s+){words('weak_acts')}"
            + ("" if ru else r"|\b(?:shopping|shopped)\s+(?:at|with)\b")
        ),
        participle=re.compile(words("participles") if w.get("participles") else "(?!)"),
        gerund_act=re.compile(words("gerund_acts") if w.get("gerund_acts") else "(?!)"),
        tally=re.compile(
            rf"{words('tally')}\s+(?:{your}\s+)?(?:{number}|{ordinal})\b"
            rf"(?!\s+{words('not_counted')})"
        ),
        store=re.compile(store),
        # "our branch on Queen St": the name after the store noun (capitals checked by the reader)
        store_after=re.compile(
            r"\bу\s+нас\s+(?:в|на)\s+([\w-]+(?:\s+[\w-]+)?)"  # «у нас на Арбате»
            if ru
            else rf"\b(?:our|your|the)\s+(?:[\w'-]+\s+)?{_alternation(w['store_nouns'])}"
            r"\s+(?:on|in|at)\s+([\w'.-]+(?:\s+[\w'.-]+)?)"
        ),
        store_generic=re.compile(words("store_generic")),
        # "your regular branch, Elm Park,": the name in apposition (capitals checked by the reader)
        store_apposed=re.compile(
            "(?!)"
            if ru
            else rf"\b{words('habit_store_words')}\s+{_alternation(w['store_nouns'])}\s*[,(]\s*"
        ),
        count=re.compile(count),
        run=re.compile(run),
        dates=tuple(re.compile(p) for p in dates),
        gone=tuple(re.compile(p) for p in patterns.get("relative", [])),
        weekday=re.compile(weekday),
        future_lead=re.compile(words("future_lead")),
        # "First the crib", "Paint first, then the rollers"
        chain_first=re.compile(rf"^\W*(?:[\w'-]+\s+){{0,2}}?{words('chain_first')}"),
        chain_next=re.compile(rf"[,;]\s*(?:(?:and|и|а)\s+)?{words('chain_next')}\b"),
        sender=re.compile(words("sender")),
        hypothetical=re.compile(rf"^\W*{words('hypothetical')}|{words('hypothetical')}\s*$"),
        surveillance=re.compile(words("surveillance")),
        clock=re.compile("|".join(patterns.get("clock", ["(?!)"]))),
        money=re.compile("|".join(f"(?:{p})" for p in patterns.get("money", ["(?!)"]))),
        offer_money=re.compile(words("offer_lead") + r"\s*$"),
        multibuy=re.compile("|".join(patterns.get("multibuy", ["(?!)"]))),
        logistics=re.compile(words("logistics")),
        second_person=re.compile(rf"\b(?:{you}|{your}|вам|вас)\b"),
        verb_count=re.compile(verb_count),
        repeat=re.compile(repeat),
        time_act=re.compile("|".join(patterns.get("time_act", ["(?!)"]))),
        not_spent_on=re.compile(rf"\s+(?:[\w-]+\s+)?{words('not_spent_on')}"),
        not_bought=re.compile(words("not_bought")),
        not_recalled=re.compile(words("not_recalled")),
        run_basis=re.compile(rf"(?:{words('run_basis')})\s*$"),
        third_party=re.compile(words("third_party")),
        # «Вы были у нас в субботу и купили велосипед»: the verb far from «вы»
        late_verb=re.compile(rf"\b{you}\s[^.!?;]{{0,80}}?\s(?:и|а|,)\s+{verbs}(?!\w)")
        if ru
        else re.compile("(?!)"),
        cart=re.compile(words("cart_nouns")),
        recent=re.compile(words("recent")),
        month=re.compile(rf"\b{months}\b"),
        bare_act=re.compile("|".join(w.get("bare_acts", ["(?!)"]))),
        # "your sixth coffee this week", «четвёртая пицца за неделю»
        ordinal_tally=re.compile(
            rf"(?<![\d.,])\b{ordinal}\s+(?!{words('not_counted')})(?:[\w-]+\s+){{0,3}}?[\w-]+"
            rf"(?=\s+(?:{'|'.join(patterns.get('period', ['(?!)']))}))"
        ),
        offer_start=re.compile(rf"^\W*{words('offer_start')}(?!\s+(?:number|номер))"),
        modal=re.compile(words("modal")),
        object_verb=re.compile(rf"{words('object_verbs')}$"),
        clocked_verb=re.compile(rf"{words('clocked_verbs')}$"),
        # what a verb of `object_verbs` needs within a few words to be a purchase
        purchase_object=re.compile(
            rf"(?:\s+[\w«»\"-]+){{0,3}}?\s+(?:{_alternation(w.get('purchase_objects', []))}"
            rf"|{_alternation(w['act_nouns'])}|{_alternation(w['order_nouns'])})(?!\w)|\s+\d"
        ),
        period=re.compile("|".join(patterns.get("period", ["(?!)"]))),
        tally_fragment=re.compile(tally_fragment),
        measure=re.compile("|".join(patterns.get("measure", ["(?!)"]))),
        not_tallied=re.compile(words("not_tallied", "not_counted", "third_party", "offer_lead")),
        acted_period=re.compile("|".join(patterns.get("acted_period", ["(?!)"]))),
    )
