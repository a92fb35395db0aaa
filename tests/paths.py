"""Where the tests find the files they read: every one of them lives in this repository.

A fresh clone must pass its tests alone, so nothing here may point outside the
repository (no absolute paths, no `..` above its root).
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CAMPAIGNS = REPO_ROOT / "sample_campaigns"

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFORMANCE_CASES = FIXTURES / "conformance" / "cases"
SARIF_SCHEMA = FIXTURES / "schemas" / "sarif-schema-2.1.0.json"
LOADER_FIXTURES = FIXTURES / "loaders"
MEMO_FIXTURE = FIXTURES / "memo"
