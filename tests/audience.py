"""A full audience's result made cheaply: a real run of a sample campaign, its profiles
cloned under new ids until the audience has the size asked for.

Every finding, message and example is one the engine produced; only the profile ids
(and so fingerprints) are multiplied. Rendering a report of it exercises the reporters
as a real 50,000-profile run would, in a fraction of a second instead of minutes.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache
from pathlib import Path

import creepcheck
from creepcheck.findings.result import RunResult, RunStats
from creepcheck.models import MessageLog
from tests.paths import SAMPLE_CAMPAIGNS


@cache
def sample_run(campaign: str = "spring-sale") -> RunResult:
    previous = Path.cwd()
    os.chdir(SAMPLE_CAMPAIGNS / campaign)
    try:
        return creepcheck.check(["."])
    finally:
        os.chdir(previous)


def audience_result(profiles: int, campaign: str = "spring-sale") -> RunResult:
    """`profiles` profiles' worth of the sample campaign's findings and messages."""
    base = sample_run(campaign)
    ids = sorted({m.profile for m in base.messages} | {f.profile for f in base.findings if f.profile})
    findings = [f for f in base.findings if f.profile is None]
    messages = MessageLog()
    examples = {}
    for number in range(profiles):
        original = ids[number % len(ids)]
        clone = f"{original}-{number // len(ids):05d}"
        findings += [
            replace(f, profile=clone, fingerprint=f"{f.fingerprint[:8]}{number:08x}")
            for f in base.findings
            if f.profile == original
        ]
        messages.extend(m._replace(profile=clone) for m in base.messages if m.profile == original)
        if number < len(ids):
            examples.update(
                {(c, ch, clone): text for (c, ch, p), text in base.examples.items() if p == original}
            )
    stats = RunStats(
        campaigns=base.stats.campaigns,
        messages=len(messages),
        profiles_read=profiles,
        profiles_checked=profiles,
    )
    return replace(
        base, findings=findings, messages=messages, stats=stats, examples=examples
    )
