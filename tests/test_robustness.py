"""Fonts per style in one process, hostile headings in the TOC, user templates and files."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import (
    CASES,
    TEMPLATES,
    Built,
    fact_base,
    need_fonts,
    need_tool,
    pdf_pages,
    run_cli,
    run_process,
    squash,
    write_yaml,
)
from docx.oxml.ns import qn


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_fact_base_gets_its_own_fonts_whatever_the_jobs(tmp_path: Path) -> None:
    need_fonts("DejaVu Sans")
    data = tmp_path / "data"
    data.mkdir()
    (data / "serif.style.yaml").write_text(
        "fonts:\n  sans:\n    family: DejaVu Sans\n    files:\n"
        "      regular: DejaVuSans.ttf\n      bold: DejaVuSans-Bold.ttf\n"
        "      italic: DejaVuSans.ttf\n      bold_italic: DejaVuSans-Bold.ttf\n",
        "utf-8",
    )
    write_yaml(data / "a.yaml", fact_base())
    write_yaml(data / "b.yaml", fact_base(style="serif.style.yaml"))
    runs = {}
    for jobs, run in (("1", run_cli), ("2", run_process)):  # two jobs: worker processes
        out = tmp_path / f"out{jobs}"
        result = run("build", str(data), "--out", str(out), "-f", "pdf", "-j", jobs)
        assert result.returncode == 0, result.stderr  # the style file is not a fact base
        runs[jobs] = {p.name: sha(p) for p in out.glob("*.pdf")}
    assert runs["1"] == runs["2"]
    assert sorted(runs["1"]) == ["a.pdf", "b.pdf"]
    pdffonts = need_tool("pdffonts")
    fonts = subprocess.run(
        [pdffonts, str(tmp_path / "out1" / "b.pdf")], capture_output=True, text=True
    ).stdout
    assert "DejaVuSans" in fonts and "Liberation" not in fonts


def test_headings_reach_the_pdf_contents_literally(tmp_path: Path) -> None:
    need_fonts("NanumGothic")
    tpl = tmp_path / "tpl"
    shutil.copytree(TEMPLATES, tpl)
    text = (tpl / "memo.xml.j2").read_text("utf-8")
    (tpl / "memo.xml.j2").write_text(
        text.replace("{{ section('background') }}", "<h1>{{ memo.title }}</h1>"), "utf-8"
    )
    title = "R&D <img src='/etc/hostname'/> &amp; 한국"
    src = write_yaml(tmp_path / "memo.yaml", fact_base(**{"memo.title": title, "memo.toc": True}))
    result = run_cli("build", str(src), "--out", str(tmp_path), "--template", str(tpl))
    assert result.returncode == 0, result.stderr
    first = pdf_pages(tmp_path / "memo.pdf")[0]
    assert first.count(title) == 3  # title block, contents entry, heading
    assert b"/Subtype /Image" not in (tmp_path / "memo.pdf").read_bytes()


def test_reference_document_missing_list_styles(tmp_path: Path) -> None:
    ref = docx.Document()
    styles = ref.styles.element
    for el in list(styles):
        if getattr(el, "name_val", None) in ("List Number", "List Bullet"):
            styles.remove(el)
    ref.save(str(tmp_path / "ref.docx"))
    result = run_cli(
        "build",
        str(CASES / "minimal.yaml"),
        "--out",
        str(tmp_path / "out"),
        "--reference-docx",
        str(tmp_path / "ref.docx"),
    )
    # the missing list styles are made from the house style, numbering and all
    assert result.returncode == 0, result.stderr
    made = docx.Document(str(tmp_path / "out" / "minimal.docx")).styles.element
    for style_id in ("ListBullet", "ListNumber"):
        (style,) = [s for s in made.findall(qn("w:style")) if s.get(qn("w:styleId")) == style_id]
        assert style.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None


def test_a_font_file_that_is_not_truetype(tmp_path: Path) -> None:
    fake = tmp_path / "Fake.ttf"
    fake.write_bytes(b"OTTO" + b"\0" * 100)  # an OpenType-CFF header
    style = tmp_path / "s.yaml"
    # a path is relative to the style file that names it
    style.write_text("fonts:\n  sans:\n    files:\n      regular: ./Fake.ttf\n", "utf-8")
    result = run_cli(
        "build", str(CASES / "minimal.yaml"), "--out", str(tmp_path / "out"), "--style", str(style)
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"{style}: fonts.sans.files.regular: Fake.ttf is not a TrueType (.ttf) font; "
        "OpenType-CFF (.otf) and other formats cannot be embedded by ReportLab\n"
    )


def test_a_failed_write_keeps_the_previous_pair(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    out = tmp_path / "out"
    assert run_cli("build", str(src), "--out", str(out)).returncode == 0
    before = (out / "memo.pdf").read_bytes()
    (out / "memo.docx").unlink()
    (out / "memo.docx").mkdir()  # the DOCX cannot be replaced now
    write_yaml(src, fact_base(summary=["Changed."]))
    result = run_cli("build", str(src), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr == f"{out / 'memo.docx'}: cannot write: it is a folder or special file\n"
    assert (out / "memo.pdf").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_no_break_and_ideographic_spaces_are_kept(tmp_path: Path) -> None:
    text = "10\u00a0km and\u3000more"
    src = write_yaml(tmp_path / "memo.yaml", fact_base(summary=[text]))
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", "docx").returncode == 0
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "memo.docx")).paragraphs]
    assert text in paragraphs


def test_running_header_date_in_the_memos_language(built: Built) -> None:
    ko = squash(pdf_pages(built.out / "critical-minerals-2024-02-13-ko.pdf")[1])
    en = squash(pdf_pages(built.out / "critical-minerals-2024-02-13.pdf")[1])
    assert "핵심광물 공급망 통상장관 화상회의 결과 2024. 2. 13.(화)" in ko
    assert "Critical minerals — trade ministers' meeting 13 February 2024" in en


@pytest.mark.parametrize("name", ["memo.style.yaml", "memo.style.yml"])
def test_style_files_beside_fact_bases_are_not_built(name: str, tmp_path: Path) -> None:
    write_yaml(tmp_path / "memo.yaml", fact_base(style=name))
    (tmp_path / name).write_text("colors:\n  accent: '#223344'\n", "utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{tmp_path / 'memo.yaml'}: ok\n"


# ---------------------------------------------------------------- found by fuzzing


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            "styles:\n  body: {size: inf}\n",
            "2:16: styles.body.size: input should be a finite number",
        ),
        ("styles:\n  body: {size: big}\n", "2:16: styles.body.size: expected a number"),
        (
            "page:\n  margin: {left: 400}\n",
            "2:18: page.margin.left: input should be less than or equal to 80",
        ),
        ('bullet: "\\x01"\n', "1:9: bullet: must not contain control characters"),
        (
            "colors:\n  text: '#zzzzzz'\n",
            "2:9: colors.text: expected a colour as #rrggbb",
        ),
    ],
)
def test_bad_house_style_values(style: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(style, "utf-8")
    result = run_cli(
        "build", str(CASES / "minimal.yaml"), "--out", str(tmp_path / "out"), "--style", str(path)
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{path}:{expected}\n"


def test_a_device_is_not_read(tmp_path: Path) -> None:
    # a process of its own, so that a regression (reading forever) fails instead of hanging
    result = run_process("validate", "/dev/zero", timeout=30)
    assert result.returncode == 2
    assert result.stderr == "/dev/zero: is not a regular file\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"memo.title": "\u200b"}, "3:10: memo.title: must not be empty"),
        (
            {"memo.title": "a\x7fb"},
            "3:10: memo.title: contains the control character U+007F at position 2, which "
            "documents cannot hold; remove it",
        ),
        (
            {"memo.date": "0001-01-01"},
            "4:9: memo.date: year 0001 is not a four-digit year; got '0001-01-01'",
        ),
        (
            {"memo.status": "fin\nal\x1b[31m"},
            "9:11: memo.status: expected one of draft, final; got 'fin\\nal\\x1b[31m'; "
            "did you mean 'final'?",
        ),
    ],
)
def test_hostile_values_in_messages_and_checks(
    change: dict[str, str], expected: str, tmp_path: Path
) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base(**change))
    result = run_cli("validate", str(src))
    assert result.returncode == 2
    assert result.stderr == f"{src}:{expected}\n"  # one problem, one line


def test_keywords_may_contain_semicolons(tmp_path: Path) -> None:
    from pypdf import PdfReader

    src = write_yaml(tmp_path / "memo.yaml", fact_base(**{"memo.keywords": ["a; b", "c"]}))
    assert run_cli("build", str(src), "--out", str(tmp_path)).returncode == 0
    meta = PdfReader(str(tmp_path / "memo.pdf")).metadata
    assert meta is not None and meta["/Keywords"] == "a; b, c"
    assert docx.Document(str(tmp_path / "memo.docx")).core_properties.keywords == "a; b, c"


def test_fact_bases_that_would_share_output_files(tmp_path: Path) -> None:
    shutil.copy(CASES / "minimal.yaml", tmp_path / "x.yaml")
    shutil.copy(CASES / "minimal.yaml", tmp_path / "x.yml")
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr == (
        "reports: these fact bases would write the same output files: "
        f"{tmp_path / 'x.yaml'} and {tmp_path / 'x.yml'}; rename one\n"
    )
    assert not (tmp_path / "out").exists()
