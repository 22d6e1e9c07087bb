"""The house style as Word styles, written once per language into the styled base.

Each style a memo uses is found in the document by its id or, case-insensitively, by its
name (Word writes ``heading 1``, LibreOffice ``Heading 1``), and restyled in place, or
created with Word's own id and name when missing: every style exists exactly once. With a
user's reference document, the styles it has are kept as they are (its headings, body font
and page set-up are the memo's) and only the missing ones are made from the house style.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ...layout import text_width, twips
from ...style import HouseStyle, ParaStyle
from .numbering import Numbering, level, num_pr
from .ooxml import E, ppr_child, qn, set_fonts, val

ALIGN = {"left": "left", "right": "right", "center": "center", "justify": "both"}


def hex_color(color: str) -> str:
    """``#1f3a5f`` → ``1F3A5F``, as WordprocessingML writes colours."""
    return color.lstrip("#").upper()


@dataclass(frozen=True, slots=True)
class WordStyle:
    """A Word style a memo uses: its role, the house style it takes its look from, and the
    id and name Word itself gives it."""

    role: str
    """What the writer asks for (``h1``, ``list_number``, ``table``)."""
    house: str
    """The house style whose fonts and spacing it takes."""
    style_id: str
    name: str
    """As Word writes it in ``styles.xml`` (built-in names in lower case where Word does)."""
    kind: Literal["paragraph", "character", "table"] = "paragraph"
    outline: int | None = None
    """Outline level (0 for Heading 1): the navigation pane, bookmarks in exported PDFs."""
    keep_next: bool = False
    left: float = 0
    """Left indent, points."""
    hanging: float = 0
    """Hanging indent, points: the first line starts this much to the left."""


STYLES: tuple[WordStyle, ...] = (
    WordStyle("body", "body", "Normal", "Normal"),
    WordStyle("lead", "lead", "MemoLead", "Memo Lead"),
    WordStyle("small", "small", "MemoSmall", "Memo Small"),
    WordStyle("dateline", "dateline", "MemoDateline", "Memo Dateline"),
    WordStyle("label", "label", "MemoLabel", "Memo Label", keep_next=True),
    WordStyle("kicker", "kicker", "MemoKicker", "Memo Kicker", keep_next=True),
    WordStyle("title", "title", "Title", "Title", keep_next=True),
    WordStyle("subtitle", "subtitle", "Subtitle", "Subtitle", keep_next=True),
    WordStyle("h1", "h1", "Heading1", "heading 1", outline=0, keep_next=True),
    WordStyle("h2", "h2", "Heading2", "heading 2", outline=1, keep_next=True),
    WordStyle("field_label", "field_label", "MemoFieldLabel", "Memo Field Label"),
    WordStyle("field_value", "field_value", "MemoFieldValue", "Memo Field Value"),
    WordStyle("list", "list", "ListBullet", "List Bullet", left=18, hanging=14),
    WordStyle("list_number", "list", "ListNumber", "List Number", left=18, hanging=18),
    WordStyle("table_header", "table_header", "MemoTableHeading", "Memo Table Heading"),
    WordStyle("table_cell", "table_cell", "MemoTableText", "Memo Table Text"),
    WordStyle("caption", "caption", "Caption", "caption"),
    WordStyle("table_source", "table_source", "MemoTableSource", "Memo Table Source"),
    WordStyle("figure", "body", "MemoFigure", "Memo Figure", keep_next=True),
    WordStyle("note", "note", "MemoNote", "Memo Note", left=14, hanging=14),
    WordStyle("box_title", "box_title", "MemoBoxTitle", "Memo Box Title", keep_next=True),
    WordStyle("footnote", "footnote", "FootnoteText", "footnote text"),
    WordStyle(
        "question", "question", "MemoQuestion", "Memo Question", keep_next=True, left=26, hanging=26
    ),
    WordStyle("answer", "answer", "MemoAnswer", "Memo Answer", left=26, hanging=26),
    WordStyle("toc_heading", "h1", "TOCHeading", "TOC Heading", keep_next=True),
    WordStyle("toc1", "toc1", "TOC1", "toc 1"),
    WordStyle("toc2", "toc2", "TOC2", "toc 2", left=14),
    WordStyle("header", "header", "Header", "header"),
    WordStyle("footer", "footer", "Footer", "footer"),
    WordStyle("marking", "marking", "MemoMarking", "Memo Marking"),
    WordStyle("hyperlink", "body", "Hyperlink", "Hyperlink", kind="character"),
    WordStyle(
        "footnote_ref", "footnote", "FootnoteReference", "footnote reference", kind="character"
    ),
    WordStyle("table", "table_cell", "MemoTable", "Memo Table", kind="table"),
    WordStyle("fields", "field_value", "MemoFields", "Memo Fields", kind="table"),
    WordStyle("box", "body", "MemoBox", "Memo Box", kind="table"),
)
BY_ROLE = {s.role: s for s in STYLES}

