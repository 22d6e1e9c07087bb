"""Shared fixtures: build the example memo once through the real CLI and read the files back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLE = DATA / "critical-minerals-2024-02-13.yaml"
CASES = Path(__file__).resolve().parent / "cases"
TEMPLATES = ROOT / "src" / "reports" / "templates"


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m reports`` as a user would, capturing output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def need_tool(name: str) -> str:
    """Return the path of a system tool; skip locally, fail in CI, when it is missing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} not installed")
    return path


def libreoffice_pdf(docx_path: Path, folder: Path) -> Path:
    """Convert a DOCX to PDF with LibreOffice (a real client), in a private profile."""
    soffice = need_tool("soffice")
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    converted = folder / f"{docx_path.stem}.pdf"
    assert result.returncode == 0 and converted.is_file(), result.stdout + result.stderr
    return converted


def squash(text: str) -> str:
    """Collapse all white space to single spaces, as both formats reflow text."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def docx_text(path: Path, *, furniture: bool = True) -> str:
    """All text of a DOCX in reading order: body paragraphs and tables, then headers/footers."""
    import docx
    from docx.oxml.ns import qn

    def para(el: object) -> str:
        out = []
        for node in el.iter(qn("w:t"), qn("w:tab"), qn("w:br")):  # type: ignore[attr-defined]
            out.append(node.text or "" if node.tag == qn("w:t") else " ")
        return "".join(out)

    document = docx.Document(str(path))
    parts = [para(el) for el in document.element.body.iter(qn("w:p"))]
    if furniture:
        for section in document.sections:
            for hf in (
                section.header,
                section.footer,
                section.first_page_header,
                section.first_page_footer,
            ):
                parts.extend(para(el) for el in hf._element.iter(qn("w:p")))
    return "\n".join(parts)


@dataclass(frozen=True)
class Built:
    pdf: Path
    docx: Path
    out: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example memo, built once by the CLI into a temporary folder."""
    out = tmp_path_factory.mktemp("out")
    result = run_cli("build", str(DATA), "--out", str(out))
    assert result.returncode == 0, result.stderr
    stem = EXAMPLE.stem
    return Built(out / f"{stem}.pdf", out / f"{stem}.docx", out)


def fact_base(**changes: object) -> dict[str, object]:
    """The minimal valid fact base as data, with top-level or ``memo.x`` keys changed."""
    import yaml

    data: dict[str, object] = yaml.safe_load((CASES / "minimal.yaml").read_text("utf-8"))
    for key, value in changes.items():
        if key.startswith("memo."):
            data["memo"][key[5:]] = value  # type: ignore[index]
        else:
            data[key] = value
    return data


def write_yaml(path: Path, data: object) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def long_timeline(rows: int) -> list[dict[str, str]]:
    """A timeline of ``rows`` entries, every third one long, dated a day apart."""
    import datetime as dt

    start = dt.date(2020, 1, 1)
    out = []
    for i in range(rows):
        day = start + dt.timedelta(days=i)
        text = f"Entry {i + 1}: the working group met." + " It agreed a text." * (i % 3 * 3)
        out.append({"date": day.isoformat(), "event": text, "significance": f"Step {i + 1}"})
    return out
