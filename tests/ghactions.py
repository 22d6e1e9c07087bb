"""A small local stand-in for the GitHub Actions runner: enough to run this repository's
workflows and its composite action, step by step, on a test's folder.

``run`` steps go to bash as the runner sends them (``bash --noprofile --norc -eo pipefail``)
with its files and variables (``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY``,
``GITHUB_ACTIONS=true``, ``GITHUB_WORKSPACE``); ``if:`` conditions and ``${{ }}``
expressions are evaluated; artifacts are uploaded and downloaded between jobs by copying
folders. What sets up a machine is skipped: checkout and setup-python (the test's folder
and Python are there), pip installs (reports is importable), and the font cache reports a
hit (the fonts are installed). An expression or action this stand-in does not know fails
the test rather than being guessed at.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SETUP_ACTIONS = ("actions/checkout", "actions/setup-python")


@dataclass
class StepRun:
    """What one step did."""

    name: str
    outcome: str
    """``success``, ``failure`` or ``skipped``, as ``steps.<id>.outcome`` says."""
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    summary: str = ""
    """What it wrote to ``$GITHUB_STEP_SUMMARY``."""


@dataclass
class JobRun:
    """What a job did: its steps and its result."""

    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    """Step id → its outputs."""

    @property
    def result(self) -> str:
        """``success`` or ``failure``, as ``needs.<job>.result`` says."""
        return "failure" if any(s.outcome == "failure" for s in self.steps) else "success"

    def step(self, name: str) -> StepRun:
        (found,) = [s for s in self.steps if s.name == name]
        return found

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def reports_command(bin_dir: Path) -> Path:
    """A ``reports`` on ``PATH`` that runs this Python's reports (the test's, not another)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "reports"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m reports "$@"\n', "utf-8")
    shim.chmod(0o755)
    return bin_dir


