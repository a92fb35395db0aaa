"""Generate a campaign repository whose audience looks like a real one.

Where `generate.py` is the best case for creepcheck's caches (one shared unsubscribe
link, 20 first names, the same picks for everyone), here almost no two rendered
messages are alike, as in a real send:

- per-recipient unsubscribe links and tracking parameters (`?u=<id>&t=<token>`,
  `rid=<id>` on every link), and a personal short link in the SMS;
- at least 5,000 distinct first names and 5,000 distinct last names (invented);
- three personal picks per person from a catalogue of 2,400 products;
- 0-5 purchases each, with dates, amounts, stores and items;
- email (HTML with a loop and conditionals), SMS and push, each with its consent.

    python benchmarks/realistic.py /tmp/realistic 20000
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from textwrap import dedent

ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kl", "l", "m",
          "n", "p", "pr", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
CODAS = ["", "n", "l", "r", "s", "th", "m", "x", "nd", "rk", "lla", "nne", "ssa", "ren", "lin"]
ADJECTIVES = ["Alpine", "Breeze", "Cedar", "Drift", "Ember", "Fjord", "Glacier", "Harbor",
              "Ion", "Juniper", "Kestrel", "Lumen", "Meadow", "Nimbus", "Orbit", "Pioneer",
              "Quarry", "Ridge", "Summit", "Tundra", "Umber", "Vale", "Willow", "Zephyr"]
MATERIALS = ["merino", "ripstop", "canvas", "down", "fleece", "softshell", "waxed cotton",
             "recycled nylon", "bamboo", "linen"]
PRODUCTS = ["rain shell", "trail shoes", "daypack", "beanie", "base layer", "hiking socks",
            "camp mug", "headlamp", "trekking poles", "sun hoodie"]
STORES = ["Online", "Portland Pearl", "Seattle Ballard", "Denver LoDo", "Boise Hyde Park",
          "Spokane Riverside", "Bend Old Mill"]
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
         "Europe/London", "America/Toronto"]

EMAIL = dedent("""\
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Spring at NorthTrail</title></head>
    <body>
      <h1>Spring is here, {{ first_name }}</h1>
      <p>Longer days mean longer trails. Our spring range is in every store and online.</p>
      {% if picks %}
      <p>A few things we think you'll like:</p>
      {% for pick in picks %}
      <p><a href="https://northtrail.example.com/p/{{ pick.sku
         }}?utm_source=email&utm_campaign=spring&rid={{ id }}">{{ pick.name }}</a>,
         now {{ pick.price }}</p>
      {% endfor %}
      {% endif %}
      {% if loyalty_points %}
      <p>You have {{ loyalty_points }} NorthTrail points to spend.</p>
      {% endif %}
      <p>Join a free Saturday workshop on packing light at any store.</p>
      <p><a href="https://northtrail.example.com/spring?utm_source=email&rid={{ id }}">
         Shop the spring range</a></p>
      <p>NorthTrail Outfitters, 100 Example Way, Portland, OR 97201.
         <a href="https://northtrail.example.com/unsubscribe?u={{ id
           }}&t={{ unsubscribe_token }}">Unsubscribe</a></p>
    </body></html>
    """)
SMS = ("NorthTrail: hi {{ first_name }}, {{ picks[0].name if picks else 'spring gear' }} "
       "is 20% off until Sunday: nt.example.com/s/{{ sms_token }} Reply STOP to opt out\n")
PUSH = "{{ first_name }}, {{ picks[0].name if picks else 'the spring range' }} is back in stock\n"
CAMPAIGN = dedent("""\
    id: realistic-spring
    name: Spring campaign, real-looking audience
    purpose: marketing
    audience: b2c
    send_at: 2026-03-20T16:00:00Z
    language: en
    profiles: profiles.jsonl
    messages:
      - channel: email
        subject: "{{ first_name }}, spring picks for you"
        template: email.html.j2
      - channel: sms
        template: sms.txt.j2
      - channel: push
        template: push.txt.j2
    """)


def names(rng: random.Random, count: int, capitalised: bool = True) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        syllables = rng.randint(2, 3)
        name = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
        name += rng.choice(CODAS)
        found.add(name.capitalize() if capitalised else name)
    return sorted(found)


def catalogue(rng: random.Random) -> list[dict[str, str]]:
    items = []
    for adjective in ADJECTIVES:
        for material in MATERIALS:
            for product in PRODUCTS:
                sku = f"{adjective[:3].upper()}-{rng.randint(10000, 99999)}"
                items.append({"sku": sku, "name": f"{adjective} {material} {product}",
                              "price": f"${rng.randint(12, 380)}.{rng.choice(['00', '50', '99'])}"})
    return items  # 24 x 10 x 10 = 2,400


def profile(index: int, rng: random.Random, first: list[str], last: list[str],
            products: list[dict[str, str]]) -> dict[str, object]:
    consent = "granted" if rng.random() > 0.08 else rng.choice(["none", "withdrawn"])
    purchases = []
    for _ in range(rng.randint(0, 5)):
        item = rng.choice(products)
        purchases.append({
            "item": item["name"], "sku": item["sku"], "category": item["name"].split()[-1],
            "at": f"2026-0{rng.randint(1, 2)}-{rng.randint(10, 28)}",
            "amount": round(rng.uniform(12, 380), 2), "currency": "USD",
            "store": rng.choice(STORES),
        })
    token = f"{rng.getrandbits(64):016x}"
    return {
        "id": f"c{index:08d}",
        "first_name": rng.choice(first),
        "last_name": rng.choice(last),
        "timezone": rng.choice(ZONES),
        "status": "deceased" if rng.random() < 0.005 else "active",
        "last_verified": f"2025-{rng.randint(6, 12):02d}-{rng.randint(10, 28)}",
        "unsubscribe_token": token,
        "sms_token": f"{rng.getrandbits(40):010x}",
        "loyalty_points": rng.choice([0, 0, rng.randint(50, 4000)]),
        "picks": rng.sample(products, 3),
        "contact_points": {
            "email": [{"value": f"customer{index}@example.org", "source": "customer",
                       "kind": "personal", "status": "valid"}],
            "sms": [{"value": f"+1 212 555 01{index % 100:02d}", "source": "customer",
                     "status": "valid"}],
            "push": [{"value": f"device-{token[:12]}", "source": "customer", "status": "valid"}],
        },
        "consents": {
            channel: {"status": consent, "purposes": ["marketing", "service"], "at": "2025-04-01"}
            for channel in ("email", "sms", "push")
        },
        "purchases": purchases,
    }


def generate_realistic(target: Path, count: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    first, last = names(rng, 5_200), names(rng, 5_600)
    products = catalogue(rng)
    target.mkdir(parents=True, exist_ok=True)
    (target / "campaign.yaml").write_text(CAMPAIGN)
    (target / "email.html.j2").write_text(EMAIL)
    (target / "sms.txt.j2").write_text(SMS)
    (target / "push.txt.j2").write_text(PUSH)
    with (target / "profiles.jsonl").open("w", encoding="utf-8") as out:
        for index in range(count):
            out.write(json.dumps(profile(index, rng, first, last, products)) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    generate_realistic(args.target, args.count)


if __name__ == "__main__":
    main()