LIST_LEVELS = 9
"""Levels of nesting a list's Word numbering defines (Word's most)."""
LIST_STEP = 18.0
"""Points each level of nesting moves a list item to the right."""
NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
"""Numbers of nested numbered lists by level, repeating: 1. then a. then i. (as the PDF)."""
BOX_PADDING = 8.0
"""Points between a box's border and its text."""


def list_indent(role: str, ilvl: int) -> tuple[int, int]:
    """Left and hanging indent, in twips, of an item of a ``role`` list at level ``ilvl``."""
    style = BY_ROLE[role]
    return twips(style.left + LIST_STEP * ilvl), twips(style.hanging)


def list_numbering_name(role: str) -> str:
    """The name of the house style's numbering definition for ``role`` lists."""
    return f"Memo {BY_ROLE[role].name}"


class StyleIndex:
    """The styles of a document, found by id or by name regardless of case."""

    def __init__(self, styles_element: Any) -> None:
        self.root = styles_element
        self.by_id: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        for el in styles_element.findall(qn("w:style")):
            self.by_id.setdefault(el.get(qn("w:styleId"), ""), el)
            name = el.find(qn("w:name"))
            if name is not None:
                self.by_name.setdefault(name.get(qn("w:val"), "").lower(), el)

    def find(self, style: WordStyle) -> Any | None:
        """The document's element for ``style``: by id if of the right type, else by name."""
        for el in (self.by_id.get(style.style_id), self.by_name.get(style.name.lower())):
            if el is not None and el.get(qn("w:type"), "paragraph") == style.kind:
                return el
        return None

    def free_id(self, wanted: str) -> str:
        """``wanted``, or ``wanted`` with a number when another style already has it."""
        candidate, n = wanted, 1
        while candidate in self.by_id:
            n += 1
            candidate = f"{wanted}{n}"
        return candidate


def style_ids(styles_element: Any) -> dict[str, str]:
    """Role → style id in a styled document (every role of :data:`STYLES` is there)."""
    index = StyleIndex(styles_element)
    out = {}
    for style in STYLES:
        el = index.find(style)
        if el is not None:
            out[style.role] = el.get(qn("w:styleId"))
    return out


