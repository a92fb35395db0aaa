"""missing-data (CC404) for a field the templates read that no profile of the audience
has: a misspelling that sends every recipient down the else branch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from creepcheck import tuning
from creepcheck.models import Finding
from creepcheck.run import CheckOptions, check
from tests.ruleharness import CLEAN_PROFILE, deep_merge

MISSPELT = """Hello {{ first_name }},
{% if loyalty_teir == "gold" %}
Gold members get early access.
{% else %}
Spring picks for you.
{% endif %}
"""


def write_campaign(
    folder: Path, template: str, profiles: list[dict[str, Any]], *, jsonl: bool = False
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir()  # the repository root: no config search above it
    (folder / "email.txt.j2").write_text(template, encoding="utf-8")
    people = [deep_merge(CLEAN_PROFILE, p) for p in profiles]
    if jsonl:
        name = "profiles.jsonl"
        text = "".join(json.dumps(p) + "\n" for p in people)
    else:
        name, text = "profiles.yaml", yaml.safe_dump(people, sort_keys=False)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "campaign.yaml").write_text(
        "id: loyalty\npurpose: marketing\naudience: b2c\n"
        f"send_at: 2026-03-02T15:00:00Z\nprofiles: {name}\n"
        "messages:\n  - channel: email\n    subject: \"{{ first_nmae | default('Hi') }}\"\n"
        "    template: email.txt.j2\n",
        encoding="utf-8",
    )
    return folder


def absent_field_findings(folder: Path, **options: Any) -> list[Finding]:
    result = check(CheckOptions(paths=(folder,), **options))
    return [f for f in result.findings if f.code == "CC404" and f.profile is None]


def gold(number: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"p-{number}", **fields}


def test_a_misspelt_field_fires_once_at_its_line_with_the_field_that_exists(
    tmp_path: Path,
) -> None:
    folder = write_campaign(
        tmp_path / "repo", MISSPELT, [gold(1, loyalty_tier="gold"), gold(2, loyalty_tier="blue")]
    )
    [finding] = absent_field_findings(folder)
    assert finding.rule == "missing-data"
    assert finding.file.endswith("email.txt.j2")
    assert finding.line == 2
    assert finding.channel == "email"
    assert finding.fields == ("loyalty_teir",)
    assert '"loyalty_teir" is not a field of any of the 2 profiles' in finding.message
    assert 'did you mean "loyalty_tier"?' in finding.message
    assert finding.fix == 'Use "loyalty_tier".'


def test_a_field_one_profile_has_is_silent(tmp_path: Path) -> None:
    folder = write_campaign(
        tmp_path / "repo", MISSPELT, [gold(1), gold(2, loyalty_teir="gold"), gold(3)]
    )
    assert absent_field_findings(folder) == []


@pytest.mark.parametrize(
    "template",
    [
        pytest.param('{% set tier = "gold" %}{% if tier == "gold" %}Gold{% endif %}', id="set"),
        pytest.param("{% set greeting %}Hi{% endset %}{{ greeting }}", id="set-block"),
        pytest.param("{% for item in purchases %}{{ item.sku }}{% endfor %}", id="loop-variable"),
        pytest.param("{% for n in range(2) %}{{ n }} {{ loop.index }}{% endfor %}", id="range"),
        pytest.param("{% macro hi(who) %}Hi {{ who }}{% endmacro %}{{ hi(first_name) }}",
                     id="macro"),
        pytest.param('{% if profile.loyalty_tier == "gold" %}Gold{% endif %}', id="profile-x"),
        pytest.param("{{ campaign.id }}", id="campaign"),
        pytest.param("{% if nickname is defined %}{{ nickname }}{% endif %}", id="is-defined"),
        pytest.param("{{ nickname | default('friend') }}", id="default"),
        pytest.param("{{ address.city }}", id="nested-present"),
    ],
)
def test_names_the_template_defines_or_profiles_have_are_silent(
    tmp_path: Path, template: str
) -> None:
    people = [gold(1, loyalty_tier="gold", purchases=[], address={"city": "Leeds"})]
    assert absent_field_findings(write_campaign(tmp_path / "repo", template, people)) == []


def test_a_misspelt_nested_key_names_its_sibling(tmp_path: Path) -> None:
    people = [gold(1, address={"city": "Leeds", "country": "GB"})]
    folder = write_campaign(tmp_path / "repo", "Weather in\n{{ address.citty }}", people)
    [finding] = absent_field_findings(folder)
    assert finding.line == 2
    assert 'did you mean "address.city"?' in finding.message


def test_a_name_no_profile_is_close_to_has_no_suggestion(tmp_path: Path) -> None:
    folder = write_campaign(tmp_path / "repo", "{% if zzqx %}x{% endif %}", [gold(1)])
    [finding] = absent_field_findings(folder)
    assert "did you mean" not in finding.message
    assert "the one profile checked" in finding.message


def test_an_inline_subject_reports_its_message_entry_in_the_campaign_file(tmp_path: Path) -> None:
    folder = write_campaign(tmp_path / "repo", "Hi", [gold(1)])
    text = (folder / "campaign.yaml").read_text().replace("first_nmae | default('Hi')",
                                                           "first_nmae")
    (folder / "campaign.yaml").write_text(text)
    [finding] = absent_field_findings(folder)
    assert finding.file.endswith("campaign.yaml")
    assert finding.line == 7  # `- channel: email`, where inline templates are located
    assert 'did you mean "first_name"?' in finding.message


def test_a_preview_of_chosen_profiles_is_not_the_audience(tmp_path: Path) -> None:
    folder = write_campaign(
        tmp_path / "repo", MISSPELT, [gold(1), gold(2, loyalty_teir="gold")]
    )
    assert absent_field_findings(folder, profile_ids=frozenset({"p-1"})) == []


@pytest.mark.parametrize("jsonl", [False, True], ids=["yaml", "jsonl"])
@pytest.mark.parametrize("present_in", [None, 299], ids=["absent", "in-last-batch"])
def test_workers_and_the_plain_path_merge_the_same_audience(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jsonl: bool, present_in: int | None
) -> None:
    """300 profiles: more than one batch, so the field set is merged across batches."""
    people = [gold(n, loyalty_tier="gold") for n in range(300)]
    if present_in is not None:
        people[present_in] = gold(present_in, loyalty_teir="gold")
    folder = write_campaign(tmp_path / "repo", MISSPELT, people, jsonl=jsonl)
    one = absent_field_findings(folder)
    assert len(one) == (1 if present_in is None else 0)
    assert absent_field_findings(folder, jobs=2) == one
    monkeypatch.setattr(tuning, "OPTIMISE", False)
    assert absent_field_findings(folder) == one


def test_turned_off_with_the_rule(tmp_path: Path) -> None:
    folder = write_campaign(tmp_path / "repo", MISSPELT, [gold(1)])
    assert absent_field_findings(folder, ignore=("missing-data",)) == []
