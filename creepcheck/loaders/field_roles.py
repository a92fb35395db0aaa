"""What a profile field path holds, read from its name: the person's own name or contact
data, a unit of another value, or content the sender chose for the person.

Rules ask these questions for every value rendered into every message; the answers
depend on the path alone, so each distinct path is worked out once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from creepcheck.caching import memoised
from creepcheck.models import PERSON_NAME_KEYS, dotted_path

# The person's own name is expected in a message; it is not a recalled fact. Keys such
# as `name` and `id` count as the person's only at the top of the profile
# (`purchases[0].name` is a product, not the person).
TOP_LEVEL_NAMES = frozenset({"name", "salutation", "title", "honorific", "id", "customer_id"})
# Units of another value, not facts of their own: "189.00 USD" is one fact.
UNIT_FIELDS = frozenset({"currency", "unit"})
# What the sender chose for the person, not a fact about them, unless the policy's
# `fields:` says `role: fact`: a field whose name (any part of its path) is one of these,
# or starts or ends with one ("top_picks", "recommended_items", "offer_code").
CONTENT_WORDS = (
    "picks", "pick", "recommendations", "recommendation", "recommended", "recs", "offers",
    "offer", "suggestions", "suggested", "promotions", "promotion", "promo", "promos",
    "deals", "deal", "coupon", "coupons", "voucher", "vouchers", "featured", "curated",
    "editorial", "bestsellers", "new_arrivals", "you_may_like", "also_liked",
)  # fmt: skip
# A custom attribute's value (`attributes.loyalty_email` or `attributes.x.value`).
OWN_ATTRIBUTE = re.compile(r"attributes\.\w+(?:\.value)?")


@memoised(maxsize=4096)
def names_the_person(path: str) -> bool:
    """The person's own name or a unit of another value: not a fact to count."""
    dotted = dotted_path(path)
    leaf = dotted.rsplit(".", 1)[-1]
    return dotted in TOP_LEVEL_NAMES or leaf in PERSON_NAME_KEYS or leaf in UNIT_FIELDS


@memoised(maxsize=4096)
def named_like_content(path: str) -> bool:
    """A field named for what the sender chose (`top_picks`, `offer_code`)."""
    parts = [p.lower() for p in re.split(r"[.\[\]]+", path) if p and not p.isdigit()]
    return any(
        part == word or part.startswith(word + "_") or part.endswith("_" + word)
        for part in parts
        for word in CONTENT_WORDS
    )


# A thing bought or offered, named by the field ("last_item", "product_name", "sku").
THING_WORDS = ("item", "product", "sku")


def names_a_thing(path: str, role: str | None) -> bool:
    """A purchase, what the sender chose (`role`: the policy's `fields:` role, if any; else
    the name, as `named_like_content`) or a field named for an item."""
    last = path.rpartition(".")[2].lower()
    return (
        path.startswith("purchases")
        or (role == "content" if role is not None else named_like_content(path))
        or any(word in last for word in THING_WORDS)
    )


@memoised(maxsize=4096)
def holds_own_contact(path: str) -> bool:
    """A contact point, a top-level value or a custom attribute: the person's own data."""
    dotted = dotted_path(path)
    return (
        path.startswith("contact_points.")
        or "." not in dotted
        or OWN_ATTRIBUTE.fullmatch(dotted) is not None
    )


GIVEN_ATTRIBUTE = re.compile(r"attributes\.(\w+)\.value")


def consented_uses(attribute: Any) -> tuple[str, ...] | None:
    """An attribute's consented uses, normalised; None when none are recorded."""
    if not isinstance(attribute, Mapping):
        return None
    uses = attribute.get("consented_uses")
    if isinstance(uses, str):
        uses = [uses]
    if not isinstance(uses, (list, tuple)):
        return None
    return tuple(re.sub(r"[\s-]+", "_", str(u).strip().lower()) for u in uses)


def given_for(data: Mapping[str, Any], path: str, purpose: str) -> bool:
    """A custom attribute's value that the person gave for this use (`attributes.x.value`
    with `source: customer` and `purpose` among its `consented_uses`): "Your store, {{
    attributes.home_store.value }}, ..." prints their own choice, not something observed."""
    match = GIVEN_ATTRIBUTE.fullmatch(path)
    attributes = data.get("attributes")
    if match is None or not isinstance(attributes, Mapping):
        return False
    given = attributes.get(match.group(1))
    if not isinstance(given, Mapping) or given.get("source") != "customer":
        return False
    uses = consented_uses(given)
    return uses is not None and purpose in uses
