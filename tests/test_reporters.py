"""The sarif, junit, github, markdown and html reporters.

Each format is rendered from real engine runs on two conformance cases and from a
hand-made result with waived, suppressed and hostile findings. Golden files under
tests/golden/ pin the hand-made renderings; regenerate them with UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import creepcheck
from creepcheck.errors import Problem
from creepcheck.findings.result import RunResult, RunStats
from creepcheck.models import Finding, MessageRecord, Severity, Waiver
from creepcheck.reporters import REPORTERS, ReportOptions
from creepcheck.reporters.common import finding_groups
from creepcheck.reporters.github import escape_data, escape_property
from creepcheck.reporters.markdown import code, md
from creepcheck.rules.registry import RULES
from tests.paths import CONFORMANCE_CASES as CASES
from tests.paths import SARIF_SCHEMA

GOLDEN = Path(__file__).parent / "golden"
OWN_FORMATS = ("sarif", "junit", "github", "markdown", "html")
REAL_CASES = ("mix-retail-spring-sale", "mix-pharmacy-wellness")


# --- inputs -----------------------------------------------------------------------------


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


@cache
def real_run(case: str) -> RunResult:
    """The engine's result for a conformance case, run from inside its folder."""
    with _inside(CASES / case):
        return creepcheck.check(["."])


WAIVER_ACTIVE = Waiver(
    rule="purchase-recall",
    reason="Reorder reminder | the customer asked",
    approved_by="dpo@acme.example",
    expires=date(2099, 6, 30),
    profiles=("cust-007",),
    channels=("email",),
    line=20,
)
WAIVER_EXPIRED = Waiver(
    rule="CC105",
    reason="Night shift workers",
    approved_by="legal@acme.example",
    expires=date(2020, 1, 31),
    line=26,
)
WAIVER_OPEN = Waiver(
    rule="missing-data",
    reason="Known gap in the CRM export",
    approved_by="ops@acme.example",
    line=30,
)
HOSTILE = 'Says <script>alert(1)</script> & "quotes" | pipes, 100% off: now\nnext `tick`\x07'


def handmade_result() -> RunResult:
    """A result the engine could produce, with every case the reporters must handle."""
    spring, autumn = "spring-sale-2026", "autumn & <friends>"
    findings = [
        Finding(
            rule="purchase-recall",
            code="CC301",
            severity=Severity.WARNING,
            message="Recalls Black leather loafers with the date it was bought",
            campaign=spring,
            channel="email",
            profile="cust-007",
            file="campaigns/spring sale/email.html.j2",
            line=12,
            column=5,
            evidence="You bought Black leather loafers on 20 Feb",
            fix="Say 'recent purchases'.",
            fields=("purchases[0].item", "purchases[0].at"),
            fingerprint="aaaa000000000001",
            waiver=WAIVER_ACTIVE,
        ),
        Finding(
            rule="purchase-recall",
            code="CC301",
            severity=Severity.WARNING,
            message="Recalls two purchases in sequence",
            campaign=spring,
            channel="email",
            profile="cust-001",
            file="campaigns/spring sale/email.html.j2",
            line=14,
            evidence="loafers, then boots",
            fields=("purchases[0].item",),
            fingerprint="aaaa000000000002",
        ),
        Finding(
            rule="deceased-recipient",
            code="CC401",
            severity=Severity.ERROR,
            message="The recipient is recorded as deceased",
            campaign=spring,
            profile="cust-009",
            file="campaigns/spring sale/campaign.yaml",
            line=1,
            evidence="status: deceased",
            fix="Remove deceased records.",
            fields=("status",),
            fingerprint="aaaa000000000003",
        ),
        Finding(
            rule="sensitive-targeting",
            code="CC202",
            severity=Severity.ERROR,
            message="Template branches on inferred.pregnancy_score",
            campaign=spring,
            channel="push",
            file="campaigns\\spring sale\\push.txt.j2",
            line=None,
            evidence="{% if inferred.pregnancy_score > 0.8 %}",
            fields=("inferred.pregnancy_score",),
            fingerprint="aaaa000000000004",
        ),
        Finding(
            rule="quiet-hours",
            code="CC105",
            severity=Severity.WARNING,
            message="Sent at 01:00 local time (Asia/Tokyo), outside 08:00–21:00",
            campaign=spring,
            channel="sms",
            profile="cust-002",
            file="campaigns/spring sale/campaign.yaml",
            line=13,
            evidence="send_at 2026-03-20 16:00 UTC",
            fix="Schedule it by day.",
            fields=("timezone",),
            fingerprint="aaaa000000000005",
        ),
        Finding(
            rule="missing-data",
            code="CC404",
            severity=Severity.WARNING,
            message="first_name renders empty",
            campaign=autumn,
            channel="sms",
            profile="cust-003",
            file="campaigns/autumn/sms.txt.j2",
            line=2,
            evidence="Hi ,",
            fields=("first_name",),
            fingerprint="aaaa000000000006",
            suppressed="names are optional here",
        ),
        Finding(
            rule="missing-contact-point",
            code="CC106",
            severity=Severity.INFO,
            message=HOSTILE,
            campaign=autumn,
            channel="push",
            profile="cust-003",
            file="campaigns/autumn/campaign.yaml",
            line=8,
            evidence=HOSTILE,
            fix=HOSTILE,
            fields=("contact_points.push",),
            fingerprint="aaaa000000000007",
        ),
    ]
    messages = [
        MessageRecord(spring, "email", "cust-001", 4),
        MessageRecord(spring, "sms", "cust-001", 1),
        MessageRecord(spring, "email", "cust-007", 2),
        MessageRecord(spring, "sms", "cust-002", 0),
        MessageRecord(autumn, "sms", "cust-003", 0),
    ]
    return RunResult(
        findings=findings,
        messages=messages,
        stats=RunStats(
            campaigns=2, messages=5, profiles_read=6, profiles_checked=5, profiles_rejected=1
        ),
        waivers=[(spring, WAIVER_ACTIVE), (spring, WAIVER_EXPIRED), (autumn, WAIVER_OPEN)],
        root=Path("/nonexistent/repo"),
        problems=[Problem(file="samples/profiles.yaml", line=40, message="profile has no id")],
    )


