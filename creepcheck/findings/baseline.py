"""Baselines: accept the findings a repository has today, report only new ones (SPEC 4).

`--write-baseline FILE` records the findings that count (waived and suppressed ones are
already accounted for) by fingerprint, with enough context to read a diff of the file
and no personal data; `--baseline FILE` then drops every finding whose fingerprint it
holds. Fingerprints (settle.py) survive moved lines and reordered profiles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creepcheck.atomicwrite import replaced_atomically
from creepcheck.errors import Problem, UserError, excerpt
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Finding

BASELINE_VERSION = 1
ENTRY_KEYS = ("fingerprint", "rule", "campaign", "channel", "profile", "file")
MAX_BYTES = 200_000_000


@dataclass(frozen=True)
class Baseline:
    file: str  # as named in messages
    fingerprints: frozenset[str]


@dataclass(frozen=True)
class BaselineOutcome:
    findings: list[Finding]  # the findings not in the baseline
    known: int  # findings the baseline hid
    gone: int  # baseline entries that no longer occur (fixed, or changed)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; UserError naming the file when it is missing or malformed."""
    file = display_path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _bad(file, f"file is larger than {MAX_BYTES // 1_000_000} MB")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _bad(file, "baseline file not found (create it with --write-baseline)") from None
    except IsADirectoryError:
        raise _bad(file, "expected a baseline file, got a folder") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(file, f"cannot read baseline: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(file, f"not valid JSON: {exc.msg}", exc.lineno) from None
    return Baseline(file, frozenset(_fingerprints(data, file)))


def _fingerprints(data: Any, file: str) -> Iterable[str]:
    shape = 'expected {"version": 1, "findings": [...]} as written by --write-baseline'
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise _bad(file, f"not a creepcheck baseline: {shape}")
    version = data.get("version")
    if version != BASELINE_VERSION:
        raise _bad(
            file,
            f"unsupported baseline version {excerpt(json.dumps(version))} "
            f"(this creepcheck reads version {BASELINE_VERSION})",
        )
    problems = []
    fingerprints = []
    for index, entry in enumerate(data["findings"]):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            problems.append(
                Problem(
                    file,
                    f"findings[{index}]: expected an object with a "
                    f'"fingerprint" string, got {excerpt(json.dumps(entry))}',
                )
            )
        else:
            fingerprints.append(value)
    if problems:
        raise UserError(problems)
    return fingerprints


def _bad(file: str, message: str, line: int | None = None) -> UserError:
    return UserError(Problem(file, message, line))


def baseline_document(findings: Iterable[Finding]) -> dict[str, Any]:
    entries: dict[str, dict[str, str | None]] = {}
    for finding in findings:
        if finding.counts and finding.fingerprint:
            entries.setdefault(
                finding.fingerprint,
                {
                    "fingerprint": finding.fingerprint,
                    "rule": finding.rule,
                    "campaign": finding.campaign,
                    "channel": finding.channel,
                    "profile": finding.profile,
                    "file": Path(finding.file).as_posix() if finding.file else None,
                },
            )
    ordered = sorted(
        entries.values(),
        key=lambda e: tuple(
            e[k] or "" for k in ("campaign", "file", "rule", "channel", "profile", "fingerprint")
        ),
    )
    return {"version": BASELINE_VERSION, "findings": ordered}


def write_baseline(path: Path, findings: Iterable[Finding]) -> Baseline:
    """Write the findings that count to `path` (atomically) and return them as a baseline."""
    document = baseline_document(findings)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    file = display_path(path)
    try:
        with replaced_atomically(path) as stream:
            stream.write(text)
    except OSError as exc:
        raise _bad(file, f"cannot write baseline: {exc.strerror or exc}") from None
    return Baseline(file, frozenset(e["fingerprint"] for e in document["findings"]))


def apply_baseline(findings: list[Finding], baseline: Baseline) -> BaselineOutcome:
    """The findings whose fingerprint the baseline does not hold."""
    new = [f for f in findings if f.fingerprint not in baseline.fingerprints]
    seen = {f.fingerprint for f in findings}
    return BaselineOutcome(new, len(findings) - len(new), len(baseline.fingerprints - seen))
