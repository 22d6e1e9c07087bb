"""The DOCX writer on the blocks memos are made of: nested lists as Word numbering levels,
figures with numbered captions, notes, boxes, page breaks, aligned table columns, the logo
and real Word footnotes, each read back from the package's XML."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import docx_text, libreoffice_pdf, pdf_pages
from lxml import etree
from PIL import Image as PILImage

from reports import document as d
from reports.layout import EMU_PER_PT, text_width
from reports.resources import default_templates
from reports.style import HouseStyle, load_style
from reports.writers.docx import DocxWriter
from reports.writers.docx.stylesheet import BOX_PADDING

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
DASH = "\u2013"
"""The English house style's second-level bullet."""
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def q(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def T(text: str) -> d.Inlines:
    return (d.Text(text),)


def house(lang: str = "en") -> HouseStyle:
    return load_style(default_templates(), (), lang)


def render(
    *blocks: d.Block,
    notes: tuple[d.Footnote, ...] = (),
    lang: str = "en",
    reference: Path | None = None,
) -> bytes:
    writer = DocxWriter(house(lang), reference_docx=reference)
    meta = d.Meta(title="Blocks", lang="ko-KR" if lang == "ko" else "en-GB")
    return writer.render(d.Document(meta, blocks, notes))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.namelist()


def body(data: bytes) -> etree._Element:
    return part(data, "word/document.xml").find(q("w:body"))


def text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(q("w:t")))


def paragraphs(data: bytes, style: str | None = None) -> list[etree._Element]:
    out = []
    for p in body(data).iter(q("w:p")):
        found = p.find("w:pPr/w:pStyle", NS)
        if style is None or (found is not None and found.get(q("w:val")) == style):
            out.append(p)
    return out


def find_par(data: bytes, words: str) -> etree._Element:
    (found,) = [p for p in body(data).iter(q("w:p")) if text(p) == words]
    return found


def wval(el: etree._Element | None, path: str, attr: str = "w:val") -> str | None:
    found = el.find(path, NS) if el is not None else None
    return found.get(q(attr)) if found is not None else None


def style_el(data: bytes, style_id: str) -> etree._Element:
    (found,) = [
        s for s in part(data, "word/styles.xml").iter(q("w:style"))
        if s.get(q("w:styleId")) == style_id
    ]  # fmt: skip
    return found


class Numbering:
    """numbering.xml read back: instances, their abstract definitions and overrides."""

    def __init__(self, data: bytes) -> None:
        root = part(data, "word/numbering.xml")
        self.abstracts = {a.get(q("w:abstractNumId")): a for a in root.iter(q("w:abstractNum"))}
        self.nums = {n.get(q("w:numId")): n for n in root.iter(q("w:num"))}
        self.named = {wval(a, "w:name"): a for a in self.abstracts.values()}

    def levels(self, name: str) -> dict[int, etree._Element]:
        return {int(lvl.get(q("w:ilvl"))): lvl for lvl in self.named[name].iter(q("w:lvl"))}

    def abstract_name(self, num_id: str) -> str | None:
        abstract = self.abstracts[wval(self.nums[num_id], "w:abstractNumId")]
        return wval(abstract, "w:name")

    def start_override(self, num_id: str) -> tuple[int, int] | None:
        override = self.nums[num_id].find("w:lvlOverride", NS)
        if override is None:
            return None
        return int(override.get(q("w:ilvl"))), int(wval(override, "w:startOverride") or 0)


def numbered(p: etree._Element, styles: dict[str, str]) -> tuple[str, int]:
    """A paragraph's numbering instance and level: its own, else its style's."""
    num = wval(p, "w:pPr/w:numPr/w:numId")
    ilvl = int(wval(p, "w:pPr/w:numPr/w:ilvl") or 0)
    if num is None:
        num = styles[wval(p, "w:pPr/w:pStyle") or ""]
    return num, ilvl


