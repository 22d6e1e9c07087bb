"""DOCX writer: renders the document model with python-docx, using named Word styles.

Appearance lives in Word styles (Title, Heading 1/2, List Bullet, List Number, the
``Memo Table`` table style, and ``Memo …`` paragraph styles), set from the house style or
taken from a user's reference document, so colleagues restyle a memo in Word the usual way.
python-docx has no API for page fields, repeating header rows, hyperlinks, numbering restarts
or the East Asian font slot; the small OOXML helpers below fill those gaps.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Pt, RGBColor
from docx.styles.style import StyleFactory
from lxml import etree

from .. import document as d
from ..errors import BuildError, UsageError
from ..style import HouseStyle, ParaStyle
from .base import dispatch

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
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_LANGS = {"en": "en-GB", "ko": "ko-KR"}
_TWIPS_PER_PT = 20
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_KEEP_ROW_CHARS = 1500
"""Rows with less text than this never split across pages (about a third of a page)."""


def _word_lang(tag: str) -> str:
    return _LANGS.get(tag, tag)


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


class DocxWriter:
    """Render a document as an editable Word memo."""

    format: ClassVar[str] = "docx"
    extension: ClassVar[str] = ".docx"

    def __init__(
        self, style: HouseStyle, reference_docx: Path | None = None, **options: Any
    ) -> None:
        self.hs = style
        self.reference = reference_docx
        if reference_docx is not None and not Path(reference_docx).is_file():
            raise UsageError(f"reference document {reference_docx} does not exist")

        # ------------------------------------------------------------------ document

        self._templates: dict[str, bytes] = {}

    def template(self, lang: str) -> bytes:
        """The starting package for a memo in ``lang``: styles and page set up, body empty.

        Made once per language and reopened for each memo, which is several times faster
        than restyling python-docx's default template every time.
        """
        if lang not in self._templates:
            try:
                word = docx.Document(str(self.reference) if self.reference else None)
            except Exception as exc:  # python-docx raises several types for a bad package
                msg = f"cannot open reference document {self.reference}: {exc}"
                raise UsageError(msg) from None
            body = word.element.body
            # The default template ships one empty paragraph; a memo starts with its title.
            for p in list(body.iterchildren(qn("w:p"))):
                body.remove(p)
            sheet = _StyleSheet(word, self.hs, lang)
            if self.reference is None:
                sheet.apply()
            else:
                sheet.ensure_custom(self.reference)
            _page_setup(word, self.hs)
            buf = io.BytesIO()
            word.save(buf)
            self._templates[lang] = buf.getvalue()
        return self._templates[lang]

    def render(self, doc: d.Document) -> bytes:
        """Return the DOCX bytes of ``doc``."""
        return _Render(self, doc).run()


class _Render:
    """One rendering: holds the python-docx document while blocks are added."""

    def __init__(self, writer: DocxWriter, doc: d.Document) -> None:
        self.w = writer
        self.hs = writer.hs
        self.doc = doc
        self.word = docx.Document(io.BytesIO(writer.template(doc.meta.lang)))
        self.body = self.word.element.body
        self.handlers: dict[type, Any] = {
            d.TitleBlock: self.title_block,
            d.Fields: self.fields,
            d.Heading: self.heading,
            d.Paragraph: self.paragraph,
            d.BulletList: self.bullet_list,
            d.NumberedList: self.numbered_list,
            d.Table: self.table,
            d.QA: self.qa,
            d.Toc: self.toc,
        }
        self.bookmark_id = 0
        self._style_ids: dict[str, str] = {}
        self.raw_rows: dict[str, str] = {}
        """Placeholder → WordprocessingML of plain table rows, spliced in when saving."""

    def run(self) -> bytes:
        for block in self.doc.blocks:
            dispatch(self.handlers, block)
        self.furniture()
        self.properties()
        return _package(self.word, self.raw_rows)

    # ------------------------------------------------------------------ helpers

    def style_name(self, house: str) -> str:
        self.hs.style(house)
        return WORD_STYLES[house]

    def style_id(self, word_name: str) -> str:
        """Word style name → style id, looked up once: python-docx's lookup scans every style."""
        sid = self._style_ids.get(word_name)
        if sid is None:
            sid = self._style_ids[word_name] = self.word.styles[word_name].style_id
        return sid

    def new_par(self, word_name: str, text: str = "") -> Any:
        """Append a body paragraph in the Word style ``word_name``."""
        par = self.word.add_paragraph(text)
        _set_pstyle(par._p, self.style_id(word_name))
        return par

    def add_par(self, style: str, content: d.Inlines = ()) -> Any:
        par = self.new_par(self.style_name(style))
        self.inlines(par, content)
        return par

    def inlines(self, par: Any, nodes: d.Inlines, bold: bool = False, italic: bool = False) -> None:
        for node in nodes:
            if isinstance(node, d.Text):
                run = par.add_run(node.text)
                if bold:
                    run.bold = True
                if italic:
                    run.italic = True
            elif isinstance(node, d.Strong):
                self.inlines(par, node.children, True, italic)
            elif isinstance(node, d.Emph):
                self.inlines(par, node.children, bold, True)
            elif isinstance(node, d.LineBreak):
                par.add_run().add_break()
            elif isinstance(node, d.Link):
                self.hyperlink(par, node, bold, italic)
            else:  # pragma: no cover - the reader builds only the nodes above
                raise TypeError(f"unknown inline node {type(node).__name__}")

    def hyperlink(self, par: Any, node: d.Link, bold: bool, italic: bool) -> None:
        rid = par.part.relate_to(node.href, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        link.set(qn("w:history"), "1")
        for text in _texts(node.children):
            r = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            rstyle = OxmlElement("w:rStyle")
            rstyle.set(qn("w:val"), "Hyperlink")
            rpr.append(rstyle)
            if bold:
                rpr.append(OxmlElement("w:b"))
            if italic:
                rpr.append(OxmlElement("w:i"))
            r.append(rpr)
            t = OxmlElement("w:t")
            t.text = text
            t.set(qn("xml:space"), "preserve")
            r.append(t)
            link.append(r)
        par._p.append(link)

    # ------------------------------------------------------------------ blocks

    def title_block(self, node: d.TitleBlock) -> None:
        if node.kicker:
            self.add_par("kicker", node.kicker)
        self.add_par("title", node.title)
        if node.subtitle:
            self.add_par("subtitle", node.subtitle)

    def fields(self, node: d.Fields) -> None:
        table = self.word.add_table(rows=0, cols=2)
        table.style = self.word.styles[FIELDS_STYLE]
        width = self.text_width()
        label_w = int(Pt(30 * 72 / 25.4))
        widths = (label_w, width - label_w)
        _set_table_width(table, width, widths)
        tbl = table._tbl
        for i, f in enumerate(node.rows):
            tr = _row_xml(widths, cant_split=True)
            tbl.append(tr)
            label_p, value_p = (tc.find(qn("w:p")) for tc in tr.iterchildren(qn("w:tc")))
            self.fill(label_p, "field_label", (d.Text(f.label),))
            self.fill(value_p, "field_value", f.value)
            if i < len(node.rows) - 1:  # Word keeps a table together via keep-with-next
                for p in (label_p, value_p):
                    keep = OxmlElement("w:keepNext")
                    p.find(qn("w:pPr")).append(keep)
        self.spacer()

    def fill(self, p_el: Any, style: str, content: d.Inlines) -> None:
        from docx.text.paragraph import Paragraph

        par = Paragraph(p_el, self.word._body)
        _set_pstyle(p_el, self.style_id(self.style_name(style)))
        self.inlines(par, content)

    def spacer(self) -> None:
        par = self.new_par(self.style_name("body"))
        par.paragraph_format.space_after = Pt(0)
        par.paragraph_format.line_spacing = Pt(6)

    def heading(self, node: d.Heading) -> None:
        par = self.add_par("h1" if node.level == 1 else "h2", node.content)
        self.bookmark(par, node.anchor)

    def bookmark(self, par: Any, name: str) -> None:
        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), f"_{name.replace('-', '_')}")
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        ppr = par._p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            par._p.insert(0, start)
        par._p.append(end)

    def paragraph(self, node: d.Paragraph) -> None:
        self.add_par(node.style, node.content)

    def bullet_list(self, node: d.BulletList) -> None:
        for item in node.items:
            par = self.new_par("List Bullet")
            self.inlines(par, item)

    def numbered_list(self, node: d.NumberedList) -> None:
        num_id = _restart_numbering(self.word, "List Number")
        for item in node.items:
            par = self.new_par("List Number")
            if num_id is not None:
                _set_num(par, num_id)
            self.inlines(par, item)

    def table(self, node: d.Table) -> None:
        width = self.text_width()
        total = sum(c.width for c in node.columns)
        widths = tuple(int(width * c.width / total) for c in node.columns)
        table = self.word.add_table(rows=0, cols=len(node.columns))
        table.style = self.word.styles[TABLE_STYLE]
        _set_table_width(table, width, widths)
        tbl = table._tbl
        # Rows are built as XML: python-docx's add_row() re-scans the table each time.
        header = _row_xml(widths, header=True)
        tbl.append(header)
        for tc, col in zip(header.iterchildren(qn("w:tc")), node.columns, strict=True):
            self.fill(tc.find(qn("w:p")), "table_header", col.header)
        cell_style = self.style_name("table_cell")
        plain = _PlainRows(widths, self.style_id(cell_style), self.raw_rows)
        for row in node.rows:
            if plain.add(row):
                continue
            plain.flush(tbl)
            # A row with formatting or links goes through python-docx's run API.
            tr = _row_xml(widths, cant_split=_short(row))
            tbl.append(tr)
            for tc, content in zip(tr.iterchildren(qn("w:tc")), row, strict=True):
                self.fill(tc.find(qn("w:p")), "table_cell", content)
        plain.flush(tbl)
        if node.caption:
            self.add_par("caption", node.caption)
        else:
            self.spacer()

    def qa(self, node: d.QA) -> None:
        q = self.new_par(self.style_name("question"))
        label = q.add_run(f"{node.question_label}\t")
        label.font.color.rgb = RGBColor.from_string(_hex(self.hs.color("accent")))
        self.inlines(q, node.question)
        for i, para in enumerate(node.answer):
            a = self.new_par(self.style_name("answer"))
            if i == 0:
                run = a.add_run(f"{node.answer_label}\t")
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(_hex(self.hs.color("accent")))
            else:
                a.add_run("\t")
            self.inlines(a, para)

    def toc(self, node: d.Toc) -> None:
        heading = self.new_par("TOC Heading", node.title)
        heading.paragraph_format.keep_with_next = True
        entries = [b for b in self.doc.blocks if isinstance(b, d.Heading)]
        # A TOC field whose cached result already lists the headings: Word and LibreOffice
        # show it at once, without asking to update fields (quarto-cli#8330, docxtpl#439).
        first = self.new_par(self.style_name("toc1"))
        _field_begin(first, r'TOC \o "1-2" \h \z \u')
        for i, h in enumerate(entries):
            par = (
                first
                if i == 0
                else self.new_par(self.style_name("toc1" if h.level == 1 else "toc2"))
            )
            par.add_run(d.plain_text(h.content))
        last = self.new_par(self.style_name("toc1")) if not entries else par
        _field_end(last)

    # ------------------------------------------------------------------ page

    def text_width(self) -> int:
        page_w, _ = self.hs.page_size
        _top, right, _bottom, left = self.hs.margins
        return int(Pt(page_w - left - right))

    def furniture(self) -> None:
        meta = self.doc.meta
        sec = self.word.sections[0]
        sec.different_first_page_header_footer = not self.hs.first_page_furniture
        headers = [sec.header]
        footers = [sec.footer]
        if not self.hs.first_page_furniture:
            headers.append(sec.first_page_header)
            footers.append(sec.first_page_footer)
        right_tab = self.text_width()
        for i, header in enumerate(headers):
            header.is_linked_to_previous = False
            par = header.paragraphs[0]
            _set_pstyle(par._p, self.style_id(self.style_name("marking")))
            if meta.marking:
                par.add_run(meta.marking)
            if meta.draft:
                _watermark(par, meta.draft_label, self.hs)
            if i == 0 and meta.running_title:
                run_p = header.add_paragraph()
                _set_pstyle(run_p._p, self.style_id(self.style_name("header")))
                run_p.paragraph_format.tab_stops.add_tab_stop(
                    Emu(right_tab), WD_TAB_ALIGNMENT.RIGHT
                )
                run_p.add_run(meta.running_title)
                if meta.date_label:
                    run_p.add_run(f"\t{meta.date_label}")
                _bottom_border(run_p, self.hs.color("rule"))
        for footer in footers:
            footer.is_linked_to_previous = False
            par = footer.paragraphs[0]
            _set_pstyle(par._p, self.style_id(self.style_name("footer")))
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _top_border(par, self.hs.color("rule"))
            _page_label(par, meta.page_label)
            if meta.marking:
                mark = footer.add_paragraph(meta.marking)
                _set_pstyle(mark._p, self.style_id(self.style_name("marking")))
                mark.paragraph_format.space_before = Pt(4)

    def properties(self) -> None:
        meta = self.doc.meta
        props = self.word.core_properties
        props.title = _prop(meta.title)
        props.subject = _prop(meta.subject)
        props.author = _prop(meta.author)
        props.keywords = _prop(", ".join(meta.keywords))
        props.language = _word_lang(meta.lang)
        props.comments = ""
        props.category = "Briefing memo"
        props.last_modified_by = "reports"
        props.revision = 1
        stamp = (meta.timestamp or _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)).replace(
            tzinfo=None
        )
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp


