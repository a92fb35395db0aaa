"""Commands that read no copy start without loading spaCy or presidio."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.paths import checkout_env

PROBE = """
import sys
from click.testing import CliRunner
from creepcheck.cli import main
result = CliRunner().invoke(main, {args!r})
assert result.exit_code == 0, result.output
heavy = sorted(m for m in ("spacy", "presidio_analyzer", "lemminflect", "pymorphy3")
               if m in sys.modules)
print(",".join(heavy) or "none")
"""


@pytest.mark.parametrize(
    "args", [["--version"], ["rules"], ["explain", "CC301"], ["policy", "list"]]
)
def test_no_text_libraries_are_imported(args: list[str]) -> None:
    probe = PROBE.format(args=args)
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env=checkout_env(),
    ).stdout
    assert out.strip() == "none"
