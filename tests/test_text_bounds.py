"""Text analysis on hostile copy: bounded input, linear patterns, findings still made.

Each timing bound is generous (a loaded machine must not fail it); the inputs are sized
so that the quadratic code they guard against took from several seconds to minutes.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from functools import cache

import pytest

from creepcheck import render
from creepcheck.findings.suppressions import _scan
from creepcheck.loaders import internal_fields
from creepcheck.policy.model import Policy
from creepcheck.privacy import masking
from creepcheck.render import RenderedMessage
from creepcheck.render.htmltext import html_to_text
from creepcheck.text import TextAnalyzer, discovery, observed, recall
from creepcheck.text.bounds import LONGEST_SYMBOL_RUN, LONGEST_TOKEN, bounded
from creepcheck.text.pii import find_pii
from creepcheck.text.pipeline import split_blocks

FAST = 2.0  # seconds


def elapsed(action: Callable[[], object]) -> float:
    """Seconds `action` takes, with the cyclic collector off as `timeit` has it: after a
    test that ran a check in this process, full collections of the heap it left behind
    would be timed too (the work measured here is algorithmic)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


@cache
def _analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={}))


# -- bounded(): same length, runs cut, words intact ---------------------------------------
def test_short_text_is_left_as_it_is() -> None:
    text = "Hi Jane! Wow!!! See https://shop.example.com/spring?utm_source=mail"
    assert bounded(text) is text


def test_symbol_run_keeps_its_first_marks_and_every_offset() -> None:
    text = "Hi " + "!" * 30000 + " Jane"
    cut = bounded(text)
    assert len(cut) == len(text)
    assert cut.startswith("Hi " + "!" * LONGEST_SYMBOL_RUN + " ")
    assert cut.endswith(" Jane")


def test_long_token_keeps_its_head() -> None:
    text = "a." * 100000 + " pregnancy"
    cut = bounded(text)
    assert len(cut) == len(text)
    assert cut[:LONGEST_TOKEN] == text[:LONGEST_TOKEN]
    assert cut[LONGEST_TOKEN : len(text) - 10].strip() == ""
    assert cut.endswith(" pregnancy")


def test_invisible_padding_does_not_count_and_is_not_cut() -> None:
    text = "preg" + "\u200b" * 400 + "nancy " + "a" + "\u0301" * 300
    assert bounded(text) == text


@pytest.mark.parametrize(
    "attack",
    ids=["bang", "mixed", "dashes", "zero-width", "emoji", "smileys"],
    argvalues=["!" * 30000, "!?." * 7000, "-" * 50000, "\u200b" * 50000, "\U0001f600" * 20000, ":)" * 20000],
)
def test_punctuation_runs_are_read_fast_and_the_rest_still_counts(attack: str) -> None:
    text = f"{attack} Congratulations on your pregnancy!"
    analysis = _analyzer().analyze(RenderedMessage(text), "en")
    assert elapsed(lambda: _analyzer()._analyze_text_uncached(text, "en")) < FAST
    terms = analysis.find_terms(["pregnancy"], about_reader=True)
    assert [text[m.start : m.end] for m in terms] == ["pregnancy"]


def test_presidio_reads_a_long_dotted_value_fast_and_finds_the_address_after_it() -> None:
    text = "Hi " + "x." * 400000 + " write to tom.becker@example.org today"
    find_pii("warm up: sam@example.org", "en")
    found: list[tuple[str, str]] = []
    # 800 KB: presidio's URL pattern alone took minutes on it; what is left is linear.
    assert elapsed(lambda: found.extend((e.kind, e.text) for e in find_pii(text, "en"))) < 5 * FAST
    assert ("EMAIL_ADDRESS", "tom.becker@example.org") in found


def test_pii_text_is_the_rendered_text() -> None:
    text = "Mail " + "!" * 50 + " tom.becker@example.org"
    [entity] = find_pii(text, "en")
    assert text[entity.start : entity.end] == entity.text == "tom.becker@example.org"


# -- patterns tried at every position of untrusted text ----------------------------------
LINEAR_PATTERNS = [
    (render.URL, "a." * 50000),
    (render.URL, "a-" * 50000),
    (recall.URL, "a." * 50000),
    (recall.URL, "1-" * 50000),
    (discovery.SENTENCE_END, "!" * 100000 + "x"),
    (internal_fields.CODE, "a" * 100000),
    (masking.EMAIL, "a" * 100000),
    (masking.EMAIL, "-" * 100000),
    (masking.EMAIL_PART, "a" * 100000),
    (masking.PHONE_CANDIDATE, "1 " * 50000),
]


