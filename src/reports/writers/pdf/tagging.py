"""Tagged PDF (PDF/UA-1, optionally PDF/A-2b) from ReportLab: marked content written while
platypus draws, the structure tree built from ReportLab's own PDF objects at save.

How content gets tagged:

- The canvas keeps a *context stack* (:attr:`Tagger.stack`): a structure element (real
  content), an artifact (page furniture), or the document root.
- ``canvas._code`` is an :class:`_MarkedList`, whose ``append`` looks at every operator
  string ReportLab adds: one that paints (a text object, a path ending in ``S``/``f``/…,
  an image ``Do``) is wrapped in ``/P <</MCID n>> BDC … EMC`` for the current element, or
  in ``/Artifact <<…>> BDC … EMC`` for furniture. Paths built over several strings are
  bracketed from their first (no marked content may start inside a path object). So
  whatever ReportLab draws is caught, and anything drawn outside every element stays
  untagged, which the tests' checker reports: nothing is hidden from assistive technology
  by default.
- Inside a structure element ``beginText`` returns a :class:`_TaggedText`, which opens the
  sequence inside ``BT … ET`` at the first text shown and switches to an inline element
  (a link, a span in another language) in the middle of a text object: marked content
  must nest properly with BT/ET (ISO 32000-1, 14.6). Inline elements are marked in
  paragraph markup with ReportLab's ``<ondraw>`` callback (:func:`link_markup`,
  :func:`span_markup`).
- Flowables push their element while they draw (:class:`TaggedParagraph`,
  :class:`TaggedTable`, :class:`TaggedList`, :class:`TaggedImage`). The parts of a split
  flowable share one :class:`Tag`, hence one element; each part adds its own MCIDs.
- Each link annotation is matched to the Link element whose text was on the line just
  drawn and gets ``/StructParent``, ``/Contents`` and an OBJR in that element.
- At save: StructTreeRoot, ParentTree, RoleMap, IDTree, MarkInfo, /Lang, XMP (dc:title,
  pdfuaid, and for PDF/A pdfaid with its extension schema) and the sRGB OutputIntent.

ReportLab internals relied on (pinned by the ``reportlab`` range in ``pyproject.toml``;
``tests/test_tagged_pdf.py`` breaks if one changes): ``Canvas._code``,
``_restartAccumulators``, ``_setAnnotations(page)``, ``_addAnnotation``, ``_doc``,
``_curr_tx_info``; ``PDFTextObject._formatText``/``_textOut``; ``PDFCatalog`` and
``PDFPage.__NoDefault__`` (the keys they write), ``Annotation.permitted``,
``PDFStream.format``; ``LIIndenter`` and ``DDIndenter._IndenterAttrs``; ``Table``'s
``renderCB`` hooks; ``Paragraph.split`` making its parts through ``self.__class__``.
"""

from __future__ import annotations

import contextlib
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from typing import Any
from xml.sax.saxutils import quoteattr

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Image, ListFlowable, Paragraph, Table
from reportlab.platypus.flowables import LIIndenter
from reportlab.platypus.tables import TableRenderCB

ROLE_MAP = {"Title": "P"}
"""Structure types of our own, and the standard type each stands for."""

ICC_PROFILE = "sRGB.icc"
"""The sRGB profile of PDF/A's OutputIntent, beside this module (see sRGB.icc.LICENSE)."""

# ----------------------------------------------------------------------------- model


class Tag:
    """What a flowable is in the structure tree; the split parts of a flowable share one
    Tag, so they make one element."""

    __slots__ = ("alt", "attrs", "href", "id", "lang", "role")

    def __init__(
        self,
        role: str,
        *,
        alt: str | None = None,
        lang: str | None = None,
        id: str | None = None,
        attrs: dict[str, Any] | None = None,
        href: str | None = None,
    ) -> None:
        self.role = role
        self.alt, self.lang, self.id, self.href = alt, lang, id, href
        self.attrs = attrs
        """The /A attribute dictionary, e.g. ``{"O": "Table", "Scope": "Column"}``."""


class _Elem:
    """A structure element being built."""

    __slots__ = ("bbox", "carry", "kids", "page", "parent", "role", "tag", "text")

    def __init__(self, role: str, parent: _Elem | None, tag: Tag | None) -> None:
        self.role, self.parent, self.tag = role, parent, tag
        self.kids: list[_Elem | tuple[int, int] | _ObjRef] = []
        """Child elements, marked content (page, MCID) and annotations, in reading order."""
        self.page: int | None = None
        """Page of the first marked content: the element's /Pg."""
        self.text: list[str] = []
        """Text shown in a Link element, for its annotation's /Contents."""
        self.carry: list[_Elem] = []
        """Inline elements open when a split part of this paragraph ended."""
        self.bbox: tuple[float, float, float, float] | None = None


