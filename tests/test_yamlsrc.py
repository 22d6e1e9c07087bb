"""The YAML reader keeps text as typed, refuses ambiguity, and caps hostile input."""

from __future__ import annotations

import pytest

from reports.errors import FactsError
from reports.yamlsrc import Limits, load_bytes


def test_scalars_stay_as_typed() -> None:
    src = load_bytes(b"a: NO\nb: 1.10\nc: 2024-02-30\nd: 017\ne: 12:30\nf: ~\ng: 'null'\n", "x")
    assert src.data == {
        "a": "NO",
        "b": "1.10",
        "c": "2024-02-30",
        "d": "017",
        "e": "12:30",
        "f": None,
        "g": "null",
    }


def test_positions_are_recorded_for_values_and_keys() -> None:
    src = load_bytes(b"memo:\n  title: Hello\nlist:\n  - a\n  - b\n", "x.yaml")
    assert str(src.locate(("memo", "title"))) == "x.yaml:2:10"
    assert str(src.locate(("memo", "title"), key=True)) == "x.yaml:2:3"
    assert str(src.locate(("list", 1))) == "x.yaml:5:5"
    # a path below a scalar falls back to its nearest ancestor
    assert str(src.locate(("memo", "title", "deeper"))) == "x.yaml:2:10"


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(FactsError, match="aliases expand to more than"):
        load_bytes("\n".join(lines).encode(), "bomb.yaml")


def test_alias_count_is_capped() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 20) + "]\n"
    with pytest.raises(FactsError, match="more than 10 aliases"):
        load_bytes(text.encode(), "x.yaml", Limits(max_aliases=10))


def test_deep_nesting_is_refused() -> None:
    text = "a: " + "[" * 5000 + "]" * 5000
    with pytest.raises(FactsError, match="nesting is deeper than 64 levels"):
        load_bytes(text.encode(), "deep.yaml")


def test_size_is_capped() -> None:
    with pytest.raises(FactsError, match="over the limit of 100 bytes"):
        load_bytes(b"a: " + b"x" * 200, "big.yaml", Limits(max_bytes=100))


def test_tags_are_refused() -> None:
    with pytest.raises(FactsError, match="YAML tags such as '!!python/object' are not supported"):
        load_bytes(b"a: !!python/object {x: 1}\n", "x.yaml")
    with pytest.raises(FactsError, match="'!!python/object' is read as a YAML tag and left out"):
        load_bytes(b"a: !!python/object x\n", "x.yaml")


def test_a_byte_order_mark_is_skipped() -> None:
    assert load_bytes(b"\xef\xbb\xbfa: 1\n", "x.yaml").data == {"a": "1"}


def test_multiple_documents_are_refused() -> None:
    with pytest.raises(FactsError, match="more than one YAML document"):
        load_bytes(b"a: 1\n---\nb: 2\n", "x.yaml")


READER_PROBLEMS = {
    "duplicate key": (
        b"a: 1\nb: 2\na: 3\n",
        "x.yaml:3:1: a: duplicate key 'a' (first given on line 1)",
    ),
    "tab": (
        b"a:\n\t- x\n",
        "x.yaml:2:1: tab character in indentation; YAML indents with spaces only",
    ),
    "UTF-16": ("a: 1\n".encode("utf-16"), "x.yaml:1:1: file is UTF-16; save it as UTF-8"),
    "Latin-1": (
        "a: caf\xe9\n".encode("latin-1"),
        "x.yaml:1:7: byte 0xe9 is not valid UTF-8; save the file as UTF-8",
    ),
    "a local tag": (
        b"a: !custom x\n",
        "x.yaml:1:4: a: '!custom' is read as a YAML tag and left out of the text; tags are "
        "not supported: put the whole value in quotes",
    ),
    "two documents": (
        b"a: 1\n---\nb: 2\n",
        "x.yaml:2:1: more than one YAML document ('---'); keep one per file",
    ),
    "empty": (b"", "x.yaml: file is empty; expected a mapping of fields"),
    "only a comment": (b"# nothing\n", "x.yaml: file is empty; expected a mapping of fields"),
    "unknown alias": (b"a: *nope\n", "x.yaml:1:4: unknown alias '*nope'"),
    "unclosed list": (
        b"a: [1, 2\n",
        "x.yaml:1:4: the '[' here starts a list in brackets that is not closed with ']'; "
        "close it, or, if this is text, put the whole value in quotes "
        "[YAML: while parsing a flow sequence; did not find expected ',' or ']']",
    ),
    "two colons": (
        b"a: b: c\n",
        "x.yaml:1:5: a colon followed by a space starts a 'field: value' pair; if this is "
        "text, put the whole value in quotes [YAML: mapping values are not allowed in this "
        "context]",
    ),
    "nesting": (b"a: " + b"[" * 70 + b"]" * 70, "x.yaml:1:67: nesting is deeper than 64 levels"),
    "a list as a key": (
        b"[a]: 1\n",
        "x.yaml:1:1: a field name must be plain text, not a list or a mapping",
    ),
}


@pytest.mark.parametrize(("raw", "message"), READER_PROBLEMS.values(), ids=READER_PROBLEMS.keys())
def test_reader_problems(raw: bytes, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        load_bytes(raw, "x.yaml")
    assert caught.value.lines() == [message]


@pytest.mark.parametrize(
    ("limits", "raw", "message"),
    [
        (
            Limits(max_aliases=2),
            b"a: &x y\nb: [*x, *x, *x]\n",
            "x.yaml:2:13: more than 2 aliases (*name); refusing to expand",
        ),
        (
            Limits(max_nodes=5),
            b"a: [1, 2, 3, 4, 5]\n",
            "x.yaml:1:11: more than 5 values; the file is too large",
        ),
        (
            Limits(max_bytes=100),
            b"a: " + b"x" * 200,
            "x.yaml: file is 203 bytes, over the limit of 100 bytes",
        ),
    ],
)
def test_caps_name_the_limit(limits: Limits, raw: bytes, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        load_bytes(raw, "x.yaml", limits)
    assert caught.value.lines() == [message]


def test_nulls() -> None:
    src = load_bytes(b"a: ~\nb:\nc: null\nd: 'null'\ne: ''\n", "x.yaml")
    assert src.data == {"a": None, "b": None, "c": None, "d": "null", "e": ""}


def test_a_path_outside_the_data_points_at_the_file_start() -> None:
    src = load_bytes(b"a: 1\n", "x.yaml")
    assert str(src.locate(("nope", 3))) == "x.yaml:1:1"
