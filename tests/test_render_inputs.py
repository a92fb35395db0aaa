"""What a template's output can depend on: values read, names only tested, or more."""

from __future__ import annotations

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from creepcheck.render.templatescan import RenderInputs, render_inputs

ENV = ImmutableSandboxedEnvironment()


def inputs(source: str) -> RenderInputs | None:
    return render_inputs(ENV.parse(source))


def test_outputs_and_loops_are_read_as_values_and_plain_ifs_only_tested() -> None:
    found = inputs(
        "Hi {{ first_name }}{% if purchases %}, thanks{% endif %}"
        "{% if not vip %}!{% elif segment %}?{% endif %}"
        "{% for item in basket %}{{ item.name }}{% endfor %}"
    )
    assert found == RenderInputs(  # `item` too: loop variables are kept, a safe superset
        values=frozenset({"first_name", "basket", "item"}),
        tested=frozenset({"purchases", "vip", "segment"}),
    )


def test_a_name_both_tested_and_printed_is_a_value() -> None:
    found = inputs("{% if city %}in {{ city }}{% endif %}")
    assert found == RenderInputs(values=frozenset({"city"}), tested=frozenset())


def test_tests_other_than_truth_read_the_value() -> None:
    found = inputs("{% if age > 17 %}adult{% endif %}{% if nick is defined %}hey{% endif %}")
    assert found is not None and found.values == {"age", "nick"} and not found.tested


@pytest.mark.parametrize(
    "source",
    [
        "{% include 'footer.txt' %}",
        "{% extends 'base.txt' %}",
        "{% import 'macros.txt' as m %}{{ m.hi() }}",
        "{{ ['a', 'b'] | random }}",
        "{{ lipsum(1) }}",
    ],
)
def test_other_templates_and_randomness_make_the_output_opaque(source: str) -> None:
    assert inputs(source) is None
