"""The confinement rule (creepcheck/confine.py): what a repository file may make
creepcheck open, and that nothing read outside is ever printed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from creepcheck.cli import main
from creepcheck.confine import boundary, in_hidden_folder, is_inside, project_root
from creepcheck.errors import ConfigError, PolicyError, UserError
from creepcheck.loaders.campaigns import discover_campaigns, load_campaign
from creepcheck.loaders.config import load_project_config
from creepcheck.policy import load_policy

SECRET = "SECRET-MARKER-7f3a"
PROFILES = """\
- id: a
  first_name: Ana
  contact_points:
    email: [{value: ana@example.org, source: customer, status: valid}]
  consents:
    email: {status: granted}
"""
CAMPAIGN = """\
id: c
send_at: 2026-03-02T15:00:00Z
profiles: profiles.yaml
messages:
  - {channel: email, template: t.txt.j2}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/repo (the working folder, with creepcheck.yaml) beside tmp/outside/."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "creepcheck.yaml").write_text("policy: builtin:default\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"description: {SECRET}\n")
    monkeypatch.chdir(root)
    return root


def _campaign(folder: Path, template: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "campaign.yaml").write_text(CAMPAIGN)
    (folder / "profiles.yaml").write_text(PROFILES)
    (folder / "t.txt.j2").write_text(template)


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args, "--format", "json", "--no-progress"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


# --- the rule ----------------------------------------------------------------------------


def test_a_symlink_inside_to_a_file_outside_is_outside(repo: Path) -> None:
    (repo / "link.yaml").symlink_to(repo.parent / "outside" / "secret.yaml")
    assert not is_inside(repo / "link.yaml", repo)
    assert is_inside(repo / "creepcheck.yaml", repo)


def test_dot_dot_and_absolute_paths(repo: Path) -> None:
    assert not is_inside(repo / "a" / ".." / ".." / "outside" / "secret.yaml", repo)
    assert is_inside(repo / "a" / ".." / "creepcheck.yaml", repo)
    assert not is_inside(Path("/etc/passwd"), repo)


def test_a_file_outside_the_root_may_name_its_own_folder_tree(repo: Path) -> None:
    outside = repo.parent / "outside"
    assert boundary(repo / "policies" / "house.yaml", repo) == repo.resolve()
    assert boundary(outside / "secret.yaml", repo) == outside.resolve()


def test_project_root_is_the_config_folder_else_the_git_checkout_else_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "campaigns" / "c").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    folder = checkout / "campaigns" / "c"
    assert project_root(checkout / "campaigns", folder) == (checkout / "campaigns").resolve()
    assert project_root(None, folder) == checkout.resolve()
    assert project_root(None, tmp_path / "elsewhere") == tmp_path.resolve()
    monkeypatch.chdir(checkout)
    assert project_root(None, tmp_path / "elsewhere") == (tmp_path / "elsewhere").resolve()


def test_hidden_folders(repo: Path) -> None:
    assert in_hidden_folder(repo / ".git" / "config", repo)
    assert in_hidden_folder(repo / "a" / ".github" / "t.j2", repo)
    assert not in_hidden_folder(repo / "a" / ".t.j2", repo)


# --- config, policies, campaigns -----------------------------------------------------------


@pytest.mark.parametrize("key", ["policy", "profiles", "baseline"])
def test_config_paths_may_not_leave_the_repository(repo: Path, key: str) -> None:
    (repo / "creepcheck.yaml").write_text(f"language: en\n{key}: ../outside/secret.yaml\n")
    with pytest.raises(ConfigError) as caught:
        load_project_config(repo)
    assert str(caught.value) == (
        f'creepcheck.yaml:2: {key}: "../outside/secret.yaml" is outside the campaign repository'
    )


def test_config_policy_through_a_symlink_out_of_the_repository(repo: Path) -> None:
    (repo / "policies").mkdir()
    (repo / "policies" / "house.yaml").symlink_to(repo.parent / "outside" / "secret.yaml")
    (repo / "creepcheck.yaml").write_text("policy: policies/house.yaml\n")
    with pytest.raises(ConfigError, match="is outside the campaign repository"):
        load_project_config(repo)


def test_config_paths_inside_the_repository_still_work(repo: Path) -> None:
    (repo / "creepcheck.yaml").write_text("policy: p/house.yaml\nbaseline: b.json\n")
    config = load_project_config(repo)
    assert Path(config.policy) == repo / "p" / "house.yaml"
    assert config.baseline == repo / "b.json"


@pytest.mark.parametrize("target", ["../outside/secret.yaml", "{outside}/secret.yaml"])
def test_extends_may_not_leave_the_repository(repo: Path, target: str) -> None:
    target = target.format(outside=repo.parent / "outside")
    (repo / "house.yaml").write_text(f"description: house\nextends: [builtin:gdpr, {target}]\n")
    with pytest.raises(PolicyError) as caught:
        load_policy("house.yaml", repo, root=repo)
    assert str(caught.value) == (
        f'house.yaml:2: extends: "{target}" is outside the campaign repository'
    )
    assert SECRET not in str(caught.value)


def test_a_policy_given_on_the_command_line_may_extend_its_siblings(repo: Path) -> None:
    outside = repo.parent / "outside"
    (outside / "team.yaml").write_text("extends: [base.yaml]\n")
    (outside / "base.yaml").write_text("extends: [builtin:strict]\n")
    policy = load_policy(str(outside / "team.yaml"), repo, root=repo)
    assert "builtin:strict" in policy.files
    (outside / "base.yaml").write_text("extends: [../escape.yaml]\n")
    with pytest.raises(PolicyError, match=f'"../escape.yaml" is outside .*under {outside}'):
        load_policy(str(outside / "team.yaml"), repo, root=repo)


