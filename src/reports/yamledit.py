"""Edit a YAML file's text in place, value by value, keeping everything else as typed.

``reports migrate`` and ``reports review --apply`` change a few values of a fact base that
a person wrote: its comments, key order, quoting style, blank lines and every line they
do not touch must come out byte-identical. Re-dumping the data would lose all of that, so
these helpers find each value's exact span in the text (from libyaml's event marks) and
replace, remove or add spans; callers read the result back to check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .yamlsrc import PathKey

try:
    _Loader: Any = yaml.CSafeLoader
    _TextLoader: Any = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _TextLoader = yaml.BaseLoader


@dataclass(frozen=True, slots=True)
class Node:
    """A value in the text: its path, its span, and how it was written."""

    path: PathKey
    start: int
    """Index of its first character (of a collection: its first key or item)."""
    end: int
    """Index just after its last character (of a collection: of its last scalar)."""
    kind: str
    """``scalar``, ``map`` or ``seq``."""
    style: str | None
    """Scalars: ``'``, ``"``, ``|``, ``>`` or ``None`` (plain); collections: ``flow`` or
    ``None`` (block)."""
    value: str = ""
    """A scalar's value."""


def nodes(text: str) -> list[Node]:
    """Every value (not key) in ``text`` with its path and span, in document order."""
    out: list[Node] = []
    stack: list[list[Any]] = []  # [kind, path, index or pending key, start, flow, first]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            path = _child(stack)
            kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
            start = event.start_mark.index if event.start_mark else 0
            stack.append([kind, path, None if kind == "map" else 0, start, event.flow_style, -1])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            kind, path, _pos, start, flow, last = stack.pop()
            end = event.end_mark.index if flow and event.end_mark else max(last, start)
            out.append(Node(path, start, end, kind, "flow" if flow else None))
            _ended(stack, end)
            _advance(stack)
        elif isinstance(event, yaml.ScalarEvent):
            start_mark, end_mark = event.start_mark, event.end_mark
            assert start_mark is not None and end_mark is not None  # libyaml marks every event
            if stack and stack[-1][0] == "map" and stack[-1][2] is None:
                stack[-1][2] = event.value  # a key
                continue
            path = _child(stack)
            style = event.style if event.style in ("'", '"', "|", ">") else None
            out.append(Node(path, start_mark.index, end_mark.index, "scalar", style, event.value))
            _ended(stack, end_mark.index)
            _advance(stack)
        elif isinstance(event, yaml.AliasEvent):
            if event.end_mark is not None:
                _ended(stack, event.end_mark.index)
            _advance(stack)
    return out


def scalars(text: str) -> list[Node]:
    """Every scalar value in ``text`` (see :func:`nodes`)."""
    return [n for n in nodes(text) if n.kind == "scalar"]


def _child(stack: list[list[Any]]) -> PathKey:
    if not stack:
        return ()
    return (*stack[-1][1], stack[-1][2])


def _ended(stack: list[list[Any]], end: int) -> None:
    if stack:
        stack[-1][5] = max(stack[-1][5], end)


def _advance(stack: list[list[Any]]) -> None:
    if not stack:
        return
    frame = stack[-1]
    if frame[0] == "seq":
        frame[2] += 1
    else:
        frame[2] = None


def double_quoted(value: str) -> str:
    """``value`` as a double-quoted YAML scalar."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not ch.isprintable():
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_PLAIN_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`~ ]")


def plain_ok(value: str) -> bool:
    """Whether ``value`` can be written as a plain scalar and read back unchanged (and
    without tripping the loader's checks for hand-written traps)."""
    if not value or "\n" in value or value != value.strip() or _PLAIN_START.match(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    if not value.isprintable() or value in ("~", "null", "Null", "NULL"):
        return False  # the fact-base loader reads these as nothing
    try:
        # every scalar as text, as the fact-base loader reads it (2024-02-13 stays text)
        loaded = yaml.load(f"k: {value}\n", Loader=_TextLoader)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


def scalar_text(value: str, like: Node | None = None, text: str = "") -> str:
    """``value`` written as a YAML scalar, in the style of ``like`` (the value it
    replaces, whose source is in ``text``) where that style can hold it."""
    style = like.style if like is not None else None
    if style in ("|", ">") and like is not None:
        span = text[like.start : like.end]
        header, _, body = span.partition("\n")
        lines = [line for line in body.split("\n") if line.strip()]
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip(" "))] if lines else "  "
        if style == "|" or "\n" not in value:
            content = "\n".join(indent + line if line else "" for line in value.split("\n"))
            trail = body[len(body.rstrip("\n")) :] or "\n"
            return f"{header}\n{content}{trail}"
    if style == "'" and "\n" not in value and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and plain_ok(value):
        if like is not None and like.style is None and "\n" in text[like.start : like.end]:
            return _folded(value, like, text)
        return value
    if "\n" not in value and value.isprintable() and style != '"':
        return "'" + value.replace("'", "''") + "'"
    return double_quoted(value)


def _folded(value: str, like: Node, text: str) -> str:
    """A plain ``value`` over several lines, as wide as the text it replaces was, its
    continuation lines indented as that text's were (YAML joins them with spaces)."""
    span = text[like.start : like.end]
    lines = span.split("\n")
    column = like.start - (text.rfind("\n", 0, like.start) + 1)
    width = max(column + len(lines[0]), *(len(line) for line in lines[1:]))
    indent = lines[1][: len(lines[1]) - len(lines[1].lstrip(" "))]
    out, line, room = [], "", width - column
    for word in value.split(" "):
        if line and len(line) + 1 + len(word) > room:
            out.append(line)
            line, room = word, width - len(indent)
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    if any(part.lstrip().startswith(("#", "- ", "-\t")) for part in out[1:]):
        return value  # a continuation line YAML would read as a comment or an item
    return ("\n" + indent).join(out)


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole lines holding ``text[start:end]``: from the first line's start to just
    after the last line's newline."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", max(end - 1, start))
    return first, (len(text) if last < 0 else last + 1)


def item_span(text: str, item: Node) -> tuple[int, int] | None:
    """The lines of a block sequence's item, from its ``-`` to the end of its last line;
    ``None`` when the ``-`` does not start its line (a flow sequence, ``- - x``)."""
    dash = text.rfind("-", 0, item.start)
    first, end = line_span(text, dash, item.end)
    if dash < 0 or text[first:dash].strip() or text[dash + 1 : item.start].strip():
        return None
    return first, end


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied; spans must not overlap.
    Insertions (``start == end``) at a position go before a replacement that starts there."""
    out = text
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out