def style_numbers(data: bytes) -> dict[str, str]:
    out = {}
    for s in part(data, "word/styles.xml").iter(q("w:style")):
        num = wval(s, "w:pPr/w:numPr/w:numId")
        if num is not None:
            out[s.get(q("w:styleId"))] = num
    return out


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, d.Image]:
    folder = tmp_path_factory.mktemp("images")
    chart = folder / "chart.png"
    PILImage.new("RGB", (400, 200), (31, 58, 95)).save(chart)
    logo = folder / "emblem.png"
    PILImage.new("RGB", (100, 120), (200, 30, 30)).save(logo)
    return {
        "chart": d.Image(str(chart), 400, 200, "Bar chart of four rising values"),
        "logo": d.Image(str(logo), 100, 120, "Ministry emblem"),
    }


# ---------------------------------------------------------------- nested lists

NESTED = d.BulletList(
    (
        d.ListItem(
            T("one"),
            (
                d.BulletList(
                    (
                        d.ListItem(
                            T("one.one"),
                            (d.NumberedList((d.ListItem(T("deep a")), d.ListItem(T("deep b")))),),
                        ),
                    )
                ),
            ),
        ),
        d.ListItem(T("two")),
    )
)


def test_nested_lists_are_levels_of_word_numbering_with_the_house_markers() -> None:
    data = render(NESTED)
    styles = style_numbers(data)
    numbering = Numbering(data)
    shown = {}
    for words in ("one", "one.one", "deep a", "deep b", "two"):
        num, ilvl = numbered(find_par(data, words), styles)
        shown[words] = (numbering.abstract_name(num), ilvl)
    assert shown == {
        "one": ("Memo List Bullet", 0),
        "one.one": ("Memo List Bullet", 1),
        "deep a": ("Memo List Number", 2),
        "deep b": ("Memo List Number", 2),
        "two": ("Memo List Bullet", 0),
    }
    bullets = numbering.levels("Memo List Bullet")
    assert [wval(bullets[i], "w:lvlText") for i in range(5)] == ["•", DASH, "·", "·", "·"]
    assert {wval(lvl, "w:numFmt") for lvl in bullets.values()} == {"bullet"}
    numbers = numbering.levels("Memo List Number")
    assert [(wval(numbers[i], "w:numFmt"), wval(numbers[i], "w:lvlText")) for i in range(4)] == [
        ("decimal", "%1."),
        ("lowerLetter", "%2."),
        ("lowerRoman", "%3."),
        ("decimal", "%4."),
    ]
    # each level further right, in the definition and on the nested paragraphs themselves
    lefts = [int(wval(bullets[i], "w:pPr/w:ind", "w:left") or 0) for i in range(3)]
    assert lefts[0] < lefts[1] < lefts[2]
    assert wval(find_par(data, "one.one"), "w:pPr/w:ind", "w:left") == str(lefts[1])
    assert wval(find_par(data, "deep a"), "w:pPr/w:ind", "w:left") == str(lefts[2])


def test_korean_lists_take_the_korean_markers_per_level() -> None:
    data = render(NESTED, lang="ko")
    bullets = Numbering(data).levels("Memo List Bullet")
    assert [wval(bullets[i], "w:lvlText") for i in range(5)] == ["□", "○", "-", "·", "·"]


def test_numbered_lists_start_where_told_and_each_restarts() -> None:
    first = d.NumberedList(
        (
            d.ListItem(T("three"), (d.NumberedList((d.ListItem(T("three a")),)),)),
            d.ListItem(T("four")),
        ),
        start=3,
    )
    second = d.NumberedList((d.ListItem(T("again one")),))
    data = render(first, second)
    styles, numbering = style_numbers(data), Numbering(data)
    three, three_a, four, again = (
        numbered(find_par(data, w), styles) for w in ("three", "three a", "four", "again one")
    )
    assert three == (four[0], 0)  # one list, one instance
    assert numbering.start_override(three[0]) == (0, 3)
    assert three_a[1] == 1 and numbering.start_override(three_a[0]) == (1, 1)
    assert again[0] not in (three[0], three_a[0])
    assert numbering.start_override(again[0]) == (0, 1)
    # as a reader of the text sees them: Word's numbers, no typed ones
    assert "three" in docx_text(data) and "3." not in text(body(data))


