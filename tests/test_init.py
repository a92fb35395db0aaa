"""`creepcheck init`, and the CI integrations the project ships (pre-commit hook, Action)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from creepcheck.cli import main
from creepcheck.commands.init import scaffold_files
from tests.paths import REPO_ROOT as ROOT

CREATED = [
    ".pre-commit-config.yaml",
    "creepcheck.yaml",
    ".github/workflows/creepcheck.yml",
    "campaigns/welcome/campaign.yaml",
    "campaigns/welcome/email.html.j2",
    "campaigns/welcome/sms.txt.j2",
    "policies/house.yaml",
    "samples/profiles.yaml",
]


def scaffold_file(name: str) -> str:
    return next(text for path, text in scaffold_files() if path.as_posix() == name)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # no config above this folder
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_scaffolds_a_repo_that_passes_check(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(main, ["init", "acme"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(f"created {name}\n" for name in CREATED) + (
        "next: cd acme && creepcheck check\n"
    )
    assert sorted(
        p.relative_to(home / "acme").as_posix() for p in (home / "acme").rglob("*") if p.is_file()
    ) == sorted(CREATED)
    monkeypatch.chdir(home / "acme")
    checked = CliRunner().invoke(main, ["check", "--no-progress", "--fail-on", "info"])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "0 findings in 1 campaign, 4 messages, 2 profiles checked\n"


def test_init_never_overwrites(home: Path) -> None:
    (home / "creepcheck.yaml").write_text("policy: builtin:strict\n")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "skipped creepcheck.yaml (already exists)\n" in result.stdout
    assert "created creepcheck.yaml" not in result.stdout
    assert result.stdout.endswith("next: creepcheck check\n")
    assert (home / "creepcheck.yaml").read_text() == "policy: builtin:strict\n"
    again = CliRunner().invoke(main, ["init"])
    assert again.stdout == "".join(f"skipped {name} (already exists)\n" for name in CREATED) + (
        "next: creepcheck check\n"
    )


def test_init_into_a_file_exits_2(home: Path) -> None:
    (home / "notes.txt").write_text("x")
    result = CliRunner().invoke(main, ["init", "notes.txt"])
    assert result.exit_code == 2
    assert result.stderr == "error: notes.txt: exists and is not a folder\n"


def test_scaffold_people_are_fictional() -> None:
    profiles = scaffold_file("samples/profiles.yaml")
    emails = re.findall(r"[\w.+-]+@[\w.-]+", profiles)
    assert emails and all(e.endswith(("@example.com", "@example.org")) for e in emails)
    phones = re.findall(r"\+1 \d{3} (\d{3}) (\d{4})", profiles)
    assert phones and all(a == "555" and b.startswith("01") for a, b in phones)


def test_workflow_uploads_sarif_always() -> None:
    workflow = yaml.safe_load(scaffold_file(".github/workflows/creepcheck.yml"))
    steps = workflow["jobs"]["creepcheck"]["steps"]
    runs = [s.get("run") for s in steps]
    assert "pip install creepcheck" in runs
    assert "creepcheck check --format sarif --output creepcheck.sarif" in runs
    [upload] = [
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    ]
    assert upload["if"] == "always()"
    assert upload["with"]["sarif_file"] == "creepcheck.sarif"
    assert workflow["permissions"]["security-events"] == "write"


def test_scaffold_is_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    [package_data] = re.findall(r"(?m)^creepcheck = \[.*\]$", pyproject)
    assert '"scaffold/**/*"' in package_data
    assert not [p for p in (ROOT / "creepcheck" / "scaffold").rglob(".*")]  # hidden: dot-NAME


def test_pre_commit_hook() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {k: hook[k] for k in ("id", "entry", "language", "pass_filenames")} == {
        "id": "creepcheck",
        "entry": "creepcheck check",
        "language": "python",
        "pass_filenames": False,
    }
    files = re.compile(hook["files"])
    for name in (
        "creepcheck.yaml",
        "campaigns/spring/campaign.yaml",
        "x/spring.campaign.yaml",
        "campaigns/spring/email.html.j2",
        "samples/profiles.csv",
        "data/crm-profiles.jsonl",
        "policies/house.yaml",
    ):
        assert files.search(name), name
    for name in ("README.md", "src/app.py", "docker-compose.yaml"):
        assert not files.search(name), name


def test_github_action() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(action["inputs"]) >= {"paths", "policy", "fail-on", "format", "sarif-upload"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "pip install" in steps[1]["run"]
    assert "--format sarif --output" in steps[2]["run"]
    [upload] = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert upload["if"].startswith("always() && inputs.sarif-upload == 'true'")
    # Inputs reach the shell through the environment, never pasted into the script.
    assert not any("${{ inputs." in s.get("run", "") for s in steps)
