"""Paragraph text for ReportLab: fonts registered per house style, fact text escaped, and
runs of characters a style's font lacks (Hangul, symbols) switched to a fallback font.

Fact text reaches ReportLab only through :class:`Markup`, which escapes it, so a fact can
never become a tag (``<img>``, ``<a>``, ``<font>``) or an entity.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from reportlab.pdfbase import pdfmetrics

from ... import document as d
from ...fonts import coverage, font_field, font_name, invisible, ttfont
from ...style import HouseStyle, ParaStyle, Variant
from ..base import Visitor
from .footnotes import mark
from .tagging import link_markup, span_markup

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
SCRIPT_LANGUAGES = ((re.compile(f"[{_HANGUL}]+(?:\\s+[{_HANGUL}]+)*"), "ko"),)
"""Scripts that name their language: a run of them in a document of another language is
tagged with that language, so a screen reader speaks a Korean name in Korean."""


def register_fonts(style: HouseStyle, keys: set[str] | None = None) -> None:
    """Register families' TrueType files once per process (see :func:`fonts.font_name`).

    ``keys`` limits this to the named families; ``None`` registers every family.
    """
    for key, font in style.fonts.items():
        if keys is not None and key not in keys:
            continue
        names = {}
        for variant in ("regular", "bold", "italic", "bold_italic"):
            name = font_name(style, key, variant)
            ttfont(name, str(font.file(variant)), font_field(key, variant))
            names[variant] = name
        pdfmetrics.registerFontFamily(
            names["regular"],
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )


def variant(bold: bool, italic: bool) -> Variant:
    """The face of a family for the given weight and slant."""
    if bold:
        return "bold_italic" if italic else "bold"
    return "italic" if italic else "regular"


def style_font(hs: HouseStyle, ps: ParaStyle, *, bold: bool | None = None) -> str:
    """The registered font name of paragraph style ``ps`` (made bold if ``bold``)."""
    return font_name(hs, ps.font, variant(ps.bold if bold is None else bold, ps.italic))


class Scripts:
    """Splits text into runs by which font has the glyphs: the style's own, or a fallback."""

    def __init__(self, style: HouseStyle) -> None:
        self.hs = style
        self._fallback: list[tuple[str, frozenset[int]]] | None = None
        self.lang = ""
        """The language tag of the document being written."""

    @property
    def fallback(self) -> list[tuple[str, frozenset[int]]]:
        """(font key, coverage) of each fallback font, registered on first use."""
        # Fallback fonts are parsed and registered the first time a character needs one.
        if self._fallback is None:
            register_fonts(self.hs, set(self.hs.fallback))
            self._fallback = [(k, coverage(self.hs, k)) for k in self.hs.fallback]
        return self._fallback

    def font_for(self, mark: str, font: str, face: Variant = "regular") -> str:
        """The registered font that draws all of ``mark`` (a bullet, a note's ※): the
        style's ``font`` if it can, else the first fallback that can. A bullet is drawn
        in one font, so it cannot take the per-character fallback of :meth:`text`."""
        codes = {ord(c) for c in mark if not c.isspace()}
        if not codes <= coverage(self.hs, font):
            key = next((k for k, cov in self.fallback if codes <= cov), None)
            if key is not None:
                return font_name(self.hs, key, face)
        return font_name(self.hs, font, face)

    def text(self, text: str, font: str, face: Variant = "regular") -> str:
        """Escape ``text`` for ReportLab, wrapping runs the style's ``font`` lacks in <font>.

        ``face`` picks the fallback font's variant, since a <font> tag does not inherit
        the weight of the text around it.
        """
        if text.isascii():
            return escape(text)
        primary = self.lang.split("-")[0].lower()
        for pattern, lang in SCRIPT_LANGUAGES:
            if lang != primary and pattern.search(text):
                out, at = [], 0
                for m in pattern.finditer(text):
                    out += [self._runs(text[at : m.start()], font, face)]
                    out += [span_markup(self._runs(m.group(), font, face), lang)]
                    at = m.end()
                return "".join([*out, self._runs(text[at:], font, face)])
        return self._runs(text, font, face)

    def _runs(self, text: str, font: str, face: Variant) -> str:
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
                    (font_name(self.hs, k, face) for k, cov in self.fallback if code in cov),
                    "",
                )
                if target == "" and invisible(ch):
                    continue  # a zero-width mark no font draws: leave it out, not a box
                if target == "":
                    target = None  # checked before writing; drawn as the font's .notdef
            if target != current and run:
                out.append(_wrap("".join(run), current))
                run = []
            current = target
            run.append(ch)
        if run:
            out.append(_wrap("".join(run), current))
        return "".join(out)


