"""yamlio: line-aware safe YAML loading, limits, encodings and error messages."""

from __future__ import annotations

import codecs
import contextlib
import time
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creepcheck.errors import CreepcheckError, Problem, UserError
from creepcheck.loaders.yamlio import (
    LineDict,
    LineList,
    describe,
    display_path,
    line_of,
    load_yaml_file,
    load_yaml_text,
)
from creepcheck.privacy.outbound import unmarked

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def problems(text: str) -> list[Problem]:
    with pytest.raises(UserError) as caught:
        load_yaml_text(text, "t.yaml")
    return [replace(p, message=unmarked(p.message)) for p in caught.value.problems]


def file_problems(path: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(UserError) as caught:
        load_yaml_file(path, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


# --- lines -----------------------------------------------------------------------------


def test_mappings_and_lists_carry_lines() -> None:
    data = load_yaml_text(
        "id: x\nmessages:\n  - channel: sms\n    body: hi\n  - channel: email\n", "t"
    )
    assert isinstance(data, LineDict)
    assert data == {"id": "x", "messages": [{"channel": "sms", "body": "hi"}, {"channel": "email"}]}
    assert data.line == 1
    assert data.key_lines == {"id": 1, "messages": 2}
    messages = data["messages"]
    assert isinstance(messages, LineList)
    assert messages.line == 3
    assert messages.item_lines == [3, 5]
    assert messages[1].line == 5
    assert messages[0].key_lines == {"channel": 3, "body": 4}


def test_line_of_helpers() -> None:
    data = load_yaml_text("a: 1\nb:\n  - x\n  - y\n", "t")
    assert line_of(data) == 1
    assert line_of(data, "b") == 2
    assert line_of(data, "missing") == 1
    assert line_of(data["b"], 1) == 4
    assert line_of(data["b"], 9) == 3
    assert line_of("scalar") is None


def test_flow_collections_and_merge_keys() -> None:
    data = load_yaml_text("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n", "t")
    assert data["item"] == {"x": 1, "y": 3}
    assert data["item"].key_lines["y"] == 4


def test_scalars_are_safe_types() -> None:
    data = load_yaml_text(
        "d: 2026-03-01\nt: 2026-03-01T10:00:00Z\nn: 3\nf: 0.5\nb: true\nz: null\n", "t"
    )
    assert data["d"] == date(2026, 3, 1)
    assert data["t"] == datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    assert (data["n"], data["f"], data["b"], data["z"]) == (3, 0.5, True, None)


def test_empty_text_is_none() -> None:
    assert load_yaml_text("", "t") is None
    assert load_yaml_text("# only a comment\n", "t") is None


# --- errors ----------------------------------------------------------------------------


def test_syntax_error_names_the_line() -> None:
    assert problems("a: 1\nb: [1, 2\nc: 3\n") == [
        Problem(
            "t.yaml",
            "invalid YAML: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence on line 2)",
            3,
        )
    ]


def test_bad_indentation() -> None:
    assert problems("a:\n  b: 1\n c: 2\n") == [
        Problem(
            "t.yaml",
            "invalid YAML: expected <block end>, but found '<block mapping start>' "
            "(while parsing a block mapping on line 1)",
            3,
        )
    ]


def test_duplicate_key_names_both_lines() -> None:
    assert problems("id: a\nname: x\nid: b\n") == [
        Problem(
            "t.yaml",
            'duplicate key "id" (first on line 1): each key may appear once in a mapping',
            3,
        )
    ]


def test_duplicate_key_in_nested_flow_mapping() -> None:
    assert problems("x:\n  - {a: 1, a: 2}\n") == [
        Problem(
            "t.yaml",
            'duplicate key "a" (first on line 2): each key may appear once in a mapping',
            2,
        )
    ]


def test_merge_keys_may_be_overridden() -> None:
    assert load_yaml_text("b: &b {x: 1}\nc:\n  <<: *b\n  x: 2\n", "t")["c"] == {"x": 2}


def test_billion_laughs_fails_fast() -> None:
    started = time.perf_counter()
    found = problems(BILLION_LAUGHS)
    assert time.perf_counter() - started < 0.5
    assert found == [
        Problem(
            "t.yaml",
            "expands to more than 1,000,000 values once aliases (*name) are resolved: "
            "write the data out instead of nesting anchors",
            7,
        )
    ]


def test_too_many_aliases() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 10_001) + "]\n"
    assert problems(text) == [
        Problem(
            "t.yaml",
            "more than 10000 alias references (*name): "
            "write the data out instead of reusing anchors",
            2,
        )
    ]


def test_a_few_aliases_are_fine() -> None:
    data = load_yaml_text("a: &a {x: 1}\nb: *a\nc: [*a, *a]\n", "t")
    assert data["b"] == {"x": 1} and data["c"] == [{"x": 1}, {"x": 1}]


def test_recursive_alias() -> None:
    assert problems("a: &a [1, *a]\n") == [
        Problem(
            "t.yaml",
            "alias *a refers to the anchor that contains it: recursive data is not allowed",
            1,
        )
    ]


def test_undefined_alias() -> None:
    assert problems("a: *nope\n") == [
        Problem("t.yaml", "invalid YAML: found undefined alias 'nope'", 1)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 101 + "]" * 101,
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 102)) + "  " * 102 + "v\n",
    ],
)
def test_deep_nesting(text: str) -> None:
    found = problems(text)
    assert [p.message for p in found] == ["nested more than 100 levels deep: flatten the data"]


