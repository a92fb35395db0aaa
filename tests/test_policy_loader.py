"""Loading policies: extends chains, merge order, origins, cycles, presets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from creepcheck.errors import PolicyError
from creepcheck.models import CHANNELS, PHONE_CHANNELS, SENSITIVE_CATEGORIES, Severity
from creepcheck.policy import (
    ConsentAllowance,
    ConsentRule,
    FieldClass,
    builtin_policies,
    load_policy,
)
from creepcheck.rules import RULES

REPO = Path(__file__).resolve().parents[1]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def messages(spec: str, base_dir: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(spec, base_dir)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture()
def chain(tmp_path: Path) -> Path:
    """builtin:default -> policies/base.yaml -> policies/team.yaml."""
    write(
        tmp_path,
        "policies/base.yaml",
        """
        extends: builtin:default
        rules:
          purchase-recall: {max_items: 2, forbid: [date, price]}
          channel-blast: {max_channels: 2}
          missing-data: {severity: off}
        consent:
          marketing: {sms: [granted, implied]}
        fields:
          inferred.pregnancy_score: {category: pregnancy, inferred: true}
        categories:
          pregnancy: {en: [due date]}
        """,
    )
    write(
        tmp_path,
        "policies/team.yaml",
        """
        extends: [base.yaml]
        rules:
          CC301: {max_items: 0}
          channel-blast: {severity: error}
        consent:
          marketing: {sms: [granted]}
        """,
    )
    return tmp_path


def test_chain_merges_base_first(chain: Path) -> None:
    policy = load_policy("policies/team.yaml", chain)
    assert policy.files == ("builtin:default", "policies/base.yaml", "policies/team.yaml")
    recall = policy.rule("purchase-recall")
    assert recall.options["max_items"] == 0  # team overrides base
    assert recall.options["forbid"] == ("date", "price")  # from base, list replaced whole
    blast = policy.rule("channel-blast")
    assert blast.severity is Severity.ERROR
    assert blast.options["max_channels"] == 2
    assert not policy.rule("missing-data").enabled
    assert policy.consent["marketing"]["sms"] == ConsentRule(allow=(ConsentAllowance("granted"),))
    assert policy.consent["marketing"]["*"] == ConsentRule(allow=(ConsentAllowance("granted"),))
    assert policy.consent["transactional"]["*"] == ConsentRule(any=True)
    assert policy.fields == {"inferred.pregnancy_score": FieldClass("pregnancy", inferred=True)}
    assert policy.categories == {"pregnancy": {"en": ("due date",)}}


def test_chain_origins(chain: Path) -> None:
    origins = load_policy("policies/team.yaml", chain).origins
    assert origins["rules.purchase-recall.max_items"] == "policies/team.yaml"
    assert origins["rules.purchase-recall.forbid"] == "policies/base.yaml"
    assert origins["rules.channel-blast.max_channels"] == "policies/base.yaml"
    assert origins["rules.channel-blast.severity"] == "policies/team.yaml"
    assert origins["rules.missing-data.severity"] == "policies/base.yaml"
    assert origins["consent.marketing.sms"] == "policies/team.yaml"
    assert origins["consent.marketing.*"] == "builtin:default"
    assert origins["consent.service.*"] == "builtin:default"
    assert origins["fields.inferred.pregnancy_score"] == "policies/base.yaml"
    assert origins["categories.pregnancy.en"] == "policies/base.yaml"
    assert "rules.stale-record.max_age_days" not in origins  # a rule default


def test_every_rule_is_present_with_defaults(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", "rules: {stale-record: {max_age_days: 90}}\n")
    policy = load_policy("p.yaml", tmp_path)
    assert list(policy.rules) == [rule.name for rule in RULES]
    for rule in RULES:
        config = policy.rule(rule.name)
        assert config.severity is rule.default_severity
        expected = {
            k: tuple(o.default) if isinstance(o.default, list) else o.default
            for k, o in rule.options.items()
        }
        if rule.name == "stale-record":
            expected["max_age_days"] = 90
        assert dict(config.options) == expected


def test_code_keys_and_case(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", "rules:\n  CC301: {max_items: 3}\n  cc402: {severity: ERROR}\n")
    policy = load_policy("p.yaml", tmp_path)
    assert policy.rule("purchase-recall").options["max_items"] == 3
    assert policy.rule("stale-record").severity is Severity.ERROR
    assert policy.origins["rules.purchase-recall.max_items"] == "p.yaml"


def test_times_are_normalised(tmp_path: Path) -> None:
    # Unquoted, 21:00 is the time (YAML 1.1 alone would read the base-60 number 1260).
    write(tmp_path, "p.yaml", 'rules:\n  quiet-hours: {start: "9:30", end: 21:00}\n')
    options = load_policy("p.yaml", tmp_path).rule("quiet-hours").options
    assert (options["start"], options["end"]) == ("09:30", "21:00")


def test_a_number_is_not_a_time(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", "rules:\n  quiet-hours: {start: 800}\n")
    with pytest.raises(PolicyError) as raised:
        load_policy("p.yaml", tmp_path)
    assert "quiet-hours.start" in str(raised.value)


def test_empty_file_is_an_empty_policy(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", "# nothing yet\n")
    policy = load_policy("p.yaml", tmp_path)
    assert policy.files == ("p.yaml",)
    assert policy.consent == {}


def test_shared_base_is_merged_once(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", "extends: [builtin:gdpr, builtin:us]\n")
    policy = load_policy("p.yaml", tmp_path)
    assert policy.files == ("builtin:default", "builtin:gdpr", "builtin:us", "p.yaml")
    # us comes after gdpr, and default is not re-applied between them
    assert policy.rule("suppressed-recipient").options["min_age"] == 13
    assert policy.origins["rules.suppressed-recipient.min_age"] == "builtin:us"


def test_absolute_and_nested_paths(tmp_path: Path) -> None:
    write(tmp_path, "common/base.yaml", "rules: {channel-blast: {max_channels: 1}}\n")
    team = write(tmp_path, "teams/a/team.yaml", "extends: ../../common/base.yaml\n")
    policy = load_policy(team, tmp_path)
    assert policy.files == ("common/base.yaml", "teams/a/team.yaml")
    assert policy.rule("channel-blast").options["max_channels"] == 1


# -- extends errors --------------------------------------------------------------------


def test_cycle_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "rules: {}\nextends: [a.yaml]\n")
    assert messages("a.yaml", tmp_path) == ["a.yaml:1: extends: cycle a.yaml -> b.yaml -> a.yaml"]
    assert messages("b.yaml", tmp_path) == ["b.yaml:2: extends: cycle b.yaml -> a.yaml -> b.yaml"]


def test_three_file_cycle_reached_from_outside(tmp_path: Path) -> None:
    write(tmp_path, "top.yaml", "extends: a.yaml\n")
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: c.yaml\n")
    write(tmp_path, "c.yaml", "\nextends: [builtin:default, a.yaml]\n")
    assert messages("top.yaml", tmp_path) == [
        "a.yaml:1: extends: cycle a.yaml -> b.yaml -> c.yaml -> a.yaml"
    ]


def test_self_extension(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: a.yaml\n")
    assert messages("a.yaml", tmp_path) == ["a.yaml:1: extends: cycle a.yaml -> a.yaml"]


def test_missing_extended_file(tmp_path: Path) -> None:
    write(
        tmp_path, "team.yaml", "description: Team\nextends:\n  - builtin:default\n  - base.yaml\n"
    )
    assert messages("team.yaml", tmp_path) == [
        'team.yaml:4: extends: policy file "base.yaml" not found'
    ]


def test_unknown_builtin(tmp_path: Path) -> None:
    write(tmp_path, "team.yaml", "extends: [builtin:strct, builtin:nope]\n")
    assert messages("team.yaml", tmp_path) == [
        'team.yaml:1: extends: unknown built-in policy "builtin:strct" '
        '(did you mean "builtin:strict"?)',
        'team.yaml:1: extends: unknown built-in policy "builtin:nope" (expected one of: '
        "builtin:default, builtin:strict, builtin:casl, builtin:gdpr, builtin:us)",
    ]


def test_bad_extends_value(tmp_path: Path) -> None:
    write(tmp_path, "team.yaml", "extends:\n  - builtin:default\n  - 3\n")
    assert messages("team.yaml", tmp_path) == [
        'team.yaml:3: extends[1]: expected a policy file or "builtin:NAME", got 3'
    ]


def test_top_level_spec_errors(tmp_path: Path) -> None:
    assert messages("policies/missing.yaml", tmp_path) == [
        "policies/missing.yaml: policy file not found"
    ]
    assert messages("builtin:gpdr", tmp_path) == [
        'builtin:gpdr: unknown built-in policy (did you mean "builtin:gdpr"?)'
    ]


def test_yaml_syntax_error_in_extended_file(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "rules: [\n")
    write(tmp_path, "team.yaml", "extends: base.yaml\nrules: {nope: {}}\n")
    problems = messages("team.yaml", tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("base.yaml:2: invalid YAML")
    assert problems[1] == (
        'team.yaml:2: rules: unknown rule "nope" '
        '(expected a rule slug or code; "creepcheck rules" lists them)'
    )


# -- presets --------------------------------------------------------------------------


def test_builtin_policies_listed_with_descriptions() -> None:
    listed = builtin_policies()
    assert [name for name, _ in listed] == ["default", "strict", "casl", "gdpr", "us"]
    assert all(description and "\n" not in description for _, description in listed)


@pytest.mark.parametrize("name", [f"builtin:{name}" for name, _ in builtin_policies()])
def test_every_preset_loads_alone(name: str, tmp_path: Path) -> None:
    policy = load_policy(name, tmp_path)
    assert policy.files[0] == "builtin:default"
    assert policy.files[-1] == name


def test_default_preset() -> None:
    policy = load_policy("builtin:default", Path("."))
    granted = ConsentRule(allow=(ConsentAllowance("granted"),))
    for channel in CHANNELS:
        assert policy.consent_for("marketing", channel) == granted
        assert policy.consent_for("transactional", channel).any
        assert policy.consent_for("service", channel).any
    assert all(policy.rule(r.name).severity is r.default_severity for r in RULES)


def test_strict_preset() -> None:
    policy = load_policy("builtin:strict", Path("."))
    assert all(config.severity is Severity.ERROR for config in policy.rules.values())
    assert policy.rule("channel-blast").options["max_channels"] == 1
    assert policy.rule("purchase-recall").options["max_items"] == 0
    assert policy.rule("specificity-budget").options["max_facts"] == 2
    assert policy.rule("stale-record").options["max_age_days"] == 365
    assert policy.rule("suppressed-recipient").options["min_age"] == 18
    quiet = policy.rule("quiet-hours").options
    assert (quiet["start"], quiet["end"]) == ("09:00", "20:00")
    assert set(quiet["channels"]) == set(PHONE_CHANNELS)


def test_gdpr_preset() -> None:
    policy = load_policy("builtin:gdpr", Path("."))
    granted = ConsentRule(allow=(ConsentAllowance("granted"),))
    assert all(policy.consent["marketing"][channel] == granted for channel in CHANNELS)
    inference = policy.rule("sensitive-inference")
    assert inference.severity is Severity.ERROR
    assert inference.options["categories"] == ()  # every category, Art. 9 ones included
    assert {"genetic", "biometric"} <= set(policy.categories)
    assert {"health", "religion", "ethnicity", "sexual_orientation"} <= set(SENSITIVE_CATEGORIES)
    assert policy.rule("suppressed-recipient").options["min_age"] == 16
    assert policy.rule("stale-record").options["max_age_days"] == 730


def test_us_preset() -> None:
    policy = load_policy("builtin:us", Path("."))
    email = policy.consent_for("marketing", "email")
    assert [a.status for a in email.allow] == ["granted", "implied", "none"]
    assert email.allowance("denied") is None and email.allowance("withdrawn") is None
    for channel in ("phone", "sms", "whatsapp"):
        assert policy.consent_for("marketing", channel) == ConsentRule(
            allow=(ConsentAllowance("granted"),)
        )
    assert policy.rule("missing-opt-out").severity is Severity.ERROR
    quiet = policy.rule("quiet-hours").options
    assert (tuple(quiet["channels"]), quiet["start"], quiet["end"]) == (
        ("phone", "sms", "whatsapp"),
        "08:00",
        "21:00",
    )
    assert policy.rule("suppressed-recipient").options["min_age"] == 13


def test_casl_preset() -> None:
    policy = load_policy("builtin:casl", Path("."))
    for channel in CHANNELS:
        rule = policy.consent_for("marketing", channel)
        assert rule.allowance("granted") == ConsentAllowance("granted")
        implied = rule.allowance("implied")
        assert implied is not None
        assert dict(implied.lapses_after_days) == {"purchase": 730, "inquiry": 183}
        assert rule.allowance("none") is None
    assert policy.rule("missing-opt-out").severity is Severity.ERROR


def test_overlays_stack_on_strict(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", "extends: [builtin:strict, builtin:casl]\n")
    policy = load_policy("p.yaml", tmp_path)
    assert policy.rule("purchase-recall").options["max_items"] == 0
    assert policy.origins["consent.marketing.email"] == "builtin:casl"


def test_example_house_policy_loads() -> None:
    policy = load_policy("policies/house.yaml", REPO)
    assert policy.files == ("builtin:default", "builtin:gdpr", "policies/house.yaml")
    assert policy.fields["attributes.loyalty_tier"] == FieldClass("loyalty")
    assert "loyalty" in policy.categories


def test_not_sensitive_removes_built_in_phrases(tmp_path: Path) -> None:
    from creepcheck.text import TextAnalyzer

    write(tmp_path, "team.yaml", "extends: [builtin:default]\nnot_sensitive:\n  en: [fasting]\n")
    policy = load_policy("team.yaml", tmp_path)
    assert policy.not_sensitive == {"en": ("fasting",)}

    def said(analyzer: TextAnalyzer, text: str) -> list[str]:
        found = analyzer._analyze_text_uncached(text, "en")._terms
        return [term.category for term in found if term.reader]

    plain = TextAnalyzer(load_policy("builtin:default", tmp_path))
    trimmed = TextAnalyzer(policy)
    text = "Fasting again this week? Our app counts the hours for you."
    assert said(plain, text) == ["religion"]
    assert said(trimmed, text) == []
    # a longer phrase that contains the removed one is still read
    assert said(trimmed, "Breaking your fast tonight? Dates are 2 for 1.") == ["religion"]


def test_not_sensitive_accepts_only_languages_and_phrases(tmp_path: Path) -> None:
    write(tmp_path, "team.yaml", "not_sensitive:\n  fr: [jeûne]\n  en: fasting\n")
    found = messages("team.yaml", tmp_path)
    assert any("team.yaml:2" in m and "fr" in m for m in found), found
    assert any("team.yaml:3" in m and "list" in m for m in found), found