def test_a_campaign_found_by_a_search_may_not_link_outside(repo: Path) -> None:
    _campaign(repo.parent / "outside" / "real", "Hi")
    (repo / "c").mkdir()
    (repo / "c" / "campaign.yaml").symlink_to(repo.parent / "outside" / "real" / "campaign.yaml")
    with pytest.raises(UserError) as caught:
        discover_campaigns([Path(".")], repository=lambda folder: repo)
    assert str(caught.value) == "c/campaign.yaml: a link to a file outside the campaign repository"
    # named on the command line: the user's own choice
    assert discover_campaigns([Path("c/campaign.yaml")]) == [Path("c/campaign.yaml")]


def test_campaign_profiles_outside_is_an_error_at_its_line(repo: Path) -> None:
    _campaign(repo / "c", "Hi")
    text = CAMPAIGN.replace("profiles.yaml", "../../outside/secret.yaml")
    (repo / "c" / "campaign.yaml").write_text(text)
    with pytest.raises(UserError) as caught:
        load_campaign(repo / "c" / "campaign.yaml", root=repo)
    assert str(caught.value) == (
        'c/campaign.yaml:3: profiles: "../../outside/secret.yaml" is outside the campaign '
        "repository"
    )


# --- templates ------------------------------------------------------------------------------


def _template_errors(output: str) -> list[str]:
    return [f["message"] for f in json.loads(output)["findings"] if f["code"] == "CC901"]


def test_include_of_git_config_is_refused(repo: Path) -> None:
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text(f"[remote]\n\turl = https://{SECRET}@example.com\n")
    _campaign(repo / "c", 'Hello {% include ".git/config" %}')
    code, output = _check(".")
    assert code == 1
    assert SECRET not in output
    assert any('".git/config" is in a hidden folder' in m for m in _template_errors(output))


@pytest.mark.parametrize("name", [".github/t.txt.j2", "../outside/t.txt.j2"])
def test_template_in_a_hidden_folder_or_outside_is_refused(repo: Path, name: str) -> None:
    _campaign(repo / "c", "Hi")
    for folder in (repo / "c" / ".github", repo.parent / "outside"):
        folder.mkdir(exist_ok=True)
        (folder / "t.txt.j2").write_text(SECRET)
    text = CAMPAIGN.replace("template: t.txt.j2", f"template: {name}")
    (repo / "c" / "campaign.yaml").write_text(text)
    code, output = _check(".")
    assert code == 1
    assert SECRET not in output
    assert _template_errors(output)


def test_a_template_symlinked_out_of_the_repository_is_refused(repo: Path) -> None:
    _campaign(repo / "c", "Hi")
    (repo / "c" / "t.txt.j2").unlink()
    (repo / "c" / "t.txt.j2").symlink_to(repo.parent / "outside" / "secret.yaml")
    code, output = _check(".")
    assert code == 1 and SECRET not in output
    assert any("outside the campaign repository" in m for m in _template_errors(output))


# --- nothing of a file is quoted in full ---------------------------------------------------

KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBKEYBODYKEYBODYKEYBODYKEYBODYKEYBODYKEYBODYAAAAJgAAAAAAAAA\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)


@pytest.mark.parametrize("where", ["inside", "outside", "command line"])
def test_a_policy_that_is_a_private_key_never_prints_the_key(repo: Path, where: str) -> None:
    _campaign(repo / "c", "Hi")
    inside = repo / "id_ed25519"
    outside = repo.parent / "outside" / "id_ed25519"
    for path in (inside, outside):
        path.write_text(KEY)
    args: list[str] = []
    if where == "inside":
        (repo / "creepcheck.yaml").write_text("policy: id_ed25519\n")
    elif where == "outside":
        (repo / "creepcheck.yaml").write_text(f"policy: {os.path.relpath(outside, repo)}\n")
    else:
        args = ["--policy", str(outside)]
    code, output = _check(".", *args)
    assert code == 2
    assert "KEYBODY" not in output and "b3BlbnNzaC1rZXktdjEAAAAA" not in output


def test_suppression_comments_are_not_read_from_a_template_outside(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from creepcheck.findings import suppressions

    _campaign(repo / "c", "Hi")
    (repo.parent / "outside" / "t.txt.j2").write_text("{# creepcheck: disable=pii-leak #}")
    text = CAMPAIGN.replace("template: t.txt.j2", "template: ../../outside/t.txt.j2")
    (repo / "c" / "campaign.yaml").write_text(text)
    read: list[Path] = []
    original = suppressions._read
    monkeypatch.setattr(suppressions, "_read", lambda path: read.append(path) or original(path))
    code, _ = _check(".")
    assert code == 1
    assert read == []


@pytest.mark.parametrize("value", ["../models/pipeline", "models/pipeline", "/opt/pipeline", "."])
def test_spacy_model_names_a_package_never_a_path(repo: Path, value: str) -> None:
    (repo / "creepcheck.yaml").write_text(f"spacy_model: {value}\n")
    with pytest.raises(ConfigError, match="spacy_model: expected the name of an installed"):
        load_project_config(repo)


def test_a_folder_named_like_the_spacy_model_is_not_loaded(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spacy

    from creepcheck.text.pipeline import Tokenizers

    (repo / "evil_pipeline").mkdir()
    (repo / "evil_pipeline" / "config.cfg").write_text("[nlp]\nlang = \"en\"\n")
    loaded: list[str] = []
    monkeypatch.setattr(spacy, "load", lambda name, *a, **k: loaded.append(name))
    Tokenizers("evil_pipeline")("en")
    assert loaded == []