class _ObjRef:
    __slots__ = ("annot", "page")

    def __init__(self, annot: Any, page: int) -> None:
        self.annot, self.page = annot, page


class _Ctx:
    __slots__ = ("artifact", "elem", "inline", "textual")

    def __init__(
        self,
        elem: _Elem | None,
        artifact: str | None = None,
        textual: bool = False,
        inline: bool = False,
    ) -> None:
        self.elem, self.artifact, self.textual, self.inline = elem, artifact, textual, inline


def _artifact(kind: str = "Pagination", subtype: str | None = None) -> str:
    props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
    return f"/Artifact <<{props}>> BDC"


_LAYOUT = _artifact("Layout")


class Tagger:
    """The tagging state of one canvas (one layout pass)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.root = _Elem("Document", None, None)
        self.stack: list[_Ctx] = [_Ctx(self.root)]
        self.art_depth = 0
        self.page_mcids: dict[int, list[_Elem]] = {}
        self.elems: dict[Any, _Elem] = {}
        self.annots: list[tuple[Any, _Elem]] = []
        self.line_links: list[_Elem] = []
        """Link elements whose text was shown since their annotations were last made."""
        self.label: _Elem | None = None
        """The Lbl element the next text object goes to (a paragraph's bullet)."""

    def container(self) -> _Elem:
        for c in reversed(self.stack):
            if c.elem is not None:
                return c.elem
        return self.root

    def elem(
        self, key: Any, role: str, parent: _Elem | None = None, tag: Tag | None = None
    ) -> _Elem:
        """The element for ``key``, made under ``parent`` (default: the current container)
        the first time it is asked for: the order elements are made in is reading order."""
        found = self.elems.get(key)
        if found is None:
            parent = parent or self.container()
            found = _Elem(role, parent, tag)
            parent.kids.append(found)
            self.elems[key] = found
        return found

    @contextlib.contextmanager
    def block(
        self, tag: Tag | None, *, textual: bool = False, key: Any = None, role: str | None = None
    ) -> Iterator[_Elem | None]:
        """Draw into the element of ``tag`` (``None``: into the current container)."""
        if self.art_depth:
            yield None
            return
        if tag is None and key is None:
            elem = self.container()
        else:
            assert tag is not None or role is not None
            elem = self.elem(key if key is not None else tag, role or tag.role, tag=tag)  # type: ignore[union-attr]
        self.stack.append(_Ctx(elem, textual=textual))
        try:
            yield elem
        finally:
            self.stack.pop()

    @contextlib.contextmanager
    def artifact(self, kind: str = "Pagination", subtype: str | None = None) -> Iterator[None]:
        self.push_artifact(_artifact(kind, subtype))
        try:
            yield
        finally:
            self.pop()

    def push_artifact(self, bdc: str) -> None:
        self.stack.append(_Ctx(None, artifact=bdc))
        self.art_depth += 1

    def push(self, elem: _Elem) -> None:
        self.stack.append(_Ctx(elem))

    def pop(self) -> None:
        if self.stack.pop().artifact:
            self.art_depth -= 1

    def push_inline(self, tag: Tag) -> None:
        if self.art_depth:
            self.stack.append(_Ctx(None, artifact=self.stack[-1].artifact, inline=True))
            return
        elem = _Elem(tag.role, self.container(), tag)
        elem.parent.kids.append(elem)  # type: ignore[union-attr]
        self.stack.append(_Ctx(elem, textual=True, inline=True))

    def pop_inline(self) -> None:
        if self.stack[-1].inline:
            self.stack.pop()

    # ---- marked content

    def bdc(self, elem: _Elem) -> str:
        """Open a marked-content sequence of ``elem`` on the current page."""
        page = self.canvas._pageNumber
        mcids = self.page_mcids.setdefault(page, [])
        mcid = len(mcids)
        mcids.append(elem)
        elem.kids.append((page, mcid))
        if elem.page is None:
            elem.page = page
        return f"/{elem.role} <</MCID {mcid}>> BDC"

    def open_for(self, ctx: _Ctx, is_text: bool) -> str | None:
        """The BDC that opens a painting operation drawn in ``ctx`` (``None``: leave it)."""
        if ctx.artifact:
            return ctx.artifact
        elem = ctx.elem
        if elem is None or elem is self.root:
            return None  # drawn outside every element: left untagged, so checks find it
        if ctx.textual and not is_text:
            return _LAYOUT  # a paragraph's underline, link rectangle or border
        return self.bdc(elem)

    # ---- annotations

    def register_annotation(self, annot: Any) -> bool:
        """Tie a new annotation to its Link element; ``False`` if it belongs to none."""
        target = _annot_target(annot)
        top = self.stack[-1].elem
        found: _Elem | None = None
        if top is not None and top.tag is not None and _same_target(top.tag.href, target):
            found = top  # a link drawn by a callback while it is open (a contents entry)
        else:
            for i, elem in enumerate(self.line_links):
                if elem.tag is not None and _same_target(elem.tag.href, target):
                    found = self.line_links.pop(i)
                    break
        if found is None:
            return False
        found.kids.append(_ObjRef(annot, self.canvas._pageNumber))
        self.annots.append((annot, found))
        return True


def _annot_target(annot: Any) -> str | None:
    if isinstance(annot, PDFDictionary):
        action = annot.dict.get("A")
        if isinstance(action, PDFDictionary):
            value = action.dict.get("URI") or action.dict.get("F")
            return getattr(value, "s", None)
        return None
    name = getattr(getattr(annot, "Destination", None), "name", None)
    return "#" + name if name else None


def _same_target(href: str | None, target: str | None) -> bool:
    return href is not None and target is not None and href == target


def tagger_of(canv: Any) -> Tagger | None:
    """The tagging state of ``canv``; ``None`` when it does not tag."""
    return getattr(canv, "_tagger", None) if canv is not None else None


@contextlib.contextmanager
def artifact(canv: Any, kind: str = "Pagination", subtype: str | None = None) -> Iterator[None]:
    """Draw page furniture: ``with artifact(canv, "Pagination", "Header"): ...``."""
    tg = tagger_of(canv)
    if tg is None:
        yield
        return
    with tg.artifact(kind, subtype):
        yield


# ----------------------------------------------------------------------------- content

_PAINT = frozenset(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "EI"))
_BUILD = frozenset(("m", "l", "c", "v", "y", "h", "re"))


