"""JUnit XML for CI test dashboards: a test suite per campaign.

Each campaign × channel × profile is a test case: every rendered message, plus the
combinations only findings name (a profile-level finding without a channel becomes a
case named for the profile; a template-level one a case for the channel's template). A
case fails when it has counting findings at or above `--fail-on`; the others are listed
in its `system-out`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

from creepcheck.findings.result import RunResult
from creepcheck.models import Finding
from creepcheck.reporters.base import Reporter, shown_message, shown_result, sorted_findings
from creepcheck.reporters.common import (
    location_label,
    plural,
    strip_control,
    waiver_note,
)

NO_CAMPAIGN = "(no campaign)"
TEMPLATE_CASE = "(template)"
PROBLEMS_SUITE = "creepcheck input problems"


@dataclass
class _Case:
    channel: str | None
    profile: str | None
    specificity: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "/".join(part for part in (self.channel, self.profile or TEMPLATE_CASE) if part)


class JunitReporter(Reporter):
    name = "junit"
    suffix = ".xml"

    def render(self, result: RunResult) -> str:
        result = shown_result(result, self.options)
        root = ET.Element("testsuites", name="creepcheck")
        for campaign, cases in sorted(self._cases(result).items()):
            root.append(self._suite(campaign, cases))
        if result.problems:
            root.append(_problems_suite(result))
        for key in ("tests", "failures", "errors"):
            root.set(key, str(sum(int(suite.get(key, "0")) for suite in root)))
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"

    def _cases(self, result: RunResult) -> dict[str, list[_Case]]:
        cases: dict[str, dict[tuple[str, str], _Case]] = defaultdict(dict)
        for message in map(shown_message, result.messages):
            case = cases[message.campaign].setdefault(
                (message.profile, message.channel), _Case(message.channel, message.profile)
            )
            case.specificity = max(case.specificity or 0, message.specificity)
        for finding in sorted_findings(result.findings):
            key = (finding.profile or "", finding.channel or "")
            case = cases[finding.campaign or NO_CAMPAIGN].setdefault(
                key, _Case(finding.channel, finding.profile)
            )
            case.findings.append(finding)
        return {campaign: [by_key[k] for k in sorted(by_key)] for campaign, by_key in cases.items()}

    def _suite(self, campaign: str, cases: list[_Case]) -> ET.Element:
        suite = ET.Element("testsuite", name=_clean(campaign))
        failures = 0
        for case in cases:
            element = ET.SubElement(
                suite, "testcase", name=_clean(case.name), classname=_clean(campaign)
            )
            if case.specificity is not None:
                properties = ET.SubElement(element, "properties")
                ET.SubElement(
                    properties, "property", name="specificity", value=str(case.specificity)
                )
            failing = [f for f in case.findings if self._fails(f)]
            others = [f for f in case.findings if not self._fails(f)]
            if failing:
                failures += 1
                failure = ET.SubElement(
                    element,
                    "failure",
                    message=_clean(_summary(failing)),
                    type=str(max(f.severity for f in failing)),
                )
                failure.text = _clean("\n\n".join(_describe(f) for f in failing))
            if others:
                ET.SubElement(element, "system-out").text = _clean(
                    "\n\n".join(_describe(f) for f in others)
                )
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        return suite

    def _fails(self, finding: Finding) -> bool:
        threshold = self.options.fail_on
        return threshold is not None and finding.counts and finding.severity >= threshold


def _summary(findings: list[Finding]) -> str:
    codes = ", ".join(dict.fromkeys(f"{f.code} {f.rule}" for f in findings))
    return f"{plural(len(findings), 'finding')}: {codes}"


def _describe(finding: Finding) -> str:
    lines = [
        f"{finding.code} {finding.rule} [{finding.severity}] {location_label(finding)}",
        finding.message,
    ]
    if finding.evidence:
        lines.append(f"evidence: {' '.join(finding.evidence.split())}")
    if finding.fields:
        lines.append(f"fields: {', '.join(finding.fields)}")
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    note = waiver_note(finding)
    if note:
        lines.append(note)
    lines.append(f"fingerprint: {finding.fingerprint}")
    return "\n".join(lines)


def _problems_suite(result: RunResult) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        name=PROBLEMS_SUITE,
        tests=str(len(result.problems)),
        failures="0",
        errors=str(len(result.problems)),
        skipped="0",
    )
    for problem in result.problems:
        name = f"{problem.file}:{problem.line}" if problem.line else problem.file
        case = ET.SubElement(
            suite, "testcase", name=_clean(name or "input"), classname=PROBLEMS_SUITE
        )
        error = ET.SubElement(case, "error", message=_clean(problem.message), type="input")
        error.text = _clean(str(problem))
    return suite


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return strip_control(text)