@pytest.mark.parametrize(("pattern", "text"), LINEAR_PATTERNS, ids=lambda v: str(v)[:24])
def test_pattern_is_linear(pattern: re.Pattern[str], text: str) -> None:
    assert elapsed(lambda: list(pattern.finditer(text))) < FAST


def test_a_sentence_of_many_viewing_verbs_is_read_in_linear_time() -> None:
    sentence = "you viewed " * 20000  # 220 KB: quadratic work here took a minute
    assert elapsed(lambda: observed.framing(sentence)) < FAST
    assert len(observed.framing("We viewed it. Then you viewed it.")) == 1


@pytest.mark.parametrize(
    ("sentence", "source"),
    [("We found you " * 8000, "on LinkedIn."), ("Мы нашли вас " * 8000, "в LinkedIn.")],
    ids=["en", "ru"],
)
def test_discovery_looks_for_the_source_once_not_once_per_verb(sentence: str, source: str) -> None:
    assert elapsed(lambda: discovery.discovery_source(sentence)) < FAST
    found = discovery.discovery_source(sentence + source)
    assert found is not None and found[1] == "linkedin"


@pytest.mark.parametrize("lines", ["and\nA " * 50000, "ваш\nA " * 50000], ids=["en", "ru"])
def test_run_on_lines_are_read_once(lines: str) -> None:
    blocks: list[tuple[int, int]] = []
    assert elapsed(lambda: blocks.extend(split_blocks(lines))) < FAST
    assert blocks == [(0, len(lines))]  # every line runs on into the next


def test_bounded_url_patterns_still_find_links() -> None:
    text = "Shop at shop.example.com/spring or www.example.org today"
    assert [m.group() for m in recall.URL.finditer(text)] == [
        "shop.example.com/spring",
        "www.example.org",
    ]
    assert [m.group() for m in render.URL.finditer(text)] == [
        "shop.example.com/spring",
        "www.example.org",
    ]


def test_sentence_end_still_ends_at_the_whole_run() -> None:
    assert [m.group() for m in discovery.SENTENCE_END.finditer("Wow!!! Yes?")] == ["!!!", "?"]


def test_codes_still_match_whole() -> None:
    assert [m.group() for m in internal_fields.CODE.finditer("tier_gold and x1_y2_z3")] == [
        "tier_gold",
        "x1_y2_z3",
    ]


@pytest.mark.parametrize("unit", ["{#", "{% raw %}"])
def test_unterminated_comments_and_raw_blocks_are_scanned_once(unit: str) -> None:
    source = "{# creepcheck: disable=CC301 #}\n" + unit * 30000
    assert elapsed(lambda: _scan(source)) < FAST


def test_a_long_bare_reason_is_read_once() -> None:
    source = "{# creepcheck: disable=CC301 reason=a" + " " * 100000 + "b #}"
    assert elapsed(lambda: _scan(source)) < FAST
    assert [c.reason for c in _scan(source)[0]] == ["a b"]


def test_many_suppressions_count_lines_once() -> None:
    source = '{# creepcheck: disable=CC301 reason="reorder reminder" #}\n' * 40000
    # best of three: a quadratic scan takes minutes, a pause of the shared machine seconds
    assert min(elapsed(lambda: _scan.__wrapped__(source)) for _ in range(3)) < FAST
    assert [c.start_line for c in _scan(source)[0]][-2:] == [39999, 40000]


def test_comment_inside_a_raw_block_is_not_a_suppression() -> None:
    source = '{% raw %}{# creepcheck: disable=CC301 reason="x" #}{% endraw %}\n{# creepcheck #}'
    assert _scan(source) == ((), ())


# -- HTML to text ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "attack",
    ids=lambda v: v[:12],
    argvalues=[
        "<!--" * 100000,
        "<a " * 100000,
        "<" * 200000,
        "<script" * 30000,
        "<script>" + "x<" * 100000,
        "&#" * 100000,
        "&#x" * 60000,
        "<!" * 100000,
        "</" * 100000,
        "<?" * 100000,
        "<a href='" * 30000,
    ],
)
def test_html_reduction_is_linear(attack: str) -> None:
    assert elapsed(lambda: html_to_text("<p>Hi</p>" + attack)) < FAST


def test_html_comments_and_stray_brackets() -> None:
    text, _ = html_to_text("<p>Hi <!-- hidden --> there, 5 < 6</p><!-- unclosed <p>gone</p>")
    assert text == "\n\nHi there, 5 < 6\n\n"


def test_a_bracket_closed_only_far_away_is_text() -> None:
    text, _ = html_to_text("<p>a <b" + " x" * 40000 + "> c</p>")
    assert text.startswith("\n\na <b x x")
