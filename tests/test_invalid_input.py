"""Broken fact bases: exact messages, exit code 2, no traceback, and no output written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASES, memo_files, run_cli

INVALID = CASES / "invalid"
NAMES = sorted(p.stem for p in INVALID.glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_validate_reports_every_problem_exactly(name: str) -> None:
    result = run_cli("validate", f"{name}.yaml", cwd=INVALID)
    expected = (INVALID / f"{name}.expected").read_text(encoding="utf-8")
    assert result.returncode == 2
    assert result.stderr == expected
    assert result.stdout == ""


@pytest.mark.parametrize("name", NAMES)
def test_build_writes_nothing_for_a_broken_fact_base(name: str, tmp_path: Path) -> None:
    result = run_cli("build", f"{name}.yaml", "--out", str(tmp_path), cwd=INVALID)
    assert result.returncode == 2
    assert result.stderr == (INVALID / f"{name}.expected").read_text(encoding="utf-8")
    assert memo_files(tmp_path) == []
    # the manifest records the failure, for CI to report
    (memo,) = json.loads((tmp_path / "manifest.json").read_text("utf-8"))["memos"]
    assert memo["status"] == "failed" and memo["problems"]


def test_minimal_fact_base_is_valid() -> None:
    result = run_cli("validate", str(CASES / "minimal.yaml"))
    assert result.returncode == 0, result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(
        "build", str(CASES / "minimal.yaml"), "--format", "pdf,xls", "--out", str(tmp_path)
    )
    assert result.returncode == 2
    assert result.stderr == "reports: unknown format xls; choose from pdf, docx\n"


def test_missing_file_is_reported(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert result.stderr == f"{tmp_path / 'nope.yaml'}: no such file\n"
