"""The memo's own platypus flowables: long tables laid out a page at a time, headings that
know their outline entry, and a document template that files them.

ReportLab internals used here (pinned by the ``reportlab`` version range in
``pyproject.toml``): a flowable's ``_frame`` during ``split``, and that frame's ``_aH``
(height of an empty frame) and ``_atTop``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from .footnotes import FootnoteDocMixin, refs_of
from .tagging import (
    TableRoles,
    Tag,
    TaggedParagraph,
    TaggedTable,
    artifact,
    link_markup,
    tag_table,
    tagger_of,
)

PAGED_ROWS = 40
"""Tables longer than this are laid out page by page by :class:`PagedTable`."""


def _page_room(flowable: Flowable, avail_height: float) -> float:
    """Height of a whole empty frame, where the flowable is being placed."""
    frame = getattr(flowable, "_frame", None)
    return float(frame._aH) if frame is not None else avail_height


def make_table(
    data: list[list[Any]],
    widths: list[float],
    commands: list[Any],
    stripes: list[Any],
    start: int,
    tag: Tag,
) -> Table:
    """A ReportLab table with a header row; zebra stripes continue from body row ``start``.

    It is tagged as rows ``start`` on of the table ``tag`` stands for, the header row
    being the table's own on its first page and a repeated copy (an artifact) after.
    """
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    order = stripes if start % 2 == 0 else stripes[::-1]
    table.setStyle(TableStyle([*commands, ("ROWBACKGROUNDS", (0, 1), (-1, -1), order)]))
    rows = [0, *range(start + 1, start + len(data))]
    return tag_table(table, tag, _TABLE, rows, 1 if start else 0)


_TABLE = TableRoles()


class PagedTable(Flowable):  # type: ignore[misc]
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
        self.noted: tuple[list[int], list[tuple[int, ...]], tuple[int, ...]] | None = None
        """The footnotes of the rows that have any: (row indexes, their notes), and the
        header's notes; found once, shared with the rest of the table."""
        self.hAlign = "LEFT"
        self.tag = Tag("Table")
        """The structure element every page's part of the table belongs to."""

    def _row_height(self, row: list[Any]) -> float:
        hpad = self.hpad

        def height(cell: Any, width: float) -> float:
            # a cell holds a paragraph, or several (a very long text in pieces)
            parts = cell if isinstance(cell, list) else [cell]
            return float(sum(p.wrap(width - hpad, 1e9)[1] + p.getSpaceAfter() for p in parts))

        tallest = max(height(c, w) for c, w in zip(row, self.widths, strict=True))
        return float(tallest) + self.vpad

    def _measure(self) -> list[float]:
        if self.heights is None:
            self.heights = [self._row_height(r) for r in self.rows]
            self.header_height = self._row_height(self.header)
            self.remaining = sum(self.heights[self.first :])
        return self.heights

    def _notes(self) -> tuple[list[int], list[tuple[int, ...]], tuple[int, ...]]:
        if self.noted is None:
            found = [(i, refs_of(row)) for i, row in enumerate(self.rows)]
            noted = [(i, refs) for i, refs in found if refs]
            self.noted = ([i for i, _ in noted], [refs for _, refs in noted], refs_of(self.header))
        return self.noted

    def footnote_refs(self) -> tuple[int, ...]:
        """The notes referenced in the header and the rows from ``first`` on (each page
        asks again, so this costs the notes, not the rows)."""
        rows, refs, header = self._notes()
        return header + tuple(k for r in refs[bisect_left(rows, self.first) :] for k in r)

    def fit_with_notes(self, avail: float, need: Callable[[list[int]], float]) -> float | None:
        """The height to split at for the most whole rows that fit in ``avail`` together
        with ``need`` (the height of the notes of the header and rows so far); ``None``
        when not even one row fits (then an in-row split may)."""
        heights = self._measure()
        rows, refs, header = self._notes()
        used, last, found = self.header_height, self.first, list(header)
        noted = bisect_left(rows, last)
        while last < len(self.rows):
            if noted < len(rows) and rows[noted] == last:
                found += refs[noted]
                noted += 1
            if used + heights[last] + need(found) > avail:
                break
            used += heights[last]
            last += 1
        # split() adds up the same heights in the same order, so it takes these rows
        return used + 1e-6 if last > self.first else None

    def lead_refs(self) -> tuple[int, ...]:
        """The notes of the header and the first row (see :meth:`lead_height`)."""
        return refs_of(self.header) + (refs_of(self.rows[self.first]) if self.rows else ())

    def lead_height(self) -> float:
        """The header row and the first row: what must follow a heading on its page."""
        heights = self._measure()
        first = heights[self.first] if self.first < len(heights) else 0.0
        return self.header_height + first

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._measure()
        self.width = sum(self.widths)
        self.height = self.header_height + self.remaining
        return self.width, self.height

    def _part(self, count: int) -> Table:
        rows = self.rows[self.first : self.first + count]
        return make_table(
            [self.header, *rows], self.widths, self.commands, self.stripes, self.first, self.tag
        )

    def _rest(self, count: int) -> PagedTable:
        heights = self._measure()
        # A fresh flowable, not a copy: ReportLab keeps page-placement state on flowables
        # (_postponed, _frame) that must not carry over to the rest of the table.
        rest = PagedTable(
            self.header, self.rows, self.widths, self.commands, self.stripes, self.vpad, self.hpad
        )
        rest.heights, rest.header_height, rest.noted = heights, self.header_height, self.noted
        rest.tag = self.tag
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
        room = _page_room(self, avail_height)
        row = heights[self.first]
        if self.header_height + row <= room and row <= room / 3:
            return []  # a row is kept whole: it starts the next page
        # A row taller than a third of a page is split here, inside the row, rather than
        # leave most of this page empty (or, taller than a page, not fit at all).
        pieces: list[Flowable] = self._part(1).split(avail_width, avail_height)
        if not pieces:
            return []
        return [*pieces, self._rest(1)] if self.first + 1 < end else pieces

    def draw(self) -> None:
        table = self._part(len(self.rows) - self.first)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


