"""The traps of hand-written YAML in a text-heavy file, caught where they happen.

YAML reads some ordinary text as syntax: ``#`` after a space starts a comment, ``: ``
starts a mapping, ``*``, ``&`` and ``!`` start aliases, anchors and tags, a line more
indented than a list item continues it. Most of these change a memo *silently*; the rest
get the parser's jargon, often on the wrong line. This module finds them and says what to
do, which is almost always "put the whole value in quotes".

- :func:`indentation` checks the text before parsing (tabs, no-break and other Unicode
  spaces in indentation);
- :class:`Traps` watches the parser's events (a comment eating text, a list item folded
  into the previous one, a value lost to ``#``, an unused ``&anchor``);
- :func:`explain` turns a parser error into a plain-language line at the right place,
  with the parser's own words in brackets.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .errors import Problem, SourceLocation

QUOTE_IT = "put the whole value in quotes"
"""The fix for nearly every trap."""

_LEADING = re.compile(r"^[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]*")


def _location(name: str, line: int, col: int) -> SourceLocation:
    return SourceLocation(name, line, col)


def indentation(text: str, name: str) -> list[Problem]:
    """Tabs and Unicode spaces (no-break spaces pasted from Word) in indentation."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        lead = _LEADING.match(line)
        if lead is None or lead.end() == 0:
            continue
        for col, ch in enumerate(lead.group(), 1):
            if ch == " ":
                continue
            if ch == "\t":
                msg = "tab character in indentation; YAML indents with spaces only"
            else:
                what = unicodedata.name(ch, f"U+{ord(ch):04X}").lower()
                msg = (
                    f"{what} (U+{ord(ch):04X}) in indentation, often pasted from Word; "
                    "YAML indents with ordinary spaces only: retype the indentation"
                )
            problems.append(Problem(_location(name, number, col), msg))
            break
    return problems


class Traps:
    """Watches scalar events for text that YAML took as syntax."""

    def __init__(self, text: str, name: str) -> None:
        self.lines = text.splitlines()
        self.name = name
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, str | None]] = {}
        """Anchor name → its mark and, for an anchor on text, the field's path."""
        self.used: set[str] = set()

    def _line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def _add(self, line: int, col: int, message: str, field: str) -> None:
        self.problems.append(Problem(_location(self.name, line, col), message, field))

    def scalar(self, event: Any, field: str) -> None:
        """Check one scalar; ``field`` is its path as users write it."""
        if event.style:  # quoted or block text is taken as typed
            return
        start, end = event.start_mark, event.end_mark
        if event.value == "":
            self._lost_to_comment(start, field)
            return
        self._comment_after(end, field)
        if end.line > start.line:
            self._folded_items(start, end, field)
        if event.anchor:
            self.anchors[event.anchor] = (start, field)

    def _lost_to_comment(self, mark: Any, field: str) -> None:
        # `background: #1 Heavy rain…` or `- #1 …`: the whole value became a comment.
        # An empty value's mark is just after its ':' or '-'; `key: # note` (a space
        # after '#') is a deliberate comment on an empty value.
        m = re.match(r" +#\S", self._line(mark.line)[mark.column :])
        if m is None:
            return
        self._add(
            mark.line + 1,
            mark.column + m.end() - 1,
            "the value starts with '#', which YAML reads as a comment, so the field is "
            f"left empty; {QUOTE_IT}",
            field,
        )

    def _comment_after(self, end: Any, field: str) -> None:
        # `text (see annex #2 for the list) and more`: YAML ends the text at ` #`.
        rest = self._line(end.line)[end.column :]
        m = re.match(r"( +)#", rest)
        if m is None:
            return
        single = len(m.group(1)) == 1
        glued = len(rest) > m.end() and not rest[m.end()].isspace()
        if not (single or glued):
            return  # two spaces and '# ': a deliberate comment
        col = end.column + m.end()
        self._add(
            end.line + 1,
            col,
            "text after ' #' is a YAML comment and is left out of the memo; if it belongs "
            f"to the text, {QUOTE_IT}; if it is a comment, put two spaces before '# '",
            field,
        )

    def _folded_items(self, start: Any, end: Any, field: str) -> None:
        # An over-indented `- item` (or `-first` missing its space) becomes part of the
        # previous item's text.
        for index in range(start.line + 1, end.line + 1):
            line = self._line(index)
            stripped = line.lstrip(" ")
            if stripped.startswith("- ") or stripped == "-":
                col = len(line) - len(stripped) + 1
                self._add(
                    index + 1,
                    col,
                    "this looks like a new list item but is indented as part of the "
                    "previous one, so the two are joined into one text; line the '-' up "
                    "with the other items (or, if it is part of the text, "
                    f"{QUOTE_IT})",
                    field,
                )
                return

    def anchor(self, event: Any) -> None:
        """Note an anchor on a list or mapping (scalars are noted by :meth:`scalar`)."""
        if event.anchor:
            self.anchors[event.anchor] = (event.start_mark, None)

    def alias(self, name: str) -> None:
        self.used.add(name)

    def tag(self, event: Any, field: str, shown: str) -> None:
        """A tag on a value: `- !important note` would silently lose '!important'."""
        mark = event.start_mark
        if hasattr(event, "value"):  # on text
            message = (
                f"'{shown}' is read as a YAML tag and left out of the text; tags are not "
                f"supported: {QUOTE_IT}"
            )
        else:
            message = f"YAML tags such as '{shown}' are not supported; write plain values"
        self._add(mark.line + 1, mark.column + 1, message, field)

    def finish(self) -> list[Problem]:
        """Problems found, including anchors on text that nothing refers to."""
        for anchor, (mark, field) in self.anchors.items():
            if anchor in self.used or field is None:
                continue  # an anchor on a list or mapping is no text lost
            self._add(
                mark.line + 1,
                mark.column + 1,
                f"'&{anchor}' is read as a YAML anchor (a name to reuse the value by) and "
                f"left out of the text; {QUOTE_IT}",
                field,
            )
        return self.problems


