"""Unquoted yes, no, on, off and base-60 numbers in user YAML (creepcheck.loaders.yamlio):
text where a person meant text, a flag where a flag is expected."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from creepcheck.cli import main
from creepcheck.loaders.config import load_project_config
from creepcheck.loaders.yamlio import YamlWord, load_yaml_text


def test_yes_no_on_off_stay_the_words_written_and_keep_their_truth() -> None:
    data = load_yaml_text(
        "country: NO\nfirst_name: Yes\nlight: off\nswitch: On\nflag: true\nother: False\n",
        "x.yaml",
    )
    assert [data["country"], data["first_name"], data["light"], data["switch"]] == [
        "NO", "Yes", "off", "On"
    ]  # fmt: skip
    assert all(isinstance(data[k], YamlWord) for k in ("country", "first_name", "light"))
    assert [bool(data[k]) for k in ("country", "first_name", "light", "switch")] == [
        False, True, False, True
    ]  # fmt: skip
    assert data["flag"] is True and data["other"] is False


def test_a_clock_time_is_text_not_a_base_60_number() -> None:
    data = load_yaml_text("end: 21:00\nplan: 16:8\ncount: 12\nhex: 0x1F\nshare: 1.5\n", "x.yaml")
    assert data == {"end": "21:00", "plan": "16:8", "count": 12, "hex": 31, "share": 1.5}


def test_a_leading_zero_keeps_the_text() -> None:
    data = load_yaml_text("zip: 02134\naccount: 0012\nzero: 0\nfloat: 0.5\n", "x.yaml")
    assert data == {"zip": "02134", "account": "0012", "zero": 0, "float": 0.5}


CAMPAIGN = """\
id: norway
name: Spring in Norway
purpose: marketing
audience: b2c
send_at: 2026-03-03T15:00:00Z
language: en
profiles: profiles.yaml
messages:
  - channel: sms
    body: "Hi {{ first_name }}, new offers in {{ country }}! Reply STOP to opt out"
"""
PROFILE = """\
- id: {id}
  first_name: {first_name}
  country: NO
  do_not_contact: {do_not_contact}
  timezone: Europe/Oslo
  status: active
  last_verified: 2026-02-01
  contact_points:
    sms: [{{value: "+1 212 555 01{n}", source: customer, kind: personal, status: valid}}]
  consents:
    sms: {{status: granted, purposes: [marketing], at: 2025-06-01}}
"""


def _repository(tmp_path: Path) -> Path:
    folder = tmp_path / "campaigns" / "norway"
    folder.mkdir(parents=True)
    (tmp_path / "creepcheck.yaml").write_text("policy: builtin:default\n")
    (folder / "campaign.yaml").write_text(CAMPAIGN)
    profiles = [
        PROFILE.format(id="p1", first_name="Yes", do_not_contact="off", n="42"),
        PROFILE.format(id="p2", first_name="No", do_not_contact="on", n="43"),
    ]
    (folder / "profiles.yaml").write_text("".join(profiles))
    return folder


def test_a_profile_renders_the_words_it_holds(tmp_path: Path) -> None:
    folder = _repository(tmp_path)
    result = CliRunner().invoke(
        main, ["preview", str(folder), "--profile", "p1", "--show-pii"]
    )
    assert result.exit_code == 0, result.output
    assert "Hi Yes, new offers in NO!" in result.output


def test_an_unquoted_on_or_off_is_still_a_flag(tmp_path: Path) -> None:
    _repository(tmp_path)
    result = CliRunner().invoke(
        main, ["check", str(tmp_path / "campaigns"), "--format", "json", "--no-progress"]
    )
    report = json.loads(result.stdout)
    suppressed = {f["profile"] for f in report["findings"] if f["code"] == "CC403"}
    assert suppressed == {"p2"}


def test_a_config_flag_may_be_yes(tmp_path: Path) -> None:
    (tmp_path / "creepcheck.yaml").write_text("policy: builtin:default\nstrict_inputs: yes\n")
    assert load_project_config(tmp_path).strict_inputs is True
    (tmp_path / "creepcheck.yaml").write_text("policy: builtin:default\nstrict_inputs: off\n")
    assert load_project_config(tmp_path).strict_inputs is False


def test_a_flag_reads_the_ways_people_write_yes_and_no() -> None:
    from creepcheck.values import flag

    written = [True, "yes", "Y", "1", 1, "on", "TRUE", False, "no", "N", "0", 0, "off", "", None]
    assert [flag(v) for v in written] == [True] * 7 + [False] * 8
    assert [flag(v) for v in ("maybe", "unsubscribed", 2, [True])] == [None] * 4


def test_an_unreadable_suppression_flag_drops_the_recipient_and_says_so(tmp_path: Path) -> None:
    folder = _repository(tmp_path)
    profiles = (folder / "profiles.yaml").read_text().replace(
        "do_not_contact: on", "do_not_contact: maybe"
    )
    (folder / "profiles.yaml").write_text(profiles)
    result = CliRunner().invoke(
        main, ["check", str(tmp_path / "campaigns"), "--format", "json", "--no-progress"]
    )
    report = json.loads(result.stdout)
    assert {f["profile"] for f in report["findings"] if f["code"] == "CC403"} == {"p2"}
    problems = " ".join(p["message"] for p in report["errors"])
    assert "do_not_contact: expected true or false" in problems and "maybe" in problems


def test_liquid_and_jinja_conditions_read_the_flag_and_print_the_word() -> None:
    import jinja2.sandbox
    import liquid

    vip, country = YamlWord("no"), YamlWord("NO")
    source = "{% if vip %}VIP{% else %}plain{% endif %} {{ country }}"
    assert liquid.Template(source).render(vip=vip, country=country) == "plain NO"
    jinja = jinja2.sandbox.SandboxedEnvironment().from_string(source)
    assert jinja.render(vip=vip, country=country) == "plain NO"
