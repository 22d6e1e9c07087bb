"""WordprocessingML element builders for what python-docx has no API for.

Every piece of XML is built as lxml elements with attribute values set through lxml, never
by formatting strings, so no text (a font name, a label, a fact) can close an element or
add one: lxml escapes it, and characters XML cannot hold are refused before they get here.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any

from docx.oxml.parser import oxml_parser

from ...layout import page_label_parts

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
}


def qn(tag: str) -> str:
    """``w:p`` → ``{http://…/main}p`` (Clark notation)."""
    prefix, _, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def E(  # short, as it reads like the markup it builds
    tag: str, attrs: dict[str, str | int] | None = None, *children: Any, text: str | None = None
) -> Any:
    """An element ``tag`` (``w:p``) with ``attrs`` (``{"w:val": "x"}``) and ``children``.

    Made by python-docx's parser, so elements it knows get its classes (``w:style``,
    ``w:p``) and python-docx's API works on them later. Attribute names without a prefix
    (VML's ``id``, ``style``) stay unqualified.
    """
    attrs = attrs or {}
    prefixes = {tag.partition(":")[0]} | {k.partition(":")[0] for k in attrs if ":" in k}
    nsmap = {p: NS[p] for p in prefixes if p != "xml"}
    el = oxml_parser.makeelement(qn(tag), nsmap=nsmap)
    for key, value in attrs.items():
        el.set(qn(key) if ":" in key else key, str(value))
    for kid in children:
        el.append(kid)
    if text is not None:
        el.text = text
    return el


def val(tag: str, value: str | int) -> Any:
    """The common ``<w:x w:val="…"/>`` property element."""
    return E(tag, {"w:val": value})


def text_run(text: str, rpr: Any | None = None) -> Any:
    """A ``w:r`` holding ``text`` (spaces kept), with run properties ``rpr`` if given."""
    run = E("w:r")
    if rpr is not None:
        run.append(rpr)
    t = E("w:t", text=text)
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def child(parent: Any, tag: str, *, before: Iterable[str] = ()) -> Any:
    """``parent``'s ``tag`` child, made if missing and placed before any of ``before``
    (the schema's order of properties)."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = E(tag)
    later = {qn(t) for t in before}
    anchor = next((c for c in parent if c.tag in later), None)
    if anchor is not None:
        anchor.addprevious(found)
    else:
        parent.append(found)
    return found


# Schema order of the paragraph properties we set (ECMA-376 Part 1, 17.3.1.26), so each
# one can be inserted where Word expects it.
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def ppr_child(ppr: Any, tag: str) -> Any:
    """``ppr``'s ``tag`` child, made if missing, in schema order."""
    index = PPR_ORDER.index(tag)
    return child(ppr, tag, before=PPR_ORDER[index + 1 :])


def p_pr(p_el: Any) -> Any:
    """The ``w:pPr`` of a paragraph element, made first in order if missing."""
    ppr = p_el.find(qn("w:pPr"))
    if ppr is None:
        ppr = E("w:pPr")
        p_el.insert(0, ppr)
    return ppr


def set_pstyle(p_el: Any, style_id: str) -> None:
    """Give a ``w:p`` the paragraph style ``style_id``."""
    ppr_child(p_pr(p_el), "w:pStyle").set(qn("w:val"), style_id)


def set_fonts(rpr: Any, name: str, east_asian: str | None = None) -> None:
    """Name ``name`` in every font slot of ``rpr`` (``east_asian`` in the East Asian one),
    dropping theme fonts that would override it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = E("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), name)
    fonts.set(qn("w:eastAsia"), east_asian or name)


def border(ppr: Any, side: str, color: str, size: int = 4, space: int = 4) -> None:
    """A single-line paragraph border on ``side`` (top, bottom, …) in ``color`` (RRGGBB)."""
    pbdr = ppr_child(ppr, "w:pBdr")
    pbdr.append(
        E(f"w:{side}", {"w:val": "single", "w:sz": size, "w:space": space, "w:color": color})
    )


def bookmark(p_el: Any, bookmark_id: int, name: str) -> None:
    """Wrap the content of paragraph ``p_el`` in a bookmark ``name``."""
    start = E("w:bookmarkStart", {"w:id": bookmark_id, "w:name": name})
    ppr = p_el.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p_el.insert(0, start)
    p_el.append(E("w:bookmarkEnd", {"w:id": bookmark_id}))


def bookmark_around(el: Any, bookmark_id: int, name: str) -> None:
    """Mark element ``el`` (a run) with a bookmark ``name``, for a field to refer to."""
    el.addprevious(E("w:bookmarkStart", {"w:id": bookmark_id, "w:name": name}))
    el.addnext(E("w:bookmarkEnd", {"w:id": bookmark_id}))


def field_char(kind: str) -> Any:
    """A run holding a complex field's ``begin``, ``separate`` or ``end`` mark."""
    return E("w:r", None, E("w:fldChar", {"w:fldCharType": kind}))


def instruction(text: str) -> Any:
    """A run holding a field instruction (``PAGE``, ``TOC \\o "1-2"``)."""
    instr = E("w:instrText", text=f" {text} ")
    instr.set(qn("xml:space"), "preserve")
    return E("w:r", None, instr)


def field(instr: str, cached: str, rpr: Any | None = None) -> list[Any]:
    """The runs of a complex field showing ``cached`` until fields update, each in run
    properties ``rpr`` if given (Word formats an updated result like the field's code)."""
    runs = [field_char("begin"), instruction(instr), field_char("separate"), text_run(cached),
            field_char("end")]  # fmt: skip
    if rpr is not None:
        for run in runs:
            run.insert(0, deepcopy(rpr))
    return runs


def page_label(pattern: str) -> list[Any]:
    """Runs for ``Page {page} of {pages}`` with live PAGE and NUMPAGES fields."""
    runs: list[Any] = []
    for kind, text in page_label_parts(pattern):
        if kind == "text":
            runs.append(text_run(text))
        else:
            runs.extend(field("PAGE" if kind == "page" else "NUMPAGES", "1"))
    return runs


def hyperlink(rel_id: str, text: str, bold: bool, italic: bool) -> Any:
    """A ``w:hyperlink`` to relationship ``rel_id`` in the Hyperlink character style."""
    rpr = E("w:rPr", None, val("w:rStyle", "Hyperlink"))
    if bold:
        rpr.append(E("w:b"))
    if italic:
        rpr.append(E("w:i"))
    return E("w:hyperlink", {"r:id": rel_id, "w:history": 1}, text_run(text, rpr))


def cell(width_twips: int, *paragraphs: Any) -> Any:
    """A table cell of fixed width holding ``paragraphs`` (at least an empty one)."""
    tcpr = E("w:tcPr", None, E("w:tcW", {"w:w": width_twips, "w:type": "dxa"}))
    return E("w:tc", None, tcpr, *(paragraphs or (E("w:p"),)))


def row(widths_twips: Iterable[int], *, header: bool = False, cant_split: bool = False) -> Any:
    """A table row of empty cells; a ``header`` row repeats on every page it spans."""
    tr = E("w:tr")
    if header or cant_split:
        trpr = E("w:trPr", None, E("w:cantSplit"))
        if header:
            trpr.append(E("w:tblHeader"))
        tr.append(trpr)
    for w in widths_twips:
        tr.append(cell(w))
    return tr


def watermark(text: str, font: str, color: str) -> Any:
    """The run of Word's own diagonal text watermark (Design, Watermark).

    Word finds its watermark by the shape id ``PowerPlusWaterMarkObject…`` in a header;
    "Remove watermark" deletes exactly such shapes. The shape type is VML's text path
    (``#_x0000_t136``), as Word writes it.
    """
    formulas = E("v:formulas")
    for eqn in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3",
        "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6",
        "mid @8 @5", "mid @7 @8", "mid @6 @7", "sum @6 0 @5",
    ):  # fmt: skip
        formulas.append(E("v:f", {"eqn": eqn}))
    shapetype = E(
        "v:shapetype",
        {"id": "_x0000_t136", "coordsize": "21600,21600", "o:spt": "136", "adj": "10800",
         "path": "m@7,l@8,m@5,21600l@6,21600e"},
        formulas,
        E("v:path", {"textpathok": "t", "o:connecttype": "custom",
                     "o:connectlocs": "@9,0;@10,10800;@11,21600;@12,10800",
                     "o:connectangles": "270,180,90,0"}),
        E("v:textpath", {"on": "t", "fitshape": "t"}),
        E("v:handles", None, E("v:h", {"position": "#0,bottomRight", "xrange": "6629,14971"})),
        E("o:lock", {"v:ext": "edit", "text": "t", "shapetype": "t"}),
    )  # fmt: skip
    # CSS inside an attribute: the font name is quoted for CSS and escaped by lxml for XML.
    css_font = font.replace("\\", "\\\\").replace('"', '\\"')
    shape = E(
        "v:shape",
        {"id": "PowerPlusWaterMarkObject1", "o:spid": "_x0000_s1025", "type": "#_x0000_t136",
         "style": "position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;"
                  "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
                  "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
                  "mso-position-vertical-relative:margin",
         "o:allowincell": "f", "fillcolor": f"#{color}", "stroked": "f"},
        E("v:fill", {"opacity": ".5"}),
        E("v:textpath", {"style": f'font-family:"{css_font}";font-size:1pt', "string": text}),
        E("w10:wrap", {"anchorx": "margin", "anchory": "margin"}),
    )  # fmt: skip
    return E("w:r", None, E("w:pict", None, shapetype, shape))


