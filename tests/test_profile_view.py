"""The typed profile view: contact points, names, purchases, consents and dates read once,
and the masking, contact choice and value checks that read it."""

from __future__ import annotations

from creepcheck.loaders.contacts import choose_destination
from creepcheck.loaders.profile_values import value_problems
from creepcheck.models import Profile
from creepcheck.privacy.masking import mask_text

LENA = Profile(
    "p7",
    {
        "first_name": "Lena",
        "surname": "Varga",
        "name": 42,  # not text: no name to mask
        "status": "active",
        "last_verified": "2026-01-05",
        "contact_points": {
            "email": [
                {"value": "old@example.org", "source": "data_broker", "status": "bounced"},
                None,
                {"value": "lena@example.org", "source": "customer"},
            ],
            "sms": {"value": "+1 555 0142", "source": "web_form"},  # one point, no list
            "push": "lena-device-token",  # junk: reported, never a point
        },
        "consents": {"email": {"status": "granted"}, "sms": "yes"},
        "purchases": [{"item": "Trail shoes", "date": "2026-02-01", "amount": 89.5}, "junk"],
    },
)


def test_contact_points_keep_their_key_position_and_fields() -> None:
    view = LENA.view
    points = list(view.contact_points)
    assert [(p.listed_under, p.index, p.listed) for p in points] == [
        ("email", 0, True),
        ("email", 2, True),
        ("sms", 0, False),
    ]
    assert [p.where for p in points] == [
        "contact_points.email[0]",
        "contact_points.email[2]",
        "contact_points.sms",
    ]
    assert (points[0].value, points[0].source, points[0].status) == (
        "old@example.org",
        "data_broker",
        "bounced",
    )
    assert points[2].kind is None
    # The junk entry is kept for the value checks, but is not a contact point.
    assert [e.entry for e in view.entries if not e.is_point] == ["lena-device-token"]


def test_names_purchases_consents_and_dates() -> None:
    view = LENA.view
    assert view.names == {"first_name": "Lena", "surname": "Varga"}
    assert [(p.item, p.date, p.amount, p.store) for p in view.purchases] == [
        ("Trail shoes", "2026-02-01", 89.5, None)
    ]
    assert view.consents == {"email": {"status": "granted"}}
    assert (view.status, view.last_verified) == ("active", "2026-01-05")


def test_the_view_is_built_once_per_profile() -> None:
    assert LENA.view is LENA.view


def test_contact_points_of_a_channel_and_the_destination_read_the_view() -> None:
    assert LENA.contact_points("email") == [
        {"value": "old@example.org", "source": "data_broker", "status": "bounced"},
        {"value": "lena@example.org", "source": "customer"},
    ]
    assert LENA.contact_points("push") == []
    assert LENA.contact_points("whatsapp") == []
    destination = choose_destination(LENA, "email")
    assert destination is not None and destination.point["value"] == "lena@example.org"
    sms = choose_destination(LENA, "whatsapp")  # phone channels share numbers
    assert sms is not None and (sms.listed_under, sms.deliverable) == ("sms", True)


def test_an_empty_single_entry_is_no_contact_point() -> None:
    profile = Profile("p8", {"contact_points": {"email": {}, "sms": [{}]}})
    assert profile.contact_points("email") == []
    assert profile.contact_points("sms") == [{}]


def test_value_problems_name_each_entry_where_it_is_listed() -> None:
    profile = Profile(
        "p9",
        {
            "contact_points": {
                "email": [{"value": "a@example.org", "source": "friend"}, 7],
                "sms": {"value": "+1 555 0143", "status": "gone"},
            }
        },
    )
    messages = [p.message for p in value_problems(profile)]
    assert messages[0].startswith("contact_points.email[0].source: expected one of customer")
    assert messages[1].startswith("contact_points.email[1]: expected a contact point")
    assert messages[1].endswith("got a number (ignored)")
    assert messages[2].startswith("contact_points.sms.status: expected one of valid")
    assert len(messages) == 3


def test_contact_points_that_are_not_a_mapping_are_one_problem() -> None:
    profile = Profile("p10", {"contact_points": ["a@example.org"]})
    assert profile.view.malformed_contact_points == ["a@example.org"]
    assert list(profile.view.entries) == []
    messages = [p.message for p in value_problems(profile)]
    assert messages == [
        "contact_points: expected a mapping of channels to lists of contact points, "
        "got a list (ignored)"
    ]


def test_masking_hides_surname_and_every_listed_address_even_junk_entries() -> None:
    text = "Varga, lena@example.org, old@example.org, lena-device-token, +1 555 0142"
    masked = mask_text(text, LENA)
    for personal in ("Varga", "lena@example.org", "old@example.org", "lena-device-token"):
        assert personal not in masked
    assert "0142" in masked and "555" not in masked  # a phone keeps its last digits
