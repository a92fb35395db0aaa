"""Run one rule on a snippet: a template, a profile and options, rendered for real.

The per-rule YAML cases (tests/rules/*.yaml) and rule unit tests use this to build the
same subjects the engine builds, without writing a campaign repository.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from creepcheck.loaders.contacts import choose_destination
from creepcheck.models import Campaign, Finding, MessageSpec, Profile
from creepcheck.render import Renderer
from creepcheck.rules.base import (
    DeliverySubject,
    MessageSubject,
    ProfileSubject,
    Rule,
    RunContext,
    TemplateSubject,
)

CLEAN_PROFILE: dict[str, Any] = {
    "id": "p-clean",
    "first_name": "Jane",
    "last_name": "Doe",
    "timezone": "America/Toronto",
    "status": "active",
    "last_verified": "2026-01-10",
    "do_not_contact": False,
    "erasure_requested": False,
    "contact_points": {
        "email": [
            {
                "value": "jane@example.org",
                "source": "customer",
                "kind": "personal",
                "status": "valid",
            }
        ],
        "sms": [
            {
                "value": "+1 416 555 0199",
                "source": "customer",
                "kind": "personal",
                "status": "valid",
            }
        ],
        "push": [{"value": "device-token-1", "source": "customer", "status": "valid"}],
        "postal": [{"value": "1 Example Street, Toronto", "source": "customer", "status": "valid"}],
    },
    "consents": {
        channel: {"status": "granted", "purposes": ["marketing", "service"], "at": "2025-01-01"}
        for channel in ("email", "sms", "phone", "push", "whatsapp", "direct_mail", "in_app")
    },
}


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def make_campaign(
    tmp: Path,
    channel: str,
    template: str | None,
    *,
    subject: str | None = None,
    html: bool = False,
    **fields: Any,
) -> Campaign:
    """A one-message campaign in `tmp`; the template is written to a file."""
    spec_template = None
    if template is not None:
        spec_template = "message.html.j2" if html else "message.txt.j2"
        (tmp / spec_template).write_text(template, encoding="utf-8")
    send_at = fields.pop("send_at", "2026-03-02T15:00:00Z")
    if not isinstance(send_at, datetime):
        send_at = datetime.fromisoformat(str(send_at).replace("Z", "+00:00"))
    if send_at.tzinfo is None:
        send_at = send_at.replace(tzinfo=timezone.utc)
    spec = MessageSpec(0, channel, subject=subject, template=spec_template, line=3)
    base = {
        "id": "test-campaign",
        "name": "Test",
        "purpose": "marketing",
        "audience": "b2c",
        "language": "en",
    }
    base.update(fields)
    raw = {**base, "send_at": send_at.isoformat()}
    return Campaign(
        path=tmp / "campaign.yaml", messages=(spec,), send_at=send_at, line=1, raw=raw, **base
    )


def run_rule(
    rule: Rule,
    tmp: Path,
    *,
    template: str | None = None,
    subject: str | None = None,
    profile: Mapping[str, Any] | None = None,
    channel: str = "email",
    html: bool = False,
    run: RunContext,
    **campaign_fields: Any,
) -> list[Finding]:
    """Every finding `rule` reports for one profile and one message, by the rule's scopes."""
    data = deep_merge(CLEAN_PROFILE, profile or {})
    person = Profile(str(data.get("id", "p-clean")), data, "profiles.yaml", 1)
    campaign = make_campaign(tmp, channel, template, subject=subject, html=html, **campaign_fields)
    spec = campaign.messages[0]
    renderer = Renderer(tmp, display_root=tmp)
    compiled = renderer.compile_message(campaign, spec)
    findings: list[Finding] = []
    scopes = rule.scopes
    if "template" in scopes:
        for part in compiled.parts:
            findings += rule.check(
                TemplateSubject(
                    campaign, spec, run, part.file, part.source, part.ast, part.line_offset
                )
            )
    destination = choose_destination(person, channel)
    if destination is not None and ("delivery" in scopes or "message" in scopes):
        base = dict(
            campaign=campaign,
            spec=spec,
            profile=person,
            run=run,
            destination=destination.point,
            destination_channel=destination.listed_under,
            deliverable=destination.deliverable,
        )
        if "delivery" in scopes:
            findings += rule.check(DeliverySubject(**base))
        if "message" in scopes and destination.deliverable:
            rendered = renderer.render(compiled, person, campaign)
            findings += rule.check(MessageSubject(**base, rendered=rendered))
    if "profile" in scopes:
        reached = (channel,) if destination is not None else ()
        findings += rule.check(ProfileSubject(campaign, person, run, reached))
    return findings
