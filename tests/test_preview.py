"""`creepcheck preview`: a message as one profile gets it, findings highlighted, PII masked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from creepcheck.cli import main
from creepcheck.commands.preview import PreviewOptions, _regions, run_preview
from creepcheck.models import Finding, Severity
from tests.paths import CONFORMANCE_CASES as CASES

SMS = (
    "Bluebell: {{ first_name }}, wellness week starts Monday.\nYour code: {{ promo_code }}\n"
    "Reply STOP to opt out\n"
)


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CASES / "mix-pharmacy-wellness", target)
    (target / ".git").mkdir()
    (target / "sms.txt.j2").write_text(SMS)
    monkeypatch.chdir(target)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return target


def preview(*args: str) -> Result:
    return CliRunner().invoke(main, ["preview", *args])


def test_preview_highlights_findings_and_masks_the_name(case: Path) -> None:
    result = preview(".", "--profile", "rx-glucose-strips", "--channel", "sms")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wellness-week-2026 · rx-glucose-strips\n"
        "\n"
        "sms (sms.txt.j2)\n"
        "  Bluebell: F., wellness week starts Monday.\n"
        "  [[Your code:]][1]\n"
        "  Reply STOP to opt out\n"
        "\n"
        "  [1] sms.txt.j2:2: CC404 [warning] promo_code renders as nothing for this profile "
        "(missing-data)\n"
        "      evidence: Your code:\n"
        "      fix: Give promo_code a fallback, e.g. {{ promo_code | default('there', true) }}, "
        "or fill the field.\n"
    )


def test_show_pii_prints_the_name(case: Path) -> None:
    result = preview(".", "--profile", "rx-glucose-strips", "--channel", "sms", "--show-pii")
    assert result.exit_code == 0, result.output
    assert "  Bluebell: Frank, wellness week starts Monday.\n" in result.stdout


def test_email_preview_masks_addresses_and_shows_the_subject(case: Path) -> None:
    result = preview("campaign.yaml", "--profile", "rx-clean", "--channel", "email")
    assert result.exit_code == 0, result.output
    assert "  Subject: Wellness week at Bluebell, S.\n" in result.stdout
    assert "This email was sent to s***@e***.org because" in result.stdout
    assert "Sarah" not in result.stdout and "sarah.mitchell" not in result.stdout
    assert result.stdout.endswith("\n  no findings\n")


def test_profile_level_findings_and_unrendered_channels(case: Path) -> None:
    result = preview(".", "--profile", "rx-erasure-requested")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "wellness-week-2026 · rx-erasure-requested",
        "",
        "Profile",
        "  [1] campaign.yaml:1: CC403 [error] The recipient asked for their data to be erased "
        "(suppressed-recipient)",
    ]


def test_color_highlights_with_styles(case: Path) -> None:
    text = run_preview(PreviewOptions(Path("."), "rx-glucose-strips", "sms", color=True))
    assert "\x1b[30;43mYour code:\x1b[0m\x1b[33m[1]\x1b[0m" in text


def test_unknown_profile_lists_ids_and_suggests(case: Path) -> None:
    result = preview(".", "--profile", "rx-glucose")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        'error: profiles.yaml: unknown profile "rx-glucose" (did you mean "rx-glucose-strips"?); '
        "profiles there: rx-clean, rx-high-pregnancy-score, rx-glucose-strips, "
        "rx-email-withdrawn, rx-erasure-requested\n"
    )


def test_unknown_profile_in_a_long_file_truncates_the_list(case: Path) -> None:
    profiles = yaml.safe_load((case / "profiles.yaml").read_text())
    many = [dict(profiles[0], id=f"p-{n:03}") for n in range(25)]
    (case / "profiles.yaml").write_text(yaml.safe_dump(many))
    result = preview(".", "--profile", "zzz")
    assert result.exit_code == 2
    assert result.stderr == (
        'error: profiles.yaml: unknown profile "zzz"; profiles there: p-000, p-001, p-002, '
        "p-003, p-004, p-005, p-006, p-007, p-008, p-009, … (25 in all)\n"
    )


def test_unknown_channel(case: Path) -> None:
    result = preview(".", "--profile", "rx-clean", "--channel", "whatsapp")
    assert result.exit_code == 2
    assert result.stderr == (
        'error: campaign.yaml: campaign "wellness-week-2026" has no whatsapp message; '
        "its channels: email, sms, push\n"
    )


def test_folder_with_several_campaigns(case: Path) -> None:
    shutil.copytree(CASES / "mix-retail-spring-sale", case / "retail")
    result = preview(".", "--profile", "rx-clean")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: .: holds 2 campaigns; preview one of them: campaign.yaml, retail/campaign.yaml\n"
    )


def test_missing_profile_option_is_a_usage_error(case: Path) -> None:
    result = preview(".")
    assert result.exit_code == 2
    assert "Missing option '--profile'" in result.stderr


def finding(spans: tuple[tuple[int, int], ...], evidence: str = "") -> Finding:
    return Finding(
        "purchase-recall", "CC301", Severity.WARNING, "m", spans=spans, evidence=evidence
    )


def test_regions_merge_overlaps_and_never_cut_personal_data() -> None:
    first, second = finding(((0, 5),)), finding(((3, 9),))
    third = finding((), evidence="Frank  bought")
    text = "You bought gloves, Frank bought socks"
    regions = _regions(text, [first, second, third], pii=[(19, 24)])
    assert [(start, end, len(owners)) for start, end, owners in regions] == [
        (0, 9, 2),
        (19, 31, 1),
    ]
    # A span ending inside "Frank" is widened to cover the whole name.
    [(start, end, _)] = _regions(text, [finding(((12, 21),))], pii=[(19, 24)])
    assert text[start:end] == "loves, Frank"


HOSTILE_PROFILE = """\
- id: "a\\e[2J"
  first_name: "Ana\\e]52;c;cHduZWQ=\\a\\n::error::Forged\\r"
  birth_date: 1984-03-12
  household: {spouse: Marco Rossi}
  timezone: America/New_York
  contact_points:
    email: [{value: ana@example.org, source: customer, status: valid}]
  consents:
    email: {status: granted}
"""


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "campaign.yaml").write_text(
        "id: hostile\nsend_at: 2026-03-02T15:00:00Z\nprofiles: profiles.yaml\n"
        "messages:\n  - {channel: email, template: t.txt.j2}\n"
    )
    (tmp_path / "profiles.yaml").write_text(HOSTILE_PROFILE)
    (tmp_path / "t.txt.j2").write_text(
        "Hi {{ first_name }}, you and {{ household.spouse }} (born {{ birth_date }}).\n"
        "Unsubscribe: https://x.example.com/unsubscribe\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


@pytest.mark.parametrize("show_pii", [False, True])
def test_preview_never_prints_control_characters(hostile: Path, show_pii: bool) -> None:
    result = preview(".", "--profile", "a\x1b[2J", *(["--show-pii"] if show_pii else []))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("hostile · a␛[2J\n")
    for raw in ("\x1b", "\x07", "\r"):
        assert raw not in result.stdout
    assert not re.search(r"^::", result.stdout, re.MULTILINE)


def test_preview_masks_relatives_and_birth_dates_unless_show_pii(hostile: Path) -> None:
    masked = preview(".", "--profile", "a\x1b[2J").stdout
    assert "you and M. R. (born ****-**-**)" in masked
    shown = preview(".", "--profile", "a\x1b[2J", "--show-pii").stdout
    assert "you and Marco Rossi (born 1984-03-12)" in shown
    assert "  Hi Ana␛]52;c;cHduZWQ=␇\n  ::error::Forged" in shown  # each line indented
