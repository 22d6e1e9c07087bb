"""Tagged PDF (PDF/UA-1) and PDF/A-2b: every example memo passes the checker in
``tests/pdfua.py``, and its structure tree says what its document model says: headings in
order, tables with header cells, figures with their alt text, lists, notes, languages."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import (
    CASES,
    DATA,
    EXAMPLE,
    EXAMPLE_KO,
    Built,
    fact_base,
    need_fonts,
    need_tool,
    run_cli,
    write_yaml,
)
from pdfua import Report, check
from test_hostile_text import FIELDS, HOSTILE, with_text

from reports import document as d
from reports.build import Builder, BuildOptions
from reports.resources import template_dir
from reports.style import load_style
from reports.validate import load_facts
from reports.writers.pdf import PdfWriter

V2 = DATA / "winter-road-safety-2025-11-20.yaml"
EXAMPLES = [EXAMPLE, EXAMPLE_KO, V2]


def checked(
    path: Path, tmp: Path, *, pdfa: bool = False, expect: list[str] = (), forbid: list[str] = ()
) -> Report:
    """The checker's report on ``path``, which must find nothing (the stats are returned)."""
    need_tool("pdfinfo")
    need_tool("pdftotext")
    rep = check(
        str(path),
        pdfa=pdfa,
        expect=expect,
        forbid=["Page 1 of", "- 1 /", *forbid],  # the footers, in English and Korean
        scratch=str(tmp / f"{path.stem}-no-artifacts.pdf"),
    )
    assert not rep.problems, rep.problems[:10]
    return rep


