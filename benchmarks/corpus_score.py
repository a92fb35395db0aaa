"""Score creepcheck's copy rules on the labelled corpus in tests/corpus/.

    python benchmarks/corpus_score.py                   # both splits, both languages
    python benchmarks/corpus_score.py --split dev --misses   # dev only, with the items missed

Every corpus item becomes one campaign in a temporary repository: an SMS whose body is
the item's text, sent to one profile whose top-level fields are the item's slot values,
with a valid contact point given by the person and consent for marketing, so that no
other rule gets in the way. All campaigns are checked in one call of `creepcheck.check`.
The profile also has a generic browsing and purchase history (`GENERIC_HISTORY`), the
same for every item and matching none; `--history none` leaves it out.

Per language, rule (CC201, CC204, CC301) and category (or, with `--by construction`,
construction) it prints:

- recall: the share of the items labelled with the rule on which the rule fired;
- false alarms: look-alikes (`rule: none`) of that category on which it fired;
- precision: hits / (hits + false alarms).

Items labelled with another rule on which a rule also fires ("You searched for pregnancy
tests" is CC204 and may well fire CC201) count neither way; their number is printed as
"on others". The rules that the rewrite may also touch (CC203, CC205, CC302) are counted
by the label of the items they fired on.

`--misses` lists the missed items and false alarms, on the dev split only: the held-out
split is read for its aggregate scores and nothing else (tests/corpus/README.md).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
LANGUAGES = ("en", "ru")
SPLITS = ("dev", "heldout")
SCORED_RULES = ("CC201", "CC204", "CC301")
SIDE_RULES = ("CC203", "CC205", "CC302")
PROFILE_ID = "corpus-reader"
SEND_AT = "2026-03-03T15:00:00Z"  # 10:00 in the profile's time zone: no quiet hours
SLOT = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


@dataclass(frozen=True)
class CorpusItem:
    language: str
    split: str
    number: int  # 1-based position in its file
    text: str
    values: dict[str, Any]
    rule: str
    category: str
    construction: str

    @property
    def campaign_id(self) -> str:
        return f"{self.language}-{self.split}-{self.number:04d}"

    @property
    def rendered(self) -> str:
        return SLOT.sub(lambda match: str(self.values[match.group(1)]), self.text)


def load_items(corpus: Path, languages: Iterable[str], splits: Iterable[str]) -> list[CorpusItem]:
    items: list[CorpusItem] = []
    for language in languages:
        for split in splits:
            records = yaml.safe_load((corpus / f"{language}.{split}.yaml").read_text("utf-8"))
            items.extend(
                CorpusItem(
                    language=language,
                    split=split,
                    number=number,
                    text=record["text"],
                    values=dict(record.get("values") or {}),
                    rule=record["rule"],
                    category=record["category"],
                    construction=record["construction"],
                )
                for number, record in enumerate(records, start=1)
            )
    return items


# A customer a sender would have tracked: some browsing, a store visit and one purchase,
# none of them what any corpus sentence mentions. CC204 and CC301 stay silent for a
# profile without behaviour or purchases (`creepcheck explain CC204`), which would score
# the copy reading of those rules as zero whatever the copy says.
GENERIC_HISTORY: dict[str, Any] = {
    "behavior": [
        {"event": "page_view", "page": "/", "at": "2026-02-26T18:20:00Z"},
        {"event": "page_view", "page": "/new-arrivals", "at": "2026-02-27T10:42:00Z"},
        {"event": "store_visit", "store": "Main St", "at": "2026-02-21T12:10:00Z"},
    ],
    "purchases": [
        {
            "item": "Gift card",
            "category": "gifts",
            "at": "2025-12-12",
            "amount": 25.0,
            "currency": "USD",
            "store": "Online",
        }
    ],
}


def profile_for(item: CorpusItem, *, history: bool) -> dict[str, Any]:
    """A reader who agreed to everything: only the copy can make a finding."""
    return {
        **(GENERIC_HISTORY if history else {}),
        **item.values,
        "id": PROFILE_ID,
        "timezone": "America/New_York",
        "status": "active",
        "last_verified": "2026-02-01",
        "contact_points": {
            "sms": [
                {
                    "value": "+1 212 555 0142",
                    "source": "customer",
                    "kind": "personal",
                    "status": "valid",
                    "verified_at": "2026-02-01",
                }
            ]
        },
        "consents": {
            "sms": {
                "status": "granted",
                "purposes": ["marketing", "service", "transactional"],
                "at": "2025-06-01",
                "source": "web_form",
            }
        },
    }


def build_repository(items: Sequence[CorpusItem], root: Path, *, history: bool) -> None:
    """One campaign folder per item, each with its own one-profile sample file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "creepcheck.yaml").write_text("policy: builtin:default\nfail_on: never\n")
    for item in items:
        folder = root / "campaigns" / item.campaign_id
        folder.mkdir(parents=True)
        campaign = {
            "id": item.campaign_id,
            "name": f"corpus item {item.campaign_id}",
            "purpose": "marketing",
            "audience": "b2c",
            "send_at": SEND_AT,
            "language": item.language,
            "profiles": "profiles.yaml",
            "messages": [{"channel": "sms", "body": item.text}],
        }
        (folder / "campaign.yaml").write_text(as_yaml(campaign), "utf-8")
        (folder / "profiles.yaml").write_text(
            as_yaml([profile_for(item, history=history)]), "utf-8"
        )


