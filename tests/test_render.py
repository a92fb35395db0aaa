"""The renderer: text and spans mapped to template lines, HTML reduced, and the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from creepcheck.errors import TemplateFailure
from creepcheck.models import Profile
from creepcheck.render import Limits, Renderer
from tests.ruleharness import make_campaign

PERSON = Profile("p1", {
    "first_name": "Jane",
    "purchases": [{"item": "Black loafers", "amount": 89.5, "store": "Queen St"}],
    "notes": "internal",
})


def render(tmp_path: Path, template: str, *, html: bool = False, subject: str | None = None,
           profile: Profile = PERSON, limits: Limits | None = None):
    campaign = make_campaign(tmp_path, "email", template, subject=subject, html=html)
    renderer = Renderer(tmp_path, display_root=tmp_path, limits=limits)
    compiled = renderer.compile_message(campaign, campaign.messages[0])
    return renderer.render(compiled, profile, campaign)


def test_values_carry_their_fields_and_lines(tmp_path: Path) -> None:
    message = render(tmp_path, "Hi {{ first_name }},\n\nYour {{ purchases[0].item | lower }} awaits.")
    assert message.text == "Hi Jane,\n\nYour black loafers awaits."
    values = [(message.text[s.start:s.end], s.fields, s.line) for s in message.values]
    assert values == [("Jane", ("first_name",), 1), ("black loafers", ("purchases[0].item",), 3)]
    assert message.locate(message.text.index("awaits")) == ("message.txt.j2", 3)


def test_loop_variables_resolve_to_profile_fields(tmp_path: Path) -> None:
    message = render(tmp_path, "{% for p in purchases %}{{ p.store }}{% endfor %}")
    assert message.values[0].fields == ("purchases[0].store",)


def test_html_is_reduced_to_visible_text_with_links(tmp_path: Path) -> None:
    html = ("<html><head><title>T</title><style>p{color:red}</style></head><body>"
            "<h1>Sale &amp; more</h1><p>Hi {{ first_name }},</p><script>var x=1;</script>"
            "<p style='display:none'>hidden copy</p>"
            "<a href='https://x.example.com/unsubscribe?id={{ first_name }}'>Unsubscribe</a>"
            "</body></html>")
    message = render(tmp_path, html, html=True)
    assert message.text == "Sale & more\n\nHi Jane,\n\nhidden copy\n\nUnsubscribe"
    assert [(link.href, link.text) for link in message.links] == [
        ("https://x.example.com/unsubscribe?id=Jane", "Unsubscribe")]


def test_subject_comes_first_and_points_at_the_campaign_file(tmp_path: Path) -> None:
    message = render(tmp_path, "Body text", subject="{{ first_name }}, hello")
    assert message.text.startswith("Jane, hello\n\nBody text")
    assert message.subject_end == len("Jane, hello")
    assert message.locate(0) == ("campaign.yaml", 3)


def test_missing_values_are_recorded_not_raised(tmp_path: Path) -> None:
    message = render(tmp_path, "Hi {{ nickname }}, {{ purchases[5].item }}.")
    assert [m.expression for m in message.missing] == ["nickname", "purchases[5].item"]
    assert message.text == "Hi , ."


def test_autoescaped_values_are_decoded_in_html(tmp_path: Path) -> None:
    person = Profile("p2", {"first_name": "Tom & <b>Jerry</b>"})
    message = render(tmp_path, "<p>Hi {{ first_name }}</p>", html=True, profile=person)
    assert message.text == "Hi Tom & <b>Jerry</b>"


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ cycler }}{{ lipsum.__globals__ }}", "unsafe"),
    ("{% set ns = namespace(items=purchases) %}{{ ns.items.append(1) }}", "unsafe"),
    ("{% set ns = namespace() %}{{ ns.__class__ }}", "unsafe"),
    ("{{ profile.update({'first_name': 'X'}) }}", "unsafe"),
    ("{{ purchases.append(1) }}", "unsafe"),
    ("{% for a in range(100000) %}x{% endfor %}", "range() of more than 10,000 items"),
    ("{% for a in range(1000) %}{% for b in range(1000) %}x{% endfor %}{% endfor %}",
     "loops ran more than"),
    ("{{ 'x' * 100000000 }}", "repetition would make more than 1,000,000"),
    ("{{ '%99999999d' | format(1) }}", "format width"),
    ("{{ '{:>99999999}'.format(1) }}", "format width or precision is over the limit of 10,000"),
    ("{{ 'x' | center(99999999) }}", "center width is over the limit of 10,000"),
    ("{{ 2 ** 1000000 }}", "exponent too large"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "macro calls nested deeper than 100"),
])
def test_sandbox_and_limits_end_in_template_errors(tmp_path: Path, template: str,
                                                   expected: str) -> None:
    with pytest.raises(TemplateFailure, match=expected.replace("(", r"\(").replace(")", r"\)")):
        render(tmp_path, template)


def test_namespace_carries_a_value_out_of_a_loop_and_changes_no_field(tmp_path: Path) -> None:
    """Jinja's `namespace()` is the usual way to count or pick inside a loop; the values
    it holds are the template's own, so the profile is left as it was."""
    message = render(
        tmp_path,
        "{% set ns = namespace(n=0, last=none) %}{% for p in purchases %}"
        "{% set ns.n = ns.n + 1 %}{% set ns.last = p.item %}{% endfor %}"
        "{{ ns.n }} {{ ns.last }}; {{ purchases | length }}",
    )
    assert message.text == f"{len(PERSON.data['purchases'])} {PERSON.data['purchases'][-1]['item']}; " \
        f"{len(PERSON.data['purchases'])}"
    # a namespace holds only its own values: Python's attributes are not among them
    escape = render(tmp_path, "{% set ns = namespace() %}[{{ ns.__init__ }}]")
    assert escape.text == "[]"


def test_output_size_limit(tmp_path: Path) -> None:
    with pytest.raises(TemplateFailure, match="output exceeds the limit of 100 characters"):
        render(tmp_path, "{% for a in range(50) %}0123456789{% endfor %}",
               limits=Limits(max_output_chars=100))


def test_include_outside_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path.parent / "secret.txt"
    outside.write_text("secret")
    (tmp_path / "link.txt").symlink_to(outside)
    with pytest.raises(TemplateFailure, match="outside the campaign repository"):
        render(tmp_path, "{% include 'link.txt' %}")
    with pytest.raises(TemplateFailure, match='"../secret.txt" is outside the campaign repository'):
        render(tmp_path, "{% include '../secret.txt' %}")
    with pytest.raises(TemplateFailure, match='template "missing.txt" not found'):
        render(tmp_path, "{% include 'missing.txt' %}")


def test_ordinary_numbers_are_not_widths(tmp_path: Path) -> None:
    message = render(tmp_path, "{{ '%.2f' | format(1234567.5) }} {{ 'ab' * 3 }}")
    assert message.text == "1234567.50 ababab"
