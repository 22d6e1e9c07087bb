"""Charts as native Word charts: a DrawingML chart part (``c:chartSpace``) with its data
in an embedded workbook, so Word's and LibreOffice's "Edit data" open the fact base's
numbers, and a colleague can correct one and see the chart follow.

Renderers draw from the values cached in the chart part (``c:strCache``, ``c:numCache``),
not from the workbook, so both hold the same numbers. The workbook is written by
XlsxWriter with fixed metadata (its zip entries already have fixed times), so builds stay
byte for byte reproducible. Colours and fonts come from the house style.
"""

from __future__ import annotations

import datetime as _dt
import io
from typing import Any

from lxml import etree

from ... import document as d
from ...style import HouseStyle
from . import ooxml as x

CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
SHEET = "Sheet1"
"""The worksheet holding the data (the name Word gives the one it makes)."""
_AXIS_IDS = ("50010001", "50010002")
"""Ids pairing the category and value axes with the plot (any two numbers do)."""


def workbook(chart: d.Chart, created: _dt.datetime) -> bytes:
    """The chart's data as an .xlsx workbook: categories down column A, one column per
    series with its name in row 1, as Word lays out a chart's data."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    # the creation time is written into the workbook: fixed, for reproducible bytes
    book.set_properties({"created": created, "author": "reports"})
    sheet = book.add_worksheet(SHEET)
    numbers = book.add_format({"num_format": chart.number_format})
    sheet.set_column(0, 0, min(60, max(10, *(len(c) + 2 for c in chart.categories))))
    for j, series in enumerate(chart.series, 1):
        sheet.write_string(0, j, series.name)
        sheet.set_column(j, j, min(40, max(10, len(series.name) + 2)))
        for i, value in enumerate(series.values, 1):
            sheet.write_number(i, j, value, numbers)
    for i, category in enumerate(chart.categories, 1):
        sheet.write_string(i, 0, category)
    book.close()
    return buf.getvalue()


def _cell(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True))


def _ref(first: tuple[int, int], last: tuple[int, int] | None = None) -> str:
    span = _cell(*first) + (f":{_cell(*last)}" if last is not None else "")
    return f"{SHEET}!{span}"


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


class ChartXml:
    """The chart part of one chart, in one house style."""

    def __init__(self, chart: d.Chart, hs: HouseStyle, lang: str) -> None:
        self.chart = chart
        self.hs = hs
        self.look = hs.chart
        self.lang = lang
        body = hs.style("body")
        self.font = hs.fonts[body.font].docx_name
        self.east_asian = hs.fonts[hs.east_asian].docx_name if hs.east_asian else self.font
        self.text_color = _hex(body.color)
        self.muted = _hex(hs.colors.get("muted", body.color))

    # ------------------------------------------------------------------ text

    def run_props(
        self, tag: str, size: float, *, bold: bool = False, color: str | None = None
    ) -> Any:
        """``a:defRPr`` or ``a:rPr``: size, weight, colour and the fonts (Latin and East
        Asian, so Hangul takes the house style's Korean font)."""
        props = x.E(tag, {"lang": self.lang, "sz": round(size * 100), "b": int(bold)})
        if tag == "a:defRPr":
            del props.attrib["lang"]
        props.append(_fill(color or self.text_color))
        props.append(x.E("a:latin", {"typeface": self.font}))
        props.append(x.E("a:ea", {"typeface": self.east_asian}))
        props.append(x.E("a:cs", {"typeface": self.font}))
        return props

    def text_props(
        self, size: float, *, bold: bool = False, color: str | None = None, rotate: bool = False
    ) -> Any:
        """``c:txPr``: how the labels of an axis, the legend or data labels are set."""
        body = x.E("a:bodyPr", {"rot": -5400000, "vert": "horz"} if rotate else None)
        paragraph = x.E(
            "a:p",
            None,
            x.E("a:pPr", None, self.run_props("a:defRPr", size, bold=bold, color=color)),
            x.E("a:endParaRPr", {"lang": self.lang}),
        )
        return x.E("c:txPr", None, body, x.E("a:lstStyle"), paragraph)

    def title(self, text: str, size: float, *, bold: bool, rotate: bool = False) -> Any:
        """``c:title`` holding ``text`` (the chart's title, or an axis's)."""
        body = x.E("a:bodyPr", {"rot": -5400000, "vert": "horz"} if rotate else None)
        paragraph = x.E(
            "a:p",
            None,
            x.E("a:pPr", None, self.run_props("a:defRPr", size, bold=bold)),
            x.E(
                "a:r",
                None,
                self.run_props("a:rPr", size, bold=bold),
                x.E("a:t", text=text),
            ),
        )
        rich = x.E("c:rich", None, body, x.E("a:lstStyle"), paragraph)
        return x.E("c:title", None, x.E("c:tx", None, rich), _val("c:overlay", 0))

    # ------------------------------------------------------------------ data

    def series_xml(self, index: int, series: d.Series) -> Any:
        chart = self.chart
        count = len(chart.categories)
        ser = x.E("c:ser", None, _val("c:idx", index), _val("c:order", index))
        name_cache = x.E("c:strCache", None, _val("c:ptCount", 1), _pt(0, series.name))
        ser.append(
            x.E(
                "c:tx",
                None,
                x.E("c:strRef", None, x.E("c:f", text=_ref((0, index + 1))), name_cache),
            )
        )
        color = self.look.color(index)
        if chart.kind == "line":
            line = x.E("a:ln", {"w": 22225, "cap": "rnd"}, _fill(_hex(color)), x.E("a:round"))
            ser.append(x.E("c:spPr", None, line))
            marker = x.E(
                "c:marker",
                None,
                _val("c:symbol", "circle"),
                _val("c:size", 5),
                x.E("c:spPr", None, _fill(_hex(color)), x.E("a:ln", None, _fill(_hex(color)))),
            )
            ser.append(marker)
        elif chart.round:
            ser.append(x.E("c:spPr", None, x.E("a:ln", {"w": 12700}, _fill("FFFFFF"))))
            for i in range(count):  # each slice its own colour
                ser.append(
                    x.E(
                        "c:dPt",
                        None,
                        _val("c:idx", i),
                        _val("c:bubble3D", 0),
                        x.E(
                            "c:spPr",
                            None,
                            _fill(_hex(self.look.color(i))),
                            x.E("a:ln", {"w": 12700}, _fill("FFFFFF")),
                        ),
                    )
                )
        else:
            ser.append(x.E("c:spPr", None, _fill(_hex(color)), x.E("a:ln", None, x.E("a:noFill"))))
            ser.append(_val("c:invertIfNegative", 0))
        if chart.data_labels:
            ser.append(self.data_labels())
        categories = x.E("c:strCache", None, _val("c:ptCount", count))
        categories.extend(_pt(i, c) for i, c in enumerate(chart.categories))
        ser.append(
            x.E(
                "c:cat",
                None,
                x.E("c:strRef", None, x.E("c:f", text=_ref((1, 0), (count, 0))), categories),
            )
        )
        values = x.E(
            "c:numCache",
            None,
            x.E("c:formatCode", text=chart.number_format),
            _val("c:ptCount", count),
        )
        values.extend(_pt(i, repr(v)) for i, v in enumerate(series.values))
        column = index + 1
        ser.append(
            x.E(
                "c:val",
                None,
                x.E(
                    "c:numRef",
                    None,
                    x.E("c:f", text=_ref((1, column), (count, column))),
                    values,
                ),
            )
        )
        if chart.kind == "line":
            ser.append(_val("c:smooth", 0))
        return ser

    def data_labels(self) -> Any:
        chart = self.chart
        white = chart.stacked
        position = (
            "ctr" if chart.stacked else
            "t" if chart.kind == "line" else
            "bestFit" if chart.round else "outEnd"
        )  # fmt: skip
        return x.E(
            "c:dLbls",
            None,
            x.E("c:numFmt", {"formatCode": chart.number_format, "sourceLinked": 0}),
            x.E("c:spPr", None, x.E("a:noFill"), x.E("a:ln", None, x.E("a:noFill"))),
            self.text_props(self.look.font_size, color="FFFFFF" if white else None),
            _val("c:dLblPos", position),
            _val("c:showLegendKey", 0),
            _val("c:showVal", 1),
            _val("c:showCatName", 0),
            _val("c:showSerName", 0),
            _val("c:showPercent", 0),
            _val("c:showBubbleSize", 0),
        )

    # ------------------------------------------------------------------ plot

    def plot(self) -> Any:
        chart = self.chart
        series = [self.series_xml(i, s) for i, s in enumerate(chart.series)]
        if chart.round:
            tag = "c:doughnutChart" if chart.kind == "doughnut" else "c:pieChart"
            group = x.E(tag, None, _val("c:varyColors", 1), *series, _val("c:firstSliceAng", 0))
            if chart.kind == "doughnut":
                group.append(_val("c:holeSize", 50))
            return x.E("c:plotArea", None, x.E("c:layout"), group)
        axes = [_val("c:axId", _AXIS_IDS[0]), _val("c:axId", _AXIS_IDS[1])]
        if chart.kind == "line":
            group = x.E(
                "c:lineChart",
                None,
                _val("c:grouping", "standard"),
                _val("c:varyColors", 0),
                *series,
                _val("c:marker", 1),
                *axes,
            )
        else:
            group = x.E(
                "c:barChart",
                None,
                _val("c:barDir", "bar" if chart.horizontal else "col"),
                _val("c:grouping", "stacked" if chart.stacked else "clustered"),
                _val("c:varyColors", 0),
                *series,
                _val("c:gapWidth", 60),
            )
            group.append(_val("c:overlap", 100 if chart.stacked else -5))
            group.extend(axes)
        return x.E(
            "c:plotArea", None, x.E("c:layout"), group, self.category_axis(), self.value_axis()
        )

    def axis_line(self) -> Any:
        return x.E(
            "c:spPr", None, x.E("a:noFill"), x.E("a:ln", {"w": 6350}, _fill(_hex(self.look.grid)))
        )

    def category_axis(self) -> Any:
        chart = self.chart
        # bars: the first category at the top, as the PDF and a reader's eye have it
        orientation = "maxMin" if chart.horizontal else "minMax"
        return x.E(
            "c:catAx",
            None,
            _val("c:axId", _AXIS_IDS[0]),
            x.E("c:scaling", None, _val("c:orientation", orientation)),
            _val("c:delete", 0),
            _val("c:axPos", "l" if chart.horizontal else "b"),
            x.E("c:numFmt", {"formatCode": "General", "sourceLinked": 1}),
            _val("c:majorTickMark", "none"),
            _val("c:minorTickMark", "none"),
            _val("c:tickLblPos", "low"),
            self.axis_line(),
            self.text_props(self.look.font_size),
            _val("c:crossAx", _AXIS_IDS[1]),
            _val("c:crosses", "autoZero"),
            _val("c:auto", 1),
            _val("c:lblAlgn", "ctr"),
            _val("c:lblOffset", 100),
            _val("c:noMultiLvlLbl", 0),
        )

    def value_scaling(self) -> Any:
        """Bars start at zero (LibreOffice would start near the shortest bar); a line's
        axis is left to the application, as the PDF leaves it."""
        scaling = x.E("c:scaling", None, _val("c:orientation", "minMax"))
        values = [v for s in self.chart.series for v in s.values]
        if self.chart.kind != "line" and min(values) >= 0:
            scaling.append(_val("c:min", 0))
        return scaling

    def value_axis(self) -> Any:
        chart = self.chart
        axis = x.E(
            "c:valAx",
            None,
            _val("c:axId", _AXIS_IDS[1]),
            self.value_scaling(),
            _val("c:delete", 0),
            _val("c:axPos", "b" if chart.horizontal else "l"),
            x.E(
                "c:majorGridlines",
                None,
                x.E("c:spPr", None, x.E("a:ln", {"w": 6350}, _fill(_hex(self.look.grid)))),
            ),
        )
        if chart.units:
            axis.append(
                self.title(
                    chart.units, self.look.font_size, bold=False, rotate=not chart.horizontal
                )
            )
        axis.extend(
            [
                x.E("c:numFmt", {"formatCode": _axis_format(chart), "sourceLinked": 0}),
                _val("c:majorTickMark", "none"),
                _val("c:minorTickMark", "none"),
                _val("c:tickLblPos", "nextTo"),
                x.E("c:spPr", None, x.E("a:noFill"), x.E("a:ln", None, x.E("a:noFill"))),
                self.text_props(self.look.font_size, color=self.muted),
                _val("c:crossAx", _AXIS_IDS[0]),
                # with the categories top to bottom, the value axis stays at the bottom
                _val("c:crosses", "max" if chart.horizontal else "autoZero"),
                _val("c:crossBetween", "between"),
            ]
        )
        return axis

    # ------------------------------------------------------------------ part

    def part(self, workbook_rel: str) -> bytes:
        """The chart part's XML; ``workbook_rel`` relates it to its embedded workbook."""
        chart = self.chart
        inner = x.E("c:chart")
        if chart.title:
            inner.append(self.title(chart.title, self.look.title_size, bold=True))
        inner.append(_val("c:autoTitleDeleted", 0 if chart.title else 1))
        inner.append(self.plot())
        if len(chart.series) > 1 or chart.round:
            inner.append(
                x.E(
                    "c:legend",
                    None,
                    _val("c:legendPos", "r" if chart.round else "b"),
                    _val("c:overlay", 0),
                    self.text_props(self.look.font_size),
                )
            )
        inner.append(_val("c:plotVisOnly", 1))
        inner.append(_val("c:dispBlanksAs", "gap"))
        space = x.E(
            "c:chartSpace",
            None,
            _val("c:date1904", 0),
            _val("c:lang", self.lang),
            _val("c:roundedCorners", 0),
            inner,
            x.E("c:spPr", None, x.E("a:noFill"), x.E("a:ln", None, x.E("a:noFill"))),
            self.text_props(self.look.font_size),
            x.E(
                "c:externalData",
                {"r:id": workbook_rel},
                _val("c:autoUpdate", 0),
            ),
        )
        # one declaration of each namespace, at the top, as Word writes them
        etree.cleanup_namespaces(space, top_nsmap={p: x.NS[p] for p in ("c", "a", "r")})
        return bytes(etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True))


def _val(tag: str, value: str | int) -> Any:
    return x.E(tag, {"val": value})


def _pt(index: int, text: str) -> Any:
    return x.E("c:pt", {"idx": index}, x.E("c:v", text=text))


def _fill(color: str) -> Any:
    return x.E("a:solidFill", None, x.E("a:srgbClr", {"val": color}))


def _axis_format(chart: d.Chart) -> str:
    """Axis ticks: the data's thousands separator, without its decimals (``80``, not
    ``80.0``), as the PDF writes them; Word adds decimals a step needs by itself."""
    return "#,##0" if chart.number_format.startswith("#,##") else "General"


def inline(rel_id: str, shape_id: int, width_emu: int, height_emu: int, alt: str) -> Any:
    """The ``w:drawing`` that places a chart part in the text, with its alternative text."""
    data = x.E("a:graphicData", {"uri": CHART_URI}, x.E("c:chart", {"r:id": rel_id}))
    return x.inline_drawing(data, shape_id, "Chart", (width_emu, height_emu), alt)
