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
        load_bytes(b"a: !!python/object x\n", "x.yaml")


def test_multiple_documents_are_refused() -> None:
    with pytest.raises(FactsError, match="more than one YAML document"):
        load_bytes(b"a: 1\n---\nb: 2\n", "x.yaml")
