"""The sharded workflow and the composite action, their steps run locally by the stand-in
runner in ``ghactions.py`` (a file of its own so that it runs beside test_workflows.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import ROOT, run_cli
from ghactions import Runner, load
from test_workflows import ACTION, SHARDED, _memos, runner

__all__ = ["runner"]  # the fixture


def test_sharded_workflow_publishes_one_build(runner: Runner, tmp_path: Path) -> None:
    """Four shards and a merge give the artifact one runner builds, even with a memo broken."""
    flow = load(SHARDED)
    shards = flow["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    machines = [runner.machine(tmp_path / f"shard-{i}") for i in shards]
    for machine in machines:
        _memos(machine.workspace, 8, broken=3)
    with ThreadPoolExecutor(len(shards)) as pool:  # one machine each, at once
        jobs = list(
            pool.map(lambda m, i: m.job(flow, "shard", matrix={"shard": i}), machines, shards)
        )
    assert sorted(runner.artifacts) == [f"memos-shard-{i}" for i in (1, 2, 3, 4)]
    assert [j.result for j in jobs if j is not None].count("failure") == 1
    _memos(runner.workspace, 8, broken=3)
    merge = runner.job(flow, "merge", needs={"shard": "failure"})
    assert merge is not None
    assert merge.step("Merge the shards").outcome == "success"
    assert merge.step("Upload the memos").outcome == "success"
    assert merge.step("Fail if a shard failed").outcome == "failure"
    assert "8 memos: 7 built, 1 failed" in merge.summary
    # the same as one build of the same fact bases, by the command memos.yml runs
    single = tmp_path / "single"
    _memos(single, 8, broken=3)
    assert run_cli("build", "data/", "--out", "output", "-q", cwd=single).returncode == 2

    def tree(folder: Path) -> dict[str, bytes]:
        files = (p for p in folder.rglob("*") if p.is_file())
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}

    assert tree(runner.artifacts["memos"]) == tree(single / "output")
    assert len(tree(single / "output")) == 15


def test_the_composite_action(runner: Runner) -> None:
    _memos(runner.workspace, 2)
    action = load(ACTION)
    job = runner.action(action, ROOT, {"facts": "data", "formats": "pdf", "shard": "1/1"})
    assert job.result == "success", job.steps[-1].stderr
    assert job.outputs["build"]["status"] == "0"
    assert sorted(p.name for p in (runner.workspace / "output").iterdir()) == [
        "manifest.json",
        "memo-00.pdf",
        "memo-01.pdf",
    ]
    assert "2 memos: 2 built" in job.summary
    (runner.workspace / "data" / "memo-01.yaml").unlink()
    check = runner.action(action, ROOT, {"facts": "data", "formats": "pdf", "check": "true"})
    assert (check.result, check.outputs["build"]["status"]) == ("failure", "1")
    assert (
        "1 memos: 1 orphan" in check.summary or "2 memos: 1 orphan, 1 up to date" in check.summary
    )
    assert "orphan: output/memo-01.pdf" in check.steps[-1].stderr
