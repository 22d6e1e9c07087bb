"""``reports init`` starts a memo repository that builds; the pre-commit hooks are valid."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, run_cli
from ghactions import reports_command
from test_schema import as_editor_sees

from reports import starter

PRE_COMMIT = shutil.which("pre-commit")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    result = run_cli("init", "memos", "--install", "reports==0.1.0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    folder = tmp_path / "memos"
    assert result.stdout.splitlines() == [
        *(
            f"wrote memos/{name}"
            for name in (
                "data/memo.yaml",
                "factbase.schema.json",
                ".gitignore",
                ".pre-commit-config.yaml",
                ".github/workflows/memos.yml",
            )
        ),
        "next: cd memos && reports build",
    ]
    return folder


def test_init_then_build(repo: Path) -> None:
    """Issue 17: reports init in an empty folder, then reports build, works."""
    result = run_cli("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (repo / "output").iterdir()) == [
        "manifest.json",
        "memo.docx",
        "memo.pdf",
    ]
    assert (repo / ".gitignore").read_text("utf-8").splitlines()[-1] == "output/"


def test_the_starter_points_editors_at_its_schema(repo: Path) -> None:
    memo = repo / "data" / "memo.yaml"
    first = memo.read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../factbase.schema.json"
    schema = json.loads((repo / "factbase.schema.json").read_text("utf-8"))
    jsonschema.validate(as_editor_sees(memo), schema)
    assert schema == json.loads(run_cli("schema").stdout)


def test_the_workflow_is_the_shipped_one_with_the_install_named(repo: Path) -> None:
    shipped = ROOT / "src" / "reports" / "scaffold" / "memos.yml"
    ours = ROOT / ".github" / "workflows" / "memos.yml"
    assert shipped.read_bytes() == ours.read_bytes()  # one workflow, tested once
    written = (repo / ".github" / "workflows" / "memos.yml").read_text("utf-8")
    assert written == ours.read_text("utf-8").replace(
        starter.INSTALL_LINE, '  REPORTS_INSTALL: "reports==0.1.0"\n'
    )
    assert yaml.safe_load(written)["env"]["REPORTS_INSTALL"] == "reports==0.1.0"


def test_init_keeps_what_is_there(repo: Path) -> None:
    (repo / "data" / "memo.yaml").write_text("mine\n", "utf-8")
    (repo / ".gitignore").unlink()
    result = run_cli("init", ".", "--install", "x", cwd=repo)
    assert result.returncode == 0
    assert "wrote .gitignore" in result.stdout.splitlines()
    assert "kept data/memo.yaml (already there)" in result.stdout.splitlines()
    assert (repo / "data" / "memo.yaml").read_text("utf-8") == "mine\n"
    assert result.stdout.endswith("next: reports build\n")


def test_init_refuses_a_file_and_a_bad_install(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("", "utf-8")
    result = run_cli("init", "f", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "reports: f is a file; name a folder for the memo repository\n",
    )
    result = run_cli("init", "new", "--install", "a\nb", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "reports: --install takes what pip install takes, on one line; got 'a\\nb'\n"
    )
    assert not (tmp_path / "new").exists()


class _Distribution:
    def __init__(self, direct_url: dict[str, Any] | None) -> None:
        self.text = json.dumps(direct_url) if direct_url is not None else None

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return self.text


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (
            {"url": "https://github.com/o/reports", "vcs_info": {"vcs": "git", "commit_id": "ab"}},
            ("reports @ git+https://github.com/o/reports@ab", True),
        ),
        (
            {"url": "https://example.org/reports-0.1.0-py3-none-any.whl", "archive_info": {}},
            ("reports @ https://example.org/reports-0.1.0-py3-none-any.whl", True),
        ),
        ({"url": "file:///home/me/reports", "dir_info": {"editable": True}}, None),
        (None, None),
    ],
    ids=["git", "wheel", "local", "index"],
)
def test_the_install_named_is_where_reports_came_from(
    monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, Any] | None, expected: Any
) -> None:
    import importlib.metadata

    from reports import __version__

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: _Distribution(direct_url))
    assert starter.install_spec() == (expected or (f"reports=={__version__}", False))


def test_an_unknown_install_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(starter, "install_spec", lambda: ("reports==0.1.0", False))
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith("note: the workflow installs reports==0.1.0; if reports is")


def _pre_commit(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    assert PRE_COMMIT is not None, "pre-commit comes with the test extra"
    return subprocess.run(
        [PRE_COMMIT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_the_hook_manifest_is_valid() -> None:
    result = _pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["reports-validate"]["entry"] == "reports validate"
    assert hooks["reports-check"]["entry"] == "reports build --check"


def test_the_written_pre_commit_config_runs(repo: Path, tmp_path: Path) -> None:
    assert _pre_commit("validate-config", ".pre-commit-config.yaml", cwd=repo).returncode == 0
    (local,) = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    shipped = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    for key in ("id", "entry", "files", "exclude"):
        assert local[key] == shipped[key], key  # the same hook, local or from this repository
    (repo / "data" / "x.style.yaml").write_text("not: a fact base\n", "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    env = {
        "PATH": f"{reports_command(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    ran = _pre_commit("run", "--all-files", cwd=repo, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "data/memo.yaml: ok" not in ran.stdout  # pre-commit shows output only on failure
    memo = repo / "data" / "memo.yaml"
    memo.write_text(memo.read_text("utf-8").replace("marking: OFFICIAL", "marking:"), "utf-8")
    ran = _pre_commit("run", "--all-files", cwd=repo, env=env)
    assert ran.returncode == 1
    assert "data/memo.yaml:13:11: memo.marking: must not be empty" in ran.stdout


def test_init_writes_nothing_when_a_folder_it_needs_is_a_file(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "workflows").write_text("not a folder", "utf-8")
    ran = run_cli("init", str(tmp_path))
    assert ran.returncode == 2
    assert "is a file where the memo repository needs a folder" in ran.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".github"]
