"""Inline suppressions in templates: parsing, line and rest-of-template scope, reasons."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from creepcheck.cli import main
from creepcheck.errors import UserError
from creepcheck.findings.suppressions import Comment, scan
from tests.paths import CONFORMANCE_CASES as CASES

RULES = "--select=missing-data,missing-opt-out"

# --- parsing -----------------------------------------------------------------------------


def test_scan_reads_rules_reason_and_placement() -> None:
    source = (
        "Hello\n"
        '{# creepcheck: disable=purchase-recall reason="reorder reminder" #}\n'
        "You bought {{ item }} {#- creepcheck: disable=CC301, pii-leak reason='asked for' -#}\n"
        "{# an ordinary comment #}\n"
    )
    assert scan(source, "email.html.j2") == (
        Comment(
            ("purchase-recall",),
            "reorder reminder",
            2,
            2,
            True,
            '{# creepcheck: disable=purchase-recall reason="reorder reminder" #}',
        ),
        Comment(
            ("purchase-recall", "pii-leak"),
            "asked for",
            3,
            3,
            False,
            "{#- creepcheck: disable=CC301, pii-leak reason='asked for' -#}",
        ),
    )


@pytest.mark.parametrize(
    ("comment", "reason"),
    [
        ("{# creepcheck: disable=missing-data #}", None),
        ('{# creepcheck: disable=missing-data reason="" #}', None),
        ("{# creepcheck: disable=missing-data reason=optional field #}", "optional field"),
        ('{# Creepcheck : disable = missing-data  reason = "a  b" #}', "a b"),
    ],
)
def test_scan_reasons(comment: str, reason: str | None) -> None:
    [parsed] = scan(comment, "t.j2")
    assert parsed.rules == ("missing-data",)
    assert parsed.reason == reason


def test_scan_skips_raw_blocks() -> None:
    source = "{% raw %}{# creepcheck: disable=nonsense #}{% endraw %}\n"
    assert scan(source, "t.j2") == ()


def test_multiline_comment_spans_its_lines() -> None:
    [comment] = scan('a\n{# creepcheck: disable=missing-data\n   reason="why" #}\n', "t.j2")
    assert (comment.start_line, comment.end_line, comment.alone) == (2, 3, True)
    assert comment.text == '{# creepcheck: disable=missing-data reason="why" #}'


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "x\n{# creepcheck: disabel=missing-data #}",
            "t.j2:2: malformed creepcheck comment; expected "
            '{# creepcheck: disable=RULE reason="why this is acceptable" #}',
        ),
        (
            "{# creepcheck: disable=missing-data because why not #}",
            "t.j2:1: malformed creepcheck comment; expected "
            '{# creepcheck: disable=RULE reason="why this is acceptable" #}',
        ),
        (
            '{# creepcheck: disable=misssing-data reason="x" #}',
            't.j2:1: unknown rule "misssing-data" in creepcheck comment '
            '(did you mean "missing-data"?); see `creepcheck rules`',
        ),
    ],
)
def test_malformed_comments_are_user_errors(source: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        scan(source, "t.j2")
    assert [str(p) for p in caught.value.problems] == [message]


# --- in a run ----------------------------------------------------------------------------


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CASES / "mix-pharmacy-wellness", target)
    (target / ".git").mkdir()
    monkeypatch.chdir(target)
    return target


def sms(case: Path, text: str) -> None:
    (case / "sms.txt.j2").write_text(text)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--no-progress", RULES, *args])


def findings(*args: str) -> list[dict[str, Any]]:
    result = run("--format", "json", "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]  # type: ignore[no-any-return]


def by_line(items: list[dict[str, Any]]) -> dict[int, set[str | None]]:
    lines: dict[int, set[str | None]] = {}
    for item in items:
        if item["file"] == "sms.txt.j2":
            lines.setdefault(item["line"], set()).add(item.get("suppressed"))
    return lines


def test_comment_with_content_suppresses_its_line_only(case: Path) -> None:
    sms(
        case,
        'Hi {{ nickname }} {# creepcheck: disable=missing-data reason="nickname is optional" #}\n'
        "Code: {{ promo_code }}. Reply STOP to opt out\n",
    )
    assert by_line(findings()) == {1: {"nickname is optional"}, 2: {None}}
    result = run("--fail-on", "warning")
    assert result.exit_code == 1  # line 2 still counts
    assert "suppressed: nickname is optional" in result.stdout


def test_comment_alone_suppresses_the_rest_of_the_template(case: Path) -> None:
    sms(
        case,
        "Hi {{ nickname }}\n"
        '{# creepcheck: disable=CC404 reason="codes are optional" #}\n'
        "Code: {{ promo_code }}\n"
        "Ref: {{ ref }}. Reply STOP to opt out\n",
    )
    assert by_line(findings()) == {1: {None}, 3: {"codes are optional"}, 4: {"codes are optional"}}


def test_suppressed_findings_do_not_count(case: Path) -> None:
    sms(
        case,
        '{# creepcheck: disable=missing-data reason="codes are optional" #}\n'
        "Code: {{ promo_code }}. Reply STOP to opt out\n",
    )
    result = run("--fail-on", "warning")
    assert result.exit_code == 0, result.output
    assert "suppressed: codes are optional" in result.stdout


def test_whole_template_comment_covers_message_level_findings(case: Path) -> None:
    sms(
        case,
        '{# creepcheck: disable=missing-opt-out reason="order ready notice" #}\n'
        "Bluebell: your order is ready.\n",
    )
    [finding] = [f for f in findings() if f["rule"] == "missing-opt-out"]
    assert (finding["file"], finding["suppressed"]) == ("campaign.yaml", "order ready notice")


def test_line_comment_does_not_cover_message_level_findings(case: Path) -> None:
    sms(case, 'Bluebell: ready. {# creepcheck: disable=missing-opt-out reason="x" #}\n')
    [finding] = [f for f in findings() if f["rule"] == "missing-opt-out"]
    assert "suppressed" not in finding


def test_other_rules_are_not_suppressed(case: Path) -> None:
    sms(
        case,
        '{# creepcheck: disable=purchase-recall reason="reorder reminder" #}\n'
        "Code: {{ promo_code }}. Reply STOP to opt out\n",
    )
    assert by_line(findings()) == {2: {None}}


def test_suppression_without_reason_is_reported_and_suppresses_nothing(case: Path) -> None:
    sms(
        case,
        "{# creepcheck: disable=missing-data #}\nCode: {{ promo_code }}. Reply STOP to opt out\n",
    )
    items = findings()
    assert by_line(items) == {1: {None}, 2: {None}}
    [warning] = [f for f in items if f["line"] == 1]
    assert {
        k: warning[k]
        for k in (
            "rule",
            "code",
            "severity",
            "campaign",
            "channel",
            "profile",
            "file",
            "line",
            "message",
        )
    } == {
        "rule": "missing-data",
        "code": "CC404",
        "severity": "warning",
        "campaign": "wellness-week-2026",
        "channel": "sms",
        "profile": None,
        "file": "sms.txt.j2",
        "line": 1,
        "message": "inline suppression of missing-data has no reason",
    }
    text = run("--fail-on", "warning")
    assert text.exit_code == 1
    assert (
        "sms.txt.j2:1: CC404 [warning] inline suppression of missing-data has no reason "
        "(missing-data)\n"
    ) in text.stdout


def test_reasonless_suppression_of_a_disabled_rule_is_not_reported(case: Path) -> None:
    sms(case, "{# creepcheck: disable=purchase-recall #}\nHi. Reply STOP to opt out\n")
    assert findings() == []


def test_inline_template_in_the_campaign_file(case: Path) -> None:
    campaign = case / "campaign.yaml"
    campaign.write_text(
        campaign.read_text().replace(
            "    template: push.txt.j2",
            "    body: \"Hi {{ nickname }} {# creepcheck: disable=missing-data reason='optional' #}\"",
        )
    )
    items = [f for f in findings() if f["channel"] == "push"]
    assert {(f["file"], f.get("suppressed")) for f in items} == {("campaign.yaml", "optional")}
    # One per profile, and one for the template: no profile has a nickname.
    assert [f["profile"] for f in items].count(None) == 1
    assert len(items) == 6


def test_malformed_comment_in_a_run_exits_2(case: Path) -> None:
    sms(case, "Hi\n{# creepcheck: disable=missing-data, reason=x #}\n")
    result = run()
    assert result.exit_code == 2
    assert result.stderr == (
        "error: sms.txt.j2:2: malformed creepcheck comment; expected "
        '{# creepcheck: disable=RULE reason="why this is acceptable" #}\n'
    )
