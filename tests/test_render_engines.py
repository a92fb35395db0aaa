"""Liquid and Handlebars templates: the same source map, findings, errors and limits as Jinja2."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from creepcheck.errors import CampaignError, TemplateFailure
from creepcheck.loaders.campaigns import load_campaign
from creepcheck.models import Profile
from creepcheck.render import Limits, RenderedMessage, Renderer
from creepcheck.render.engines import choose_engine, is_html
from creepcheck.render.templatescan import field_references
from tests.paths import checkout_env
from tests.ruleharness import make_campaign

PERSON = Profile("p1", {
    "first_name": "Jane",
    "purchases": [{"item": "Black loafers", "amount": 89.5, "store": "Queen St"}],
    "notes": "internal",
})
SUFFIX = {"jinja2": ".txt.j2", "liquid": ".txt.liquid", "handlebars": ".txt.hbs"}


def render(tmp_path: Path, engine: str, template: str, *, profile: Profile = PERSON,
           limits: Limits | None = None, html: bool = False) -> RenderedMessage:
    campaign = make_campaign(tmp_path, "email", None)
    name = "message" + (".html" + SUFFIX[engine][4:] if html else SUFFIX[engine])
    (tmp_path / name).write_text(template, encoding="utf-8")
    spec = dataclasses.replace(campaign.messages[0], template=name)
    campaign = dataclasses.replace(campaign, messages=(spec,))
    renderer = Renderer(tmp_path, display_root=tmp_path, limits=limits)
    compiled = renderer.compile_message(campaign, spec)
    return renderer.render(compiled, profile, campaign)


def values(message: RenderedMessage) -> list[tuple[str, tuple[str, ...], int | None]]:
    return [(message.text[s.start:s.end], s.fields, s.line) for s in message.values]


# -- choosing the engine --------------------------------------------------------------


def test_the_engine_is_chosen_by_message_then_suffix_then_campaign() -> None:
    assert choose_engine(None, "email.html.liquid", None) == "liquid"
    assert choose_engine(None, "sms.txt.hbs", "jinja2") == "handlebars"
    assert choose_engine(None, "x.handlebars", None) == "handlebars"
    assert choose_engine(None, "sms.txt.j2", "liquid") == "liquid"
    assert choose_engine("jinja2", "sms.liquid", "liquid") == "jinja2"
    assert choose_engine(None, None, None) == "jinja2"
    assert is_html("offer.html.liquid") and is_html("offer.htm.hbs")
    assert not is_html("sms.txt.liquid") and not is_html("sms.liquid")


def test_engine_is_read_from_the_campaign_and_its_messages(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(
        "id: c\nengine: liquid\nmessages:\n  - channel: sms\n    body: hi\n"
        "  - channel: email\n    engine: handlebars\n    body: hi\n", encoding="utf-8")
    campaign = load_campaign(path)
    assert campaign.engine == "liquid"
    assert [m.engine for m in campaign.messages] == [None, "handlebars"]


def test_an_unknown_engine_names_the_allowed_ones_and_a_close_one(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(
        "id: c\nengine: Liqud\nmessages:\n  - channel: sms\n    engine: mustache\n"
        "    body: hi\n", encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems] == [
        'campaign.yaml:2: engine: expected one of jinja2, liquid, handlebars, got "Liqud" '
        '(did you mean "liquid"?)',
        "campaign.yaml:5: messages[0]: engine: expected one of jinja2, liquid, handlebars, "
        'got "mustache"',
    ]


# -- the source map ---------------------------------------------------------------------


@pytest.mark.parametrize(("engine", "template"), [
    ("jinja2", "Hi {{ first_name }},\n\nYour {{ purchases[0].item | lower }} awaits."),
    ("liquid", "Hi {{ first_name }},\n\nYour {{ purchases[0].item | downcase }} awaits."),
    ("handlebars", "Hi {{first_name}},\n\nYour {{purchases.[0].item}} awaits."),
])
def test_values_carry_their_fields_and_lines(tmp_path: Path, engine: str, template: str) -> None:
    message = render(tmp_path, engine, template)
    item = "black loafers" if engine != "handlebars" else "Black loafers"
    assert message.text == f"Hi Jane,\n\nYour {item} awaits."
    assert values(message) == [("Jane", ("first_name",), 1), (item, ("purchases[0].item",), 3)]
    assert message.locate(message.text.index("awaits")) == (f"message{SUFFIX[engine]}", 3)


@pytest.mark.parametrize(("engine", "template"), [
    ("liquid", "{% for p in purchases %}\nAt {{ p.store }}\n{% endfor %}"),
    ("handlebars", "{{#each purchases}}\nAt {{store}}\n{{/each}}"),
    ("handlebars", "{{#each purchases as |p|}}\nAt {{p.store}}\n{{/each}}"),
    ("handlebars", "{{#with purchases.[0]}}\nAt {{store}}\n{{/with}}"),
])
def test_loop_variables_resolve_to_profile_fields(tmp_path: Path, engine: str,
                                                  template: str) -> None:
    message = render(tmp_path, engine, template)
    assert values(message) == [("Queen St", ("purchases[0].store",), 2)]


@pytest.mark.parametrize("engine", ["liquid", "handlebars"])
def test_missing_values_are_recorded(tmp_path: Path, engine: str) -> None:
    template = "Hi {{ nickname }}!" if engine == "liquid" else "Hi {{nickname}}!"
    message = render(tmp_path, engine, template)
    assert message.text == "Hi !"
    assert [(m.expression, m.field, m.line) for m in message.missing] == [
        ("nickname", "nickname", 1)
    ]


@pytest.mark.parametrize(("engine", "template"), [
    ("liquid", "<p>Hi {{ first_name }}</p><a href=\"https://shop.example.com/\">Shop</a>"),
    ("handlebars", "<p>Hi {{first_name}}</p><a href=\"https://shop.example.com/\">Shop</a>"),
])
def test_html_templates_are_reduced_to_visible_text(tmp_path: Path, engine: str,
                                                    template: str) -> None:
    profile = Profile("p2", {"first_name": "Ann <b>&</b>"})
    message = render(tmp_path, engine, template, profile=profile, html=True)
    assert message.text == "Hi Ann <b>&</b>\n\nShop"  # escaped, then decoded: no markup
    assert [link.href for link in message.links] == ["https://shop.example.com/"]


@pytest.mark.parametrize(("engine", "template", "expected"), [
    ("liquid",
     "{% if inferred.expecting %}\n{% for p in purchases %}{{ forloop.index }}. {{ p.item }}"
     "{% endfor %}\n{% endif %}\n{% assign who = first_name %}{{ who | upcase }}",
     [("inferred.expecting", 1, "condition"), ("purchases", 2, "loop"),
      ("purchases[].item", 2, "output"), ("first_name", 4, "set"), ("first_name", 4, "output")]),
    ("handlebars",
     "{{#if inferred.expecting}}\n{{#each purchases}}{{@index}}. {{item}}{{/each}}\n{{/if}}\n"
     "{{lookup purchases 0}} {{this.first_name}}",
     [("inferred.expecting", 1, "condition"), ("purchases", 2, "loop"),
      ("purchases[].item", 2, "output"), ("purchases", 4, "output"),
      ("first_name", 4, "output")]),
])
def test_static_analysis_reads_the_names_the_template_uses(
        tmp_path: Path, engine: str, template: str,
        expected: list[tuple[str, int, str]]) -> None:
    campaign = make_campaign(tmp_path, "email", None)
    name = "message" + SUFFIX[engine]
    (tmp_path / name).write_text(template, encoding="utf-8")
    spec = dataclasses.replace(campaign.messages[0], template=name)
    compiled = Renderer(tmp_path, display_root=tmp_path).compile_message(
        dataclasses.replace(campaign, messages=(spec,)), spec)
    assert compiled.body is not None
    refs = [(r.path, r.line, r.use) for r in field_references(compiled.body.ast)]
    assert refs == expected  # loop variables, forloop, @index and helpers are no fields


# -- the same findings as Jinja2 ----------------------------------------------------------

PROFILES = """\
- id: expecting
  first_name: Emma
  timezone: America/New_York
  contact_points:
    push: [{value: device-token-01, source: customer, status: valid}]
  consents:
    push: {status: granted, purposes: [marketing], at: 2025-09-01, source: customer}
  inferred: {expecting: true}
