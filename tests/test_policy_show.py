"""`policy show` output: the merged policy as commented YAML, and as plain data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from creepcheck.policy import builtin_policies, load_policy, policy_summary, render_policy


@pytest.fixture()
def team(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(
        "extends: builtin:casl\n"
        "rules:\n  channel-blast: {max_channels: 2}\n"
        "fields:\n  inferred.pregnancy_score: {category: pregnancy, inferred: true}\n"
        "categories:\n  pregnancy: {en: [due date], ru: [беременность]}\n",
        encoding="utf-8",
    )
    (tmp_path / "team.yaml").write_text(
        "extends: base.yaml\nrules:\n  CC301: {max_items: 0}\n  missing-data: {severity: off}\n"
        'consent:\n  marketing: {sms: [granted]}\n  service: {"*": any}\n',
        encoding="utf-8",
    )
    return tmp_path


def test_render_shows_merged_values_and_origins(team: Path) -> None:
    text = render_policy(load_policy("team.yaml", team))
    lines = text.splitlines()
    assert (
        lines[0]
        == "# Effective policy, merged from: builtin:default, builtin:casl, base.yaml, team.yaml"
    )
    assert "    max_items: 0  # from team.yaml" in lines
    assert "    max_channels: 2  # from base.yaml" in lines
    assert "    severity: off  # from team.yaml" not in lines  # quoted: `off` is YAML for false
    assert "    severity: 'off'  # from team.yaml" in lines
    assert "    severity: error  # from builtin:casl" in lines  # missing-opt-out
    assert "    forbid: [date, price, quantity, store, sequence]  # rule default" in lines
    assert "    sms: [granted]  # from team.yaml" in lines
    assert (
        "    email: [granted, {status: implied, lapses_after_days: {purchase: 730, inquiry: 183}}]"
        "  # from builtin:casl" in lines
    )
    assert "    '*': any  # from team.yaml" in lines
    assert (
        "  inferred.pregnancy_score: {category: pregnancy, inferred: true}  # from base.yaml"
        in lines
    )
    assert "    ru: [беременность]  # from base.yaml" in lines


def test_render_is_a_loadable_policy_with_the_same_effect(team: Path) -> None:
    policy = load_policy("team.yaml", team)
    (team / "shown.yaml").write_text(render_policy(policy), encoding="utf-8")
    again = load_policy("shown.yaml", team)
    assert again.rules == policy.rules
    assert again.consent == policy.consent
    assert again.fields == policy.fields
    assert again.categories == policy.categories


@pytest.mark.parametrize("name", [f"builtin:{name}" for name, _ in builtin_policies()])
def test_render_every_preset_is_valid_yaml(name: str) -> None:
    data = yaml.safe_load(render_policy(load_policy(name, Path("."))))
    assert set(data) == {"rules", "consent", "fields", "categories", "not_sensitive"}


def test_summary_is_plain_json(team: Path) -> None:
    summary = policy_summary(load_policy("team.yaml", team))
    assert json.loads(json.dumps(summary)) == summary
    assert summary["files"] == ["builtin:default", "builtin:casl", "base.yaml", "team.yaml"]
    assert summary["rules"]["purchase-recall"] == {
        "code": "CC301",
        "severity": "warning",
        "options": {"max_items": 0, "forbid": ["date", "price", "quantity", "store", "sequence"]},
    }
    assert summary["rules"]["missing-data"]["severity"] == "off"
    assert summary["consent"]["marketing"]["email"] == [
        "granted",
        {"status": "implied", "lapses_after_days": {"purchase": 730, "inquiry": 183}},
    ]
    assert summary["fields"] == {
        "inferred.pregnancy_score": {"category": "pregnancy", "inferred": True}
    }
    assert summary["origins"]["rules.purchase-recall.max_items"] == "team.yaml"
