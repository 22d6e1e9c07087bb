"""Render one document model into a python-docx document: one method per node type."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import fields, is_dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import oxml_parser
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import Element, SubElement

from ... import document as d
from ...errors import BuildError
from ...layout import (
    EMU_PER_PT,
    EMU_PER_TWIP,
    FIGURE_MAX_HEIGHT,
    MM,
    chart_size,
    column_widths,
    emu,
    figure_size,
    roman_numeral,
    text_height,
    text_width,
    twips,
)
from ...roundtrip.fieldmap import bookmark_name as map_bookmark
from ..base import Visitor, approval_groups, clearance_table, in_columns, placed
from . import ooxml as x
from .footnotes import Footnotes
from .numbering import Numbering, level, number
from .package import save
from .stylesheet import (
    ALIGN,
    BOX_PADDING,
    BY_ROLE,
    hex_color,
    list_indent,
    list_numbering_name,
    style_ids,
)

if TYPE_CHECKING:
    from . import DocxWriter

_TBLPR_AFTER_STYLE = ("w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                      "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                      "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")  # fmt: skip
"""What follows ``w:tblStyle`` in a table's properties (ECMA-376 Part 1, 17.4.60)."""
_KEEP_ROW_CHARS = 1500
"""Rows with less text than this never split across pages (about a third of a page)."""
_DEFAULT_STAMP = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
"""Creation time written into files when a document gives none."""
_CORE_PROPERTY_MAX = 255
"""Word's limit on a core property's length."""