- id: other
  first_name: Nora
  timezone: America/New_York
  contact_points:
    push: [{value: device-token-02, source: customer, status: valid}]
  consents:
    push: {status: granted, purposes: [marketing], at: 2025-09-01, source: customer}
"""
SENSITIVE = {
    "jinja2": """\
        {%- if inferred.expecting -%}
        Congratulations on your little one on the way, {{ first_name }}! Mum-to-be essentials are 20% off.
        {%- else -%}
        Wellness week: 15% off vitamins, in store and online, {{ first_name }}.
        {%- endif -%}
        """,
    "liquid": """\
        {%- if inferred.expecting -%}
        Congratulations on your little one on the way, {{ first_name }}! Mum-to-be essentials are 20% off.
        {%- else -%}
        Wellness week: 15% off vitamins, in store and online, {{ first_name }}.
        {%- endif -%}
        """,
    "handlebars": """\
        {{~#if inferred.expecting~}}
        Congratulations on your little one on the way, {{first_name}}! Mum-to-be essentials are 20% off.
        {{~else~}}
        Wellness week: 15% off vitamins, in store and online, {{first_name}}.
        {{~/if~}}
        """,
}


def _check(folder: Path) -> list[tuple[str, str, int | None, tuple[str, ...], str | None]]:
    proc = subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", ".", "--format", "json", "--no-progress"],
        cwd=folder, capture_output=True, text=True, env=checkout_env(NO_COLOR="1"), timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    return sorted(
        (f["campaign"], f["code"], f["line"], tuple(f["fields"]), f["profile"]) for f in findings
    )


def test_a_sensitive_sentence_gives_the_same_findings_in_every_engine(tmp_path: Path) -> None:
    (tmp_path / "inline").mkdir()
    (tmp_path / "inline" / "campaign.yaml").write_text(
        "id: inline\npurpose: marketing\nsend_at: 2026-05-12T16:00:00Z\nengine: liquid\n"
        "profiles: ../profiles.yaml\nmessages:\n  - channel: push\n    subject: Bluebell\n"
        "    body: \"{% if inferred.expecting %}Congratulations on your little one on the way,"
        " {{ first_name | upcase }}!{% endif %}\"\n",
        encoding="utf-8",
    )
    (tmp_path / "profiles.yaml").write_text(PROFILES, encoding="utf-8")
    for engine, template in SENSITIVE.items():
        folder = tmp_path / engine
        folder.mkdir()
        (folder / f"push{SUFFIX[engine]}").write_text(textwrap.dedent(template), encoding="utf-8")
        (folder / "campaign.yaml").write_text(
            f"id: {engine}\npurpose: marketing\nsend_at: 2026-05-12T16:00:00Z\n"
            "profiles: ../profiles.yaml\nmessages:\n"
            f"  - channel: push\n    subject: Bluebell\n    template: push{SUFFIX[engine]}\n",
            encoding="utf-8",
        )
    found = _check(tmp_path)  # one run for all four campaigns
    by_campaign = {
        name: [finding[1:] for finding in found if finding[0] == name]
        for name in ("jinja2", "liquid", "handlebars", "inline")
    }
    # the congratulation, and the range named in copy written only for the label
    expected = [("CC201", 2, (), "expecting"),
                ("CC201", 2, ("first_name",), "expecting"),
                ("CC202", 1, ("inferred.expecting",), None)]
    assert by_campaign["jinja2"] == expected
    assert by_campaign["liquid"] == expected
    assert by_campaign["handlebars"] == expected
    # An inline Liquid body (the campaign's engine) points at its message in campaign.yaml.
    assert by_campaign["inline"] == [("CC201", 7, ("first_name",), "expecting"),
                                     ("CC202", 7, ("inferred.expecting",), None)]


# -- syntax errors ------------------------------------------------------------------------


@pytest.mark.parametrize(("engine", "template", "line"), [
    ("liquid", "Hi {{ first_name }}\n\n{% if purchases %}\nBuy more\n", 3),
    ("liquid", "Hi\n{{ first_name | }}\n", 2),
    ("liquid", "Hi\nthere\n{% endfor %}\n", 3),
    ("liquid", "Hi\n\n{{ first_name | shout }}\n", 3),
    ("handlebars", "Hi {{first_name}}\n\n{{#if purchases}}\nBuy more\n", 3),
    ("handlebars", "Hi\n{{#each purchases}}x\n{{/if}}\n", 3),
    ("handlebars", "Hi\nthere {{first_name\n", 2),
    ("handlebars", "Hi\n{{#nosuch first_name}}x{{/nosuch}}\n", 2),
    ("handlebars", "Hi\n\n{{shout first_name}}\n", 3),
])
def test_a_syntax_error_is_a_template_error_with_its_line(tmp_path: Path, engine: str,
                                                          template: str, line: int) -> None:
    with pytest.raises(TemplateFailure) as caught:
        render(tmp_path, engine, template)
    assert caught.value.file == f"message{SUFFIX[engine]}"
    assert caught.value.line == line
    assert "syntax error" in str(caught.value)


# -- the sandbox and the budget -------------------------------------------------------------


@pytest.mark.parametrize(("engine", "template"), [
    ("liquid", "{{ first_name.__class__ }}{{ first_name.__class__.__mro__ }}"),
    ("liquid", "{{ purchases.__class__.__init__.__globals__ }}"),
    ("liquid", "{{ first_name['__class__'] }}{{ profile.__class__ }}"),
    ("handlebars", "{{first_name.__class__}}{{purchases.__class__.__init__.__globals__}}"),
    ("handlebars", "{{lookup first_name '__class__'}}{{lookup purchases '__len__'}}"),
])
def test_python_internals_are_not_reachable(tmp_path: Path, engine: str, template: str) -> None:
    message = render(tmp_path, engine, template)
    assert message.text == ""


@pytest.mark.parametrize(("engine", "template", "expected"), [
    ("liquid", "{% for i in (1..100000000) %}x{% endfor %}", "loops ran more than 10,000 steps"),
    ("liquid", "{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}",
     "loops ran more than 10,000 steps"),
    ("liquid", "{% capture s %}{% for i in (1..9000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "{% endfor %}{% endcapture %}{{ s | size }}", "over the size limit"),
    ("liquid", "{% assign s = 'ab' %}{% for i in (1..40) %}{% assign s = s | append: s %}"
     "{% endfor %}{{ s | size }}", "would make more than 1,000,000"),
    ("liquid", "{{ (1..100000000) | join: ',' }}", "range of more than 10,000 items"),
    ("liquid", "{% include 'secret.txt' %}", "not supported in Liquid templates"),
    ("liquid", "{% render 'secret' %}", "not supported in Liquid templates"),
    ("handlebars", "{{> secret}}", "partials"),
    ("handlebars", "{{log first_name}}", "unknown helper \"log\""),
    ("handlebars", "{{#each many}}{{#each ../many}}{{#each ../../many}}x{{/each}}{{/each}}"
     "{{/each}}", "loops ran more than 10,000 steps"),
])
def test_costly_or_escaping_templates_end_in_a_template_error(
        tmp_path: Path, engine: str, template: str, expected: str) -> None:
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    profile = Profile("p3", {"first_name": "Jane", "many": list(range(100))})
    started = time.monotonic()
    with pytest.raises(TemplateFailure) as caught:
        render(tmp_path, engine, template, profile=profile, limits=Limits(max_loop_steps=10_000))
    assert expected in str(caught.value)
    assert "SECRET" not in str(caught.value)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("engine", "template"), [
    ("liquid", "{% for i in (1..10000) %}{{ first_name | append: first_name }}{% endfor %}"),
    ("handlebars", "{{#each many}}{{#each ../many}}{{../../first_name}}{{/each}}{{/each}}"),
])
def test_the_deadline_ends_a_long_render(tmp_path: Path, engine: str, template: str) -> None:
    profile = Profile("p3", {"first_name": "Jane", "many": list(range(300))})
    limits = Limits(max_seconds=0.05, max_loop_steps=10_000_000, max_calls=10_000_000)
    with pytest.raises(TemplateFailure, match="rendering took longer than 0.05 s"):
        render(tmp_path, engine, template, profile=profile, limits=limits)