def render(fmt: str, result: RunResult, **options: Any) -> str:
    return REPORTERS[fmt](ReportOptions(**options)).render(result)


def counting(result: RunResult) -> list[Finding]:
    return [f for f in result.findings if f.counts]


# --- the table --------------------------------------------------------------------------


def test_every_format_is_in_the_table() -> None:
    for fmt in OWN_FORMATS:
        assert REPORTERS[fmt].name == fmt


@pytest.mark.parametrize("fmt", OWN_FORMATS)
def test_rendering_is_deterministic(fmt: str) -> None:
    first = render(fmt, handmade_result())
    assert first == render(fmt, handmade_result())
    assert first.endswith("\n")
    assert "\x07" not in first


@pytest.mark.parametrize("case", REAL_CASES)
@pytest.mark.parametrize("fmt", OWN_FORMATS)
def test_real_runs_render(fmt: str, case: str) -> None:
    result = real_run(case)
    assert result.findings, "the conformance case should produce findings"
    output = render(fmt, result)
    assert output == render(fmt, result)
    for finding in counting(result):
        assert finding.code in output


# --- SARIF ------------------------------------------------------------------------------


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _sarif(result: RunResult) -> dict[str, Any]:
    document = json.loads(render("sarif", result))
    errors = sorted(sarif_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return document


def _sarif_inputs() -> list[Any]:
    params = [pytest.param(handmade_result, id="handmade")]
    params += [
        pytest.param(lambda c=case: real_run(c), id=case) for case in REAL_CASES
    ]
    return params


@pytest.mark.parametrize("make", _sarif_inputs())
def test_sarif_validates_and_locates_every_finding(make: Any) -> None:
    result = make()
    document = _sarif(result)
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "creepcheck"
    assert driver["version"] == creepcheck.__version__
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    assert len(run["results"]) == len(result.findings)
    fingerprints = {f.fingerprint for f in result.findings}
    for sarif_result in run["results"]:
        rule = driver["rules"][sarif_result["ruleIndex"]]
        assert rule["id"] == sarif_result["ruleId"]
        assert sarif_result["level"] in {"error", "warning", "note"}
        assert sarif_result["partialFingerprints"]["creepcheck/v1"] in fingerprints
        (location,) = sarif_result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert "\\" not in artifact["uri"] and not artifact["uri"].startswith("/")
        assert " " not in artifact["uri"]
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert set(sarif_result["properties"]) >= {
            "campaign",
            "channel",
            "profile",
            "evidence",
            "fields",
        }


def test_sarif_rules_carry_docs_levels_and_tags() -> None:
    driver = json.loads(render("sarif", RunResult()))["runs"][0]["tool"]["driver"]
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    recall = by_id["CC301"]
    assert recall["name"] == "purchase-recall"
    assert recall["shortDescription"]["text"].startswith("The copy recalls purchases")
    assert "**Why it is creepy**" in recall["help"]["markdown"]
    assert "Why it is creepy:" in recall["fullDescription"]["text"]
    assert recall["defaultConfiguration"]["level"] == "warning"
    assert by_id["CC106"]["defaultConfiguration"]["level"] == "note"
    assert by_id["CC101"]["defaultConfiguration"]["level"] == "error"
    assert {"privacy", "purchase-recall"} <= set(recall["properties"]["tags"])


def test_sarif_results_carry_suppressions_fix_and_forward_slashes() -> None:
    results = _sarif(handmade_result())["runs"][0]["results"]
    by_print = {r["partialFingerprints"]["creepcheck/v1"]: r for r in results}
    waived = by_print["aaaa000000000001"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Reorder reminder | the customer asked (approved by dpo@acme.example, "
            "expires 2099-06-30)",
        }
    ]
    assert waived["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 12,
        "startColumn": 5,
    }
    suppressed = by_print["aaaa000000000006"]
    assert suppressed["suppressions"][0]["kind"] == "inSource"
    assert suppressed["suppressions"][0]["justification"] == "names are optional here"
    counted = by_print["aaaa000000000003"]
    assert "suppressions" not in counted
    assert counted["message"]["text"] == (
        "The recipient is recorded as deceased "
        "(spring-sale-2026, cust-009). Fix: Remove deceased "
        "records."
    )
    template = by_print["aaaa000000000004"]
    uri = template["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "campaigns/spring%20sale/push.txt.j2"
    assert template["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert template["properties"]["profile"] is None


def test_sarif_absolute_paths_become_relative_to_the_root(tmp_path: Path) -> None:
    finding = Finding(
        rule="missing-data",
        code="CC404",
        severity=Severity.WARNING,
        message="x",
        file=str(tmp_path / "campaigns" / "a.j2"),
        line=3,
    )
    result = RunResult(findings=[finding], root=tmp_path)
    artifact = _sarif(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"
    ]
    assert artifact == {"uri": "campaigns/a.j2", "uriBaseId": "%SRCROOT%"}


# --- JUnit ------------------------------------------------------------------------------


def _junit(result: RunResult, **options: Any) -> ET.Element:
    return ET.fromstring(render("junit", result, **options))


@pytest.mark.parametrize("case", REAL_CASES)
def test_junit_has_a_case_per_message_and_fails_on_errors(case: str) -> None:
    result = real_run(case)
    root = _junit(result)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted({m.campaign for m in result.messages})
    cases = root.findall("testsuite/testcase")
    names = {c.get("name") for c in cases}
    for message in result.messages:
        assert f"{message.channel}/{message.profile}" in names
    for finding in result.findings:
        expected = "/".join(p for p in (finding.channel, finding.profile or "(template)") if p)
        assert expected in names
    assert root.get("tests") == str(len(cases))
    failing = [c for c in cases if c.find("failure") is not None]
    assert root.get("failures") == str(len(failing))
    assert len(failing) == len(
        {
            (f.channel, f.profile)
            for f in result.findings
            if f.counts and f.severity is Severity.ERROR
        }
    )
    assert int(root.get("failures", "0")) > 0


def test_junit_cases_failures_and_system_out() -> None:
    root = _junit(handmade_result())
    spring = root.find("testsuite[@name='spring-sale-2026']")
    assert spring is not None
    cases = {c.get("name"): c for c in spring.findall("testcase")}
    # messages plus the profile-level and template-level findings
    assert set(cases) == {
        "email/cust-001",
        "sms/cust-001",
        "email/cust-007",
        "sms/cust-002",
        "cust-009",
        "push/(template)",
    }
    assert spring.get("tests") == "6"
    assert spring.get("failures") == "2"
    deceased = cases["cust-009"].find("failure")
    assert deceased is not None
    assert deceased.get("message") == "1 finding: CC401 deceased-recipient"
    assert deceased.get("type") == "error"
    assert "fix: Remove deceased records." in (deceased.text or "")
    # warnings are below the default fail-on: listed, not failed
    assert cases["email/cust-001"].find("failure") is None
    assert "CC301" in (cases["email/cust-001"].findtext("system-out") or "")
    waived_out = cases["email/cust-007"].findtext("system-out") or ""
    assert "waived: Reorder reminder | the customer asked" in waived_out
    specificity = cases["email/cust-001"].find("properties/property[@name='specificity']")
    assert specificity is not None and specificity.get("value") == "4"


def test_junit_escapes_and_counts_totals() -> None:
    text = render("junit", handmade_result(), fail_on=Severity.INFO)
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(text)
    autumn = root.find("testsuite[@name='autumn & <friends>']")
    assert autumn is not None
    push = autumn.find("testcase[@name='push/cust-003']")
    assert push is not None
    failure = push.find("failure")
    assert failure is not None
    assert '<script>alert(1)</script> & "quotes"' in (failure.text or "")
    # the suppressed finding never fails, whatever the threshold
    sms = autumn.find("testcase[@name='sms/cust-003']")
    assert sms is not None and sms.find("failure") is None
    assert "suppressed in source" in (sms.findtext("system-out") or "")
    problems = root.find("testsuite[@name='creepcheck input problems']")
    assert problems is not None and problems.get("errors") == "1"
    error = problems.find("testcase/error")
    assert error is not None and error.get("message") == "profile has no id"
    assert root.get("errors") == "1"
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in root))
    assert root.get("failures") == str(sum(int(s.get("failures", "0")) for s in root))


def test_junit_never_fails_without_a_threshold() -> None:
    root = _junit(handmade_result(), fail_on=None)
    assert root.findall(".//failure") == []
    assert root.get("failures") == "0"


# --- GitHub -----------------------------------------------------------------------------

PROPERTY = r"[a-z]+=[^,:\r\n]*"
COMMAND = re.compile(rf"::(error|warning|notice)(?: {PROPERTY}(?:,{PROPERTY})*)?::[^\r\n]*")


def _unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def _github_inputs() -> list[Any]:
    return [
        pytest.param(handmade_result, id="handmade"),
        *[
            pytest.param(lambda c=case: real_run(c), id=case)
            for case in REAL_CASES
        ],
    ]


@pytest.mark.parametrize("make", _github_inputs())
def test_github_lines_follow_the_workflow_command_grammar(make: Any) -> None:
    result = make()
    lines = render("github", result).splitlines()
    *commands, summary = lines
    assert len(commands) == len(counting(result)) + len(result.problems)
    for line in commands:
        assert COMMAND.fullmatch(line), line
    assert summary.startswith("creepcheck: ")
    assert not summary.startswith("::")


def test_github_annotations_escape_and_map_severities() -> None:
    lines = render("github", handmade_result()).splitlines()
    assert next(line for line in lines if "CC401" in line) == (
        "::error file=campaigns/spring sale/campaign.yaml,line=1,title=CC401 deceased-recipient"
        "::The recipient is recorded as deceased (spring-sale-2026/cust-009)"
        "%0AFix: Remove deceased records."
    )
    notice = next(line for line in lines if line.startswith("::notice"))
    props, message = notice.removeprefix("::notice ").split("::", 1)
    assert dict(p.split("=", 1) for p in props.split(",")) == {
        "file": "campaigns/autumn/campaign.yaml",
        "line": "8",
        "title": "CC106 missing-contact-point",
    }
    # a value cannot start a line: its newline and bell are shown, not escaped as %0A
    shown = HOSTILE.replace("\n", "⏎").replace("\x07", "␇")
    assert _unescape(message).startswith(shown + " (autumn & <friends>")
    assert lines[-1] == (
        "creepcheck: 5 findings (2 errors, 2 warnings, 1 info), "
        "2 waived or suppressed in 2 campaigns, 5 messages, 5 profiles checked, "
        "1 input problem; 2 at or above error"
    )
    assert not any("aaaa000000000001" in line or "cust-007" in line for line in lines)


def test_github_escaping_rules() -> None:
    assert escape_data("100%\r\nok: a,b") == "100%25%0D%0Aok: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


# --- Markdown and HTML ------------------------------------------------------------------


def test_markdown_report_sections_and_waivers() -> None:
    text = render("markdown", handmade_result())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Findings by rule",
        "## Findings by campaign",
        "## Findings",
        "## Waivers",
        "## Waived and suppressed findings",
        "## Input problems",
        "## Messages",
    ]
    waivers = text.split("## Waivers")[1].split("\n## ")[0]
    assert (
        "| spring-sale-2026 | purchase-recall | cust-007 | email | Reorder reminder \\| "
        "the customer asked | dpo@acme.example | 2099-06-30 | active | 1 |"
    ) in waivers
    assert (
        "| spring-sale-2026 | CC105 | all | all | Night shift workers | legal@acme.example "
        "| 2020-01-31 | **expired** | 0 |"
    ) in waivers
    assert "| never | active | 0 |" in waivers
    waived = text.split("## Waived and suppressed findings")[1].split("\n## ")[0]
    assert "Waived: Reorder reminder" in waived and "Suppressed in source:" in waived
    outside_code = re.sub(r"```text\n.*?\n```", "", text, flags=re.S)
    assert "<script>" not in outside_code
    assert r'\<script\>alert(1)\</script\> & "quotes" \| pipes' in outside_code


