"""Every policy validation message, word for word: policy text -> problems."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creepcheck.errors import PolicyError, UserError
from creepcheck.policy import load_policy


def problems(tmp_path: Path, text: str, name: str = "policies/house.yaml") -> list[str]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(name, tmp_path)
    return [str(problem) for problem in caught.value.problems]


H = "policies/house.yaml"

CASES: list[tuple[str, str, list[str]]] = [
    (
        "spec example: bad integer",
        """
        extends: builtin:default
        rules:
          purchase-recall:
            max_items: two
        """,
        [f'{H}:4: rules.purchase-recall.max_items: expected an integer ≥ 0, got "two"'],
    ),
    (
        "spec example: unknown rule",
        """
        extends: builtin:default
        description: House rules
        rules:
          purchase-recal: {max_items: 1}
        """,
        [f'{H}:4: rules: unknown rule "purchase-recal" (did you mean "purchase-recall"?)'],
    ),
    (
        "unknown rule code and unknown rule without a close match",
        "rules:\n  CC31: {}\n  zzz: {}\n",
        [
            f'{H}:2: rules: unknown rule "CC31" (did you mean "CC301"?)',
            f'{H}:3: rules: unknown rule "zzz" (expected a rule slug or code; '
            '"creepcheck rules" lists them)',
        ],
    ),
    (
        "unknown top-level keys",
        "rule: {}\nwhatever: 1\n",
        [
            f'{H}:1: unknown key "rule" (did you mean "rules"?)',
            f'{H}:2: unknown key "whatever" (expected one of: extends, description, rules, '
            "consent, fields, categories, not_sensitive)",
        ],
    ),
    (
        "not a mapping",
        "- rules\n",
        [f"{H}:1: expected a mapping of policy keys, got a list"],
    ),
    (
        "section not a mapping",
        "rules: [purchase-recall]\nconsent: any\n",
        [
            f"{H}:1: rules: expected a mapping, got a list",
            f'{H}:2: consent: expected a mapping, got "any"',
        ],
    ),
    (
        "rule value not a mapping",
        "rules:\n  missing-data: off\n",
        [
            f"{H}:2: rules.missing-data: expected a mapping of options such as "
            '{severity: error}, got "off"'
        ],
    ),
    (
        "the same rule by slug and by code",
        "rules:\n  purchase-recall: {}\n  CC301: {}\n",
        [f'{H}:3: rules: rule purchase-recall is set twice (as "purchase-recall" and "CC301")'],
    ),
    (
        "unknown option",
        "rules:\n  purchase-recall: {max_item: 1}\n  pii-leak: {fields: [notes]}\n",
        [
            f'{H}:2: rules.purchase-recall: unknown option "max_item" (did you mean "max_items"?)',
            f'{H}:3: rules.pii-leak: unknown option "fields" (expected one of: severity, '
            "internal_fields)",
        ],
    ),
    (
        "unknown severity",
        "rules:\n  missing-data: {severity: warn}\n  pii-leak: {severity: fatal}\n"
        "  stale-record: {severity: 3}\n",
        [
            f'{H}:2: rules.missing-data.severity: unknown severity "warn" '
            '(did you mean "warning"?)',
            f'{H}:3: rules.pii-leak.severity: unknown severity "fatal" '
            "(expected one of: error, warning, info, off)",
            f"{H}:4: rules.stale-record.severity: expected error, warning, info or off, got 3",
        ],
    ),
    (
        "integer minimum and type",
        "rules:\n  channel-blast: {max_channels: 0}\n  stale-record: {max_age_days: 1.5}\n"
        "  suppressed-recipient: {min_age: true}\n",
        [
            f"{H}:2: rules.channel-blast.max_channels: expected an integer ≥ 1, got 0",
            f"{H}:3: rules.stale-record.max_age_days: expected an integer ≥ 0, got 1.5",
            f"{H}:4: rules.suppressed-recipient.min_age: expected an integer ≥ 0, got true",
        ],
    ),
    (
        "bool",
        "rules:\n  unlisted-contact-point: {b2b_personal: sometimes}\n",
        [
            f"{H}:2: rules.unlisted-contact-point.b2b_personal: "
            'expected true or false, got "sometimes"'
        ],
    ),
    (
        "time",
        'rules:\n  quiet-hours:\n    start: "8am"\n    end: "24:00"\n',
        [
            f'{H}:3: rules.quiet-hours.start: expected a time "HH:MM", got "8am"',
            f'{H}:4: rules.quiet-hours.end: expected a time "HH:MM", got "24:00"',
        ],
    ),
    (
        "list of strings",
        "rules:\n  pii-leak: {internal_fields: notes}\n  missing-opt-out:\n    stop_words:\n"
        "      - STOP\n      - 3\n",
        [
            f'{H}:2: rules.pii-leak.internal_fields: expected a list of strings, got "notes"',
            f"{H}:6: rules.missing-opt-out.stop_words[1]: expected a string, got 3",
        ],
    ),
    (
        "list of choices",
        "rules:\n  quiet-hours: {channels: sms}\n  purchase-recall:\n    forbid:\n"
        "      - date\n      - prise\n"
        "  unlisted-contact-point: {allowed_sources: [customer, crm]}\n",
        [
            f"{H}:2: rules.quiet-hours.channels: expected a list of channels (email, sms, phone, "
            'push, in_app, direct_mail, whatsapp, social), got "sms"',
            f'{H}:6: rules.purchase-recall.forbid[1]: unknown value "prise" '
            '(did you mean "price"?)',
            f'{H}:7: rules.unlisted-contact-point.allowed_sources[1]: unknown source "crm" '
            "(expected one of: customer, web_form, purchase, support, enrichment, data_broker, "
            "social_scrape, inferred, unknown)",
        ],
    ),
    (
        "unknown purpose, channel and status",
        """
        consent:
          marketting: {email: any}
          marketing:
            e-mail: [granted]
            sms: [granter]
            push: granted
        """,
        [
            f'{H}:2: consent: unknown purpose "marketting" (did you mean "marketing"?)',
            f'{H}:4: consent.marketing: unknown channel "e-mail" (did you mean "email"?)',
            f'{H}:5: consent.marketing.sms[0]: unknown consent status "granter" '
            '(did you mean "granted"?)',
            f'{H}:6: consent.marketing.push: expected "any" or a list of consent statuses, '
            'got "granted"',
        ],
    ),
    (
        "implied consent with lapse periods",
        """
        consent:
          marketing:
            email:
              - granted
              - {status: implid, lapses_after_days: {purchases: 730, inquiry: 0}}
              - {lapse: 3}
              - 7
        """,
        [
            f'{H}:5: consent.marketing.email[1].status: unknown consent status "implid" '
            '(did you mean "implied"?)',
            f'{H}:5: consent.marketing.email[1].lapses_after_days: unknown event "purchases" '
            '(did you mean "purchase"?)',
            f"{H}:5: consent.marketing.email[1].lapses_after_days.inquiry: "
            "expected an integer ≥ 1, got 0",
            f'{H}:6: consent.marketing.email[2]: unknown key "lapse" '
            "(expected one of: status, lapses_after_days)",
            f'{H}:6: consent.marketing.email[2]: missing "status"',
            f"{H}:7: consent.marketing.email[3]: expected a consent status or {{status: ...}}, "
            "got 7",
        ],
    ),
    (
        "fields",
        """
        fields:
          inferred.score: {category: pregnacy, inferrd: true}
          attributes.x: {inferred: maybe}
          attributes.y: health
          attributes.z: {category: [health]}
        """,
        [
            f'{H}:2: fields.inferred.score: unknown key "inferrd" (did you mean "inferred"?)',
            f'{H}:2: fields.inferred.score.category: unknown category "pregnacy" '
            '(did you mean "pregnancy"?)',
            f'{H}:3: fields.attributes.x: missing "category"',
            f'{H}:3: fields.attributes.x.inferred: expected true or false, got "maybe"',
            f"{H}:4: fields.attributes.y: expected a mapping such as {{category: health}}, "
            'got "health"',
            f"{H}:5: fields.attributes.z.category: expected a category name, got a list",
        ],
    ),
    (
        "categories",
        """
        categories:
          gambling: {en: [betting], de: [wetten], ru: ставки}
          Bad Name: {en: [x]}
        fields:
          attributes.bets: {category: gambling}
          attributes.faith: {category: religon}
        rules:
          sensitive-inference: {categories: [gambling, helth]}
        """,
        [
            f'{H}:2: categories.gambling: unknown language "de" (expected one of: en, ru)',
            f'{H}:2: categories.gambling.ru: expected a list of strings, got "ставки"',
            f'{H}:3: categories: expected a category name like financial_hardship, got "Bad Name"',
            f'{H}:6: fields.attributes.faith.category: unknown category "religon" '
            '(did you mean "religion"?)',
            f'{H}:8: rules.sensitive-inference.categories[1]: unknown category "helth" '
            '(did you mean "health"?)',
        ],
    ),
    (
        "description",
        "description: [a, b]\n",
        [f"{H}:1: description: expected a string, got a list"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_messages(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert problems(tmp_path, text) == expected


def test_category_defined_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("categories:\n  gambling: {en: [betting]}\n")
    (tmp_path / "team.yaml").write_text(
        "extends: base.yaml\nfields:\n  attributes.bets: {category: gambling}\n"
    )
    policy = load_policy("team.yaml", tmp_path)
    assert policy.fields["attributes.bets"].category == "gambling"


def test_problems_from_every_file_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/base.yaml").write_text("rules:\n  channel-blast: {max_channels: -1}\n")
    (tmp_path / "policies/team.yaml").write_text("extends: [base.yaml]\nrules:\n  nope: {}\n")
    assert problems(tmp_path, "extends: [team.yaml]\nfields: {a: {category: x}}\n") == [
        "policies/base.yaml:2: rules.channel-blast.max_channels: expected an integer ≥ 1, got -1",
        'policies/team.yaml:3: rules: unknown rule "nope" (expected a rule slug or code; '
        '"creepcheck rules" lists them)',
        f'{H}:2: fields.a.category: unknown category "x" (expected one of: health, pregnancy, '
        "sexual_orientation, religion, ethnicity, political_opinion, trade_union, "
        "financial_hardship, criminal_record, disability, bereavement, divorce, job_loss, "
        "weight)",
    ]


def test_policy_error_is_a_user_error_with_one_line_per_problem(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("rule: {}\nrules: {x: {}}\n")
    with pytest.raises(UserError) as caught:
        load_policy("p.yaml", tmp_path)
    assert str(caught.value).splitlines() == [
        'p.yaml:1: unknown key "rule" (did you mean "rules"?)',
        'p.yaml:2: rules: unknown rule "x" (expected a rule slug or code; '
        '"creepcheck rules" lists them)',
    ]


def test_duplicate_key_and_yaml_errors_come_from_the_yaml_loader(tmp_path: Path) -> None:
    found = problems(tmp_path, "rules: {}\nrules: {}\n")
    assert found == [
        f'{H}:2: duplicate key "rules" (first on line 1): each key may appear once in a mapping'
    ]


_scalars = st.none() | st.booleans() | st.integers(-5, 5000) | st.floats(allow_nan=False)
_names = st.sampled_from(
    [
        "rules",
        "consent",
        "fields",
        "categories",
        "extends",
        "description",
        "severity",
        "purchase-recall",
        "CC105",
        "quiet-hours",
        "max_items",
        "channels",
        "start",
        "marketing",
        "email",
        "*",
        "status",
        "lapses_after_days",
        "purchase",
        "category",
        "inferred",
        "en",
        "pregnancy",
        "any",
        "granted",
        "implied",
        "off",
        "builtin:default",
        "x",
    ]
)
_values = st.recursive(
    _scalars | _names,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_names | st.integers(0, 3) | st.booleans(), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(_names, _values, max_size=5))
def test_any_policy_data_loads_or_raises_policy_error(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_policy("p.yaml", folder)
    except PolicyError as exc:
        assert exc.problems and all(p.file == "p.yaml" for p in exc.problems)