class _Marked(str):
    """An operator string that carries its own BDC/EMC."""

    __slots__ = ()


class _MarkedList(list):  # type: ignore[type-arg]
    """``canvas._code`` that brackets every painting operation in marked content."""

    __slots__ = ("path_start", "tagger")

    def __init__(self, tagger: Tagger, items: Any = ()) -> None:
        super().__init__(items)
        self.tagger = tagger
        self.path_start: int | None = None
        """Index where a path built over several strings began."""

    def append(self, e: Any) -> None:
        if type(e) is _Marked:
            list.append(self, e)
            return
        if e[:2] == "BT":
            is_text = True
        else:
            toks = e.split()
            is_text = False
            if _PAINT.isdisjoint(toks):
                if toks and toks[-1] == "n":  # a path ended without painting (a clip)
                    self.path_start = None
                elif self.path_start is None and not _BUILD.isdisjoint(toks):
                    self.path_start = len(self)
                list.append(self, e)
                return
        start = len(self) if self.path_start is None else self.path_start
        self.path_start = None
        tg = self.tagger
        bdc = tg.open_for(tg.stack[-1], is_text)
        if bdc is None:
            list.append(self, e)
            return
        self.insert(start, bdc)
        list.append(self, e)
        list.append(self, "EMC")


class _TaggedText(PDFTextObject):  # type: ignore[misc]
    """A text object that opens its marked content inside BT…ET, at the first text shown,
    and switches element when the context changes (an inline Link or Span)."""

    def __init__(self, canvas: Canvas, x: float, y: float, direction: Any, tg: Tagger) -> None:
        self._tg = tg
        self._open: _Elem | None = None
        self._fixed = tg.label  # a paragraph's bullet: all of it is the Lbl
        tg.label = None
        super().__init__(canvas, x, y, direction)

    def _formatText(self, text: str) -> str:
        s: str = super()._formatText(text)
        if not text:
            return s
        tg = self._tg
        elem = self._fixed or tg.stack[-1].elem
        if elem is None or elem is tg.root:
            return s  # left untagged: the checks report it
        if elem is not self._open and not (self._open is not None and text.isspace()):
            # whitespace alone (a line's end) stays in the open sequence
            s = f"{'EMC ' if self._open is not None else ''}{tg.bdc(elem)} {s}"
            self._open = elem
        elem = self._open
        if elem is not None and elem.tag is not None and elem.tag.href is not None:
            elem.text.append(text)
            if not tg.line_links or tg.line_links[-1] is not elem:
                tg.line_links.append(elem)
        return s

    def _textOut(self, text: str, TStar: int = 0) -> None:
        # Lines are drawn without the space they were broken at, so text extraction and
        # screen readers glue the last word of a line to the first of the next: show a
        # real (trailing, invisible) space at each line's end.
        if TStar and not (text and text[-1].isspace()):
            text += " "
        super()._textOut(text, TStar)

    def getCode(self) -> str:
        if self._open is not None:
            self._code.append("EMC")
            self._open = None
        code: str = super().getCode()
        return code


ONDRAW = "tag"
"""The canvas callback of inline-element markers in paragraph markup."""