# ---------------------------------------------------------------- figures and the logo


def test_a_figure_is_a_picture_with_alt_text_and_a_numbered_caption(
    images: dict[str, d.Image],
) -> None:
    figure = d.Figure(images["chart"], 0.5, "Figure 1", T("Four values"))
    data = render(figure)
    (picture, caption) = [p for p in body(data).iter(q("w:p"))][:2]
    assert wval(picture, "w:pPr/w:pStyle") == "MemoFigure"
    assert style_el(data, "MemoFigure").find("w:pPr/w:keepNext", NS) is not None
    (doc_pr,) = picture.iter(q("wp:docPr"))
    assert doc_pr.get("descr") == doc_pr.get("title") == "Bar chart of four rising values"
    (extent,) = picture.iter(q("wp:extent"))
    width = text_width(house()) * 0.5 * EMU_PER_PT
    assert abs(int(extent.get("cx")) - width) < EMU_PER_PT
    assert int(extent.get("cy")) == pytest.approx(int(extent.get("cx")) / 2, abs=2)
    assert wval(caption, "w:pPr/w:pStyle") == "Caption"
    instructions = [t.text for t in caption.iter(q("w:instrText"))]
    assert instructions == [r" SEQ Figure \* ARABIC "]
    assert text(caption) == "Figure 1: Four values"  # the field's result is cached
    assert Path(images["chart"].path).read_bytes() in [
        zipfile.ZipFile(io.BytesIO(data)).read(n)
        for n in names(data)
        if n.startswith("word/media/")
    ]


def test_a_figure_in_a_box_takes_its_share_of_the_box_width(images: dict[str, d.Image]) -> None:
    data = render(d.Box((d.Figure(images["chart"], 1.0, "Figure 1"),)))
    (tc,) = body(data).iter(q("w:tc"))
    (extent,) = tc.iter(q("wp:extent"))  # inside the box's cell
    inner = (text_width(house()) - 2 * BOX_PADDING) * EMU_PER_PT
    assert abs(int(extent.get("cx")) - inner) < EMU_PER_PT
    (caption,) = paragraphs(data, "Caption")
    assert text(caption) == "Figure 1"


def test_the_logo_stands_above_the_kicker_at_the_house_width(images: dict[str, d.Image]) -> None:
    title = d.TitleBlock(T("Title"), kicker=T("Kicker"), logo=images["logo"])
    data = render(title)
    first, kicker = list(body(data).iter(q("w:p")))[:2]
    (doc_pr,) = first.iter(q("wp:docPr"))
    assert doc_pr.get("descr") == "Ministry emblem"
    (extent,) = first.iter(q("wp:extent"))
    assert int(extent.get("cx")) == round(house().logo_width * EMU_PER_PT)
    assert int(extent.get("cy")) == pytest.approx(int(extent.get("cx")) * 1.2, abs=2)
    assert text(kicker) == "Kicker"


# ---------------------------------------------------------------- notes, boxes, page breaks


def test_a_note_is_smaller_and_indented_after_its_mark() -> None:
    data = render(
        d.Paragraph(T("Body")), d.Note(T("Short mark."), "※"), d.Note(T("Long mark."), "Note:")
    )
    note_style = style_el(data, "MemoNote")
    size = int(wval(note_style, "w:rPr/w:sz") or 0)
    assert 0 < size < int(wval(style_el(data, "Normal"), "w:rPr/w:sz") or 0)
    left = int(wval(note_style, "w:pPr/w:ind", "w:left") or 0)
    assert left > 0 and wval(note_style, "w:pPr/w:ind", "w:hanging") == str(left)
    short, wide = paragraphs(data, "MemoNote")
    assert text(short) == "※Short mark." and short.find("w:r/w:tab", NS) is not None
    assert short.find("w:pPr/w:ind", NS) is None  # the mark fits the style's hanging indent
    hanging = int(wval(wide, "w:pPr/w:ind", "w:hanging") or 0)
    assert hanging > left  # "Note:" is wider: the text starts after it
    assert wval(wide, "w:pPr/w:ind", "w:left") == str(hanging)


