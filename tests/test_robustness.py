"""Robustness: broken records never hide good ones, and no template text crashes us."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creepcheck.errors import TemplateFailure
from creepcheck.models import Profile
from creepcheck.render import Renderer
from creepcheck.run import CheckOptions, check
from tests.ruleharness import make_campaign

CAMPAIGN = """id: big
send_at: 2026-03-02T15:00:00Z
profiles: profiles.jsonl
messages:
  - {channel: email, body: "Hi {{ first_name }}. https://x.example.com/unsubscribe"}
"""


def test_ten_thousand_profiles_with_three_broken_lines(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"id": f"p{i}", "first_name": "Ana", "status": "active",
                         "contact_points": {"email": [{"value": f"p{i}@example.org",
                                                       "source": "customer"}]},
                         "consents": {"email": {"status": "granted"}}})
             for i in range(10_000)]
    lines[41] = '{"id": "p41", "first_name": '
    lines[5_000] = "not json at all"
    lines[9_998] = '["a", "list"]'
    (tmp_path / "profiles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "campaign.yaml").write_text(CAMPAIGN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = check(CheckOptions(paths=(Path("."),), select=("deceased-recipient",)))
    assert result.stats.profiles_checked == 9_997
    assert result.stats.profiles_rejected == 3
    assert [(p.file, p.line) for p in result.problems] == [
        ("profiles.jsonl", 42), ("profiles.jsonl", 5_001), ("profiles.jsonl", 9_999)]
    assert all(p.fatal for p in result.problems)


TEMPLATE_TEXT = st.lists(
    st.sampled_from(list("{}%#-+*/()[]|.,'\" \nabcxyz0123_=<>!~")
                    + ["{{", "}}", "{%", "%}", "{#", "#}", "if ", "for ", "endif", "endfor",
                       " in ", "first_name", "purchases", "range(", "loop.", "__class__",
                       "|length", "|format(", "'%s'", "<p>", "</p>", "&amp;"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(source=TEMPLATE_TEXT, html=st.booleans())
def test_any_template_text_renders_or_is_a_template_error(tmp_path: Path, source: str,
                                                          html: bool) -> None:
    campaign = make_campaign(tmp_path, "email", source, html=html)
    renderer = Renderer(tmp_path, display_root=tmp_path)
    person = Profile("p1", {"first_name": "Ana", "purchases": [{"item": "Tent", "amount": 5}]})
    try:
        compiled = renderer.compile_message(campaign, campaign.messages[0])
        message = renderer.render(compiled, person, campaign)
    except TemplateFailure:
        return
    assert all(0 <= s.start <= s.end <= len(message.text) for s in message.spans)
    assert not any("\ue000" <= ch <= "\ue006" for ch in message.text)