def link_markup(href: str, inner: str, **attrs: str) -> str:
    """Paragraph markup of a link in a Link element; ``inner`` is markup already."""
    extra = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return _inline("L" + href, f"<a href={quoteattr(href)}{extra}>{inner}</a>")


def span_markup(inner: str, lang: str) -> str:
    """Paragraph markup of a span in another language (``/Lang``)."""
    return _inline("S" + lang, inner)


def _inline(label: str, inner: str) -> str:
    start = f'<ondraw name="{ONDRAW}" label={quoteattr(label)}/>'
    return f'{start}{inner}<ondraw name="{ONDRAW}" label="-"/>'


def _on_inline(canv: Canvas, kind: str, label: str | None) -> None:
    tg = tagger_of(canv)
    if tg is None or not label:
        return
    if label == "-":
        tg.pop_inline()
    elif label[0] == "L":
        tg.push_inline(Tag("Link", href=label[1:]))
    else:
        tg.push_inline(Tag("Span", lang=label[1:]))


class TaggingCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes marked content and, on save, the structure tree.

    ``tagging`` (a :class:`Tagging`, the document's settings) is given through the
    template's canvas maker; ``None`` makes a plain canvas (an untagged build).
    """

    def __init__(self, *args: Any, tagging: Tagging | None = None, **kw: Any) -> None:
        if tagging is not None:
            kw.setdefault("pdfVersion", (1, 7))  # ISO 32000-1, which PDF/UA-1 builds on
        super().__init__(*args, **kw)
        self._tagging = tagging
        self.setNamedCB(ONDRAW, _on_inline)
        self._tagger: Tagger | None = None
        if tagging is not None:
            self._tagger = Tagger(self)
            self._code: list[str] = _MarkedList(self._tagger, self._code)

    def _restartAccumulators(self) -> None:
        super()._restartAccumulators()
        tg = self.__dict__.get("_tagger")
        if tg is not None and type(self._code) is list:
            self._code = _MarkedList(tg, self._code)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        tg = self._tagger
        if tg is not None:
            ctx = tg.stack[-1]
            if ctx.elem is not None and ctx.elem is not tg.root and not ctx.artifact:
                return _TaggedText(self, x, y, direction, tg)
        return super().beginText(x, y, direction)

    def drawText(self, text_object: Any) -> None:
        if isinstance(text_object, _TaggedText):
            self._code.append(_Marked(text_object.getCode()))
        else:
            super().drawText(text_object)

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        tg = self._tagger
        if tg is not None and tg.art_depth:
            # a link in furniture or in a repeated header row: an annotation cannot be an
            # artifact (ISO 14289-1, 7.18.1), and the first copy of the row has the link
            return
        super()._addAnnotation(annotation, name, addtopage)
        if tg is not None and addtopage:
            tg.register_annotation(annotation)  # one that belongs to none fails the checks

    def _setAnnotations(self, page: PDFPage) -> None:
        # showPage calls this for every page, with the page object: the hook for page keys
        super()._setAnnotations(page)
        tg = self._tagger
        if tg is None:
            return
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
        if self._pageNumber in tg.page_mcids:
            page.StructParents = self._pageNumber - 1
        page.Tabs = PDFName("S")

    def save(self) -> None:
        if self._tagging is None:
            super().save()
            return
        _finish(self, self._tagging)
        if self._tagging.pdfa:
            with _eol_before_endstream():
                super().save()
        else:
            super().save()


# ----------------------------------------------------------------------------- flowables


class TaggedParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph in one structure element: ``tag`` (default a new P), or with
    ``tag=None`` its text goes straight into the enclosing element (a cell, a list body).
    A bullet (a Q/A label, a note's mark) becomes an Lbl inside the element."""

    def __init__(
        self, text: Any, style: Any = None, *args: Any, tag: Tag | str | None = "P", **kw: Any
    ) -> None:
        super().__init__(text, style, *args, **kw)
        self._tag = Tag(tag) if isinstance(tag, str) else tag

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        for p in parts:
            p._tag = self._tag
        return parts

    def draw(self) -> None:
        tg = tagger_of(self.canv)
        if tg is None:
            super().draw()
            return
        with tg.block(self._tag, textual=True) as elem:
            if elem is None:  # drawn inside an artifact
                super().draw()
                return
            if self.bulletText:
                tg.label = _Elem("Lbl", elem, None)
                elem.kids.append(tg.label)
            depth = len(tg.stack)
            for inline in elem.carry:  # an inline element continued from the part before
                tg.stack.append(_Ctx(inline, textual=True, inline=True))
            elem.carry = []
            super().draw()
            tg.label = None
            while len(tg.stack) > depth:  # an inline element continues in the next part
                ctx = tg.stack.pop()
                if ctx.elem is not None:
                    elem.carry.insert(0, ctx.elem)


class TableRoles:
    """How a table's parts are tagged: the table's role; its rows' (``None``: rows and
    cells add nothing, their content goes into the table's element, as in a box); its
    cells' (``None``: their content goes into the row's element, as in a contents entry);
    and which leading rows or columns are headers (TH with /Scope)."""

    __slots__ = ("cell", "header_cols", "header_rows", "row", "table")

    def __init__(
        self,
        table: str = "Table",
        row: str | None = "TR",
        cell: str | None = "TD",
        header_rows: int = 1,
        header_cols: int = 0,
    ) -> None:
        self.table, self.row, self.cell = table, row, cell
        self.header_rows, self.header_cols = header_rows, header_cols


class _TableCallbacks(TableRenderCB):  # type: ignore[misc]
    """``Table(renderCB=...)``: TR, TH and TD around each row and cell; backgrounds and rules
    as artifacts; rows repeated at the top of a continuation page as artifacts too."""

    @staticmethod
    def _tg(table: Any) -> Tagger | None:
        tg = tagger_of(getattr(table, "canv", None))
        return tg if tg is not None and "_tag" in table.__dict__ else None

    def _enter(self, table: Any) -> Tagger | None:
        """The tagger, when the table's part is to be tagged; in furniture (or a repeated
        row) the part joins the artifact and ``None`` is returned."""
        tg = self._tg(table)
        if tg is not None and tg.art_depth:
            tg.push_artifact(tg.stack[-1].artifact or _LAYOUT)
            return None
        return tg

    def startTable(self, table: Any) -> None:
        tg = self._enter(table)
        if tg is None:
            return
        tg.push(tg.elem(table._tag, table._roles.table, tag=table._tag))

    def _layout(self, table: Any) -> None:
        tg = self._tg(table)
        if tg is not None:
            tg.push_artifact(_LAYOUT)

    def _end(self, table: Any) -> None:
        tg = self._tg(table)
        if tg is not None:
            tg.pop()

    startBG = startLines = _layout
    endBG = endLines = endRow = endCell = endTable = _end

    def startRow(self, table: Any, row: int) -> None:
        tg = self._enter(table)
        if tg is None:
            return
        if row < table._tag_repeat:
            tg.push_artifact(_artifact())  # the header row again, on a continuation page
            return
        if table._tag_rows[row] in table._tag_blank:
            tg.push_artifact(_LAYOUT)
            return
        roles: TableRoles = table._roles
        if roles.row is None:
            tg.push(tg.stack[-1].elem)  # type: ignore[arg-type]
            return
        parent = tg.stack[-1].elem
        tg.push(tg.elem((table._tag, "row", table._tag_rows[row]), roles.row, parent=parent))

    def startCell(
        self, table: Any, row: int, col: int, value: Any, style: Any, pos: Any, size: Any
    ) -> None:
        tg = self._enter(table)
        if tg is None:
            return
        roles: TableRoles = table._roles
        if roles.row is None or roles.cell is None:
            tg.push(tg.stack[-1].elem)  # type: ignore[arg-type]
            return
        orig = table._tag_rows[row]
        key = (table._tag, "cell", orig, col)
        elem = tg.elems.get(key)
        if elem is None:
            scope = (
                "Column" if orig < roles.header_rows else "Row" if col < roles.header_cols else None
            )
            elem = tg.elem(key, "TH" if scope else roles.cell, parent=tg.stack[-1].elem)
            if scope:
                elem.tag = Tag("TH", attrs={"O": "Table", "Scope": scope})
        tg.push(elem)


_TABLE_CALLBACKS = _TableCallbacks()


class TaggedTable(Table):  # type: ignore[misc]
    """A table tagged as ``roles`` say. Split parts share the element; a row split across
    pages keeps its TR and cells; header rows repeated on a later page are artifacts."""

    def __init__(
        self,
        data: Any,
        *args: Any,
        tag: Tag | None = None,
        roles: TableRoles | None = None,
        **kw: Any,
    ) -> None:
        kw["renderCB"] = _TABLE_CALLBACKS
        super().__init__(data, *args, **kw)
        self._roles = roles or TableRoles()
        self._tag = tag or Tag(self._roles.table)
        self._tag_rows = list(range(self._nrows))
        """The row of the whole table each row of this part is."""
        self._tag_repeat = 0
        """Leading rows that repeat the header on a continuation page."""
        self._tag_blank: frozenset[int] = frozenset()
        """Rows (of the whole table) that only make room: artifacts."""

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        if len(parts) == 2:
            first, rest = parts
            first._tag_rows = self._tag_rows[: first._nrows]
            first._tag_repeat = self._tag_repeat
            repeat = self.repeatRows
            head = list(range(repeat)) if isinstance(repeat, int) else sorted(repeat)
            tail = rest._nrows - len(head)
            rest._tag_rows = [self._tag_rows[i] for i in head] + self._tag_rows[
                len(self._tag_rows) - tail :
            ]
            rest._tag_repeat = len(head)
        for p in parts:
            p._tag, p._roles, p._tag_blank = self._tag, self._roles, self._tag_blank
            if len(p._tag_rows) != p._nrows:
                raise RuntimeError("tagging: lost track of table rows across a split")
        return parts


def tag_table(table: Table, tag: Tag, roles: TableRoles, rows: list[int], repeat: int) -> Table:
    """Make ``table`` (made by other code) a :class:`TaggedTable` of element ``tag``, its
    rows being ``rows`` of the whole table, the first ``repeat`` of them repeated."""
    table.__class__ = TaggedTable
    table._renderCB = _TABLE_CALLBACKS
    table._tag, table._roles, table._tag_rows, table._tag_repeat = tag, roles, rows, repeat
    table._tag_blank = frozenset()
    return table


class _TaggedIndenter(LIIndenter):  # type: ignore[misc]
    _IndenterAttrs = [*LIIndenter._IndenterAttrs, "_tag_list", "_tag_item"]  # noqa: RUF012

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        out = []
        for part in super().split(avail_width, avail_height):  # LIIndenter(...) hard-coded
            t = _TaggedIndenter.__new__(_TaggedIndenter)
            t.__dict__.update(part.__dict__)
            t._tag_list, t._tag_item = self._tag_list, self._tag_item
            out.append(t)
        return out

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tg = tagger_of(canv)
        if tg is None or tg.art_depth:
            super().drawOn(canv, x, y, _sW)
            return
        item = self._tag_item
        with tg.block(self._tag_list), tg.block(item):
            if self._bullet:
                with tg.block(None, key=(item, "Lbl"), role="Lbl"):
                    self._bullet.drawOn(self, canv, x, y, 0)
            with tg.block(None, key=(item, "LBody"), role="LBody"):
                width = max(0, _sW - self._leftIndent - self._rightIndent)
                self._flowable.drawOn(canv, x + self._leftIndent, y, width)


class TaggedList(ListFlowable):  # type: ignore[misc]
    """A list tagged L > LI > Lbl + LBody; a list nested in an item is in its LBody."""

    def __init__(self, flowables: Any, *args: Any, **kw: Any) -> None:
        super().__init__(flowables, *args, **kw)
        self._tag_list = Tag("L")

    def _makeLIIndenter(self, flowable: Any, bullet: Any, params: Any = None) -> Any:
        made = super()._makeLIIndenter(flowable, bullet, params)
        t = _TaggedIndenter.__new__(_TaggedIndenter)
        t.__dict__.update(made.__dict__)
        return t

    def _getContent(self) -> list[Any]:
        content: list[Any] = super()._getContent()
        item: Tag | None = None
        for f in content:
            if isinstance(f, _TaggedIndenter):
                if f._bullet or item is None:  # an item's later flowables have no bullet
                    item = Tag("LI")
                f._tag_list, f._tag_item = self._tag_list, item
        return content


class TaggedImage(Image):  # type: ignore[misc]
    """An image tagged Figure with /Alt, or, without alt text, a decorative artifact."""

    def __init__(self, *args: Any, alt: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._tag = Tag("Figure", alt=alt) if alt.strip() else None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tg = tagger_of(canvas)
        if tg is None:
            super().drawOn(canvas, x, y, _sW)
            return
        if self._tag is None:
            with tg.artifact("Layout"):
                super().drawOn(canvas, x, y, _sW)
            return
        with tg.block(self._tag) as elem:
            if elem is not None:
                x0 = self._hAlignAdjust(x, _sW)
                elem.bbox = (x0, y, x0 + self.drawWidth, y + self.drawHeight)
            super().drawOn(canvas, x, y, _sW)


# ----------------------------------------------------------------------------- document


class Tagging:
    """What the document says about itself to assistive technology and archives."""

    __slots__ = ("lang", "pdfa", "title")

    def __init__(self, *, title: str, lang: str, pdfa: bool = False) -> None:
        self.title, self.lang, self.pdfa = title, lang, pdfa

    def canvasmaker(self, base: type[TaggingCanvas]) -> Any:
        """A canvas maker for ``doc.build`` that makes ``base`` canvases tagging this document."""

        def make(*args: Any, **kw: Any) -> TaggingCanvas:
            return base(*args, tagging=self, **kw)

        return make


def _walk(elem: _Elem) -> Iterator[_Elem]:
    yield elem
    for k in elem.kids:
        if isinstance(k, _Elem):
            yield from _walk(k)


def _pdf_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return PDFName(v)
    if isinstance(v, (list, tuple)):
        return PDFArray([_pdf_value(x) for x in v])
    return v


def _finish(canv: TaggingCanvas, tagging: Tagging) -> None:
    doc = canv._doc
    cat = doc.Catalog
    cat.Lang = PDFString(tagging.lang)
    canv.setViewerPreference("DisplayDocTitle", "true")  # PDFDictionary writes True as "True"
    tg = canv._tagger
    assert tg is not None
    if len(tg.stack) != 1:
        raise RuntimeError(f"tagging: {len(tg.stack) - 1} element(s) left open at save")
    _struct_tree(canv, tg)
    cat.MarkInfo = PDFDictionary({"Marked": "true"})
    cat.Metadata = _xmp_stream(doc, tagging)
    if tagging.pdfa:
        profile = resources.files(__package__).joinpath(ICC_PROFILE).read_bytes()
        icc = PDFStream(PDFDictionary({"N": 3}), profile, filters=[pdfdoc.PDFZCompress])
        intent = PDFDictionary(
            {
                "Type": PDFName("OutputIntent"),
                "S": PDFName("GTS_PDFA1"),
                "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
                "Info": PDFString("sRGB IEC61966-2.1"),
                "RegistryName": PDFString("http://www.color.org"),
                "DestOutputProfile": doc.Reference(icc),
            }
        )
        # PDFCatalog writes only the keys it lists: OutputIntents is not among them
        cat.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
        cat.__Refs__ = cat.__NoDefault__
        cat.OutputIntents = PDFArray([intent])


def _struct_tree(canv: TaggingCanvas, tg: Tagger) -> None:
    doc = canv._doc
    ref = doc.Reference

    def page_ref(n: int) -> PDFObjectReference:
        return PDFObjectReference(f"Page{n}")  # the name ReportLab gives page n

    root = PDFDictionary()
    root_ref = ref(root)
    elems = list(_walk(tg.root))
    dicts = {id(e): PDFDictionary() for e in elems}
    refs = {id(e): ref(dicts[id(e)]) for e in elems}
    nums: list[Any] = []
    for page in sorted(tg.page_mcids):
        nums += [page - 1, PDFArray([refs[id(e)] for e in tg.page_mcids[page]])]
    key = doc.pageCounter - 1
    annot_refs = {}
    for annot, elem in tg.annots:
        annot_refs[id(annot)] = ref(annot)
        contents = (
            " ".join("".join(elem.text).split()) or (elem.tag.href if elem.tag else "") or "link"
        )
        _annotate(annot, key, contents)
        nums += [key, refs[id(elem)]]
        key += 1
    ids: list[tuple[str, Any]] = []
    for e in elems:
        d = dicts[id(e)].dict
        d["Type"] = PDFName("StructElem")
        d["S"] = PDFName(e.role)
        d["P"] = refs[id(e.parent)] if e.parent is not None else root_ref
        if e.page is not None:
            d["Pg"] = page_ref(e.page)
        kids: list[Any] = []
        for k in e.kids:
            if isinstance(k, _Elem):
                kids.append(refs[id(k)])
            elif isinstance(k, tuple):
                page, mcid = k
                if page == e.page:
                    kids.append(mcid)
                else:
                    kids.append(
                        PDFDictionary({"Type": PDFName("MCR"), "Pg": page_ref(page), "MCID": mcid})
                    )
            else:
                obj = {
                    "Type": PDFName("OBJR"),
                    "Pg": page_ref(k.page),
                    "Obj": annot_refs[id(k.annot)],
                }
                kids.append(PDFDictionary(obj))
        if len(kids) == 1 and not isinstance(kids[0], int):
            d["K"] = kids[0]
        elif kids:
            d["K"] = PDFArray(kids)
        attrs: dict[str, Any] = {}
        t = e.tag
        if t is not None:
            if t.alt is not None:
                d["Alt"] = PDFString(t.alt)
            if t.lang is not None:
                d["Lang"] = PDFString(t.lang)
            if t.id is not None:
                d["ID"] = PDFString(t.id)
                ids.append((t.id, refs[id(e)]))
            if t.attrs:
                attrs.update(t.attrs)
        if e.bbox is not None:
            attrs.update(
                O="Layout", Placement="Block", BBox=PDFArray([round(v, 2) for v in e.bbox])
            )
        if attrs:
            d["A"] = PDFDictionary({k: _pdf_value(v) for k, v in attrs.items()})
    r = root.dict
    r["Type"] = PDFName("StructTreeRoot")
    r["K"] = refs[id(tg.root)]
    r["ParentTree"] = ref(PDFDictionary({"Nums": PDFArray(nums)}))
    r["ParentTreeNextKey"] = key
    r["RoleMap"] = PDFDictionary({k: PDFName(v) for k, v in sorted(ROLE_MAP.items())})
    if ids:
        ids.sort(key=lambda p: p[0])
        names = list(itertools.chain.from_iterable((PDFString(i), rf) for i, rf in ids))
        r["IDTree"] = PDFDictionary({"Names": PDFArray(names)})
    doc.Catalog.StructTreeRoot = root


def _annotate(annot: Any, key: int, contents: str) -> None:
    if isinstance(annot, PDFDictionary):
        annot["StructParent"] = key
        annot["Contents"] = PDFString(contents)
        annot["F"] = 4  # Print (PDF/A); neither Hidden nor NoView
    else:  # pdfdoc.Annotation (an internal link) checks its keys against .permitted
        annot.permitted = (*annot.permitted, "StructParent")
        annot.otherkw["StructParent"] = key
        annot.otherkw["F"] = 4
        annot.Contents = contents


def _xmp_date(ts: Any) -> str:
    y, mo, d, h, mi, s = ts.YMDhms
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{ts.dhh:+03d}:{ts.dmm:02d}"


_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in _NS.items():
    ET.register_namespace(_prefix, _uri)  # XMP readers expect these prefixes


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{_NS[prefix]}}}{local}"


