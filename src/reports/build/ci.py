"""What CI systems read: GitHub workflow commands that annotate a pull request's files, and
a Markdown summary of a build (GitHub's job summary, or any CI's report page).

Problems reach a pull request's diff as ``::error file=…,line=…,col=…,title=…::message``
lines. Every value is escaped as the runner unescapes it (actions/runner,
``ActionCommand``; actions/toolkit, ``command.ts``): ``%``, CR and LF in the message, and
also ``,`` and ``:`` in the properties, so no text from a fact base can end a property,
add one, or start a second command.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, printable


def annotation(problem: Problem) -> str:
    """``problem`` as a GitHub workflow command: an error or warning on its file and line."""
    loc = problem.location
    props: list[str] = []
    if loc.file:
        props.append(f"file={_property(workspace_path(loc.file))}")
        if loc.line > 0:
            props.append(f"line={loc.line}")
            if loc.column > 0:
                props.append(f"col={loc.column}")
    props.append(f"title={_property(problem.field or 'reports')}")
    return f"::{problem.severity} {','.join(props)}::{_data(problem.message)}"


def workspace_path(file: str) -> str:
    """``file`` relative to the repository's root (``GITHUB_WORKSPACE``, else the working
    folder), as annotations name files; unchanged when it lies outside."""
    base = os.path.abspath(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    try:
        rel = os.path.relpath(os.path.abspath(file), base)
    except ValueError:  # another drive, on Windows
        return file
    return file if rel == ".." or rel.startswith(".." + os.sep) else Path(rel).as_posix()


def _data(text: str) -> str:
    # printable() first: a terminal escape or a tab is shown, not sent to the log viewer
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


_STATUS = {
    "built": "✅ built",
    "valid": "✅ valid",
    "up-to-date": "✅ up to date",
    "stale": "⚠️ stale",
    "failed": "❌ failed",
    "orphan": "⚠️ orphan",
}
_MAX_LINES = 5
"""Problems listed per memo in the summary; the rest are counted (the log has them all)."""
_MAX_CHARS = 300
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|&~$"})
"""Characters Markdown (GitHub's, with tables, strike-through and maths) gives a meaning;
escaped, text from a fact base stays text."""


def _md(text: str) -> str:
    text = printable(text)
    if len(text) > _MAX_CHARS:
        text = text[:_MAX_CHARS] + "…"
    return text.translate(_MARKDOWN)


def _list(value: object) -> list[Any]:
    # a manifest edited by hand may hold anything where a list belongs
    return value if isinstance(value, list) else []


def summary_markdown(
    title: str,
    entries: Sequence[Mapping[str, Any]],
    notes: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A Markdown table of memos, one row each: status, pages, problems; headed by
    ``title`` and the counts of each status.

    ``entries`` are shaped as the manifest's (``source``, ``status``, ``outputs`` with
    ``pages``, ``problems`` as JSON objects), so a build and a merged manifest give the
    same table. ``notes`` are more lines for a memo (``--check``'s stale outputs), or rows
    of their own for sources not in ``entries`` (orphans, with status ``orphan``).
    """
    notes = dict(notes or {})
    rows: list[tuple[str, str, list[int], list[str]]] = []
    for e in sorted(entries, key=lambda e: str(e.get("source"))):
        source = str(e.get("source"))
        outputs = _list(e.get("outputs"))
        pages = [o["pages"] for o in outputs if isinstance(o, dict) and type(o.get("pages")) is int]
        raw = _list(e.get("problems"))
        problems = [str(p) for p in map(Problem.from_json, raw) if p is not None]
        rows.append((source, str(e.get("status")), pages, problems + list(notes.pop(source, []))))
    rows.extend((source, "orphan", [], list(lines)) for source, lines in sorted(notes.items()))
    counts: dict[str, int] = {}
    for _source, status, _pages, _problems in rows:
        counts[status] = counts.get(status, 0) + 1
    tally = ", ".join(f"{n} {status.replace('-', ' ')}" for status, n in sorted(counts.items()))
    lines = [
        f"### {_md(title)}",
        "",
        f"{len(rows)} memo{'s' if len(rows) != 1 else ''}" + (f": {tally}" if tally else ""),
        "",
        "| memo | status | pages | problems |",
        "| --- | --- | ---: | --- |",
    ]
    for source, status, pages, problems in rows:
        shown = problems[:_MAX_LINES]
        if len(problems) > _MAX_LINES:
            shown.append(f"… and {len(problems) - _MAX_LINES} more (see the log)")
        lines.append(
            f"| {_md(source)} | {_STATUS.get(status, _md(status))} "
            f"| {' + '.join(map(str, pages))} | {'<br>'.join(map(_md, shown))} |"
        )
    return "\n".join(lines) + "\n"
