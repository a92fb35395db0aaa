"""Policy `fields:` roles: `role: content` or `role: fact` (SPEC sections 2 and 3)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from creepcheck.errors import PolicyError
from creepcheck.policy import load_policy
from creepcheck.policy.show import render_policy

H = "policies/house.yaml"


def write(tmp_path: Path, text: str) -> None:
    path = tmp_path / H
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def test_role_alone_classes_a_field_for_the_copy(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
        extends: builtin:default
        fields:
          picks: {role: content}
          attributes.favourite_*: {role: fact}
          inferred.pregnancy_score: {category: pregnancy, inferred: true, role: fact}
        """,
    )
    policy = load_policy(H, tmp_path)
    assert policy.field_role("picks[0]") == "content"
    assert policy.field_role("attributes.favourite_brand") == "fact"
    assert policy.field_role("attributes.city") is None
    # A role alone is no sensitive class: the sensitive rules do not see it.
    assert policy.field_class("picks[0]") is None
    cls = policy.field_class("inferred.pregnancy_score")
    assert cls is not None and cls.category == "pregnancy" and cls.role == "fact"


def test_bad_role_and_missing_category_are_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
        extends: builtin:default
        fields:
          picks: {role: contents}
          attributes.x: {inferred: true}
          offers: {role: [content]}
        """,
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(H, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f'{H}:3: fields.picks.role: unknown role "contents" (did you mean "content"?)',
        f'{H}:4: fields.attributes.x: missing "category"',
        f"{H}:5: fields.offers.role: expected content or fact, got a list",
    ]


def test_show_prints_the_role_and_reloads(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
        extends: builtin:default
        fields:
          picks: {role: content}
          attributes.religion: {category: religion, role: fact}
        """,
    )
    shown = render_policy(load_policy(H, tmp_path))
    assert "role: content" in shown
    again = tmp_path / "shown.yaml"
    again.write_text(shown, encoding="utf-8")
    reloaded = load_policy("shown.yaml", tmp_path)
    assert reloaded.field_role("picks") == "content"
    assert reloaded.field_role("attributes.religion") == "fact"
    cls = reloaded.field_class("attributes.religion")
    assert cls is not None and cls.category == "religion"