class Runner:
    """Runs jobs in ``workspace``; artifacts are kept in ``store``, shared by every job."""

    def __init__(self, workspace: Path, store: Path, bin_dir: Path) -> None:
        self.workspace = workspace
        self.store = store
        self.bin_dir = bin_dir
        self.artifacts: dict[str, Path] = {}

    def machine(self, workspace: Path) -> Runner:
        """Another runner machine (a fresh workspace) that shares this one's artifacts."""
        other = Runner(workspace, self.store, self.bin_dir)
        other.artifacts = self.artifacts
        return other

    # ------------------------------------------------------------------ jobs

    def job(
        self,
        workflow: dict[str, Any],
        name: str,
        *,
        matrix: dict[str, Any] | None = None,
        needs: dict[str, str] | None = None,
    ) -> JobRun | None:
        """Run one job (one cell of its matrix); ``None`` when its ``if:`` skips it."""
        job = workflow["jobs"][name]
        context: dict[str, Any] = {
            "matrix": matrix or {},
            "needs": {job: {"result": result} for job, result in (needs or {}).items()},
            "strategy": {"job-total": str(_job_total(job))},
            "github": {"workflow": workflow["name"], "ref": "refs/heads/main"},
        }
        wanted = [n for n in _as_list(job.get("needs"))]
        assert sorted(wanted) == sorted(context["needs"]), "give the result of every need"
        if not self._condition(job.get("if"), context, failed=False, job_level=True):
            return None
        env = {**workflow.get("env", {}), **job.get("env", {})}
        return self.steps(job["steps"], context, env)

    def action(self, action: dict[str, Any], action_path: Path, inputs: dict[str, str]) -> JobRun:
        """Run a composite action's steps, with ``inputs`` over its defaults."""
        given = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
        unknown = set(inputs) - set(given)
        assert not unknown, f"the action has no inputs {unknown}"
        context = {
            "inputs": {**given, **inputs},
            "github": {"action_ref": "0" * 40, "action_path": str(action_path)},
        }
        return self.steps(
            action["runs"]["steps"], context, {"GITHUB_ACTION_PATH": str(action_path)}
        )

    def steps(
        self, steps: list[dict[str, Any]], context: dict[str, Any], env: dict[str, Any]
    ) -> JobRun:
        run = JobRun()
        outcomes: dict[str, str] = {}
        for number, step in enumerate(steps):
            context = {
                **context,
                "steps": {
                    k: {"outputs": v, "outcome": outcomes[k]} for k, v in run.outputs.items()
                },
            }
            name = step.get("name") or step.get("uses") or f"step {number}"
            failed = run.result == "failure"
            if not self._condition(step.get("if"), context, failed=failed):
                run.steps.append(StepRun(name, "skipped"))
                continue
            outputs: dict[str, str] = {}
            if "uses" in step:
                done = self._uses(name, step, context, outputs)
            else:
                step_env = {**env, **step.get("env", {})}
                done = self._run(name, step, context, step_env, outputs)
            run.steps.append(done)
            if "id" in step:
                run.outputs[step["id"]] = outputs
                outcomes[step["id"]] = done.outcome
        return run

    # ------------------------------------------------------------------ steps

    def _run(
        self,
        name: str,
        step: dict[str, Any],
        context: dict[str, Any],
        env: dict[str, Any],
        outputs: dict[str, str],
    ) -> StepRun:
        script = self._expand(step["run"], context)
        if "pip install" in script:
            return StepRun(name, "success")  # reports is already importable
        files = self.workspace.parent / f"{self.workspace.name}-runner"
        files.mkdir(parents=True, exist_ok=True)
        output, summary = files / "output", files / "summary"
        for f in (output, summary):
            f.write_text("", "utf-8")
        variables = {k: self._expand(str(v), context) for k, v in env.items()}
        script_file = files / "step.sh"
        script_file.write_text(script, "utf-8")
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
            cwd=self.workspace,
            capture_output=True,
            text=True,
            timeout=300,
            env={
                **os.environ,
                **variables,
                "PATH": f"{self.bin_dir}{os.pathsep}{os.environ['PATH']}",
                "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(self.workspace),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
            },
        )
        for line in output.read_text("utf-8").splitlines():
            key, _, value = line.partition("=")
            outputs[key] = value
        return StepRun(
            name,
            "success" if result.returncode == 0 else "failure",
            result.returncode,
            result.stdout,
            result.stderr,
            summary.read_text("utf-8"),
        )

    def _uses(
        self, name: str, step: dict[str, Any], context: dict[str, Any], outputs: dict[str, str]
    ) -> StepRun:
        action, _, ref = step["uses"].partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned to a commit"
        given = {k: self._expand(str(v), context) for k, v in step.get("with", {}).items()}
        if action in SETUP_ACTIONS:
            return StepRun(name, "success")
        if action == "actions/cache":
            outputs["cache-hit"] = "true"  # the test's machine has the fonts
            return StepRun(name, "success")
        if action == "actions/upload-artifact":
            return self._upload(name, given)
        if action == "actions/download-artifact":
            return self._download(name, given)
        raise AssertionError(f"this stand-in cannot run {action}")

    def _upload(self, name: str, given: dict[str, str]) -> StepRun:
        artifact = given["name"]
        assert artifact not in self.artifacts, f"two uploads named {artifact}"
        source = self.workspace / given["path"]
        if not source.is_dir() or not any(source.iterdir()):
            failed = given.get("if-no-files-found", "warn") == "error"
            return StepRun(name, "failure" if failed else "success", stderr="no files found")
        target = self.store / artifact
        shutil.copytree(source, target)
        self.artifacts[artifact] = target
        return StepRun(name, "success")

    def _download(self, name: str, given: dict[str, str]) -> StepRun:
        path = self.workspace / given.get("path", ".")
        if "name" in given:
            shutil.copytree(self.artifacts[given["name"]], path, dirs_exist_ok=True)
        else:
            for artifact, folder in sorted(self.artifacts.items()):
                if fnmatch.fnmatchcase(artifact, given["pattern"]):
                    shutil.copytree(folder, path / artifact, dirs_exist_ok=True)
        return StepRun(name, "success")

    # ------------------------------------------------------------------ expressions

    def _lookup(self, expr: str, context: dict[str, Any]) -> str:
        if expr in ("runner.arch", "runner.os"):
            return "X64" if expr == "runner.arch" else "Linux"
        value: Any = context
        for part in expr.split("."):
            assert isinstance(value, dict) and part in value, f"unknown expression {expr}"
            value = value[part]
        return str(value)

    def _expand(self, text: str, context: dict[str, Any]) -> str:
        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: self._lookup(m[1], context), text)

    def _condition(
        self, text: Any, context: dict[str, Any], *, failed: bool, job_level: bool = False
    ) -> bool:
        if text is None:
            return not failed and not (job_level and _any_failed(context))
        expr = re.sub(r"^\$\{\{\s*(.*?)\s*\}\}$", r"\1", str(text).strip())
        terms = [t.strip() for t in expr.split("&&")]
        status = {"always()", "!cancelled()", "success()", "failure()"}
        if not any(t in status for t in terms):
            terms.insert(0, "success()")
        for term in terms:
            if term in ("always()", "!cancelled()"):
                continue
            if term == "success()":
                ok = not failed and not (job_level and _any_failed(context))
            elif term == "failure()":
                ok = failed
            else:
                match = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", term)
                assert match, f"unknown condition {term}"
                equal = self._lookup(match[1], context) == match[3]
                ok = equal if match[2] == "==" else not equal
            if not ok:
                return False
        return True


def _any_failed(context: dict[str, Any]) -> bool:
    return any(n["result"] != "success" for n in context.get("needs", {}).values())


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _job_total(job: dict[str, Any]) -> int:
    matrix = job.get("strategy", {}).get("matrix", {})
    total = 1
    for values in matrix.values():
        total *= len(values)
    return total
