"""Generate a campaign repository with N synthetic profiles for benchmarking.

The mix is meant to look like a real audience: about 10% without marketing consent,
1% deceased, some data-broker phone numbers, varied purchases and browsing.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from textwrap import dedent

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
         "Kira", "Liam", "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara"]
LAST = ["Okoye", "Shah", "Berg", "Rossi", "Haddad", "Liu", "Novak", "Bello", "Marsh", "Cho"]
ITEMS = [("Trail running shoes", "shoes"), ("Rain shell", "outerwear"), ("Merino socks", "socks"),
         ("Camp stove", "camping"), ("Daypack 24L", "bags"), ("Fleece jacket", "outerwear"),
         ("Water bottle", "accessories"), ("Headlamp", "camping")]
ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
         "America/Toronto"]

EMAIL = dedent("""\
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Spring at NorthTrail</title>
    <style>.card { display: inline-block; width: 170px; } .small { font-size: 11px; }</style></head>
    <body>
      <h1>Spring is here</h1>
      <p>Hi {{ first_name | default('there', true) }},</p>
      <p>Longer days mean longer trails. Our spring range is in every store and online,
         with new trail shoes, light rain shells and packs built for a full day out.</p>
      {% if purchases %}
      <p>Based on your recent purchases, we picked a few things you might like:</p>
      {% else %}
      <p>Here are a few of our favourite pieces this season:</p>
      {% endif %}
      {% for pick in ["Drift packable rain shell", "Ridgeline trail shoes", "Stormline trousers"] %}
      <div class="card"><p>{{ pick }}</p><p>20% off until Sunday</p></div>
      {% endfor %}
      <p>Join a free Saturday workshop on packing light for multi-day hikes at any store.</p>
      <p><a href="https://northtrail.example.com/spring">Shop the spring range</a></p>
      <p class="small">NorthTrail Outfitters, 100 Example Way, Portland, OR 97201.
         <a href="https://northtrail.example.com/unsubscribe?list=offers">Unsubscribe</a></p>
    </body></html>
    """)
SMS = ("NorthTrail: hi {{ first_name | default('there', true) }}, spring sale: 20% off rain "
       "gear until Sunday. northtrail.example.com/spring Reply STOP to opt out\n")
CAMPAIGN = dedent("""\
    id: bench-spring
    name: Benchmark spring campaign
    purpose: marketing
    audience: b2c
    send_at: 2026-03-20T16:00:00Z
    language: en
    profiles: profiles.jsonl
    messages:
      - channel: email
        subject: "{{ first_name | default('Hello', true) }}, spring picks for you"
        template: email.html.j2
      - channel: sms
        template: sms.txt.j2
    """)


def profile(index: int, rng: random.Random) -> dict[str, object]:
    consent = "granted" if rng.random() > 0.10 else rng.choice(["none", "withdrawn", "denied"])
    sms_source = "data_broker" if rng.random() < 0.05 else "customer"
    purchases = [
        {"item": item, "category": category,
         "at": f"2026-0{rng.randint(1, 2)}-1{rng.randint(0, 9)}",
         "amount": round(rng.uniform(10, 200), 2), "currency": "USD", "store": "Online"}
        for item, category in rng.sample(ITEMS, rng.randint(0, 3))
    ]
    record: dict[str, object] = {
        "id": f"p{index:07d}",
        "first_name": rng.choice(FIRST),
        "last_name": rng.choice(LAST),
        "timezone": rng.choice(ZONES),
        "status": "deceased" if rng.random() < 0.01 else "active",
        "last_verified": f"2025-{rng.randint(1, 12):02d}-15",
        "contact_points": {
            "email": [{"value": f"user{index}@example.org", "source": "customer",
                       "kind": "personal", "status": "valid"}],
            "sms": [{"value": f"+1 212 555 01{index % 100:02d}", "source": sms_source,
                     "status": "valid"}],
        },
        "consents": {
            "email": {"status": consent, "purposes": ["marketing", "service"], "at": "2025-01-01"},
            "sms": {"status": consent, "purposes": ["marketing"], "at": "2025-01-01"},
        },
        "purchases": purchases,
        "behavior": [{"event": "page_view", "page": "/spring", "at": "2026-03-01T10:00:00Z"}],
    }
    return record


def generate(target: Path, count: int, seed: int = 7) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    (target / "campaign.yaml").write_text(CAMPAIGN)
    (target / "email.html.j2").write_text(EMAIL)
    (target / "sms.txt.j2").write_text(SMS)
    rng = random.Random(seed)
    with (target / "profiles.jsonl").open("w", encoding="utf-8") as out:
        for index in range(count):
            out.write(json.dumps(profile(index, rng)) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--profiles", type=int, default=20_000)
    args = parser.parse_args()
    generate(args.target, args.profiles)


if __name__ == "__main__":
    main()
