"""The Python API returns the findings the CLI prints."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import creepcheck
from creepcheck.cli import main
from tests.paths import CONFORMANCE_CASES as CASES

MIXED = ["mix-pharmacy-wellness", "mix-retail-spring-sale", "mix-b2b-saas-webinar"]


@pytest.mark.parametrize("case", MIXED)
def test_api_matches_cli_json(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / case)
    cli = CliRunner().invoke(
        main, ["check", "--no-progress", "--format", "json", "--fail-on", "never", "."]
    )
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.stdout)["findings"]
    result = creepcheck.check(["."], policy=None, profiles=None)
    assert sorted((f.rule, f.profile, f.channel, f.fingerprint) for f in result.findings) == sorted(
        (f["rule"], f["profile"], f["channel"], f["fingerprint"]) for f in printed
    )
    assert printed, "the conformance case has findings"


def test_api_takes_a_single_path_and_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / "mix-pharmacy-wellness"
    monkeypatch.chdir(case)
    result = creepcheck.check(case, profiles=case / "profiles.yaml", select=["unconsented-channel"])
    assert [(f.rule, f.profile, f.channel) for f in result.findings] == [
        ("unconsented-channel", "rx-email-withdrawn", "email")
    ]
    assert all(isinstance(f, creepcheck.Finding) for f in result.findings)
