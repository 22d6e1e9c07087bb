"""PDF writer: renders the document model with ReportLab platypus, in the house style.

Fact text reaches ReportLab only through :func:`_markup`, which escapes it, so a fact can
never become a tag (``<img>``, ``<a>``, ``<font>``) or an entity. Fonts are TrueType files
registered per house-style family and embedded (subset) in every PDF.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError, PageTemplate
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents

from .. import document as d
from ..errors import Problem, SourceLocation, StyleError
from ..fonts import coverage, font_name, invisible, needs_glyph, ttfont
from ..style import HouseStyle, ParaStyle
from .base import dispatch

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}
_MM = 72 / 25.4


def _register_fonts(style: HouseStyle, keys: set[str] | None = None) -> None:
    """Register families' TrueType files once per process, named ``reports-<key>-<variant>``.

    ``keys`` limits this to the named families; ``None`` registers every family.
    """
    for key, font in style.fonts.items():
        if keys is not None and key not in keys:
            continue
        names = {}
        for variant in ("regular", "bold", "italic", "bold_italic"):
            name = font_name(style, key, variant)
            ttfont(name, str(font.file(variant)))
            names[variant] = name
        pdfmetrics.registerFontFamily(
            names["regular"],
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )


def _variant(bold: bool, italic: bool) -> str:
    """The face of a family for the given weight and slant."""
    if bold:
        return "bold_italic" if italic else "bold"
    return "italic" if italic else "regular"


def _font_name(hs: HouseStyle, ps: ParaStyle, *, bold: bool | None = None) -> str:
    return font_name(hs, ps.font, _variant(ps.bold if bold is None else bold, ps.italic))


class _Scripts:
    """Splits text into runs by which font has the glyphs: the style's own, or a fallback."""

    def __init__(self, style: HouseStyle) -> None:
        self.hs = style
        self._fallback: list[tuple[str, frozenset[int]]] | None = None

    @property
    def fallback(self) -> list[tuple[str, frozenset[int]]]:
        # Fallback fonts are parsed and registered the first time a character needs one.
        if self._fallback is None:
            _register_fonts(self.hs, set(self.hs.fallback))
            self._fallback = [(k, coverage(self.hs, k)) for k in self.hs.fallback]
        return self._fallback

    def text(self, text: str, font: str, variant: str = "regular") -> str:
        """Escape ``text`` for ReportLab, wrapping runs the style's ``font`` lacks in <font>.

        ``variant`` (regular, bold, italic, bold_italic) picks the fallback font's face, since
        a <font> tag does not inherit the weight of the text around it.
        """
        if text.isascii():
            return escape(text)
        own = coverage(self.hs, font)
        out: list[str] = []
        run: list[str] = []
        current: str | None = None  # None: the paragraph's own font
        for ch in text:
            code = ord(ch)
            if code in own or ch.isspace():
                target = None
            else:
                target = next(
                    (font_name(self.hs, k, variant) for k, cov in self.fallback if code in cov),
                    "",
                )
                if target == "" and invisible(ch):
                    continue  # a zero-width mark no font draws: leave it out, not a box
                if target == "":
                    target = None  # checked before writing; drawn as the font's .notdef
            if target != current and run:
                out.append(self._wrap("".join(run), current))
                run = []
            current = target
            run.append(ch)
        if run:
            out.append(self._wrap("".join(run), current))
        return "".join(out)

    @staticmethod
    def _wrap(text: str, font: str | None) -> str:
        return escape(text) if font is None else f'<font name="{font}">{escape(text)}</font>'


