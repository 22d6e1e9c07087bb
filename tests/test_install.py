"""A built wheel carries everything a build needs: no checkout, no --template."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import EXAMPLE, ROOT


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300
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
    run(venv / "bin" / "reports", "build", "memo.yaml", "--out", "out", cwd=work)
    assert (work / "out" / "memo.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(work / "out" / "memo.docx")
