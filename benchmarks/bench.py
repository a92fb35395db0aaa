"""Benchmark creepcheck against the naive approach on synthetic audiences.

    python benchmarks/bench.py                      # 20,000 profiles, both audiences
    python benchmarks/bench.py --audience realistic --profiles 5000
    python benchmarks/bench.py --memory-scale 200000

Two audiences (see README "Performance"): `classic` (generate.py: an HTML email with a
loop and conditionals and an SMS; one shared unsubscribe link, 20 first names, the same
picks for all, the best case for creepcheck's caches) and `realistic` (realistic.py:
per-recipient links and tokens, over 5,000 first and last names, personal picks and
purchases, email + SMS + push). For each it generates N profiles in JSON Lines, then
measures in one run, each in its own process with
startup included: `creepcheck check` with --jobs 1 and --jobs 2, and the naive approach
(Jinja2 render + presidio AnalyzerEngine.analyze on every rendered text, with presidio's
default recognizers and with creepcheck's seven). Prints profiles per second, wall time
and peak RSS for each, and the ratios. `--memory-scale N` also runs creepcheck on N
profiles, prints how much its peak RSS grew, and compares --jobs 2 with --jobs 1 there.
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
from realistic import generate_realistic  # noqa: E402

AUDIENCES = {"classic": generate, "realistic": generate_realistic}

NAIVE_DEFAULT = "naive, presidio default recognizers"
NAIVE_SEVEN = "naive, creepcheck's 7 recognizers"


@dataclass
class Measure:
    name: str
    profiles: int
    seconds: float
    peak_rss_mb: float  # the largest process (for --jobs 2: main or a worker)

    @property
    def rate(self) -> float:
        return self.profiles / self.seconds if self.seconds else 0.0


def timed(name: str, argv: list[str], profiles: int) -> Measure:
    """Run `argv`: wall time, and the peak RSS of it and its waited-for children."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_bytes, err_bytes = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{name} failed with exit {proc.returncode}:\n{err_bytes[-2000:]!r}")
    if name.startswith("naive"):
        profiles = json.loads(out_bytes.decode().strip().splitlines()[-1])["profiles"]
    return Measure(name, profiles, elapsed, _children_peak_rss_mb())


def _children_peak_rss_mb() -> float:
    import resource

    # ru_maxrss of RUSAGE_CHILDREN is the largest of all waited-for descendants so far,
    # so each measurement runs in a fresh helper process (see `isolated`).
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def isolated(name: str, argv: list[str], profiles: int) -> Measure:
    """`timed` in a fresh helper process, so that its peak RSS is this run's alone."""
    helper = [sys.executable, __file__, "--measure", json.dumps([name, argv, profiles])]
    out = subprocess.run(helper, check=True, capture_output=True, text=True).stdout
    return Measure(**json.loads(out))


def creepcheck(repo: Path, profiles: int, jobs: int, *extra: str) -> Measure:
    argv = [sys.executable, "-m", "creepcheck", "check", str(repo), "--format", "json",
            "--output", os.devnull, "--no-progress", "--fail-on", "never", "--jobs", str(jobs),
            *extra]
    label = " ".join([f"creepcheck --jobs {jobs}", *extra])
    return isolated(label, argv, profiles)


def naive(repo: Path, limit: int | None, recognizers: str) -> Measure:
    argv = [sys.executable, str(Path(__file__).parent / "naive.py"), str(repo),
            "--recognizers", recognizers]
    if limit:
        argv.insert(3, str(limit))
    name = NAIVE_DEFAULT if recognizers == "default" else NAIVE_SEVEN
    return isolated(name, argv, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=20_000)
    parser.add_argument("--naive-profiles", type=int, default=None,
                        help="profiles for the naive runs (default: all of them)")
    parser.add_argument("--memory-scale", type=int, default=0,
                        help="also run creepcheck on this many profiles; compare peak RSS")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--audience", choices=(*AUDIENCES, "both"), default="both")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        name, argv, profiles = json.loads(args.measure)
        print(json.dumps(timed(name, argv, profiles).__dict__))
        return
    chosen = list(AUDIENCES) if args.audience == "both" else [args.audience]
    with tempfile.TemporaryDirectory(prefix="creepcheck-bench-") as tmp:
        for audience in chosen:
            repo = AUDIENCES[audience](Path(tmp) / audience, args.profiles)
            print(f"{audience} audience, {args.profiles:,} profiles")
            results = [creepcheck(repo, args.profiles, 1), creepcheck(repo, args.profiles, 2)]
            if not args.skip_naive:
                results.append(naive(repo, args.naive_profiles, "default"))
                results.append(naive(repo, args.naive_profiles, "creepcheck"))
            report(results)
        if args.memory_scale:
            generate(Path(tmp) / "repo", args.profiles)
            memory(Path(tmp), args.profiles, args.memory_scale)


def memory(tmp: Path, small: int, large: int) -> None:
    """Peak RSS at `small` and `large` profiles, with and without per-message records."""
    big = generate(tmp / "big", large)
    for extra in ((), ("--no-messages",)):
        runs = [creepcheck(tmp / "repo", small, 1, *extra), creepcheck(big, large, 1, *extra)]
        if not extra:  # and --jobs 2 at this scale, where startup weighs less
            runs.append(creepcheck(big, large, 2))
        report(runs)
        print(f"peak RSS growth {small} -> {large} profiles"
              f"{' with ' + extra[0] if extra else ''}: "
              f"{runs[1].peak_rss_mb - runs[0].peak_rss_mb:+.1f} MB\n")


def report(results: list[Measure]) -> None:
    print(f"{'run':38} {'profiles':>9} {'seconds':>8} {'profiles/s':>11} {'peak RSS MB':>12}")
    for m in results:
        print(f"{m.name:38} {m.profiles:9d} {m.seconds:8.2f} {m.rate:11.0f} {m.peak_rss_mb:12.1f}")
    by_name = {m.name: m for m in results}
    one, two = by_name.get("creepcheck --jobs 1"), by_name.get("creepcheck --jobs 2")
    for label in (NAIVE_DEFAULT, NAIVE_SEVEN):
        plain = by_name.get(label)
        for run in (one, two):
            if run and plain:
                print(f"{run.name} vs {label}: {run.rate / plain.rate:.1f}x")
    if one and two:
        print(f"--jobs 2 vs --jobs 1: {two.rate / one.rate:.2f}x")
    print()


if __name__ == "__main__":
    main()
