"""`creepcheck.spark` and `check --spark`: on a local Spark (local[2]), the same findings,
problems and counts as a plain local run of the same data.

The Spark tests need PySpark (the `spark` extra) and Java 17 or newer; where either is
missing they are skipped, saying which.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from creepcheck.errors import UserError
from creepcheck.findings.result import RunResult
from creepcheck.reporters.json import finding_to_dict
from creepcheck.run import CheckOptions, check
from creepcheck.spark.session import java_found
from tests.paths import REPO_ROOT, SAMPLE_CAMPAIGNS, checkout_env

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (creepcheck[spark])")
pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (creepcheck[spark])")
pq = pytest.importorskip("pyarrow.parquet")
needs_java = pytest.mark.skipif(not java_found(), reason="no Java for Spark (JAVA_HOME or java)")

sys.path.insert(0, str(REPO_ROOT))
from benchmarks.generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Any:
    if not java_found():
        pytest.skip("no Java for Spark (JAVA_HOME or java)")
    from creepcheck.spark.session import start

    session = start("local[2]")
    yield session
    session.stop()


def _plain(**options: Any) -> RunResult:
    return check(CheckOptions(**options))


def _on_spark(**options: Any) -> RunResult:
    from creepcheck.spark import check_on_spark

    return check_on_spark(CheckOptions(**options), "local[2]")


def _findings(result: RunResult) -> list[dict[str, Any]]:
    return sorted(
        (finding_to_dict(f) for f in result.findings), key=lambda f: f["fingerprint"]
    )


def _same(plain: RunResult, spark_run: RunResult) -> None:
    assert _findings(spark_run) == _findings(plain)
    assert [str(p) for p in spark_run.problems] == [str(p) for p in plain.problems]
    assert spark_run.stats == plain.stats
    assert list(spark_run.messages) == list(plain.messages)
    assert spark_run.waivers == plain.waivers


def _to_parquet(jsonl: Path, target: Path) -> Path:
    records = [json.loads(line) for line in jsonl.read_text().splitlines() if line.strip()]
    pq.write_table(pa.Table.from_pylist(records), target, row_group_size=4096)
    return target


@needs_java
def test_sample_campaigns_give_the_same_findings(spark: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(REPO_ROOT)
    paths = (Path("sample_campaigns"),)
    plain = _plain(paths=paths)
    assert plain.findings, "the samples have findings"
    _same(plain, _on_spark(paths=paths))


@needs_java
def test_the_api_returns_the_findings_as_a_dataframe(spark: Any, monkeypatch: Any) -> None:
    from creepcheck.spark import check_audience

    monkeypatch.chdir(REPO_ROOT)
    plain = _plain(paths=(Path("sample_campaigns"),))
    outcome = check_audience(spark, None, ["sample_campaigns"])
    rows = outcome.findings.collect()
    assert sorted(r["fingerprint"] for r in rows) == sorted(f.fingerprint for f in plain.findings)
    waived = [r for r in rows if r["waiver"] is not None]
    assert len(waived) == sum(1 for f in plain.findings if f.waiver is not None)
    messages = outcome.messages.collect()
    assert len(messages) == plain.stats.messages
    assert {m["specificity"] for m in messages} == {m.specificity for m in plain.messages}
    assert outcome.stats == plain.stats


@needs_java
def test_a_parquet_audience_of_20000_profiles(spark: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from creepcheck.spark import check_audience

    repo = generate(tmp_path / "repo", 20_000)
    audience = _to_parquet(repo / "profiles.jsonl", tmp_path / "audience.parquet")
    monkeypatch.chdir(tmp_path)
    plain = _plain(paths=(Path("repo"),), collect_messages=False)
    assert plain.stats.profiles_checked == 20_000
    assert len(plain.findings) > 1_000
    on_spark = _on_spark(paths=(Path("repo"),), profiles=audience, collect_messages=False)
    assert _findings(on_spark) == _findings(plain)
    assert on_spark.stats == plain.stats
    from_parquet = _plain(paths=(Path("repo"),), profiles=audience, collect_messages=False)
    assert [str(p) for p in on_spark.problems] == [str(p) for p in from_parquet.problems]

    outcome = check_audience(spark, spark.read.parquet(str(audience)), ["repo"])
    fingerprints = [r["fingerprint"] for r in outcome.findings.select("fingerprint").collect()]
    assert sorted(fingerprints) == sorted(f.fingerprint for f in plain.findings)


BAD_ROWS = [
    {"id": "a1", "first_name": "Ana"},
    {"first_name": "No id"},
    {"id": "a2", "first_name": "Ben", "timezone": "Mars/Olympus"},
    {"id": "a1", "first_name": "Ana again"},
    {"id": "a3", "first_name": "Chloe"},
]


def _bad_rows_repo(root: Path) -> Path:
    repo = generate(root / "repo", 6)
    records = [json.loads(line) for line in (repo / "profiles.jsonl").read_text().splitlines()]
    lines = []
    for extra in BAD_ROWS:
        record = dict(records[0])
        record.pop("id")
        record.update(extra)
        lines.append(json.dumps(record))
    lines.insert(2, "")
    lines.insert(3, "[1, 2]")
    (repo / "profiles.jsonl").write_text("\n".join(lines) + "\n")
    # A template that fails for one profile only, and a field no profile has.
    (repo / "sms.txt.j2").write_text(
        "Hi {{ first_name }} {{ (10 / (first_name | length - 5)) | int }}, "
        "{{ loyalty_tier | default('') }} spring sale. Reply STOP to opt out\n"
    )
    return repo


@needs_java
def test_bad_rows_are_reported_and_template_errors_are_findings(
    spark: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    repo = _bad_rows_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    plain = _plain(paths=(Path("repo"),))
    messages = [p.message for p in plain.problems]
    assert any("duplicate id" in m for m in messages)
    assert any('missing required key "id"' in m for m in messages)
    assert plain.stats.profiles_rejected == 3
    errors = [f for f in plain.findings if f.rule == "template-error"]
    assert [f.profile for f in errors] == ["a3"]  # a first name of five letters
    assert any(f.code == "CC404" for f in plain.findings)
    # JSON Lines read by Spark as text, line by line.
    _same(plain, _on_spark(paths=(Path("repo"),)))
    # The same records as Parquet (rows that are not mappings cannot be in a table).
    records = [
        json.loads(line)
        for line in (repo / "profiles.jsonl").read_text().splitlines()
        if line.startswith("{")
    ]
    table = tmp_path / "audience.parquet"
    pq.write_table(pa.Table.from_pylist(records), table)
    from_table = _on_spark(paths=(Path("repo"),), profiles=table)
    assert _findings(from_table) == _findings(plain)  # fingerprints do not hold row numbers
    _same(_plain(paths=(Path("repo"),), profiles=table), from_table)
    assert from_table.stats.profiles_rejected == 2
    problems = [str(p) for p in from_table.problems]
    assert any(
        p.startswith("audience.parquet:4:") and 'duplicate id "a1" (first on line 1)' in p
        for p in problems
    ), problems
    assert any(p.startswith("audience.parquet:2:") and 'missing required key "id"' in p
               for p in problems), problems


def test_missing_java_is_a_clear_error(tmp_path: Path) -> None:
    env = checkout_env(JAVA_HOME=str(tmp_path / "no-jdk"))
    proc = subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", str(SAMPLE_CAMPAIGNS), "--spark", "local[2]"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 2
    assert "Spark needs Java 17 or newer" in proc.stderr
    assert "JAVA_HOME" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_pyspark_names_the_extra(monkeypatch: Any) -> None:
    from creepcheck.spark.session import require_spark

    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(UserError, match=r"pip install 'creepcheck\[spark\]'"):
        require_spark()


def test_spark_and_jobs_do_not_mix() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", str(SAMPLE_CAMPAIGNS),
         "--spark", "local[2]", "--jobs", "2"],
        capture_output=True, text=True, env=checkout_env(), timeout=120,
    )
    assert proc.returncode == 2
    assert "--spark and --jobs" in proc.stderr


@needs_java
def test_the_cli_writes_the_same_report(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "creepcheck", "check", "sample_campaigns", "--format", "json",
            "--no-progress"]
    env = checkout_env()
    plain = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, env=env)
    on_spark = subprocess.run(argv + ["--spark", "local[2]"], capture_output=True, text=True,
                              cwd=REPO_ROOT, env=env, timeout=300)
    assert on_spark.returncode == plain.returncode == 1
    assert json.loads(on_spark.stdout) == json.loads(plain.stdout)


@needs_java
def test_a_sample_draws_the_same_profiles(spark: Any, tmp_path: Path, monkeypatch: Any) -> None:
    repo = generate(tmp_path / "repo", 400)
    lines = (repo / "profiles.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    lines[5:5] = ["", "   "]  # blank lines count as lines, not as records
    (repo / "profiles.jsonl").write_text("\n".join(lines) + "\n")
    table = tmp_path / "audience.parquet"
    pq.write_table(pa.Table.from_pylist(records), table, row_group_size=64)
    monkeypatch.chdir(tmp_path)
    plain = _plain(paths=(Path("repo"),), sample=37, seed=5)
    assert plain.stats.profiles_checked == 37
    _same(plain, _on_spark(paths=(Path("repo"),), sample=37, seed=5))
    from_table = _on_spark(paths=(Path("repo"),), profiles=table, sample=37, seed=5)
    assert _findings(from_table) == _findings(plain)
    _same(_plain(paths=(Path("repo"),), profiles=table, sample=37, seed=5), from_table)
    other_seed = _on_spark(paths=(Path("repo"),), profiles=table, sample=37, seed=6)
    assert _findings(other_seed) != _findings(plain)
