"""Vocabularies shipped beside a language's lexicon: `lexicons/<name>.<language>.yaml`.

A vocabulary maps each sensitive category to named groups of terms, e.g. medicines and
procedures by the condition they treat (`treatments.ru.yaml`):

    treatments:
      health:
        diabetes: [метформин, metformin, ...]

Every entry becomes a `term` of its category in the language's lexicon data; the group
names document the file and do not affect matching. Entries may be mappings with
`unless`, as in the lexicon.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml


def vocabulary_files(language: str) -> list[Any]:
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    suffix = f".{language}.yaml"
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(suffix) and f.name != f"{language}.yaml"),
        key=lambda f: f.name,
    )


def with_vocabularies(data: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The lexicon data with every shipped vocabulary's terms added to its categories."""
    merged = dict(data)
    categories = {k: dict(v or {}) for k, v in (data.get("categories") or {}).items()}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for file in vocabulary_files(language):
        vocabulary = yaml.load(file.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
        for sections in vocabulary.values():
            for category, groups in (sections or {}).items():
                spec = categories.setdefault(category, {})
                terms = list(spec.get("terms") or ())
                for entries in (groups or {}).values():
                    terms.extend(entries or ())
                spec["terms"] = terms
    merged["categories"] = categories
    return merged