# ---------------------------------------------------------------------- parser errors


def explain(exc: Any, text: str, name: str) -> Problem:
    """One plain-language line for a parser error, at the line to fix.

    The parser's ``problem_mark`` is where it gave up, often the line after the mistake;
    its ``context_mark`` is where the construct began, which is better for a missing
    colon. The parser's own words follow in brackets.
    """
    lines = text.splitlines()
    problem = exc.problem or exc.context or "malformed YAML"
    words = "; ".join(w for w in (exc.context, exc.problem) if w)
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column) if mark is not None else (0, 0)
    here = lines[line] if 0 <= line < len(lines) else ""
    message = None

    if "cannot start any token" in problem:
        char = here[col] if col < len(here) else "?"
        message = f"a value cannot start with '{char}' in YAML; {QUOTE_IT}"
    elif exc.context == "while scanning an alias" or "alias" in problem:
        message = (
            f"'*' starts a YAML alias (a reference to an '&anchor'); for text starting "
            f"with '*' (such as **bold**), {QUOTE_IT}"
        )
    elif exc.context == "while scanning a block scalar":
        char = here[exc.context_mark.column] if exc.context_mark is not None else ">"
        message = (
            f"'{char}' at the start of a value begins a block of text on the following "
            f"lines; for text that starts with '{char}', {QUOTE_IT}"
        )
        line, col = exc.context_mark.line, exc.context_mark.column
    elif exc.context == "while scanning a quoted scalar":
        message = "this quote is never closed; end the value with the same quote mark"
        line, col = exc.context_mark.line, exc.context_mark.column
    elif "could not find expected ':'" in problem and exc.context_mark is not None:
        line, col = exc.context_mark.line, exc.context_mark.column
        message = (
            "this line is neither 'field: value' nor '- item'; add the missing ': ' after "
            "the field name (or the space after '-')"
        )
    elif "mapping values are not allowed" in problem:
        previous = _missing_colon_line(lines, line)
        if previous is not None:
            line, col = previous, len(lines[previous]) - len(lines[previous].lstrip(" "))
            message = (
                "this line is neither 'field: value' nor '- item'; add the missing ': ' "
                "after the field name"
            )
        else:
            message = (
                f"a colon followed by a space starts a 'field: value' pair; if this is "
                f"text, {QUOTE_IT}"
            )
    elif _quoted_then_more(here, line, exc):
        start = exc.context_mark if exc.context_mark is not None else mark
        line = start.line if start is not None else line
        col = _value_column(lines[line]) if 0 <= line < len(lines) else col
        message = (
            "a quoted value must end at its closing quote, but text follows it here; "
            f"{QUOTE_IT} (inside 'single quotes', write an apostrophe as '')"
        )
    elif exc.context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        opening = "[" if "sequence" in exc.context else "{"
        closing = "]" if opening == "[" else "}"
        if exc.context_mark is not None:
            line, col = exc.context_mark.line, exc.context_mark.column
        message = (
            f"the '{opening}' here starts a list in brackets that is not closed with "
            f"'{closing}'; close it, or, if this is text, {QUOTE_IT}"
            if opening == "["
            else f"the '{{' here starts a mapping in braces that is not closed with '}}'; "
            f"close it, or, if this is text, {QUOTE_IT}"
        )
    elif "expected '-' indicator" in problem or "expected <block end>" in problem:
        message = (
            "the indentation here does not fit: items of a list start with '-' lined up "
            "under each other, and fields of a mapping line up too"
        )
    elif "expected key" in problem:
        message = "the indentation here does not fit: fields of a mapping line up"
    if message is None:
        message = "this is not valid YAML here"
    return Problem(_location(name, line + 1, col + 1), f"{message} [YAML: {words}]")


def _missing_colon_line(lines: list[str], line: int) -> int | None:
    """The line above ``line`` that lacks its colon, when YAML read it as the start of a
    key continued on ``line`` (``title Flood`` then ``date: …``)."""
    if not 0 < line < len(lines):
        return None
    here = lines[line]
    indent = len(here) - len(here.lstrip(" "))
    for index in range(line - 1, -1, -1):
        above = lines[index]
        stripped = above.strip()
        if not stripped or stripped.startswith("#"):
            continue
        above_indent = len(above) - len(above.lstrip(" "))
        if above_indent <= indent and ":" not in stripped and not stripped.startswith("-"):
            return index
        return None
    return None


def _quoted_then_more(here: str, line: int, exc: Any) -> bool:
    """Whether the error line holds a value that opens with a quote and goes on after it."""
    value = here[_value_column(here) :]
    return bool(value) and value[0] in "\"'"


def _value_column(line: str) -> int:
    """Column where a line's value starts: after ``key: `` or ``- ``."""
    m = re.match(r"^\s*(?:-\s+)?(?:[^\s:#'\"][^:#]*?:\s+)?", line)
    return m.end() if m else 0
