"""A built wheel carries everything a build needs: no checkout, no --template."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import EXAMPLE, ROOT


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH (a checkout's src/ put first by hand) would hide the installed wheel
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_wheel_installed_outside_the_checkout_builds_the_example(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    # No build isolation: the build backend (setuptools, wheel) is in the test extra, so the
    # test needs no network.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "-q", "-w", wheels, ROOT)  # fmt: skip
    (wheel,) = wheels.glob("reports-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("memo.xml.j2", "house-style.yaml", "messages/fr.yaml",
                    "fonts/LiberationSans-Regular.ttf"):  # fmt: skip
        assert f"reports/templates/{shipped}" in names
    # the colour profile of PDF/A files, and its licence
    assert {"reports/writers/pdf/sRGB.icc", "reports/writers/pdf/sRGB.icc.LICENSE"} <= set(names)
    for scaffold in ("memos.yml", "memo.yaml", "gitignore", "pre-commit-config.yaml"):
        assert f"reports/scaffold/{scaffold}" in names

    # A fresh environment that sees the installed libraries but not this checkout's
    # editable install: the wheel's copy of reports comes first on its path.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel)
    where = run(python, "-c", "import reports; print(reports.__file__)").stdout.strip()
    assert Path(where).is_relative_to(venv), where

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(EXAMPLE, work / "memo.yaml")
    run(venv / "bin" / "reports", "build", "memo.yaml", "--out", "out", "--pdfa", cwd=work)
    assert (work / "out" / "memo.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(work / "out" / "memo.docx")
    # reports init from the wheel alone: a repository that builds
    run(venv / "bin" / "reports", "init", "repo", cwd=work)
    run(venv / "bin" / "reports", "build", cwd=work / "repo")
    assert (work / "repo" / "output" / "memo.pdf").is_file()


def test_the_template_command_copies_the_shipped_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reports.cli import cli
    from reports.resources import default_templates

    target = tmp_path / "my-templates"
    result = CliRunner().invoke(cli, ["template", str(target)])
    assert result.exit_code == 0, result.output
    shipped = sorted(p.relative_to(default_templates()) for p in default_templates().rglob("*.*"))
    assert sorted(p.relative_to(target) for p in target.rglob("*.*")) == shipped
    (target / "messages" / "en.yaml").write_text(
        (target / "messages" / "en.yaml").read_text("utf-8").replace("Summary", "Bottom line"),
        "utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(EXAMPLE), "-f", "docx", "-t", str(target), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    from conftest import docx_text

    assert "Bottom line" in docx_text(out / f"{EXAMPLE.stem}.docx")
    again = CliRunner().invoke(cli, ["template", str(target)])
    assert again.exit_code == 2
    assert f"reports: {target} already exists; name a new folder" in again.output
