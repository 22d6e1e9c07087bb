"""Korean and bilingual memos: embedded Hangul fonts, word-unit line breaks, one fact base."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import (
    EXAMPLE_KO,
    Built,
    docx_text,
    fact_base,
    libreoffice_pdf,
    need_fonts,
    need_tool,
    pdf_pages,
    run_cli,
    squash,
    write_yaml,
)
from pypdf import PdfReader

from reports.layout import MM
from reports.validate import load_facts

KO = EXAMPLE_KO
HANGUL = re.compile("[\uac00-\ud7a3]")
KO_SECTIONS = [
    "핵심 요약",
    "목적",
    "추진 배경",
    "주요 내용",
    "영향 및 대상",
    "추진경과",
    "예상질의·답변",
    "향후계획",
    "평가 및 시사점",
    "참고자료",
]


@pytest.fixture(autouse=True)
def korean_fonts() -> None:
    need_fonts("NanumGothic")


@pytest.fixture(scope="module")
def ko(built: Built) -> tuple[Path, Path]:
    pdf = built.out / f"{KO.stem}.pdf"
    return pdf, pdf.with_suffix(".docx")


def test_korean_font_is_embedded(ko: tuple[Path, Path]) -> None:
    pdffonts = need_tool("pdffonts")
    out = subprocess.run([pdffonts, str(ko[0])], capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert any("NanumGothic" in r for r in rows), out
    assert all(r.split()[-5] == "yes" for r in rows), out


def test_korean_sections_numbered_and_in_order(ko: tuple[Path, Path]) -> None:
    text = squash(" ".join(pdf_pages(ko[0])))
    numerals = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
    positions = [text.index(f"{n}. {h}") for n, h in zip(numerals, KO_SECTIONS, strict=True)]
    assert positions == sorted(positions)
    # a report (memo.kind: report) writes dates in the official form
    assert "2024. 2. 13.(화)" in text and "2024. 2. 초" in text and "2024. 1." in text
    assert "- 1 / 3 -" in text


def _printed_words() -> set[str]:
    """Every whitespace-separated word the Korean memo prints: facts, labels and dates."""
    from dataclasses import fields, is_dataclass

    from reports import document as d
    from reports.build import Builder, BuildOptions

    doc = Builder(BuildOptions()).document(load_facts(KO))
    words: set[str] = set()

    def walk(node: object) -> None:
        inline = (d.Text, d.Emph, d.Strong, d.Link, d.LineBreak)
        if isinstance(node, d.QA):
            words.add(node.label)  # the question's label, with its number
        if isinstance(node, tuple) and node and all(isinstance(n, inline) for n in node):
            words.update(d.plain_text(node).split())  # type: ignore[arg-type]
        elif isinstance(node, str):
            words.update(node.split())
        elif isinstance(node, tuple):
            for item in node:
                walk(item)
        elif is_dataclass(node):
            for f in fields(node):
                walk(getattr(node, f.name))

    walk(doc.blocks)
    words.update(doc.meta.marking.split())  # printed at the top and foot of every page
    return words


def test_no_pdf_line_ends_inside_a_korean_word(ko: tuple[Path, Path]) -> None:
    words = _printed_words()
    pages = pdf_pages(ko[0])
    lines = [line for page in pages for line in page.splitlines()]
    # Each line's tokens must be whole printed words: a word broken across lines would
    # leave its two halves, which are not words of the memo.
    broken = [t for line in lines for t in line.split() if HANGUL.search(t) and t not in words]
    assert broken == []
    assert sum(bool(HANGUL.search(line)) for line in lines) > 60


def test_korean_lines_fill_the_measure_without_overflow(ko: tuple[Path, Path]) -> None:
    """On the rendered pages no word crosses a margin, and justified Korean lines end
    exactly at the right one (word boxes as poppler measures them)."""
    pdftotext = need_tool("pdftotext")
    layout = subprocess.run(
        [pdftotext, "-bbox-layout", str(ko[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = float(PdfReader(str(ko[0])).pages[0].mediabox.width)
    left, right = 22 * MM, page_width - 22 * MM  # the house style's margins
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', layout)
    assert len(words) > 400
    outside = [(x0, x1) for x0, x1 in words if float(x0) < left - 0.01 or float(x1) > right + 0.01]
    assert outside == []
    lines = re.findall(
        r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>', layout, re.S
    )
    full = [text for x1, text in lines if abs(float(x1) - right) < 0.01 and HANGUL.search(text)]
    assert len(full) >= 5


def test_docx_has_korean_font_and_language(ko: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(ko[1]) as z:
        styles = z.read("word/styles.xml").decode()
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults is not None
    # a report: its body, Hangul included, is set in Myeongjo as in the PDF
    assert 'w:eastAsia="NanumMyeongjo"' in defaults.group()
    assert 'w:val="ko-KR"' in defaults.group()


def test_libreoffice_renders_the_korean_docx(ko: tuple[Path, Path], tmp_path: Path) -> None:
    converted = libreoffice_pdf(ko[1], tmp_path)
    text = " ".join(pdf_pages(converted))
    for heading in KO_SECTIONS:
        assert heading in text
    fonts = subprocess.run(
        [need_tool("pdffonts"), str(converted)], capture_output=True, text=True
    ).stdout
    assert "NanumGothic" in fonts  # Hangul drawn with the named font, not boxes


# ---------------------------------------------------------------- bilingual


def bilingual() -> dict[str, object]:
    data = fact_base(lang=["ko", "en"])
    data["memo"]["title"] = {"ko": "이중 언어 보고서", "en": "Bilingual memo"}  # type: ignore[index]
    data["summary"] = [{"ko": "한 가지 요점", "en": "One point."}]
    data["background"] = {"ko": ["배경 문단"], "en": ["A background paragraph."]}
    data["timeline"] = [
        {"date": "2024-01", "event": {"ko": "첫 회의", "en": "First meeting"}},
        {"date": "early 2024-02", "event": {"ko": "두 번째 회의", "en": "Second meeting"}},
    ]
    data["memo"]["from"] = {"ko": "예시부", "en": "Department of Examples"}  # type: ignore[index]
    return data


def test_one_fact_base_builds_both_languages(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", bilingual())
    result = run_cli("build", str(src), "--out", str(tmp_path), "--lang", "ko,en")
    assert result.returncode == 0, result.stderr
    ko_pdf, en_pdf = tmp_path / "memo-ko.pdf", tmp_path / "memo-en.pdf"
    assert {p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".docx")} == {
        "memo-ko.pdf",
        "memo-ko.docx",
        "memo-en.pdf",
        "memo-en.docx",
    }
    ko_text, en_text = squash(pdf_pages(ko_pdf)[0]), squash(pdf_pages(en_pdf)[0])
    assert "이중 언어 보고서" in ko_text and "2024년 2월 초" in ko_text
    assert "Bilingual memo" in en_text and "early February 2024" in en_text
    assert "Bilingual" not in ko_text and "이중" not in en_text

    def outline(pdf: Path) -> list[object]:
        return [not isinstance(o, list) for o in PdfReader(str(pdf)).outline]

    # identical structure: the same sections, in the same order, in both languages
    assert outline(ko_pdf) == outline(en_pdf)
    assert len(outline(ko_pdf)) >= 4


def test_default_build_writes_every_declared_language(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", bilingual())
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", "pdf").returncode == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["memo-en.pdf", "memo-ko.pdf"]


def test_missing_translation_names_the_field(tmp_path: Path) -> None:
    data = bilingual()
    data["summary"] = [{"ko": "한 가지 요점"}]
    src = write_yaml(tmp_path / "memo.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"{src}:14:3: summary[0]: no 'en' text (given: ko); add one as 'en: …'\n"
    )
    assert not list(tmp_path.glob("*.pdf"))


def test_style_may_allow_falling_back_to_the_main_language(tmp_path: Path) -> None:
    data = bilingual()
    data["summary"] = [{"ko": "한 가지 요점"}]
    src = write_yaml(tmp_path / "memo.yaml", data)
    style = tmp_path / "fallback.yaml"
    style.write_text("language_fallback: true\n", "utf-8")
    result = run_cli("build", str(src), "--out", str(tmp_path), "--style", str(style))
    assert result.returncode == 0, result.stderr
    assert "한 가지 요점" in squash(pdf_pages(tmp_path / "memo-en.pdf")[0])


def test_language_not_in_the_fact_base(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base(lang="ko"))
    result = run_cli("build", str(src), "--out", str(tmp_path), "--lang", "en")
    assert result.returncode == 2
    assert result.stderr == (
        f"{src}:14:7: lang: this fact base is written in ko; it has no 'en' version\n"
    )


def test_uncovered_character_in_a_korean_memo(tmp_path: Path) -> None:
    data = fact_base(lang="ko", summary=["요점 \U0001f680"])
    src = write_yaml(tmp_path / "memo.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"{src}:10:3: summary[0]: character '\U0001f680' (U+1F680 ROCKET) at position 4 has "
        "no glyph in the memo's fonts (NanumGothic, DejaVu Sans); add a font that "
        "has it to the house style's fallback list (Korean: Debian's fonts-nanum), or build "
        "with --allow-missing-glyphs\n"
    )


def test_missing_korean_font_says_what_to_install(tmp_path: Path) -> None:
    style = tmp_path / "nofont.yaml"
    style.write_text(
        "fonts:\n  korean:\n    family: NoSuchFont\n    files:\n      regular: NoSuchFont.ttf\n",
        "utf-8",
    )
    src = write_yaml(tmp_path / "memo.yaml", fact_base(lang="ko"))
    result = run_cli("build", str(src), "--out", str(tmp_path), "--style", str(style))
    assert result.returncode == 2
    assert result.stderr == (
        f"{style}: fonts.korean.files.regular: cannot find font file 'NoSuchFont.ttf' (family "
        "NoSuchFont); install it (Debian: fonts-liberation2 for Liberation, fonts-nanum for "
        "Nanum) or give the path to a .ttf file\n"
    )


def test_errors_in_one_language_point_at_that_language(tmp_path: Path) -> None:
    src = tmp_path / "memo.yaml"
    src.write_text(
        "version: 1\nlang: [ko, en]\nmemo:\n  title: {ko: 제목, en: Title}\n"
        "  date: 2024-03-01\n  from: D\n  to: H\n  subject: S\n  marking: OFFICIAL\n"
        "summary:\n  - {ko: 하나, en: One}\n  - ko: 둘\n    en: ''\n"
        "background: y\nsources: [{title: t}]\n",
        "utf-8",
    )
    result = run_cli("validate", str(src))
    assert result.returncode == 2
    assert result.stderr == f"{src}:13:9: summary[1]: must not be empty\n"


# ---------------------------------------------------------------- official dates


def test_official_date_style_in_a_korean_memo(tmp_path: Path) -> None:
    """House style ``date_style: official``: Korean administrative dates, weekday and all."""
    style = tmp_path / "official.yaml"
    style.write_text("date_style: official\n", "utf-8")
    timeline = [
        {"date": "2024-01", "event": "첫 회의"},
        {"date": "early 2024-02", "event": "두 번째 회의"},
        {"date": "2024-02-13", "event": "세 번째 회의"},
    ]
    data = fact_base(lang="ko", timeline=timeline, **{"memo.date": "2024-02-13"})
    src = write_yaml(tmp_path / "memo.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path), "--style", str(style))
    assert result.returncode == 0, result.stderr
    pdf = squash(" ".join(pdf_pages(tmp_path / "memo.pdf")))
    docx = squash(docx_text(tmp_path / "memo.docx"))
    for text in (pdf, docx):
        assert "일자 2024. 2. 13.(화)" in text
        assert "2024. 1. 첫 회의" in text
        assert "2024. 2. 초 두 번째 회의" in text
        assert "2024. 2. 13.(화) 세 번째 회의" in text
        assert "2024년" not in text
