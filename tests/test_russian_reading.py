"""How the Russian reader matches varied wording: filler words inside a phrase, the
familiar «ты» for the polite «вы», and the 'said' paraphrases that need the reader."""

from __future__ import annotations

from functools import cache

from creepcheck.policy.model import Policy
from creepcheck.render import RenderedMessage
from creepcheck.text import Analysis, TextAnalyzer
from creepcheck.text.morph import russian


@cache
def _analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={}))


def analyze(text: str) -> Analysis:
    return _analyzer().analyze(RenderedMessage(text), "ru")


def said_of_reader(text: str) -> list[tuple[str, str]]:
    return [(m.category, m.text) for m in analyze(text).find_terms(about_reader=True)]


def test_a_phrase_runs_over_filler_words() -> None:
    # «сустав болеть» and «коллекторы звонить» are in the lexicon; «снова», «опять»
    # stand between their words
    assert said_of_reader("Сустав снова болит?") == [("health", "Сустав снова болит")]
    found = said_of_reader("Коллекторы опять звонят?")
    assert found == [("financial_hardship", "Коллекторы опять звонят")]


def test_a_phrase_with_its_own_filler_word_still_matches() -> None:
    assert ("divorce", "Снова одна") in said_of_reader("Снова одна? Время для себя!")


def test_filler_words_are_russian_data_only() -> None:
    english = _analyzer().lexicon("en")
    assert english.fillers == frozenset()
    assert "снова" in _analyzer().lexicon("ru").fillers


def test_familiar_you_matches_the_polite_phrases() -> None:
    assert {"ваш", "твой"} <= russian("твоей").lemmas
    assert {"вы", "ты"} <= russian("тебя").lemmas
    assert ("bereavement", "твоей утрате") in said_of_reader("Соболезнуем твоей утрате.")
    assert said_of_reader("Тебя сократили? Не сдавайся!")[0][0] == "job_loss"


def test_a_said_paraphrase_needs_the_reader_or_a_question() -> None:
    assert said_of_reader("Аист уже в пути? Всё для встречи малыша.")[0][0] == "pregnancy"
    assert said_of_reader("Аист уже в пути.") == []


def test_a_birthday_is_not_a_birth() -> None:
    assert said_of_reader("Поздравляем с днём рождения, Сергей!") == []
    assert said_of_reader("Поздравляем с рождением сына!")[0][0] == "pregnancy"
