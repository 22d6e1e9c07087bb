"""Charts as vector drawings: ReportLab's own chart widgets, in the house style's colours
and fonts, every label text the PDF can search and a screen reader could read.

Labels a body font lacks glyphs for (Hangul) are set in the fallback font that has them,
label by label, since a drawing's string takes one font. Titles, category labels and
legend entries are wrapped at spaces, as Korean wraps, never inside a word that fits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.doughnut import Doughnut
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isNumber, isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from ... import document as d
from ...charts import format_number
from ...fonts import text_width
from ...layout import chart_height, wrap
from ...style import HouseStyle
from .text import Scripts

if TYPE_CHECKING:
    from ..timeline import Label

_LINE = 1.25
"""Line height as a multiple of the font size."""
_PAD = 4.0


class ChartDrawing(Drawing):  # type: ignore[misc]
    """A chart's drawing, carrying its text alternative (for a tagged PDF's Figure)."""

    _attrMap = AttrMap(
        BASE=Drawing,
        alt=AttrMapValue(isString, desc="text alternative"),
        keepWithNext=AttrMapValue(isNumber, desc="keep with the caption that follows"),
        # the font a renderer starts with: ReportLab's default would name Helvetica in the
        # PDF, unembedded, even though no label uses it
        initialFontName=AttrMapValue(isString, desc="font the drawing starts with"),
        initialFontSize=AttrMapValue(isNumber, desc="size the drawing starts with"),
    )

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Drawn as one Figure whose text alternative is the chart's alt text."""
        from .tagging import Tag, tagger_of

        tg = tagger_of(canvas)
        if tg is None:
            super().drawOn(canvas, x, y, _sW)
            return
        with tg.block(Tag("Figure", alt=self.alt or "Chart")) as elem:
            if elem is not None:
                x0 = self._hAlignAdjust(x, _sW)
                elem.bbox = (x0, y, x0 + self.width, y + self.height)
            super().drawOn(canvas, x, y, _sW)