def _add(parent: ET.Element, name: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, _q(name), {(_q(k) if ":" in k else k): v for k, v in attrib.items()})
    el.text = text
    return el


def _container(parent: ET.Element, name: str, kind: str, text: str, lang: bool = False) -> None:
    """An XMP property holding one value in an rdf:Alt, rdf:Seq or rdf:Bag."""
    li = _add(_add(_add(parent, name), f"rdf:{kind}"), "rdf:li", text)
    if lang:
        li.set(_XML_LANG, "x-default")


def xmp_packet(doc: Any, tagging: Tagging) -> bytes:
    """XMP metadata equal to ReportLab's Info dictionary (PDF/A requires them to agree),
    saying it is PDF/UA-1 (and PDF/A-2b)."""
    info = doc.info
    date = _xmp_date(doc._timeStamp)
    meta = ET.Element(_q("x:xmpmeta"))
    desc = _add(_add(meta, "rdf:RDF"), "rdf:Description", **{"rdf:about": ""})
    _add(desc, "dc:format", "application/pdf")
    _container(desc, "dc:title", "Alt", info.title, lang=True)
    _container(desc, "dc:creator", "Seq", info.author)
    _container(desc, "dc:description", "Alt", info.subject, lang=True)
    _container(desc, "dc:language", "Bag", tagging.lang)
    _add(desc, "pdf:Producer", info.producer)
    if info.keywords:
        _add(desc, "pdf:Keywords", info.keywords)
    _add(desc, "xmp:CreatorTool", info.creator)
    for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        _add(desc, name, date)
    _add(desc, "pdfuaid:part", "1")
    if tagging.pdfa:
        _add(desc, "pdfaid:part", "2")
        # B, as archives ask: the tagging and Unicode level A adds are PDF/UA's anyway,
        # and B is what a validator holds the file to
        _add(desc, "pdfaid:conformance", "B")
        # PDF/A-2 admits only declared schemas, and pdfuaid is not a predefined one
        bag = _add(_add(desc, "pdfaExtension:schemas"), "rdf:Bag")
        schema = _add(bag, "rdf:li", **{"rdf:parseType": "Resource"})
        _add(schema, "pdfaSchema:schema", "PDF/UA Universal Accessibility Schema")
        _add(schema, "pdfaSchema:namespaceURI", _NS["pdfuaid"])
        _add(schema, "pdfaSchema:prefix", "pdfuaid")
        seq = _add(_add(schema, "pdfaSchema:property"), "rdf:Seq")
        prop = _add(seq, "rdf:li", **{"rdf:parseType": "Resource"})
        _add(prop, "pdfaProperty:name", "part")
        _add(prop, "pdfaProperty:valueType", "Integer")
        _add(prop, "pdfaProperty:category", "internal")
        _add(prop, "pdfaProperty:description", "Part of ISO 14289 followed")
    body = ET.tostring(meta, encoding="unicode")
    head = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    return f'{head}\n{body}\n<?xpacket end="w"?>'.encode()


def _xmp_stream(doc: Any, tagging: Tagging) -> PDFStream:
    s = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}))
    s.content = xmp_packet(doc, tagging)
    s.filters = None  # unfiltered, as PDF/A wants (filters=[] would write an empty /Filter)
    return s


@contextlib.contextmanager
def _eol_before_endstream() -> Iterator[None]:
    """PDF/A-2 (ISO 19005-2, 6.1.7.1) wants an end of line, not counted in /Length,
    before ``endstream``; ReportLab writes ``endstream`` right after the data. The patch
    holds while one document is written: documents are never written from two threads
    (``--jobs`` uses processes)."""
    orig = PDFStream.format

    def fmt(self: PDFStream, document: Any) -> bytes:
        out: bytes = orig(self, document)
        if out.endswith(b"endstream\n"):
            out = out[: -len(b"endstream\n")] + b"\nendstream\n"
        return out

    PDFStream.format = fmt
    try:
        yield
    finally:
        PDFStream.format = orig
