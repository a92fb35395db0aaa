"""Messages about a file quote at most a short excerpt of what it holds (errors.excerpt):
a path pointing at a key or a credentials file must not print it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creepcheck.errors import UserError, excerpt
from creepcheck.findings.baseline import load_baseline
from creepcheck.loaders.campaigns import load_campaign
from creepcheck.loaders.yamlio import describe, load_yaml_text
from creepcheck.policy import load_policy
from creepcheck.privacy.outbound import EXCERPT_CHARS, outbound

SECRET = "s3cr3t-" + "x" * 80 + "-END"


def test_excerpt_cuts_with_an_ellipsis_and_keeps_one_line() -> None:
    assert excerpt("short") == "short"
    assert excerpt("a" * 100) == "a" * (EXCERPT_CHARS - 1) + "…"
    assert len(excerpt("a" * 100)) == EXCERPT_CHARS
    assert excerpt("line one\nline two") == "line one line two"


def test_describe_quotes_an_excerpt() -> None:
    assert outbound(describe(SECRET)) == f'"{SECRET[:EXCERPT_CHARS - 1]}…"'
    assert describe(10**200).endswith("…")


def _problems(exc: pytest.ExceptionInfo[UserError]) -> str:
    text = "\n".join(str(p) for p in exc.value.problems)
    assert SECRET[:EXCERPT_CHARS] not in text and "END" not in text, text
    return text


@pytest.mark.parametrize(
    "text",
    [
        f"key: *{SECRET}\n",  # undefined alias: PyYAML quotes its name
        f"key: !!int {SECRET}\n",  # a value PyYAML cannot convert
        f"a: 1\n{SECRET}: 2\n{SECRET}: 3\n",  # duplicate key
    ],
)
def test_yaml_errors_quote_an_excerpt(text: str) -> None:
    with pytest.raises(UserError) as caught:
        load_yaml_text(text, "f.yaml")
    _problems(caught)


def test_policy_validation_quotes_an_excerpt(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(f"rules:\n  quiet-hours: {{start: {SECRET}}}\n")
    with pytest.raises(UserError) as caught:
        load_policy("p.yaml", tmp_path)
    assert "s3cr3t-" in _problems(caught)


def test_campaign_errors_quote_an_excerpt(tmp_path: Path) -> None:
    (tmp_path / "campaign.yaml").write_text(f"id: c\npurpose: {SECRET}\nmessages: {SECRET}\n")
    with pytest.raises(UserError) as caught:
        load_campaign(tmp_path / "campaign.yaml")
    assert "s3cr3t-" in _problems(caught)


@pytest.mark.parametrize(
    "document",
    [
        {"version": SECRET, "findings": []},
        {"version": 1, "findings": [{"rule": SECRET}]},
    ],
)
def test_baseline_errors_quote_an_excerpt(tmp_path: Path, document: object) -> None:
    (tmp_path / "b.json").write_text(json.dumps(document))
    with pytest.raises(UserError) as caught:
        load_baseline(tmp_path / "b.json")
    _problems(caught)
