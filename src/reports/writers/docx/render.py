"""Render one document model into a python-docx document: one method per node type."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import Element, SubElement

from ... import document as d
from ...layout import EMU_PER_TWIP, MM, column_widths, emu, heading_numbers, text_width
from ..base import Visitor
from . import ooxml as x
from .package import save
from .stylesheet import FIELDS_STYLE, TABLE_STYLE, WORD_STYLES, hex_color

if TYPE_CHECKING:
    from . import DocxWriter

_TBLPR_AFTER_STYLE = ("w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                      "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                      "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")  # fmt: skip
"""What follows ``w:tblStyle`` in a table's properties (ECMA-376 Part 1, 17.4.60)."""
_KEEP_ROW_CHARS = 1500
"""Rows with less text than this never split across pages (about a third of a page)."""
_CORE_PROPERTY_MAX = 255
"""Word's limit on a core property's length."""


class Render(Visitor):
    """One rendering: holds the python-docx document while blocks are added."""

    def __init__(self, writer: DocxWriter, doc: d.Document) -> None:
        self.w = writer
        self.hs = writer.hs
        self.doc = doc
        self.word = writer.open(doc.meta.lang)
        self.body = self.word.element.body
        self.bookmark_id = 0
        self._style_ids: dict[str, str] = {}
        self.numbers = heading_numbers(doc.blocks, self.hs.section_numbers)
        self.width = emu(text_width(self.hs))

    def run(self) -> bytes:
        for block in self.doc.blocks:
            self.visit(block)
        self.furniture()
        self.properties()
        return save(self.word)

    # ------------------------------------------------------------------ helpers

    def style_name(self, house: str) -> str:
        self.hs.style(house)  # an unknown house style stops the run
        return WORD_STYLES[house]

    def style_id(self, word_name: str) -> str:
        """Word style name → style id, looked up once: python-docx's lookup scans every style."""
        sid = self._style_ids.get(word_name)
        if sid is None:
            sid = self._style_ids[word_name] = self.word.styles[word_name].style_id
        return sid

    def new_par(self, word_name: str, text: str = "") -> Any:
        """Append a body paragraph in the Word style ``word_name``."""
        par = self.word.add_paragraph(text)
        x.set_pstyle(par._p, self.style_id(word_name))
        return par

    def add_par(self, style: str, content: d.Inlines = ()) -> Any:
        par = self.new_par(self.style_name(style))
        self.inlines(par, content)
        return par

    def fill(self, p_el: Any, style: str, content: d.Inlines) -> None:
        """Style the paragraph element ``p_el`` and add ``content`` to it."""
        par = DocxParagraph(p_el, self.word._body)
        x.set_pstyle(p_el, self.style_id(self.style_name(style)))
        self.inlines(par, content)

    def inlines(self, par: Any, nodes: d.Inlines, bold: bool = False, emph: bool = False) -> None:
        for node in nodes:
            self.visit(node, par, bold, emph)

    # ------------------------------------------------------------------ inlines

    def visit_text(self, node: d.Text, par: Any, bold: bool, emph: bool) -> None:
        run = par.add_run(node.text)
        if bold:
            run.bold = True
        if emph:
            self.emphasise(run)

    def emphasise(self, run: Any) -> None:
        if self.hs.emphasis == "italic":
            run.italic = True
        elif self.hs.emphasis == "underline":
            run.underline = True

    def visit_strong(self, node: d.Strong, par: Any, bold: bool, emph: bool) -> None:
        self.inlines(par, node.children, True, emph)

    def visit_emph(self, node: d.Emph, par: Any, bold: bool, emph: bool) -> None:
        self.inlines(par, node.children, bold, True)

    def visit_line_break(self, node: d.LineBreak, par: Any, bold: bool, emph: bool) -> None:
        par.add_run().add_break()

    def visit_link(self, node: d.Link, par: Any, bold: bool, emph: bool) -> None:
        rel_id = par.part.relate_to(node.href, RT.HYPERLINK, is_external=True)
        italic = emph and self.hs.emphasis == "italic"
        par._p.append(x.hyperlink(rel_id, d.plain_text(node.children), bold, italic))

    # ------------------------------------------------------------------ blocks

    def visit_title_block(self, node: d.TitleBlock) -> None:
        if node.kicker:
            self.add_par("kicker", node.kicker)
        self.add_par("title", node.title)
        if node.subtitle:
            self.add_par("subtitle", node.subtitle)

    def visit_fields(self, node: d.Fields) -> None:
        label_w = emu(30 * MM)
        widths = (label_w, self.width - label_w)
        tbl = self.new_table(FIELDS_STYLE, widths)
        for i, f in enumerate(node.rows):
            tr = x.row([w // EMU_PER_TWIP for w in widths], cant_split=True)
            tbl.append(tr)
            label_p, value_p = (tc.find(x.qn("w:p")) for tc in tr.iterchildren(x.qn("w:tc")))
            self.fill(label_p, "field_label", (d.Text(f.label),))
            self.fill(value_p, "field_value", f.value)
            if i < len(node.rows) - 1:  # Word keeps a table together via keep-with-next
                for p in (label_p, value_p):
                    x.ppr_child(x.p_pr(p), "w:keepNext")
        self.spacer()

    def spacer(self) -> None:
        par = self.new_par(self.style_name("body"))
        par.paragraph_format.space_after = Pt(0)
        par.paragraph_format.line_spacing = Pt(6)

    def visit_heading(self, node: d.Heading) -> None:
        number = self.numbers.get(node.anchor)
        content = ((d.Text(f"{number}. "),) if number else ()) + node.content
        par = self.add_par("h1" if node.level == 1 else "h2", content)
        self.bookmark_id += 1
        x.bookmark(par._p, self.bookmark_id, f"_{node.anchor.replace('-', '_')}")

    def visit_paragraph(self, node: d.Paragraph) -> None:
        self.add_par(node.style, node.content)

    def visit_bullet_list(self, node: d.BulletList) -> None:
        for item in node.items:
            par = self.new_par("List Bullet")
            self.inlines(par, item)

    def visit_numbered_list(self, node: d.NumberedList) -> None:
        num_id = self.restart_numbering("List Number")
        for item in node.items:
            par = self.new_par("List Number")
            if num_id is not None:
                x.ppr_child(x.p_pr(par._p), "w:pStyle").addnext(x.num_pr(num_id))
            self.inlines(par, item)

    def restart_numbering(self, style_name: str) -> int | None:
        """A new numbering instance for ``style_name``'s list that starts again at 1."""
        style = self.word.styles[style_name]
        ppr = style.element.find(x.qn("w:pPr"))
        numpr = ppr.find(x.qn("w:numPr")) if ppr is not None else None
        if numpr is None:
            return None
        base_num = numpr.find(x.qn("w:numId")).get(x.qn("w:val"))
        numbering = self.word.part.numbering_part.element
        nums = numbering.findall(x.qn("w:num"))
        abstract = next(
            (
                n.find(x.qn("w:abstractNumId")).get(x.qn("w:val"))
                for n in nums
                if n.get(x.qn("w:numId")) == base_num
            ),
            None,
        )
        if abstract is None:
            return None
        new_id = max(int(n.get(x.qn("w:numId"))) for n in nums) + 1
        numbering.append(x.num(new_id, abstract))
        return new_id

    def new_table(self, style: str, widths: tuple[int, ...]) -> Any:
        """An empty fixed-layout table in Word table style ``style``, ``widths`` in EMU."""
        table = self.word.add_table(rows=0, cols=len(widths))
        tbl = table._tbl
        tblpr = tbl.tblPr
        # python-docx's table.style looks the style up by scanning every style, per table
        x.child(tblpr, "w:tblStyle", before=_TBLPR_AFTER_STYLE).set(
            x.qn("w:val"), self.style_id(style)
        )
        tblw = x.child(tblpr, "w:tblW")
        tblw.set(x.qn("w:w"), str(sum(widths) // EMU_PER_TWIP))
        tblw.set(x.qn("w:type"), "dxa")
        tblpr.append(x.E("w:tblLayout", {"w:type": "fixed"}))
        look = x.child(tblpr, "w:tblLook")
        for attr, value in (
            ("w:firstRow", "1"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "0"),
            ("w:noVBand", "1"),
            ("w:val", "04A0"),
        ):
            look.set(x.qn(attr), value)
        grid = tbl.tblGrid
        for gc in list(grid):
            grid.remove(gc)
        for w in widths:
            grid.append(x.E("w:gridCol", {"w:w": w // EMU_PER_TWIP}))
        return tbl

    def visit_table(self, node: d.Table) -> None:
        widths = tuple(int(w) for w in column_widths(self.width, [c.width for c in node.columns]))
        tbl = self.new_table(TABLE_STYLE, widths)
        tw = [w // EMU_PER_TWIP for w in widths]
        header = x.row(tw, header=True)
        tbl.append(header)
        for tc, col in zip(header.iterchildren(x.qn("w:tc")), node.columns, strict=True):
            self.fill(tc.find(x.qn("w:p")), "table_header", col.header)
        cell_style = self.style_id(self.style_name("table_cell"))
        plain_widths = [str(w) for w in tw]
        plain: list[tuple[d.Inlines, ...]] = []
        for row in node.rows:
            if all(isinstance(n, d.Text) for cell in row for n in cell):
                plain.append(row)  # queued: built in bulk, in order
                continue
            _plain_rows(tbl, plain_widths, cell_style, plain)
            plain = []
            # A row with formatting or links goes through python-docx's run API.
            tr = x.row(tw, cant_split=_short(row))
            tbl.append(tr)
            for tc, content in zip(tr.iterchildren(x.qn("w:tc")), row, strict=True):
                self.fill(tc.find(x.qn("w:p")), "table_cell", content)
        _plain_rows(tbl, plain_widths, cell_style, plain)
        if node.caption:
            self.add_par("caption", node.caption)
        else:
            self.spacer()

    def visit_q_a(self, node: d.QA) -> None:
        accent = RGBColor.from_string(hex_color(self.hs.color("accent")))
        q = self.new_par(self.style_name("question"))
        label = q.add_run(f"{node.question_label}\t")
        label.font.color.rgb = accent
        self.inlines(q, node.question)
        for i, para in enumerate(node.answer):
            a = self.new_par(self.style_name("answer"))
            if i == 0:
                run = a.add_run(f"{node.answer_label}\t")
                run.bold = True
                run.font.color.rgb = accent
            else:
                a.add_run("\t")
            self.inlines(a, para)

    def visit_toc(self, node: d.Toc) -> None:
        heading = self.new_par("TOC Heading", node.title)
        heading.paragraph_format.keep_with_next = True
        entries = [b for b in self.doc.blocks if isinstance(b, d.Heading)]
        # A TOC field whose cached result already lists the headings: Word and LibreOffice
        # show it at once, without asking to update fields (quarto-cli#8330, docxtpl#439).
        first = self.new_par(self.style_name("toc1"))
        for run in (x.field_char("begin"), x.instruction(r'TOC \o "1-2" \h \z \u'),
                    x.field_char("separate")):  # fmt: skip
            first._p.append(run)
        par = first
        for i, h in enumerate(entries):
            if i:
                par = self.new_par(self.style_name("toc1" if h.level == 1 else "toc2"))
            number = self.numbers.get(h.anchor)
            par.add_run((f"{number}. " if number else "") + d.plain_text(h.content))
        last = self.new_par(self.style_name("toc1")) if not entries else par
        last._p.append(x.field_char("end"))

    # ------------------------------------------------------------------ page

    def furniture(self) -> None:
        meta = self.doc.meta
        sec = self.word.sections[0]
        sec.different_first_page_header_footer = not self.hs.first_page_furniture
        headers = [sec.header]
        footers = [sec.footer]
        if not self.hs.first_page_furniture:
            headers.append(sec.first_page_header)
            footers.append(sec.first_page_footer)
        wm = self.hs.style("draft")
        for i, header in enumerate(headers):
            header.is_linked_to_previous = False
            par = header.paragraphs[0]
            x.set_pstyle(par._p, self.style_id(self.style_name("marking")))
            if meta.marking:
                par.add_run(meta.marking)
            if meta.draft:
                font = self.hs.fonts[wm.font].docx_name
                par._p.append(x.watermark(meta.draft_label, font, hex_color(wm.color)))
            if i == 0 and meta.running_title:
                run_p = header.add_paragraph()
                x.set_pstyle(run_p._p, self.style_id(self.style_name("header")))
                run_p.paragraph_format.tab_stops.add_tab_stop(
                    Emu(self.width), WD_TAB_ALIGNMENT.RIGHT
                )
                run_p.add_run(meta.running_title)
                if meta.date_label:
                    run_p.add_run(f"\t{meta.date_label}")
                x.border(x.p_pr(run_p._p), "bottom", hex_color(self.hs.color("rule")))
        for footer in footers:
            footer.is_linked_to_previous = False
            par = footer.paragraphs[0]
            x.set_pstyle(par._p, self.style_id(self.style_name("footer")))
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            x.border(x.p_pr(par._p), "top", hex_color(self.hs.color("rule")))
            for run in x.page_label(meta.page_label):
                par._p.append(run)
            if meta.marking:
                mark = footer.add_paragraph(meta.marking)
                x.set_pstyle(mark._p, self.style_id(self.style_name("marking")))
                mark.paragraph_format.space_before = Pt(4)

    def properties(self) -> None:
        meta = self.doc.meta
        props = self.word.core_properties
        props.title = _prop(meta.title)
        props.subject = _prop(meta.subject)
        props.author = _prop(meta.author)
        props.keywords = _prop(", ".join(meta.keywords))
        props.language = meta.lang
        props.comments = ""
        props.category = "Briefing memo"
        props.last_modified_by = "reports"
        props.revision = 1
        stamp = (meta.timestamp or _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)).replace(
            tzinfo=None
        )
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp


def _prop(text: str) -> str:
    """Fit a core property within Word's limit."""
    return text if len(text) <= _CORE_PROPERTY_MAX else text[: _CORE_PROPERTY_MAX - 1] + "…"


def _short(row: tuple[d.Inlines, ...]) -> bool:
    """Whether a row is short enough to be kept on one page (never split)."""
    return sum(len(d.plain_text(c)) for c in row) < _KEEP_ROW_CHARS


_W_TBL, _W_TR, _W_TRPR, _W_CANTSPLIT, _W_TC, _W_TCPR, _W_TCW = (
    x.qn(f"w:{t}") for t in ("tbl", "tr", "trPr", "cantSplit", "tc", "tcPr", "tcW")
)
_W_P, _W_PPR, _W_PSTYLE, _W_R, _W_T = (x.qn(f"w:{t}") for t in ("p", "pPr", "pStyle", "r", "t"))
_W_VAL, _W_W, _W_TYPE = (x.qn(f"w:{a}") for a in ("val", "w", "type"))
_XML_SPACE = x.qn("xml:space")


def _plain_rows(
    tbl: Any, widths_twips: list[str], style_id: str, rows: list[tuple[d.Inlines, ...]]
) -> None:
    """Append rows of plain-text cells to ``tbl``.

    The bulk of a long timeline. python-docx gives every element it creates a Python
    class, and building elements one by one costs microseconds each; each row here is a
    copy of a plain lxml row (an element's ``__copy__`` copies its subtree in C) with only
    the texts set, made in a scratch table and moved into the document in one step.
    """
    if not rows:
        return
    nsmap = {"w": x.NS["w"]}

    def template(keep: bool) -> Any:
        tr = Element(_W_TR, nsmap=nsmap)
        if keep:
            SubElement(SubElement(tr, _W_TRPR), _W_CANTSPLIT)
        for width in widths_twips:
            tc = SubElement(tr, _W_TC)
            SubElement(SubElement(tc, _W_TCPR), _W_TCW, {_W_W: width, _W_TYPE: "dxa"})
            p = SubElement(tc, _W_P)
            SubElement(SubElement(p, _W_PPR), _W_PSTYLE, {_W_VAL: style_id})
            SubElement(SubElement(p, _W_R), _W_T, {_XML_SPACE: "preserve"})
        return tr

    templates = {True: template(True), False: template(False)}
    out = []
    for row in rows:
        tr = templates[_short(row)].__copy__()
        for t, content in zip(list(tr.iter(_W_T)), row, strict=True):
            if len(content) == 1:
                t.text = content[0].text  # type: ignore[union-attr]
                continue
            # an empty cell, or (rarely) several texts: one run each, or none
            run = t.getparent()
            p = run.getparent()
            p.remove(run)
            for node in content:
                more = run.__copy__()
                more[0].text = node.text  # type: ignore[union-attr]
                p.append(more)
        out.append(tr)
    tbl.extend(out)
