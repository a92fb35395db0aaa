"""Score creepcheck's copy rules on whole campaigns: the sets in benchmarks/campaign_sets/.

    python benchmarks/campaign_score.py                          # every set
    python benchmarks/campaign_score.py benchmarks/campaign_sets/blind-2026-12-a --verbose

Each case is a campaign folder with an expected.yaml in the public conformance format
(`expect`: findings that must appear; `not`: findings that must not; a finding of a rule
the case names that matches no `expect` item is a false positive). The sets were written
by helper sessions that saw neither the code nor the sentence corpus, and each was scored
once before any change it led to (README, "How well the copy rules read"); after that
they are development data. Long copy is where a rule's false alarms add up: a sentence
corpus cannot show that.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

SETS = Path(__file__).resolve().parent / "campaign_sets"
KEYS = ("profile", "channel", "campaign")


def cases(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if (path / "expected.yaml").is_file():
            found.append(path)
        else:
            found.extend(sorted(p.parent for p in path.rglob("expected.yaml")))
    return found


def matches(finding: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    if item["rule"] not in (finding.get("rule"), finding.get("code")):
        return False
    return all(str(finding.get(k)) == str(item[k]) for k in KEYS if k in item)


def findings_of(case: Path) -> list[dict[str, Any]]:
    import creepcheck

    result = creepcheck.check([case])
    return [
        {"rule": f.rule, "code": f.code, "profile": f.profile, "channel": f.channel,
         "message": f.message}
        for f in result.findings
    ]


def score(
    case: Path, found: Sequence[Mapping[str, Any]], stats: dict[str, dict[str, int]]
) -> list[str]:
    expected = yaml.safe_load((case / "expected.yaml").read_text("utf-8")) or {}
    expect, forbid = expected.get("expect") or [], expected.get("not") or []
    scored = {item["rule"] for item in (*expect, *forbid)}
    problems = []
    for item in expect:
        hit = any(matches(f, item) for f in found)
        stats[item["rule"]]["tp" if hit else "fn"] += 1
        if not hit:
            problems.append(f"missed {item}")
    for finding in found:
        rule = next((r for r in scored if r in (finding["rule"], finding["code"])), None)
        if rule is None:
            continue
        if any(matches(finding, i) for i in forbid) or not any(matches(finding, i) for i in expect):
            stats[rule]["fp"] += 1
            problems.append(
                f"unexpected {finding['rule']} profile={finding['profile']} "
                f"channel={finding['channel']}: {finding['message']}"
            )
    return problems



def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[SETS])
    parser.add_argument("--verbose", action="store_true", help="print every problem")
    args = parser.parse_args(argv)
    stats: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    failed = 0
    for case in cases(args.paths):
        problems = score(case, findings_of(case), stats)
        failed += bool(problems)
        if problems:
            print(f"FAIL {case.name}")
            for problem in problems if args.verbose else problems[:3]:
                print(f"     {problem}")
    print(f"\n{'rule':28} {'precision':>9} {'recall':>7}   tp  fp  fn")
    for rule in sorted(stats):
        s = stats[rule]
        precision = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
        recall = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
        print(f"{rule:28} {precision:9.2f} {recall:7.2f} {s['tp']:4} {s['fp']:3} {s['fn']:3}")
    total = len(cases(args.paths))
    print(f"{total - failed} of {total} campaigns right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
