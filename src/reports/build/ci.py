"""What CI systems read: GitHub workflow commands that annotate a pull request's files.

Problems reach a pull request's diff as ``::error file=…,line=…,col=…,title=…::message``
lines. Every value is escaped as the runner unescapes it (actions/runner,
``ActionCommand``; actions/toolkit, ``command.ts``): ``%``, CR and LF in the message, and
also ``,`` and ``:`` in the properties, so no text from a fact base can end a property,
add one, or start a second command.
"""

from __future__ import annotations

import os
from pathlib import Path

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
