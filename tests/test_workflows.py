"""The shipped CI: the workflows and the composite action are valid, kept tidy (pinned,
cached, cancelled when superseded, least privilege), and their steps, run locally by the
stand-in runner in ``ghactions.py``, do what their comments say."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, ROOT, fact_base, write_yaml
from ghactions import Runner, load, reports_command

WORKFLOWS = ROOT / ".github" / "workflows"
MEMOS, SHARDED, ACTION = (
    WORKFLOWS / "memos.yml",
    WORKFLOWS / "memos-sharded.yml",
    ROOT / "action.yml",
)


@pytest.mark.parametrize(
    ("path", "schema"),
    [(MEMOS, "github-workflows"), (SHARDED, "github-workflows"), (ACTION, "github-actions")],
    ids=["memos", "sharded", "action"],
)
def test_valid_for_github(path: Path, schema: str) -> None:
    exe = shutil.which("check-jsonschema")
    assert exe is not None, "check-jsonschema comes with the test extra"
    result = subprocess.run(
        [exe, "--builtin-schema", f"vendor.{schema}", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", [MEMOS, SHARDED, ACTION], ids=["memos", "sharded", "action"])
def test_actions_are_pinned_to_a_commit_with_its_tag_beside(path: Path) -> None:
    uses = [line.strip() for line in path.read_text("utf-8").splitlines()]
    uses = [line for line in uses if re.match(r"(- )?uses: ", line)]
    assert uses
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w-]+/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


@pytest.mark.parametrize("path", [MEMOS, SHARDED], ids=["memos", "sharded"])
def test_workflow_hygiene(path: Path) -> None:
    flow = load(path)
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["cancel-in-progress"] is True
    assert "${{ github.ref }}" in flow["concurrency"]["group"]
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads `on` as true
    for event in ("push", "pull_request"):
        if event in triggers:
            assert triggers[event]["branches"] == ["main"]  # one run per push, not two
    own = path.relative_to(ROOT).as_posix()
    for job in flow["jobs"].values():
        assert job["timeout-minutes"] <= 20
        for step in _steps(job):
            uses, given = step.get("uses", ""), step.get("with", {})
            if uses.startswith("actions/checkout@"):
                assert given["persist-credentials"] is False
            if uses.startswith("actions/setup-python@"):
                assert given["cache"] == "pip"
                assert given["cache-dependency-path"].split() == ["pyproject.toml", own]
            if uses.startswith("actions/upload-artifact@"):
                # the published memos for a month; a shard's part only until the merge
                assert given["retention-days"] == (30 if given["name"] == "memos" else 1)
            if "apt-get" in step.get("run", ""):
                assert step["if"] == "steps.fonts.outputs.cache-hit != 'true'"


def _memos(workspace: Path, count: int, broken: int | None = None) -> None:
    data = workspace / "data"
    data.mkdir(parents=True)
    for i in range(count):
        target = data / f"memo-{i:02d}.yaml"
        if i == broken:
            write_yaml(target, fact_base(**{"memo.title": ""}))
        else:
            shutil.copy(CASES / "minimal.yaml", target)


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    return Runner(tmp_path / "work", tmp_path / "artifacts", reports_command(tmp_path / "bin"))


def test_one_broken_memo_among_40(runner: Runner) -> None:
    """Issue 17: 39 memos uploaded, a summary table, annotations for the broken one, and
    a failing job at the end."""
    _memos(runner.workspace, 40, broken=17)
    job = runner.job(load(MEMOS), "memos")
    assert job is not None
    build = job.step("Build every memo")
    assert build.outcome == "success"  # every memo attempted; the failure comes last
    assert (
        "::error file=data/memo-17.yaml,line=3,col=10,title=memo.title::must not be empty\n"
        in build.stderr
    )
    assert job.step("Upload the memos").outcome == "success"
    failing = job.step("Fail if a memo failed")
    assert (failing.outcome, failing.returncode) == ("failure", 2)
    assert job.result == "failure"
    memos = runner.artifacts["memos"]
    assert len(list(memos.glob("*.pdf"))) == len(list(memos.glob("*.docx"))) == 39
    assert not (memos / "memo-17.pdf").exists()
    assert len(json.loads((memos / "manifest.json").read_text("utf-8"))["memos"]) == 40
    summary = job.summary.splitlines()
    assert summary[2] == "40 memos: 39 built, 1 failed"
    assert summary[6] == "| data/memo-00.yaml | ✅ built | 1 |  |"
    problem = "data/memo-17.yaml:3:10: memo.title: must not be empty"
    assert f"| data/memo-17.yaml | ❌ failed |  | {problem} |" in summary


def test_a_second_runner_checks_the_bytes(runner: Runner, tmp_path: Path) -> None:
    _memos(runner.workspace, 3)
    flow = load(MEMOS)
    first = runner.job(flow, "memos")
    assert first is not None and first.result == "success"
    assert first.step("Fail if a memo failed").outcome == "skipped"
    # the second runner: a fresh checkout, the first one's artifact
    second = runner.machine(tmp_path / "clean")
    _memos(second.workspace, 3)
    again = second.job(flow, "reproducible", needs={"memos": "success"})
    assert again is not None and again.result == "success", again.steps[-1].stderr
    assert "3 memos: 3 up to date" in again.summary
    assert second.job(flow, "reproducible", needs={"memos": "failure"}) is None
