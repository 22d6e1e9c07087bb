"""Page geometry and labels that every writer computes the same way.

Units: the house style and the document model speak points (1/72 inch); Word speaks
twentieths of a point (twips) and English Metric Units (EMU). Conversions live here so a
writer never carries a bare 635 or 25.4.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
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