def as_yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def fired_codes(
    items: Sequence[CorpusItem], *, history: bool = True
) -> tuple[dict[str, set[str]], list[str]]:
    """The rule codes found on each item's campaign, and what went wrong on the way."""
    import creepcheck

    with tempfile.TemporaryDirectory(prefix="creepcheck-corpus-") as temporary:
        root = Path(temporary)
        build_repository(items, root, history=history)
        result = creepcheck.check([root / "campaigns"])
    fired: dict[str, set[str]] = defaultdict(set)
    for finding in result.findings:
        if finding.campaign:
            fired[finding.campaign].add(finding.code)
    troubles = [str(problem) for problem in result.problems]
    # An absent field is found per template and per message: one line per item and code.
    troubles += dict.fromkeys(
        f"{finding.campaign}: {finding.code}"
        for finding in result.findings
        if finding.code in {"CC404", "CC901"}
    )
    return fired, troubles


@dataclass
class Cell:
    """One rule × category of one language."""

    labelled: int = 0
    hits: int = 0
    lookalikes: int = 0
    false_alarms: int = 0
    on_others: int = 0
    missed: list[CorpusItem] = field(default_factory=list)
    alarmed: list[CorpusItem] = field(default_factory=list)

    def add(self, other: Cell) -> None:
        self.labelled += other.labelled
        self.hits += other.hits
        self.lookalikes += other.lookalikes
        self.false_alarms += other.false_alarms
        self.on_others += other.on_others

    @property
    def recall(self) -> float | None:
        return self.hits / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        flagged = self.hits + self.false_alarms
        return self.hits / flagged if flagged else None


Scores = dict[tuple[str, str, str], Cell]  # (language, rule, category) -> cell


def score(
    items: Iterable[CorpusItem], fired: dict[str, set[str]], by: str = "category"
) -> Scores:
    scores: Scores = defaultdict(Cell)
    for item in items:
        codes = fired.get(item.campaign_id, set())
        group = item.construction if by == "construction" else item.category
        for rule in SCORED_RULES:
            if item.rule == rule:
                cell = scores[item.language, rule, group]
                cell.labelled += 1
                if rule in codes:
                    cell.hits += 1
                else:
                    cell.missed.append(item)
            elif item.rule == "none":
                cell = scores[item.language, rule, group]
                cell.lookalikes += 1
                if rule in codes:
                    cell.false_alarms += 1
                    cell.alarmed.append(item)
            elif rule in codes:
                scores[item.language, rule, group].on_others += 1
    return scores


