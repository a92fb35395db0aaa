"""`check --quiet`, `--statistics`, `--sample N --seed S` and when a progress bar shows."""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from creepcheck.cli import main
from creepcheck.commands.check import progress_wanted
from creepcheck.loaders.sampling import reservoir
from tests.paths import SAMPLE_CAMPAIGNS

SPRING = SAMPLE_CAMPAIGNS / "spring-sale"


def _check(*args: str, folder: Path = SPRING) -> tuple[int, str, str]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["check", ".", "--no-progress", *args])
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def test_statistics_counts_every_rule_as_the_json_report_does() -> None:
    code, out, _ = _check("--statistics")
    assert code == 1
    counted = Counter(
        (f["code"], f["rule"])
        for f in json.loads(_check("--format", "json")[1])["findings"]
        if not f.get("waiver") and not f.get("suppressed")
    )
    rows = [line.split() for line in out.splitlines()]
    assert {(code, rule): int(count) for count, code, rule, _ in rows} == dict(counted)
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    code, out, _ = _check("--statistics", "--format", "json")
    assert sum(row["count"] for row in json.loads(out)) == sum(counted.values())


def test_statistics_with_an_output_file_writes_the_report_there(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    code, out, _ = _check("--statistics", "--format", "markdown", "--output", str(report))
    assert code == 1 and out.split()[1:3] == ["CC106", "missing-contact-point"]
    assert report.read_text(encoding="utf-8").startswith("# creepcheck compliance report")


def test_quiet_prints_the_findings_and_nothing_else(tmp_path: Path) -> None:
    code, loud, _ = _check()
    assert "Findings by rule" in loud and "profiles checked" in loud
    code, quiet, err = _check("--quiet", "--exclusions", str(tmp_path / "drop.csv"))
    assert code == 1
    assert "CC401" in quiet and "Findings by rule" not in quiet
    assert "profiles checked" not in quiet
    assert "creepcheck:" not in err  # no note about the file written
    assert (tmp_path / "drop.csv").is_file()


def _sampled_profiles(*args: str) -> set[str]:
    code, out, _ = _check("--format", "json", *args)
    assert code in (0, 1), out
    document = json.loads(out)
    assert document["summary"]["messages"] >= 0
    return {m["profile"] for m in document["messages"]} | {
        f["profile"] for f in document["findings"] if f["profile"]
    }


def test_a_sample_is_drawn_at_random_and_the_seed_repeats_it() -> None:
    everyone = _sampled_profiles()
    draws = [frozenset(_sampled_profiles("--sample", "3", "--seed", str(s))) for s in range(4)]
    assert all(draw <= everyone and 1 <= len(draw) <= 3 for draw in draws)
    assert len(set(draws)) > 1  # not the first three every time
    assert _sampled_profiles("--sample", "3", "--seed", "2") == draws[2]
    assert _sampled_profiles("--sample", "100") == everyone


def test_reservoir_draws_each_record_about_equally_often_in_source_order() -> None:
    seen: Counter[int] = Counter()
    for seed in range(3000):
        drawn = reservoir(range(10), 3, seed)
        assert drawn == sorted(drawn) and len(drawn) == 3
        seen.update(drawn)
    assert all(750 < seen[n] < 1050 for n in range(10)), seen
    assert reservoir(iter("ab"), 5, 0) == ["a", "b"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_only_and_never_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress_wanted(_Tty())
    assert not progress_wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted(_Tty())
    monkeypatch.setenv("CI", "false")
    monkeypatch.setenv("TERM", "dumb")
    assert not progress_wanted(_Tty())


def test_the_bar_gets_a_total_when_the_audience_size_is_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from creepcheck.run import CheckOptions, check

    sizes: list[int] = []
    checked: list[int] = []
    previous = Path.cwd()
    os.chdir(SPRING)
    try:
        check(CheckOptions(sample=4, audience_size=sizes.append, progress=checked.append))
        check(CheckOptions(audience_size=sizes.append))
    finally:
        os.chdir(previous)
    assert sizes == [4] and sum(checked) == 4


def test_a_json_lines_audience_is_counted_for_the_bar(tmp_path: Path) -> None:
    import shutil

    import yaml

    from creepcheck.run import CheckOptions, check

    folder = tmp_path / "spring"
    shutil.copytree(SPRING, folder)
    profiles = yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8"))
    lines = [json.dumps(p, default=str) for p in profiles]
    (folder / "profiles.jsonl").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    campaign = folder / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8").replace("profiles.yaml", "profiles.jsonl")
    campaign.write_text(text, encoding="utf-8")
    sizes: list[int] = []
    checked: list[int] = []
    check(CheckOptions(paths=(folder,), audience_size=sizes.append, progress=checked.append))
    assert sizes == [len(profiles)] == [sum(checked)]