def test_a_box_is_a_bordered_one_cell_table_holding_its_blocks() -> None:
    box = d.Box(
        (
            d.Paragraph(T("Inside the box.")),
            d.BulletList(
                (d.ListItem(T("boxed item"), (d.BulletList((d.ListItem(T("deeper")),)),)),)
            ),
            d.Table((d.Column(T("K")), d.Column(T("V"))), ((T("a"), T("1")),)),
        ),
        T("Decision required"),
    )
    data = render(box, box)
    tables = body(data).findall(q("w:tbl"))
    assert len(tables) == 2  # two boxes stay two tables: a paragraph lies between them
    assert tables[0].getnext().tag == q("w:p")
    tbl = tables[0]
    assert wval(tbl, "w:tblPr/w:tblStyle") == "MemoBox"
    (tc,) = tbl.findall("w:tr/w:tc", NS)
    inner = [el for el in tc if el.tag != q("w:tcPr")]
    assert [wval(p, "w:pPr/w:pStyle") for p in inner[:4]] == [
        "MemoBoxTitle",
        "Normal",
        "ListBullet",
        "ListBullet",
    ]
    assert [text(p) for p in inner[:4]] == [
        "Decision required",
        "Inside the box.",
        "boxed item",
        "deeper",
    ]
    assert wval(inner[3], "w:pPr/w:numPr/w:ilvl") == "1"
    assert inner[4].tag == q("w:tbl") and wval(inner[4], "w:tblPr/w:tblStyle") == "MemoTable"
    assert inner[-1].tag == q("w:p")  # a cell ends with a paragraph
    # the nested table fits inside the box's padding
    outer = int(wval(tbl, "w:tblPr/w:tblW", "w:w") or 0)
    assert int(wval(inner[4], "w:tblPr/w:tblW", "w:w") or 0) < outer
    style = style_el(data, "MemoBox")
    hs = house()
    colour = hs.color("box_border").lstrip("#").upper()
    borders = style.find("w:tblPr/w:tblBorders", NS)
    assert {b.get(q("w:color")) for b in borders} == {colour} and len(borders) == 4
    assert wval(style, "w:tcPr/w:shd", "w:fill") == hs.color("box_fill").lstrip("#").upper()
    title = style_el(data, "MemoBoxTitle")
    assert wval(title, "w:rPr/w:b") == "1" and title.find("w:pPr/w:keepNext", NS) is not None


def test_a_page_break_is_the_next_blocks_property_never_an_empty_paragraph() -> None:
    table = d.Table((d.Column(T("H")),), ((T("cell"),),))
    box = d.Box((d.Paragraph(T("boxed")),), T("Box title"))
    data = render(
        d.Paragraph(T("before")),
        d.PageBreak(),
        d.Heading(1, T("Annex"), "annex"),
        d.PageBreak(),
        table,
        d.PageBreak(),
        d.PageBreak(),  # two in a row: still one new page
        box,
        d.Paragraph(T("after")),
        d.PageBreak(),
    )
    broken = [
        p for p in body(data).iter(q("w:p")) if p.find("w:pPr/w:pageBreakBefore", NS) is not None
    ]
    assert [text(p) for p in broken] == ["Annex", "H", "Box title"]  # a table's first cell
    assert broken[0].find(q("w:bookmarkStart")) is not None  # the heading keeps its bookmark
    assert not [p for p in body(data).iter(q("w:p")) if p.find(".//w:br", NS) is not None]
    assert text(list(body(data).iter(q("w:p")))[-1]) == "after"  # a trailing break adds nothing


