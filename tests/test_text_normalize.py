"""Folding for matching keeps a map back to the original offsets."""

from __future__ import annotations

import pytest

from creepcheck.text.normalize import fold


def _back(text: str, word: str, language: str = "en") -> str:
    folded = fold(text, language)
    start = folded.text.index(word)
    a, b = folded.span(start, start + len(word))
    return text[a:b]


def test_lower_cases_and_nfkc() -> None:
    assert fold("ＰＲＥＧＮＡＮＴ ﬁne").text == "pregnant fine"


def test_nfkc_expansion_maps_back_to_the_ligature() -> None:
    text = "a ﬁne day"
    folded = fold(text)
    start = folded.text.index("fine")
    assert folded.span(start, start + 4) == (2, 5)  # "ﬁne" is three characters


def test_zero_width_and_bidi_removed_but_offsets_kept() -> None:
    text = "your pre\u200bg\u202enancy\u2060 test"
    assert fold(text).text == "your pregnancy test"
    assert _back(text, "pregnancy") == "pre\u200bg\u202enancy"


def test_cyrillic_lookalikes_fold_to_latin_in_latin_words() -> None:
    text = "Congratulations on your pr\u0435gn\u0430ncy"  # Cyrillic е and а
    assert "pregnancy" in fold(text).text
    assert _back(text, "pregnancy") == "pr\u0435gn\u0430ncy"


def test_all_cyrillic_lookalike_word_in_english_copy() -> None:
    assert fold("\u0441\u043e\u0440\u0443", "en").text == "copy"  # "сору"


def test_latin_lookalikes_fold_to_cyrillic_in_russian_words() -> None:
    text = "бер\u0435менность и б\u0065ременность"  # second has a Latin e
    assert fold(text, "ru").text == "беременность и беременность"


def test_russian_words_stay_russian() -> None:
    assert fold("Ваша скидка", "ru").text == "ваша скидка"


def test_yo_stress_marks_quotes_and_underscores() -> None:
    assert fold("Ждёте бере\u0301менность", "ru").text == "ждете беременность"
    assert fold("you\u2019re expecting_parents").text == "you're expecting parents"


@pytest.mark.parametrize("text", ["", "plain", "e\u0301clair", "x\u200b", "\u200b"])
def test_origin_covers_every_folded_character(text: str) -> None:
    folded = fold(text)
    assert len(folded.origin) == len(folded.text)
    assert all(0 <= i < len(text) for i in folded.origin)
    assert list(folded.origin) == sorted(folded.origin)