def side_counts(
    items: Iterable[CorpusItem], fired: dict[str, set[str]]
) -> Counter[tuple[str, ...]]:
    """(language, side rule, label of the item it fired on) -> count."""
    counts: Counter[tuple[str, ...]] = Counter()
    for item in items:
        for rule in SIDE_RULES:
            if rule in fired.get(item.campaign_id, set()):
                counts[item.language, rule, item.rule] += 1
    return counts


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def table(scores: Scores, language: str, rule: str, by: str = "category") -> list[str]:
    header = (
        f"{by:<20} {'items':>5} {'hits':>5} {'recall':>7}"
        f" {'look-alikes':>11} {'alarms':>6} {'precision':>9} {'on others':>9}"
    )
    lines = [f"{language} {rule}", header]
    total = Cell()
    for (cell_language, cell_rule, category), cell in sorted(scores.items()):
        if (cell_language, cell_rule) != (language, rule):
            continue
        total.add(cell)
        # Look-alikes of another rule's categories are listed only when they raised an alarm.
        if cell.labelled or cell.false_alarms or cell.on_others:
            lines.append(row(category, cell))
    lines.append(row("all", total))
    return lines


def row(name: str, cell: Cell) -> str:
    return (
        f"{name:<20} {cell.labelled:>5} {cell.hits:>5} {percent(cell.recall):>7}"
        f" {cell.lookalikes:>11} {cell.false_alarms:>6} {percent(cell.precision):>9}"
        f" {cell.on_others:>9}"
    )


def report(
    items: Sequence[CorpusItem],
    fired: dict[str, set[str]],
    *,
    misses: bool,
    by: str = "category",
) -> list[str]:
    scores = score(items, fired, by)
    languages = sorted({item.language for item in items}, key=LANGUAGES.index)
    lines = []
    for language in languages:
        for rule in SCORED_RULES:
            lines += [*table(scores, language, rule, by), ""]
    side = side_counts(items, fired)
    for language in languages:
        for rule in SIDE_RULES:
            by_label = {
                label: count
                for (lang, r, label), count in side.items()
                if (lang, r) == (language, rule)
            }
            listed = ", ".join(f"{label} {count}" for label, count in sorted(by_label.items()))
            lines.append(f"{language} {rule} fired on: {listed or 'nothing'}")
    if misses:
        lines.append("")
        for (language, rule, category), cell in sorted(scores.items()):
            for item in cell.missed:
                lines.append(
                    f"missed  {language} {rule} {category}/{item.construction}: {item.rendered}"
                )
            for item in cell.alarmed:
                lines.append(
                    f"alarm   {language} {rule} {category}/{item.construction}: {item.rendered}"
                )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--language", choices=[*LANGUAGES, "all"], default="all")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of the corpus files")
    parser.add_argument(
        "--history",
        choices=["generic", "none"],
        default="generic",
        help="give the reader a generic browsing and purchase history (default) or none",
    )
    parser.add_argument(
        "--misses", action="store_true", help="list missed items and false alarms (dev only)"
    )
    parser.add_argument(
        "--by",
        choices=["category", "construction"],
        default="category",
        help="one row per category (default) or per construction (question, paraphrase...)",
    )
    args = parser.parse_args(argv)
    if args.misses and args.split != "dev":
        parser.error("--misses lists items, so it needs --split dev: never tune on held-out")
    splits = SPLITS if args.split == "all" else (args.split,)
    languages = LANGUAGES if args.language == "all" else (args.language,)

    items = load_items(args.corpus, languages, splits)
    started = time.perf_counter()
    fired, troubles = fired_codes(items, history=args.history == "generic")
    seconds = time.perf_counter() - started
    print(
        f"split {args.split}, history {args.history}: {len(items)} items checked in {seconds:.1f} s"
    )
    for trouble in troubles:
        print(f"warning: {trouble}", file=sys.stderr)
    print()
    print("\n".join(report(items, fired, misses=args.misses, by=args.by)))
    return 1 if troubles else 0


if __name__ == "__main__":
    sys.exit(main())