def toc_entry(bookmark: str, text: str, page: int | None) -> Any:
    """A table-of-contents line as Word writes it: a link to the heading's bookmark with
    the heading's text, a tab, and a PAGEREF field showing ``page`` until fields update."""
    link = E("w:hyperlink", {"w:anchor": bookmark, "w:history": 1}, text_run(text))
    if page is not None:
        link.append(E("w:r", None, E("w:tab")))
        link.extend(field(f"PAGEREF {bookmark} \\h", str(page)))
    return link


def inline_drawing(data: Any, shape_id: int, name: str, size: tuple[int, int], alt: str) -> Any:
    """A ``w:drawing`` placing ``data`` (an ``a:graphicData``: a chart, a group of
    shapes) in the text like a character, ``size`` (width, height) EMU, with its
    alternative text (Word's Alt Text pane shows ``descr``)."""
    return E(
        "w:drawing",
        None,
        E(
            "wp:inline",
            {"distT": 0, "distB": 0, "distL": 0, "distR": 0},
            E("wp:extent", {"cx": size[0], "cy": size[1]}),
            E("wp:effectExtent", {"l": 0, "t": 0, "r": 0, "b": 0}),
            E("wp:docPr", {"id": shape_id, "name": f"{name} {shape_id}", "descr": alt}),
            E("wp:cNvGraphicFramePr"),
            E("a:graphic", None, data),
        ),
    )