def _markup(
    nodes: d.Inlines,
    link_color: str,
    scripts: _Scripts,
    font: str,
    bold: bool = False,
    italic: bool = False,
) -> str:
    """Turn inline nodes into ReportLab paragraph markup; text is always escaped."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, d.Text):
            out.append(scripts.text(node.text, font, _variant(bold, italic)))
        elif isinstance(node, d.Strong):
            inner = _markup(node.children, link_color, scripts, font, True, italic)
            out.append(f"<b>{inner}</b>")
        elif isinstance(node, d.Emph):
            inner = _markup(node.children, link_color, scripts, font, bold, True)
            out.append(f"<i>{inner}</i>")
        elif isinstance(node, d.Link):
            inner = _markup(node.children, link_color, scripts, font, bold, italic)
            out.append(f'<a href={quoteattr(node.href)} color="{link_color}">{inner}</a>')
        elif isinstance(node, d.LineBreak):
            out.append("<br/>")
        else:  # pragma: no cover - the reader builds only the nodes above
            raise TypeError(f"unknown inline node {type(node).__name__}")
    return "".join(out)


def _is_long(block: d.Block | None) -> bool:
    """Whether keep-with-next cannot hold a heading to this block.

    Lists are ReportLab containers, which keepWithNext will not group with a heading, and
    long tables would be pushed whole to the next page; both get a conditional page break.
    """
    if isinstance(block, d.Table):
        return len(block.rows) > 4
    return isinstance(block, (d.BulletList, d.NumberedList))


_PAGED_ROWS = 40
"""Tables longer than this are laid out page by page by :class:`_PagedTable`."""


def _table(
    data: list[list[Any]],
    widths: list[float],
    commands: list[Any],
    stripes: list[Any],
    start: int,
) -> Table:
    """A ReportLab table with a header row; zebra stripes continue from body row ``start``."""
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    order = stripes if start % 2 == 0 else stripes[::-1]
    table.setStyle(TableStyle([*commands, ("ROWBACKGROUNDS", (0, 1), (-1, -1), order)]))
    return table


class _PagedTable(Flowable):  # type: ignore[misc]
    """A long table laid out a page at a time, measuring each row once.

    ReportLab's Table measures every remaining row again at each page break, so a long
    timeline costs time quadratic in its rows. Here each row is measured once; each page
    gets a small Table of the rows that fit, under the repeated header row. The rest of the
    table shares the row and height lists (an offset, not a copy) and keeps its remaining
    height as a running total, so each page costs only the rows placed on it. A row taller
    than a whole page is handed to ReportLab's own in-row splitting.
    """

    def __init__(
        self,
        header: list[Any],
        rows: list[list[Any]],
        widths: list[float],
        commands: list[Any],
        stripes: list[Any],
        vpad: float,
        hpad: float,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.widths = header, rows, widths
        self.commands, self.stripes = commands, stripes
        self.vpad, self.hpad = vpad, hpad
        """Vertical and horizontal cell padding, top+bottom and left+right."""
        self.first = 0
        """Index of this part's first row in ``rows``."""
        self.heights: list[float] | None = None
        self.header_height = 0.0
        self.remaining = 0.0
        """Total height of rows[first:]."""
        self.hAlign = "LEFT"

    def _row_height(self, row: list[Any]) -> float:
        hpad = self.hpad
        tallest = max(p.wrap(w - hpad, 1e9)[1] for p, w in zip(row, self.widths, strict=True))
        return float(tallest) + self.vpad

    def _measure(self) -> list[float]:
        if self.heights is None:
            self.heights = [self._row_height(r) for r in self.rows]
            self.header_height = self._row_height(self.header)
            self.remaining = sum(self.heights[self.first :])
        return self.heights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._measure()
        self.width = sum(self.widths)
        self.height = self.header_height + self.remaining
        return self.width, self.height

    def _part(self, count: int) -> Table:
        rows = self.rows[self.first : self.first + count]
        return _table([self.header, *rows], self.widths, self.commands, self.stripes, self.first)

    def _rest(self, count: int) -> _PagedTable:
        heights = self._measure()
        # A fresh flowable, not a copy: ReportLab keeps page-placement state on flowables
        # (_postponed, _frame) that must not carry over to the rest of the table.
        rest = _PagedTable(
            self.header, self.rows, self.widths, self.commands, self.stripes, self.vpad, self.hpad
        )
        rest.heights, rest.header_height = heights, self.header_height
        rest.first = self.first + count
        rest.remaining = self.remaining - sum(heights[self.first : rest.first])
        return rest

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        heights = self._measure()
        end = len(self.rows)
        used, last = self.header_height, self.first
        while last < end and used + heights[last] <= avail_height:
            used += heights[last]
            last += 1
        fit = last - self.first
        if last == end:
            return [self._part(fit)]
        if fit > 0:
            return [self._part(fit), self._rest(fit)]
        frame = getattr(self, "_frame", None)
        page = frame._aH if frame is not None else avail_height
        if self.header_height + heights[self.first] <= page:
            return []  # the row fits on a fresh page: start one
        # A row taller than a page: let ReportLab split inside it, then carry on.
        pieces: list[Flowable] = self._part(1).split(avail_width, avail_height)
        if not pieces:
            return []
        return [*pieces, self._rest(1)] if self.first + 1 < end else pieces

    def draw(self) -> None:
        table = self._part(len(self.rows) - self.first)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


