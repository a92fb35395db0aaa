"""Shared renders and memoised rule findings never change what a profile is told.

The render cache and the finding memo (memo.py) reuse work across profiles that a rule
cannot tell apart, by the key the memo builds from what each rule declares it reads
(`Rule.reads`). A declaration that forgets something the rule reads would hand one
profile another's findings. To catch
that, each campaign is checked against a *crossed* audience: every profile, and every
profile with one top-level field taken from another profile. Such profiles render the
same copy while differing in exactly one field, which is where a missing key shows;
the optimised and plain paths must agree finding for finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from creepcheck import tuning
from creepcheck.loaders.campaigns import discover_campaigns, load_campaign
from creepcheck.loaders.profiles import iter_profiles
from creepcheck.models import Profile
from creepcheck.run import CheckOptions
from creepcheck.run import check as run_check
from creepcheck.run.memo import FindingMemo
from tests.paths import CONFORMANCE_CASES, MEMO_FIXTURE, SAMPLE_CAMPAIGNS

# Static copy that recalls purchases, page views and birthdays for some profiles only.
TARGETS = [SAMPLE_CAMPAIGNS, MEMO_FIXTURE] + (
    sorted(p for p in CONFORMANCE_CASES.iterdir() if p.is_dir())
)


def plain(node: Any) -> Any:
    """Loaded profile data as plain dicts and lists, for writing back out."""
    if isinstance(node, Mapping):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [plain(v) for v in node]
    return node


def crossed(profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each profile, then each profile with one top-level field from another."""
    audience = [dict(p, id=f"{p['id']}") for p in profiles]
    for a in profiles:
        for b in profiles:
            if a is b:
                continue
            for key in b:
                if key != "id" and a.get(key) != b[key]:
                    audience.append(dict(a, **{key: b[key]}, id=f"{a['id']}~{b['id']}.{key}"))
    return audience


def campaign_audiences(target: Path, tmp_path: Path) -> list[tuple[Path, Path]]:
    """(campaign file, crossed profiles file) for each campaign under `target`."""
    out = []
    for number, path in enumerate(discover_campaigns([target], (), root=target)):
        campaign = load_campaign(path)
        if campaign.profiles is None:
            continue
        records = [p.data for p in iter_profiles(campaign.profiles) if isinstance(p, Profile)]
        audience = tmp_path / f"crossed-{number}.yaml"
        audience.write_text(yaml.safe_dump(crossed([plain(r) for r in records])), "utf-8")
        out.append((path, audience))
    return out


def outcome(
    campaign: Path, audience: Path, monkeypatch: pytest.MonkeyPatch, optimise: bool
) -> tuple[list[object], list[object]]:
    monkeypatch.setattr(tuning, "OPTIMISE", optimise)
    result = run_check(CheckOptions(paths=(campaign,), profiles=audience))
    return result.findings, result.messages


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.name)
def test_crossed_audiences_get_the_same_findings_either_way(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(target)
    audiences = campaign_audiences(target, tmp_path)
    assert audiences, f"no campaign with profiles under {target}"
    for campaign, audience in audiences:
        optimised = outcome(campaign, audience, monkeypatch, True)
        assert optimised == outcome(campaign, audience, monkeypatch, False), campaign


@pytest.mark.parametrize(
    ("rule", "forgotten"),
    [("tracking_disclosure.TrackingDisclosure", "behavior"),
     ("unconsented_attribute_use.UnconsentedAttributeUse", "attributes")],
)
def test_a_declaration_that_forgets_a_field_is_caught_by_the_crossed_audience(
    rule: str, forgotten: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    module, name = rule.split(".")
    rule_class = getattr(importlib.import_module(f"creepcheck.rules.{module}"), name)
    assert forgotten in rule_class.reads
    monkeypatch.setattr(rule_class, "reads", ())  # as if it read the copy alone
    monkeypatch.chdir(MEMO_FIXTURE)
    (campaign, audience), *_ = campaign_audiences(MEMO_FIXTURE, tmp_path)
    optimised = outcome(campaign, audience, monkeypatch, True)
    assert optimised != outcome(campaign, audience, monkeypatch, False)


def test_profiles_with_the_same_copy_share_one_rule_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    real_run = FindingMemo.run

    def counting(self: FindingMemo, rules: Any, subject: Any) -> Any:
        before = len(self.entries)
        found = real_run(self, rules, subject)
        calls.append(f"{subject.profile.id}:{len(self.entries) - before}")
        return found

    monkeypatch.setattr(FindingMemo, "run", counting)
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(
        "id: c\nname: C\npurpose: marketing\naudience: b2c\nsend_at: 2026-03-20T16:00:00Z\n"
        "profiles: profiles.yaml\nmessages:\n  - channel: sms\n    body: "
        "'Hi {{ first_name }}, 20% off rain gear. Reply STOP to opt out'\n",
        "utf-8",
    )
    people = [
        {
            "id": f"p{i}",
            "first_name": "Ana",
            "last_name": f"Name{i}",
            "contact_points": {"sms": [{"value": f"+1 212 555 01{i:02d}", "source": "customer"}]},
            "consents": {"sms": {"status": "granted", "purposes": ["marketing"]}},
        }
        for i in range(5)
    ]
    (tmp_path / "profiles.yaml").write_text(yaml.safe_dump(people), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_check(CheckOptions(paths=(tmp_path,)))
    assert result.stats.profiles_checked == 5
    # The first profile fills the memo; the other four, same copy, add nothing to it.
    assert calls[0] != "p0:0"
    assert calls[1:] == [f"p{i}:0" for i in range(1, 5)]
