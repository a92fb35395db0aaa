"""`--jobs 2` on a JSON Lines audience: workers parse the lines, the main process keeps
the order and rejects repeated ids. Everything must match `--jobs 1`, bad records too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from creepcheck.errors import UserError
from creepcheck.findings.result import RunResult
from creepcheck.run import CheckOptions, check, sources
from tests.paths import SAMPLE_CAMPAIGNS

SPRING = SAMPLE_CAMPAIGNS / "spring-sale"


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """The spring sample with its profiles as JSON Lines, among bad and repeated records."""
    folder = tmp_path / "spring-sale"
    shutil.copytree(SPRING, folder)
    profiles = yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8"))
    first, second, *rest = (json.dumps(p, default=str) for p in profiles)
    lines = [
        first,
        "",
        "{not json",
        "[1, 2]",
        '{"name": "no id"}',
        second,
        first,  # a repeat of the first record
        '{"id": "deep", "x": ' + "[" * 101 + "]" * 101 + "}",
        json.dumps(
            {**profiles[2], "status": "dormant", "last_verified": "last spring"}, default=str
        ),
        *rest[1:],
        second,  # a repeat after the first repeat
    ]
    (folder / "profiles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    (folder / "campaign.yaml").write_text(
        text.replace("profiles: profiles.yaml", "profiles: profiles.jsonl"), encoding="utf-8"
    )
    return folder


def run(folder: Path, **options: object) -> RunResult:
    return check(CheckOptions(paths=(folder,), **options))  # type: ignore[arg-type]


def summary(result: RunResult) -> tuple[object, ...]:
    return (
        result.findings,
        list(result.messages),
        [(str(p), p.fatal) for p in result.problems],
        result.stats,
    )


def test_workers_give_what_one_process_gives(campaign: Path) -> None:
    one = run(campaign)
    messages = [p.message for p in one.problems]
    assert any(m.startswith("invalid JSON") for m in messages)
    assert any(m.startswith("duplicate id") and "(first on line 1)" in m for m in messages)
    assert any("nested more than 100 levels deep" in m for m in messages)
    assert any("status: expected one of" in m for m in messages)
    assert one.stats.profiles_rejected == 6
    assert one.findings
    assert summary(run(campaign, jobs=2)) == summary(one)


@pytest.mark.parametrize("sample", [1, 4, 7, 100])
def test_sample_counts_records_the_same_way(campaign: Path, sample: int) -> None:
    assert summary(run(campaign, jobs=2, sample=sample)) == summary(run(campaign, sample=sample))


def test_chosen_profiles_only(campaign: Path) -> None:
    profiles = yaml.safe_load((campaign / "profiles.yaml").read_text(encoding="utf-8"))
    wanted = frozenset({str(profiles[0]["id"]), str(profiles[-1]["id"])})
    one = run(campaign, profile_ids=wanted)
    assert {f.profile for f in one.findings if f.profile} <= wanted
    assert summary(run(campaign, jobs=2, profile_ids=wanted)) == summary(one)


def test_an_unreadable_file_stops_the_run_the_same_way(campaign: Path) -> None:
    (campaign / "profiles.jsonl").write_bytes(b'{"id": "a"}\n{"id": "\xff\xfe"}\n')
    with pytest.raises(UserError) as one:
        run(campaign)
    with pytest.raises(UserError) as two:
        run(campaign, jobs=2)
    assert str(two.value) == str(one.value)


def test_lines_parsed_by_the_checker_match_records_read_by_the_loader(
    campaign: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_lines = run(campaign)
    monkeypatch.setattr(sources, "is_json_lines", lambda path: False)  # iter_profiles
    assert summary(run(campaign)) == summary(as_lines)


def test_spawned_workers_load_everything_themselves_and_agree(
    campaign: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes cannot fork (macOS, Windows), workers start from the options."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.chdir(campaign.parent)  # a spawned worker finds the campaign from here
    one = run(Path("spring-sale"))
    assert summary(run(Path("spring-sale"), jobs=2)) == summary(one)
