"""Project config: discovery (creepcheck.yaml, .yml, pyproject.toml), validation, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from creepcheck.errors import ConfigError
from creepcheck.loaders.config import ProjectConfig, load_project_config


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # stop the upward search here


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(start: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_project_config(start)
    return [str(p) for p in caught.value.problems]


# --- discovery -------------------------------------------------------------------------


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    config = load_project_config(tmp_path)
    assert config == ProjectConfig(root=tmp_path, file=None)
    assert (config.policy, config.language, config.fail_on, config.format) == (
        "builtin:default",
        "en",
        "error",
        "text",
    )
    assert config.mapping == {} and config.exclude == () and config.spacy_model is None


def test_full_config(tmp_path: Path) -> None:
    write(
        tmp_path / "creepcheck.yaml",
        "policy: policies/house.yaml\n"
        "profiles: samples/profiles.yaml\n"
        "language: ru\n"
        "fail_on: warning\n"
        "format: sarif\n"
        "baseline: .creepcheck-baseline.json\n"
        "spacy_model: en_core_web_sm\n"
        "exclude: [archive, 'drafts/*']\n"
        "mapping:\n"
        "  Email Address: contact_points.email.0.value\n"
        "  Opt In: consents.email.status\n",
    )
    config = load_project_config(tmp_path)
    assert config == ProjectConfig(
        root=tmp_path,
        file=tmp_path / "creepcheck.yaml",
        policy=str(tmp_path / "policies/house.yaml"),
        profiles=tmp_path / "samples/profiles.yaml",
        language="ru",
        fail_on="warning",
        format="sarif",
        baseline=tmp_path / ".creepcheck-baseline.json",
        mapping={
            "Email Address": "contact_points.email.0.value",
            "Opt In": "consents.email.status",
        },
        spacy_model="en_core_web_sm",
        exclude=("archive", "drafts/*"),
    )


def test_found_from_a_subfolder_and_from_a_file(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "fail_on: never\n")
    campaign = write(tmp_path / "campaigns" / "spring" / "campaign.yaml", "id: x\n")
    for start in (campaign.parent, campaign):
        config = load_project_config(start)
        assert config.root == tmp_path
        assert config.fail_on == "never"


def test_relative_start(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "format: json\n")
    assert load_project_config(Path(".")).format == "json"


def test_yaml_wins_over_yml_and_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "format: json\n")
    write(tmp_path / "creepcheck.yml", "format: html\n")
    write(tmp_path / "pyproject.toml", '[tool.creepcheck]\nformat = "junit"\n')
    assert load_project_config(tmp_path).format == "json"
    (tmp_path / "creepcheck.yaml").unlink()
    assert load_project_config(tmp_path).format == "html"
    (tmp_path / "creepcheck.yml").unlink()
    assert load_project_config(tmp_path).format == "junit"


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "format: json\n")
    write(tmp_path / "sub" / "creepcheck.yml", "format: markdown\n")
    config = load_project_config(tmp_path / "sub")
    assert (config.format, config.root) == ("markdown", tmp_path / "sub")


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "format: json\n")
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "creepcheck-demo"\n')
    assert load_project_config(tmp_path / "sub").format == "json"


def test_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n'
        "[tool.creepcheck]\n"
        'policy = "builtin:strict"\n'
        'fail-on = "info"\n'
        'exclude = ["vendor"]\n\n'
        "[tool.creepcheck.mapping]\n"
        '"Email Address" = "contact_points.email.0.value"\n',
    )
    config = load_project_config(tmp_path)
    assert config.file == tmp_path / "pyproject.toml"
    assert config.policy == "builtin:strict"
    assert config.fail_on == "info"
    assert config.exclude == ("vendor",)
    assert config.mapping == {"Email Address": "contact_points.email.0.value"}


def test_pyproject_errors_have_lines(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.creepcheck]\nformat = "json"\nfail_on = "loud"\nlangauge = "en"\n\n'
        "[tool.creepcheck.mapping]\nPhone = 3\n",
    )
    assert messages(tmp_path) == [
        'pyproject.toml:3: fail_on: expected one of error, warning, info, never, got "loud"',
        'pyproject.toml:4: unknown key "langauge": did you mean "language"?',
        "pyproject.toml:6: mapping.Phone: expected a dotted field path such as "
        "consents.email.status, got 3",
    ]


def test_broken_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.creepcheck]\nformat = "json\n')
    assert messages(tmp_path) == ["pyproject.toml:2: invalid TOML: Illegal character '\\n'"]


def test_search_stops_at_git_root(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "format: json\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    config = load_project_config(tmp_path / "repo")
    assert config == ProjectConfig(root=tmp_path / "repo", file=None)


def test_config_inside_the_git_root_is_found(tmp_path: Path) -> None:
    write(tmp_path / "repo" / "creepcheck.yaml", "format: json\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert load_project_config(tmp_path / "repo" / "deep" / "er").format == "json"


def test_empty_config_is_all_defaults(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "# nothing yet\n")
    assert load_project_config(tmp_path) == ProjectConfig(
        root=tmp_path, file=tmp_path / "creepcheck.yaml"
    )


# --- validation ------------------------------------------------------------------------


def test_message_style_from_the_brief(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "policy: builtin:default\nformat: text\nfail_on: loud\n")
    assert messages(tmp_path) == [
        'creepcheck.yaml:3: fail_on: expected one of error, warning, info, never, got "loud"'
    ]


def test_every_problem_at_once(tmp_path: Path) -> None:
    write(
        tmp_path / "creepcheck.yaml",
        "polcy: house.yaml\n"
        "language: fr\n"
        "format: pdf\n"
        "profiles: 3\n"
        "baseline: [a]\n"
        "mapping: [a, b]\n"
        "spacy_model: 5\n"
        "exclude: {a: 1}\n"
        "colour: red\n"
        "fail-on: never\n"
        "fail_on: error\n",
    )
    assert messages(tmp_path) == [
        'creepcheck.yaml:1: unknown key "polcy": did you mean "policy"?',
        'creepcheck.yaml:2: language: expected one of en, ru, got "fr"',
        "creepcheck.yaml:3: format: expected one of text, json, sarif, junit, github, "
        'markdown, html, got "pdf"',
        "creepcheck.yaml:4: profiles: expected a path to a profile file, or {database, query}, "
        "got 3",
        "creepcheck.yaml:5: baseline: expected a path to a baseline file, got a list",
        "creepcheck.yaml:6: mapping: expected a mapping of CRM column names to creepcheck "
        "field paths, got a list",
        "creepcheck.yaml:7: spacy_model: expected the name of an installed spaCy pipeline such as "
        "en_core_web_sm (not a path), got 5",
        "creepcheck.yaml:8: exclude: expected a list of glob patterns, got a mapping",
        'creepcheck.yaml:9: unknown key "colour": expected one of policy, profiles, language, '
        "fail_on, format, baseline, mapping, spacy_model, exclude, strict_inputs",
        "creepcheck.yaml:11: fail_on: set twice (as fail_on and as fail-on)",
    ]


def test_policy_must_be_text(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "policy:\n  extends: default\n")
    assert messages(tmp_path) == [
        'creepcheck.yaml:1: policy: expected "builtin:NAME" or a path to a policy file, '
        "got a mapping"
    ]


def test_bad_mapping_entry_has_its_own_line(tmp_path: Path) -> None:
    write(
        tmp_path / "creepcheck.yaml",
        "mapping:\n  Email: contact_points.email.0.value\n  Opt In: consents..status\n",
    )
    assert messages(tmp_path) == [
        "creepcheck.yaml:3: mapping.Opt In: expected a dotted field path such as "
        'consents.email.status, got "consents..status"'
    ]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "- policy: x\n")
    assert messages(tmp_path) == ["creepcheck.yaml:1: expected a mapping of settings, got a list"]


def test_yaml_syntax_error_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "policy: x\nfail_on: [\n")
    assert messages(tmp_path) == [
        "creepcheck.yaml:3: invalid YAML: expected the node content, but found '<stream end>' "
        "(while parsing a flow node)"
    ]


def test_duplicate_key_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "creepcheck.yaml", "format: json\nformat: text\n")
    assert messages(tmp_path) == [
        'creepcheck.yaml:2: duplicate key "format" (first on line 1): '
        "each key may appear once in a mapping"
    ]


def test_null_values_mean_default(tmp_path: Path) -> None:
    write(
        tmp_path / "creepcheck.yaml", "profiles:\nbaseline: ~\nmapping:\nexclude:\nspacy_model:\n"
    )
    config = load_project_config(tmp_path)
    assert (config.profiles, config.baseline, config.mapping, config.exclude) == (
        None,
        None,
        {},
        (),
    )


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load_project_config(tmp_path)
    with pytest.raises(AttributeError):
        config.format = "json"  # type: ignore[misc]


def test_strict_inputs_is_a_flag(tmp_path: Path) -> None:
    assert load_project_config(tmp_path).strict_inputs is False
    write(tmp_path / "creepcheck.yaml", "strict-inputs: true\n")
    assert load_project_config(tmp_path).strict_inputs is True
    write(tmp_path / "creepcheck.yaml", "policy: builtin:default\nstrict_inputs: always\n")
    assert messages(tmp_path) == [
        'creepcheck.yaml:2: strict_inputs: expected true or false, got "always"'
    ]
