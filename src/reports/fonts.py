"""TrueType fonts, parsed once per process: glyph coverage for checks, faces for the PDF writer."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .style import HouseStyle, Variant


@lru_cache(maxsize=64)
def ttfont(name: str, path: str, field: str = "fonts") -> Any:
    """Return ReportLab's ``TTFont`` for ``path`` registered under ``name`` (parsed once).

    A file that does not parse (truncated, corrupt, or not a font behind a TrueType
    header) raises :class:`StyleError` naming ``field`` (``fonts.sans.files.bold``), never
    the parser's exception: the file may come from a pull request.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont(name, path)
    except Exception as exc:  # TTFError, struct.error, KeyError, …: all mean a bad file
        from .errors import Problem, SourceLocation, StyleError

        message = (
            f"{field}: {PurePath(path).name} is not a usable TrueType font "
            f"({type(exc).__name__}); replace the file"
        )
        raise StyleError([Problem(SourceLocation(path), message)]) from None
    pdfmetrics.registerFont(font)
    return font


def font_name(style: HouseStyle, key: str, variant: str) -> str:
    """The name a house-style font variant is registered under in the PDF.

    The name includes a digest of the file's path: ReportLab keeps the first font
    registered under a name, so two styles in one process (a fact base's own style in a
    batch) that give a family different files must not share names.
    """
    path = str(style.fonts[key].file(variant))  # type: ignore[arg-type]
    digest = hashlib.sha1(path.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"reports-{key}-{variant}-{digest}"


@lru_cache(maxsize=64)
def _coverage(name: str, path: str, field: str) -> frozenset[int]:
    return frozenset(ttfont(name, path, field).face.charToGlyph)


def coverage(style: HouseStyle, key: str) -> frozenset[int]:
    """Code points the regular variant of font ``key`` has glyphs for."""
    path = str(style.fonts[key].file("regular"))
    return _coverage(font_name(style, key, "regular"), path, font_field(key, "regular"))


def font_field(key: str, variant: str) -> str:
    """Where a font file is named in a house style: ``fonts.sans.files.bold``."""
    return f"fonts.{key}.files.{variant}"


def invisible(char: str) -> bool:
    """Format characters (zero-width space, joiners, direction marks) draw nothing."""
    return unicodedata.category(char) == "Cf"


def needs_glyph(char: str) -> bool:
    """Whether a font must have ``char`` to draw it: not white space, not a format mark."""
    return not char.isspace() and not invisible(char)


def needs_fallback(text: str, style: HouseStyle, key: str) -> bool:
    """Whether ``text`` has a visible character that font ``key`` lacks."""
    if text.isascii():
        return False
    own = coverage(style, key)
    return any(ord(c) not in own and needs_glyph(c) for c in text)


def uncovered(text: str, style: HouseStyle, keys: tuple[str, ...]) -> list[tuple[int, str]]:
    """Return (index, char) of each visible character in ``text`` none of ``keys`` covers."""
    if text.isascii():
        return []  # every text font the house style accepts covers ASCII
    own = coverage(style, keys[0])
    out = []
    for i, ch in enumerate(text):
        code = ord(ch)
        if code in own or not needs_glyph(ch):
            continue
        # Fallback fonts (large CJK files) are parsed only when a character needs them.
        if not any(code in coverage(style, k) for k in keys[1:]):
            out.append((i, ch))
    return out


def drawing_font(style: HouseStyle, key: str, text: str) -> str:
    """The font key that draws all of ``text`` on one line: ``key``'s, or else the first
    fallback font that has every character (a drawing's string takes one font)."""
    codes = {ord(c) for c in text if not c.isspace()}
    if text.isascii() or codes <= coverage(style, key):
        return key
    for fallback in style.fallback:
        if fallback in style.fonts and codes <= coverage(style, fallback):
            return fallback
    return key


def text_width(style: HouseStyle, key: str, text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` on one line at ``size``, in the font
    :func:`drawing_font` picks: what a label of a drawing takes in either format."""
    chosen = drawing_font(style, key, text)
    variant: Variant = "bold" if bold else "regular"
    path = str(style.fonts[chosen].file(variant))
    face = ttfont(font_name(style, chosen, variant), path, font_field(chosen, variant))
    return float(face.stringWidth(text, size))
