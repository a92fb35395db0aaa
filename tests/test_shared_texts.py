"""Findings kept for the report share one copy of each text they repeat."""

from __future__ import annotations

import pickle

from creepcheck.findings.shared import SharedTexts
from creepcheck.models import Finding, Severity


def _finding(profile: str, evidence: str = "status: deceased") -> Finding:
    return Finding(
        rule="deceased-recipient",
        code="CC401",
        severity=Severity.parse("error"),
        message="The recipient is recorded as " + "deceased",
        campaign="spring",
        profile=profile,
        file="campaigns/spring/campaign.yaml",
        line=1,
        evidence=evidence,
        fields=("status",),
    )


def test_repeated_texts_become_one_object_and_findings_stay_equal() -> None:
    # As findings arrive from --jobs workers: every text a fresh object.
    arrived = [pickle.loads(pickle.dumps(_finding(f"c{i}"))) for i in range(50)]
    assert arrived[0].message is not arrived[1].message
    shared = SharedTexts()
    kept = [shared.finding(f) for f in arrived]
    assert kept == arrived
    for attribute in ("message", "evidence", "fields", "file", "campaign", "rule", "code"):
        assert len({id(getattr(f, attribute)) for f in kept}) == 1, attribute
    assert len({id(f.profile) for f in kept}) == 50  # each its own id


def test_a_finding_whose_texts_are_already_shared_is_kept_as_it_is() -> None:
    shared = SharedTexts()
    first = shared.finding(_finding("c1"))
    assert shared.finding(first) is first


def test_distinct_texts_past_the_limit_are_kept_unshared() -> None:
    shared = SharedTexts(limit=20)
    kept = [shared.finding(_finding(f"c{i}", evidence=f"name: N{i}")) for i in range(100)]
    assert [f.evidence for f in kept] == [f"name: N{i}" for i in range(100)]
    again = shared.finding(pickle.loads(pickle.dumps(_finding("c1"))))
    assert again.message is kept[0].message  # remembered before the limit was reached
