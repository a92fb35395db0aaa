"""What each `if` branch of a template requires of the profile, and the lines it owns
(render/templatescan.selections): the basis of CC201's reading of copy written for a label."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from creepcheck.models import Campaign, Profile
from creepcheck.render import CompiledMessage, Renderer
from creepcheck.render.templatescan import Selection, selections
from tests.ruleharness import make_campaign

ENV = ImmutableSandboxedEnvironment()


def found(source: str, offset: int = 0) -> list[tuple[str, str, list[int]]]:
    return [
        (s.path, s.value, sorted(s.lines))
        for s in selections(ENV.parse(source), "t.j2", offset)
    ]


def test_membership_equality_and_truth_tests_require_a_value() -> None:
    source = (
        '{% if "vegan" in inferred.segments %}\nA\n{% endif %}\n'
        '{% if inferred.tier == "gold" %}\nB\n{% endif %}\n'
        '{% if "x" == flags.kind %}\nC\n{% endif %}\n'
        "{% if inferred.bereaved %}\nD\n{% endif %}"
    )
    assert found(source) == [
        ("inferred.segments", "vegan", [2]),
        ("inferred.tier", "gold", [5]),
        ("flags.kind", "x", [8]),
        ("inferred.bereaved", "bereaved", [11]),
    ]


def test_each_branch_owns_its_lines_and_and_requires_both() -> None:
    source = (
        '{% if kind == "a" and "b" in tags %}\nA\n'
        '{% elif kind == "c" %}\nC\n  nested {% if "d" in tags %}\nD\n{% endif %}\n'
        "{% else %}\nE\n{% endif %}"
    )
    assert found(source) == [
        ("kind", "a", [2]),
        ("tags", "b", [2]),
        ("kind", "c", [4, 5, 6]),
        ("tags", "d", [6]),
    ]


@pytest.mark.parametrize("test", [
    '"vegan" not in segments', 'tier != "gold"', "score > 0.8", 'a == "x" or b == "y"',
    "not bereaved", 'tier in ["gold", "silver"]',
])
def test_a_test_that_makes_nothing_certain_requires_nothing(test: str) -> None:
    assert found(f"{{% if {test} %}}\nA\n{{% endif %}}") == []


def test_a_line_shared_with_text_outside_the_branch_is_not_owned() -> None:
    assert found('Your offer: {% if "v" in s %}vegan box{% else %}box{% endif %} today.') == []
    assert found('{% if "v" in s %}\nvegan box\n{% endif %} today.') == [("s", "v", [2])]


def test_local_names_resolve_to_profile_fields_and_lines_carry_the_offset() -> None:
    source = '{% set trip = bookings[0] %}\n{% if trip.kind == "couple" %}\nA\n{% endif %}'
    assert found(source, offset=10) == [("bookings[0].kind", "couple", [13])]


def compiled_file(
    tmp_path: Path, name: str, source: str
) -> tuple[Renderer, CompiledMessage, Campaign]:
    """A one-message campaign whose body is the template file `name`, compiled."""
    campaign = make_campaign(tmp_path, "email", None)
    (tmp_path / name).write_text(source)
    spec = dataclasses.replace(campaign.messages[0], template=name)
    campaign = dataclasses.replace(campaign, messages=(spec,))
    renderer = Renderer(tmp_path, display_root=tmp_path)
    return renderer, renderer.compile_message(campaign, spec), campaign


def test_a_rendered_message_carries_the_selections_of_its_parts(tmp_path: Path) -> None:
    renderer, compiled, campaign = compiled_file(
        tmp_path,
        "message.txt.j2",
        'Hi {{ first_name }},\n{% if "vegan" in inferred.segments %}\nVegan box\n{% endif %}\n',
    )
    message = renderer.render(
        compiled, Profile("p1", {"first_name": "Jo", "inferred": {"segments": ["vegan"]}}), campaign
    )
    assert message.selections == (
        Selection("inferred.segments", "vegan", "message.txt.j2", frozenset({3})),
    )
    box = message.text.index("Vegan box")
    assert message.locate(box) == ("message.txt.j2", 3)


@pytest.mark.parametrize(("name", "source", "wanted"), [
    ("message.txt.liquid",
     '{% if inferred.segments contains "vegan" and tier == "gold" %}\nVegan box\n'
     '{% elsif tier == "silver" %}\nSilver\n{% else %}\nNothing\n{% endif %}\n',
     [("inferred.segments", "vegan", [2]), ("tier", "gold", [2]), ("tier", "silver", [4])]),
    ("message.txt.liquid", '{% if tier != "gold" %}\nA\n{% endif %}\n', []),
    ("message.txt.hbs", "{{#if inferred.vegan}}\nVegan box\n{{/if}}\n",
     [("inferred.vegan", "vegan", [2])]),
])
def test_liquid_and_handlebars_branches_require_what_jinja_ones_do(
    tmp_path: Path, name: str, source: str, wanted: list[tuple[str, str, list[int]]]
) -> None:
    _, compiled, _ = compiled_file(tmp_path, name, source)
    assert [(s.path, s.value, sorted(s.lines)) for s in compiled.selections] == wanted


def test_a_non_empty_selection_of_items_requires_an_item_with_the_value() -> None:
    source = (
        '{% if purchases | selectattr("category", "equalto", "continence") | list %}\nA\n'
        '{% endif %}\n{% if inferred.segments | select("equalto", "vegan") | list %}\nB\n'
        '{% endif %}\n{% if purchases | selectattr("price", "gt", "9") | list %}\nC\n{% endif %}'
    )
    assert found(source) == [
        ("purchases[].category", "continence", [2]),
        ("inferred.segments[]", "vegan", [5]),
    ]


def test_a_selection_set_to_a_name_is_required_where_the_name_is_tested() -> None:
    source = (
        '{% set care = purchases | selectattr("category", "equalto", "diabetes_care") | list %}'
        "\n{% if care %}\nA\n{% endif %}\n"
        "{% for care in picks %}{% if care %}\nB\n{% endif %}{% endfor %}\n"
        "{% set care = inferred.flags %}{% if care %}\nC\n{% endif %}"
    )
    assert found(source) == [
        ("purchases[].category", "diabetes_care", [3]),
        ("picks[]", "picks[]", [6]),
        ("inferred.flags", "flags", [9]),
    ]