# ---------------------------------------------------------------- tables


def test_columns_are_aligned_the_caption_above_and_the_source_under_the_table() -> None:
    columns = (d.Column(T("Name")), d.Column(T("Amount"), align="right"),
               d.Column(T("State"), align="center"))  # fmt: skip
    rows = tuple((T(f"r{i}"), T(str(i)), T("ok")) for i in range(3))
    formatted = ((d.Strong(T("bold")),), T("9"), T("late"))
    table = d.Table(columns, (*rows, formatted), caption=T("Caption"), source=T("Source: X."))
    data = render(table)
    tbl = body(data).find(q("w:tbl"))
    for tr in tbl.iter(q("w:tr")):  # header, the bulk rows and the formatted one alike
        aligns = [wval(tc, "w:p/w:pPr/w:jc") for tc in tr.iter(q("w:tc"))]
        assert aligns == [None, "right", "center"], text(tr)
    after = tbl.getnext()
    assert (wval(after, "w:pPr/w:pStyle"), text(after)) == ("MemoTableSource", "Source: X.")
    caption = tbl.getprevious()  # a table's caption stands above it, kept with it
    assert (wval(caption, "w:pPr/w:pStyle"), text(caption)) == ("Caption", "Caption")
    assert caption.find(f"{q('w:pPr')}/{q('w:keepNext')}") is not None
    source_style = style_el(data, "MemoTableSource")
    assert wval(source_style, "w:name") == "Memo Table Source"
    assert int(wval(source_style, "w:rPr/w:sz") or 0) == round(
        house().style("table_source").size * 2
    )


# ---------------------------------------------------------------- footnotes


def noted_document() -> tuple[tuple[d.Block, ...], tuple[d.Footnote, ...]]:
    """A memo referring to notes from a paragraph, a table's bulk rows, a list, a box and a
    Q&A answer; one note referred to twice, one only from inside another note."""
    ref = d.FootnoteRef
    rows = tuple((T(f"row {i}"), T(str(i))) for i in range(5))
    blocks: tuple[d.Block, ...] = (
        d.Paragraph((d.Text("Body"), ref("a"), d.Text("."))),
        d.Table(
            (d.Column(T("Row")), d.Column(T("N"))), (*rows, ((d.Text("cell"), ref("t")), T("9")))
        ),
        d.BulletList(
            (d.ListItem(T("item"), (d.BulletList((d.ListItem((d.Text("deep"), ref("l"))),)),)),)
        ),
        d.Box((d.Paragraph((d.Text("boxed"), ref("b"))),), T("Box")),
        d.QA(T("Why?"), ((d.Text("Because"), ref("a")),)),
    )
    notes = (
        d.Footnote(
            "a", 1, (d.Text("Note A, see "), ref("n"), d.Link("https://example.org/a", T("source")))
        ),
        d.Footnote("n", 2, T("Note N, only referred to from note A.")),
        d.Footnote("t", 3, T("Note T from a table cell.")),
        d.Footnote("l", 4, T("Note L from a nested list item.")),
        d.Footnote("b", 5, T("Note B from a box.")),
    )
    return blocks, notes


@pytest.fixture(scope="module")
def noted() -> bytes:
    blocks, notes = noted_document()
    return render(*blocks, notes=notes)


