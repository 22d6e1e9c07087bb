"""One problem type everywhere: a line of text, a JSON object, a GitHub annotation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CASES, fact_base, run_cli, write_yaml

from reports.build.ci import annotation
from reports.errors import Problem, SourceLocation, UsageError

TITLE = {
    "file": "broken.yaml",
    "line": 3,
    "column": 10,
    "field": "memo.title",
    "message": "must not be empty",
    "severity": "error",
}


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """A folder with one valid and one broken fact base."""
    write_yaml(tmp_path / "good.yaml", fact_base())
    shutil.copy(CASES / "invalid" / "types.yaml", tmp_path / "broken.yaml")
    return tmp_path


def test_a_problem_as_text_and_as_json() -> None:
    problem = Problem(SourceLocation("data/x.yaml", 3, 10), "must not be empty", "memo.title")
    assert str(problem) == "data/x.yaml:3:10: memo.title: must not be empty"
    assert problem.as_json() == {**TITLE, "file": "data/x.yaml"}
    warning = Problem(SourceLocation("data/x.yaml"), "no glyph", severity="warning")
    assert str(warning) == "data/x.yaml: no glyph (warning)"
    assert warning.as_json() == {
        "file": "data/x.yaml",
        "line": None,
        "column": None,
        "field": None,
        "message": "no glyph",
        "severity": "warning",
    }
    (of_the_run,) = UsageError("unknown format odt").problems
    assert str(of_the_run) == "reports: unknown format odt"
    assert of_the_run.as_json()["file"] is None


def test_validate_json(two: Path) -> None:
    result = run_cli("validate", "--json", ".", cwd=two)
    assert result.returncode == 2
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"failed": 1, "valid": 1}
    broken, good = summary["results"]
    assert (broken["source"], broken["status"]) == ("broken.yaml", "failed")
    assert broken["problems"][0] == TITLE
    assert len(broken["problems"]) == 8
    assert (good["source"], good["status"], good["problems"]) == ("good.yaml", "valid", [])
    # the text lines still go to standard error; nothing else goes to standard output
    assert result.stderr.splitlines()[0] == "broken.yaml:3:10: memo.title: must not be empty"


def test_build_json_has_the_same_problems(two: Path) -> None:
    result = run_cli("build", "--json", ".", "--out", "out", "-f", "pdf", cwd=two)
    assert result.returncode == 2
    broken = json.loads(result.stdout)["results"][0]
    assert broken["problems"][0] == TITLE
    manifest = json.loads((two / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["memos"][0]["problems"] == broken["problems"]


def test_annotations_on_github(two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(two))
    result = run_cli("validate", str(two / "broken.yaml"), env={"GITHUB_ACTIONS": "true"})
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"{two / 'broken.yaml'}:3:10: memo.title: must not be empty",
        # the file relative to the repository, as the pull request's diff names it
        "::error file=broken.yaml,line=3,col=10,title=memo.title::must not be empty",
    ]
    assert len(lines) == 16
    quiet = run_cli("validate", str(two), "--annotations", "none", env={"GITHUB_ACTIONS": "true"})
    assert not any(line.startswith("::") for line in quiet.stderr.splitlines())
    asked = run_cli("build", "broken.yaml", "--annotations", "github", "--out", "o", cwd=two)
    assert "::error file=broken.yaml,line=3,col=10,title=memo.title::must not be empty" in (
        asked.stderr.splitlines()
    )


def test_annotations_escape_what_the_runner_unescapes() -> None:
    problem = Problem(
        SourceLocation("a,b:c%.yaml", 2, 0), "100% sure\r\nsecond line", "x", "warning"
    )
    assert annotation(problem) == (
        "::warning file=a%2Cb%3Ac%25.yaml,line=2,title=x::100%25 sure\\r\\nsecond line"
    )
    whole_file = Problem(SourceLocation("x.yaml"), "cannot read: ::stop-commands::t")
    assert (
        annotation(whole_file)
        == "::error file=x.yaml,title=reports::cannot read: ::stop-commands::t"
    )
    of_the_run = Problem(SourceLocation(""), "unknown format odt")
    assert annotation(of_the_run) == "::error title=reports::unknown format odt"


def test_json_output_cannot_carry_a_legacy_workflow_command(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", {**fact_base(), "##[add-mask]x": 1})
    result = run_cli("validate", "--json", str(src))
    assert "##[" not in result.stdout  # the runner reads '##[name]' anywhere in a line
    (memo,) = json.loads(result.stdout)["results"]
    assert memo["problems"][0]["message"].startswith("unknown field '##[add-mask]x'")
