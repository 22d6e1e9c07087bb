"""Errors users can act on, each pointing at the file (and line) to fix.

Exception tree::

    ReportError               expected failure: printed as a message, never a traceback
    ├── InputError            a fact base, style or option is wrong      (exit 2)
    │   ├── FactsError        a fact base failed to load or validate
    │   ├── StyleError        a house-style file failed to load or validate
    │   ├── TemplateError     a template is missing, broken or emits bad markup
    │   └── UsageError        an option or path given on the command line is wrong
    └── BuildError            a valid input could not be built or written (exit 1)

Who raises what: the loader and validator raise ``FactsError``; ``style`` raises
``StyleError``; ``templating`` and ``reader`` raise ``TemplateError``; the pipeline and CLI
raise ``UsageError`` and ``BuildError``. Anything else escaping to the CLI is a bug in
``reports`` and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EXIT_OK = 0
EXIT_BUILD_FAILED = 1
EXIT_INVALID_INPUT = 2
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C (128 + SIGINT, as shells report it)."""


def printable(text: str) -> str:
    """``text`` with control and format characters escaped (``\\n``, ``\\x1b``, ``\\u200b``).

    Problems quote what the user typed; a newline or a terminal escape sequence in a value
    must not split a problem over lines or reach the terminal as a command.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def safe_line(text: str) -> str:
    """``text`` made safe to print as one line of a log: control characters escaped (see
    :func:`printable`) and, on GitHub Actions, nothing the runner would take for a workflow
    command (an annotation, a masked value, ``stop-commands``): see :func:`inert`."""
    import os

    line = printable(text)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        line = inert(line)
    return line


def inert(line: str) -> str:
    """``line`` (already :func:`printable`) with what would start a workflow command escaped.

    The runner reads ``::name …::`` at the start of a line once *leading white space is
    trimmed*, and the legacy ``##[name]`` *anywhere* in a line, on standard output and
    standard error alike (actions/runner, ``ActionCommand.TryParseV2`` and ``TryParse``).
    The first colon and the bracket are written as ``\\x3a`` and ``\\x5b``, the way
    :func:`printable` writes a control character. After :func:`printable`, the only white
    space left is the plain space.
    """
    body = line.lstrip(" ")
    if body.startswith("::"):
        line = line[: len(line) - len(body)] + "\\x3a" + body[1:]
    return line.replace("##[", "##\\x5b")


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """A place in a user's file; line and column count from 1."""

    file: str
    """The path as the user gave it (not resolved), so messages match what they typed;
    empty for a problem of the run itself (an option, an environment variable)."""
    line: int = 0
    """1-based line number; 0 when the problem concerns the whole file."""
    column: int = 0
    """1-based column number; 0 when unknown."""

    def __str__(self) -> str:
        # a file name may hold a newline or an escape sequence; no file: the tool itself
        file = printable(self.file) or "reports"
        if self.line <= 0:
            return file
        return f"{file}:{self.line}:{self.column}"


Severity = Literal["error", "warning"]
"""``warning``: let through by an option (``--allow-missing-glyphs``); the memo is built."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input: one line of text, one JSON object, one annotation."""

    location: SourceLocation
    message: str
    field: str = ""
    """Dotted path of the offending field (``memo.title``, ``timeline[2].date``); empty if none."""
    severity: Severity = "error"

    def __str__(self) -> str:
        field = f" {printable(self.field)}:" if self.field else ""
        warning = " (warning)" if self.severity == "warning" else ""
        return f"{self.location}:{field} {printable(self.message)}{warning}"

    def as_json(self) -> dict[str, str | int | None]:
        """The problem as ``{file, line, column, field, message, severity}``; ``None`` for
        what is unknown (no file, the whole file, no field)."""
        loc = self.location
        return {
            "file": loc.file or None,
            "line": loc.line or None,
            "column": loc.column or None,
            "field": self.field or None,
            "message": self.message,
            "severity": self.severity,
        }

    @classmethod
    def from_json(cls, data: object) -> Problem | None:
        """The problem :meth:`as_json` gave, read back (from a manifest); ``None`` if
        ``data`` is not one (a manifest may have been edited by hand)."""
        if not isinstance(data, dict) or not isinstance(data.get("message"), str):
            return None
        file, line, column, field = (data.get(k) for k in ("file", "line", "column", "field"))
        severity = data.get("severity")
        return cls(
            SourceLocation(
                file if isinstance(file, str) else "",
                line if isinstance(line, int) and not isinstance(line, bool) else 0,
                column if isinstance(column, int) and not isinstance(column, bool) else 0,
            ),
            data["message"],
            field if isinstance(field, str) else "",
            "warning" if severity == "warning" else "error",
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.message)


class ReportError(Exception):
    """An expected failure, shown to the user as one line per problem."""

    exit_code = EXIT_BUILD_FAILED

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(SourceLocation(""), problems)]
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """Return one ``file:line:col: field.path: message`` line per problem, sorted."""
        return [str(p) for p in self.problems]


class InputError(ReportError):
    """Something the user wrote or typed is wrong; fixing the input fixes the run."""

    exit_code = EXIT_INVALID_INPUT


class FactsError(InputError):
    """A fact base could not be loaded or failed validation."""


class StyleError(InputError):
    """A house-style file could not be loaded or failed validation."""


class TemplateError(InputError):
    """A template is missing, fails to render, or emits markup the reader rejects."""


class UsageError(InputError):
    """A command-line option or path is wrong."""


class BuildError(ReportError):
    """Valid input that could not be turned into an output file."""

    exit_code = EXIT_BUILD_FAILED