def test_nesting_at_the_limit_is_fine() -> None:
    assert load_yaml_text("[" * 100 + "]" * 100, "t") is not None


def test_very_deep_nesting_is_not_a_recursion_error() -> None:
    assert problems("[" * 50_000)[0].message == "nested more than 100 levels deep: flatten the data"


def test_unsafe_tag_is_refused() -> None:
    assert problems("x: !!python/object/apply:os.system [echo hi]\n") == [
        Problem(
            "t.yaml",
            "tag !!python/object/apply:os.system is not allowed: "
            "use plain text, numbers, dates, lists and mappings",
            1,
        )
    ]


def test_impossible_date() -> None:
    assert problems("a: 1\nd: 2026-02-30\n") == [
        Problem(
            "t.yaml", "invalid YAML: cannot read '2026-02-30': day is out of range for month", 2
        )
    ]


def test_list_as_key() -> None:
    assert problems("? [a]\n: 1\n") == [
        Problem(
            "t.yaml",
            "invalid YAML: found a list or mapping used as a key (while reading a mapping)",
            1,
        )
    ]


def test_two_documents() -> None:
    assert problems("a: 1\n---\nb: 2\n") == [
        Problem(
            "t.yaml",
            "invalid YAML: expected a single document in the stream, but found another document",
            2,
        )
    ]


def test_control_character() -> None:
    assert problems("a: 1\nb: \x07\n") == [
        Problem("t.yaml", "invalid YAML: character #x0007 is not allowed", 2)
    ]


def test_nul_in_text() -> None:
    assert problems("a: 1\nb: x\x00\n") == [
        Problem(
            "t.yaml",
            "contains a NUL character: a text file cannot contain NUL bytes "
            "(is it a binary file, or UTF-16 without a byte order mark?)",
            2,
        )
    ]


# --- files and encodings ---------------------------------------------------------------

TEXT = "name: Zoë\ncity: Москва\n"
EXPECTED = {"name": "Zoë", "city": "Москва"}


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf32le", "utf32be"],
)
def test_encodings(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(data)
    assert load_yaml_file(path) == EXPECTED


def test_latin1_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes("a: 1\nname: Zoë\n".encode("latin-1"))
    assert file_problems(path) == [
        Problem(
            str(path),
            "not valid UTF-8 text (invalid continuation byte): "
            "save the file as UTF-8, or as UTF-16/UTF-32 with a byte order mark",
            2,
        )
    ]


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes("a: 1\n".encode("utf-16-le"))
    assert file_problems(path) == [
        Problem(
            str(path),
            "contains a NUL character: a text file cannot contain NUL bytes "
            "(is it a binary file, or UTF-16 without a byte order mark?)",
            1,
        )
    ]


def test_truncated_utf16(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(codecs.BOM_UTF16_LE + "a: 1\n".encode("utf-16-le") + b"x")
    assert file_problems(path) == [
        Problem(
            str(path),
            "not valid UTF-16 text (truncated data): "
            "save the file as UTF-8, or as UTF-16/UTF-32 with a byte order mark",
            2,
        )
    ]


@pytest.mark.parametrize("content", [b"", b"\n\n", b"# nothing here\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_bytes(content)
    assert file_problems(path, what="campaign file") == [
        Problem(str(path), "empty campaign file: expected a YAML document")
    ]
    assert load_yaml_file(path, allow_empty=True) is None


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert file_problems(path, what="policy file") == [Problem(str(path), "policy file not found")]


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert file_problems(tmp_path) == [
        Problem(str(tmp_path), "YAML file is a folder, expected a file")
    ]


def test_file_problem_names_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "c.yaml"
    path.write_text("a: [\n")
    found = file_problems(path)
    assert [str(p) for p in found] == [
        "sub/c.yaml:2: invalid YAML: expected the node content, but found '<stream end>' "
        "(while parsing a flow node)"
    ]
    assert display_path(path) == "sub/c.yaml"
    assert display_path(Path("/elsewhere/x.yaml")) == "/elsewhere/x.yaml"


def test_describe() -> None:
    values = ["loud", 3, True, None, [1], {"a": 1}, date(2026, 1, 2)]
    assert [unmarked(describe(v)) for v in values] == [
        '"loud"',
        "3",
        "true",
        "nothing",
        "a list",
        "a mapping",
        "2026-01-02",
    ]


# --- no input escapes as anything but our own errors ------------------------------------

YAML_ALPHABET = st.sampled_from(list("ab:-[]{},&*!?|>'\"#%@` \n\t.0123456789<=~\\\x00\x07é\ufeff"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.text(YAML_ALPHABET, max_size=80)))
def test_arbitrary_text_raises_only_our_errors(text: str) -> None:
    with contextlib.suppress(CreepcheckError):
        load_yaml_text(text, "fuzz.yaml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_arbitrary_bytes_raise_only_our_errors(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.yaml"
    path.write_bytes(data)
    with contextlib.suppress(CreepcheckError):
        load_yaml_file(path, allow_empty=True)