class StyleSheet:
    """Writes the house style into a document's Word styles and numbering."""

    def __init__(self, word: Any, hs: HouseStyle, lang_tag: str, reference: bool) -> None:
        self.word = word
        self.hs = hs
        self.lang = lang_tag
        self.reference = reference
        """A user's reference document: keep the styles it has."""
        self.root = word.styles.element
        self.index = StyleIndex(self.root)
        key = hs.east_asian
        # Hangul and CJK text takes Word's East Asian font slot; without a font for it,
        # the body font's name is the best hint to give Word.
        self.east_asian = hs.fonts[key].docx_name if key else None
        self.created: set[str] = set()
        """Roles whose style this sheet made (the others came with the document)."""

    def apply(self) -> None:
        """Restyle (or, with a reference document, complete) the document's styles."""
        if not self.reference:
            self.defaults()
        self.language()
        for style in STYLES:
            if style.kind == "paragraph":
                self.paragraph_style(style)
        self.character_styles()
        self.table_styles()
        self.numbering()
        if not self.reference:
            self.prune()

    # ------------------------------------------------------------------ finding or making

    def element(self, style: WordStyle) -> Any:
        """The style's element, made (with Word's id and name) when the document lacks it."""
        el = self.index.find(style)
        if el is not None:
            return el
        style_id = self.index.free_id(style.style_id)
        el = E(
            "w:style",
            {"w:type": style.kind, "w:styleId": style_id},
            val("w:name", style.name),
        )
        if style.kind == "paragraph" and style.role != "body":
            based = "h1" if style.role == "toc_heading" else "body"
            el.append(val("w:basedOn", self.id_of(based)))
            el.append(val("w:next", self.id_of("body")))
        el.append(E("w:qFormat"))
        self.root.append(el)
        self.index.by_id[style_id] = el
        self.index.by_name[style.name.lower()] = el
        self.created.add(style.role)
        return el

    def id_of(self, role: str) -> str:
        style_id: str = self.element(BY_ROLE[role]).get(qn("w:styleId"))
        return style_id

    # ------------------------------------------------------------------ paragraph styles

    def paragraph_style(self, style: WordStyle) -> None:
        el = self.element(style)
        if self.reference and style.role not in self.created:
            if style.outline is not None:  # keep the navigation pane and PDF bookmarks
                ppr = _child(el, "w:pPr", before=("w:rPr",))
                ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), str(style.outline))
            return
        self.restyle(el, style, self.hs.style(style.house))

    def restyle(self, el: Any, style: WordStyle, ps: ParaStyle) -> None:
        """Give ``el`` the look of house style ``ps`` (its old properties are replaced)."""
        for tag in ("w:pPr", "w:rPr"):
            for old in el.findall(qn(tag)):
                el.remove(old)
        ppr = E("w:pPr")
        if style.keep_next:
            ppr_child(ppr, "w:keepNext")
            ppr_child(ppr, "w:keepLines")
        if style.role == "body":
            # No automatic extra space between Hangul and Latin letters or digits: the
            # memo's spacing is what the officer typed, as in the PDF ("2024년", not
            # "2024 년"). On Normal, as LibreOffice ignores it in the document defaults.
            for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
                ppr_child(ppr, name).set(qn("w:val"), "0")
        if style.role in ("toc1", "toc2"):
            tab = E("w:tab", {"w:val": "right", "w:leader": "dot",
                              "w:pos": twips(text_width(self.hs))})  # fmt: skip
            ppr_child(ppr, "w:tabs").append(tab)
        if style.role in ("header", "footer"):
            ppr_child(ppr, "w:tabs").append(
                E("w:tab", {"w:val": "right", "w:pos": twips(text_width(self.hs))})
            )
        spacing = ppr_child(ppr, "w:spacing")
        spacing.set(qn("w:before"), str(twips(ps.space_before)))
        spacing.set(qn("w:after"), str(twips(ps.space_after)))
        # "at least" the house style's leading: an inline image or a larger font a
        # colleague adds grows the line instead of being clipped, as "exact" would
        spacing.set(qn("w:line"), str(twips(ps.leading)))
        spacing.set(qn("w:lineRule"), "atLeast")
        if style.left or style.hanging:
            ind = ppr_child(ppr, "w:ind")
            ind.set(qn("w:left"), str(twips(style.left)))
            if style.hanging:
                ind.set(qn("w:hanging"), str(twips(style.hanging)))
        ppr_child(ppr, "w:jc").set(qn("w:val"), ALIGN[ps.align])
        if style.outline is not None:
            ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), str(style.outline))
        elif style.role == "toc_heading":
            ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), "9")  # body text: not in the TOC
        el.append(ppr)
        el.append(self.run_properties(ps))

    def east_asian_for(self, key: str) -> str | None:
        """The East Asian slot's font for text in font ``key``: the font itself when it
        draws Hangul (a Myeongjo body), else the house style's East Asian font."""
        font = self.hs.fonts[key]
        return font.docx_name if font.east_asian else self.east_asian

    def run_properties(self, ps: ParaStyle) -> Any:
        """Run properties for house style ``ps``: fonts, weight, slant, colour, size."""
        rpr = E("w:rPr")
        set_fonts(rpr, self.hs.fonts[ps.font].docx_name, self.east_asian_for(ps.font))
        for tag, on in (("w:b", ps.bold), ("w:bCs", ps.bold), ("w:i", ps.italic),
                        ("w:iCs", ps.italic)):  # fmt: skip
            rpr.append(val(tag, 1 if on else 0))
        rpr.append(val("w:color", hex_color(ps.color)))
        size = round(ps.size * 2)  # half-points
        rpr.append(val("w:sz", size))
        rpr.append(val("w:szCs", size))
        return rpr

    # ------------------------------------------------------------------ document defaults

    def run_defaults(self) -> Any:
        """The document's default run properties (w:docDefaults/w:rPrDefault/w:rPr), made
        if a reference document has none."""
        node = self.root
        for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"):
            found = node.find(qn(tag))
            if found is None:
                found = E(tag)
                node.insert(0, found)
            node = found
        return node

    def defaults(self) -> None:
        body = self.hs.style("body")
        set_fonts(
            self.run_defaults(), self.hs.fonts[body.font].docx_name, self.east_asian_for(body.font)
        )

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

    # ------------------------------------------------------------------ numbering

    def numbering(self) -> None:
        """Bullets, numbered lists and (if the house style numbers sections) Heading 1."""
        numbering = Numbering(self.word)
        accent = hex_color(self.hs.color("accent"))
        body_font = self.hs.fonts[self.hs.style("body").font].docx_name
        bullets = self.hs.bullets
        for role in ("list", "list_number"):
            el = self.element(BY_ROLE[role])
            # a reference document's own list numbering stays on its style (and serves the
            # levels it defines); the house style's serves the others
            linked = not (self.reference and role not in self.created and _num_id(el) is not None)
            levels = []
            for i in range(LIST_LEVELS):
                if role == "list":
                    fmt, text = "bullet", bullets[min(i, len(bullets) - 1)]
                else:
                    fmt, text = NUMBER_FORMATS[i % len(NUMBER_FORMATS)], f"%{i + 1}."
                left, hanging = list_indent(role, i)
                levels.append(
                    level(i, fmt, text, left=left, hanging=hanging, font=body_font,
                          east_asian=self.east_asian, color=accent, bold=fmt != "bullet",
                          style_id=el.get(qn("w:styleId")) if linked and i == 0 else None)
                )  # fmt: skip
            abstract = numbering.define(levels, list_numbering_name(role))
            if linked:
                _set_style_num(el, numbering.instance(abstract))
        scheme = self.hs.section_numbers
        heading = self.element(BY_ROLE["h1"])
        if scheme != "none" and (not self.reference or "h1" in self.created):
            fmt = "upperRoman" if scheme == "roman" else "decimal"
            abstract = numbering.define(
                [level(0, fmt, "%1.", left=0, hanging=0, style_id=heading.get(qn("w:styleId")),
                       suffix="space")],
                "Memo sections",
            )  # fmt: skip
            _set_style_num(heading, numbering.instance(abstract))
            # the contents heading is based on Heading 1, but is no section of its own
            _set_style_num(self.element(BY_ROLE["toc_heading"]), 0)

    # ------------------------------------------------------------------ other styles

    def character_styles(self) -> None:
        """Hyperlink, and the footnote mark (superscript, as Word's own), where missing."""
        looks = {
            "hyperlink": (val("w:color", hex_color(self.hs.color("accent"))), val("w:u", "single")),
            "footnote_ref": (val("w:vertAlign", "superscript"),),
        }
        for role, look in looks.items():
            el = self.element(BY_ROLE[role])
            if role in self.created:
                el.append(E("w:rPr", None, *look))

    def table_styles(self) -> None:
        for role, make in (
            ("table", self._memo_table), ("fields", self._memo_fields), ("box", self._memo_box),
        ):  # fmt: skip
            el = self.element(BY_ROLE[role])
            if role in self.created or not self.reference:
                for old in list(el):
                    if old.tag != qn("w:name"):
                        el.remove(old)
                for part in make():
                    el.append(part)

    def _memo_table(self) -> list[Any]:
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
        return [
            *_table_style_head(40),
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
        ]

    def _memo_fields(self) -> list[Any]:
        """The memo header's table style: rules above and below, no cell padding at left."""
        rule = hex_color(self.hs.color("rule"))
        borders = E("w:tblBorders", None, _rule("top", 6, rule), _rule("bottom", 6, rule))
        return [
            *_table_style_head(41),
            E("w:tblPr", None, borders, _cell_margins(50, 0, 50, 120)),
        ]

    def _memo_box(self) -> list[Any]:
        """A box's table style: a border all round, the cell filled, room inside."""
        color = hex_color(self.hs.color("box_border"))
        fill = hex_color(self.hs.color("box_fill"))
        pad = twips(BOX_PADDING)
        sides = ("top", "left", "bottom", "right")
        return [
            *_table_style_head(42),
            E(
                "w:tblPr",
                None,
                E("w:tblBorders", None, *(_rule(side, 6, color) for side in sides)),
                _cell_margins(pad, pad, pad - 40, pad),
            ),
            E("w:tcPr", None, E("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})),
        ]

    # ------------------------------------------------------------------ pruning

    def prune(self) -> None:
        """Keep only the styles a memo uses (and those they are based on or link to).

        python-docx's default template defines some 160 styles (359 kB), which every memo
        would carry and compress; Word and LibreOffice know their built-in styles anyway
        and add any a colleague picks. This is what Word itself saves.
        """
        wanted = {el.get(qn("w:styleId")) for s in STYLES if (el := self.index.find(s)) is not None}
        by_id = {el.get(qn("w:styleId")): el for el in self.root.findall(qn("w:style"))}
        wanted |= {sid for sid, el in by_id.items() if el.get(qn("w:default")) in ("1", "true")}
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
                self.root.remove(el)


def _child(parent: Any, tag: str, before: tuple[str, ...] = ()) -> Any:
    from .ooxml import child

    return child(parent, tag, before=before)


def _num_id(style: Any) -> str | None:
    numpr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    ref = numpr.find(qn("w:numId")) if numpr is not None else None
    return ref.get(qn("w:val")) if ref is not None else None


def _set_style_num(style: Any, num_id: int) -> None:
    """Number every paragraph of ``style`` with instance ``num_id`` (0: none)."""
    ppr = _child(style, "w:pPr", before=("w:rPr", "w:tblPr"))
    old = ppr.find(qn("w:numPr"))
    if old is not None:
        ppr.remove(old)
    numpr = num_pr(num_id)
    if num_id == 0:  # "no numbering": the level does not matter
        numpr.remove(numpr.find(qn("w:ilvl")))
    ppr_child(ppr, "w:numPr").getparent().replace(ppr.find(qn("w:numPr")), numpr)


def _table_style_head(priority: int) -> list[Any]:
    """A custom table style's basics: based on Table Normal, no paragraph spacing in cells."""
    return [
        val("w:basedOn", "TableNormal"),
        val("w:uiPriority", priority),
        E("w:qFormat"),
        E("w:pPr", None, E("w:spacing", {"w:before": 0, "w:after": 0})),
    ]


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
