"""The house style as Word styles: Normal, headings, lists, the memo's own paragraph and
table styles, written into ``word/styles.xml`` (and the bullet's numbering) once per
language, so colleagues restyle a memo in Word the usual way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docx.styles.style import StyleFactory

from ...errors import UsageError
from ...layout import twips
from ...style import HouseStyle, ParaStyle
from .ooxml import E, ppr_child, qn, set_fonts, val

# House-style name → Word style name. Built-in names keep Word's navigation pane and
# outline working; the "Memo …" styles are ours.
WORD_STYLES: dict[str, str] = {
    "body": "Normal",
    "lead": "Memo Lead",
    "small": "Memo Small",
    "kicker": "Memo Kicker",
    "title": "Title",
    "subtitle": "Subtitle",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "field_label": "Memo Field Label",
    "field_value": "Memo Field Value",
    "list": "List Bullet",
    "table_header": "Memo Table Heading",
    "table_cell": "Memo Table Text",
    "caption": "Caption",
    "question": "Memo Question",
    "answer": "Memo Answer",
    "toc1": "TOC 1",
    "toc2": "TOC 2",
    "header": "Header",
    "footer": "Footer",
    "marking": "Memo Marking",
}
TABLE_STYLE = "Memo Table"
FIELDS_STYLE = "Memo Fields"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def hex_color(color: str) -> str:
    """``#1f3a5f`` → ``1F3A5F``, as WordprocessingML writes colours."""
    return color.lstrip("#").upper()