class CellParagraph(TaggedParagraph):
    """A paragraph that remembers its last wrap; its text goes into its cell's element.

    ReportLab's Table wraps each cell to size its rows and again to draw it, and a paged
    table measures rows once more; line breaking is the dominant cost of a long timeline,
    so a repeated wrap at the same width returns the layout already computed.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def __init__(self, text: str, style: ParagraphStyle, **kw: Any) -> None:
        kw.setdefault("tag", None)
        super().__init__(text, style, **kw)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        cached = self._wrapped
        # ReportLab's split() drops the line breaking (blPara) when it moves the paragraph
        # on whole; drawing then needs a fresh wrap.
        if cached is not None and cached[0] == avail_width and hasattr(self, "blPara"):
            return cached[1]
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, size)
        return size


class WholeTable(TaggedTable):
    """A table that moves to the next page whole rather than split, unless it is too tall.

    Used for memo headers; unlike KeepTogether it can still join its heading through
    keepWithNext (ReportLab will not nest containers there).
    """

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        _w, height = self.wrap(avail_width, avail_height)
        if height <= _page_room(self, avail_height) and not getattr(frame, "_atTop", 0):
            return []
        parts: list[Flowable] = super().split(avail_width, avail_height)
        return parts


class Heading(TaggedParagraph):
    """A heading paragraph that knows its outline entry and its table-of-contents line.

    The outline takes plain text; the TOC entry is paragraph markup (ReportLab's
    TableOfContents pastes it into a Paragraph): the escaped heading markup, without
    footnote marks, which would be drawn again on the contents page.
    """

    _fn_lead = True
    """Placed alone, it leaves the page fresh for the footnote layout (see footnotes)."""

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        title: str,
        level: int,
        key: str,
        toc: str,
        role: str = "",
    ) -> None:
        """``role`` is the structure type (``H1``…; default from ``level``)."""
        super().__init__(text, style, tag=role or f"H{level}")
        self.outline = (title, level, key)
        self.toc_markup = toc


class DocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Files each heading in the PDF outline and the table of contents as it is placed."""

    _outline_level = -1
    heading_pages: dict[str, int]
    """Heading anchor → the page it was placed on, in the last layout pass."""

    def beforeDocument(self) -> None:
        self._outline_level = -1
        self.heading_pages = {}

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        title, level, key = outline
        toc_markup = getattr(flowable, "toc_markup", title)
        # PDF outlines cannot skip a level (an h2 before any h1): clamp to one below the last.
        depth = min(level - 1, self._outline_level + 1)
        self._outline_level = depth
        self.heading_pages[key] = self.page
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=depth, closed=False)
        self.notify("TOCEntry", (depth, toc_markup, self.page, key))


class NotedDocTemplate(FootnoteDocMixin, DocTemplate):
    """The memo's template for a document with footnotes (see :mod:`.footnotes`)."""


