"""What a colleague finds in the Word document: styles once each, real numbering, 'at
least' line spacing, a filled table of contents, Word's own watermark, and reference
documents made by Word, LibreOffice or pandoc."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import CASES, EXAMPLE, EXAMPLE_KO, docx_text, need_tool, run_cli
from docx.oxml.ns import qn
from lxml import etree


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def built(tmp_path: Path, source: Path = EXAMPLE, *options: str) -> Path:
    out = tmp_path / "out"
    result = run_cli("build", str(source), "-f", "docx", "--out", str(out), *options)
    assert result.returncode == 0, result.stderr
    return out / f"{source.stem}.docx"


def style(path: Path, style_id: str) -> etree._Element:
    (found,) = [s for s in part(path, "word/styles.xml") if s.get(qn("w:styleId")) == style_id]
    return found


def test_styles_are_defined_once_and_restyled_in_place(tmp_path: Path) -> None:
    path = built(tmp_path)
    ids = [s.get(qn("w:styleId")) for s in part(path, "word/styles.xml").iter(qn("w:style"))]
    assert len(ids) == len(set(ids))
    heading = style(path, "Heading1")
    assert heading.find(qn("w:name")).get(qn("w:val")) == "heading 1"  # as Word writes it
    ppr = heading.find(qn("w:pPr"))
    assert ppr.find(qn("w:keepNext")) is not None
    assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    assert heading.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val")) == "1F3A5F"


def test_line_spacing_is_never_exact(tmp_path: Path) -> None:
    path = built(tmp_path)
    for name in ("word/styles.xml", "word/document.xml"):
        rules = {el.get(qn("w:lineRule")) for el in part(path, name).iter(qn("w:spacing"))}
        assert "exact" not in rules, name
    spacing = style(path, "Normal").find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert spacing.get(qn("w:lineRule")) == "atLeast"
    assert spacing.get(qn("w:line")) == "290"  # the house style's 14.5 pt leading


def test_the_subtitle_has_no_letter_spacing(tmp_path: Path) -> None:
    rpr = style(built(tmp_path), "Subtitle").find(qn("w:rPr"))
    assert rpr.find(qn("w:spacing")) is None


def test_question_labels_are_word_numbering_not_typed_text(tmp_path: Path) -> None:
    path = built(tmp_path)
    levels = {
        lvl.find(qn("w:lvlText")).get(qn("w:val"))
        for lvl in part(path, "word/numbering.xml").iter(qn("w:lvl"))
    }
    assert {"Q%1", "A", "%1."} <= levels
    body = part(path, "word/document.xml")
    questions = [
        p for p in body.iter(qn("w:p"))
        if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None
        and s.get(qn("w:val")) == "MemoQuestion"
    ]  # fmt: skip
    assert len(questions) == 3
    for p in questions:
        assert p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        assert not text.startswith("Q")
    # as a reader sees them (labels from the numbering): Q1, Q2, Q3 in order
    shown = docx_text(path, furniture=False)
    assert shown.index("Q1 Why") < shown.index("Q2 How") < shown.index("Q3 What")


def test_korean_sections_are_numbered_by_the_heading_style(tmp_path: Path) -> None:
    path = built(tmp_path, EXAMPLE_KO)
    heading = style(path, "Heading1")
    num_id = heading.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    numbering = part(path, "word/numbering.xml")
    (num,) = [n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [
        a for a in numbering.iter(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    ]  # fmt: skip
    lvl = abstract.find(qn("w:lvl"))
    assert lvl.find(qn("w:numFmt")).get(qn("w:val")) == "upperRoman"
    assert lvl.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    text = docx_text(path, furniture=False)
    assert "Ⅰ." not in text  # no typed numbers
    assert "I. 핵심 요약" in text and "II. 목적" in text  # Word's numbering shows them


def test_the_table_of_contents_opens_with_page_numbers(tmp_path: Path) -> None:
    source = tmp_path / "toc.yaml"
    source.write_text(
        EXAMPLE.read_text("utf-8").replace("  keywords:", "  toc: true\n  keywords:"), "utf-8"
    )
    path = built(tmp_path, source)
    body = part(path, "word/document.xml")
    pagerefs = [
        t.text for t in body.iter(qn("w:instrText")) if (t.text or "").strip().startswith("PAGEREF")
    ]
    headings = docx.Document(str(path)).paragraphs
    assert len(pagerefs) == sum(p.style.name.startswith("Heading") for p in headings) == 11
    lines = [p for p in headings if p.style.name.lower() in ("toc 1", "toc 2")]
    assert lines[0].text.startswith("Summary") and lines[0].text.endswith("1")
    shown = [p.text.rsplit("\t", 1) for p in lines]
    # the pages of the PDF built from the same memo
    from pypdf import PdfReader

    run_cli("build", str(source), "-f", "pdf", "--out", str(tmp_path / "pdf"))
    reader = PdfReader(str(tmp_path / "pdf" / "toc.pdf"))
    pages = {
        entry.title: reader.get_destination_page_number(entry) + 1
        for entry in _flat(reader.outline)
    }
    assert [(title, int(page)) for title, page in shown] == list(pages.items())
    toc2 = style(path, "TOC2").find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert toc2.get(qn("w:left")) == "280"
    settings = part(path, "word/settings.xml")
    assert settings.find(qn("w:updateFields")) is None  # no "update fields?" prompt


def _flat(outline: list[object]) -> list[object]:
    out: list[object] = []
    for item in outline:
        out.extend(_flat(item) if isinstance(item, list) else [item])  # type: ignore[arg-type]
    return out


def test_the_draft_watermark_is_words_own(tmp_path: Path) -> None:
    path = built(tmp_path, EXAMPLE, "--draft")
    with zipfile.ZipFile(path) as package:
        headers = [n for n in package.namelist() if n.startswith("word/header")]
        marked = [n for n in headers if b'id="PowerPlusWaterMarkObject' in package.read(n)]
    assert len(headers) == len(marked) == 2  # the first page's header and the others'


def test_a_row_taller_than_a_third_of_a_page_may_split(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((CASES / "minimal.yaml").read_text("utf-8"))
    data["event"] = {
        "name": "Plenary", "host": "Ministry", "date": "2024-03-01", "format": "in-person",
        "participants": ["All members"],
        "delegation": [{"name": f"Delegate Number {i}", "role": "Adviser to the Minister"}
                       for i in range(60)],
    }  # fmt: skip
    source = tmp_path / "memo.yaml"
    source.write_text(yaml.safe_dump(data), "utf-8")
    path = built(tmp_path, source)
    rows = list(part(path, "word/document.xml").iter(qn("w:tr")))
    kept = {
        "".join(t.text or "" for t in r.iter(qn("w:t")))[:20]: r.find(
            f"{qn('w:trPr')}/{qn('w:cantSplit')}"
        )
        is not None
        for r in rows
    }
    assert kept.pop("DelegationDelegate N") is False  # 60 names: LibreOffice may split it
    assert all(kept.values())  # every other row stays whole


# ---------------------------------------------------------------- reference documents


def _libreoffice_reference(folder: Path) -> Path:
    """A reference document as LibreOffice writes one, with a red serif Heading 1."""
    soffice = need_tool("soffice")
    source = folder / "lo.fodt"
    source.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'office:version="1.2" '
        'office:mimetype="application/vnd.oasis.opendocument.text"><office:styles>'
        '<style:style style:name="Heading_20_1" style:display-name="Heading 1" '
        'style:family="paragraph" style:default-outline-level="1">'
        '<style:text-properties fo:color="#aa2200" style:font-name="Liberation Serif" '
        'fo:font-size="16pt"/></style:style></office:styles><office:body><office:text>'
        '<text:h text:style-name="Heading_20_1" text:outline-level="1">H</text:h>'
        "<text:p>Body</text:p></office:text></office:body></office:document>",
        "utf-8",
    )
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
         "--convert-to", "docx", "--outdir", str(folder), str(source)],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return folder / "lo.docx"


def _pandoc_reference(folder: Path) -> Path:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        need_tool("pandoc")  # fails under CI, skips elsewhere
    target = folder / "pandoc.docx"
    subprocess.run(
        [str(pandoc), "-o", str(target), "--print-default-data-file", "reference.docx"],
        check=True, timeout=60,
    )  # fmt: skip
    return target


def _word_reference(folder: Path) -> Path:
    target = folder / "word.docx"
    docx.Document().save(str(target))  # python-docx's default template, made by Word
    return target


@pytest.mark.parametrize(
    ("make", "colour"),
    [
        (_word_reference, "365F91"),
        (_libreoffice_reference, "AA2200"),
        (_pandoc_reference, "4F81BD"),
    ],
    ids=["word", "libreoffice", "pandoc"],
)
def test_reference_documents_from_each_tool_give_their_headings(
    tmp_path: Path, make: object, colour: str
) -> None:
    ref = make(tmp_path)  # type: ignore[operator]
    path = built(tmp_path, EXAMPLE, "--reference-docx", str(ref))
    heading = style(path, "Heading1")
    assert heading.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val")) == colour
    ids = [s.get(qn("w:styleId")) for s in part(path, "word/styles.xml").iter(qn("w:style"))]
    assert len(ids) == len(set(ids))
    for missing in ("ListBullet", "ListNumber", "MemoTable", "MemoQuestion"):
        assert missing in ids  # made from the house style where the template lacks them
    text = docx_text(path, furniture=False)
    assert "Frequently asked questions" in text and "Q1 Why" in text
