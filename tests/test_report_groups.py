"""Reports that scale: identical findings listed once with a count and capped profile
ids, an example rendered message (masked), and the audit facts of the run."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import creepcheck
from creepcheck.findings.audit import git_commit, policy_sha256
from creepcheck.findings.result import RunResult
from creepcheck.models import Finding, MessageLog, MessageRecord, Severity
from creepcheck.policy import load_policy
from creepcheck.reporters import REPORTERS, ReportOptions
from creepcheck.reporters.common import PROFILES_SHOWN
from tests.audience import sample_run
from tests.paths import SAMPLE_CAMPAIGNS

HIDDEN = "jane.doe@example.com"


def _grouped_result(profiles: int) -> RunResult:
    ids = [f"p-{n:03d}" for n in range(profiles)]
    findings = [
        Finding(
            "unconsented-channel", "CC101", Severity.ERROR, "No consent for email marketing",
            campaign="spring", channel="email", profile=pid, file="spring/campaign.yaml",
            line=9, evidence="consents.email.status: none", fingerprint=f"{n:016x}",
        )
        for n, pid in enumerate(ids)
    ]  # fmt: skip
    findings.append(
        Finding(
            "unconsented-channel", "CC101", Severity.ERROR, "No consent for sms marketing",
            campaign="spring", channel="sms", profile="p-solo", file="spring/campaign.yaml",
            line=12, fingerprint="f" * 16,
        )
    )  # fmt: skip
    messages = MessageLog(MessageRecord("spring", "email", pid, 1) for pid in ids)
    examples = {("spring", "email", ids[3]): f"Hi there,\nwrite to {HIDDEN} for help."}
    return RunResult(findings=findings, messages=messages, examples=examples)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_identical_findings_are_one_entry_with_a_count_and_capped_ids(fmt: str) -> None:
    result = _grouped_result(60)
    text = REPORTERS[fmt](ReportOptions()).render(result)
    findings = text.split("Findings</h2>" if fmt == "html" else "## Findings\n")[1]
    assert findings.count("No consent for email marketing") == 1
    assert findings.count("No consent for sms marketing") == 1
    assert "p-000" in findings and f"p-{PROFILES_SHOWN - 1:03d}" in findings
    assert f"p-{PROFILES_SHOWN:03d}" not in findings.split("## Waivers")[0].split("Messages")[0]
    assert f"and {60 - PROFILES_SHOWN} more" in findings
    assert "60" in findings


def test_the_html_report_shows_an_example_message_masked() -> None:
    text = REPORTERS["html"](ReportOptions()).render(_grouped_result(60))
    assert "Rendered message for p-003" in text
    assert HIDDEN not in text and "j***@e***.com" in text
    shown = REPORTERS["html"](ReportOptions(show_pii=True)).render(_grouped_result(60))
    assert HIDDEN in shown


def test_a_real_run_keeps_examples_only_of_findings_and_masks_them() -> None:
    result = sample_run("spring-sale")
    assert result.examples
    about = {(f.campaign, f.channel, f.profile) for f in result.findings if f.profile}
    assert set(result.examples) <= about
    import yaml

    profiles = yaml.safe_load(
        (SAMPLE_CAMPAIGNS / "spring-sale" / "profiles.yaml").read_text(encoding="utf-8")
    )
    text = "\n".join(result.examples.values())
    for profile in profiles:
        for key in ("first_name", "last_name"):
            if profile.get(key) and len(str(profile[key])) > 2:
                assert str(profile[key]) not in text, profile[key]
        for points in (profile.get("contact_points") or {}).values():
            for point in points:
                assert str(point["value"]) not in text


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_in(folder: Path) -> RunResult:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        return creepcheck.check(["."])
    finally:
        os.chdir(previous)


def test_the_audit_names_policy_inputs_and_their_hashes(tmp_path: Path) -> None:
    folder = tmp_path / "spring"
    shutil.copytree(SAMPLE_CAMPAIGNS / "spring-sale", folder)
    result = _run_in(folder)
    audit = result.audit
    assert audit is not None
    assert audit.version == creepcheck.__version__
    assert audit.policy_files == ("builtin:default",)
    assert audit.policy_sha256 == policy_sha256(load_policy("builtin:default", folder))
    assert audit.seconds > 0 and audit.started.tzinfo is not None
    hashes = {(item.kind, item.path): item.sha256 for item in audit.inputs}
    assert hashes[("campaign", "campaign.yaml")] == _sha(folder / "campaign.yaml")
    assert hashes[("profiles", "profiles.yaml")] == _sha(folder / "profiles.yaml")
    for template in ("email.html.j2", "sms.txt.j2", "letter.txt.j2"):
        assert hashes[("template", template)] == _sha(folder / template)
    for fmt in ("markdown", "html"):
        text = REPORTERS[fmt](ReportOptions()).render(result)
        assert audit.policy_sha256 in text and _sha(folder / "campaign.yaml") in text
        assert "Git commit" in text


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_git_commit_is_read_where_there_is_one(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text("a\n")
    for args in (["init", "-q"], ["add", "a.txt"], ["commit", "-q", "-m", "one"]):
        subprocess.run([*git, *args], cwd=repo, check=True, env=env, capture_output=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert git_commit(repo) == head
    with pytest.MonkeyPatch.context() as patch:  # never the checkout around tmp_path
        patch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
        assert git_commit(plain) is None
