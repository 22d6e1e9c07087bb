"""What the README promises and no other test checks: one test per claim, quoted."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import (
    CASES,
    docx_text,
    fact_base,
    memo_files,
    need_fonts,
    pdf_pages,
    run_cli,
    squash,
    write_yaml,
)
from docx.oxml.ns import qn
from pypdf import PdfReader

from reports import document as d
from reports.resources import template_dir
from reports.style import load_style
from reports.writers.pdf import PdfWriter


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(part, n))


# ---------------------------------------------------------------- --draft


def test_draft_flag_watermarks_a_final_memo(tmp_path: Path) -> None:
    """README: "`--draft` or `memo.status: draft` puts a diagonal DRAFT watermark on every
    page of both"."""
    src = write_yaml(tmp_path / "memo.yaml", fact_base(summary=["Point."] * 80))  # 2+ pages
    assert run_cli("build", str(src), "--out", str(tmp_path / "final")).returncode == 0
    assert run_cli("build", str(src), "--out", str(tmp_path / "draft"), "--draft").returncode == 0
    final, draft = (
        pdf_pages(tmp_path / "final" / "memo.pdf"),
        pdf_pages(tmp_path / "draft" / "memo.pdf"),
    )
    assert len(draft) == len(final) > 1
    assert not any("DRAFT" in page for page in final)
    assert all("DRAFT" in page for page in draft)
    assert 'string="DRAFT"' not in _xml(tmp_path / "final" / "memo.docx", r"word/header\d+\.xml")
    headers = _xml(tmp_path / "draft" / "memo.docx", r"word/header\d+\.xml")
    assert headers.count('string="DRAFT"') == 2  # first page and the others
    manifest = json.loads((tmp_path / "draft" / "manifest.json").read_text("utf-8"))
    assert manifest["settings"]["draft"] is True


# ---------------------------------------------------------------- page.first_page_furniture


@pytest.mark.parametrize("on_page_one", [False, True])
def test_first_page_furniture(tmp_path: Path, on_page_one: bool) -> None:
    """README: "the running title (and date) in the header from page 2
    (`page.first_page_furniture: true` puts it on page 1 too)"."""
    style = tmp_path / "style.yaml"
    style.write_text(f"page:\n  first_page_furniture: {str(on_page_one).lower()}\n", "utf-8")
    data = fact_base(summary=["Point."] * 80, **{"memo.short_title": "Running head"})
    src = write_yaml(tmp_path / "memo.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path), "--style", str(style))
    assert result.returncode == 0, result.stderr
    pages = [squash(p) for p in pdf_pages(tmp_path / "memo.pdf")]
    assert ("Running head 1 March 2024" in pages[0]) is on_page_one
    assert all("Running head 1 March 2024" in page for page in pages[1:])
    section = docx.Document(str(tmp_path / "memo.docx")).sections[0]
    assert section.different_first_page_header_footer is not on_page_one
    assert "Running head\t1 March 2024" in [p.text for p in section.header.paragraphs]
    if not on_page_one:
        assert [p.text for p in section.first_page_header.paragraphs] == ["OFFICIAL"]


# ---------------------------------------------------------------- glyphs


ROCKET_PROBLEM = (
    "summary[0]: character '\U0001f680' (U+1F680 ROCKET) at position 8 has no glyph in the "
    "memo's fonts (Liberation Sans, NanumGothic, DejaVu Sans); add a font that has it to the "
    "house style's fallback list (Korean: Debian's fonts-nanum), or build with "
    "--allow-missing-glyphs"
)


@pytest.fixture
def rocket(tmp_path: Path) -> Path:
    need_fonts()  # the message names the fallback fonts
    return write_yaml(tmp_path / "memo.yaml", fact_base(summary=["Launch \U0001f680"]))


def test_validate_and_build_refuse_a_missing_glyph_alike(rocket: Path, tmp_path: Path) -> None:
    """One validation path: `reports validate` runs the glyph check a build runs."""
    validated = run_cli("validate", str(rocket))
    built = run_cli("build", str(rocket), "--out", str(tmp_path / "out"))
    assert validated.returncode == built.returncode == 2
    assert validated.stderr == built.stderr == f"{rocket}:10:3: {ROCKET_PROBLEM}\n"
    assert validated.stdout == built.stdout == ""
    assert memo_files(tmp_path / "out") == []


def test_allow_missing_glyphs_turns_the_error_into_a_warning(rocket: Path, tmp_path: Path) -> None:
    """README: "pass `--allow-missing-glyphs` to turn that into a warning"."""
    warning = f"{rocket}:10:3: {ROCKET_PROBLEM} (warning)\n"
    out = tmp_path / "out"
    built = run_cli("build", str(rocket), "--out", str(out), "--allow-missing-glyphs")
    assert built.returncode == 0
    assert built.stderr == warning
    assert built.stdout == f"{out / 'memo.pdf'}\n{out / 'memo.docx'}\n"
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    field, _, message = ROCKET_PROBLEM.partition(": ")
    assert manifest["memos"][0]["problems"] == [
        {
            "file": str(rocket),
            "line": 10,
            "column": 3,
            "field": field,
            "message": message,
            "severity": "warning",
        }
    ]
    validated = run_cli("validate", str(rocket), "--allow-missing-glyphs")
    assert (validated.returncode, validated.stderr) == (0, warning)
    assert validated.stdout == f"{rocket}: ok\n"


def test_a_docx_alone_needs_no_glyphs(rocket: Path, tmp_path: Path) -> None:
    """A DOCX names its fonts and embeds none; the reader's Word supplies the glyphs."""
    result = run_cli("build", str(rocket), "--out", str(tmp_path / "out"), "-f", "docx")
    assert result.returncode == 0, result.stderr
    assert "Launch \U0001f680" in docx_text(tmp_path / "out" / "memo.docx")


def test_zero_width_marks_are_left_out_of_the_pdf(tmp_path: Path) -> None:
    """README: "Zero-width marks are left out of the PDF" (marks no font has, such as the
    bidirectional isolates, are dropped instead of drawn as empty boxes)."""
    text = "left\u2067right\u2069 and \u061cmarked"
    src = write_yaml(tmp_path / "memo.yaml", fact_base(summary=[text]))
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not a missing glyph either
    pdf = " ".join(pdf_pages(tmp_path / "memo.pdf"))
    assert "leftright and marked" in pdf
    assert not set("\u2067\u2069\u061c") & set(pdf)
    assert text in docx_text(tmp_path / "memo.docx")  # the DOCX keeps the text as typed


# ---------------------------------------------------------------- input caps


ALIASES = """\
version: 1
memo:
  title: Minimal memo
  date: 2024-03-01
  from: &dept Department of Examples
  to: *dept
  subject: Aliases
  marking: OFFICIAL
summary: [&point One point., *point, *point]
background: One paragraph.
sources:
  - title: Nothing in particular
"""


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ((), None),
        (("--max-aliases", "2"), "9:38: more than 2 aliases (*name); refusing to expand"),
        (("--max-nodes", "10"), "5:9: more than 10 values; the file is too large"),
        (("--max-bytes", "100"), "file is 260 bytes, over the limit of 100 bytes"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "build"])