# ---------------------------------------------------------------------- styles


class _StyleSheet:
    """Writes the house style into the document's Word styles."""

    def __init__(self, word: Any, hs: HouseStyle, lang: str) -> None:
        self.word = word
        self.hs = hs
        self.lang = _word_lang(lang)
        self.styles = word.styles
        self._known = self.names()
        self.normal = self.styles["Normal"]
        key = hs.east_asian
        # Hangul and CJK text takes Word's East Asian font slot; without a font for it,
        # the body font's name is the best hint to give Word.
        self.east_asian = hs.fonts[key].docx_name if key else None

    def apply(self) -> None:
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
                    level = OxmlElement("w:outlineLvl")
                    level.set(qn("w:val"), str(int(word_name[-1]) - 1))
                    ppr.append(level)
        self.language()
        self.hyperlink_style()
        self.table_styles(only_missing=True)

    def run_defaults(self) -> Any:
        """The document's default run properties (w:docDefaults/w:rPrDefault/w:rPr), made
        if a reference document has none."""
        node = self.styles.element
        for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"):
            child = node.find(qn(tag))
            if child is None:
                child = OxmlElement(tag)
                node.insert(0, child)
            node = child
        return node

    def language(self) -> None:
        """Mark the document's language (and Hangul's) in the run defaults."""
        rpr = self.run_defaults()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
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
        rpr = self.run_defaults()
        _set_fonts(rpr, font.docx_name, self.east_asian)
        self.language()
        # No automatic extra space between Hangul and Latin letters or digits: the memo's
        # spacing is what the officer typed, as in the PDF ("2024년", not "2024 년").
        # Set on Normal, which every memo style is based on (LibreOffice ignores it in the
        # document defaults).
        ppr = self.styles["Normal"].element.get_or_add_pPr()
        later = {
            qn(t)
            for t in (
                "w:bidi",
                "w:adjustRightInd",
                "w:snapToGrid",
                "w:spacing",
                "w:ind",
                "w:contextualSpacing",
                "w:jc",
                "w:outlineLvl",
            )
        }
        anchor = next((c for c in ppr if c.tag in later), None)
        for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
            flag = ppr.find(qn(name))
            if flag is None:
                flag = OxmlElement(name)
                if anchor is not None:
                    anchor.addprevious(flag)  # schema order: before spacing and indents
                else:
                    ppr.append(flag)
            flag.set(qn("w:val"), "0")

    def set_paragraph_style(self, style: Any, ps: ParaStyle) -> None:
        font = style.font
        font.name = self.hs.fonts[ps.font].docx_name
        rpr = style.element.get_or_add_rPr()
        _set_fonts(rpr, self.hs.fonts[ps.font].docx_name, self.east_asian)
        font.size = Pt(ps.size)
        font.bold = ps.bold
        font.italic = ps.italic
        font.color.rgb = RGBColor.from_string(_hex(ps.color))
        color = rpr.find(qn("w:color"))
        if color is not None:
            for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
                color.attrib.pop(qn(attr), None)
        pf = style.paragraph_format
        pf.space_before = Pt(ps.space_before)
        pf.space_after = Pt(ps.space_after)
        pf.line_spacing = Pt(ps.leading)
        pf.alignment = _ALIGN[ps.align]

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
            rpr = OxmlElement("w:rPr")
            lvl.append(rpr)
        body = self.hs.fonts[self.hs.style("body").font].docx_name
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            rpr.remove(fonts)
        _set_fonts(rpr, body, self.east_asian)

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
        style.font.color.rgb = RGBColor.from_string(_hex(self.hs.color("accent")))
        style.font.underline = True

    def table_styles(self, only_missing: bool = False) -> None:
        names = self._known
        pad = int(self.hs.table_padding * _TWIPS_PER_PT)
        rule = _hex(self.hs.color("rule"))
        rule_w = max(2, int(self.hs.table_rule * 8))
        head = _hex(self.hs.color("table_header"))
        stripe = _hex(self.hs.color("table_stripe"))
        head_text = _hex(self.hs.style("table_header").color)
        if not (only_missing and TABLE_STYLE in names):
            self.styles.element.append(
                parse_xml(
                    _TABLE_STYLE_XML.format(
                        ns=nsdecls("w"),
                        name=TABLE_STYLE,
                        sid="MemoTable",
                        pad=pad,
                        padh=pad + 20,
                        rule=rule,
                        rule_w=rule_w,
                        head=head,
                        stripe=stripe,
                        head_text=head_text,
                    )
                )
            )
        if not (only_missing and FIELDS_STYLE in names):
            self.styles.element.append(
                parse_xml(
                    _FIELDS_STYLE_XML.format(
                        ns=nsdecls("w"),
                        name=FIELDS_STYLE,
                        sid="MemoFields",
                        rule=rule,
                    )
                )
            )


