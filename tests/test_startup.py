"""Commands that read no copy start without loading spaCy or presidio."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import SAMPLE_CAMPAIGNS, checkout_env

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


EMOJI_PROBE = """
import sys
from click.testing import CliRunner
from creepcheck.cli import main
result = CliRunner().invoke(main, ["check", {folder!r}, "--no-progress"])
print(":fire:" in result.output, "rich._emoji_codes" in sys.modules)
"""


def test_the_text_report_shows_copy_as_written(tmp_path: Path) -> None:
    """ ":fire:" in a template stays ":fire:" in the report (rich would draw an emoji),
    and rich's emoji table is never loaded."""
    folder = tmp_path / "harbor-coffee"
    shutil.copytree(SAMPLE_CAMPAIGNS / "harbor-coffee", folder)
    template = folder / "email.html.liquid"
    text = template.read_text(encoding="utf-8").replace("Running low?", "Running low? :fire:")
    template.write_text(text, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", EMOJI_PROBE.format(folder=str(folder))],
        capture_output=True, text=True, check=True, env=checkout_env(),
    ).stdout
    assert out.split() == ["True", "False"]


CHECK_PROBE = """
import sys
from click.testing import CliRunner
from creepcheck.cli import main
result = CliRunner().invoke(main, ["check", {folder!r}, "--no-progress", "--format", "json"])
assert result.exit_code in (0, 1), result.output
assert '"CC301"' in result.output, result.output  # the copy was read: a recall was found
print(",".join(sorted(m for m in ("spacy", "presidio_analyzer") if m in sys.modules)) or "none")
"""


def test_checking_copy_with_no_personal_data_loads_neither_spacy_nor_presidio() -> None:
    # The pre-commit case: a small campaign whose copy holds a price and a date but no
    # personal data is tokenized by the shipped rules and read for PII without presidio.
    folder = str(SAMPLE_CAMPAIGNS / "harbor-coffee")
    out = subprocess.run(
        [sys.executable, "-c", CHECK_PROBE.format(folder=folder)], capture_output=True,
        text=True, check=True, env=checkout_env(),
    ).stdout
    assert out.strip() == "none"
