"""Page furniture: handling marking, running title, draft watermark and "Page N of M".

"Page N of M" needs the page count before any page is finished, so the canvas keeps each
page's state and draws the footers when the document is saved. ReportLab internals used
here (pinned by the ``reportlab`` version range in ``pyproject.toml``): the canvas's
``_startPage`` and ``__dict__`` (ReportLab's own "Page N of M" recipe), and the PDF
document's ``_timeStamp``, which ReportLab offers no other way to set, and its
``pageCounter``, by which bookmarks name their page.
"""

from __future__ import annotations

import datetime as _dt
import time
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import BaseDocTemplate

from ... import document as d
from ...fonts import coverage, font_name, needs_glyph
from ...layout import MM, page_label
from ...style import ParaStyle
from .tagging import TaggingCanvas, artifact
from .text import style_font, variant

if TYPE_CHECKING:
    from . import PdfWriter


def _timestamp(when: _dt.datetime) -> TimeStamp:
    """ReportLab's TimeStamp for ``when`` (UTC), so the PDF's dates come from the build input."""
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


class Furniture:
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
        hs = self.w.hs
        own = style_font(hs, ps)
        if text.isascii():
            return own
        needed = {ord(c) for c in text if needs_glyph(c)}
        if needed <= coverage(hs, ps.font):
            return own
        _ = self.w.scripts.fallback  # registers the fallback fonts
        for key in (ps.font, *hs.fallback):
            if needed <= coverage(hs, key):
                return font_name(hs, key, variant(ps.bold, ps.italic))
        return own

    def page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw what comes under the page's content: header and marking."""
        hs = self.w.hs
        page_w, page_h = hs.page_size
        if doc.page == 1:
            canv.showOutline()  # open the bookmarks panel when the PDF is opened
        canv.saveState()
        if self.meta.marking:
            canv.setFillColor(colors.HexColor(self.marking.color))
            canv.setFont(self.font_for(self.meta.marking, self.marking), self.marking.size)
            with artifact(canv, "Pagination", "Header"):
                canv.drawCentredString(page_w / 2, page_h - 11 * MM, self.meta.marking)
            with artifact(canv, "Pagination", "Footer"):
                canv.drawCentredString(page_w / 2, 8 * MM, self.meta.marking)
        show_running = doc.page > 1 or hs.first_page_furniture
        if show_running and self.meta.running_title:
            with artifact(canv, "Pagination", "Header"):
                self._running_title(canv)
        canv.restoreState()

    def _running_title(self, canv: Canvas) -> None:
        """The short title and the date over a rule, at the head of the page."""
        hs = self.w.hs
        page_w, page_h = hs.page_size
        top, right, _bottom, left = hs.margins
        canv.setFillColor(self.muted)
        font = self.font_for(self.meta.running_title, self.header)
        canv.setFont(font, self.header.size)
        y = page_h - top + 6 * MM
        date = self.meta.date_label
        room = page_w - left - right - canv.stringWidth(date + "    ", font, self.header.size)
        canv.drawString(left, y, _fit(self.meta.running_title, font, self.header.size, room))
        if date:
            canv.drawRightString(page_w - right, y, date)
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.5)
        canv.line(left, y - 2.5 * MM, page_w - right, y - 2.5 * MM)

    def canvas_class(self) -> type[TaggingCanvas]:
        """A canvas class that draws this document's footers once the page count is known."""
        furniture = self

        class _Canvas(TaggingCanvas):
            """Defers each page until the page count is known, for 'Page N of M'."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict[str, Any]] = []
                if furniture.meta.timestamp is not None:
                    self._doc._timeStamp = _timestamp(furniture.meta.timestamp)

            def showPage(self) -> None:
                self._pages.append(dict(self.__dict__))
                # Bookmarks (outline, TOC links) name their page by this counter when
                # they are set, during layout; the real showPage runs only at save().
                self._doc.pageCounter += 1
                self._startPage()

            def save(self) -> None:
                self._doc.pageCounter = 1  # replaying the pages numbers them from 1 again
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    with artifact(self, "Pagination", "Footer"):
                        furniture.footer(self, total)
                    super().showPage()
                super().save()

        return _Canvas

    def footer(self, canv: Canvas, total: int) -> None:
        """Draw what comes over the page's content: watermark, rule, page number."""
        hs = self.w.hs
        page_w, page_h = hs.page_size
        _top, right, _bottom, left = hs.margins
        canv.saveState()
        if self.meta.draft:
            # Drawn over the content, translucent, so table shading cannot hide it.
            wm = hs.style("draft")
            canv.saveState()
            canv.setFillColor(colors.HexColor(wm.color), alpha=0.35)
            canv.setFont(self.font_for(self.meta.draft_label, wm), wm.size)
            canv.translate(page_w / 2, page_h / 2)
            canv.rotate(45)
            canv.drawCentredString(0, -wm.size / 3, self.meta.draft_label)
            canv.restoreState()
        y = 14 * MM
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.5)
        canv.line(left, y + 3.5 * MM, page_w - right, y + 3.5 * MM)
        canv.setFillColor(self.muted)
        footer = hs.style("footer")
        label = page_label(self.meta.page_label, canv.getPageNumber(), total)
        canv.setFont(self.font_for(label, footer), footer.size)
        canv.drawRightString(page_w - right, y, label)
        canv.restoreState()