def test_markdown_without_messages_or_findings() -> None:
    text = render("markdown", handmade_result(), include_messages=False)
    assert "## Messages" not in text
    empty = render("markdown", RunResult(), fail_on=None)
    assert "No findings." in empty and "No waivers." in empty and "Gate" not in empty


def test_markdown_helpers_escape() -> None:
    assert md("a|b *c* data_broker _x_ <b>") == r"a\|b \*c\* data_broker \_x\_ \<b\>"
    assert code("a `b` c") == "``a `b` c``"


class _Tables(HTMLParser):
    """Rows per table class, and every tag and attribute seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, int] = {}
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self._table: list[str] = []
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        if tag == "table":
            self._table.append(dict(attrs).get("class") or "")
            self.rows.setdefault(self._table[-1], 0)
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body and self._table:
            self.rows[self._table[-1]] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table:
            self._table.pop()
        elif tag == "tbody":
            self._in_body = False


def parse_html(text: str) -> _Tables:
    parser = _Tables()
    parser.feed(text)
    return parser


def _html_inputs() -> list[Any]:
    return [
        pytest.param(handmade_result, id="handmade"),
        *[
            pytest.param(lambda c=case: real_run(c), id=case)
            for case in REAL_CASES
        ],
    ]


@pytest.mark.parametrize("make", _html_inputs())
def test_html_is_self_contained(make: Any) -> None:
    result = make()
    text = render("html", result)
    page = parse_html(text)
    assert not page.tags & {"script", "img", "link", "iframe", "object", "embed", "form"}
    for name, value in page.attrs:
        assert name not in {"src", "href"} and not name.startswith("on"), (name, value)
    assert "url(" not in text and "@import" not in text and "http://" not in text
    assert page.rows["findings"] == max(len(finding_groups(counting(result))), 1)
    assert page.rows["waivers" if result.waivers else "summary"] >= 1
    assert "@media print" in text


def test_html_escapes_everything() -> None:
    text = render("html", handmade_result())
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in text
    assert "autumn &amp; &lt;friends&gt;" in text
    page = parse_html(text)
    assert page.rows["findings-waived"] == 2
    assert page.rows["waivers"] == 3
    assert '<span class="badge expired">expired</span>' in text


# --- personal data ----------------------------------------------------------------------


PHONE = re.compile(r"\+?[\d ()./-]{7,}")


def _personal_values(case: str) -> list[str]:
    """Names, emails and phone numbers of every profile in the case."""
    profiles = yaml.safe_load((CASES / case / "profiles.yaml").read_text(encoding="utf-8"))
    values: list[str] = []
    for profile in profiles:
        first, last = profile.get("first_name"), profile.get("last_name")
        values += [v for v in (first, last) if v]
        if first and last:
            values.append(f"{first} {last}")
        for points in (profile.get("contact_points") or {}).values():
            for point in points if isinstance(points, list) else [points]:
                value = str(point.get("value", "")) if isinstance(point, dict) else ""
                if value:
                    values.append(value)
                    if PHONE.fullmatch(value):  # also written without spaces
                        values.append(re.sub(r"\D", "", value))
    return values


@pytest.mark.parametrize("case", REAL_CASES)
@pytest.mark.parametrize("fmt", (*OWN_FORMATS, "text", "json"))
def test_no_personal_data_in_any_format(fmt: str, case: str) -> None:
    output = render(fmt, real_run(case))
    values = _personal_values(case)
    assert values
    for value in values:
        pattern = rf"(?<![\w@.+-]){re.escape(value)}(?![\w@-])"
        assert not re.search(pattern, output), f"{value!r} appears in the {fmt} output"


# --- golden files -----------------------------------------------------------------------

GOLDEN_NAMES = {
    "sarif": "handmade.sarif",
    "junit": "handmade.junit.xml",
    "github": "handmade.github.txt",
    "markdown": "handmade.md",
    "html": "handmade.html",
}


def _normalise(fmt: str, text: str) -> str:
    """Goldens must not change with the package version or with rule docs (tested above)."""
    if fmt == "sarif":
        document = json.loads(text)
        driver = document["runs"][0]["tool"]["driver"]
        driver["rules"] = [rule["id"] for rule in driver["rules"]]
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text.replace(f"creepcheck {creepcheck.__version__}", "creepcheck VERSION").replace(
        f'"{creepcheck.__version__}"', '"VERSION"'
    )


@pytest.mark.parametrize("fmt", OWN_FORMATS)
def test_golden(fmt: str) -> None:
    path = GOLDEN / GOLDEN_NAMES[fmt]
    actual = _normalise(fmt, render(fmt, handmade_result()))
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{fmt} output differs from {path}; if intended, regenerate with UPDATE_GOLDEN=1"
    )


# --- waivers from a real campaign file --------------------------------------------------

WAIVERS_YAML = """
waivers:
  - rule: quiet-hours
    profiles: [ns-tokyo-night]
    channels: [sms]
    reason: Customer asked for late texts
    approved_by: dpo@northtrail.example
    expires: 2099-12-31
  - rule: CC102
    reason: Broker contract under review
    approved_by: legal@northtrail.example
    expires: 2020-01-01
