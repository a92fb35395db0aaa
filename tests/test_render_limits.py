"""The render budget: each costly template ends quickly in a template-error naming the limit."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from creepcheck.errors import TemplateFailure
from creepcheck.models import Profile
from creepcheck.render import Limits
from tests.test_render import render

BIG = "a" * 1_000


@pytest.mark.parametrize(("template", "expected"), [
    # powers and products: refused before the number is computed
    ("{{ 2 ** 99999999 }}", "exponent too large: the power would have more than 100,000 bits"),
    ("{{ 10 ** (10 ** 8) }}", "exponent too large"),
    ("{{ 10 ** (10 ** 10) }}", "exponent too large"),
    ("{% set n = 10 ** 9000 %}{{ n * n * n * n * n * n * n * n * n * n * n * n }}",
     "product too large: it would have more than 100,000 bits"),
    # repetition and concatenation
    ("{{ 'x' * 10 ** 9 }}", "repetition would make more than 1,000,000 characters or items"),
    ("{{ ([0] * 10 ** 9) | length }}", "repetition would make more than 1,000,000 characters or items"),
    ("{{ (range(10000) | list) * 10000 }}", "repetition would make more than 1,000,000"),
    ("{% macro grow(s, n) %}{% if n %}{{ grow(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
     "{{ grow('ab', 40) }}", "concatenation would make"),
    ("{% macro grow(s, n) %}{% if n %}{{ grow(s + s, n - 1) }}{% endif %}{% endmacro %}"
     "{{ grow('ab', 40) }}", "concatenation would make"),
    # % formatting, the format filter and str.format
    ("{{ '%.*f' % (999999999, 1) }}", "'*' width or precision in % formatting"),
    ("{{ '%0*d' % (999999999, 1) }}", "'*' width or precision in % formatting"),
    ("{{ '%0999999999d' % 1 }}", "% format width or precision is over the limit of 10,000"),
    ("{{ '%.999999999f' | format(1) }}", "% format width or precision is over the limit of 10,000"),
    ("{{ '{:{}}'.format(1, 999999999) }}", "nested {} in a format spec"),
    ("{{ '{:,>999999999}'.format(1) }}", "format width or precision is over the limit of 10,000"),
    ("{{ '{x:>999999999}'.format_map({'x': 1}) }}", "format width or precision is over the limit of 10,000"),
    # string methods and filters sized by their arguments
    ("{{ 'x'.ljust(999999999) }}", "ljust width is over the limit of 10,000"),
    ("{{ '1'.zfill(999999999) }}", "zfill width is over"),
    ("{{ 'x' | center(999999999) }}", "center width is over"),
    ("{{ 'x' | indent(999999999) }}", "indent width is over"),
    ("{{ ('x' * 100000) | replace('x', 'yyyyyyyyyyyyyyyyyyyy') }}", "replace would make"),
    ("{{ (range(10000) | map('string') | map('center', 10000) | list) | join('') }}",
     "join would make"),
    ("{{ ('x' * 900000) | wordwrap(1) }}", "wordwrap would make"),
    ("{{ [1] | batch(10 ** 9, 0) | list }}", "batch width is over"),
    ("{{ [1] | slice(10 ** 9, 0) | list }}", "slice width is over"),
    ("{{ lipsum(10000000) }}", "lipsum words width is over"),
    # calls, macros and recursion
    ("{% macro f(n) %}{% set a = f(n + 1) %}{% set b = f(n + 1) %}{% endmacro %}{{ f(0) }}",
     "macro calls nested deeper than 100"),
    ("{% macro f(n) %}{% if n < 40 %}{% set a = f(n + 1) %}{% set b = f(n + 1) %}{% endif %}"
     "{% endmacro %}{{ f(0) }}", "more than 20,000 macro calls"),
    ("{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}",
     "macro calls nested deeper than 100"),
    ("{% for i in range(10000) %}{{ loop.cycle(*range(10000)) }}{% endfor %}",
     "more than 1,000,000 calls"),
])
def test_costly_templates_end_in_a_limit_message(tmp_path: Path, template: str,
                                                 expected: str) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateFailure) as caught:
        render(tmp_path, template)
    assert expected in str(caught.value)
    assert time.monotonic() - started < 3


def test_the_deadline_interrupts_a_single_long_filter(tmp_path: Path) -> None:
    # One wordwrap over a string within the size limits runs for seconds in pure Python;
    # only the timer can end it, and must end it at the deadline.
    # (About half a second on an idle machine, ten times the deadline set here.)
    template = "{{ ('a ' * 450000) | wordwrap(1) | length }}"
    with pytest.raises(TemplateFailure, match="rendering took longer than 0.05 s"):
        render(tmp_path, template, limits=Limits(max_seconds=0.05, max_output_chars=3_000_000))
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_outer_timer_is_put_back(tmp_path: Path) -> None:
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        render(tmp_path, "Hi {{ first_name }}")
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def test_compile_time_folding_is_bounded_too(tmp_path: Path) -> None:
    # Constants would be folded while compiling, outside any render.
    started = time.monotonic()
    for template in ("{{ '%0999999999d' % 1 }}", "{{ 'x' * 999999999 }}",
                     "{{ '%0999999999d' | format(1) }}", "{{ 10 ** (10 ** 10) }}"):
        with pytest.raises(TemplateFailure, match="over the limit|too large|more than"):
            render(tmp_path, template)
    assert time.monotonic() - started < 3


def test_deep_nesting_is_a_template_error_with_its_file(tmp_path: Path) -> None:
    template = "{% if true %}" * 3000 + "x" + "{% endif %}" * 3000
    started = time.monotonic()
    with pytest.raises(TemplateFailure, match="nested too deeply") as caught:
        render(tmp_path, template)
    assert caught.value.file == "message.txt.j2"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("template", [
    "{{ 2 ** 10 }} {{ 3 * 4 }} {{ 'ab' * 3 }} {{ [1] * 3 }} {{ 'a' ~ 'b' }} {{ 1 + 2 }}",
    "{{ '%05.2f' % 3.14159 }} {{ '%s and %s' | format('a', 'b') }} {{ '{:>8}'.format('x') }}",
    "{{ 'x' | center(20) }} {{ 'a b c' | wordwrap(2) }} {{ 'abc' | truncate(10) }}",
    "{{ [1, 2, 3] | batch(2) | list }} {{ [1, 2, 3] | slice(2) | list }} {{ lipsum(1) }}",
    "{{ (range(3) | map('string')) | join(',') }} {{ 'aaa' | replace('a', 'bb') }}",
    "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ n }}{% endif %}{% endmacro %}{{ m(50) }}",
])
def test_ordinary_templates_are_untouched(tmp_path: Path, template: str) -> None:
    assert render(tmp_path, template).text


def test_a_value_shared_by_many_fields_keys_the_cache_cheaply(tmp_path: Path) -> None:
    shared = BIG * 1000  # 1 MB, the same object under every key, as a YAML alias makes
    person = Profile("p9", {"first_name": "Jo", "notes": [shared] * 5000})
    other = Profile("p10", {"first_name": "Jo", "notes": [shared] * 5000})
    started = time.monotonic()
    first = render(tmp_path, "Hi {{ first_name }} {{ notes | length }}", profile=person)
    second = render(tmp_path, "Hi {{ first_name }} {{ notes | length }}", profile=other)
    assert first.text == second.text == "Hi Jo 5000"
    assert time.monotonic() - started < 3


def test_off_the_main_thread_the_step_checks_keep_the_deadline(tmp_path: Path) -> None:
    # Signals reach only the main thread: elsewhere no timer is set (setting one would
    # fail) and the budget's own time checks end the render.
    errors: list[BaseException] = []

    def run() -> None:
        try:
            render(tmp_path, "{% for i in range(5000) %}{{ i }}{% endfor %}",
                   limits=Limits(max_seconds=0.000001))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert len(errors) == 1 and isinstance(errors[0], TemplateFailure)
    assert "rendering took longer than" in str(errors[0])
