"""A drawing of shapes (a timeline chart) as one DrawingML group in the text: rectangles,
lines, circles and text boxes a colleague can move, restyle and retype in Word or
LibreOffice, laid out by :mod:`reports.writers.timeline` exactly as the PDF draws it.

The group is Word 2010's ``wpg:wgp`` of ``wps:wsp`` shapes, placed inline like a picture;
its alternative text is the ``wp:docPr`` ``descr`` Word's Alt Text pane shows. Each text
box holds the label's lines as set for the PDF, with line breaks between them, and is a
little wider than they need, so a font measured slightly wider does not wrap them again.
"""

from __future__ import annotations

from typing import Any

from ...layout import emu, twips
from ...style import HouseStyle
from ..timeline import Dot, Label, Rect, Rule, Shape, TimelineLayout
from . import ooxml as x
from .stylesheet import hex_color

GROUP_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_SLACK = 0.12
"""Extra width of a text box, as a share of its lines' width (plus a few points)."""


class ShapeGroup:
    """Builds the group of one drawing, in one house style's fonts."""

    def __init__(self, hs: HouseStyle, first_id: int) -> None:
        body = hs.style("body")
        self.font = hs.fonts[body.font].docx_name
        self.east_asian = hs.fonts[hs.east_asian].docx_name if hs.east_asian else self.font
        self.next_id = first_id

    def drawing(self, plan: TimelineLayout, alt: str, name: str) -> Any:
        """The ``w:drawing`` holding ``plan``'s shapes, inline, with ``alt`` as its
        alternative text."""
        group = x.E(
            "wpg:wgp",
            None,
            x.E("wpg:cNvGrpSpPr"),
            x.E("wpg:grpSpPr", None, _xfrm(0, 0, plan.width, plan.height, group=True)),
        )
        doc_id = self._id()
        for shape in plan.shapes:
            group.append(self.shape(shape))
        data = x.E("a:graphicData", {"uri": GROUP_URI}, group)
        return x.inline_drawing(data, doc_id, name, (emu(plan.width), emu(plan.height)), alt)

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def shape(self, shape: Shape) -> Any:
        if isinstance(shape, Rect):
            return self._shape(
                "rect", _xfrm(shape.x, shape.y, shape.width, shape.height), _fill(shape.color)
            )
        if isinstance(shape, Dot):
            r = shape.radius
            ring = x.E("a:ln", {"w": emu(1)}, _fill("#ffffff"))
            return self._shape("ellipse", _xfrm(shape.x - r, shape.y - r, 2 * r, 2 * r),
                               _fill(shape.color), ring)  # fmt: skip
        if isinstance(shape, Rule):
            left, top = min(shape.x1, shape.x2), min(shape.y1, shape.y2)
            xfrm = _xfrm(left, top, abs(shape.x2 - shape.x1), abs(shape.y2 - shape.y1))
            if (shape.x2 < shape.x1) != (shape.y2 < shape.y1):
                xfrm.set("flipV", "1")
            line = x.E("a:ln", {"w": emu(shape.width)}, _fill(shape.color))
            return self._shape("line", xfrm, x.E("a:noFill"), line)
        return self.text_box(shape)

    def _shape(self, geometry: str, xfrm: Any, fill: Any, line: Any | None = None) -> Any:
        properties = x.E(
            "wps:spPr",
            None,
            xfrm,
            x.E("a:prstGeom", {"prst": geometry}, x.E("a:avLst")),
            fill,
            line if line is not None else x.E("a:ln", None, x.E("a:noFill")),
        )
        shape_id = self._id()
        return x.E(
            "wps:wsp",
            None,
            x.E("wps:cNvPr", {"id": shape_id, "name": f"Shape {shape_id}"}),
            x.E("wps:cNvSpPr"),
            properties,
            x.E("wps:bodyPr"),
        )

    def text_box(self, label: Label) -> Any:
        """A text box holding ``label``'s lines as one paragraph, a break between lines."""
        slack = label.width * _SLACK + 4
        left = {"left": label.x, "right": label.x - slack, "center": label.x - slack / 2}
        jc = {"left": "left", "right": "right", "center": "center"}[label.align]
        paragraph = x.E(
            "w:p",
            None,
            x.E(
                "w:pPr",
                None,
                x.E("w:spacing", {"w:before": 0, "w:after": 0,
                                  "w:line": twips(label.leading), "w:lineRule": "exact"}),
                x.E("w:ind", {"w:left": 0, "w:right": 0, "w:firstLine": 0}),
                x.val("w:jc", jc),
            ),
        )  # fmt: skip
        for i, line in enumerate(label.lines):
            if i:
                paragraph.append(x.E("w:r", None, x.E("w:br")))
            paragraph.append(
                x.text_run(line.text, self.run_props(label.size, line.bold, line.color))
            )
        properties = x.E(
            "wps:spPr",
            None,
            _xfrm(left[label.align], label.y, label.width + slack, label.height),
            x.E("a:prstGeom", {"prst": "rect"}, x.E("a:avLst")),
            x.E("a:noFill"),
            x.E("a:ln", None, x.E("a:noFill")),
        )
        shape_id = self._id()
        body = x.E(
            "wps:bodyPr",
            {"rot": 0, "vert": "horz", "wrap": "square", "lIns": 0, "tIns": 0, "rIns": 0,
             "bIns": 0, "anchor": "t", "anchorCtr": 0},
            x.E("a:noAutofit"),
        )  # fmt: skip
        return x.E(
            "wps:wsp",
            None,
            x.E("wps:cNvPr", {"id": shape_id, "name": f"Text Box {shape_id}"}),
            x.E("wps:cNvSpPr", {"txBox": 1}),
            properties,
            x.E("wps:txbx", None, x.E("w:txbxContent", None, paragraph)),
            body,
        )

    def run_props(self, size: float, bold: bool, color: str) -> Any:
        fonts = x.E("w:rFonts", {"w:ascii": self.font, "w:hAnsi": self.font,
                                 "w:eastAsia": self.east_asian, "w:cs": self.font})  # fmt: skip
        props = x.E("w:rPr", None, fonts)
        if bold:
            props.append(x.E("w:b"))
        props.append(x.val("w:color", hex_color(color)))
        props.append(x.val("w:sz", round(size * 2)))
        return props


def _xfrm(left: float, top: float, width: float, height: float, group: bool = False) -> Any:
    """``a:xfrm``: where a shape sits in the group, in EMU; a group maps its own
    coordinates one to one onto the page."""
    xfrm = x.E(
        "a:xfrm",
        None,
        x.E("a:off", {"x": emu(left), "y": emu(top)}),
        x.E("a:ext", {"cx": emu(width), "cy": emu(height)}),
    )
    if group:
        xfrm.append(x.E("a:chOff", {"x": 0, "y": 0}))
        xfrm.append(x.E("a:chExt", {"cx": emu(width), "cy": emu(height)}))
    return xfrm


def _fill(color: str) -> Any:
    return x.E("a:solidFill", None, x.E("a:srgbClr", {"val": hex_color(color)}))