def test_input_caps_on_the_command_line(
    tmp_path: Path, command: str, options: tuple[str, ...], problem: str | None
) -> None:
    """README: "change with `--max-bytes`, `--max-nodes`, `--max-aliases`"."""
    src = tmp_path / "aliases.yaml"
    src.write_text(ALIASES, "utf-8")
    out = ("--out", str(tmp_path / "out")) if command == "build" else ()
    result = run_cli(command, str(src), *out, *options)
    if problem is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 2
    separator = ":" if problem[0].isdigit() else ": "
    assert result.stderr == f"{src}{separator}{problem}\n"


# ---------------------------------------------------------------- marking


def test_marking_is_at_most_60_characters(tmp_path: Path) -> None:
    """README: "The handling marking is at most 60 characters, as it is printed on every page"."""
    src = write_yaml(tmp_path / "memo.yaml", fact_base(**{"memo.marking": "M" * 60}))
    assert run_cli("validate", str(src)).returncode == 0
    src = write_yaml(tmp_path / "memo.yaml", fact_base(**{"memo.marking": "M" * 61}))
    result = run_cli("validate", str(src))
    assert result.returncode == 2
    assert result.stderr == (
        f"{src}:8:12: memo.marking: must be at most 60 characters (it is printed on every page)\n"
    )


# ---------------------------------------------------------------- right-to-left text


HEBREW = "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd"
ARABIC = "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645"
RTL = f"Hebrew: {HEBREW}, Arabic: {ARABIC}."


def test_right_to_left_text_reaches_the_docx_in_reading_order(tmp_path: Path) -> None:
    """README: "Right-to-left scripts (Arabic, Hebrew) print correctly in the DOCX": the text
    is stored in logical order, for Word's bidirectional layout, with a right-to-left
    language set (LibreOffice's layout is checked in test_furniture)."""
    src = write_yaml(tmp_path / "memo.yaml", fact_base(summary=[RTL]))
    result = run_cli("build", str(src), "--out", str(tmp_path), "-f", "docx")
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(tmp_path / "memo.docx"))
    assert RTL in [p.text for p in document.paragraphs]
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:bidi")) == "ar-SA"


# ---------------------------------------------------------------- pagination