@pytest.fixture(scope="module")
def archival(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples built with --pdfa."""
    need_fonts()
    out = tmp_path_factory.mktemp("pdfa")
    result = run_cli("build", str(DATA), "--out", str(out), "-f", "pdf", "--pdfa")
    assert result.returncode == 0, result.stderr
    return out


def _blocks(blocks: tuple[d.Block, ...]) -> Iterator[d.Block]:
    for b in blocks:
        yield b
        if isinstance(b, d.Box):
            yield from _blocks(b.body)


def model(source: Path) -> d.Document:
    builder = Builder(BuildOptions())
    return builder.document(load_facts(source), source)


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The structure elements in reading (tree) order."""

    def walk(e: Any) -> Iterator[pikepdf.Dictionary]:
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            yield e
        kids = e.get("/K") if isinstance(e, pikepdf.Dictionary) else None
        for k in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                yield from walk(k)

    yield from walk(pdf.Root.StructTreeRoot.K)


def children(e: pikepdf.Dictionary, role: str) -> list[pikepdf.Dictionary]:
    kids = e.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/" + role]


def struct_headings(path: Path) -> list[tuple[str, str]]:
    """(H1 or H2, words) of each heading, from poppler's reading of the structure."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r'^\s*(H[1-6]) \(block\)\n\s*"(.*)"$', out, re.M)
    return [(role, text.strip()) for role, text in found]


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_example_structure_is_its_document(source: Path, built: Built, tmp_path: Path) -> None:
    path = built.out / f"{source.stem}.pdf"
    doc = model(source)
    headings = [b for b in doc.blocks if isinstance(b, d.Heading | d.Toc)]
    words = [b.title if isinstance(b, d.Toc) else d.plain_text(b.content) for b in headings]
    rep = checked(path, tmp_path, expect=words)

    # every section heading, in order, at its level (a contents page's title is an H1)
    shown = struct_headings(path)
    assert [role for role, _ in shown] == [
        "H1" if isinstance(b, d.Toc) else f"H{b.level}" for b in headings
    ]
    for (_role, text), want in zip(shown, words, strict=True):
        assert text.endswith(want)  # after the section number, if the style numbers them

    blocks = list(_blocks(doc.blocks))
    tables = [b for b in blocks if isinstance(b, d.Table)]
    # charts and timeline charts: a Figure each
    figures = [b for b in blocks if isinstance(b, d.Figure | d.Chart | d.TimelineChart)]
    lists = sum(1 + _nested(b) for b in blocks if isinstance(b, d.BulletList | d.NumberedList))
    with pikepdf.open(path) as pdf:
        elems = list(elements(pdf))
        data = [t for t in elems if t.S == "/Table" and _scope(t) == "/Column"]
        assert len(data) == len(tables)
        for table, node in zip(data, tables, strict=True):
            rows = children(table, "TR")
            assert len(rows) == 1 + len(node.rows)  # a header repeated on a page is no row
            assert len(children(rows[0], "TH")) == len(node.columns)
            assert all(len(children(r, "TD")) == len(node.columns) for r in rows[1:])
        fields = [t for t in elems if t.S == "/Table" and _scope(t) == "/Row"]
        assert fields and all(
            len(children(r, "TH")) == 1 for t in fields for r in children(t, "TR")
        )
        alts = [str(e.Alt) for e in elems if e.S == "/Figure"]
        logos = [b.logo.alt for b in blocks if isinstance(b, d.TitleBlock) and b.logo]
        assert alts == logos + [f.image.alt if isinstance(f, d.Figure) else f.alt for f in figures]
        assert sum(1 for e in elems if e.S == "/L") == lists
        notes = [str(e.ID) for e in elems if e.S == "/Note"]
        assert notes == [f"fn-{n.number}" for n in doc.footnotes]
        assert str(pdf.Root.Lang) == doc.meta.lang
    assert rep.stats["mcids referenced"] == rep.stats["mcid sequences"]


def _nested(item: d.BulletList | d.NumberedList) -> int:
    return sum(1 + _nested(c) for i in item.items for c in i.children)


def _scope(table: pikepdf.Dictionary) -> str | None:
    for row in children(table, "TR")[:1]:
        for th in children(row, "TH"):
            return str(th.A.Scope)
    return None


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_pdfa_examples_pass(source: Path, archival: Path, built: Built) -> None:
    path = archival / f"{source.stem}.pdf"
    # Poppler takes seconds to read the structure's text when a file has an output intent
    # (a colour transform per element), so the reading order is checked on the plain
    # build, whose tree this one must equal.
    rep = check(str(path), pdfa=True)
    assert not rep.problems, rep.problems[:10]
    plain = check(str(built.out / f"{source.stem}.pdf"))
    assert {k: v for k, v in rep.stats.items() if k.startswith("elem")} == {
        k: v for k, v in plain.stats.items() if k.startswith("elem")
    }
    with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"], xmp["pdfuaid:part"]) == (
            "2",
            "B",
            "1",
        )
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile


def test_pdfa_builds_repeat_byte_for_byte(archival: Path, tmp_path: Path) -> None:
    result = run_cli("build", str(V2), "--out", str(tmp_path), "-f", "pdf", "--pdfa")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{V2.stem}.pdf").read_bytes() == (archival / f"{V2.stem}.pdf").read_bytes()


def test_clients_accept_the_tagged_files(built: Built, archival: Path) -> None:
    for path in [*built.out.glob("*.pdf"), *archival.glob("*.pdf")]:
        qpdf = subprocess.run([need_tool("qpdf"), "--check", str(path)], capture_output=True)
        assert qpdf.returncode == 0, qpdf.stdout
        fonts = subprocess.run(
            [need_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb
        assert all(line.split()[-3] == "yes" for line in fonts), fonts  # uni (ToUnicode)


def test_a_hangul_name_in_an_english_memo_is_spoken_in_korean(tmp_path: Path) -> None:
    need_fonts()
    data = fact_base(lang=["ko", "en"])
    data["memo"]["title"] = {"ko": "이중 언어 보고서", "en": "Bilingual memo"}  # type: ignore[index]
    data["summary"] = [{"ko": "김민준 과장이 보고했다.", "en": "Reported by Kim Min-jun (김민준)."}]
    src = write_yaml(tmp_path / "memo.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path), "-f", "pdf")
    assert result.returncode == 0, result.stderr
    for lang in ("ko", "en"):
        checked(tmp_path / f"memo-{lang}.pdf", tmp_path)
    with pikepdf.open(tmp_path / "memo-en.pdf") as en, pikepdf.open(tmp_path / "memo-ko.pdf") as ko:
        assert str(en.Root.Lang) == "en-GB" and str(ko.Root.Lang) == "ko-KR"
        spans = [str(e.Lang) for e in elements(en) if "/Lang" in e]
        assert spans == ["ko"]  # the name, once; the rest is in the document's language
        assert not [e for e in elements(ko) if "/Lang" in e]


def test_hostile_text_is_tagged(tmp_path: Path) -> None:
    need_fonts()
    src = write_yaml(tmp_path / "hostile.yaml", with_text(dict.fromkeys(FIELDS, " ".join(HOSTILE))))
    result = run_cli("build", str(src), "--out", str(tmp_path), "-f", "pdf", "--draft")
    assert result.returncode == 0, result.stderr
    checked(tmp_path / "hostile.pdf", tmp_path, forbid=["DRAFT"])


@pytest.mark.parametrize("name", ["meetings", "report-ko"])
def test_briefing_blocks_are_tagged(name: str, tmp_path: Path) -> None:
    """Decision boxes (their check boxes artifacts), clearance tables and approval boxes,
    boxed titles and lists in columns are tagged like every other block."""
    need_fonts()
    src = CASES / f"{name}.yaml"
    result = run_cli("build", str(src), "--out", str(tmp_path), "-f", "pdf")
    assert result.returncode == 0, result.stderr
    checked(tmp_path / f"{name}.pdf", tmp_path)
    with pikepdf.open(tmp_path / f"{name}.pdf") as pdf:
        tables = [t for t in elements(pdf) if t.S == "/Table" and _scope(t) == "/Column"]
        assert tables  # the clearance table, or the approval boxes, head their columns


# ---------------------------------------------------------------- split across pages


def _text(words: str) -> d.Inlines:
    return (d.Text(words),)


def test_blocks_split_across_pages_are_one_element_each(tmp_path: Path) -> None:
    """A paragraph, a link, a list, a box and a table that each run over a page break: each
    is one element with marked content on two pages, and the table's repeated header row
    is not a row of its own."""
    writer = PdfWriter(load_style(template_dir()))
    long = " ".join(f"word{i}" for i in range(900))
    link = d.Link("https://example.org/x", _text(" ".join(f"link{i}" for i in range(150))))
    item = d.ListItem(_text(long[:3000]), (d.BulletList((d.ListItem(_text("deep")),)),))
    rows = tuple((_text(f"row {i}"), _text("text " * (i % 9 + 1))) for i in range(120))
    doc = d.Document(
        d.Meta(title="Splits", lang="en-GB", marking="OFFICIAL", running_title="Splits"),
        (
            d.Heading(2, _text("Starts at level two"), "a"),  # tagged H1: levels never skip
            d.Paragraph((d.Text(long), link, d.Text(" end."))),
            d.BulletList(tuple(item for _ in range(4))),
            d.Box((d.Paragraph(_text(long)),), _text("Boxed")),
            d.Table((d.Column(_text("When")), d.Column(_text("What"), 3.0)), rows),
        ),
    )
    path = tmp_path / "splits.pdf"
    path.write_bytes(writer.render(doc))
    rep = checked(path, tmp_path, expect=["Starts at level two", "link0", "link149", "row 119"])
    for role in ("Link", "LBody"):
        assert rep.stats[f"elements split over pages: {role}"] >= 1, (role, rep.stats)
    assert rep.stats["elements split over pages: P"] >= 2  # the body's and the box's
    assert struct_headings(path) == [("H1", "Starts at level two")]
    assert rep.stats["elem TR"] == 121 and rep.stats["elem TH"] == 2
    assert rep.stats["annotation Link"] >= 2  # the link's two pages: each an OBJR


# ---------------------------------------------------------------- the checker itself


def test_an_untagged_pdf_fails_the_checker(tmp_path: Path) -> None:
    writer = PdfWriter(load_style(template_dir()), tagged=False)
    path = tmp_path / "untagged.pdf"
    path.write_bytes(writer.render(model(EXAMPLE)))
    rep = check(str(path))
    assert any("neither tagged nor artifact" in p for p in rep.problems)
    assert any("MarkInfo" in p for p in rep.problems)


def _mutated(source: Path, tmp: Path, change: Any) -> Report:
    out = tmp / "mutated.pdf"
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(out, static_id=True)
    return check(str(out), pdfa=True)


def _first(role: str) -> Any:
    return lambda pdf: next(e for e in elements(pdf) if "/" + role == e.S)


def _untag_first_mcid(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    ops = pikepdf.parse_content_stream(page)
    i = next(
        i for i, o in enumerate(ops) if str(o.operator) == "BDC" and o.operands[0] != "/Artifact"
    )
    j = next(j for j in range(i, len(ops)) if str(ops[j].operator) == "EMC")
    del ops[j]
    del ops[i]
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


MUTATIONS = {
    "without /Alt": lambda pdf: _first("Figure")(pdf).__delitem__("/Alt"),
    "TH without /Scope": lambda pdf: _first("TH")(pdf).__delitem__("/A"),
    "Note without /ID": lambda pdf: _first("Note")(pdf).__delitem__("/ID"),
    "MarkInfo": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "DisplayDocTitle": lambda pdf: pdf.Root.__delitem__("/ViewerPreferences"),
    "catalog has no /Lang": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "annotation not tagged": lambda pdf: next(
        a for p in pdf.pages for a in p.get("/Annots", [])
    ).__delitem__("/StructParent"),
    "pdfuaid": lambda pdf: pdf.Root.Metadata.write(
        pdf.Root.Metadata.read_bytes().replace(b"<pdfuaid:part>1</pdfuaid:part>", b"")
    ),
    "neither tagged nor artifact": _untag_first_mcid,
    "GTS_PDFA1 OutputIntent": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
}


@pytest.mark.parametrize("needle", MUTATIONS)
def test_the_checker_catches_what_breaks_a_rule(
    needle: str, archival: Path, tmp_path: Path
) -> None:
    rep = _mutated(archival / f"{V2.stem}.pdf", tmp_path, MUTATIONS[needle])
    assert any(needle in p for p in rep.problems), rep.problems[:5]