def _wrap(text: str, font: str | None) -> str:
    return escape(text) if font is None else f"<font name={quoteattr(font)}>{escape(text)}</font>"


INSERTED_COLOR = "#1A56A8"
"""Words added since the earlier version, in a redline: underlined in this blue."""
DELETED_COLOR = "#B3261E"
"""Words removed since the earlier version, in a redline: struck through in this red."""
REDLINE_MARKS = (f'<font color="{INSERTED_COLOR}">', f'<font color="{DELETED_COLOR}">')
"""What a paragraph's markup holds when it shows a change (and takes a change bar)."""


def shows_change(markup: str) -> bool:
    """Whether paragraph markup marks an insertion or a deletion."""
    return any(mark in markup for mark in REDLINE_MARKS)


class Markup(Visitor):
    """Inline nodes as ReportLab paragraph markup in one paragraph style; text escaped."""

    def __init__(self, hs: HouseStyle, scripts: Scripts, link_color: str) -> None:
        self.hs = hs
        self.scripts = scripts
        self.link_color = link_color
        self.footnotes: dict[str, int] = {}
        """Footnote id → number, for the document being written."""

    def __call__(self, nodes: d.Inlines, ps: ParaStyle) -> str:
        """Markup for ``nodes`` set in paragraph style ``ps``."""
        return self.inlines(nodes, ps.font, ps.bold, ps.italic)

    def inlines(self, nodes: d.Inlines, font: str, bold: bool, italic: bool) -> str:
        return "".join(self.visit(node, font, bold, italic) for node in nodes)

    def visit_text(self, node: d.Text, font: str, bold: bool, italic: bool) -> str:
        return self.scripts.text(node.text, font, variant(bold, italic))

    def visit_strong(self, node: d.Strong, font: str, bold: bool, italic: bool) -> str:
        return f"<b>{self.inlines(node.children, font, True, italic)}</b>"

    def visit_emph(self, node: d.Emph, font: str, bold: bool, italic: bool) -> str:
        emphasis = self.hs.emphasis
        if emphasis == "italic":
            return f"<i>{self.inlines(node.children, font, bold, True)}</i>"
        inner = self.inlines(node.children, font, bold, italic)
        return f"<u>{inner}</u>" if emphasis == "underline" else inner

    def visit_link(self, node: d.Link, font: str, bold: bool, italic: bool) -> str:
        inner = self.inlines(node.children, font, bold, italic)
        return link_markup(node.href, inner, color=self.link_color)

    def visit_sourced(self, node: d.Sourced, font: str, bold: bool, italic: bool) -> str:
        return self.inlines(node.children, font, bold, italic)

    def visit_inserted(self, node: d.Inserted, font: str, bold: bool, italic: bool) -> str:
        inner = self.inlines(node.children, font, bold, italic)
        return f'<font color="{INSERTED_COLOR}"><u>{inner}</u></font>'

    def visit_deleted(self, node: d.Deleted, font: str, bold: bool, italic: bool) -> str:
        inner = self.inlines(node.children, font, bold, italic)
        return f'<font color="{DELETED_COLOR}"><strike>{inner}</strike></font>'

    def visit_line_break(self, node: d.LineBreak, font: str, bold: bool, italic: bool) -> str:
        return "<br/>"

    def visit_footnote_ref(self, node: d.FootnoteRef, font: str, bold: bool, italic: bool) -> str:
        return mark(self.footnotes[node.id])


def without_marks(nodes: d.Inlines) -> d.Inlines:
    """``nodes`` without their footnote references (for a copy of a heading elsewhere)."""
    out: list[d.Inline] = []
    for node in nodes:
        if isinstance(node, (d.Strong, d.Emph, d.Inserted)):
            out.append(type(node)(without_marks(node.children)))
        elif isinstance(node, d.Deleted):
            continue
        elif isinstance(node, d.Link):
            out.append(d.Link(node.href, without_marks(node.children)))
        elif not isinstance(node, d.FootnoteRef):
            out.append(node)
    return tuple(out)
