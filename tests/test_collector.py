"""The garbage collector's settings during a check, and that a check leaves them as found."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest

from creepcheck.errors import UserError
from creepcheck.run import CheckOptions, check, collector
from tests.paths import SAMPLE_CAMPAIGNS as SAMPLES


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture(autouse=True)
def _restore_gc() -> object:
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    gc.enable() if enabled else gc.disable()


def test_paused_disables_collection_and_restores_it() -> None:
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_frozen_heap_freezes_and_raises_the_young_threshold_then_undoes_both() -> None:
    before = gc.get_threshold()
    kept = [_Node() for _ in range(10)]
    with collector.frozen_heap():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (collector.YOUNG_THRESHOLD, *before[1:])
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
    assert kept


def test_cycles_made_inside_a_frozen_heap_are_still_collected() -> None:
    with collector.frozen_heap():
        ref = _cycle()
        gc.collect()
        assert ref() is None


def test_a_check_leaves_the_collector_as_it_found_it() -> None:
    gc.enable()
    before = gc.get_threshold()
    result = check(CheckOptions(paths=(SAMPLES,)))
    assert result.stats.profiles_checked > 0
    assert gc.isenabled()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_check_stopped_by_a_bad_profile_file_still_restores_the_collector(
    tmp_path: Path,
) -> None:
    campaign = tmp_path / "spring-sale"
    shutil.copytree(SAMPLES / "spring-sale", campaign)
    (campaign / "profiles.yaml").write_text("# nothing yet\n", encoding="utf-8")
    gc.enable()
    before = gc.get_threshold()
    with pytest.raises(UserError, match="empty profile file"):
        check(CheckOptions(paths=(campaign,)))
    assert gc.isenabled()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
