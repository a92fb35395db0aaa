"""The repository snapshot that Spark executors work from (no Spark needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from creepcheck.errors import UserError
from creepcheck.spark import snapshot
from creepcheck.spark.snapshot import OUTSIDE, driver_name, materialize, mirror_name, take


def _repo(root: Path) -> Path:
    repo = root / "repo"
    (repo / "campaigns" / "spring").mkdir(parents=True)
    (repo / "campaigns" / "spring" / "campaign.yaml").write_text("id: spring\n")
    (repo / "campaigns" / "spring" / "sms.txt.j2").write_text("Hi {{ first_name }}\n")
    (repo / ".git" / "objects").mkdir(parents=True)
    (repo / ".git" / "config").write_text("[core]\n")
    (repo / "audience.parquet").write_bytes(b"PAR1")
    return repo


def test_files_are_named_as_under_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    taken = take([repo], [])
    assert set(taken.files) == {
        "repo/campaigns/spring/campaign.yaml",
        "repo/campaigns/spring/sms.txt.j2",
    }  # no .git, no audience data
    assert taken.checkouts == ("repo",)
    folder = materialize(taken, taken.digest)
    assert (folder / "repo/campaigns/spring/sms.txt.j2").read_text() == "Hi {{ first_name }}\n"
    assert (folder / "repo/.git").is_dir()  # the repository root is found as on the driver
    assert materialize(taken, taken.digest) == folder  # once per snapshot and machine


def test_a_link_out_of_the_repository_is_not_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for templates")
    os.symlink(secret, repo / "campaigns" / "spring" / "footer.txt")
    os.symlink(repo / "campaigns" / "spring" / "sms.txt.j2", repo / "campaigns" / "alias.j2")
    monkeypatch.chdir(tmp_path)
    taken = take([repo], [])
    assert "repo/campaigns/spring/footer.txt" not in taken.files
    assert b"not for templates" not in b"".join(taken.files.values())
    assert taken.files["repo/campaigns/alias.j2"] == b"Hi {{ first_name }}\n"


def test_paths_outside_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    name = mirror_name(elsewhere / "policy.yaml", work.resolve())
    assert name == OUTSIDE + str((elsewhere / "policy.yaml").resolve())
    assert driver_name(name) == str((elsewhere / "policy.yaml").resolve())
    assert driver_name("campaigns/spring/sms.txt.j2") == "campaigns/spring/sms.txt.j2"
    assert mirror_name(work / "a" / "b.yaml", work.resolve()) == "a/b.yaml"


def test_a_huge_repository_is_refused_with_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(snapshot, "MAX_FILES", 1)
    with pytest.raises(UserError, match="too large to ship to Spark executors"):
        take([repo], [])


def test_the_digest_follows_the_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = take([repo], []).digest
    (repo / "campaigns" / "spring" / "sms.txt.j2").write_text("Hello {{ first_name }}\n")
    assert take([repo], []).digest != before