_TABLE_STYLE_XML = """<w:style {ns} w:type="table" w:customStyle="1" w:styleId="{sid}">
  <w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>
  <w:tblPr><w:tblStyleRowBandSize w:val="1"/>
    <w:tblBorders>
      <w:bottom w:val="single" w:sz="{rule_w}" w:space="0" w:color="{rule}"/>
      <w:insideH w:val="single" w:sz="{rule_w}" w:space="0" w:color="{rule}"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="{pad}" w:type="dxa"/><w:left w:w="{padh}" w:type="dxa"/>
      <w:bottom w:w="{pad}" w:type="dxa"/><w:right w:w="{padh}" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:color w:val="{head_text}"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{head}"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{stripe}"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""

_FIELDS_STYLE_XML = """<w:style {ns} w:type="table" w:customStyle="1" w:styleId="{sid}">
  <w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="41"/>
  <w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="6" w:space="0" w:color="{rule}"/>
      <w:bottom w:val="single" w:sz="6" w:space="0" w:color="{rule}"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="50" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>
      <w:bottom w:w="50" w:type="dxa"/><w:right w:w="120" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
</w:style>"""


# ---------------------------------------------------------------------- OOXML helpers


def _prop(text: str) -> str:
    """Fit a core property: Word's limit is 255 characters."""
    return text if len(text) <= 255 else text[:254] + "…"


