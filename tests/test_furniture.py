"""Page furniture, long tables, navigation, metadata and draft marking, read from the files."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import (
    Built,
    docx_text,
    fact_base,
    libreoffice_pdf,
    long_timeline,
    need_tool,
    pdf_pages,
    run_cli,
    squash,
    write_yaml,
)
from docx.oxml.ns import qn
from pypdf import PdfReader

ROWS = 200  # eleven pages of table
HEBREW, ARABIC = (
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
)
RTL = f"Hebrew: {HEBREW}, Arabic: {ARABIC}."


@dataclass(frozen=True)
class Long:
    pdf: Path
    docx: Path


@pytest.fixture(scope="module")
def long_memo(tmp_path_factory: pytest.TempPathFactory) -> Long:
    folder = tmp_path_factory.mktemp("long")
    data = fact_base(
        summary=["One point.", RTL],
        timeline=long_timeline(ROWS),
        **{"memo.status": "draft", "memo.toc": True, "memo.reference": "REF-1"},
    )
    src = write_yaml(folder / "long.yaml", data)
    result = run_cli("build", str(src), "--out", str(folder))
    assert result.returncode == 0, result.stderr
    return Long(folder / "long.pdf", folder / "long.docx")


# ---------------------------------------------------------------- PDF


def test_marking_and_page_n_of_m_on_every_pdf_page(built: Built, long_memo: Long) -> None:
    for pdf in (built.pdf, long_memo.pdf):
        pages = pdf_pages(pdf)
        marking = "UNCLASSIFIED" if pdf == built.pdf else "OFFICIAL"
        assert len(pages) > 1
        for n, text in enumerate(pages, start=1):
            assert text.count(marking) >= 2, f"page {n}"
            assert f"Page {n} of {len(pages)}" in text


def test_long_timeline_repeats_its_header_row_on_every_pdf_page(long_memo: Long) -> None:
    pages = pdf_pages(long_memo.pdf)
    table_pages = [p for p in pages if re.search(r"Entry \d+:", p)]
    assert len(table_pages) >= 10
    for text in table_pages:
        assert "Date Event Significance" in squash(text)
    # every row arrives, in order, and no row is split across pages
    entries = [int(m) for p in pages for m in re.findall(r"Entry (\d+):", p)]
    assert entries == list(range(1, ROWS + 1))
    for text in table_pages:
        last = squash(text).rsplit("Entry ", 1)[1]
        assert "Step " in last, "a row was cut at the bottom of a page"


def test_pdf_outline_lists_every_heading(built: Built) -> None:
    reader = PdfReader(str(built.pdf))

    def titles(items: list[object]) -> list[str]:
        out: list[str] = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])  # type: ignore[attr-defined]
        return out

    assert titles(reader.outline) == [
        "Summary",
        "Purpose",
        "Background",
        "The event",
        "Key points",
        "Who is affected",
        "Timeline",
        "Frequently asked questions",
        "Next steps",
        "Assessment",
        "Sources",
    ]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_pdf_metadata(built: Built) -> None:
    reader = PdfReader(str(built.pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Trade ministers' virtual meeting on critical-minerals supply chains"
    assert meta.author == "Ministry of Trade, Industry and Energy"
    assert meta.subject.startswith("Korea's part in the US-led")
    assert "critical minerals" in meta["/Keywords"]
    assert meta.creator == "reports"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"  # the catalogue's tag, as in the DOCX
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_pdf_links_are_live(tmp_path: Path) -> None:
    data = fact_base(sources=[{"title": "A page", "url": "https://example.org/report"}])
    src = write_yaml(tmp_path / "links.yaml", data)
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", "pdf").returncode == 0
    reader = PdfReader(str(tmp_path / "links.pdf"))
    uris = [
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    ]
    assert uris == ["https://example.org/report"]


def test_draft_watermark_on_every_pdf_page(long_memo: Long) -> None:
    for n, text in enumerate(pdf_pages(long_memo.pdf), start=1):
        assert "DRAFT" in text, f"page {n}"


def test_toc_in_both_formats(long_memo: Long) -> None:
    first = squash(pdf_pages(long_memo.pdf)[0])
    # ReportLab draws each entry's dot leader and page number before its title
    assert re.search(
        r"Contents [. ]+1 Summary [. ]+1 Background [. ]+\d+ Timeline [. ]+\d+ Sources", first
    )
    body = docx.Document(str(long_memo.docx)).element.body
    instr = " ".join(t.text for t in body.iter(qn("w:instrText")))
    assert "TOC" in instr
    assert "Contents" in docx_text(long_memo.docx)


# ---------------------------------------------------------------- DOCX


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(part, n))


def test_docx_footer_has_live_page_fields(built: Built) -> None:
    footers = _xml(built.docx, r"word/footer\d+\.xml")
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footers)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footers)
    assert "UNCLASSIFIED" in footers
    assert "UNCLASSIFIED" in _xml(built.docx, r"word/header\d+\.xml")


def test_docx_uses_real_styles(built: Built) -> None:
    document = docx.Document(str(built.docx))
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Number"} <= used
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Summary" and headings[-1] == "Sources"
    styles = {t.style.name for t in document.tables}
    assert styles == {"Memo Table", "Memo Fields"}


def test_docx_table_header_row_repeats(long_memo: Long) -> None:
    document = docx.Document(str(long_memo.docx))
    table = next(t for t in document.tables if t.style.name == "Memo Table")
    rows = table._tbl.findall(qn("w:tr"))
    assert len(rows) == ROWS + 1
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(
        r.find(qn("w:trPr")) is None or r.find(qn("w:trPr")).find(qn("w:tblHeader")) is None
        for r in rows[1:]
    )


def test_docx_numbered_lists_restart(built: Built) -> None:
    document = docx.Document(str(built.docx))
    ids = []
    for p in document.paragraphs:
        if p.style.name == "List Number":
            ids.append(p._p.pPr.numPr.numId.val)
    assert len(ids) == 5  # four next steps, one source
    assert ids[0] != ids[-1]
    assert len(set(ids[:4])) == 1


def test_docx_core_properties(built: Built) -> None:
    props = docx.Document(str(built.docx)).core_properties
    assert props.title == "Trade ministers' virtual meeting on critical-minerals supply chains"
    assert props.author == "Ministry of Trade, Industry and Energy"
    assert props.subject.startswith("Korea's part")
    assert "USTR" in props.keywords
    assert props.language == "en-GB"
    assert props.created.date().isoformat() == "2024-02-13"


def test_docx_fonts_fill_every_slot(built: Built) -> None:
    styles = _xml(built.docx, r"word/styles\.xml")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults is not None
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        expected = "NanumGothic" if slot == "eastAsia" else "Arial"  # Hangul in names
        assert f'w:{slot}="{expected}"' in defaults.group()


def test_docx_draft_watermark(long_memo: Long) -> None:
    headers = _xml(long_memo.docx, r"word/header\d+\.xml")
    assert 'string="DRAFT"' in headers


def test_libreoffice_lays_out_the_long_docx(long_memo: Long, tmp_path: Path) -> None:
    converted = libreoffice_pdf(long_memo.docx, tmp_path)
    pages = pdf_pages(converted)
    text = squash(" ".join(pages))
    for heading in ("Contents", "Summary", "Background", "Timeline", "Sources"):
        assert heading in text
    entries = [int(m) for m in re.findall(r"Entry (\d+):", text)]
    assert entries == list(range(1, ROWS + 1))
    table_pages = [p for p in pages if re.search(r"Entry \d+:", p)]
    assert all("Date Event Significance" in squash(p) for p in table_pages)
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, start=1))
    # README: right-to-left scripts print correctly in the DOCX. Laid out right to left
    # (and Arabic shaped), the words read back in their logical order.
    poppler = [need_tool("pdftotext"), "-f", "1", "-l", "1", str(converted), "-"]
    first = subprocess.run(poppler, capture_output=True, text=True, check=True).stdout
    assert HEBREW in first and ARABIC in first


# ---------------------------------------------------------------- style options


def test_style_override_changes_paper_in_both_formats(tmp_path: Path) -> None:
    style = tmp_path / "letter.yaml"
    style.write_text("page:\n  size: letter\n", "utf-8")
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    result = run_cli("build", str(src), "--out", str(tmp_path), "--style", str(style))
    assert result.returncode == 0, result.stderr
    box = PdfReader(str(tmp_path / "memo.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    section = docx.Document(str(tmp_path / "memo.docx")).sections[0]
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)


def test_fact_base_can_name_its_own_style(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("colors:\n  accent: '#7a1f1f'\n", "utf-8")
    src = write_yaml(tmp_path / "memo.yaml", fact_base(style="mine.yaml"))
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "7A1F1F" in _xml(tmp_path / "memo.docx", r"word/styles\.xml")


def test_reference_docx_styles_are_used(tmp_path: Path) -> None:
    ref = docx.Document()
    ref.styles["Normal"].font.name = "Georgia"
    ref.save(str(tmp_path / "ref.docx"))
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    result = run_cli(
        "build",
        str(src),
        "--out",
        str(tmp_path),
        "-f",
        "docx",
        "--reference-docx",
        str(tmp_path / "ref.docx"),
    )
    assert result.returncode == 0, result.stderr
    out = docx.Document(str(tmp_path / "memo.docx"))
    assert out.styles["Normal"].font.name == "Georgia"
    assert "Memo Table" in [s.name for s in out.styles]


def test_bad_style_file_is_reported(tmp_path: Path) -> None:
    style = tmp_path / "bad.yaml"
    style.write_text("page:\n  size: A5\n", "utf-8")
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    result = run_cli("build", str(src), "--out", str(tmp_path), "--style", str(style))
    assert result.returncode == 2
    assert result.stderr == f"{style}:2:9: page.size: expected one of A4, letter\n"