class _CellParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph that remembers its last wrap.

    ReportLab's Table wraps each cell to size its rows and again to draw it, and a paged
    table measures rows once more; line breaking is the dominant cost of a long timeline,
    so a repeated wrap at the same width returns the layout already computed.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        cached = self._wrapped
        if cached is not None and cached[0] == avail_width:
            return cached[1]
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, size)
        return size


class _WholeTable(Table):  # type: ignore[misc]
    """A table that moves to the next page whole rather than split, unless it is too tall.

    Used for memo headers; unlike KeepTogether it can still join its heading through
    keepWithNext (ReportLab will not nest containers there).
    """

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        page_room = frame._aH if frame is not None else avail_height
        _w, height = self.wrap(avail_width, avail_height)
        if height <= page_room and not getattr(frame, "_atTop", 0):
            return []
        return super().split(avail_width, avail_height)  # type: ignore[no-any-return]


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading paragraph that knows its outline entry and its table-of-contents line.

    The outline takes plain text; the TOC entry is paragraph markup (ReportLab's
    TableOfContents pastes it into a Paragraph), so it is the escaped heading markup.
    """

    def __init__(self, text: str, style: ParagraphStyle, title: str, level: int, key: str):
        super().__init__(text, style)
        self.outline = (title, level, key)
        self.toc_markup = text


class _DocTemplate(BaseDocTemplate):  # type: ignore[misc]
    _outline_level = -1

    def beforeDocument(self) -> None:
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        title, level, key = outline
        toc_markup = getattr(flowable, "toc_markup", title)
        # PDF outlines cannot skip a level (an h2 before any h1): clamp to one below the last.
        depth = min(level - 1, self._outline_level + 1)
        self._outline_level = depth
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=depth, closed=False)
        self.notify("TOCEntry", (depth, toc_markup, self.page, key))


class PdfWriter:
    """Render a document as a PDF memo."""

    format: ClassVar[str] = "pdf"
    extension: ClassVar[str] = ".pdf"

    def __init__(self, style: HouseStyle, **options: Any) -> None:
        self.hs = style
        _register_fonts(style, {s.font for s in style.styles.values()})
        self.styles = {name: self._para_style(ps) for name, ps in style.styles.items()}
        self.link_color = style.color("accent")
        self.body_font = _font_name(style, style.style("body"))
        self.width = style.page_size[0] - style.margins[1] - style.margins[3]
        self._before_long_block = False
        self.scripts = _Scripts(style)
        self.handlers: dict[type, Any] = {
            d.TitleBlock: self.title_block,
            d.Fields: self.fields,
            d.Heading: self.heading,
            d.Paragraph: self.paragraph,
            d.BulletList: self.bullet_list,
            d.NumberedList: self.numbered_list,
            d.Table: self.table,
            d.QA: self.qa,
            d.Toc: self.toc,
        }

    # ------------------------------------------------------------------ styles

    def _para_style(self, ps: ParaStyle) -> ParagraphStyle:
        return ParagraphStyle(
            ps.name,
            fontName=_font_name(self.hs, ps),
            fontSize=ps.size,
            leading=ps.leading,
            textColor=colors.HexColor(ps.color),
            spaceBefore=ps.space_before,
            spaceAfter=ps.space_after,
            alignment=_ALIGN[ps.align],
            bulletFontName=_font_name(self.hs, ps),
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )

    def ps(self, name: str, **changes: Any) -> ParagraphStyle:
        base = self.styles.get(name)
        if base is None:
            self.hs.style(name)  # raises the house style's error for an unknown name
        if not changes:
            return base
        return ParagraphStyle(f"{name}+", parent=base, **changes)

    def markup(self, content: d.Inlines, style: str | ParagraphStyle) -> str:
        """Markup for ``content`` in ``style`` (a house-style name or one derived from it)."""
        name = style if isinstance(style, str) else style.name.rstrip("+")
        hs = self.hs.style(name)
        return _markup(content, self.link_color, self.scripts, hs.font, hs.bold, hs.italic)

    def para(self, content: d.Inlines, style: str | ParagraphStyle, **kw: Any) -> Paragraph:
        ps = self.ps(style) if isinstance(style, str) else style
        return Paragraph(self.markup(content, ps), ps, **kw)

    # ------------------------------------------------------------------ blocks

    def title_block(self, node: d.TitleBlock) -> list[Flowable]:
        out: list[Flowable] = []
        if node.kicker:
            out.append(self.para(node.kicker, "kicker"))
        out.append(self.para(node.title, "title"))
        if node.subtitle:
            out.append(self.para(node.subtitle, "subtitle"))
        else:
            out.append(Spacer(1, 8))
        return out

    def fields(self, node: d.Fields) -> list[Flowable]:
        rows = [
            [self.para((d.Text(f.label),), "field_label"), self.para(f.value, "field_value")]
            for f in node.rows
        ]
        label_w = 30 * _MM
        table = _WholeTable(
            rows, colWidths=[label_w, self.width - label_w], hAlign="LEFT", splitInRow=1
        )
        rule = colors.HexColor(self.hs.color("rule"))
        table.setStyle(
            TableStyle(
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
        )
        return [table, Spacer(1, 6)]

    def heading(self, node: d.Heading) -> list[Flowable]:
        name = "h1" if node.level == 1 else "h2"
        text = d.plain_text(node.content)
        markup = self.markup(node.content, name)
        if not self._before_long_block:
            style = self.ps(name, keepWithNext=1)
            return [_Heading(markup, style, text, node.level, node.anchor)]
        # Before a long table or list, keepWithNext would push the whole block to the next
        # page; instead start a new page only if the heading and a few lines don't fit.
        style = self.ps(name)
        room = style.spaceBefore + style.leading * 2 + self.styles["body"].leading * 4
        return [CondPageBreak(room), _Heading(markup, style, text, node.level, node.anchor)]

    def paragraph(self, node: d.Paragraph) -> list[Flowable]:
        return [self.para(node.content, node.style)]

    def _list(self, items: tuple[d.Inlines, ...], numbered: bool) -> list[Flowable]:
        base = self.styles["list"]
        indent = 16 if numbered else 13
        flow = ListFlowable(
            [ListItem(self.para(item, base), leftIndent=indent) for item in items],
            bulletType="1" if numbered else "bullet",
            start=None if numbered else self.hs.bullet,
            bulletFormat="%s." if numbered else None,
            bulletFontName=_font_name(self.hs, self.hs.style("list"), bold=numbered),
            bulletFontSize=base.fontSize,
            bulletColor=colors.HexColor(self.hs.color("accent")),
            leftIndent=indent,
            bulletDedent=indent,
            spaceAfter=4,
        )
        return [flow]

    def bullet_list(self, node: d.BulletList) -> list[Flowable]:
        return self._list(node.items, numbered=False)

    def numbered_list(self, node: d.NumberedList) -> list[Flowable]:
        return self._list(node.items, numbered=True)

    def table(self, node: d.Table) -> list[Flowable]:
        total = sum(c.width for c in node.columns)
        widths = [self.width * c.width / total for c in node.columns]
        head = self.ps("table_header")
        cell = self.ps("table_cell")
        data: list[list[Any]] = [[self.para(c.header, head) for c in node.columns]]
        cs = self.hs.style("table_cell")
        scripts, link, font = self.scripts, self.link_color, cs.font
        data.extend(
            [_CellParagraph(_markup(c, link, scripts, font, cs.bold, cs.italic), cell) for c in row]
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
        table: Flowable
        if len(data) > _PAGED_ROWS:
            table = _PagedTable(
                data[0], data[1:], widths, commands, stripes, pad * 2 + 1, (pad + 1) * 2
            )
        else:
            table = _table(data, widths, commands, stripes, 0)
        out: list[Flowable] = [table]
        if node.caption:
            out.append(self.para(node.caption, "caption"))
        out.append(Spacer(1, 8))
        return out

    def qa(self, node: d.QA) -> list[Flowable]:
        accent = colors.HexColor(self.hs.color("accent"))

        def labelled(name: str) -> ParagraphStyle:
            # The Q/A label hangs in the left indent, bold, in the accent colour.
            bold = _font_name(self.hs, self.hs.style(name), bold=True)
            return self.ps(
                name, leftIndent=26, bulletIndent=0, bulletColor=accent, bulletFontName=bold
            )

        q_style, a_style = labelled("question"), labelled("answer")
        q_style.keepWithNext = 1  # a question never ends a page without its answer
        flows: list[Flowable] = [self.para(node.question, q_style, bulletText=node.question_label)]
        for i, para in enumerate(node.answer):
            label = node.answer_label if i == 0 else None
            flows.append(self.para(para, a_style, bulletText=label))
        return flows

    def toc(self, node: d.Toc) -> list[Flowable]:
        toc = TableOfContents()
        toc.levelStyles = [self.ps("toc1"), self.ps("toc2", leftIndent=14)]
        toc.dotsMinLevel = 0
        return [Paragraph(escape(node.title), self.ps("h1")), toc, Spacer(1, 6)]

    # ------------------------------------------------------------------ document

    def render(self, doc: d.Document) -> bytes:
        """Return the PDF bytes of ``doc``."""
        story: list[Flowable] = []
        blocks = doc.blocks
        for i, block in enumerate(blocks):
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            self._before_long_block = _is_long(after)
            story.extend(dispatch(self.handlers, block))
        buf = io.BytesIO()
        hs = self.hs
        top, right, bottom, left = hs.margins
        page_w, page_h = hs.page_size
        meta = doc.meta
        template = _DocTemplate(
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
            initialFontName=_font_name(hs, hs.style("body")),
            initialFontSize=hs.style("body").size,
        )
        frame = Frame(
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
        furniture = _Furniture(self, meta)
        template.addPageTemplates([PageTemplate("memo", [frame], onPage=furniture.page)])
        canvasmaker = furniture.canvas_class()
        try:
            if any(isinstance(b, d.Toc) for b in doc.blocks):
                template.multiBuild(story, canvasmaker=canvasmaker)
            else:
                template.build(story, canvasmaker=canvasmaker)
        except LayoutError:
            # Content always wraps and splits; what cannot fit is the house style's page:
            # margins, sizes or padding that leave no room.
            raise StyleError(
                [
                    Problem(
                        SourceLocation(hs.origin.split(", ")[-1]),
                        "the memo cannot be laid out: the house style leaves too little room "
                        "on the page (check margins, font sizes and table padding)",
                    )
                ]
            ) from None
        return buf.getvalue()


def _timestamp(when: Any) -> Any:
    """ReportLab's TimeStamp for ``when`` (UTC), so the PDF's dates come from the build input."""
    import time

    from reportlab.lib.utils import TimeStamp

    stamp = TimeStamp(invariant=1)
    stamp.t = when.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so that it fits ``width`` points on one line."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[: max(0, len(text) - max(1, len(text) // 8))]
    return text.rstrip() + "…"


class _Furniture:
    """Marking, running title, watermark and 'Page N of M' drawn around every page."""

    def __init__(self, writer: PdfWriter, meta: d.Meta) -> None:
        self.w = writer
        self.meta = meta
        hs = writer.hs
        self.muted = colors.HexColor(hs.color("muted"))
        self.rule = colors.HexColor(hs.color("rule"))
        self.header = hs.style("header")
        self.marking = hs.style("marking")

    def font_for(self, text: str, ps: ParaStyle) -> str:
        """The style's font if it has every glyph of ``text``, else the first fallback that does.

        Page furniture is drawn as single strings, so it cannot switch fonts mid-line.
        """
        own = _font_name(self.w.hs, ps)
        if text.isascii():
            return own
        needed = {ord(c) for c in text if needs_glyph(c)}
        if needed <= coverage(self.w.hs, ps.font):
            return own
        _ = self.w.scripts.fallback  # registers the fallback fonts
        for key in (ps.font, *self.w.hs.fallback):
            if needed <= coverage(self.w.hs, key):
                return font_name(self.w.hs, key, _variant(ps.bold, ps.italic))
        return own

    def page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw what comes under the page's content: watermark, header, marking."""
        hs = self.w.hs
        page_w, page_h = hs.page_size
        top, right, _bottom, left = hs.margins
        if doc.page == 1:
            canv.showOutline()  # open the bookmarks panel when the PDF is opened
        canv.saveState()
        if self.meta.marking:
            canv.setFillColor(colors.HexColor(self.marking.color))
            canv.setFont(self.font_for(self.meta.marking, self.marking), self.marking.size)
            canv.drawCentredString(page_w / 2, page_h - 11 * _MM, self.meta.marking)
            canv.drawCentredString(page_w / 2, 8 * _MM, self.meta.marking)
        show_running = doc.page > 1 or hs.first_page_furniture
        if show_running and self.meta.running_title:
            canv.setFillColor(self.muted)
            font = self.font_for(self.meta.running_title, self.header)
            canv.setFont(font, self.header.size)
            y = page_h - top + 6 * _MM
            date = self.meta.date_label
            room = page_w - left - right - canv.stringWidth(date + "    ", font, self.header.size)
            canv.drawString(left, y, _fit(self.meta.running_title, font, self.header.size, room))
            if date:
                canv.drawRightString(page_w - right, y, date)
            canv.setStrokeColor(self.rule)
            canv.setLineWidth(0.5)
            canv.line(left, y - 2.5 * _MM, page_w - right, y - 2.5 * _MM)
        canv.restoreState()

    def canvas_class(self) -> type[Canvas]:
        furniture = self

        class _Canvas(Canvas):  # type: ignore[misc]
            """Defers each page until the page count is known, for 'Page N of M'."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict[str, Any]] = []
                if furniture.meta.timestamp is not None:
                    self._doc._timeStamp = _timestamp(furniture.meta.timestamp)

            def showPage(self) -> None:
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    furniture.footer(self, total)
                    super().showPage()
                super().save()

        return _Canvas

    def footer(self, canv: Canvas, total: int) -> None:
        hs = self.w.hs
        page_w, _ = hs.page_size
        _top, right, _bottom, left = hs.margins
        canv.saveState()
        if self.meta.draft:
            # Drawn over the content, translucent, so table shading cannot hide it.
            page_h = hs.page_size[1]
            wm = hs.style("draft")
            canv.saveState()
            canv.setFillColor(colors.HexColor(wm.color), alpha=0.35)
            canv.setFont(self.font_for(self.meta.draft_label, wm), wm.size)
            canv.translate(page_w / 2, page_h / 2)
            canv.rotate(45)
            canv.drawCentredString(0, -wm.size / 3, self.meta.draft_label)
            canv.restoreState()
        y = 14 * _MM
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.5)
        canv.line(left, y + 3.5 * _MM, page_w - right, y + 3.5 * _MM)
        canv.setFillColor(self.muted)
        footer = hs.style("footer")
        label = self.meta.page_label.replace("{page}", str(canv.getPageNumber())).replace(
            "{pages}", str(total)
        )
        canv.setFont(self.font_for(label, footer), footer.size)
        canv.drawRightString(page_w - right, y, label)
        canv.restoreState()