def _texts(nodes: d.Inlines) -> list[str]:
    return [d.plain_text(nodes)]


def _set_fonts(rpr: Any, name: str, east_asian: str | None = None) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), name)
    fonts.set(qn("w:eastAsia"), east_asian or name)


def _set_table_width(table: Any, width: int, widths: tuple[int, ...]) -> None:
    tbl = table._tbl
    tblpr = tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(width // 635))
    tblw.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    look = tblpr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tblpr.append(look)
    for attr, val in (
        ("w:firstRow", "1"),
        ("w:lastRow", "0"),
        ("w:firstColumn", "0"),
        ("w:lastColumn", "0"),
        ("w:noHBand", "0"),
        ("w:noVBand", "1"),
        ("w:val", "04A0"),
    ):
        look.set(qn(attr), val)
    grid = tbl.tblGrid
    for gc in list(grid):
        grid.remove(gc)
    for w in widths:
        gc = OxmlElement("w:gridCol")
        gc.set(qn("w:w"), str(w // 635))
        grid.append(gc)


def _row_xml(widths: tuple[int, ...], header: bool = False, cant_split: bool = False) -> Any:
    tr = OxmlElement("w:tr")
    if header or cant_split:
        trpr = OxmlElement("w:trPr")
        trpr.append(OxmlElement("w:cantSplit"))
        if header:  # repeat this row at the top of every page the table spans
            trpr.append(OxmlElement("w:tblHeader"))
        tr.append(trpr)
    for w in widths:
        tc = OxmlElement("w:tc")
        tcpr = OxmlElement("w:tcPr")
        tcw = OxmlElement("w:tcW")
        tcw.set(qn("w:w"), str(w // 635))
        tcw.set(qn("w:type"), "dxa")
        tcpr.append(tcw)
        tc.append(tcpr)
        tc.append(OxmlElement("w:p"))
        tr.append(tc)
    return tr


def _short(row: tuple[d.Inlines, ...]) -> bool:
    """Whether a row is short enough to be kept on one page (never split)."""
    return sum(len(d.plain_text(c)) for c in row) < _KEEP_ROW_CHARS


class _PlainRows:
    """Collects rows of plain-text cells as WordprocessingML text and parses them in one go.

    Building elements one by one through python-docx costs about 4 µs each, and a
    10,000-row timeline has a quarter of a million; one lxml parse of the same markup is
    many times faster. Text is escaped here, so it stays literal.
    """

    def __init__(self, widths: tuple[int, ...], style_id: str, store: dict[str, str]) -> None:
        self.store = store
        self.cells = [
            f'<w:tc><w:tcPr><w:tcW w:w="{w // 635}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>'
            for w in widths
        ]
        self.parts: list[str] = []

    def add(self, row: tuple[d.Inlines, ...]) -> bool:
        """Queue ``row``; return False (queueing nothing) if a cell has formatting or links."""
        if not all(isinstance(n, d.Text) for cell in row for n in cell):
            return False
        out = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>" if _short(row) else "<w:tr>"]
        for head, cell in zip(self.cells, row, strict=True):
            out.append(head)
            for node in cell:
                text = escape(node.text)  # type: ignore[union-attr]
                out.append(f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>')
            out.append("</w:p></w:tc>")
        out.append("</w:tr>")
        self.parts.append("".join(out))
        return True

    def flush(self, tbl: Any) -> None:
        """Append the queued rows to ``tbl``, in order, as a placeholder for the saver.

        The rows' text is spliced into document.xml when the package is written, so
        lxml never parses or serialises them (the bulk of a long timeline's DOCX time).
        """
        if not self.parts:
            return
        key = str(len(self.store))
        self.store[key] = "".join(self.parts)
        tbl.append(etree.ProcessingInstruction("reports-rows", key))
        self.parts = []


def _page_setup(word: Any, hs: HouseStyle) -> None:
    """Paper size and margins of the document's (only) section, from the house style."""
    sec = word.sections[0]
    top, right, bottom, left = hs.margins
    page_w, page_h = hs.page_size
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width = Emu(int(Pt(page_w)))
    sec.page_height = Emu(int(Pt(page_h)))
    sec.top_margin = Emu(int(Pt(top)))
    sec.bottom_margin = Emu(int(Pt(bottom)))
    sec.left_margin = Emu(int(Pt(left)))
    sec.right_margin = Emu(int(Pt(right)))
    sec.header_distance = Emu(int(Pt(9 * 72 / 25.4)))
    sec.footer_distance = Emu(int(Pt(7 * 72 / 25.4)))


def _set_pstyle(p_el: Any, style_id: str) -> None:
    """Give a ``w:p`` the paragraph style ``style_id`` (its pPr/pStyle, first in order)."""
    ppr = p_el.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p_el.insert(0, ppr)
    pstyle = ppr.find(qn("w:pStyle"))
    if pstyle is None:
        pstyle = OxmlElement("w:pStyle")
        ppr.insert(0, pstyle)
    pstyle.set(qn("w:val"), style_id)


def _restart_numbering(word: Any, style_name: str) -> int | None:
    """Make a new numbering instance for ``style_name`` that starts again at 1."""
    style = word.styles[style_name]
    ppr = style.element.find(qn("w:pPr"))
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None:
        return None
    base_num = int(numpr.find(qn("w:numId")).get(qn("w:val")))
    numbering = word.part.numbering_part.element
    abstract = None
    for num in numbering.findall(qn("w:num")):
        if int(num.get(qn("w:numId"))) == base_num:
            abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    if abstract is None:
        return None
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    numbering.append(num)
    return new_id


def _set_num(par: Any, num_id: int) -> None:
    ppr = par._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)
    pstyle = ppr.find(qn("w:pStyle"))
    if pstyle is not None:
        pstyle.addnext(numpr)
    else:
        ppr.insert(0, numpr)


def _field_run(par: Any, kind: str) -> None:
    run = par.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    run._r.append(fld)


def _field_begin(par: Any, instruction: str) -> None:
    _field_run(par, "begin")
    run = par.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _field_run(par, "separate")


def _field_end(par: Any) -> None:
    _field_run(par, "end")


def _field(par: Any, instruction: str, cached: str) -> None:
    """Add a complex field whose cached result is ``cached`` (shown until fields update)."""
    _field_begin(par, instruction)
    par.add_run(cached)
    _field_end(par)


def _page_label(par: Any, label: str) -> None:
    """Write ``Page {page} of {pages}`` with live PAGE and NUMPAGES fields."""
    rest = label
    while rest:
        idx_page = rest.find("{page}")
        idx_pages = rest.find("{pages}")
        hits = [(i, t) for i, t in ((idx_page, "{page}"), (idx_pages, "{pages}")) if i >= 0]
        if not hits:
            par.add_run(rest)
            break
        i, token = min(hits)
        if i:
            par.add_run(rest[:i])
        _field(par, "PAGE" if token == "{page}" else "NUMPAGES", "1")
        rest = rest[i + len(token) :]


def _border(par: Any, side: str, color: str) -> None:
    ppr = par._p.get_or_add_pPr()
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = OxmlElement("w:pBdr")
        ppr.append(pbdr)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), "4")
    el.set(qn("w:space"), "4")
    el.set(qn("w:color"), _hex(color))
    pbdr.append(el)


def _bottom_border(par: Any, color: str) -> None:
    _border(par, "bottom", color)


def _top_border(par: Any, color: str) -> None:
    _border(par, "top", color)


def _watermark(par: Any, text: str, hs: HouseStyle) -> None:
    """Add Word's standard diagonal text watermark (a VML text path) to a header paragraph."""
    wm = hs.style("draft")
    font = hs.fonts[wm.font].docx_name
    safe = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    xml = f"""<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"
      xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>
      <v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
        path="m@7,l@8,m@5,21600l@6,21600e">
        <v:formulas>
          <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
          <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
          <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
          <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
          <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
        </v:formulas>
        <v:path textpathok="t" o:connecttype="custom"
          o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
        <v:textpath on="t" fitshape="t"/>
        <v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
        <o:lock v:ext="edit" text="t" shapetype="t"/>
      </v:shapetype>
      <v:shape id="ReportsDraftWatermark" o:spid="_x0000_s1025" type="#_x0000_t136"
        style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;
        z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;
        mso-position-vertical:center;mso-position-vertical-relative:margin"
        o:allowincell="f" fillcolor="#{_hex(wm.color)}" stroked="f">
        <v:fill opacity=".5"/>
        <v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{safe}"/>
      </v:shape></w:pict></w:r>"""
    par._p.append(parse_xml(xml))


def _package(word: Any, raw_rows: dict[str, str]) -> bytes:
    """Write the package once, reproducibly: fixed entry times, sorted entries.

    python-docx's own save stamps the current time on every zip entry; this writes the
    same parts (through its PackageWriter's steps) into a zip we control, and splices the
    queued plain table rows into document.xml on the way.
    """
    from docx.opc.pkgwriter import PackageWriter

    writer: Any = PackageWriter  # its step methods are internal and untyped
    entries: dict[str, bytes] = {}

    class _Collect:
        def write(self, pack_uri: Any, blob: bytes) -> None:
            entries[pack_uri.membername] = blob

    package = word.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    sink = _Collect()
    writer._write_content_types_stream(sink, parts)
    writer._write_pkg_rels(sink, package.rels)
    writer._write_parts(sink, parts)
    if raw_rows:
        name = word.part.partname.membername
        xml = entries[name]
        for key, rows in raw_rows.items():
            marker = f"<?reports-rows {key}?>".encode()
            if marker not in xml:  # pragma: no cover - would mean lxml changed its output
                raise BuildError(f"table rows placeholder {key} missing from document.xml")
            xml = xml.replace(marker, rows.encode("utf-8"), 1)
        entries[name] = xml
    out = io.BytesIO()
    # [Content_Types].xml must come first for some readers; keep the rest sorted.
    order = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name])
    return out.getvalue()


__all__ = ["DocxWriter"]