def test_footnotes_are_a_part_of_their_own_with_words_separators(noted: bytes) -> None:
    assert names(noted).count("word/footnotes.xml") == 1
    types = part(noted, "[Content_Types].xml")
    (override,) = [o for o in types if o.get("PartName") == "/word/footnotes.xml"]
    assert override.get("ContentType") == FOOTNOTES_TYPE
    rels = part(noted, "word/_rels/document.xml.rels")
    targets = [r.get("Target") for r in rels if r.get("Type").endswith("/footnotes")]
    assert targets == ["footnotes.xml"]
    root = part(noted, "word/footnotes.xml")
    notes = root.findall(q("w:footnote"))
    assert [(n.get(q("w:type")), n.get(q("w:id"))) for n in notes[:2]] == [
        ("separator", "-1"),
        ("continuationSeparator", "0"),
    ]
    assert notes[0].find(".//w:separator", NS) is not None
    assert notes[1].find(".//w:continuationSeparator", NS) is not None
    settings = part(noted, "word/settings.xml")
    pr = settings.find("w:footnotePr", NS)
    assert [f.get(q("w:id")) for f in pr.findall("w:footnote", NS)] == ["-1", "0"]
    assert pr.getnext().tag == q("w:compat")  # the settings' schema order
    # the notes: one each, numbered by Word from its footnoteRef, in the footnote style
    real = notes[2:]
    assert [text(n).strip() for n in real] == [
        "Note A, see 2source",
        "Note N, only referred to from note A.",
        "Note T from a table cell.",
        "Note L from a nested list item.",
        "Note B from a box.",
    ]
    for note in real:
        first = note.find(q("w:p"))
        assert wval(first, "w:pPr/w:pStyle") == "FootnoteText"
        mark = first.find(q("w:r"))
        assert mark.find(q("w:footnoteRef")) is not None
        assert wval(mark, "w:rPr/w:rStyle") == "FootnoteReference"
    # a link in a note is the footnotes part's own relationship
    (link,) = root.iter(q("w:hyperlink"))
    note_rels = part(noted, "word/_rels/footnotes.xml.rels")
    (rel,) = [r for r in note_rels if r.get("Id") == link.get(q("r:id"))]
    assert rel.get("Target") == "https://example.org/a"


def test_footnote_styles_are_words_own(noted: bytes) -> None:
    text_style = style_el(noted, "FootnoteText")
    assert (text_style.get(q("w:type")), wval(text_style, "w:name")) == (
        "paragraph",
        "footnote text",
    )
    assert int(wval(text_style, "w:rPr/w:sz") or 0) == round(house().style("footnote").size * 2)
    mark = style_el(noted, "FootnoteReference")
    assert (mark.get(q("w:type")), wval(mark, "w:name")) == ("character", "footnote reference")
    assert wval(mark, "w:rPr/w:vertAlign") == "superscript"
    assert "Note T from a table cell." in docx_text(noted)  # and every style id once


def test_footnote_references_stand_where_their_marks_are(noted: bytes) -> None:
    root = body(noted)
    refs = {r.get(q("w:id")): r for r in root.iter(q("w:footnoteReference"))}
    assert sorted(refs) == ["1", "2", "3", "4", "5"]  # one reference per note

    def holder(note_id: str) -> etree._Element:
        run = refs[note_id].getparent()
        assert wval(run, "w:rPr/w:rStyle") == "FootnoteReference"
        return run.getparent()

    assert text(holder("1")) == "Body,." and holder("1") is holder("2")  # A, then N beside it
    cell = holder("3")
    assert cell.getparent().tag == q("w:tc") and text(cell) == "cell"
    assert wval(holder("4"), "w:pPr/w:numPr/w:ilvl") == "1" and text(holder("4")) == "deep"
    box = holder("5").getparent()
    assert (
        box.tag == q("w:tc")
        and wval(box.getparent().getparent(), "w:tblPr/w:tblStyle") == "MemoBox"
    )
    # the answer refers to note A again: Word's cross-reference to it, not a second note
    (answer,) = paragraphs(noted, "MemoAnswer")
    assert answer.find(".//w:footnoteReference", NS) is None
    (instr,) = [t.text for t in answer.iter(q("w:instrText"))]
    assert instr.split()[0] == "NOTEREF" and instr.split()[2:] == ["\\f", "\\h"]
    (start,) = [
        b for b in root.iter(q("w:bookmarkStart")) if b.get(q("w:name")) == instr.split()[1]
    ]
    assert start.getnext() is refs["1"].getparent()
    assert text(answer) == "Because1"