class Render(Visitor):
    """One rendering: holds the python-docx document while blocks are added."""

    def __init__(self, writer: DocxWriter, doc: d.Document) -> None:
        self.w = writer
        self.hs = writer.hs
        self.doc = doc
        self.word = writer.open(doc.meta.lang)
        self.bookmark_id = 0
        self.ids = style_ids(self.word.styles.element)
        self.numbering = Numbering(self.word)
        self._qa_numbers: tuple[int, int] | None = None
        self._link_ids: dict[tuple[int, str], str] = {}
        self._next_rel: dict[int, int] = {}
        self._bullets: int | None = None
        self._containers: list[tuple[Any, int]] = [(self.word._body, emu(text_width(self.hs)))]
        """Where blocks go, innermost last: the body, or a box's cell; and its text width
        in EMU."""
        self._page_break = False
        """The next block starts a new page."""
        self._notes: _Notes | None = None
        self.mapped: dict[str, tuple[str, int]] = {}
        """Map bookmark name → the field path and part of the words it holds."""

    def run(self) -> bytes:
        for block in placed(self.doc.blocks, self.hs):
            self.block(block)
        body = self.word._body._element
        if len(body) and body[0].tag == x.qn("w:tbl"):
            # LibreOffice draws no text in a drawing's text boxes when the body starts with
            # a table (an approval box): a paragraph 1 pt high goes first
            tiny = x.E("w:p", None, x.E("w:pPr", None,
                       x.E("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20,
                                          "w:lineRule": "exact"}),
                       x.E("w:rPr", None, x.val("w:sz", 2))))  # fmt: skip
            body.insert(0, tiny)
        self.furniture()
        self.properties()
        if self.doc.meta.origin is not None:
            self.field_map(self.doc.meta.origin)
        return save(self.word)

    def field_map(self, origin: d.Origin) -> None:
        """Record which words came from which field (see :mod:`reports.roundtrip.fieldmap`)."""
        from ... import __version__
        from ...roundtrip import fieldmap

        fmap = fieldmap.FieldMap(
            origin.file, origin.sha256, origin.blob, self.doc.meta.lang, origin.schema,
            __version__,
        )  # fmt: skip
        fieldmap.attach(self.word, fieldmap.build(self.word.element.body, self.mapped, fmap))

    def source_mark(self, node: d.Sourced) -> tuple[Any, Any]:
        """The bookmark start and end elements that hold a field's words."""
        self.bookmark_id += 1
        name = map_bookmark(len(self.mapped) + 1)
        self.mapped[name] = (node.source, node.part)
        number = str(self.bookmark_id)
        # plain lxml elements: thousands of timeline cells each take a pair
        start = Element(_W_BOOKMARK_START, {_W_ID: number, _W_NAME: name}, nsmap=_NSMAP)
        return start, Element(_W_BOOKMARK_END, {_W_ID: number}, nsmap=_NSMAP)

    # ------------------------------------------------------------------ helpers

    @property
    def container(self) -> Any:
        """The python-docx block container new paragraphs and tables go into."""
        return self._containers[-1][0]

    @property
    def width(self) -> int:
        """The text width, in EMU, where blocks go now."""
        return self._containers[-1][1]

    def block(self, node: d.Block) -> None:
        """Render a block into the current container, on a new page after a page break."""
        # taken now, so the blocks inside a box leave it to the box's first paragraph
        pending, self._page_break = self._page_break, False
        element = self.container._element
        end = element.find(x.qn("w:sectPr"))  # the body's last child; new blocks go before it
        last = end.getprevious() if end is not None else (element[-1] if len(element) else None)
        self.visit(node)
        if not pending:
            return
        first = last.getnext() if last is not None else (element[0] if len(element) else None)
        if first is None or first is end:
            self._page_break = True  # nothing was added: the break waits for the next block
            return
        # the break is a property of the block's first paragraph (a table's: its first
        # cell's), never a paragraph of its own that could leave a blank page behind
        p = first if first.tag == x.qn("w:p") else next(first.iter(x.qn("w:p")))
        x.ppr_child(x.p_pr(p), "w:pageBreakBefore")

    def sid(self, role: str) -> str:
        """The style id of ``role`` (``h1``, ``list``) in this document."""
        if role in BY_ROLE and BY_ROLE[role].house:
            self.hs.style(BY_ROLE[role].house)  # an unknown house style stops the run
        return self.ids[role]

    def new_par(self, role: str, text: str = "") -> Any:
        """Append a paragraph in the Word style for ``role`` where blocks go now."""
        par = self.container.add_paragraph(text)
        x.set_pstyle(par._p, self.sid(role))
        return par

    def add_par(self, role: str, content: d.Inlines = ()) -> Any:
        par = self.new_par(role)
        self.inlines(par, content)
        whole = _whole_revision(content)
        if whole is not None:  # an added or removed paragraph: its mark goes with it
            self.bookmark_id += 1
            mark = x.E(whole, {"w:id": self.bookmark_id, "w:author": self.doc.meta.revision_author,
                               "w:date": _revision_date(self.doc.meta)})  # fmt: skip
            x.ppr_child(x.p_pr(par._p), "w:rPr").append(mark)
        return par

    def fill(self, p_el: Any, role: str, content: d.Inlines) -> None:
        """Style the paragraph element ``p_el`` and add ``content`` to it."""
        par = DocxParagraph(p_el, self.container)
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

    def link_id(self, part: Any, href: str) -> str:
        """The relationship id of a hyperlink to ``href`` from ``part`` (the body or the
        notes), made once per address. python-docx's ``relate_to`` scans every existing
        relationship twice per call, which made 8,000 sources with addresses take a minute."""
        key = (id(part), href)
        found = self._link_ids.get(key)
        if found is None:
            rels = part.rels
            if id(part) not in self._next_rel:
                numbers = [int(r[3:]) for r in rels if r.startswith("rId") and r[3:].isdigit()]
                self._next_rel[id(part)] = max(numbers, default=0) + 1
            number = self._next_rel[id(part)]
            while f"rId{number}" in rels:  # taken since (python-docx fills gaps: pictures)
                number += 1
            found = f"rId{number}"
            self._next_rel[id(part)] = number + 1
            rels.add_relationship(RT.HYPERLINK, href, found, is_external=True)
            self._link_ids[key] = found
        return found

    def visit_strong(self, node: d.Strong, par: Any, bold: bool, emph: bool) -> None:
        self.inlines(par, node.children, True, emph)

    def visit_emph(self, node: d.Emph, par: Any, bold: bool, emph: bool) -> None:
        self.inlines(par, node.children, bold, True)

    def visit_line_break(self, node: d.LineBreak, par: Any, bold: bool, emph: bool) -> None:
        par.add_run().add_break()

    def visit_link(self, node: d.Link, par: Any, bold: bool, emph: bool) -> None:
        rel_id = self.link_id(par.part, node.href)
        italic = emph and self.hs.emphasis == "italic"
        par._p.append(x.hyperlink(rel_id, d.plain_text(node.children), bold, italic))
        for ref in _footnote_refs(node.children):  # a link's text is one run: marks follow it
            self.visit_footnote_ref(ref, par, bold, emph)

    def visit_sourced(self, node: d.Sourced, par: Any, bold: bool, emph: bool) -> None:
        start, end = self.source_mark(node)
        par._p.append(start)
        self.inlines(par, node.children, bold, emph)
        par._p.append(end)

    def visit_inserted(self, node: d.Inserted, par: Any, bold: bool, emph: bool) -> None:
        self.revision(node, "w:ins", par, bold, emph)

    def visit_deleted(self, node: d.Deleted, par: Any, bold: bool, emph: bool) -> None:
        self.revision(node, "w:del", par, bold, emph)

    def revision(
        self, node: d.Inserted | d.Deleted, tag: str, par: Any, bold: bool, emph: bool
    ) -> None:
        """Words as a tracked change by the redline's author (``w:ins`` or ``w:del``)."""
        p_el = par._p
        first = len(p_el)
        self.inlines(par, node.children, bold, emph)
        made = list(p_el)[first:]
        self.bookmark_id += 1  # revisions take ids apart from bookmarks and notes
        wrapper = x.E(tag, {"w:id": self.bookmark_id, "w:author": self.doc.meta.revision_author,
                            "w:date": _revision_date(self.doc.meta)})  # fmt: skip
        for el in made:
            if tag == "w:del":
                for t in el.iter(_W_T):
                    t.tag = x.qn("w:delText")
            wrapper.append(el)
        p_el.append(wrapper)

    def visit_footnote_ref(self, node: d.FootnoteRef, par: Any, bold: bool, emph: bool) -> None:
        if self._notes is None:
            self._notes = _Notes(self)
        self._notes.refer(node.id, par._p)

    # ------------------------------------------------------------------ blocks

    def picture(self, par: Any, image: d.Image, width: float, name: str) -> None:
        """Add ``image`` to ``par``, ``width`` points wide at most (a tall one is scaled down
        to fit a page), with its alternative text for screen readers."""
        from docx.shared import Emu

        w, h = figure_size(width, image.aspect, self.hs)
        shape = par.add_run().add_picture(image.path, width=Emu(emu(w)), height=Emu(emu(h)))
        doc_pr = shape._inline.docPr
        doc_pr.set("name", name)
        if image.alt:  # Word's Alt Text pane shows descr; title is the older field
            doc_pr.set("descr", image.alt)
            doc_pr.set("title", image.alt)

    def visit_title_block(self, node: d.TitleBlock) -> None:
        if node.logo is not None:
            par = self.new_par("figure")  # kept with the title below it
            self.picture(par, node.logo, self.hs.logo_width, "Logo")
        if node.kicker:
            self.add_par("kicker", node.kicker)
        titles = [self.add_par("title", node.title)]
        if node.subtitle:
            titles.append(self.add_par("subtitle", node.subtitle))
        if self.hs.title_box:
            # Word draws one border round consecutive paragraphs with the same borders;
            # their text is indented by the border's distance so the box keeps the margins
            accent = self.hs.color("accent").lstrip("#").upper()
            for par in titles:
                bdr = x.ppr_child(x.p_pr(par._p), "w:pBdr")
                for side, size in (("top", 16), ("left", 4), ("bottom", 16), ("right", 4)):
                    bdr.append(
                        x.E(
                            f"w:{side}",
                            {"w:val": "single", "w:sz": size, "w:space": 6, "w:color": accent},
                        )
                    )
                ind = x.ppr_child(x.p_pr(par._p), "w:ind")
                ind.set(x.qn("w:left"), "160")
                ind.set(x.qn("w:right"), "160")
                shd = x.ppr_child(x.p_pr(par._p), "w:shd")
                fill = self.hs.color("box_fill").lstrip("#").upper()
                for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
                    shd.set(x.qn(attr), value)

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
        line is as tall as that, and grows if a colleague types into it). Two tables with
        nothing between them would be one table to Word."""
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
        if node.columns <= 1 or len(node.items) <= 1:
            self.list_block(node, 0)
            return
        # side by side in a borderless table: Word's own columns would need a section
        # break before and after the list
        each = self.width // node.columns
        tbl = self.new_table("fields", tuple([each] * node.columns))
        _borders(tbl.tblPr, {"w:val": "nil"})
        tr = x.row([each // EMU_PER_TWIP] * node.columns, cant_split=True)
        tbl.append(tr)
        runs = in_columns(node.items, node.columns)
        for tc, run in zip(list(tr.iterchildren(x.qn("w:tc")))[: len(runs)], runs, strict=True):
            tc.remove(tc.find(x.qn("w:p")))
            self._containers.append((_Cell(tc, self.container), each))
            try:
                self.list_block(d.BulletList(run), 0)
            finally:
                self._containers.pop()
        for tc in tr.iterchildren(x.qn("w:tc")):
            if not len(tc) or tc[-1].tag != x.qn("w:p"):
                tc.append(x.E("w:p"))
        self.spacer()

    def visit_numbered_list(self, node: d.NumberedList) -> None:
        self.list_block(node, 0)

    def list_block(self, node: d.BulletList | d.NumberedList, ilvl: int) -> None:
        """A list at nesting level ``ilvl``, and the lists nested in its items below it.

        Every item is a paragraph numbered by Word at its level, with the marker the house
        style gives that level (bullets) or 1. / a. / i. (numbers), so Word's Increase
        List Level and renumbering work as usual.
        """
        start = node.start if isinstance(node, d.NumberedList) else None
        role = "list" if start is None else "list_number"
        num_id = self.list_instance(role, ilvl, start)
        for item in node.items:
            par = self.add_par(role, item.content)
            if num_id is not None:
                number(par._p, num_id, ilvl)
            if ilvl:  # the list styles' own indent is the first level's
                _indent(par._p, *list_indent(role, ilvl))
            for child in item.children:
                self.list_block(child, ilvl + 1)

    def list_instance(self, role: str, ilvl: int, start: int | None) -> int | None:
        """The numbering instance for the items of a ``role`` list at level ``ilvl``: a new
        one counting from ``start`` for a numbered list; ``None`` where the list style's
        own numbering serves (bullets at the first level)."""
        own = self.style_numbering(role)
        if own is not None and ilvl in self.numbering.levels(own[1]):
            style_num: str | None = own[0]
            abstract = int(own[1])
        else:  # a reference document's list style numbers fewer levels: the house style's
            style_num = None
            found = self.numbering.named(list_numbering_name(role))
            if found is None:
                raise BuildError(f"the styled base has no numbering for {role} lists")
            abstract = found
        if start is not None:
            return self.numbering.instance(abstract, start=start, ilvl=ilvl)
        if style_num is not None:
            return None if ilvl == 0 else int(style_num)
        if self._bullets is None:
            self._bullets = self.numbering.instance(abstract)
        return self._bullets

    def style_numbering(self, role: str) -> tuple[str, str] | None:
        """The numbering instance and abstract definition of ``role``'s paragraph style."""
        style = self.word.styles.element.find(
            f"{x.qn('w:style')}[@{x.qn('w:styleId')}='{self.sid(role)}']"
        )
        numpr = style.find(f"{x.qn('w:pPr')}/{x.qn('w:numPr')}") if style is not None else None
        ref = numpr.find(x.qn("w:numId")) if numpr is not None else None
        num_id = ref.get(x.qn("w:val")) if ref is not None else None
        abstract = self.numbering.abstract_of(num_id) if num_id else None
        return (num_id, abstract) if num_id and abstract is not None else None

    def visit_figure(self, node: d.Figure) -> None:
        par = self.new_par("figure")  # kept with its caption
        label = node.label or "Figure"
        self.picture(par, node.image, self.width / EMU_PER_PT * node.width, label)
        self.caption(node.label, node.caption)

    def visit_chart(self, node: d.Chart) -> None:
        """A native chart: its part and embedded workbook, placed in a paragraph kept with
        its caption."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.part import Part

        from .charts import ChartXml, inline, workbook

        package = self.word.part.package
        stamp = (self.doc.meta.timestamp or _DEFAULT_STAMP).replace(tzinfo=None)
        book = Part(
            package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
            CT.SML_SHEET,
            workbook(node, stamp),
            package,
        )
        part = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, b"", package)
        book_rel = part.relate_to(book, RT.PACKAGE)
        part._blob = ChartXml(node, self.hs, self.doc.meta.lang).part(book_rel)
        rel_id = self.word.part.relate_to(part, RT.CHART)
        width, height = chart_size(node, self.width / EMU_PER_PT, self.hs)
        par = self.new_par("figure")  # kept with its caption
        run = par.add_run()
        shape_id = self.word.part.next_id
        run._r.append(inline(rel_id, shape_id, emu(width), emu(height), node.alt))
        cap = self.caption(node.label, node.caption)
        if node.source:
            x.ppr_child(x.p_pr(cap._p), "w:keepNext")
            self.add_par("table_source", node.source)

    def visit_timeline_chart(self, node: d.TimelineChart) -> None:
        """A timeline chart as a group of shapes laid out as in the PDF, placed in a
        paragraph kept with its caption."""
        from ...fonts import text_width as measure_text
        from ..timeline import layout
        from .drawing import ShapeGroup

        body = self.hs.style("body")

        def measure(text: str, size: float, bold: bool) -> float:
            return measure_text(self.hs, body.font, text, size, bold)

        muted = self.hs.colors.get("muted", body.color)
        room = text_height(self.hs) * FIGURE_MAX_HEIGHT
        plan = layout(
            node, self.width / EMU_PER_PT, room, self.hs.chart, measure,
            text_color=body.color, muted=muted,
        )  # fmt: skip
        par = self.new_par("figure")  # kept with its caption
        group = ShapeGroup(self.hs, self.word.part.next_id)
        par.add_run()._r.append(group.drawing(plan, node.alt, "Timeline"))
        self.caption(node.label, node.caption)

    def caption(self, label: str, caption: d.Inlines) -> Any:
        """A figure's or chart's numbered caption: its label in bold, then its words."""
        cap = self.new_par("caption")
        if label:
            cap._p.extend(_label_runs(label))
            if caption:
                cap.add_run(self.doc.meta.label_separator)
        self.inlines(cap, caption)
        return cap

    def visit_note(self, node: d.Note) -> None:
        par = self.new_par("note")
        style = BY_ROLE["note"]
        if node.mark:
            par.add_run(node.mark).add_tab()
            wide = _label_width(node.mark, self.hs.style("note").size)
            if wide > style.hanging:  # the text starts after the mark, not under it
                _indent(par._p, twips(style.left - style.hanging + wide), twips(wide))
        else:
            _indent(par._p, twips(style.left), 0)
        self.inlines(par, node.content)

    def visit_box(self, node: d.Box) -> None:
        with self.boxed(_chars(node) < _KEEP_ROW_CHARS):
            if node.title:
                self.add_par("box_title", node.title)
            for block in node.body:
                self.block(block)

    @contextmanager
    def boxed(self, keep: bool) -> Iterator[None]:
        """Blocks added inside go into a one-cell table in the box style (a callout);
        ``keep``: the box never splits across pages."""
        tbl = self.new_table("box", (self.width,))
        tr = x.row([self.width // EMU_PER_TWIP], cant_split=keep)
        tbl.append(tr)
        tc = tr.find(x.qn("w:tc"))
        tc.remove(tc.find(x.qn("w:p")))
        if _compatibility_mode(self.word) < 15:
            # Word before 2013 (and LibreOffice emulating it) sets a table's text, not its
            # border, at the indent: move the border back to the margin
            after = _TBLPR_AFTER_STYLE[_TBLPR_AFTER_STYLE.index("w:tblInd") + 1 :]
            indent = x.child(tbl.tblPr, "w:tblInd", before=after)
            indent.set(x.qn("w:w"), str(twips(BOX_PADDING)))
            indent.set(x.qn("w:type"), "dxa")
        inner = self.width - 2 * emu(BOX_PADDING)
        self._containers.append((_Cell(tc, self.container), inner))
        try:
            yield
        finally:
            self._containers.pop()
        if not len(tc) or tc[-1].tag != x.qn("w:p"):  # a cell ends with a paragraph
            tc.append(x.E("w:p"))
        self.spacer()

    def visit_decision(self, node: d.Decision) -> None:
        """The recommendation in a box, a Word check box per option (a content control
        that ticks when clicked) and a line to sign and one to date."""
        with self.boxed(True):
            if node.title:
                self.add_par("box_title", node.title)
            for para in node.recommendation:
                self.add_par("body", para)
            options = self.new_par("body")
            for i, option in enumerate(node.options):
                if i:
                    options.add_run("\u2003\u2003")  # em spaces between the choices
                options._p.append(_check_box(f"decision.option.{i + 1}", option))
                options.add_run("\u00a0" + option)
            if node.deadline:
                self.add_par("small", node.deadline)
            sign = self.new_par("small")
            inner = self.width // EMU_PER_TWIP
            tabs = x.ppr_child(x.p_pr(sign._p), "w:tabs")
            # stops short of the cell's right padding, where Word would drop the last tab
            tabs.append(
                x.E(
                    "w:tab", {"w:val": "left", "w:leader": "underscore", "w:pos": int(inner * 0.62)}
                )
            )
            x.ppr_child(x.p_pr(sign._p), "w:spacing").set(x.qn("w:before"), "360")
            sign.add_run(node.signature_label + " ").add_tab()
            # the date's line is typed: LibreOffice draws no leader for a tab that ends a
            # paragraph
            sign.add_run("  " + node.date_label + " " + "_" * 24)

    def visit_clearance(self, node: d.Clearance) -> None:
        if self.hs.clearance == "table":
            self.visit_table(clearance_table(node))
            return
        for label, people in approval_groups(node):
            self.approval_box(label, people)

    def approval_box(self, label: str, people: tuple[d.Signoff, ...]) -> None:
        """A 결재/협조 box at the right margin: the label down its left, a column per
        person with the role above and the name (and date) in the space to sign."""
        label_w = twips(10 * MM)
        # as wide as the longest role needs (LibreOffice breaks Hangul anywhere), at least
        # 24 mm, and all within the text width
        size = self.hs.style("field_label").size
        need = max(_label_width(p.role or "—", size) + 12 for p in people)
        room = (self.width // EMU_PER_TWIP - label_w) // max(len(people), 1)
        each = min(max(twips(24 * MM), twips(need)), room)
        widths = [label_w] + [each] * len(people)
        tbl = self.new_table("fields", tuple(w * EMU_PER_TWIP for w in widths))
        tblpr = tbl.tblPr
        x.child(
            tblpr, "w:jc", before=_TBLPR_AFTER_STYLE[_TBLPR_AFTER_STYLE.index("w:jc") + 1 :]
        ).set(x.qn("w:val"), "right")
        borders = x.child(
            tblpr,
            "w:tblBorders",
            before=_TBLPR_AFTER_STYLE[_TBLPR_AFTER_STYLE.index("w:tblBorders") + 1 :],
        )
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(
                x.E(f"w:{side}", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "56606C"})
            )
        head = x.row(widths, cant_split=True)
        names = x.row(widths, cant_split=True)
        trpr = names.find(x.qn("w:trPr"))
        trpr.append(x.E("w:trHeight", {"w:val": twips(15 * MM), "w:hRule": "atLeast"}))
        tbl.append(head)
        tbl.append(names)
        head_cells = list(head.iterchildren(x.qn("w:tc")))
        name_cells = list(names.iterchildren(x.qn("w:tc")))
        # the label spans both rows
        head_cells[0].find(x.qn("w:tcPr")).append(x.E("w:vMerge", {"w:val": "restart"}))
        name_cells[0].find(x.qn("w:tcPr")).append(x.E("w:vMerge"))
        for tc in head_cells + name_cells:
            x.child(tc.find(x.qn("w:tcPr")), "w:vAlign").set(x.qn("w:val"), "center")
        for tc in name_cells[1:]:
            tc.find(x.qn("w:tcPr")).find(x.qn("w:vAlign")).set(x.qn("w:val"), "bottom")
        self._fill_centered(head_cells[0], "field_label", (d.Text(label),))
        for tc, person in zip(head_cells[1:], people, strict=True):
            self._fill_centered(tc, "field_label", (d.Text(person.role or "—"),))
        for tc, person in zip(name_cells[1:], people, strict=True):
            self._fill_centered(tc, "table_cell", (d.Text(person.name),))
            note = person.status_label if person.status == "pending" else person.date
            if note:  # the date (or "pending") small beneath the name
                p = x.E("w:p")
                tc.append(p)
                self.fill(p, "table_source", (d.Text(note),))
                x.ppr_child(x.p_pr(p), "w:jc").set(x.qn("w:val"), "center")
        self.spacer()

    def _fill_centered(self, tc: Any, role: str, content: d.Inlines) -> None:
        p = tc.find(x.qn("w:p"))
        self.fill(p, role, content)
        x.ppr_child(x.p_pr(p), "w:jc").set(x.qn("w:val"), "center")

    def visit_page_break(self, node: d.PageBreak) -> None:
        self._page_break = True

    def new_table(self, role: str, widths: tuple[int, ...]) -> Any:
        """An empty fixed-layout table in the Word table style of ``role``, widths in EMU."""
        from docx.blkcntnr import BlockItemContainer
        from docx.shared import Emu

        # the base class's: a cell's own add_table adds a paragraph after the table
        table = BlockItemContainer.add_table(self.container, 0, len(widths), Emu(sum(widths)))
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
        if node.caption:  # above the table, as tables are captioned, and kept with it
            caption = self.add_par("caption", node.caption)
            x.ppr_child(x.p_pr(caption._p), "w:keepNext")
        widths = tuple(int(w) for w in column_widths(self.width, [c.width for c in node.columns]))
        tbl = self.new_table("table", widths)
        tw = [w // EMU_PER_TWIP for w in widths]
        # left is the cell styles' own alignment: only the others are written, per cell
        aligns = [None if c.align == "left" else ALIGN[c.align] for c in node.columns]
        header = x.row(tw, header=True)
        tbl.append(header)
        for tc, col in zip(header.iterchildren(x.qn("w:tc")), node.columns, strict=True):
            self.fill(tc.find(x.qn("w:p")), "table_header", col.header)
        _align(header, aligns)
        cell_style = self.sid("table_cell")
        plain_widths = [str(w) for w in tw]
        plain: list[tuple[d.Inlines, ...]] = []
        for row in node.rows:
            if all(_plain_cell(cell) for cell in row):
                plain.append(row)  # queued: built in bulk, in order
                continue
            _plain_rows(tbl, plain_widths, cell_style, aligns, plain, self.source_mark)
            plain = []
            # A row with formatting, links or footnotes goes through python-docx's run API.
            tr = x.row(tw, cant_split=_short(row))
            tbl.append(tr)
            for tc, content in zip(tr.iterchildren(x.qn("w:tc")), row, strict=True):
                self.fill(tc.find(x.qn("w:p")), "table_cell", content)
            _align(tr, aligns)
        _plain_rows(tbl, plain_widths, cell_style, aligns, plain, self.source_mark)
        if node.source:
            self.add_par("table_source", node.source)
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
        number(q._p, questions)
        for i, para in enumerate(node.answer):
            a = self.add_par("answer", para)
            if i == 0:
                number(a._p, answers)
            else:  # a further paragraph of the answer: no label, aligned with the text
                x.ppr_child(x.p_pr(a._p), "w:ind").set(x.qn("w:hanging"), "0")

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
        stamp = (meta.timestamp or _DEFAULT_STAMP).replace(tzinfo=None)
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp


class _Notes:
    """The memo's footnotes as Word footnotes, made at the first reference.

    Word numbers notes by where their references stand, and a note cannot refer to
    another from inside itself; so a note that another note refers to gets its reference
    in the text right after that note's (as the document model numbers it next), and a
    second reference to a note, or one from inside a note, is a NOTEREF field showing the
    note's number (Word's cross-reference to a footnote).
    """

    def __init__(self, render: Render) -> None:
        self.render = render
        self.notes = Footnotes(render.word, render.sid("footnote"), render.sid("footnote_ref"))
        self.content = {f.id: f.content for f in render.doc.footnotes}
        self.placed: dict[str, tuple[int, int, Any]] = {}
        """Footnote id → its number, its Word id, and the run that refers to it."""
        self.marks: dict[str, str] = {}
        """Footnote id → the bookmark on its reference, once a field refers to it."""
        self.inside = False
        """Rendering a note's own text."""

    def refer(self, key: str, p_el: Any) -> None:
        """Refer to footnote ``key`` at the end of paragraph ``p_el``."""
        if key not in self.content:
            raise BuildError(f"the document refers to footnote '{key}', which it does not hold")
        if self.inside or key in self.placed:
            p_el.extend(self.again(key))
            return
        made = []
        for i, note in enumerate(self.chain(key, [])):
            if i:  # marks side by side read as one number without a comma between
                p_el.append(x.text_run(",", self.notes.mark_properties()))
            note_id, first = self.notes.add()
            run = self.notes.reference(note_id)
            p_el.append(run)
            self.placed[note] = (len(self.placed) + 1, note_id, run)
            made.append((note, first))
        self.inside = True
        try:
            for note, first in made:  # the note's part holds its links' relationships
                self.render.inlines(DocxParagraph(first, self.notes.part), self.content[note])
        finally:
            self.inside = False

    def chain(self, key: str, out: list[str]) -> list[str]:
        """``key`` and the notes not yet placed its text refers to (theirs too), in the
        order the document model numbers them."""
        out.append(key)
        for ref in _footnote_refs(self.content[key]):
            if ref.id in self.content and ref.id not in self.placed and ref.id not in out:
                self.chain(ref.id, out)
        return out

    def again(self, key: str) -> list[Any]:
        """The runs of a NOTEREF field showing footnote ``key``'s number."""
        number, note_id, run = self.placed[key]
        name = self.marks.get(key)
        if name is None:
            name = self.marks[key] = f"_RefNote{note_id}"
            self.render.bookmark_id += 1
            x.bookmark_around(run, self.render.bookmark_id, name)
        return x.field(f"NOTEREF {name} \\f \\h", str(number), self.notes.mark_properties())


