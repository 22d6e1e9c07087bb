"""Render one document model into a python-docx document: one method per node type."""

from __future__ import annotations

import datetime as _dt
from functools import partial
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import Element, SubElement

from ... import document as d
from ...layout import EMU_PER_TWIP, MM, column_widths, emu, roman_numeral, text_width, twips
from ..base import Visitor
from . import ooxml as x
from .numbering import Numbering, level, num_pr
from .package import save
from .stylesheet import BY_ROLE, hex_color, style_ids

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
        self.ids = style_ids(self.word.styles.element)
        self.width = emu(text_width(self.hs))
        self.numbering = Numbering(self.word)
        self._qa_numbers: tuple[int, int] | None = None

    def run(self) -> bytes:
        for block in self.doc.blocks:
            self.visit(block)
        self.furniture()
        self.properties()
        return save(self.word)

    # ------------------------------------------------------------------ helpers

    def sid(self, role: str) -> str:
        """The style id of ``role`` (``h1``, ``list``) in this document."""
        if role in BY_ROLE and BY_ROLE[role].house:
            self.hs.style(BY_ROLE[role].house)  # an unknown house style stops the run
        return self.ids[role]

    def new_par(self, role: str, text: str = "") -> Any:
        """Append a body paragraph in the Word style for ``role``."""
        par = self.word.add_paragraph(text)
        x.set_pstyle(par._p, self.sid(role))
        return par

    def add_par(self, role: str, content: d.Inlines = ()) -> Any:
        par = self.new_par(role)
        self.inlines(par, content)
        return par

    def fill(self, p_el: Any, role: str, content: d.Inlines) -> None:
        """Style the paragraph element ``p_el`` and add ``content`` to it."""
        par = DocxParagraph(p_el, self.word._body)
        x.set_pstyle(p_el, self.sid(role))
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
        tbl = self.new_table("fields", widths)
        for i, f in enumerate(node.rows):
            tr = x.row([w // EMU_PER_TWIP for w in widths], cant_split=_short((f.value,)))
            tbl.append(tr)
            label_p, value_p = (tc.find(x.qn("w:p")) for tc in tr.iterchildren(x.qn("w:tc")))
            self.fill(label_p, "field_label", (d.Text(f.label),))
            self.fill(value_p, "field_value", f.value)
            if i < len(node.rows) - 1:  # Word keeps a table together via keep-with-next
                for p in (label_p, value_p):
                    x.ppr_child(x.p_pr(p), "w:keepNext")
        self.spacer()

    def spacer(self) -> None:
        """A small gap after a table: an empty paragraph whose mark is set in 5 pt (its
        line is as tall as that, and grows if a colleague types into it)."""
        par = self.new_par("body")
        ppr = x.p_pr(par._p)
        spacing = x.ppr_child(ppr, "w:spacing")
        for attr, value in (("w:before", 0), ("w:after", 0)):
            spacing.set(x.qn(attr), str(value))
        x.ppr_child(ppr, "w:rPr").append(x.val("w:sz", 10))

    def visit_heading(self, node: d.Heading) -> None:
        par = self.add_par("h1" if node.level == 1 else "h2", node.content)
        if node.level == 1 and not node.numbered and self.hs.section_numbers != "none":
            # Heading 1 is numbered by its style; this one (an annex, say) is not
            x.ppr_child(x.p_pr(par._p), "w:pStyle").addnext(
                x.E("w:numPr", None, x.val("w:numId", 0))
            )
        self.bookmark_id += 1
        x.bookmark(par._p, self.bookmark_id, bookmark_name(node.anchor))

    def visit_paragraph(self, node: d.Paragraph) -> None:
        self.add_par(node.style, node.content)

    def visit_bullet_list(self, node: d.BulletList) -> None:
        for item in node.items:
            self.add_par("list", item.content)

    def visit_numbered_list(self, node: d.NumberedList) -> None:
        num_id = self.restart("list_number")
        for item in node.items:
            par = self.new_par("list_number")
            if num_id is not None:
                x.ppr_child(x.p_pr(par._p), "w:pStyle").addnext(num_pr(num_id))
            self.inlines(par, item.content)

    def restart(self, role: str) -> int | None:
        """A numbering instance for ``role``'s list style that starts again at 1."""
        style = self.word.styles.element.find(
            f"{x.qn('w:style')}[@{x.qn('w:styleId')}='{self.sid(role)}']"
        )
        numpr = style.find(f"{x.qn('w:pPr')}/{x.qn('w:numPr')}") if style is not None else None
        ref = numpr.find(x.qn("w:numId")) if numpr is not None else None
        abstract = self.numbering.abstract_of(ref.get(x.qn("w:val"))) if ref is not None else None
        if abstract is None:
            return None
        return self.numbering.instance(int(abstract), restart=True)

    def new_table(self, role: str, widths: tuple[int, ...]) -> Any:
        """An empty fixed-layout table in the Word table style of ``role``, widths in EMU."""
        table = self.word.add_table(rows=0, cols=len(widths))
        tbl = table._tbl
        tblpr = tbl.tblPr
        # python-docx's table.style looks the style up by scanning every style, per table
        x.child(tblpr, "w:tblStyle", before=_TBLPR_AFTER_STYLE).set(x.qn("w:val"), self.sid(role))
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
        tbl = self.new_table("table", widths)
        tw = [w // EMU_PER_TWIP for w in widths]
        header = x.row(tw, header=True)
        tbl.append(header)
        for tc, col in zip(header.iterchildren(x.qn("w:tc")), node.columns, strict=True):
            self.fill(tc.find(x.qn("w:p")), "table_header", col.header)
        cell_style = self.sid("table_cell")
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

    def qa_numbering(self, node: d.QA) -> tuple[int, int]:
        """Numbering for questions ("Q1", "Q2": Word counts them) and the answer label."""
        if self._qa_numbers is None:
            accent = hex_color(self.hs.color("accent"))
            font = self.hs.fonts[self.hs.style("question").font].docx_name
            east_asian = self.hs.fonts[self.hs.east_asian].docx_name if self.hs.east_asian else None
            style = BY_ROLE["question"]
            left, hanging = twips(style.left), twips(style.hanging)
            # a label is literal text to Word's numbering except %1; '%' itself is doubled
            question = node.question_label.replace("%", "%%").replace("{n}", "%1")
            answer = node.answer_label.replace("%", "%%")
            label = partial(level, 0, left=left, hanging=hanging, font=font, color=accent,
                            east_asian=east_asian, bold=True)  # fmt: skip
            q = self.numbering.define(
                [label("decimal", question, style_id=self.sid("question"))], "Memo questions"
            )
            a = self.numbering.define([label("bullet", answer)], "Memo answers")
            self._qa_numbers = (self.numbering.instance(q), self.numbering.instance(a))
        return self._qa_numbers

    def visit_q_a(self, node: d.QA) -> None:
        questions, answers = self.qa_numbering(node)
        q = self.add_par("question", node.question)
        x.ppr_child(x.p_pr(q._p), "w:pStyle").addnext(num_pr(questions))
        for i, para in enumerate(node.answer):
            a = self.add_par("answer", para)
            ppr = x.p_pr(a._p)
            if i == 0:
                x.ppr_child(ppr, "w:pStyle").addnext(num_pr(answers))
            else:  # a further paragraph of the answer: no label, aligned with the text
                x.ppr_child(ppr, "w:ind").set(x.qn("w:hanging"), "0")

    def visit_toc(self, node: d.Toc) -> None:
        self.add_par("toc_heading", (d.Text(node.title),))
        entries = [b for b in self.doc.blocks if isinstance(b, d.Heading)]
        pages = dict(node.pages)
        numbers = _heading_labels(entries, self.hs.section_numbers)
        # A TOC field whose result already lists the headings with their pages (from the
        # PDF's layout): Word and LibreOffice show it at once, without asking to update
        # fields (quarto-cli#8330, docxtpl#439); F9 still regenerates it.
        first = self.new_par("toc1")
        for run in (x.field_char("begin"), x.instruction(r'TOC \o "1-2" \h \z \u'),
                    x.field_char("separate")):  # fmt: skip
            first._p.append(run)
        par = first
        for i, h in enumerate(entries):
            if i:
                par = self.new_par("toc1" if h.level == 1 else "toc2")
            label = numbers.get(h.anchor, "")
            text = (f"{label}. " if label else "") + d.plain_text(h.content)
            par._p.append(x.toc_entry(bookmark_name(h.anchor), text, pages.get(h.anchor)))
        last = self.new_par("toc1") if not entries else par
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
        rule = hex_color(self.hs.color("rule"))
        for i, header in enumerate(headers):
            header.is_linked_to_previous = False
            par = header.paragraphs[0]
            x.set_pstyle(par._p, self.sid("marking"))
            if meta.marking:
                par.add_run(meta.marking)
            if meta.draft:  # in every header, where Word's Remove watermark looks
                font = self.hs.fonts[wm.font].docx_name
                par._p.append(x.watermark(meta.draft_label, font, hex_color(wm.color)))
            if i == 0 and meta.running_title:
                run_p = header.add_paragraph()
                x.set_pstyle(run_p._p, self.sid("header"))  # its right tab is at the margin
                run_p.add_run(meta.running_title)
                if meta.date_label:
                    run_p.add_run(f"\t{meta.date_label}")
                x.border(x.p_pr(run_p._p), "bottom", rule)
        for footer in footers:
            footer.is_linked_to_previous = False
            par = footer.paragraphs[0]
            x.set_pstyle(par._p, self.sid("footer"))
            x.ppr_child(x.p_pr(par._p), "w:jc").set(x.qn("w:val"), "right")
            x.border(x.p_pr(par._p), "top", rule)
            for run in x.page_label(meta.page_label):
                par._p.append(run)
            if meta.marking:
                mark = footer.add_paragraph(meta.marking)
                x.set_pstyle(mark._p, self.sid("marking"))
                x.ppr_child(x.p_pr(mark._p), "w:spacing").set(x.qn("w:before"), str(twips(4)))

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


def bookmark_name(anchor: str) -> str:
    """The Word bookmark of a heading's anchor (``sec-3`` → ``_sec_3``)."""
    return f"_{anchor.replace('-', '_')}"


def _heading_labels(headings: list[d.Heading], scheme: str) -> dict[str, str]:
    """Anchor → the section number Word's numbering shows (upper-case Roman or decimal)."""
    if scheme == "none":
        return {}
    out, n = {}, 0
    for heading in headings:
        if heading.level == 1 and heading.numbered:
            n += 1
            out[heading.anchor] = roman_numeral(n) if scheme == "roman" else str(n)
    return out


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
