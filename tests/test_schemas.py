"""The schemas of creepcheck's files: what editors get, what they accept, the reference."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from creepcheck.cli import main
from creepcheck.loaders import profile_schema, profile_values
from creepcheck.models import (
    AUDIENCES,
    CHANNELS,
    CONSENT_STATUSES,
    CONTACT_SOURCES,
    LANGUAGES,
    PROFILE_STATUSES,
    PURPOSES,
)
from creepcheck.rules.registry import RULES
from creepcheck.schemas import KINDS, editor_schema, schema
from creepcheck.schemas.reference import reference_markdown
from tests.paths import REPO_ROOT, SAMPLE_CAMPAIGNS

PACKAGE = REPO_ROOT / "creepcheck"


def printed(kind: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def as_editors_read(path: Path) -> Any:
    """A YAML file as a YAML language server hands it to a JSON Schema: dates as text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, date) else value

    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def errors(kind: str, data: Any) -> list[str]:
    validator = Draft202012Validator(printed(kind))
    return [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize("kind", KINDS)
def test_printed_schemas_are_valid_draft_2020_12_without_our_own_keys(kind: str) -> None:
    data = printed(kind)
    Draft202012Validator.check_schema(data)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "x-expected" not in json.dumps(data) and "x-kind" not in json.dumps(data)


def test_the_printed_campaign_schema_accepts_every_sample_campaign() -> None:
    campaigns = sorted(SAMPLE_CAMPAIGNS.glob("*/campaign.yaml"))
    scaffold = sorted((PACKAGE / "scaffold" / "campaigns").rglob("campaign.yaml"))
    assert len(campaigns) >= 3 and scaffold
    for path in campaigns + scaffold:
        assert errors("campaign", as_editors_read(path)) == [], path


def test_the_printed_campaign_schema_rejects_a_broken_campaign() -> None:
    broken = as_editors_read(SAMPLE_CAMPAIGNS / "spring-sale" / "campaign.yaml")
    broken["messages"][0]["channel"] = "fax"
    broken["purpse"] = "marketing"
    del broken["id"]
    found = errors("campaign", broken)
    assert len(found) == 3
    assert any("'fax' is not one of" in e for e in found)
    assert any("'purpse' was unexpected" in e for e in found)
    assert any("'id' is a required property" in e for e in found)


def test_the_new_campaign_keys_of_issue_14_are_accepted_and_checked() -> None:
    campaign = {
        "id": "c",
        "engine": "liquid",
        "profiles": {"database": "crm.duckdb", "query": "select * from customers"},
        "messages": [{"channel": "email", "template": "e.hbs", "engine": "handlebars"}],
    }
    assert errors("campaign", campaign) == []
    assert errors("campaign", {**campaign, "profiles": "exports/customers.parquet"}) == []
    assert errors("campaign", {**campaign, "engine": "mustache"}) != []
    assert errors("campaign", {**campaign, "profiles": {"database": "crm.duckdb"}}) != []
    assert errors("config", {"profiles": {"database": "a.duckdb", "query": "select 1"}}) == []


def test_the_printed_policy_schema_accepts_every_shipped_policy_and_knows_the_rules() -> None:
    policies = [
        *(PACKAGE / "policy" / "presets").glob("*.yaml"),
        REPO_ROOT / "policies" / "house.yaml",
        PACKAGE / "scaffold" / "policies" / "house.yaml",
    ]
    for path in policies:
        assert errors("policy", as_editors_read(path)) == [], path
    rules = printed("policy")["properties"]["rules"]["properties"]
    assert {r.name for r in RULES} | {r.code for r in RULES} == set(rules)
    assert errors("policy", {"rules": {"purchase-recall": {"max_itemz": 1}}}) != []
    assert errors("policy", {"rules": {"CC301": {"severity": "loud"}}}) != []


def test_the_printed_config_and_profile_schemas_accept_the_samples() -> None:
    for path in (SAMPLE_CAMPAIGNS / "creepcheck.yaml", PACKAGE / "scaffold" / "creepcheck.yaml"):
        assert errors("config", as_editors_read(path)) == [], path
    profiles = [
        profile
        for path in sorted(SAMPLE_CAMPAIGNS.glob("*/profiles.yaml"))
        for profile in as_editors_read(path)
    ]
    assert len(profiles) > 10
    for profile in profiles:
        assert errors("profile", profile) == [], profile["id"]
    assert errors("profile", {"id": "p", "status": "gone"}) != []
    assert errors("profile", {"first_name": "Ana"}) != []  # no id


def test_the_schemas_agree_with_the_vocabulary_the_code_uses() -> None:
    campaign, profile, policy = schema("campaign"), schema("profile"), schema("policy")
    props = campaign["properties"]
    assert tuple(campaign["$defs"]["message"]["properties"]["channel"]["enum"]) == CHANNELS
    assert (tuple(props["purpose"]["enum"]), tuple(props["audience"]["enum"])) == (
        PURPOSES,
        AUDIENCES,
    )
    assert tuple(props["language"]["enum"]) == LANGUAGES
    assert tuple(profile["properties"]["status"]["enum"]) == PROFILE_STATUSES
    point = profile["$defs"]["contact_point"]["properties"]
    assert tuple(point["source"]["enum"]) == CONTACT_SOURCES
    assert tuple(point["status"]["enum"]) == profile_values.CONTACT_STATUSES
    assert tuple(point["kind"]["enum"]) == profile_values.CONTACT_KINDS
    assert tuple(profile["$defs"]["consent"]["properties"]["status"]["enum"]) == CONSENT_STATUSES
    assert (*CHANNELS, "postal") == profile_schema.CONTACT_CHANNELS
    assert "purchases" in profile_schema.TOP_FIELDS and "id" not in profile_schema.TOP_FIELDS
    channels = policy["$defs"]["consent_by_channel"]["propertyNames"]["enum"]
    assert tuple(channels) == ("*", *CHANNELS)


def test_the_committed_reference_page_is_the_one_the_schemas_make() -> None:
    committed = (REPO_ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), (
        "docs/reference.md is out of date: run "
        "`python -m creepcheck schema --markdown > docs/reference.md`"
    )


def test_the_reference_lists_every_key_of_every_schema() -> None:
    page = reference_markdown()
    for kind in KINDS:
        data = editor_schema(kind)
        nodes = [data, *data.get("$defs", {}).values()]
        for node in nodes:
            for name in node.get("properties", {}):
                assert f"{name}`**" in page or f"{name} /" in page, (kind, name)
    for needle in (
        "contact_points.email.0.value",  # the CSV column form
        "purchases[].store",
        "behavior[].event",
        "messages[].body",
        "messages[].template",
        "# yaml-language-server: $schema=",
        "rules.purchase-recall / CC301.max_items",
    ):
        assert needle in page, needle


def test_schema_without_a_kind_names_the_kinds_and_exits_2() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 2
    assert "campaign, policy, config or profile" in result.output
    one = CliRunner().invoke(main, ["schema", "profile", "--markdown"])
    assert one.exit_code == 0 and one.output.startswith("## Profile records")


def test_explain_a_kind_of_file_lists_its_keys() -> None:
    result = CliRunner().invoke(main, ["explain", "campaign"])
    assert result.exit_code == 0
    assert "**`messages[].template`**" in result.output
    assert "**`waivers[].approved_by`**" in result.output
    rule = CliRunner().invoke(main, ["explain", "CC301"])
    assert rule.exit_code == 0 and rule.output.startswith("CC301 purchase-recall")


def test_readme_docs_and_scaffold_point_at_nothing_outside_the_repository() -> None:
    texts = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *(REPO_ROOT / "docs").glob("*.md")]
    texts += [p for p in (PACKAGE / "scaffold").rglob("*") if p.is_file()]
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "SPEC" not in text, path
