"""Page geometry and labels that every writer computes the same way.

Units: the house style and the document model speak points (1/72 inch); Word speaks
twentieths of a point (twips) and English Metric Units (EMU). Conversions live here so a
writer never carries a bare 635 or 25.4.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .document import Chart
    from .style import HouseStyle

MM = 72 / 25.4
"""Points per millimetre."""
TWIPS_PER_PT = 20
"""Twentieths of a point per point (Word's ``dxa`` unit)."""
EMU_PER_PT = 12700
"""English Metric Units per point."""
EMU_PER_TWIP = EMU_PER_PT // TWIPS_PER_PT
"""English Metric Units per twip (635)."""

_PAGE_FIELDS = re.compile(r"(\{pages?\})")

SectionNumbers = Literal["none", "roman", "decimal"]


def text_width(style: HouseStyle) -> float:
    """Width of the text block in points: the page less its left and right margins."""
    _top, right, _bottom, left = style.margins
    return style.page_size[0] - left - right


def text_height(style: HouseStyle) -> float:
    """Height of the text block in points: the page less its top and bottom margins."""
    top, _right, bottom, _left = style.margins
    return style.page_size[1] - top - bottom


FIGURE_MAX_HEIGHT = 0.8
"""Share of the text block's height a figure takes at most."""


def figure_size(width: float, aspect: float, style: HouseStyle) -> tuple[float, float]:
    """Width and height, in points, of an image ``width`` wide with ``aspect`` (height over
    width), scaled down to fit :data:`FIGURE_MAX_HEIGHT` of a page when it is too tall."""
    height = width * aspect
    room = text_height(style) * FIGURE_MAX_HEIGHT
    if height > room:
        return room / aspect, room
    return width, height


CHART_LINE = 1.6
"""Height of a legend row or a bar's band, as a multiple of the chart's font size."""


def chart_height(chart: Chart, width: float, aspect: float, room: float, size: float) -> float:
    """Height, in points, of the drawing area of ``chart`` (below its title) ``width``
    wide, at most ``room``: ``aspect`` of the width for columns and lines; for bars and
    pies, tall enough for every bar's band or every legend row as well."""
    legend = (CHART_LINE * size + 4) if len(chart.series) > 1 else 0.0
    units = size * 1.5 if chart.units else 0.0
    if chart.round:
        rows = len(chart.categories) * size * CHART_LINE + 12
        height = max(min(width * 0.42, 230.0), rows)
    elif chart.horizontal:
        bars = 1 if chart.stacked else len(chart.series)
        band = (bars * 1.1 + 0.9) * size * 1.2
        height = max(width * aspect * 0.6, len(chart.categories) * band + 3 * size + 8)
        height += legend + units
    else:
        height = width * aspect + legend + units
    return min(height, room)


def chart_size(chart: Chart, width: float, style: HouseStyle) -> tuple[float, float]:
    """Width and height, in points, of ``chart`` across ``width`` points (its share of
    them), title included, at most :data:`FIGURE_MAX_HEIGHT` of a page."""
    look = style.chart
    width *= chart.width
    room = text_height(style) * FIGURE_MAX_HEIGHT
    title = 0.0
    if chart.title:  # about how many lines the title takes, at half an em a character
        lines = -(-len(chart.title) * look.title_size * 0.55 // width)
        title = max(1, lines) * look.title_size * 1.25 + 4
    return width, title + chart_height(chart, width, look.aspect, room - title, look.font_size)


def column_widths(total: float, shares: Sequence[float]) -> list[float]:
    """Split ``total`` in proportion to ``shares`` (relative column widths)."""
    whole = sum(shares)
    return [total * s / whole for s in shares]


def page_label(pattern: str, page: int | str, pages: int | str) -> str:
    """``Page {page} of {pages}`` with the numbers filled in."""
    return pattern.replace("{page}", str(page)).replace("{pages}", str(pages))


def page_label_parts(pattern: str) -> list[tuple[Literal["text", "page", "pages"], str]]:
    """Split a page label into literal text and ``page``/``pages`` fields, in order.

    Writers with live fields (Word's PAGE and NUMPAGES) render each part as it comes.
    """
    out: list[tuple[Literal["text", "page", "pages"], str]] = []
    for part in _PAGE_FIELDS.split(pattern):
        if part == "{page}":
            out.append(("page", part))
        elif part == "{pages}":
            out.append(("pages", part))
        elif part:
            out.append(("text", part))
    return out


_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"


def section_number(n: int, scheme: SectionNumbers) -> str:
    """The label of the ``n``-th numbered section (``Ⅱ``, ``2``), empty for ``none``.

    Korean reports number sections with the Roman numeral characters (U+2160 on).
    """
    if scheme == "none":
        return ""
    if scheme == "roman" and 1 <= n <= len(_ROMAN):
        return _ROMAN[n - 1]
    return str(n)


def twips(points: float) -> int:
    """Points as whole twips."""
    return round(points * TWIPS_PER_PT)


def emu(points: float) -> int:
    """Points as whole EMU."""
    return round(points * EMU_PER_PT)


def heading_numbers(blocks: Sequence[object], scheme: SectionNumbers) -> dict[str, str]:
    """Anchor → section number of each numbered heading, in order; empty for ``none``."""
    from .document import Heading

    out: dict[str, str] = {}
    if scheme == "none":
        return out
    n = 0
    for block in blocks:
        if isinstance(block, Heading) and block.numbered:
            n += 1
            out[block.anchor] = section_number(n, scheme)
    return out


LONG_TEXT = 3000
"""Characters of a paragraph laid out as one piece. ReportLab breaks the rest of a
paragraph into lines again at every page it spans, so a paragraph pages long costs time
quadratic in its length; longer text is laid out in pieces of about this size."""


def split_long(content: Sequence[object], limit: int = LONG_TEXT) -> list[tuple[object, ...]]:
    """``content`` (inline nodes) cut at spaces into pieces of at most ``limit`` characters.

    Emphasis, links and other containers are kept around each piece of their text; a cut
    falls after a sentence where one is near, else at the last space (or mid-word, for a
    word longer than ``limit``). Content within the limit comes back as one piece.
    """
    from .document import FootnoteRef, LineBreak, Text, plain_text

    if len(plain_text(tuple(content))) <= limit:  # type: ignore[arg-type]
        return [tuple(content)]
    leaves: list[tuple[tuple[object, ...], object]] = []

    def walk(nodes: Sequence[object], chain: tuple[object, ...]) -> None:
        for node in nodes:
            if isinstance(node, (Text, LineBreak, FootnoteRef)):
                leaves.append((chain, node))
            else:
                walk(node.children, (*chain, node))  # type: ignore[attr-defined]

    walk(content, ())
    pieces: list[list[tuple[tuple[object, ...], object]]] = [[]]
    room = limit
    for chain, leaf in leaves:
        if isinstance(leaf, FootnoteRef):  # a mark takes no room and stays by its word
            pieces[-1].append((chain, leaf))
            continue
        text = leaf.text if isinstance(leaf, Text) else "\n"
        while len(text) > room:
            head, text = _cut(text, room)
            if head:
                pieces[-1].append((chain, Text(head)))
            pieces.append([])
            room = limit
        if isinstance(leaf, LineBreak):
            pieces[-1].append((chain, leaf))
            room -= 1
        elif text:
            pieces[-1].append((chain, Text(text)))
            room -= len(text)
    return [_rebuild(p) for p in pieces if p]


def _cut(text: str, room: int) -> tuple[str, str]:
    """Split ``text`` so the head fits ``room``: after a sentence near the end, else at a
    space, else mid-word."""
    window = text[: room + 1]
    sentence = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
    if sentence >= room * 0.7:
        return text[: sentence + 1], text[sentence + 2 :]
    space = window.rfind(" ")
    if space > 0:
        return text[:space], text[space + 1 :]
    return text[:room], text[room:]


def _rebuild(leaves: list[tuple[tuple[object, ...], object]]) -> tuple[object, ...]:
    """Inline nodes from leaves, each container rebuilt around its consecutive leaves."""
    import dataclasses

    out: list[object] = []
    i = 0
    while i < len(leaves):
        chain, leaf = leaves[i]
        if not chain:
            out.append(leaf)
            i += 1
            continue
        head = chain[0]
        j = i
        while j < len(leaves) and leaves[j][0][:1] and leaves[j][0][0] is head:
            j += 1
        inner = [(c[1:], n) for c, n in leaves[i:j]]
        out.append(dataclasses.replace(head, children=_rebuild(inner)))  # type: ignore[type-var]
        i = j
    return tuple(out)


def roman_numeral(n: int) -> str:
    """``n`` in upper-case Roman numerals (``XIV``), as Word's numbering writes them."""
    out = ""
    for value, letters in _ROMAN_VALUES:
        while n >= value:
            out += letters
            n -= value
    return out


_ROMAN_VALUES = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    )
)


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` in lines at most ``width`` wide by ``measure`` (a line's width), broken at
    spaces, as Korean wraps between words; a word wider than a line is broken where it
    must be. Labels of drawings, which no paragraph lays out, are wrapped by this."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if measure(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
        while measure(current) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and measure(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines or [""]