"""


def test_engine_waivers_reach_every_report(tmp_path: Path) -> None:
    case = tmp_path / "case"
    case_source = CASES / "mix-retail-spring-sale"
    case.mkdir()
    for source in case_source.iterdir():
        (case / source.name).write_bytes(source.read_bytes())
    campaign = case / "campaign.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8") + WAIVERS_YAML, encoding="utf-8")
    with _inside(case):
        result = creepcheck.check(["."])
    waived = [f for f in result.findings if f.waiver is not None]
    assert [f.code for f in waived] == ["CC105"]

    markdown = render("markdown", result)
    waivers = markdown.split("## Waivers")[1].split("\n## ")[0]
    assert "| ns-tokyo-night | sms | Customer asked for late texts |" in waivers
    assert "| 2099-12-31 | active | 1 |" in waivers
    assert "| 2020-01-01 | **expired** | 0 |" in waivers
    assert "Waived: Customer asked for late texts" in markdown

    html = parse_html(render("html", result))
    assert html.rows["waivers"] == 2 and html.rows["findings-waived"] == 1

    sarif = _sarif(result)["runs"][0]["results"]
    assert [r["ruleId"] for r in sarif if "suppressions" in r] == ["CC105"]
    github = render("github", result)
    assert "CC105" not in github and "1 waived or suppressed" in github
    junit = _junit(result, fail_on=Severity.WARNING)
    tokyo = junit.find(".//testcase[@name='sms/ns-tokyo-night']")
    assert tokyo is not None and tokyo.find("failure") is None


# --- values that try to forge output -----------------------------------------------------

FORGED = (
    "[bold red]c1[/bold red]\n::error file=README.md,line=1::Forged\x1b]52;c;cHduZWQ=\x07\u202e"
)


def forged_result() -> RunResult:
    finding = Finding(
        rule="deceased-recipient",
        code="CC401",
        severity=Severity.ERROR,
        message=f"The recipient {FORGED} is recorded as deceased",
        campaign="c\r\x1b[2J",
        channel="email",
        profile=FORGED,
        file="t\u202egnp.j2",
        line=1,
        evidence=FORGED,
        fix="Remove deceased records.",
    )
    problem = Problem(f"p{FORGED}.csv", f"got {FORGED}", 2)
    return RunResult(findings=[finding], problems=[problem])


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_value_starts_a_line_or_reaches_the_terminal_raw(fmt: str) -> None:
    shown = render(fmt, forged_result())
    if fmt != "github":
        assert not re.search(r"^::", shown, re.MULTILINE)
    for raw in ("\x1b", "\x07", "\r", "\u202e", "\n::error file=README.md"):
        assert raw not in shown, (fmt, raw)


def test_rich_markup_in_a_value_is_printed_literally() -> None:
    shown = render("text", forged_result())
    assert "[bold red]c1[/bold red]⏎::error file=README.md" in shown
