"""Profiles from Parquet files and DuckDB queries (loaders/warehouse.py).

The same audience read from JSON Lines, CSV, Parquet and a DuckDB query gives the same
findings; nested columns, `mapping:`, bad data and the query's lock-down are each
checked on files built here from the sample campaigns' profiles.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from creepcheck.errors import ProfileError, UserError
from creepcheck.loaders import warehouse
from creepcheck.loaders.campaigns import load_campaign
from creepcheck.loaders.profiles import RecordProblem, iter_profiles, source_fields
from creepcheck.models import DatabaseQuery, Finding, Profile
from creepcheck.run import CheckOptions, check
from tests.paths import REPO_ROOT, SAMPLE_CAMPAIGNS, checkout_env

CAMPAIGNS = ("spring-sale", "wellness-week", "live-demo")


def sample_records(campaign: str) -> list[dict[str, Any]]:
    """A sample campaign's profiles as JSON has them (dates as ISO text)."""
    text = (SAMPLE_CAMPAIGNS / campaign / "profiles.yaml").read_text(encoding="utf-8")
    return json.loads(json.dumps(yaml.safe_load(text), default=str))  # type: ignore[no-any-return]


def flat_row(record: dict[str, Any]) -> dict[str, str]:
    """A record as a CSV row: dotted columns, list indexes, lists of texts as `a;b`."""
    row: dict[str, str] = {}

    def put(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                put(f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, inner in enumerate(value):
                put(f"{prefix}.{index}", inner)
        elif isinstance(value, list):
            row[prefix] = ";".join(str(item) for item in value)
        elif isinstance(value, bool):
            row[prefix] = "true" if value else "false"
        else:
            row[prefix] = str(value)

    put("", record)
    return row


def to_table(records: list[dict[str, Any]]) -> pa.Table:
    """The records as a table whose columns are every field any record has (from_pylist
    would take only the first record's)."""
    return pa.Table.from_struct_array(pa.array(records))


def write_csv(path: Path, records: list[dict[str, Any]]) -> Path:
    import csv

    rows = [flat_row(record) for record in records]
    columns = list(dict.fromkeys(column for row in rows for column in row))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_database(path: Path, table: pa.Table, name: str = "customers") -> Path:
    connection = duckdb.connect(str(path))
    connection.register("incoming", table)
    connection.execute(f"create table {name} as select * from incoming")
    connection.close()
    return path


def key(finding: Finding, sources: set[str]) -> tuple[Any, ...]:
    """A finding without the file and line of its profile record: a CSV row is one
    line below the same JSON Lines record, a Parquet row has the record's number."""
    located = finding.file not in sources
    return (
        finding.code, finding.rule, finding.severity, finding.message, finding.campaign,
        finding.channel, finding.profile, finding.evidence, finding.fields, finding.fix,
        finding.file if located else None, finding.line if located else None,
        finding.fingerprint if located else None,
    )


def findings(folder: Path, source: Any, jobs: int = 1) -> list[tuple[Any, ...]]:
    result = check(CheckOptions(paths=(folder,), profiles=source, jobs=jobs))
    assert not [p for p in result.problems if p.fatal], result.problems
    names = {str(source), Path(str(source)).name}
    names |= {p.file for p in result.problems}
    return [key(finding, names) for finding in result.findings]


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_the_same_audience_gives_the_same_findings_from_every_source(
    campaign: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / campaign
    shutil.copytree(SAMPLE_CAMPAIGNS / campaign, folder)
    monkeypatch.chdir(folder)
    records = sample_records(campaign)
    jsonl = folder / "audience.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    table = to_table(records)
    parquet = folder / "audience.parquet"
    pq.write_table(table, parquet)
    database = write_database(folder / "crm.duckdb", table)
    expected = findings(folder, jsonl)
    assert expected, "the sample campaigns have findings to compare"
    if campaign != "live-demo":  # its template divides behaviour counts: CSV cells are text
        assert findings(folder, write_csv(folder / "audience.csv", records)) == expected
    assert findings(folder, parquet) == expected
    query = DatabaseQuery(database, "select * from customers order by rowid")
    assert findings(folder, query) == expected
    assert findings(folder, query, jobs=2) == expected
    assert findings(folder, parquet, jobs=2) == expected


def test_a_folder_of_parquet_parts_reads_as_one_audience(tmp_path: Path) -> None:
    records = sample_records("spring-sale")
    folder = tmp_path / "audience.parquet"
    folder.mkdir()
    half = len(records) // 2
    pq.write_table(to_table(records[:half]), folder / "part-0.parquet")
    pq.write_table(to_table(records[half:]), folder / "part-1.parquet")
    (folder / "_SUCCESS").write_text("", encoding="utf-8")
    (folder / ".staging").mkdir()
    (folder / ".staging" / "part-9.parquet").write_text("half written", encoding="utf-8")
    read = list(iter_profiles(folder))
    assert [p.id for p in read if isinstance(p, Profile)] == [r["id"] for r in records]
    assert [p.line for p in read if isinstance(p, Profile)] == list(range(1, len(records) + 1))


# --- shapes ------------------------------------------------------------------------------


def profiles_of(source: Any, mapping: dict[str, str] | None = None) -> list[Any]:
    return [p.data if isinstance(p, Profile) else str(p) for p in iter_profiles(source, mapping)]


def test_nested_struct_and_list_columns_are_the_profile_shape(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    table = pa.table({
        "id": [1, 2],
        "consents": [
            {"email": {"status": "granted", "purposes": ["marketing"]}, "sms": None},
            {"email": {"status": "withdrawn", "purposes": None}, "sms": {"status": "granted", "purposes": []}},
        ],
        "contact_points": [
            {"email": [{"value": "a@example.org", "source": "customer"}]},
            {"email": [{"value": "b@example.org", "source": None}, {"value": "c@example.org", "source": "web_form"}]},
        ],
        "last_verified": [date(2026, 1, 12), None],
        "consents_checked": [datetime(2026, 1, 2, 9, 30, tzinfo=timezone.utc), None],
        "attributes": pa.array([[("tier", "gold")], []], pa.map_(pa.string(), pa.string())),
        "value_score": pa.array([Decimal("3.50"), Decimal("4")], pa.decimal128(5, 2)),
    })
    pq.write_table(table, path)
    assert profiles_of(path) == [
        {
            "id": 1,
            "consents": {"email": {"status": "granted", "purposes": ["marketing"]}},
            "contact_points": {"email": [{"value": "a@example.org", "source": "customer"}]},
            "last_verified": "2026-01-12",
            "consents_checked": "2026-01-02T09:30:00+00:00",
            "attributes": {"tier": "gold"},
            "value_score": 3.5,
        },
        {
            "id": 2,
            "consents": {"email": {"status": "withdrawn"}, "sms": {"status": "granted", "purposes": []}},
            "contact_points": {"email": [{"value": "b@example.org"}, {"value": "c@example.org", "source": "web_form"}]},
            "attributes": {},
            "value_score": 4,
        },
    ]
    line, fields = source_fields(path)
    assert line == 1
    assert "consents.email.status" in fields and "contact_points.email.0.source" in fields


def test_mapping_and_dotted_columns_as_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "crm.parquet"
    pq.write_table(pa.table({
        "Customer ID": ["c-1"],
        "Email Address": ["ana@example.org"],
        "Opt In": ["granted"],
        "consents.email.purposes": ["marketing;service"],
        "contact_points.sms.0.value": ["+1 212 555 0101"],
        "do_not_contact": ["no"],
    }), path)
    mapping = {
        "Customer ID": "id",
        "Email Address": "contact_points.email.0.value",
        "Opt In": "consents.email.status",
    }
    assert profiles_of(path, mapping) == [{
        "id": "c-1",
        "contact_points": {
            "email": [{"value": "ana@example.org"}], "sms": [{"value": "+1 212 555 0101"}]
        },
        "consents": {"email": {"status": "granted", "purposes": ["marketing", "service"]}},
        "do_not_contact": False,
    }]
    line, fields = source_fields(path, mapping)
    assert "contact_points.email.0.value" in fields and "Email Address" not in fields


def test_a_mapped_column_that_sets_what_another_sets_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "clash.parquet"
    pq.write_table(pa.table({"id": ["a"], "email": ["x"], "contact_points": [{"email": [{"value": "y"}]}]}), path)
    with pytest.raises(ProfileError) as caught:
        list(iter_profiles(path, {"email": "contact_points.email.0.value"}))
    assert str(caught.value) == (
        'clash.parquet: columns "contact_points" and "email" both set contact_points'
    ) or "both set contact_points" in str(caught.value)


# --- bad data ----------------------------------------------------------------------------


def test_bad_rows_are_reported_by_file_and_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pq.write_table(pa.table({"id": ["a", None, "a", "d"], "first_name": ["Ana", "Bo", "Cy", "Di"]}), tmp_path / "p.parquet")
    read = profiles_of(Path("p.parquet"))
    assert read[0] == {"id": "a", "first_name": "Ana"}
    assert read[1:3] == [
        'p.parquet:2: missing required key "id"',
        'p.parquet:3: duplicate id "a" (first on line 1)',
    ]
    assert read[3] == {"id": "d", "first_name": "Di"}


def test_an_unreadable_column_type_names_the_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pq.write_table(pa.table({"id": ["a"], "photo": [b"\x89PNG"]}), tmp_path / "p.parquet")
    with pytest.raises(ProfileError) as caught:
        list(iter_profiles(Path("p.parquet")))
    message = str(caught.value)
    assert message.startswith('p.parquet: column "photo": binary values cannot be read: expected text')
    assert "lists, structs or maps" in message


def test_a_float_id_and_bad_values_are_reported_with_the_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pq.write_table(pa.table({"id": [1.5]}), tmp_path / "p.parquet")
    assert profiles_of(Path("p.parquet")) == ["p.parquet:1: id: expected a text, got 1.5"]
    records = sample_records("spring-sale")[:1]
    records[0]["consents"]["email"]["status"] = "maybe"
    pq.write_table(to_table(records), tmp_path / "q.parquet")
    campaign = tmp_path / "c"
    shutil.copytree(SAMPLE_CAMPAIGNS / "spring-sale", campaign)
    result = check(CheckOptions(paths=(campaign,), profiles=tmp_path / "q.parquet"))
    shown = [str(p) for p in result.problems]
    assert any(
        s.startswith("q.parquet:1: profile ns-clean: consents.email.status: expected one of granted")
        for s in shown
    ), shown


def test_not_a_parquet_file_and_no_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fake.parquet").write_text("id,name\n1,a\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"^fake.parquet: cannot read Parquet file: "):
        list(iter_profiles(Path("fake.parquet")))
    pq.write_table(pa.table({"id": pa.array([], pa.string())}), tmp_path / "empty.parquet")
    with pytest.raises(ProfileError, match="no profiles in the file"):
        list(iter_profiles(Path("empty.parquet")))
    write_database(tmp_path / "crm.duckdb", pa.table({"id": ["a"]}))
    with pytest.raises(ProfileError, match="the query returned no rows"):
        list(iter_profiles(DatabaseQuery(tmp_path / "crm.duckdb", "select * from customers where id = 'z'")))
    with pytest.raises(ProfileError, match="a DuckDB database needs a query"):
        iter_profiles(tmp_path / "crm.duckdb")


# --- the query's lock-down ---------------------------------------------------------------


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return write_database(tmp_path / "crm.duckdb", to_table(sample_records("spring-sale")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("select * from read_csv('/etc/passwd')", "query: refused, the query may read only the tables"),
        ("select * from '/etc/passwd'", "query: "),
        ("select * from glob('/*')", "query: refused"),
        ("attach '/tmp/other.db' as other", "query: only a SELECT statement may be run, got ATTACH"),
        ("copy customers to 'leak.csv'", "query: only a SELECT statement may be run, got COPY"),
        ("install httpfs", "query: only a SELECT statement may be run"),
        ("load httpfs", "query: only a SELECT statement may be run"),
        ("set enable_external_access = true", "query: only a SELECT statement may be run, got SET"),
        ("select * from customers; select 1", "query: expected one SELECT statement, got 2 statements"),
        ("select * frm customers", "query: "),
        ("select * from no_such_table", "query: "),
    ],
)
def test_the_query_reads_only_its_database(database: Path, query: str, expected: str) -> None:
    with pytest.raises(ProfileError) as caught:
        list(iter_profiles(DatabaseQuery(database, query)))
    assert expected in str(caught.value)
    assert "root:" not in str(caught.value)
    assert not (database.parent / "leak.csv").exists()


@pytest.mark.parametrize(
    "query",
    [
        "select * from customers where current_setting('enable_external_access') = false",
        "from customers",
        "with chosen as (select * from customers) select * from chosen;",
    ],
)
def test_a_select_in_any_form_reads_its_database(database: Path, query: str) -> None:
    read = list(iter_profiles(DatabaseQuery(database, query)))
    assert [p.id for p in read if isinstance(p, Profile)] == [r["id"] for r in sample_records("spring-sale")]


def test_the_locked_configuration_holds(database: Path) -> None:
    """No statement can turn external access back on, or write."""
    connection = warehouse.locked_connection(database)
    with pytest.raises(duckdb.Error, match="locked"):
        connection.execute("set enable_external_access = true")
    with pytest.raises(duckdb.Error):
        connection.execute("create table t as select 1")  # read-only
    connection.close()


def test_a_long_query_is_interrupted(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warehouse, "QUERY_SECONDS", 0.5)
    query = "select a.range as id from range(100000000000) a where a.range % 1000000000000 = 7"
    with pytest.raises(ProfileError, match=r"query: stopped after 0.5 s"):
        list(iter_profiles(DatabaseQuery(database, query)))


def test_a_query_that_needs_too_much_memory_is_stopped(database: Path) -> None:
    query = "select list(range) as id from range(2000000000)"
    with pytest.raises(ProfileError, match=r"query: needs more than 1GB of memory; narrow the query"):
        list(iter_profiles(DatabaseQuery(database, query)))
    assert sorted(p.name for p in database.parent.iterdir()) == ["crm.duckdb"]  # nothing spilled


def test_a_campaign_names_its_database_and_query(tmp_path: Path, database: Path) -> None:
    repo = tmp_path
    (repo / "spring").mkdir()
    for name in ("email.html.j2", "sms.txt.j2", "letter.txt.j2"):
        shutil.copy(SAMPLE_CAMPAIGNS / "spring-sale" / name, repo / "spring" / name)
    text = (SAMPLE_CAMPAIGNS / "spring-sale" / "campaign.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "profiles: profiles.yaml",
        'profiles: {database: ../crm.duckdb, query: "select * from customers where id like \'ns-%\'"}',
    )
    (repo / "spring" / "campaign.yaml").write_text(text, encoding="utf-8")
    campaign = load_campaign(repo / "spring" / "campaign.yaml", root=repo)
    assert campaign.profiles == DatabaseQuery(
        database.resolve(), "select * from customers where id like 'ns-%'"
    )
    outside = text.replace("../crm.duckdb", "../../crm.duckdb")
    (repo / "spring" / "campaign.yaml").write_text(outside, encoding="utf-8")
    with pytest.raises(UserError, match=r'profiles: "../../crm.duckdb" is outside the campaign repository'):
        load_campaign(repo / "spring" / "campaign.yaml", root=repo)
    bad = text.replace("query:", "qeury:")
    (repo / "spring" / "campaign.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(UserError, match='profiles: unknown key "qeury": did you mean "query"'):
        load_campaign(repo / "spring" / "campaign.yaml", root=repo)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", *args, "--no-progress", "--format", "json"],
        cwd=cwd, capture_output=True, text=True, timeout=120, env=checkout_env(NO_COLOR="1"),
    )


def test_the_command_line_takes_a_database_and_a_query(tmp_path: Path, database: Path) -> None:
    folder = tmp_path / "spring"
    shutil.copytree(SAMPLE_CAMPAIGNS / "spring-sale", folder)
    config = "mapping:\n  nickname: first_name\n"
    (tmp_path / "creepcheck.yaml").write_text(config, encoding="utf-8")
    proc = run_cli("spring", "--profiles", "crm.duckdb", "--query", "select * from customers", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"]
    # A refused query through the command line: tests/hostile/duckdb-query-*.


def test_a_query_needs_a_database_to_run_on() -> None:
    from creepcheck.commands.check import profile_source

    with pytest.raises(UserError, match="--query: --profiles names no database"):
        profile_source(None, "select 1")
    with pytest.raises(UserError, match="--query: the query is empty"):
        profile_source(Path("crm.duckdb"), " ")
    assert profile_source(Path("a.parquet"), None) == Path("a.parquet")


def test_the_config_names_a_database_and_query(tmp_path: Path, database: Path) -> None:
    from creepcheck.loaders.config import load_project_config

    (tmp_path / "creepcheck.yaml").write_text(
        "profiles:\n  database: crm.duckdb\n  query: select * from customers\n", encoding="utf-8"
    )
    config = load_project_config(tmp_path)
    assert config.profiles == DatabaseQuery(tmp_path / "crm.duckdb", "select * from customers")
    (tmp_path / "creepcheck.yaml").write_text(
        "profiles:\n  database: ../crm.duckdb\n  query: select 1\n", encoding="utf-8"
    )
    with pytest.raises(UserError, match="outside the campaign repository"):
        load_project_config(tmp_path)


def test_nothing_of_the_extra_is_imported_unless_used() -> None:
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        import creepcheck
        from creepcheck.run import CheckOptions, check
        check(CheckOptions(paths=(Path("sample_campaigns"),)))
        print(sorted(m for m in ("pyarrow", "duckdb") if m in sys.modules))
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120, env=checkout_env())
    assert proc.stdout.strip() == "[]", proc.stderr[-2000:]


def test_a_missing_extra_names_the_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pq.write_table(pa.table({"id": ["a"]}), tmp_path / "p.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # as if not installed
    with pytest.raises(ProfileError, match=r"needs pyarrow.parquet: pip install 'creepcheck\[warehouse\]'"):
        list(iter_profiles(tmp_path / "p.parquet"))


# --- streaming ---------------------------------------------------------------------------

# The peak resident memory of the reading process after reading 20,000 rows, then
# after 200,000 (VmHWM: ru_maxrss would keep the peak of the forking test process).
MEASURE = textwrap.dedent("""
    import re, sys
    from pathlib import Path
    from creepcheck.loaders.profiles import iter_profiles
    from creepcheck.models import DatabaseQuery
    kind = sys.argv[1]
    for path, rows in ((Path(sys.argv[2]), 20_000), (Path(sys.argv[3]), 200_000)):
        query = f"select * from customers where n < {rows}"
        source = DatabaseQuery(path, query) if kind == "duckdb" else path
        count = sum(1 for _ in iter_profiles(source))
        assert count == rows, count
        status = Path("/proc/self/status").read_text()
        print(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1))
""")


def generated_table(rows: int) -> pa.Table:
    import pyarrow.compute as pc

    numbers = pa.array(range(rows), pa.int64())
    ids = pc.binary_join_element_wise("p-", pc.cast(numbers, pa.string()), "")
    emails = pc.binary_join_element_wise("person", pc.cast(numbers, pa.string()), "@example.org", "")
    email_points = pa.ListArray.from_arrays(
        pa.array(range(0, rows + 1), pa.int32()),
        pa.StructArray.from_arrays([emails, pa.array(["customer"] * rows)], ["value", "source"]),
    )
    return pa.table({
        "n": numbers,
        "id": ids,
        "first_name": pa.array(["Ana"] * rows),
        "timezone": pa.array(["America/Chicago"] * rows),
        "contact_points": pa.StructArray.from_arrays([email_points], ["email"]),
        "consents": pa.StructArray.from_arrays(
            [pa.StructArray.from_arrays([pa.array(["granted"] * rows)], ["status"])], ["email"]
        ),
    })


def peaks_kib(kind: str, small: Path, large: Path) -> tuple[int, int]:
    proc = subprocess.run([sys.executable, "-c", MEASURE, kind, str(small), str(large)],
                          capture_output=True, text=True, timeout=120, env=checkout_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
    small_peak, large_peak = map(int, proc.stdout.split())
    return small_peak, large_peak


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM of /proc")
@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_two_hundred_thousand_rows_stream_in_flat_memory(kind: str, tmp_path: Path) -> None:
    table = generated_table(200_000)
    if kind == "parquet":
        small, large = tmp_path / "small.parquet", tmp_path / "large.parquet"
        pq.write_table(table.slice(0, 20_000), small)
        pq.write_table(table, large)  # one row group: read page by page all the same
    else:
        small = large = write_database(tmp_path / "crm.duckdb", table)
    small_peak, large_peak = peaks_kib(kind, small, large)
    # Held as a list, the 200,000 profiles take about 450 MB more than nothing. Read
    # as a stream, ten times the rows cost the set of ids seen (for duplicates, about
    # 15 MB) and allocator slack: measured 30 to 40 MB in separate processes.
    assert large_peak - small_peak < 64 * 1024, (small_peak, large_peak)


def test_record_problems_are_records_not_tracebacks(tmp_path: Path) -> None:
    """A timestamp beyond year 9999 cannot become a Python value: its row is reported."""
    stamps = pa.array([0, 300_000_000_000_000_000], pa.timestamp("us"))
    pq.write_table(pa.table({"id": ["a", "b"], "last_verified": stamps}), tmp_path / "t.parquet")
    read = list(iter_profiles(tmp_path / "t.parquet"))
    assert isinstance(read[0], Profile) and read[0].data["last_verified"] == "1970-01-01T00:00:00"
    assert isinstance(read[1], RecordProblem) and read[1].line == 2
    assert str(read[1]).endswith('t.parquet:2: column "last_verified": unreadable value (date value out of range): expected text, numbers, true/false, dates and timestamps, lists, structs or maps')


def test_preview_renders_a_profile_from_a_query(tmp_path: Path, database: Path) -> None:
    from creepcheck.commands.preview import PreviewOptions, run_preview

    folder = tmp_path / "spring"
    shutil.copytree(SAMPLE_CAMPAIGNS / "spring-sale", folder)
    source = DatabaseQuery(database, "select * from customers where id = 'ns-recalled-order'")
    shown = run_preview(PreviewOptions(folder / "campaign.yaml", "ns-recalled-order", "email", profiles=source))
    assert "Subject: L., spring picks for you" in shown and "CC301" in shown
    with pytest.raises(UserError, match='unknown profile "ns-clean"'):
        run_preview(PreviewOptions(folder / "campaign.yaml", "ns-clean", "email", profiles=source))


def test_unknown_columns_get_the_did_you_mean_of_a_csv_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE_CAMPAIGNS / "spring-sale", tmp_path / "spring")
    pq.write_table(pa.table({
        "id": ["a"], "email": ["ana@example.org"], "firstname": ["Ana"],
        "consents": [{"emial": {"status": "granted"}}],
    }), tmp_path / "crm.parquet")
    result = check(CheckOptions(paths=(tmp_path / "spring",), profiles=Path("crm.parquet")))
    warnings = [str(p) for p in result.problems if not p.fatal and p.file == "crm.parquet"]
    assert 'crm.parquet:1: unknown field "firstname": did you mean "first_name"? (docs/reference.md lists the profile fields)' in warnings
    assert any('unknown field "email": did you mean "contact_points.email.0.value"' in w for w in warnings)
    assert any('unknown field "consents.emial.status": did you mean "consents.email.status"' in w for w in warnings)