def _text(words: str) -> d.Inlines:
    return (d.Text(words),)


FOLLOWERS: dict[str, tuple[d.Block, ...]] = {
    "nothing": (),
    "a paragraph": (d.Paragraph(_text("Follower line.")),),
    "a list": (d.BulletList(tuple(d.ListItem(_text(f"Follower item {i}.")) for i in range(6))),),
    "a table": (
        d.Table(
            (d.Column(_text("Follower column")), d.Column(_text("B"))),
            tuple((_text(f"Row {i}"), _text("x")) for i in range(8)),
        ),
    ),
}


@pytest.fixture(scope="module")
def heading_pages() -> dict[tuple[str, int], tuple[int, int | None]]:
    """(what follows, lines of filler) → (page of the heading, page of what follows it),
    for headings placed ever lower on the first page."""
    writer = PdfWriter(load_style(template_dir()))
    out = {}
    for kind, after in FOLLOWERS.items():
        for filler in range(27, 34):
            blocks = (
                *(d.Paragraph(_text(f"Filler line {i}.")) for i in range(filler)),
                d.Heading(1, _text("Kept heading"), "kept"),
                *after,
            )
            pages = pdf_pages(writer.render(d.Document(d.Meta(title="t"), tuple(blocks))))
            heading = next(n for n, p in enumerate(pages) if "Kept heading" in p)
            follower = next((n for n, p in enumerate(pages) if "Follower" in p), None)
            out[kind, filler] = (heading, follower)
    return out


@pytest.mark.parametrize("kind", ["a paragraph", "a list", "a table"])
def test_a_heading_never_ends_a_pdf_page(
    heading_pages: dict[tuple[str, int], tuple[int, int | None]], kind: str
) -> None:
    """README: "a heading never ends a page without what follows it"."""
    fillers = range(27, 34)
    for filler in fillers:
        heading, follower = heading_pages[kind, filler]
        assert heading == follower, f"{filler} lines before the heading"
    # The sweep includes headings that would have fitted at the foot of page 1 alone.
    moved = [f for f in fillers if heading_pages["nothing", f][0] < heading_pages[kind, f][0]]
    assert moved


def test_docx_headings_keep_with_what_follows(tmp_path: Path) -> None:
    src = shutil.copy(CASES / "minimal.yaml", tmp_path / "memo.yaml")
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", "docx").returncode == 0
    styles = docx.Document(str(tmp_path / "memo.docx")).styles
    for name in ("Heading 1", "Heading 2", "Title", "Memo Question"):
        assert styles[name].paragraph_format.keep_with_next is True, name


def test_docx_table_rows_do_not_split(tmp_path: Path) -> None:
    """README: "rows stay whole unless a row is longer than about a third of a page"
    (DOCX rows are marked cantSplit; a row of 1,500 characters or more may split)."""
    timeline = [
        {"date": "2024-01-01", "event": "Short row.", "significance": "Kept whole."},
        {"date": "2024-01-02", "event": "Long row. " * 160, "significance": "May split."},
        {"date": "2024-01-03", "event": "Another short row."},
    ]
    src = write_yaml(tmp_path / "memo.yaml", fact_base(timeline=timeline))
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", "docx").returncode == 0
    document = docx.Document(str(tmp_path / "memo.docx"))
    table = next(t for t in document.tables if t.style.name == "Memo Table")

    def marks(row: object) -> list[str]:
        props = row.find(qn("w:trPr"))  # type: ignore[attr-defined]
        return [] if props is None else [el.tag.split("}")[1] for el in props]

    rows = table._tbl.findall(qn("w:tr"))
    assert [marks(r) for r in rows] == [
        ["cantSplit", "tblHeader"],
        ["cantSplit"],
        [],
        ["cantSplit"],
    ]
    fields = next(t for t in document.tables if t.style.name == "Memo Fields")
    assert all(marks(r) == ["cantSplit"] for r in fields._tbl.findall(qn("w:tr")))


def test_pdf_rows_longer_than_a_page_split_inside(tmp_path: Path) -> None:
    """A row longer than a page is split inside, not cut off or pushed off the page."""
    long_text = " ".join(f"Clause-{i:03d} of a very long event." for i in range(600))
    timeline = [{"date": "2024", "event": long_text, "significance": "End of row."}]
    src = write_yaml(tmp_path / "memo.yaml", fact_base(timeline=timeline))
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", "pdf").returncode == 0
    text = squash(" ".join(pdf_pages(tmp_path / "memo.pdf")))
    numbers = [int(n) for n in re.findall(r"Clause-(\d{3})", text)]
    assert numbers == list(range(600))
    assert len(PdfReader(io.BytesIO((tmp_path / "memo.pdf").read_bytes())).pages) >= 3
