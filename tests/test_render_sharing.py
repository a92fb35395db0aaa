"""Sharing rendered messages between profiles is kept only where it pays: on an audience
whose renders all differ (a name and a link token each) the caches stop being asked,
and every render is still what the plain path renders; where profiles render alike,
they keep sharing one message."""

from __future__ import annotations

from pathlib import Path

import pytest

from creepcheck import tuning
from creepcheck.models import Profile
from creepcheck.render import Renderer
from creepcheck.render.caches import _Yield
from tests.ruleharness import make_campaign

TEMPLATE = (
    "<p>Hi {{ first_name }},</p>\n<p>{{ picks[0].name if picks else 'Our range' }} is "
    "now {{ picks[0].price if picks else '$10.00' }}.</p>\n"
    '<p><a href="https://shop.example.com/u?u={{ id }}&t={{ token }}">Unsubscribe</a></p>'
)


def _profile(number: int, *, unique: bool) -> Profile:
    data: dict[str, object] = {"first_name": "Ada", "token": "t0"}
    if unique:
        data = {
            "first_name": f"Name{number}x",
            "token": f"{number:06x}",
            "picks": [{"name": f"Trail mug {number}", "price": f"${number % 97}.50"}],
        }
    return Profile(f"c{number}", data)


RENDERERS: list[Renderer] = []


def _renders(tmp_path: Path, profiles: list[Profile]) -> list[object]:
    campaign = make_campaign(tmp_path, "email", TEMPLATE, html=True)
    renderer = Renderer(tmp_path, display_root=tmp_path)
    RENDERERS.append(renderer)
    compiled = renderer.compile_message(campaign, campaign.messages[0])
    return [renderer.render(compiled, profile, campaign) for profile in profiles]


def _sharing(renderer: Renderer) -> list[bool]:
    caches = renderer._renders
    return [y.pays for y in (*caches.input_yield.values(), *caches.message_yield.values())]


def test_renders_that_all_differ_stop_the_sharing_and_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles = [_profile(n, unique=True) for n in range(_Yield.TRIAL + 50)]
    optimised = _renders(tmp_path, profiles)
    assert _sharing(RENDERERS[-1]) == [False, False]
    monkeypatch.setattr(tuning, "OPTIMISE", False)
    plain = _renders(tmp_path, profiles)
    assert optimised == plain
    assert len({id(r) for r in optimised}) == len(profiles)


def test_renders_that_repeat_keep_sharing_one_message(tmp_path: Path) -> None:
    profiles = [_profile(n, unique=False) for n in range(_Yield.TRIAL + 50)]
    renders = _renders(tmp_path, profiles)
    assert len({id(r) for r in renders}) == 1
    assert _sharing(RENDERERS[-1]) == [True, True]


def test_the_yield_decides_once_after_its_trial() -> None:
    poor, rich = _Yield(), _Yield()
    for lookup in range(_Yield.TRIAL):
        poor.count(lookup < _Yield.MIN_HITS - 1)
        rich.count(lookup < _Yield.MIN_HITS)
    assert not poor.pays and rich.pays
