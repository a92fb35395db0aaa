"""A one-word category model for tests of how the model's readings are used."""

from __future__ import annotations

from creepcheck.text import category_model

# A word weighted 0.85 over `none` reads as its category at about 0.70: between the
# lowered bar (`category_model.ACCOMMODATED`) and the model's own (0.8).
BETWEEN_THE_BARS = 0.85


def one_word_model(word: str, category: str) -> category_model.CategoryModel:
    """A model that knows one word, read as `category` at about 0.70, bar 0.8."""
    return category_model.CategoryModel(
        "en",
        ("none", category),
        (0.0, 0.0),
        {word: (0.0, BETWEEN_THE_BARS)},
        0.8,
        frozenset(),
        frozenset(),
        "test",
    )