class ChartPainter:
    """Draws :class:`~reports.document.Chart` nodes in one house style."""

    def __init__(self, hs: HouseStyle, scripts: Scripts) -> None:
        self.hs = hs
        self.look = hs.chart
        self.scripts = scripts
        body = hs.style("body")
        self.font_key = body.font
        self.text_color = colors.HexColor(body.color)
        self.muted = colors.HexColor(hs.color("muted")) if "muted" in hs.colors else self.text_color
        self.grid = colors.HexColor(self.look.grid)

    # ------------------------------------------------------------------ text

    def font(self, text: str, bold: bool = False) -> str:
        """The registered font that draws all of ``text``: the body's, or a fallback."""
        return self.scripts.font_for(text, self.font_key, "bold" if bold else "regular")

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        """``text`` in lines at most ``width`` wide, broken at spaces (a word wider than
        a line is broken where it must be)."""
        font = self.font(text, bold)
        return wrap(text, width, lambda line: float(stringWidth(line, font, size)))

    def string(
        self, x: float, y: float, text: str, size: float, *, bold: bool = False,
        anchor: str = "start", color: colors.Color | None = None,
    ) -> String:  # fmt: skip
        return String(
            x, y, text, fontName=self.font(text, bold), fontSize=size,
            fillColor=color or self.text_color, textAnchor=anchor,
        )  # fmt: skip

    # ------------------------------------------------------------------ drawing

    def draw(self, chart: d.Chart, width: float, max_height: float) -> ChartDrawing:
        """The chart as a drawing ``width`` points wide (at most ``max_height`` tall)."""
        look = self.look
        size = look.font_size
        title = self.wrap(chart.title, look.title_size, width, bold=True) if chart.title else []
        title_h = len(title) * look.title_size * _LINE + (_PAD if title else 0)
        body_h = chart_height(chart, width, look.aspect, max_height - title_h, size)
        drawing = ChartDrawing(width, body_h + title_h)
        drawing.alt = chart.alt
        drawing.initialFontName = self.font("0")
        drawing.initialFontSize = size
        y = body_h + title_h
        for line in title:
            y -= look.title_size * _LINE
            drawing.add(
                self.string(0, y + look.title_size * 0.25, line, look.title_size, bold=True)
            )
        if chart.round:
            self.round(drawing, chart, width, body_h)
        else:
            self.axes(drawing, chart, width, body_h)
        return drawing

    def formatter(self, chart: d.Chart) -> Callable[[float], str]:
        def fmt(value: float) -> str:
            return format_number(value, chart.number_format, chart.decimal_mark, chart.group_mark)

        return fmt

    def tick_formatter(self, chart: d.Chart) -> Callable[[float], str]:
        """Axis ticks: the chart's format, with the decimals a tick step needs."""
        places = 0  # a tick is written with the decimals its value needs, not the data's
        grouped = chart.number_format.startswith("#,##")

        def fmt(value: float) -> str:
            need = places
            while need < 3 and abs(value * 10**need - round(value * 10**need)) > 1e-6:
                need += 1
            pattern = ("#,##0" if grouped else "0") + ("." + "0" * need if need else "")
            return format_number(value, pattern, chart.decimal_mark, chart.group_mark)

        return fmt

    def legend(
        self, entries: list[tuple[colors.Color, str]], x: float, y: float, width: float
    ) -> tuple[Group, float]:
        """Legend entries (a swatch and a name) flowing in rows from (x, y) down, within
        ``width``; returns the group and its height."""
        size = self.look.font_size
        row_h = size * 1.6
        swatch = size * 0.9
        group = Group()
        cx, cy = x, y - row_h
        for color, name in entries:
            text_w = min(stringWidth(name, self.font(name), size), width - swatch - 4)
            item_w = swatch + 4 + text_w + size * 1.5
            if cx > x and cx + item_w > x + width:
                cx, cy = x, cy - row_h
            group.add(Rect(cx, cy + size * 0.05, swatch, swatch, fillColor=color, strokeColor=None))
            shown = self.wrap(name, size, width - swatch - 4)[0]
            group.add(self.string(cx + swatch + 4, cy + size * 0.1, shown, size))
            cx += item_w
        return group, y - cy

    def legend_height(self, names: list[str], width: float) -> float:
        _group, height = self.legend([(colors.black, n) for n in names], 0, 0, width)
        return height

    # ------------------------------------------------------------------ bars and lines

    def axes(self, drawing: Drawing, chart: d.Chart, width: float, height: float) -> None:
        look = self.look
        size = look.font_size
        series = [list(s.values) for s in chart.series]
        names = [s.name for s in chart.series]
        ticks = self.tick_formatter(chart)
        values = [v for s in series for v in s]
        low = min(0.0, *values)
        high = max(0.0, *values)
        if chart.stacked:
            low = min(0.0, *(sum(v for v in col if v < 0) for col in zip(*series, strict=True)))
            high = max(0.0, *(sum(v for v in col if v > 0) for col in zip(*series, strict=True)))
        widest_tick = max(stringWidth(ticks(v), self.font(ticks(v)), size) for v in (low, high))
        widest_tick += stringWidth("0.0", self.font("0"), size)  # ticks may add a digit
        top = height
        if chart.units:
            top -= size * _LINE + 2
            drawing.add(self.string(0, top + 2, chart.units, size, color=self.muted))
        legend_h = self.legend_height(names, width) if len(names) > 1 else 0.0
        label_room = 0.0
        if chart.data_labels:
            label_room = max(stringWidth(ticks(v), self.font("0"), size) for v in values) + 4
        n = len(chart.categories)
        if chart.horizontal:
            widest = max(self.label_width(c, size) for c in chart.categories)
            plot_x = min(width * 0.32, widest) + 6
            plot_y = legend_h + size * _LINE + 4
            plot_w = width - plot_x - max(label_room, widest_tick / 2) - 2
            plot_h = top - plot_y - 4
            bars = HorizontalBarChart()
            bars.categoryAxis.reverseDirection = 1  # the first category at the top
            bars.reversePlotOrder = 1  # and the first series at the top of its group
            lines = [self.wrap(c, size, plot_x - 6) for c in chart.categories]
        else:
            plot_x = widest_tick + 4
            slot = (width - plot_x) / n
            lines = [self.wrap(c, size, slot - 2) for c in chart.categories]
            label_h = max(len(ls) for ls in lines) * size * 1.15 + 4
            plot_y = legend_h + label_h + 2
            plot_w = width - plot_x - 4
            plot_h = top - plot_y - (size + 4 if chart.data_labels else 4)
            bars = HorizontalLineChart() if chart.kind == "line" else VerticalBarChart()
        plot = bars
        # a narrow chart with long labels still keeps room to plot in (ReportLab divides
        # by the axis length)
        plot.x, plot.y, plot.width, plot.height = plot_x, plot_y, max(plot_w, 20), max(plot_h, 20)
        plot.data = series
        cat = plot.categoryAxis
        cat.categoryNames = ["\n".join(ls) for ls in lines]
        cat.strokeColor = self.grid
        cat.strokeWidth = 0.5
        cat.visibleTicks = 0
        cat.labels.fontSize = size
        cat.labels.fillColor = self.text_color
        cat.labels.leading = size * 1.15
        for i, name in enumerate(chart.categories):
            cat.labels[i].fontName = self.font(name)
        if chart.horizontal:
            cat.labels.boxAnchor = "e"
            cat.labels.textAnchor = "end"
            cat.labels.dx = -4
        else:
            cat.labels.boxAnchor = "n"
            cat.labels.dy = -3
        val = plot.valueAxis
        val.labelTextFormat = ticks
        val.labels.fontName = self.font("0123456789")
        val.labels.fontSize = size
        val.labels.fillColor = self.muted
        val.strokeColor = None
        val.visibleAxis = 0
        val.visibleTicks = 0
        val.visibleGrid = 1
        val.gridStrokeColor = self.grid
        val.gridStrokeWidth = 0.4
        val.forceZero = 1
        val.maximumTicks = 7
        val.rangeRound = "both"  # the axis ends on a tick, past the longest bar
        if chart.stacked:
            cat.style = "stacked"
        palette = [colors.HexColor(self.look.color(i)) for i in range(len(series))]
        if isinstance(plot, HorizontalLineChart):
            plot.joinedLines = 1
            val.forceZero = 0 if min(values) > 0 else 1
            for i, color in enumerate(palette):
                plot.lines[i].strokeColor = color
                plot.lines[i].strokeWidth = 1.75
                marker = makeMarker("FilledCircle")
                marker.size = 4
                marker.fillColor = color
                marker.strokeColor = color
                plot.lines[i].symbol = marker
            if chart.data_labels:
                plot.lineLabelFormat = self.formatter(chart)
                plot.lineLabels.fontName = self.font("0123456789")
                plot.lineLabels.fontSize = size
                plot.lineLabels.fillColor = self.text_color
                plot.lineLabels.dy = size * 0.8
        else:
            plot.bars.strokeColor = None
            for i, color in enumerate(palette):
                plot.bars[i].fillColor = color
            plot.barSpacing = 1 if len(series) > 1 and not chart.stacked else 0
            plot.groupSpacing = max(
                4.0, min(24.0, (plot_h if chart.horizontal else plot_w) / n * 0.3)
            )
            plot.barWidth = 10  # relative: the spacings above set the gaps
            if chart.data_labels:
                plot.barLabelFormat = self.formatter(chart)
                labels = plot.barLabels
                labels.fontName = self.font("0123456789")
                labels.fontSize = size
                labels.fillColor = self.text_color
                if chart.stacked:  # inside their segment, in white
                    labels.fillColor = colors.white
                    labels.boxAnchor = "c"
                elif chart.horizontal:
                    labels.boxAnchor = "w"
                    labels.dx = 3
                else:
                    labels.boxAnchor = "s"
                    labels.dy = 2
        drawing.add(plot)
        if len(names) > 1:
            group, _h = self.legend(
                list(zip(palette, names, strict=True)), plot_x, legend_h, width - plot_x
            )
            drawing.add(group)

    def label_width(self, text: str, size: float) -> float:
        """How wide ``text`` is on one line, in points."""
        return float(stringWidth(text, self.font(text), size))

    # ------------------------------------------------------------------ pies

    def round(self, drawing: Drawing, chart: d.Chart, width: float, height: float) -> None:
        size = self.look.font_size
        values = list(chart.series[0].values)
        fmt = self.formatter(chart)
        diameter = min(height - 8, width * 0.45)
        pie = Doughnut() if chart.kind == "doughnut" else Pie()
        pie.x, pie.y = 4, (height - diameter) / 2
        pie.width = pie.height = diameter
        pie.data = values
        pie.labels = None
        pie.startAngle = 90
        pie.direction = "clockwise"
        pie.slices.strokeColor = colors.white
        pie.slices.strokeWidth = 1
        if isinstance(pie, Doughnut):
            pie.innerRadiusFraction = 0.5
        for i in range(len(values)):
            pie.slices[i].fillColor = colors.HexColor(self.look.color(i))
        drawing.add(pie)
        entries = []
        for i, (name, value) in enumerate(zip(chart.categories, values, strict=True)):
            text = name
            if chart.data_labels:
                text = f"{name}  {fmt(value)}{' ' + chart.units if chart.units else ''}"
            entries.append((colors.HexColor(self.look.color(i)), text))
        x = diameter + 20
        room = width - x
        rows_h = len(entries) * size * 1.6
        top = min(height, height / 2 + rows_h / 2)
        for i, (color, text) in enumerate(entries):
            y = top - (i + 1) * size * 1.6
            drawing.add(
                Rect(x, y + size * 0.05, size * 0.9, size * 0.9, fillColor=color, strokeColor=None)
            )
            shown = self.wrap(text, size, room - size - 4)[0]
            drawing.add(self.string(x + size * 0.9 + 4, y + size * 0.1, shown, size))

    # ------------------------------------------------------------------ timelines

    def timeline(self, chart: d.TimelineChart, width: float, max_height: float) -> ChartDrawing:
        """A timeline chart as a drawing ``width`` points wide (see
        :mod:`reports.writers.timeline`, which places every shape)."""
        from .. import timeline as tl

        def measure(text: str, size: float, bold: bool) -> float:
            return text_width(self.hs, self.font_key, text, size, bold)

        muted = self.hs.color("muted") if "muted" in self.hs.colors else self.hs.style("body").color
        plan = tl.layout(
            chart, width, max_height, self.look, measure,
            text_color=self.hs.style("body").color, muted=muted,
        )  # fmt: skip
        drawing = ChartDrawing(width, plan.height)
        drawing.alt = chart.alt
        drawing.initialFontName = self.font("0")
        drawing.initialFontSize = self.look.font_size
        top = plan.height  # the plan's y runs down from the top; the drawing's runs up
        for shape in plan.shapes:
            if isinstance(shape, tl.Rect):
                drawing.add(
                    Rect(
                        shape.x, top - shape.y - shape.height, shape.width, shape.height,
                        fillColor=colors.HexColor(shape.color), strokeColor=None,
                    )
                )  # fmt: skip
            elif isinstance(shape, tl.Rule):
                drawing.add(
                    Line(
                        shape.x1, top - shape.y1, shape.x2, top - shape.y2,
                        strokeColor=colors.HexColor(shape.color), strokeWidth=shape.width,
                    )
                )  # fmt: skip
            elif isinstance(shape, tl.Dot):
                drawing.add(
                    Circle(
                        shape.x, top - shape.y, shape.radius,
                        fillColor=colors.HexColor(shape.color), strokeColor=colors.white,
                        strokeWidth=1,
                    )
                )  # fmt: skip
            else:
                self.label(drawing, shape, top)
        return drawing

    def label(self, drawing: Drawing, label: Label, top: float) -> None:
        """A label's lines, each a string the PDF keeps as text."""
        x, anchor = {
            "left": (label.x, "start"),
            "right": (label.x + label.width, "end"),
            "center": (label.x + label.width / 2, "middle"),
        }[label.align]
        for i, line in enumerate(label.lines):
            # the baseline sits a little below the middle of the line's box
            baseline = label.y + i * label.leading + (label.leading + label.size * 0.7) / 2
            drawing.add(
                self.string(
                    x, top - baseline, line.text, label.size, bold=line.bold, anchor=anchor,
                    color=colors.HexColor(line.color),
                )
            )  # fmt: skip
