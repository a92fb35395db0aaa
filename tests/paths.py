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


def checkout_env(**extra: str) -> dict[str, str]:
    """The environment for a `python -m creepcheck` child: this checkout first on its
    path, so the tests judge the code beside them, not whatever copy is installed."""
    import os

    inherited = os.environ.get("PYTHONPATH")
    path = str(REPO_ROOT) + (os.pathsep + inherited if inherited else "")
    return {**os.environ, "PYTHONPATH": path, **extra}
