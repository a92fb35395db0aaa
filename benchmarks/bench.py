"""Benchmark creepcheck against the naive approach on a synthetic audience.

    python benchmarks/bench.py --profiles 20000

Generates a campaign repository (HTML email with a loop and conditionals, and an SMS)
with N profiles in JSON Lines, then measures in one run, each in its own process:
`creepcheck check` end to end (startup included) with --jobs 1 and --jobs 2, and the
naive approach (Jinja2 render + presidio AnalyzerEngine.analyze per message). Prints
profiles per second, wall time and peak RSS for each, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402


@dataclass
class Measure:
    name: str
    profiles: int
    seconds: float
    peak_rss_mb: float

    @property
    def rate(self) -> float:
        return self.profiles / self.seconds if self.seconds else 0.0


def timed(name: str, argv: list[str], profiles: int) -> Measure:
    """Run `argv`, returning wall time and the peak RSS of it and its waited children."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{name} failed with exit {code}:\n{err[-2000:]}")
    if name.startswith("naive"):
        profiles = json.loads(out.strip().splitlines()[-1])["profiles"]
    return Measure(name, profiles, elapsed, usage.ru_maxrss / 1024)


def creepcheck(repo: Path, profiles: int, jobs: int) -> Measure:
    argv = [sys.executable, "-m", "creepcheck", "check", str(repo), "--format", "json",
            "--output", os.devnull, "--no-progress", "--fail-on", "never", "--jobs", str(jobs)]
    return timed(f"creepcheck --jobs {jobs}", argv, profiles)


def naive(repo: Path, limit: int | None) -> Measure:
    argv = [sys.executable, str(Path(__file__).parent / "naive.py"), str(repo)]
    if limit:
        argv.append(str(limit))
    return timed("naive (jinja2 + presidio)", argv, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=20_000)
    parser.add_argument("--naive-profiles", type=int, default=None,
                        help="profiles for the naive run (default: all; its rate is per profile)")
    parser.add_argument("--memory-scale", type=int, default=0,
                        help="also run creepcheck on this many profiles and compare peak RSS")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="creepcheck-bench-") as tmp:
        repo = generate(Path(tmp) / "repo", args.profiles)
        results = [creepcheck(repo, args.profiles, 1), creepcheck(repo, args.profiles, 2)]
        if not args.skip_naive:
            results.append(naive(repo, args.naive_profiles))
        report(results)
        if args.memory_scale:
            big = generate(Path(tmp) / "big", args.memory_scale)
            large = creepcheck(big, args.memory_scale, 1)
            report([results[0], large])
            print(f"peak RSS growth {args.profiles} -> {args.memory_scale} profiles: "
                  f"{large.peak_rss_mb - results[0].peak_rss_mb:+.1f} MB")


def report(results: list[Measure]) -> None:
    print(f"{'run':28} {'profiles':>9} {'seconds':>8} {'profiles/s':>11} {'peak RSS MB':>12}")
    for m in results:
        print(f"{m.name:28} {m.profiles:9d} {m.seconds:8.2f} {m.rate:11.0f} {m.peak_rss_mb:12.1f}")
    by_name = {m.name: m for m in results}
    one, two = by_name.get("creepcheck --jobs 1"), by_name.get("creepcheck --jobs 2")
    plain = by_name.get("naive (jinja2 + presidio)")
    if one and plain:
        print(f"creepcheck --jobs 1 vs naive: {one.rate / plain.rate:.1f}x")
    if two and plain:
        print(f"creepcheck --jobs 2 vs naive: {two.rate / plain.rate:.1f}x")
    if one and two:
        print(f"--jobs 2 vs --jobs 1: {two.rate / one.rate:.2f}x")


if __name__ == "__main__":
    main()