class Contents(TableOfContents):  # type: ignore[misc]
    """A table of contents tagged TOC > TOCI, each entry's words and its page number a Link
    to the heading, the dot leaders an artifact.

    ReportLab's own draws the leaders and the number as one string, and links the number
    outside any element; this draws them as two strings at the same places. ReportLab
    internals used: ``_lastEntries``, ``getLevelStyle``, ``tableStyle``, ``dotsMinLevel``,
    ``canv._curr_tx_info`` (what an onDraw callback sees).
    """

    CALLBACK = "contents_page"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        entries = self._lastEntries or [(0, "Placeholder for table of contents", 0, None)]
        self.canv.setNamedCB(self.CALLBACK, self._page_number)
        self._width = avail_width
        self._shown = entries
        data: list[list[Any]] = []
        blank: list[int] = []
        for i, (level, text, _page, key) in enumerate(entries):
            style = self.getLevelStyle(level)
            if key:
                text = link_markup(f"#{key}", text)
            if style.spaceBefore:
                blank.append(len(data))
                data.append([Spacer(1, style.spaceBefore)])
            mark = f'<onDraw name="{self.CALLBACK}" label="{i}"/>'
            data.append([TaggedParagraph(text + mark, style, tag=None)])
        roles = TableRoles("TOC", "TOCI", None, header_rows=0)
        table = TaggedTable(data, colWidths=(avail_width,), style=self.tableStyle, roles=roles)
        table._tag_blank = frozenset(blank)
        self._table = table
        self.width, self.height = table.wrapOn(self.canv, avail_width, avail_height)
        return self.width, self.height

    def _page_number(self, canv: Any, kind: str, label: str) -> None:
        level, _text, page, key = self._shown[int(label)]
        style = self.getLevelStyle(level)
        x, y = canv._curr_tx_info["cur_x"], canv._curr_tx_info["cur_y"]
        number, font, size = str(page), style.fontName, style.fontSize
        number_w = stringWidth(number, font, size)
        while number_w > self._width - x and size >= 1.0:  # as ReportLab shrinks it
            size *= 0.9
            number_w = stringWidth(number, font, size)
        at = self._width - number_w

        def show(text: str, left: float) -> None:
            tx = canv.beginText(left, y)
            tx.setFont(font, size)
            tx.setFillColor(style.textColor)
            tx.textLine(text)
            canv.drawText(tx)

        if self.dotsMinLevel >= 0 and level >= self.dotsMinLevel:
            dot = " . "
            dot_w = stringWidth(dot, font, size)
            count = int((self._width - x - number_w) / dot_w)
            if count > 0:
                with artifact(canv, "Layout"):
                    show(dot * count, at - count * dot_w)
        tg = tagger_of(canv) if key else None
        if tg is not None:
            tg.push_inline(Tag("Link", href=f"#{key}"))
        show(number, at)
        if key:
            canv.linkRect("", key, (at, y, at + number_w, y + style.leading), relative=1)
        if tg is not None:
            tg.pop_inline()


class CheckBox(Flowable):  # type: ignore[misc]
    """An empty square to tick, drawn as a path: no font need have a ballot-box glyph."""

    def __init__(self, size: float, color: Any) -> None:
        super().__init__()
        self.size = size
        self.color = color

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        # the option's words say what it is; the square is a place to tick
        with artifact(self.canv, "Layout"):
            self.canv.setStrokeColor(self.color)
            self.canv.setLineWidth(0.8)
            self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class ChangeBar:
    """Mixed into a paragraph class: a bar in the left margin beside the paragraph, the
    way redlines mark lines that changed. ``bar_x`` is the bar's distance from the page's
    left edge (set on the class made for a writer)."""

    bar_x: float = 0.0
    bar_color: str = "#000000"

    def draw(self) -> None:
        super().draw()  # type: ignore[misc]
        canv = self.canv  # type: ignore[attr-defined]
        x0, _y0 = canv.absolutePosition(0, 0)
        with artifact(canv, "Layout"):  # a mark for the eye, not content (PDF/UA)
            canv.saveState()
            canv.setStrokeColor(colors.HexColor(self.bar_color))
            canv.setLineWidth(1.5)
            x = self.bar_x - x0
            canv.line(x, 0, x, self.height)  # type: ignore[attr-defined]
            canv.restoreState()


_BARRED: dict[tuple[type, float], type] = {}


def with_change_bar(cls: type[Paragraph], bar_x: float) -> type[Paragraph]:
    """``cls`` drawing a change bar ``bar_x`` points from the page's left edge."""
    key = (cls, bar_x)
    if key not in _BARRED:
        _BARRED[key] = type(f"Changed{cls.__name__}", (ChangeBar, cls), {"bar_x": bar_x})
    return _BARRED[key]
