"""pii-leak finds internal values with a walk of its own; it must agree with reading
every leaf of the profile (`Profile.leaves`), in the same order."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from creepcheck.loaders.internal_fields import distinctive, find_internal_values, is_internal
from creepcheck.models import Profile
from creepcheck.rules.pii_leak import PiiLeak

GLOBS = tuple(PiiLeak.options["internal_fields"].default)
KEYS = st.sampled_from(["notes", "score", "churn_score", "inferred", "segments", "segment",
                        "crm", "name", "items", "internal", "x"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
    st.sampled_from(["seg_042", "lapsed_high_value", "a_b", "plain",
                     "an agent's note about this customer", "  spaced_code_value  "]),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)


def by_leaves(profile: Profile) -> list[tuple[str, str]]:
    found = []
    for path, value in profile.leaves:
        if not is_internal(path, GLOBS) or isinstance(value, bool):
            continue
        if isinstance(value, float) and not value.is_integer():
            found.append((path, f"{value:g}"))
        elif isinstance(value, str) and distinctive(value):
            found.append((path, value.strip()))
    return found


@given(st.dictionaries(KEYS, TREES, max_size=5))
def test_the_walk_agrees_with_every_leaf(data: dict[str, Any]) -> None:
    profile = Profile("p1", data)
    assert list(find_internal_values(profile, GLOBS)) == by_leaves(profile)


def test_internal_values_in_nested_records_are_found() -> None:
    profile = Profile("p1", {
        "crm": [{"notes": "called twice about the refund, very upset"}],
        "inferred": {"churn_score": 0.87, "segment": "lapsed_high_value"},
        "purchases": [{"amount": 49.5, "item": "Rain shell"}],
    })
    assert list(find_internal_values(profile, GLOBS)) == [
        ("crm[0].notes", "called twice about the refund, very upset"),
        ("inferred.churn_score", "0.87"),
        ("inferred.segment", "lapsed_high_value"),
    ]