class StyleSheet:
    """Writes the house style into a document's Word styles."""

    def __init__(self, word: Any, hs: HouseStyle, lang_tag: str) -> None:
        self.word = word
        self.hs = hs
        self.lang = lang_tag
        self.styles = word.styles
        self._known = self.names()
        self.normal = self.styles["Normal"]
        key = hs.east_asian
        # Hangul and CJK text takes Word's East Asian font slot; without a font for it,
        # the body font's name is the best hint to give Word.
        self.east_asian = hs.fonts[key].docx_name if key else None

    def apply(self) -> None:
        """Restyle the document entirely from the house style."""
        self.defaults()
        for house, word_name in WORD_STYLES.items():
            if house not in self.hs.styles:
                continue
            style = self.get_or_add(word_name)
            self.set_paragraph_style(style, self.hs.styles[house])
        for name in ("Heading 1", "Heading 2", "Title", "Subtitle", "Memo Kicker", "Memo Question"):
            self.styles[name].paragraph_format.keep_with_next = True
        title = self.styles["Title"].element
        ppr = title.find(qn("w:pPr"))
        if ppr is not None:  # the default template draws a rule under Title
            for bdr in ppr.findall(qn("w:pBdr")):
                ppr.remove(bdr)
        self.list_styles()
        self.qa_indents()
        self.hyperlink_style()
        self.table_styles()
        for name in ("Header", "Footer"):  # the default template's tabs fight ours
            ppr = self.styles[name].element.find(qn("w:pPr"))
            tabs = ppr.find(qn("w:tabs")) if ppr is not None else None
            if tabs is not None:
                ppr.remove(tabs)

    def ensure_custom(self, reference: Path) -> None:
        """With a user's reference document, add only the styles it lacks.

        Word saves only the styles a document uses, so a ministry template may lack the
        list styles, whose numbering cannot be made up here: those are reported.
        """
        needed = ("List Bullet", "List Number", "TOC Heading")
        missing = [name for name in needed if name not in self._known]
        if missing:
            raise UsageError(
                f"reference document {reference} lacks the Word styles {', '.join(missing)}; "
                "use each once in Word and save, or start from Word's blank document"
            )
        for house, word_name in WORD_STYLES.items():
            if word_name not in self._known and house in self.hs.styles:
                style = self.get_or_add(word_name)
                self.set_paragraph_style(style, self.hs.styles[house])
                if word_name in ("Heading 1", "Heading 2"):  # keep the navigation pane
                    ppr = style.element.get_or_add_pPr()
                    ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), str(int(word_name[-1]) - 1))
        self.language()
        self.hyperlink_style()
        self.table_styles(only_missing=True)

    def prune(self) -> None:
        """Keep only the styles a memo uses (and those they are based on or link to).

        python-docx's default template defines some 160 styles (359 kB), which every memo
        would carry and compress; Word and LibreOffice know their built-in styles anyway
        and add any a colleague picks. This is what Word itself saves.
        """
        keep_names = {*WORD_STYLES.values(), TABLE_STYLE, FIELDS_STYLE, "Hyperlink",
                      "TOC Heading", "List Number"}  # fmt: skip
        root = self.styles.element
        by_id = {el.get(qn("w:styleId")): el for el in root.findall(qn("w:style"))}
        wanted = {
            sid for sid, el in by_id.items() if el.name_val in keep_names or el.get(qn("w:default"))
        }
        todo = list(wanted)
        while todo:  # follow basedOn, next and link to the styles they name
            el = by_id.get(todo.pop())
            if el is None:
                continue
            for tag in ("w:basedOn", "w:next", "w:link"):
                ref = el.find(qn(tag))
                target = ref.get(qn("w:val")) if ref is not None else None
                if target in by_id and target not in wanted:
                    wanted.add(target)
                    todo.append(target)
        for sid, el in by_id.items():
            if sid not in wanted:
                root.remove(el)
        self._known = self.names()

    def run_defaults(self) -> Any:
        """The document's default run properties (w:docDefaults/w:rPrDefault/w:rPr), made
        if a reference document has none."""
        node = self.styles.element
        for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"):
            found = node.find(qn(tag))
            if found is None:
                found = E(tag)
                node.insert(0, found)
            node = found
        return node

    def language(self) -> None:
        """Mark the document's language (and Hangul's) in the run defaults."""
        rpr = self.run_defaults()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = E("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), self.lang)
        lang.set(qn("w:eastAsia"), "ko-KR")  # how Hangul is spelled and broken into lines
        lang.set(qn("w:bidi"), "ar-SA")

    def names(self) -> set[str]:
        """Names of the styles the document has (one pass over styles.xml)."""
        return {el.name_val for el in self.styles.element.findall(qn("w:style"))}

    def get_or_add(self, name: str) -> Any:
        # python-docx looks styles up by scanning them all, for each lookup and each add;
        # with ~160 styles in the default template that dominated building the template.
        if name in self._known:
            return self.styles[name]
        element = self.styles.element.add_style_of_type(name, WD_STYLE_TYPE.PARAGRAPH, False)
        self._known.add(name)
        style = StyleFactory(element)
        style.base_style = self.normal  # type: ignore[attr-defined]
        style.quick_style = True
        return style

    def defaults(self) -> None:
        body = self.hs.style("body")
        font = self.hs.fonts[body.font]
        set_fonts(self.run_defaults(), font.docx_name, self.east_asian)
        self.language()
        # No automatic extra space between Hangul and Latin letters or digits: the memo's
        # spacing is what the officer typed, as in the PDF ("2024년", not "2024 년").
        # Set on Normal, which every memo style is based on (LibreOffice ignores it in the
        # document defaults).
        ppr = self.styles["Normal"].element.get_or_add_pPr()
        for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
            ppr_child(ppr, name).set(qn("w:val"), "0")

    def set_paragraph_style(self, style: Any, ps: ParaStyle) -> None:
        font = style.font
        name = self.hs.fonts[ps.font].docx_name
        font.name = name
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, name, self.east_asian)
        font.size = Pt(ps.size)
        font.bold = ps.bold
        font.italic = ps.italic
        font.color.rgb = RGBColor.from_string(hex_color(ps.color))
        color = rpr.find(qn("w:color"))
        if color is not None:
            for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
                color.attrib.pop(qn(attr), None)
        pf = style.paragraph_format
        pf.space_before = Pt(ps.space_before)
        pf.space_after = Pt(ps.space_after)
        pf.line_spacing = Pt(ps.leading)
        pf.alignment = ALIGN[ps.align]

    def list_styles(self) -> None:
        ps = self.hs.style("list")
        for name in ("List Bullet", "List Number"):
            style = self.styles[name]
            self.set_paragraph_style(style, ps)
            style.paragraph_format.left_indent = Pt(18)
            style.paragraph_format.first_line_indent = Pt(-14)
        if self.hs.bullet != "\u2022":
            self.bullet_mark(self.hs.bullet)

    def bullet_mark(self, mark: str) -> None:
        """Make List Bullet's numbering draw ``mark`` (e.g. ○) in the document's fonts."""
        numpr = self.styles["List Bullet"].element.find(qn("w:pPr")).find(qn("w:numPr"))
        num_id = numpr.find(qn("w:numId")).get(qn("w:val"))
        numbering = self.word.part.numbering_part.element
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        abstract = next(
            a
            for a in numbering.findall(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == abstract_id
        )
        lvl = abstract.find(qn("w:lvl"))
        lvl.find(qn("w:lvlText")).set(qn("w:val"), mark)
        rpr = lvl.find(qn("w:rPr"))
        if rpr is None:
            rpr = E("w:rPr")
            lvl.append(rpr)
        body = self.hs.fonts[self.hs.style("body").font].docx_name
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            rpr.remove(fonts)
        set_fonts(rpr, body, self.east_asian)

    def qa_indents(self) -> None:
        for name in ("Memo Question", "Memo Answer"):
            pf = self.styles[name].paragraph_format
            pf.left_indent = Pt(26)
            pf.first_line_indent = Pt(-26)
            pf.tab_stops.add_tab_stop(Pt(26))

    def hyperlink_style(self) -> None:
        if "Hyperlink" in self._known:
            return
        style = self.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.color.rgb = RGBColor.from_string(hex_color(self.hs.color("accent")))
        style.font.underline = True

    def table_styles(self, only_missing: bool = False) -> None:
        if not (only_missing and TABLE_STYLE in self._known):
            self.styles.element.append(self._memo_table())
        if not (only_missing and FIELDS_STYLE in self._known):
            self.styles.element.append(self._memo_fields())

    def _memo_table(self) -> Any:
        """The timeline's table style: header row shaded, rows banded, rules between rows."""
        hs = self.hs
        pad = twips(hs.table_padding)
        rule = hex_color(hs.color("rule"))
        size = max(2, int(hs.table_rule * 8))  # eighths of a point

        def shade(color: str) -> Any:
            fill = hex_color(hs.color(color))
            return E("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})

        header_run = E(
            "w:rPr", None, E("w:b"), val("w:color", hex_color(hs.style("table_header").color))
        )
        return _table_style(
            "MemoTable",
            TABLE_STYLE,
            40,
            E(
                "w:tblPr",
                None,
                val("w:tblStyleRowBandSize", 1),
                E("w:tblBorders", None, _rule("bottom", size, rule), _rule("insideH", size, rule)),
                _cell_margins(pad, pad + 20, pad, pad + 20),
            ),
            E(
                "w:tblStylePr",
                {"w:type": "firstRow"},
                header_run,
                E("w:tcPr", None, shade("table_header")),
            ),
            E("w:tblStylePr", {"w:type": "band2Horz"}, E("w:tcPr", None, shade("table_stripe"))),
        )

    def _memo_fields(self) -> Any:
        """The memo header's table style: rules above and below, no cell padding at left."""
        rule = hex_color(self.hs.color("rule"))
        borders = E("w:tblBorders", None, _rule("top", 6, rule), _rule("bottom", 6, rule))
        return _table_style(
            "MemoFields",
            FIELDS_STYLE,
            41,
            E("w:tblPr", None, borders, _cell_margins(50, 0, 50, 120)),
        )


def _table_style(style_id: str, name: str, priority: int, *parts: Any) -> Any:
    """A custom table style based on Table Normal, with no paragraph spacing in its cells."""
    return E(
        "w:style",
        {"w:type": "table", "w:customStyle": 1, "w:styleId": style_id},
        val("w:name", name),
        val("w:basedOn", "TableNormal"),
        val("w:uiPriority", priority),
        E("w:qFormat"),
        E("w:pPr", None, E("w:spacing", {"w:before": 0, "w:after": 0})),
        *parts,
    )


def _rule(side: str, size: int, color: str) -> Any:
    """A single table border on ``side``, ``size`` eighths of a point wide."""
    return E(f"w:{side}", {"w:val": "single", "w:sz": size, "w:space": 0, "w:color": color})


def _cell_margins(top: int, left: int, bottom: int, right: int) -> Any:
    return E(
        "w:tblCellMar",
        None,
        *(
            E(f"w:{side}", {"w:w": value, "w:type": "dxa"})
            for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right))
        ),
    )
