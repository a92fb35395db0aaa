"""creepcheck never touches the network: no spaCy model download, no public suffix list.

The check runs in a fresh interpreter (so nothing is cached from other tests) with every
way of opening a connection patched to fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CAMPAIGN = """\
id: offline-check
name: Offline check
purpose: marketing
audience: b2c
send_at: 2026-05-12T16:00:00Z
language: en
profiles: profiles.yaml
messages:
  - channel: email
    subject: "Hi {{ first_name }}"
    template: email.txt.j2
  - channel: sms
    body: "Hi {{ first_name }}, this text went to {{ contact_points.sms[0].value }}. Help: help@example.com or +1 212 555 0100. Reply STOP to opt out"
"""
TEMPLATE = """\
Hi {{ first_name }},
Your neighbour Tom (tom.becker@example.org) just joined. A note for you: {{ notes }}
We found you on LinkedIn. Visit https://shop.example.com/offers
Unsubscribe: https://shop.example.com/unsubscribe
"""
PROFILES = """\
- id: p1
  first_name: Ann
  last_name: Lee
  timezone: America/New_York
  status: active
  last_verified: 2026-01-10
  contact_points:
    email: [{value: ann.lee@example.org, source: customer, status: valid}]
    sms: [{value: "+1 614 555 0102", source: customer, status: valid}]
  consents:
    email: {status: granted, purposes: [marketing]}
    sms: {status: granted, purposes: [marketing]}
  notes: Difficult caller, threatened to cancel
"""
CHILD = """
import json, socket, sys

attempts = []

def refuse(*args, **kwargs):
    # Libraries may swallow the error and fall back (tldextract does): record it too.
    attempts.append(repr(args[:2]))
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
socket.gethostbyname = refuse

import creepcheck
from creepcheck.text.pii import find_pii

found = [e.kind for e in find_pii("Mail tom@example.org or call +1 212 555 0100", "en")]
result = creepcheck.check([sys.argv[1]])
print(json.dumps({"attempts": attempts, "pii": found, "rules": sorted({f.rule for f in result.findings}),
                  "messages": len(result.messages)}))
"""


def test_a_full_check_runs_without_network(tmp_path: Path) -> None:
    (tmp_path / "campaign.yaml").write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "email.txt.j2").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "profiles.yaml").write_text(PROFILES, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["attempts"] == []
    assert out["pii"] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert {"pii-leak", "unlisted-contact-point"} <= set(out["rules"])
    assert out["messages"] == 2