def test_a_memo_without_footnotes_has_no_footnotes_part() -> None:
    data = render(d.Paragraph(T("No notes.")))
    assert "word/footnotes.xml" not in names(data)
    assert part(data, "word/settings.xml").find("w:footnotePr", NS) is None


def test_a_reference_document_with_footnotes_gives_its_rules_not_its_notes(
    noted: bytes, tmp_path: Path
) -> None:
    reference = tmp_path / "previous-memo.docx"
    reference.write_bytes(noted)
    plain = render(d.Paragraph(T("No notes.")), reference=reference)
    kept = part(plain, "word/footnotes.xml")
    assert [n.get(q("w:type")) for n in kept] == ["separator", "continuationSeparator"]
    blocks, notes = noted_document()
    data = render(*blocks, notes=notes, reference=reference)
    assert names(data).count("word/footnotes.xml") == 1
    rels = part(data, "word/_rels/document.xml.rels")
    assert len([r for r in rels if r.get("Type").endswith("/footnotes")]) == 1
    root = part(data, "word/footnotes.xml")
    assert [n.get(q("w:id")) for n in root] == ["-1", "0", "1", "2", "3", "4", "5"]
    assert text(root).count("Note A") == 1
    again = docx.Document(io.BytesIO(data))  # python-docx opens, edits and saves it
    again.add_paragraph("edited")
    out = io.BytesIO()
    again.save(out)
    assert names(out.getvalue()).count("word/footnotes.xml") == 1


# ---------------------------------------------------------------- the whole


def every_block(images: dict[str, d.Image]) -> d.Document:
    blocks, notes = noted_document()
    more: tuple[d.Block, ...] = (
        d.TitleBlock(T("Every block"), kicker=T("Briefing memo"), logo=images["logo"]),
        d.Heading(1, T("Lists"), "sec-1", True),
        NESTED,
        d.Figure(images["chart"], 0.4, "Figure 1", T("Four values")),
        d.Note(T("Remarks set apart."), "Note:"),
        *blocks,
        d.PageBreak(),
        d.Heading(1, T("Annex"), "annex"),
        d.Paragraph(T("On a page of its own.")),
    )
    return d.Document(d.Meta(title="Every block", lang="en-GB"), more, notes)


def test_rebuilds_are_byte_identical(images: dict[str, d.Image]) -> None:
    doc = every_block(images)
    first = DocxWriter(house()).render(doc)
    assert DocxWriter(house()).render(doc) == first
    bookmarks = {b.get(q("w:name")) for b in body(first).iter(q("w:bookmarkStart"))}
    assert {"_sec_1", "_annex"} <= bookmarks


def test_libreoffice_shows_nested_markers_and_notes_at_the_foot_of_their_page(
    images: dict[str, d.Image], tmp_path: Path
) -> None:
    path = tmp_path / "every-block.docx"
    path.write_bytes(DocxWriter(house()).render(every_block(images)))
    pages = [[line.strip() for line in page.splitlines()] for page in
             pdf_pages(libreoffice_pdf(path, tmp_path))]  # fmt: skip
    first = pages[0]
    start = first.index("• one")
    assert first[start : start + 5] == [
        "• one",
        f"{DASH} one.one",
        "i. deep a",
        "ii. deep b",
        "• two",
    ]
    marks = {
        "1 Note A, see 2source": "Body1,2.",
        "2 Note N, only referred to from note A.": "Body1,2.",
        "3 Note T from a table cell.": "cell3 9",
        "4 Note L from a nested list item.": f"{DASH} deep4",
        "5 Note B from a box.": "boxed5",
    }
    for note, mark in marks.items():
        (page,) = [page for page in pages if note in page]  # once, on its mark's page,
        assert page.index(mark) < page.index(note)  # below the text
    assert pages[-1][0] == "Annex"  # after the page break
    assert "Annex" not in " ".join(" ".join(page) for page in pages[:-1])
