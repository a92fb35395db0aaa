"""Time `creepcheck check --spark local[2]` against `--jobs 2` on the same audience.

    python benchmarks/spark_bench.py --profiles 1000000          # the issue's figure
    python benchmarks/spark_bench.py --profiles 50000 --partitions 2,8,32

The audience is the benchmark campaign's (benchmarks/generate.py: unique emails and
phones, 0-3 purchases each, ~10% without consent, 1% deceased), written once as
Parquet (and as JSON Lines, for a local run where the Parquet reader is absent).
Both runs start a fresh process, so startup (the JVM included) is in the figures.
The per-partition overhead is the slope of Spark's time over the number of
partitions of a small audience.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate, profile  # noqa: E402


def write_audience(folder: Path, count: int, chunk: int = 50_000) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet, jsonl = folder / "audience.parquet", folder / "audience.jsonl"
    rng = random.Random(7)
    writer = None
    with jsonl.open("w", encoding="utf-8") as lines:
        for start in range(0, count, chunk):
            records = [profile(i, rng) for i in range(start, min(count, start + chunk))]
            lines.writelines(json.dumps(r) + "\n" for r in records)
            table = pa.Table.from_pylist(records)
            if writer is None:
                writer = pq.ParquetWriter(parquet, table.schema)
            writer.write_table(table.cast(writer.schema), row_group_size=16_384)
    if writer is not None:
        writer.close()
    return parquet, jsonl


def timed(argv: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def check_argv(source: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "creepcheck", "check", "repo", "--profiles", str(source),
            "--format", "json", "-o", "report.json", "--no-messages", "--no-progress", *extra]


def parquet_is_local(folder: Path, parquet: Path) -> bool:
    probe = subprocess.run(check_argv(parquet, "--sample", "1"), cwd=folder,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    return probe.returncode in (0, 1)


def partition_overhead(folder: Path, jsonl: Path, partitions: list[int]) -> list[tuple[int, float]]:
    """Spark's time on the first 20,000 profiles, split into more and more partitions."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [json.loads(line) for _, line in zip(range(20_000), jsonl.open(), strict=False)]
    table = pa.Table.from_pylist(records)
    rows = []
    for count in partitions:
        split = folder / f"split-{count}"
        split.mkdir(exist_ok=True)
        size = -(-len(records) // count)
        for index in range(count):
            pq.write_table(table.slice(index * size, size), split / f"part-{index:04d}.parquet")
        rows.append((count, timed(check_argv(split, "--spark", "local[2]"), folder)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--partitions", default="2,8,32", help="for the per-partition overhead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="creepcheck-spark-bench-") as tmp:
        folder = Path(tmp)
        generate(folder / "repo", 1)
        started = time.perf_counter()
        parquet, jsonl = write_audience(folder, args.profiles)
        print(f"audience: {args.profiles:,} profiles ({parquet.stat().st_size / 2**20:.0f} MB "
              f"Parquet) written in {time.perf_counter() - started:.0f} s")
        local_source = parquet if parquet_is_local(folder, parquet) else jsonl
        spark = timed(check_argv(parquet, "--spark", "local[2]"), folder)
        jobs = timed(check_argv(local_source, "--jobs", "2"), folder)
        print(f"--spark local[2], Parquet:          {spark:8.1f} s  "
              f"{spark / args.profiles * 1e3:.3f} ms/profile")
        print(f"--jobs 2, {local_source.suffix[1:]:<8}                  {jobs:8.1f} s  "
              f"{jobs / args.profiles * 1e3:.3f} ms/profile")
        counts = [int(c) for c in args.partitions.split(",") if c]
        overhead = partition_overhead(folder, jsonl, counts)
        for count, seconds in overhead:
            print(f"20,000 profiles in {count:3d} partitions: {seconds:6.1f} s")
        if len(overhead) > 1:
            (p0, t0), (p1, t1) = overhead[0], overhead[-1]
            print(f"per-partition overhead: {(t1 - t0) / (p1 - p0) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
