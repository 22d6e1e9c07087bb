"""Commands import only what they need: no ReportLab to validate, no python-docx for a PDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

PROBE = """
import sys
from reports.cli import main
try:
    main({args!r})
except SystemExit:
    pass
heavy = {{'reportlab', 'reportlab.platypus', 'docx', 'jinja2'}}
loaded = sorted({{m for m in sys.modules}} & heavy)
print('LOADED:' + ','.join(loaded))
"""


def loaded_after(*args: str) -> set[str]:
    code = PROBE.format(args=list(args))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("LOADED:"))
    return set(filter(None, line[len("LOADED:") :].split(",")))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # validate checks glyphs in the fonts a build embeds: font files, not layout
        (("validate", str(EXAMPLE)), {"reportlab"}),
        (("schema",), set()),
        (("--version",), set()),
        (
            ("build", str(EXAMPLE), "-f", "pdf", "-q", "--out", "{tmp}"),
            {"reportlab", "reportlab.platypus", "jinja2"},
        ),
        (("build", str(EXAMPLE), "-f", "docx", "-q", "--out", "{tmp}"), {"docx", "jinja2"}),
    ],
)
def test_each_command_imports_only_what_it_needs(
    args: tuple[str, ...], expected: set[str], tmp_path: Path
) -> None:
    argv = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    assert loaded_after(*argv) == expected
