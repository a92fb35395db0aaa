"""`--statistics`: how many findings each rule made, as `ruff check --statistics` shows.

Counting findings only (waived and suppressed ones are left out), most frequent first.
Text is one aligned line per rule; with `--format json`, a JSON list of the same rows.
"""

from __future__ import annotations

import json
from collections import Counter

from creepcheck.findings.result import RunResult
from creepcheck.reporters.base import Reporter


class StatisticsReporter(Reporter):
    name = "statistics"

    def rows(self, result: RunResult) -> list[dict[str, object]]:
        counts = Counter((f.code, f.rule, str(f.severity)) for f in result.findings if f.counts)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [
            {"code": code, "rule": rule, "severity": severity, "count": count}
            for (code, rule, severity), count in ordered
        ]

    def render(self, result: RunResult) -> str:
        rows = self.rows(result)
        if self.as_json:
            return json.dumps(rows, indent=2) + "\n"
        if not rows:
            return ""
        count_width = max(len(str(row["count"])) for row in rows)
        rule_width = max(len(str(row["rule"])) for row in rows)
        return "".join(
            f"{row['count']:>{count_width}}  {row['code']}  {row['rule']:<{rule_width}}  "
            f"{row['severity']}\n"
            for row in rows
        )

    @property
    def as_json(self) -> bool:
        return self.options.statistics_format == "json"
