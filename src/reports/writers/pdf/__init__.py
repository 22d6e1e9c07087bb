"""PDF writer: renders the document model with ReportLab platypus, in the house style.

- :mod:`.text` registers fonts and turns inline nodes into escaped paragraph markup;
- :mod:`.flowables` holds the memo's own flowables (paged tables, headings);
- :mod:`.furniture` draws marking, running title, watermark and page numbers;
- :mod:`.footnotes` prints footnotes at the foot of the page that refers to them;
- :mod:`.charts` draws charts with ReportLab's chart widgets (imported at the first chart);
- :mod:`.tagging` tags what is drawn (PDF/UA: structure tree, artifacts, XMP; PDF/A);
- this module turns blocks into flowables, one method per node type, and builds the file.

Fonts are TrueType files registered per house-style family and embedded (subset).
Every block is drawn inside its structure element (see :mod:`.tagging`), page furniture
as artifacts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError, PageTemplate
from reportlab.platypus.frames import Frame

from ... import document as d
from ...errors import Problem, SourceLocation, StyleError
from ...layout import (
    LONG_TEXT,
    MM,
    column_widths,
    heading_numbers,
    roman_numeral,
    split_long,
    text_width,
)
from ...style import HouseStyle, ParaStyle
from ..base import Visitor, approval_groups, clearance_table, in_columns, placed
from .flowables import (
    CellParagraph,
    CheckBox,
    Contents,
    DocTemplate,
    Heading,
    NotedDocTemplate,
    PagedTable,
    WholeTable,
    with_change_bar,
)
from .footnotes import (
    FootnoteFrame,
    Footnotes,
    NotedCondPageBreak,
    line_refs,
    note_lead,
    refs_of,
)
from .furniture import Furniture
from .tagging import (
    TableRoles,
    Tag,
    TaggedImage,
    TaggedList,
    TaggedParagraph,
    TaggedTable,
    Tagging,
)
from .text import (
    Markup,
    Scripts,
    register_fonts,
    shows_change,
    style_font,
    variant,
    without_marks,
)

if TYPE_CHECKING:
    from .charts import ChartPainter

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}


def _seed_contents(story: list[Flowable]) -> None:
    """Give a table of contents its entries before the first pass, page numbers aside.

    ReportLab lays a memo out until its contents stop changing; a contents that starts
    as one placeholder line grows on the second pass, moves every page after it and
    needs a third. Seeded with the headings as they will be listed (as
    ``DocTemplate.afterFlowable`` lists them), it has its final height from the start,
    so two passes do.
    """
    tocs = [f for f in story if isinstance(f, Contents)]
    if not tocs:
        return
    entries: list[tuple[int, str, int, str]] = []
    last = -1
    for f in story:
        outline = getattr(f, "outline", None)
        if outline is None:
            continue
        title, level, key = outline
        depth = min(level - 1, last + 1)
        last = depth
        entries.append((depth, getattr(f, "toc_markup", title), 0, key))
    for toc in tocs:
        toc._entries = list(entries)


_GROUP = TableRoles("Div", None, header_rows=0)
"""Tagging of a table that only lays blocks out (a box, columns): a group, not data."""

LEAD_LINES = 2
"""Lines of a paragraph that must follow its heading on the same page."""


_NUMBER_KINDS = ("1", "a", "i")
"""Numbers of nested numbered lists, by level: 1. then a. then i."""


def _label(kind: str, n: int) -> str:
    """The label ReportLab draws for item ``n`` of a list of ``kind`` (to size its column)."""
    if kind == "a":
        return _letters(n) + "."
    if kind == "i":
        return roman_numeral(n).lower() + "."
    return f"{n}."


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _first_lines(p: Paragraph, width: float, page: float) -> tuple[float, tuple[int, ...]]:
    """Height of a paragraph's first lines that keep company with a heading (all of it if
    it is that short), and the footnotes referenced in them."""
    height = float(p.wrap(width, page)[1])
    lines = getattr(getattr(p, "blPara", None), "lines", None)
    if not lines or len(lines) <= LEAD_LINES:
        return height, refs_of(p)
    return height * LEAD_LINES / len(lines), line_refs(p, LEAD_LINES)


_FIELD_LABEL_WIDTH = 30 * MM
"""Width of the label column of the memo header and event details."""
_LONG_FIELD = 1_500
"""A field value longer than this (characters), or of more lines than
:data:`_LONG_FIELD_LINES`, is set outside the fields table."""
_LONG_FIELD_LINES = 40


def _long_value(value: d.Inlines) -> bool:
    lines = sum(isinstance(n, d.LineBreak) for n in value)
    return lines > _LONG_FIELD_LINES or len(d.plain_text(value)) > _LONG_FIELD


class PdfWriter(Visitor):
    """Render documents as PDF memos."""

    def __init__(self, style: HouseStyle, *, pdfa: bool = False, tagged: bool = True) -> None:
        """``pdfa`` writes PDF/A-2b (with PDF/UA-1); ``tagged=False`` writes no structure
        (for measuring what tagging costs)."""
        self.hs = style
        self.pdfa = pdfa
        self.tagged = tagged or pdfa
        register_fonts(style, {s.font for s in style.styles.values()})
        self.styles = {name: self._para_style(ps) for name, ps in style.styles.items()}
        self.link_color = style.color("accent")
        self.body_font = style_font(style, style.style("body"))
        self.width = text_width(style)
        top, _right, bottom, _left = style.margins
        self.frame_height = style.page_size[1] - top - bottom
        self.scripts = Scripts(style)
        self.markup_of = Markup(style, self.scripts, self.link_color)
        self._numbers: dict[str, str] = {}
        self._charts: ChartPainter | None = None
        self._level = 0
        """Level of the last heading tagged (structure headings never skip a level)."""
        self.label_separator = ": "
        self.heading_pages: dict[str, int] = {}
        """Heading anchor → page, from the last document rendered (a table of contents in
        another format takes its page numbers from here)."""
        self.page_count = 0
        """Pages of the last document rendered (for a build's summary)."""

    # ------------------------------------------------------------------ styles

    def _para_style(self, ps: ParaStyle) -> ParagraphStyle:
        return ParagraphStyle(
            ps.name,
            fontName=style_font(self.hs, ps),
            fontSize=ps.size,
            leading=ps.leading,
            textColor=colors.HexColor(ps.color),
            spaceBefore=ps.space_before,
            spaceAfter=ps.space_after,
            alignment=_ALIGN[ps.align],
            bulletFontName=style_font(self.hs, ps),
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )

    def ps(self, name: str, **changes: Any) -> ParagraphStyle:
        """The ReportLab style for house style ``name``, with ``changes`` if any."""
        base = self.styles.get(name)
        if base is None:
            self.hs.style(name)  # raises the house style's error for an unknown name
        if not changes:
            return base
        return ParagraphStyle(f"{name}+", parent=base, **changes)

    def markup(self, content: d.Inlines, style: str | ParagraphStyle) -> str:
        """Markup for ``content`` in ``style`` (a house-style name or one derived from it)."""
        name = style if isinstance(style, str) else style.name.rstrip("+")
        return self.markup_of(content, self.hs.style(name))

    def para(
        self, content: d.Inlines, style: str | ParagraphStyle, tag: str | None = "P", **kw: Any
    ) -> Paragraph:
        """One paragraph, a ``tag`` element (``None``: its text goes into the element it is
        drawn in); for text that may be long, use :meth:`paras`."""
        ps = self.ps(style) if isinstance(style, str) else style
        markup = self.markup(content, ps)
        return self.barred(TaggedParagraph, markup)(markup, ps, tag=tag, **kw)

    def cell(self, markup: str, style: ParagraphStyle) -> Paragraph:
        """A short plain table cell (the bulk of a long table)."""
        made: Paragraph = self.barred(CellParagraph, markup)(markup, style)
        return made

    def barred(self, cls: type[Paragraph], markup: str) -> type[Paragraph]:
        """``cls``, or ``cls`` with a change bar when ``markup`` shows a change (redline)."""
        if not shows_change(markup):
            return cls
        return with_change_bar(cls, self.hs.margins[3] - 5 * MM)

    def paras(
        self,
        content: d.Inlines,
        style: str | ParagraphStyle,
        cls: type[Paragraph] = TaggedParagraph,
        lead: str = "",
        tag: Tag | str | None = "P",
        **kw: Any,
    ) -> list[Flowable]:
        """The paragraph for ``content``, in pieces when it is very long (layout time grows
        with the square of a paragraph's length); a bullet, and ``lead`` (markup put before
        the text), go on the first piece only. The pieces make one ``tag`` element
        (``None``: their text goes into the element they are drawn in)."""
        ps = self.ps(style) if isinstance(style, str) else style
        pieces = split_long(content)
        kw["tag"] = Tag(tag) if isinstance(tag, str) else tag
        if len(pieces) == 1:
            markup = lead + self.markup(content, ps)
            return [self.barred(cls, markup)(markup, ps, **kw)]
        joined = ParagraphStyle(f"{ps.name}+", parent=ps, spaceBefore=0, spaceAfter=0)
        out: list[Flowable] = []
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            style_i = ParagraphStyle(
                ps.name, parent=joined, spaceBefore=0 if i else ps.spaceBefore,
                spaceAfter=ps.spaceAfter if last else 0,
            )  # fmt: skip
            extra = kw if i == 0 else {k: v for k, v in kw.items() if k != "bulletText"}
            markup = (lead if i == 0 else "") + self.markup(piece, style_i)  # type: ignore[arg-type]
            out.append(self.barred(cls, markup)(markup, style_i, **extra))
        return out

    # ------------------------------------------------------------------ blocks

    def visit_title_block(self, node: d.TitleBlock) -> list[Flowable]:
        out: list[Flowable] = []
        if node.logo is not None:
            width, logo = self.hs.logo_width, node.logo
            image = TaggedImage(
                logo.path, width=width, height=width * logo.aspect, hAlign="LEFT", alt=logo.alt
            )
            out += [image, Spacer(1, 6)]
        if node.kicker:
            out.append(self.para(node.kicker, "kicker"))
        titles: list[Flowable] = [self.para(node.title, "title", tag="Title")]
        if node.subtitle:
            titles.append(self.para(node.subtitle, "subtitle"))
        if self.hs.title_box:
            return [*out, self._title_box(titles), Spacer(1, 10)]
        return out + titles + ([] if node.subtitle else [Spacer(1, 8)])

    def _title_box(self, titles: list[Flowable]) -> Flowable:
        """The title in a ruled box: a double rule above and below, thin at the sides."""
        box = WholeTable([[titles]], colWidths=[self.width], hAlign="LEFT", roles=_GROUP)
        accent = colors.HexColor(self.hs.color("accent"))
        box.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("BOX", (0, 0), (-1, -1), 0.6, accent),
                ("LINEABOVE", (0, 0), (-1, 0), 2.0, accent),
                ("LINEBELOW", (0, -1), (-1, -1), 2.0, accent),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(self.hs.color("box_fill"))),
            ]
        )
        return box

    def visit_fields(self, node: d.Fields) -> list[Flowable]:
        out: list[Flowable] = []
        rows: list[d.Field] = []
        for f in node.rows:
            if _long_value(f.value):
                # set outside the table: a table re-measures a cell's remaining lines at
                # every page break, so a delegation of 3,000 names took minutes
                out += self._field_table(rows) + self._long_field(f)
                rows = []
            else:
                rows.append(f)
        out += self._field_table(rows)
        return [*out, Spacer(1, 6)]

    def _field_table(self, fields: list[d.Field]) -> list[Flowable]:
        if not fields:
            return []
        rows = [
            [
                self.para((d.Text(f.label),), "field_label", tag=None),
                self.para(f.value, "field_value", tag=None),
            ]
            for f in fields
        ]
        label_w = _FIELD_LABEL_WIDTH
        table = WholeTable(
            rows,
            colWidths=[label_w, self.width - label_w],
            hAlign="LEFT",
            splitInRow=1,
            roles=TableRoles(header_rows=0, header_cols=1),  # each label heads its row
        )
        rule = colors.HexColor(self.hs.color("rule"))
        table.setStyle(
            [
                # Table sets a cell font even for Paragraph cells; name ours, not Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (0, 0), (-1, 0), 0.75, rule),
                ("LINEBELOW", (0, -1), (-1, -1), 0.75, rule),
            ]
        )
        return [table]

    def _long_field(self, field: d.Field) -> list[Flowable]:
        """A field too long for a table cell: its label hanging to the left of its value's
        lines, each line a paragraph, as the table would set them."""
        label = self.hs.style("field_label")
        font = self.scripts.font_for(field.label, label.font, variant(label.bold, label.italic))
        lines: list[list[d.Inline]] = [[]]
        for n in field.value:
            if isinstance(n, d.LineBreak):
                lines.append([])
            else:
                lines[-1].append(n)
        out: list[Flowable] = []
        for i, line in enumerate(lines):
            style = self.ps(
                "field_value", leftIndent=_FIELD_LABEL_WIDTH, bulletIndent=0,
                bulletFontName=font, bulletFontSize=label.size,
                bulletColor=colors.HexColor(label.color),
                spaceBefore=3 if i == 0 else 0, spaceAfter=3 if i == len(lines) - 1 else 0,
            )  # fmt: skip
            out += self.paras(tuple(line), style, bulletText=field.label if i == 0 else None)
        return out

    def heading_content(self, node: d.Heading) -> d.Inlines:
        """The heading's words with its section number, as both the page and the TOC show."""
        number = self._numbers.get(node.anchor)
        return ((d.Text(f"{number}. "),) if number else ()) + node.content

    def visit_heading(self, node: d.Heading) -> list[Flowable]:
        name = "h1" if node.level == 1 else "h2"
        content = self.heading_content(node)
        text = d.plain_text(content)
        markup = self.markup(content, name)
        toc = self.markup(without_marks(content), name)
        self._level = min(node.level, self._level + 1)
        role = f"H{self._level}"
        # No keepWithNext: it would push a whole list or table to the next page. The
        # story puts a conditional page break before each heading instead (see render).
        return [Heading(markup, self.ps(name), text, node.level, node.anchor, toc, role)]

    def lead(self, flows: list[Flowable]) -> tuple[float, bool, tuple[int, ...]]:
        """Height of what must follow a heading on its page, whether the flowables were
        all taken (then what comes after them counts too), and the footnotes referenced
        in what must follow.

        A heading never ends a page without its first two lines of text, the first item
        of its list, or its table's header and first row.
        """
        width, page = self.width, self.frame_height
        total = 0.0
        refs: tuple[int, ...] = ()
        for f in flows:
            if isinstance(f, CondPageBreak):  # a captioned table's own: it knows its lead
                lead = getattr(f, "lead", f.height)
                return total + lead, False, refs + getattr(f, "refs", ())
            if isinstance(f, Spacer):
                total += f.height
                continue
            if isinstance(f, Heading) or getattr(f, "keepWithNext", False):
                total += f.getSpaceBefore() + f.wrap(width, page)[1] + f.getSpaceAfter()
                refs += refs_of(f)
                continue
            if isinstance(f, Paragraph):
                height, more = _first_lines(f, width, page)
                height += f.getSpaceBefore()
            elif isinstance(f, ListFlowable) and getattr(f, "first_item", None) is not None:
                height, more = _first_lines(f.first_item, width - f.indent, page)
            elif isinstance(f, PagedTable):
                height, more = min(f.lead_height(), page / 3), f.lead_refs()
            else:
                height, more = min(f.wrap(width, page)[1], page), refs_of(f)
            return total + height, False, refs + more
        return total, True, refs

    def visit_paragraph(self, node: d.Paragraph) -> list[Flowable]:
        flows = self.paras(node.content, node.style)
        if node.style == "label" and flows:
            flows[-1].keepWithNext = 1  # never the last line of a page
        return flows

    def _list(self, node: d.BulletList | d.NumberedList, level: int = 0) -> ListFlowable:
        """A list and the lists nested in its items, each level with its own marker (the
        house style's bullets; numbers, then letters, then Roman numerals)."""
        numbered = isinstance(node, d.NumberedList)
        base = self.styles["list"]
        bullet_font = style_font(self.hs, self.hs.style("list"), bold=numbered)
        indent = 13.0
        kind = _NUMBER_KINDS[level % len(_NUMBER_KINDS)] if numbered else "bullet"
        if numbered:  # the number column fits the widest label ("10." is wider than "9.")
            last = node.start + len(node.items) - 1  # type: ignore[union-attr]
            widest = max(
                pdfmetrics.stringWidth(_label(kind, n), bullet_font, base.fontSize)
                for n in range(node.start, last + 1)  # type: ignore[union-attr]
            )
            indent = max(16.0, widest + 6)
        marks = self.hs.bullets
        mark = marks[min(level, len(marks) - 1)]
        if not numbered:
            list_style = self.hs.style("list")
            bullet_font = self.scripts.font_for(mark, list_style.font)
        contents: list[list[Flowable]] = []
        for item in node.items:
            flows: list[Flowable] = self.paras(item.content, base, tag=None) if item.content else []
            flows += [self._list(child, level + 1) for child in item.children]
            contents.append(flows)
        flow = TaggedList(
            [ListItem(c, leftIndent=indent) for c in contents],
            bulletType=kind,
            start=node.start if numbered else mark,  # type: ignore[union-attr]
            bulletFormat="%s." if numbered else None,
            bulletFontName=bullet_font,
            bulletFontSize=base.fontSize,
            bulletColor=colors.HexColor(self.hs.color("accent")),
            leftIndent=indent,
            bulletDedent=indent,
            spaceAfter=4 if level == 0 else 0,
        )
        flow.first_item = contents[0][0] if contents and contents[0] else None
        flow.indent = indent
        return flow

    def visit_bullet_list(self, node: d.BulletList) -> list[Flowable]:
        if node.columns <= 1 or len(node.items) <= 1:
            return [self._list(node)]
        runs = in_columns(node.items, node.columns)
        gap = 10.0
        each = (self.width - gap * (node.columns - 1)) / node.columns
        saved, self.width = self.width, each
        try:
            cells = [self._list(d.BulletList(run)) for run in runs]
        finally:
            self.width = saved
        cells += [""] * (node.columns - len(cells))
        widths = [each + (gap if i < node.columns - 1 else 0) for i in range(node.columns)]
        table = WholeTable([cells], colWidths=widths, hAlign="LEFT", roles=_GROUP)
        table.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return [table]

    def visit_clearance(self, node: d.Clearance) -> list[Flowable]:
        if self.hs.clearance == "table":
            return self.visit_table(clearance_table(node))
        out: list[Flowable] = []
        for label, people in approval_groups(node):
            out.append(self._approval_box(label, people))
            out.append(Spacer(1, 3))
        return [*out, Spacer(1, 6)]

    def _approval_box(self, label: str, people: tuple[d.Signoff, ...]) -> Flowable:
        """A 결재/협조 box: its label down the left, a column per person with the role
        above and the name (and date) in the space to sign, at the right of the page."""
        cell = self.ps("table_cell", alignment=TA_CENTER)
        small = self.ps("table_cell", alignment=TA_CENTER, fontSize=7.5, leading=9)
        head = self.ps("field_label", alignment=TA_CENTER)

        def signed(p: d.Signoff) -> list[Flowable]:
            # room above the name to sign in; the date (or "pending") small beneath it
            flows: list[Flowable] = [Spacer(1, 7 * MM), self.para((d.Text(p.name),), cell)]
            note = p.status_label if p.status == "pending" else p.date
            if note:
                flows.append(self.para((d.Text(note),), small))
            return flows

        rows: list[list[Any]] = [
            [self.para((d.Text(label),), head)]
            + [self.para((d.Text(p.role or "—"),), head) for p in people],
            [""] + [signed(p) for p in people],
        ]
        role = self.hs.style("field_label")
        need = max(
            pdfmetrics.stringWidth(
                p.role or "—",
                self.scripts.font_for(p.role or "—", role.font, variant(role.bold, False)),
                role.size,
            )
            + 8
            for p in people
        )
        room = (self.width - 10 * MM) / max(len(people), 1)
        width = min(max(24 * MM, need), room)  # as wide as the longest role needs
        table = WholeTable(rows, colWidths=[10 * MM] + [width] * len(people), hAlign="RIGHT")
        rule = colors.HexColor(self.hs.color("muted"))
        table.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("GRID", (0, 0), (-1, -1), 0.6, rule),
                ("SPAN", (0, 0), (0, 1)),
                ("VALIGN", (0, 0), (0, -1), "MIDDLE"),
                ("VALIGN", (1, 1), (-1, 1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
        return table

    def visit_decision(self, node: d.Decision) -> list[Flowable]:
        """The recommendation in a box, a square per option to tick, and lines to sign
        and date."""
        pad = 8.0
        inner = self.width - 2 * pad
        body = self.hs.style("body")
        flows: list[Flowable] = []
        if node.title:
            flows.append(self.para(node.title, "box_title"))
        for para in node.recommendation:
            flows += self.paras(para, "body")
        box = body.size * 0.9
        option_cells: list[Any] = []
        option_widths: list[float] = []
        for option in node.options:
            label = self.para((d.Text(option),), self.ps("body", spaceAfter=0))
            text_w = pdfmetrics.stringWidth(option, self.body_font, body.size)
            option_cells += [CheckBox(box, colors.HexColor(self.hs.color("text"))), label]
            option_widths += [box + 5, min(text_w + 18, inner / 2)]
        options = WholeTable([option_cells], colWidths=option_widths, hAlign="LEFT", roles=_GROUP)
        options.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
        flows += [Spacer(1, 2), options, Spacer(1, 4)]
        if node.deadline:
            flows.append(self.para(node.deadline, "small"))
        sign = [
            self.para((d.Text(node.signature_label),), self.ps("small", spaceAfter=0)),
            "",
            self.para((d.Text(node.date_label),), self.ps("small", spaceAfter=0)),
            "",
        ]
        label_w = [
            pdfmetrics.stringWidth(t, self.body_font, self.hs.style("small").size) + 8
            for t in (node.signature_label, node.date_label)
        ]
        line_w = inner - sum(label_w) - 12
        signature = WholeTable(
            [sign], colWidths=[label_w[0], line_w * 0.62 + 12, label_w[1], line_w * 0.38],
            hAlign="LEFT", roles=_GROUP,
        )  # fmt: skip
        rule = colors.HexColor(self.hs.color("text"))
        signature.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, rule),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, rule),
                ("RIGHTPADDING", (1, 0), (1, 0), 12),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 14),
            ]
        )
        flows += [Spacer(1, 2), signature]
        frame = TaggedTable(
            [[flows]], colWidths=[self.width], hAlign="LEFT", splitInRow=1, roles=_GROUP
        )
        border = colors.HexColor(self.hs.color("box_border"))
        frame.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("BOX", (0, 0), (-1, -1), 0.8, border),
                ("LINEBEFORE", (0, 0), (0, -1), 3, border),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        )
        return [Spacer(1, 4), frame, Spacer(1, 8)]

    def visit_numbered_list(self, node: d.NumberedList) -> list[Flowable]:
        return [self._list(node)]

    def visit_figure(self, node: d.Figure) -> list[Flowable]:
        width = self.width * node.width
        height = width * node.image.aspect
        if height > self.frame_height * 0.8:  # a tall image is scaled down to fit a page
            height = self.frame_height * 0.8
            width = height / node.image.aspect
        image = TaggedImage(
            node.image.path, width=width, height=height, hAlign="LEFT", alt=node.image.alt
        )
        image.keepWithNext = 1  # the caption stays under its picture
        out: list[Flowable] = [Spacer(1, 4), image]
        out.append(self.para(self.caption(node.label, node.caption), "caption"))
        out.append(Spacer(1, 6))
        return out

    def visit_chart(self, node: d.Chart) -> list[Flowable]:
        drawing = self.painter.draw(node, self.width * node.width, self.frame_height * 0.8)
        return self.drawn(drawing, node.label, node.caption, node.source)

    def visit_timeline_chart(self, node: d.TimelineChart) -> list[Flowable]:
        drawing = self.painter.timeline(node, self.width, self.frame_height * 0.8)
        return self.drawn(drawing, node.label, node.caption)

    @property
    def painter(self) -> ChartPainter:
        """The chart painter of this house style (ReportLab's chart modules are imported
        at the first chart)."""
        from .charts import ChartPainter

        if self._charts is None:
            self._charts = ChartPainter(self.hs, self.scripts)
        return self._charts

    def drawn(
        self, drawing: Flowable, label: str, caption: d.Inlines, source: d.Inlines = ()
    ) -> list[Flowable]:
        """A chart's drawing, its numbered caption kept under it, and its source."""
        drawing.hAlign = "LEFT"
        drawing.keepWithNext = 1
        out: list[Flowable] = [Spacer(1, 4), drawing]
        out.append(self.para(self.caption(label, caption), "caption"))
        if source:
            out[-1].keepWithNext = 1
            out.append(self.para(source, "table_source"))
        out.append(Spacer(1, 6))
        return out

    def caption(self, label: str, caption: d.Inlines) -> d.Inlines:
        """A numbered caption: the label in bold, then the caption's words."""
        if not label:
            return caption
        head: d.Inlines = (d.Strong((d.Text(label),)),)
        return head + ((d.Text(self.label_separator), *caption) if caption else ())

    def visit_note(self, node: d.Note) -> list[Flowable]:
        note = self.hs.style("note")
        font = self.scripts.font_for(node.mark, note.font, variant(note.bold, note.italic))
        # the mark hangs in its own column, as wide as it is ("Note:" is wider than ※)
        indent = max(14.0, pdfmetrics.stringWidth(node.mark, font, note.size) + 5)
        style = self.ps("note", leftIndent=indent, bulletIndent=0, bulletFontName=font)
        return self.paras(node.content, style, bulletText=node.mark or None)

    def visit_box(self, node: d.Box) -> list[Flowable]:
        pad = 8.0
        inner_width = self.width - 2 * pad
        saved, self.width = self.width, inner_width
        try:
            flows: list[Flowable] = []
            if node.title:
                flows.append(self.para(node.title, "box_title"))
            for block in node.body:
                flows.extend(self.visit(block))
        finally:
            self.width = saved
        box = TaggedTable(
            [[flows]],
            colWidths=[self.width],
            hAlign="LEFT",
            splitInRow=1,
            roles=TableRoles("Div", None, header_rows=0),  # a group of blocks, not data
        )
        border = colors.HexColor(self.hs.color("box_border"))
        box.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("BOX", (0, 0), (-1, -1), 0.8, border),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(self.hs.color("box_fill"))),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad - 2),
            ]
        )
        return [Spacer(1, 2), box, Spacer(1, 8)]

    def visit_page_break(self, node: d.PageBreak) -> list[Flowable]:
        return [PageBreak()]

    def visit_table(self, node: d.Table) -> list[Flowable]:
        widths = column_widths(self.width, [c.width for c in node.columns])
        heads = [self.ps("table_header", alignment=_ALIGN[c.align]) for c in node.columns]
        cells = [self.ps("table_cell", alignment=_ALIGN[c.align]) for c in node.columns]
        data: list[list[Any]] = [
            [self.para(c.header, s, tag=None) for c, s in zip(node.columns, heads, strict=True)]
        ]
        cs = self.hs.style("table_cell")
        markup = self.markup_of
        data.extend(
            [
                self.cell(markup(c, cs), cell)
                if len(c) == 1 and isinstance(c[0], d.Text) and len(c[0].text) <= LONG_TEXT
                else self.paras(c, cell, CellParagraph, tag=None)
                for c, cell in zip(row, cells, strict=True)
            ]
            for row in node.rows
        )
        pad = self.hs.table_padding
        rule = colors.HexColor(self.hs.color("rule"))
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), self.body_font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad + 1),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(self.hs.color("table_header"))),
            ("LINEBELOW", (0, 1), (-1, -1), self.hs.table_rule, rule),
        ]
        stripes = [colors.white, colors.HexColor(self.hs.color("table_stripe"))]
        # Every table is laid out a page at a time: rows stay whole unless taller than a
        # third of a page, and long tables cost linear time.
        table = PagedTable(data[0], data[1:], widths, commands, stripes, pad * 2 + 1, (pad + 1) * 2)
        out: list[Flowable] = [Spacer(1, 2), table]
        if node.caption:
            # above the table, and never alone at the foot of a page: a new page unless the
            # caption, the header row and the first row fit (with their notes)
            caption = self.para(node.caption, "caption")
            height, _whole, refs = self.lead([table])
            height += caption.getSpaceBefore() + caption.wrap(self.width, self.frame_height)[1]
            refs = refs_of(caption) + refs
            keep = NotedCondPageBreak(height, refs) if refs else CondPageBreak(height)
            out = [keep, caption, table]
        if node.source:
            out.append(self.para(node.source, "table_source"))
        out.append(Spacer(1, 8))
        return out

    def visit_q_a(self, node: d.QA) -> list[Flowable]:
        accent = colors.HexColor(self.hs.color("accent"))

        def labelled(name: str) -> ParagraphStyle:
            # The Q/A label hangs in the left indent, bold, in the accent colour.
            bold = style_font(self.hs, self.hs.style(name), bold=True)
            return self.ps(
                name, leftIndent=26, bulletIndent=0, bulletColor=accent, bulletFontName=bold
            )

        q_style, a_style = labelled("question"), labelled("answer")
        q_style.keepWithNext = 1  # a question never ends a page without its answer
        flows = self.paras(node.question, q_style, bulletText=node.label)
        for i, para in enumerate(node.answer):
            label = node.answer_label if i == 0 else None
            flows.extend(self.paras(para, a_style, bulletText=label))
        return flows

    def visit_toc(self, node: d.Toc) -> list[Flowable]:
        toc = Contents()
        toc.levelStyles = [self.ps("toc1"), self.ps("toc2", leftIndent=14)]
        toc.dotsMinLevel = 0
        # its table's default cell font is Helvetica, which would be named on every page
        # unembedded (print and archive checks flag it)
        toc.tableStyle = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body_font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        self._level = 1
        title = TaggedParagraph(escape(node.title), self.ps("h1"), tag="H1")
        return [title, toc, Spacer(1, 6)]

    # ------------------------------------------------------------------ document

    def footnotes(self, notes: tuple[d.Footnote, ...]) -> Footnotes | None:
        """The layout of ``notes``, printed at the foot of their pages; ``None`` if none."""
        if not notes:
            return None
        # A long note may be split at a page's foot and continue on the next.
        style = self.ps("footnote", allowWidows=1, allowOrphans=1)
        return Footnotes(
            {
                n.number: self.paras(
                    n.content, style, lead=note_lead(n.number), tag=Tag("Note", id=f"fn-{n.number}")
                )
                for n in notes
            },
            gap=style.spaceAfter,
            rule_color=colors.HexColor(self.hs.color("rule")),
        )

    def render(self, doc: d.Document) -> bytes:
        """Return the PDF bytes of ``doc``."""
        doc = d.unmarked(doc)  # a PDF is not edited: the field map is for the DOCX
        self._numbers = heading_numbers(doc.blocks, self.hs.section_numbers)
        self._level = 0
        self.scripts.lang = doc.meta.lang
        self.label_separator = doc.meta.label_separator
        self.markup_of.footnotes = {f.id: f.number for f in doc.footnotes}
        blocks = placed(doc.blocks, self.hs)
        parts = [self.visit(block) for block in blocks]
        story: list[Flowable] = []
        for i, flows in enumerate(parts):
            if isinstance(blocks[i], d.Heading):
                # Start a new page here only if the heading and the first lines of what
                # follows it do not fit (a heading never ends a page), with their notes.
                need = 0.0
                refs: tuple[int, ...] = ()
                for following in parts[i:]:
                    height, whole, more = self.lead(following)
                    need += height
                    refs += more
                    if not whole:
                        break
                story.append(NotedCondPageBreak(need, refs) if refs else CondPageBreak(need))
            story.extend(flows)
        buf = io.BytesIO()
        hs = self.hs
        top, right, bottom, left = hs.margins
        page_w, page_h = hs.page_size
        meta = doc.meta
        notes = self.footnotes(doc.footnotes)
        template = (NotedDocTemplate if notes else DocTemplate)(
            buf,
            pagesize=hs.page_size,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=", ".join(meta.keywords),
            creator="reports",
            producer="reports (ReportLab)",
            lang=meta.lang,
            displayDocTitle=1,
            invariant=1,
            initialFontName=self.body_font,
            initialFontSize=hs.style("body").size,
        )
        frame = (FootnoteFrame if notes else Frame)(
            left,
            bottom,
            page_w - left - right,
            page_h - top - bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        if notes:
            template.footnotes = notes
        furniture = Furniture(self, meta)
        template.addPageTemplates([PageTemplate("memo", [frame], onPage=furniture.page)])
        canvasmaker: Any = furniture.canvas_class()
        if self.tagged:
            tagging = Tagging(title=meta.title, lang=meta.lang, pdfa=self.pdfa)
            canvasmaker = tagging.canvasmaker(canvasmaker)
        try:
            if any(isinstance(b, d.Toc) for b in doc.blocks):
                _seed_contents(story)
                template.multiBuild(story, canvasmaker=canvasmaker)
            else:
                template.build(story, canvasmaker=canvasmaker)
            self.heading_pages = dict(template.heading_pages)
            self.page_count = template.page
        except LayoutError:
            # Content always wraps and splits; what cannot fit is the house style's page:
            # margins, sizes or padding that leave no room.
            raise StyleError(
                [
                    Problem(
                        SourceLocation(hs.origin_file),
                        "the memo cannot be laid out: the house style leaves too little room "
                        "on the page (check margins, font sizes and table padding)",
                    )
                ]
            ) from None
        return buf.getvalue()
