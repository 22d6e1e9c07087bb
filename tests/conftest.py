"""Shared helpers: the CLI in this process (or, where isolation matters, in a real one), the
example memo built once, and PDFs and DOCX files read back as text.

The pyramid: most tests call :func:`run_cli` (``reports`` in this process, through click)
or the stages themselves; :func:`run_process` starts a real ``python -m reports`` only where a
fresh interpreter or several processes are the point (cold start, ``--jobs 2``, ``watch``,
the CI workflow's steps). Real clients (qpdf, pdffonts, LibreOffice) check what we write.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reports.layout import roman_numeral

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLE = DATA / "critical-minerals-2024-02-13.yaml"
EXAMPLE_KO = DATA / "critical-minerals-2024-02-13-ko.yaml"
CASES = Path(__file__).resolve().parent / "cases"
TEMPLATES = ROOT / "src" / "reports" / "templates"
MINIMAL_TEXT = "".join(
    line
    for line in (CASES / "minimal.yaml").read_text("utf-8").splitlines(keepends=True)
    if not line.startswith("# yaml-language-server:")
)
"""The smallest valid fact base without its editor modeline, so that the positions tests
expect count from its first key."""

SYSTEM_FONTS = {"NanumGothic": "NanumGothic.ttf", "DejaVu Sans": "DejaVuSans.ttf"}
"""The fallback fonts of the shipped house style, which come from the system (family → file)."""


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and output, as ``subprocess.CompletedProcess`` has."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str | None] | None = None) -> Ran:
    """Run ``reports ARGS`` in this process, as the console script does, capturing output.

    ``env`` entries are set for the call (``None`` removes one) and ``cwd`` (default: the
    repository) is entered for the call only. An exception other than ``SystemExit`` would
    be a traceback for a user: it is not caught, so the test fails with it.
    """
    from reports.cli import cli

    before = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        result = _runner().invoke(
            cli, list(args), prog_name="reports", env=env, catch_exceptions=False
        )
    finally:
        os.chdir(before)
    return Ran(result.exit_code, result.stdout, result.stderr)


def _runner() -> Any:
    from click.testing import CliRunner

    try:  # click 8.1 mixes standard error into standard output unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click 8.2 on keeps them apart, and has no such option
        return CliRunner()


def run_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> Ran:
    """Run ``python -m reports ARGS`` in a new process, for tests that need one."""
    result = subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )
    return Ran(result.returncode, result.stdout, result.stderr)


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``), where nothing may be skipped for want of
    a tool or a font."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(what: str) -> None:
    if in_ci():
        pytest.fail(f"{what} is required in CI but is not installed")
    pytest.skip(f"{what} not installed")


def need_tool(name: str) -> str:
    """Return the path of a system tool; skip locally, fail under CI=true, when it is missing."""
    path = shutil.which(name)
    if path is None:
        _unavailable(name)
    assert path is not None
    return path


def need_fonts(*families: str) -> None:
    """Skip locally, fail under CI=true, unless the system fonts ``families`` are found
    (default: both fallback fonts of the shipped house style)."""
    from reports.style import find_font_file

    for family in families or tuple(SYSTEM_FONTS):
        if find_font_file(SYSTEM_FONTS[family], family, "regular") is None:
            _unavailable(f"the {family} font")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder (XDG_CACHE_HOME) of the test session's own, for this process and the
    processes it starts: the compiled-template cache never touches the user's."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(folder))
    # dates in the files come from the memos unless a test sets SOURCE_DATE_EPOCH itself
    patch.delenv("SOURCE_DATE_EPOCH", raising=False)
    yield folder
    patch.undo()


def libreoffice_pdf(docx_path: Path, folder: Path) -> Path:
    """Convert a DOCX to PDF with LibreOffice (a real client), in a private profile."""
    return libreoffice_convert(docx_path, folder, "pdf")


def libreoffice_convert(docx_path: Path, folder: Path, fmt: str) -> Path:
    """Open a DOCX in LibreOffice and save it as ``fmt`` (``pdf``; ``docx``: a re-save, as
    a colleague's LibreOffice would) into ``folder``, in a private profile."""
    soffice = need_tool("soffice")
    target = folder / f"{docx_path.stem}.{fmt}"
    if target.resolve() == docx_path.resolve():
        raise ValueError("convert into another folder: LibreOffice would overwrite the input")
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--convert-to",
            "docx:MS Word 2007 XML" if fmt == "docx" else fmt,
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    converted = target
    assert result.returncode == 0 and converted.is_file(), result.stdout + result.stderr
    return converted


def squash(text: str) -> str:
    """Collapse all white space to single spaces, as both formats reflow text."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path | bytes) -> list[str]:
    """The text of each page of a PDF (a file, or the bytes of one)."""
    import io

    from pypdf import PdfReader

    stream = io.BytesIO(path) if isinstance(path, bytes) else str(path)
    return [page.extract_text() or "" for page in PdfReader(stream).pages]


def docx_text(path: Path | bytes, *, furniture: bool = True) -> str:
    """All text of a DOCX in reading order: body paragraphs and tables, then headers/footers."""
    import io

    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    # every DOCX a test reads is also checked for duplicate style ids, which make Word and
    # LibreOffice use one copy and ignore the other
    style_ids = [s.get(qn("w:styleId")) for s in document.styles.element.findall(qn("w:style"))]
    assert len(style_ids) == len(set(style_ids)), sorted(style_ids)
    labels = NumberingLabels(document)

    def para(el: object) -> str:
        out = [labels.label(el)]
        for node in el.iter(qn("w:t"), qn("w:tab"), qn("w:br")):  # type: ignore[attr-defined]
            out.append(node.text or "" if node.tag == qn("w:t") else " ")
        return "".join(out)

    parts = [para(el) for el in document.element.body.iter(qn("w:p"))]
    parts.extend(para(el) for el in _footnote_paragraphs(document))
    parts.extend(_chart_texts(document))
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


def _footnote_paragraphs(document: Any) -> list[Any]:
    """The paragraphs of a DOCX's footnotes, which python-docx reads as an opaque part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return list(etree.fromstring(rel.target_part.blob).iter(qn("w:p")))
    return []


def _chart_texts(document: Any) -> list[str]:
    """The words of a DOCX's charts (titles, axis titles, series names, categories), which
    live in their own parts, as Word shows them."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    texts = []
    for rel in document.part.rels.values():
        if rel.reltype == RT.CHART:
            root = etree.fromstring(rel.target_part.blob)
            a, c = (
                f"http://schemas.openxmlformats.org/drawingml/2006/{n}" for n in ("main", "chart")
            )
            texts += [t.text or "" for t in root.iter(f"{{{a}}}t")]
            for cache in root.iter(f"{{{c}}}strCache"):
                texts += [v.text or "" for v in cache.iter(f"{{{c}}}v")]
    return texts


class NumberingLabels:
    """The labels Word's numbering puts before paragraphs ("Q1 ", "I. ", "• "), as a reader
    sees them: from the paragraph's own numbering or its style's, counted in order."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        numbering = document.part.numbering_part.element
        abstracts = {
            a.get(qn("w:abstractNumId")): a.find(qn("w:lvl"))
            for a in numbering.findall(qn("w:abstractNum"))
        }
        self.levels: dict[str, Any] = {}
        self.starts: dict[str, int] = {}
        for num in numbering.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            self.levels[num_id] = abstracts.get(num.find(qn("w:abstractNumId")).get(qn("w:val")))
        self.style_nums: dict[str, str | None] = {}
        styles = {s.get(qn("w:styleId")): s for s in document.styles.element.findall(qn("w:style"))}
        for style_id in styles:
            sid, seen = style_id, set()
            while sid in styles and sid not in seen:
                seen.add(sid)
                num = styles[sid].find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
                if num is not None:
                    self.style_nums[style_id] = num.get(qn("w:val"))
                    break
                based = styles[sid].find(qn("w:basedOn"))
                sid = based.get(qn("w:val")) if based is not None else None
        self.counters: dict[str, int] = {}

    def label(self, p: Any) -> str:
        qn = self.qn
        own = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        num_id = own.get(qn("w:val")) if own is not None else None
        if num_id is None and style is not None:
            num_id = self.style_nums.get(style.get(qn("w:val")))
        lvl = self.levels.get(num_id) if num_id not in (None, "0") else None
        if lvl is None:
            return ""
        count = self.counters[num_id] = self.counters.get(num_id, 0) + 1
        fmt = lvl.find(qn("w:numFmt")).get(qn("w:val"))
        text = lvl.find(qn("w:lvlText")).get(qn("w:val"))
        shown = {"decimal": str(count), "upperRoman": roman_numeral(count)}.get(fmt, "")
        return text.replace("%1", shown).replace("%%", "%") + " "


@dataclass(frozen=True)
class Built:
    pdf: Path
    docx: Path
    out: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example memos (English and Korean), built once by the CLI into a temporary folder."""
    need_fonts()
    out = tmp_path_factory.mktemp("out")
    result = run_cli("build", str(DATA), "--out", str(out))
    assert result.returncode == 0, result.stderr
    stem = EXAMPLE.stem
    return Built(out / f"{stem}.pdf", out / f"{stem}.docx", out)


@pytest.fixture(scope="session")
def winter_in_libreoffice(built: Built, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of each page of the version 2 example's DOCX as LibreOffice lays it out
    (converted once: its chart and its timeline chart are checked on the same pages)."""
    docx = built.out / "winter-road-safety-2025-11-20.docx"
    return pdf_pages(libreoffice_pdf(docx, tmp_path_factory.mktemp("winter-lo")))


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


def memo_files(folder: Path) -> list[Path]:
    """The memos in an output folder: everything but the manifest, which records failures too."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.iterdir() if p.name != "manifest.json")


def write_facts(folder: Path, text: str, name: str = "memo.yaml") -> Path:
    """Write a fact base into ``folder`` and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    """The problems loading ``path`` reports, each without the file name in front."""
    from reports.errors import FactsError
    from reports.validate import load_facts

    with pytest.raises(FactsError) as caught:
        load_facts(path)
    return [line.replace(f"{path}:", "") for line in caught.value.lines()]