def _tblpr(tblpr: Any, tag: str) -> Any:
    """``tblpr``'s ``tag`` child, made if missing, in schema order."""
    return x.child(tblpr, tag, before=_TBLPR_AFTER_STYLE[_TBLPR_AFTER_STYLE.index(tag) + 1 :])


def _borders(tblpr: Any, line: dict[str, str | int]) -> None:
    """Every border of a table, outside and between cells, drawn as ``line``."""
    borders = _tblpr(tblpr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(x.E(f"w:{side}", line))


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _check_box(tag: str, title: str) -> Any:
    """An unticked Word check box: a content control Word ticks on click (w14:checkbox,
    Word 2010 on); older readers and LibreOffice show its ☐ as text."""
    w14 = f"{{{W14}}}"
    box = oxml_parser.makeelement(f"{w14}checkbox", nsmap={"w14": W14})
    for name, attrs in (
        ("checked", {"val": "0"}),
        ("checkedState", {"val": "2612", "font": "MS Gothic"}),
        ("uncheckedState", {"val": "2610", "font": "MS Gothic"}),
    ):
        el = oxml_parser.makeelement(f"{w14}{name}", nsmap={"w14": W14})
        for k, v in attrs.items():
            el.set(f"{w14}{k}", v)
        box.append(el)
    props = x.E("w:sdtPr", None, x.val("w:alias", title), x.val("w:tag", tag), box)
    run = x.E(
        "w:r",
        None,
        x.E(
            "w:rPr",
            None,
            x.E(
                "w:rFonts",
                {
                    "w:ascii": "MS Gothic",
                    "w:eastAsia": "MS Gothic",
                    "w:hAnsi": "MS Gothic",
                    "w:hint": "eastAsia",
                },
            ),
        ),
        x.E("w:t", None, text="\u2610"),
    )
    return x.E("w:sdt", None, props, x.E("w:sdtContent", None, run))


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


def _compatibility_mode(word: Any) -> int:
    """The Word version a document asks to be laid out as (14: Word 2010, 15: 2013 on)."""
    for setting in word.settings.element.iter(x.qn("w:compatSetting")):
        if setting.get(x.qn("w:name")) == "compatibilityMode":
            value = setting.get(x.qn("w:val"), "")
            return int(value) if value.isdigit() else 0
    return 0


def _footnote_refs(nodes: d.Inlines) -> list[d.FootnoteRef]:
    """The footnote references in ``nodes``, nested ones included, in reading order."""
    out: list[d.FootnoteRef] = []
    for node in nodes:
        if isinstance(node, d.FootnoteRef):
            out.append(node)
        elif isinstance(node, (d.Emph, d.Strong, d.Link, d.Sourced, d.Inserted)):
            out.extend(_footnote_refs(node.children))
    return out


def _label_runs(label: str) -> list[Any]:
    """A figure's label (``Figure 2``) in bold, its number a SEQ field: Word counts the
    figures, so one a colleague inserts renumbers the rest when fields update."""
    bold = x.E("w:rPr", None, x.E("w:b"))
    found = re.search(r"[0-9]+(?!.*[0-9])", label)
    if found is None:
        return [x.text_run(label, bold)]
    runs = [x.text_run(label[: found.start()], deepcopy(bold))] if found.start() else []
    runs.extend(x.field(r"SEQ Figure \* ARABIC", found.group(), bold))
    if found.end() < len(label):
        runs.append(x.text_run(label[found.end() :], deepcopy(bold)))
    return runs


def _label_width(text: str, size: float) -> float:
    """About how wide ``text`` is, in points, set in ``size`` points, with a little room
    after it: a wide East Asian character (※) takes an em, others about half of one."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)
    return ems * size + 4


def _chars(node: object) -> int:
    """How many characters of text ``node`` (a block, nested blocks included) holds."""
    if isinstance(node, d.Text):
        return len(node.text)
    if isinstance(node, tuple):
        return sum(_chars(n) for n in node)
    if is_dataclass(node) and not isinstance(node, d.Image):
        return sum(_chars(getattr(node, f.name)) for f in fields(node))
    return 0


def _indent(p_el: Any, left: int, hanging: int) -> None:
    """Indent paragraph ``p_el`` by ``left`` twips, its first line ``hanging`` less."""
    ind = x.ppr_child(x.p_pr(p_el), "w:ind")
    ind.set(x.qn("w:left"), str(left))
    ind.set(x.qn("w:hanging"), str(hanging))


def _align(tr: Any, aligns: list[str | None]) -> None:
    """Align the paragraphs of row ``tr``'s cells, column by column (``None``: as styled)."""
    for tc, align in zip(tr.iterchildren(_W_TC), aligns, strict=True):
        if align is not None:
            for p in tc.iterchildren(_W_P):
                x.ppr_child(x.p_pr(p), "w:jc").set(_W_VAL, align)


def _whole_revision(content: d.Inlines) -> str | None:
    """``w:ins`` or ``w:del`` when all of ``content`` was inserted or deleted (a redline)."""
    while len(content) == 1 and isinstance(content[0], d.Sourced):
        content = content[0].children
    if content and all(isinstance(n, d.Inserted) for n in content):
        return "w:ins"
    if content and all(isinstance(n, d.Deleted) for n in content):
        return "w:del"
    return None


def _plain_cell(cell: d.Inlines) -> bool:
    """Whether a cell holds plain text only (a field's, or the template's)."""
    if len(cell) == 1 and isinstance(cell[0], d.Sourced):
        cell = cell[0].children
    return all(isinstance(n, d.Text) for n in cell)


def _revision_date(meta: d.Meta) -> str:
    """A tracked change's date: the build's time, so redlines repeat byte for byte."""
    stamp = meta.timestamp or _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _short(row: tuple[d.Inlines, ...]) -> bool:
    """Whether a row is short enough to be kept on one page (never split)."""
    return sum(len(d.plain_text(c)) for c in row) < _KEEP_ROW_CHARS


_W_TBL, _W_TR, _W_TRPR, _W_CANTSPLIT, _W_TC, _W_TCPR, _W_TCW = (
    x.qn(f"w:{t}") for t in ("tbl", "tr", "trPr", "cantSplit", "tc", "tcPr", "tcW")
)
_W_P, _W_PPR, _W_PSTYLE, _W_JC, _W_R, _W_T = (
    x.qn(f"w:{t}") for t in ("p", "pPr", "pStyle", "jc", "r", "t")
)
_W_VAL, _W_W, _W_TYPE, _W_ID, _W_NAME = (x.qn(f"w:{a}") for a in ("val", "w", "type", "id", "name"))
_W_BOOKMARK_START, _W_BOOKMARK_END = x.qn("w:bookmarkStart"), x.qn("w:bookmarkEnd")
_NSMAP = {"w": x.NS["w"]}
_XML_SPACE = x.qn("xml:space")


def _plain_rows(
    tbl: Any,
    widths_twips: list[str],
    style_id: str,
    aligns: list[str | None],
    rows: list[tuple[d.Inlines, ...]],
    mark: Callable[[d.Sourced], tuple[Any, Any]],
) -> None:
    """Append rows of plain-text cells to ``tbl``, aligned column by column.

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
        for width, align in zip(widths_twips, aligns, strict=True):
            tc = SubElement(tr, _W_TC)
            SubElement(SubElement(tc, _W_TCPR), _W_TCW, {_W_W: width, _W_TYPE: "dxa"})
            p = SubElement(tc, _W_P)
            ppr = SubElement(p, _W_PPR)
            SubElement(ppr, _W_PSTYLE, {_W_VAL: style_id})
            if align is not None:
                SubElement(ppr, _W_JC, {_W_VAL: align})
            SubElement(SubElement(p, _W_R), _W_T, {_XML_SPACE: "preserve"})
        return tr

    templates = {True: template(True), False: template(False)}
    out = []
    for row in rows:
        tr = templates[_short(row)].__copy__()
        for t, content in zip(list(tr.iter(_W_T)), row, strict=True):
            source = content[0] if len(content) == 1 else None
            if isinstance(source, d.Sourced):  # a field's words: bookmarked for review
                start, end = mark(source)
                t.getparent().addprevious(start)
                t.getparent().addnext(end)
                content = source.children
            if len(content) == 1:
                t.text = content[0].text  # type: ignore[union-attr]
                continue
            # an empty cell, or (rarely) several texts: one run each, or none
            run = t.getparent()
            for node in content:  # in the run's place, inside a field's bookmark
                more = run.__copy__()
                more[0].text = node.text  # type: ignore[union-attr]
                run.addprevious(more)
            run.getparent().remove(run)
        out.append(tr)
    tbl.extend(out)
