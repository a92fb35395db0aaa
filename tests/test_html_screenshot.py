"""The HTML report in a real browser: it renders offline, its findings table is visible,
and a 50,000-profile report stays under 5 MB and opens in under 5 s.

Runs headless Chromium on the report of a conformance case: for a screenshot (a PNG of
the window size, far larger than a blank page's; with Pillow installed, also inked rows
in the upper half) and with --dump-dom (the DOM Chromium built must hold the findings
table with a row per finding). Skipped when Chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest

import creepcheck
from creepcheck.findings.result import RunResult
from creepcheck.reporters import REPORTERS, ReportOptions
from tests.paths import CONFORMANCE_CASES

CASE = CONFORMANCE_CASES / "mix-retail-spring-sale"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and Path("/usr/bin/chromium").is_file():
    CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]

WIDTH, HEIGHT = 1280, 2000


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    with _inside(CASE):
        result = creepcheck.check(["."])
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(REPORTERS["html"](ReportOptions()).render(result), encoding="utf-8")
    return path, result


def _screenshot(page: Path, tmp_path: Path, name: str) -> Path:
    png = tmp_path / f"{name}.png"
    run = _chromium(
        tmp_path / f"profile-{name}",
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        page.as_uri(),
    )
    assert png.is_file(), f"no screenshot; chromium said:\n{run.stderr[-2000:]}"
    return png


def test_screenshot_is_a_real_picture(report: tuple[Path, RunResult], tmp_path: Path) -> None:
    page, _ = report
    png = _screenshot(page, tmp_path, "report")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    # A blank page of the same size compresses to almost nothing; text and tables do not.
    blank_page = tmp_path / "blank.html"
    blank_page.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    blank = _screenshot(blank_page, tmp_path, "blank").stat().st_size
    assert len(data) > 5 * blank, (len(data), blank)


def test_screenshot_has_ink_where_the_report_is(
    report: tuple[Path, RunResult], tmp_path: Path
) -> None:
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    png = _screenshot(report[0], tmp_path, "report")
    with image_module.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        pixels = grey.load()
        inked = sum(
            1
            for y in range(0, height // 2, 4)
            if any(pixels[x, y] < 128 for x in range(0, width, 2))
        )
    assert inked > height // 40, "the top of the report is almost empty"


def test_findings_table_is_in_the_rendered_dom(
    report: tuple[Path, RunResult], tmp_path: Path
) -> None:
    page, result = report
    run = _chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = _Dom()
    dom.feed(run.stdout)
    counted = [f for f in result.findings if f.counts]
    assert counted
    from creepcheck.reporters.common import finding_groups

    assert dom.rows.get("findings") == len(finding_groups(counted))  # identical ones once
    assert dom.rows.get("waivers", 0) == 0
    for finding in counted:
        assert finding.code in run.stdout


class _Dom(HTMLParser):
    """Body rows per table class in the DOM Chromium dumped."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, int] = {}
        self._tables: list[str] = []
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._tables.append(dict(attrs).get("class") or "")
            self.rows.setdefault(self._tables[-1], 0)
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body and self._tables:
            self.rows[self._tables[-1]] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._tables:
            self._tables.pop()
        elif tag == "tbody":
            self._body = False


# --- a full audience ----------------------------------------------------------------------

AUDIENCE = 50_000
MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 5.0


@pytest.fixture(scope="module")
def audience_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    from tests.audience import audience_result

    result = audience_result(AUDIENCE)
    assert result.stats.profiles_checked == AUDIENCE
    assert len({f.profile for f in result.findings if f.profile}) > AUDIENCE // 2
    path = tmp_path_factory.mktemp("audience") / "report.html"
    path.write_text(REPORTERS["html"](ReportOptions()).render(result), encoding="utf-8")
    return path, result


def test_a_50000_profile_report_is_small_and_opens_fast(
    audience_report: tuple[Path, RunResult], tmp_path: Path
) -> None:
    import time

    page, result = audience_report
    size = page.stat().st_size
    assert size < MAX_BYTES, f"{size:,} bytes for {AUDIENCE:,} profiles"
    started = time.monotonic()
    run = _chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr[-2000:]
    assert seconds < MAX_SECONDS, f"chromium took {seconds:.1f} s to load and lay out the page"
    dom = _Dom()
    dom.feed(run.stdout)
    from creepcheck.reporters.common import finding_groups

    groups = finding_groups([f for f in result.findings if f.counts])
    assert 1 < dom.rows.get("findings", 0) == len(groups) < 1_000
    assert "more" in run.stdout and "Rendered message for" in run.stdout
    assert "Inputs checked" in run.stdout
