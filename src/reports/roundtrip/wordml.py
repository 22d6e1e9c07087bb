"""Read a Word document's body as Word shows it: paragraphs of runs, with tracked changes.

Word, LibreOffice and python-docx write the same text in many shapes: runs inside
hyperlinks, content controls, smart tags and tracked insertions (``w:ins``) or deletions
(``w:del``, whose text is ``w:delText``); bookmarks and comment ranges between runs or
between paragraphs; fields whose code (``w:instrText``) is not text. :func:`paragraphs`
flattens all of that into one list per paragraph, in reading order, so that the map and
the review see the text the same way whatever wrote the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def w(tag: str) -> str:
    """``p`` → ``{…/main}p``."""
    return f"{{{W}}}{tag}"


@dataclass(frozen=True, slots=True)
class Revision:
    """Who made a tracked change, and when (as Word wrote it; either may be empty)."""

    kind: str
    """``ins`` or ``del``."""
    author: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of text in one formatting and one revision state."""

    text: str
    revision: Revision | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    href: str | None = None
    """The target of the hyperlink it is part of."""
    footnote: bool = False
    """A footnote reference mark (no text of its own)."""
    image: bool = False
    """A picture or drawing (no text of its own)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A zero-width mark between pieces: a bookmark's or a comment range's start or end."""

    kind: str
    """``start``, ``end`` (bookmarks), ``cstart``, ``cend`` (comment ranges)."""
    name: str
    """The bookmark's name, or the comment's id."""


@dataclass(slots=True)
class Para:
    """One paragraph: its style, its pieces and marks in reading order, where it stands."""

    index: int
    style: str = ""
    items: list[Piece | Mark] = field(default_factory=list)
    mark: Revision | None = None
    """The paragraph mark's own revision: inserted with a new paragraph, or deleted
    (the paragraph joins the next)."""
    cell: tuple[int, int, int] | None = None
    """(table, row, cell) numbers, from 0, when in a table cell; tables are numbered in
    document order, nested ones included."""
    row: Revision | None = None
    """The revision of the table row it is in (a row inserted or deleted whole)."""

    def text(self, view: str = "accepted") -> str:
        """The paragraph's text with changes accepted (``accepted``) or rejected
        (``original``)."""
        return "".join(p.text for p in self.pieces(view))

    def pieces(self, view: str = "accepted") -> list[Piece]:
        """The pieces that show in ``view``."""
        hidden = "del" if view == "accepted" else "ins"
        return [
            p
            for p in self.items
            if isinstance(p, Piece) and (p.revision is None or p.revision.kind != hidden)
        ]

    @property
    def revisions(self) -> list[Revision]:
        """Every tracked change in the paragraph, its mark's and row's included."""
        out = [p.revision for p in self.items if isinstance(p, Piece) and p.revision]
        return out + [r for r in (self.mark, self.row) if r is not None]

    @property
    def names(self) -> list[str]:
        """The bookmarks that start in the paragraph."""
        return [m.name for m in self.items if isinstance(m, Mark) and m.kind == "start"]

    def deleted(self) -> bool:
        """Deleted whole with tracked changes: no text left, its mark or row deleted."""
        gone = (self.mark is not None and self.mark.kind == "del") or (
            self.row is not None and self.row.kind == "del"
        )
        return gone and not self.text().strip()

    def inserted(self) -> bool:
        """Added whole with tracked changes: its mark or row inserted, no older text."""
        new = (self.mark is not None and self.mark.kind == "ins") or (
            self.row is not None and self.row.kind == "ins"
        )
        return new and not self.text("original").strip()


def _revision(el: Any) -> Revision:
    kind = "ins" if el.tag in (w("ins"), w("moveTo")) else "del"
    return Revision(kind, el.get(w("author"), ""), el.get(w("date"), ""))


def _flag(rpr: Any, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(w(tag))
    if el is None:
        return False
    return el.get(w("val"), "true") not in ("0", "false", "none", "off")


class _Walker:
    """Walks one body, keeping the state that spans runs (complex fields)."""

    def __init__(self, links: dict[str, str]) -> None:
        self.links = links
        self.paras: list[Para] = []
        self.pending: list[Mark] = []
        """Marks met between paragraphs, waiting for the next one."""
        self.in_code = False
        """Between a field's begin and separate marks: its code, not text."""
        self.tables = 0
        """Tables met so far, nested ones included, in document order."""

    def body(self, el: Any, cell: tuple[int, int, int] | None = None, row: Any = None) -> None:
        for child in el:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, cell, row)
            elif tag == w("tbl"):
                self.tables += 1
                self.table(child, self.tables - 1)
            elif tag in (w("sdt"),):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.body(content, cell, row)
            elif tag in (w("customXml"), w("ins"), w("del")):
                self.body(child, cell, row)
            elif tag in _RANGE_MARKS:
                self.between(child)

    def between(self, el: Any) -> None:
        mark = _mark(el)
        if mark.kind in ("end", "cend") and self.paras:
            self.paras[-1].items.append(mark)  # ends what came before
        else:
            self.pending.append(mark)

    def table(self, tbl: Any, number: int) -> None:
        for r, tr in enumerate(tbl.iterchildren(w("tr"))):
            trpr = tr.find(w("trPr"))
            row_rev = None
            if trpr is not None:
                for kind in ("ins", "del"):
                    found = trpr.find(w(kind))
                    if found is not None:
                        row_rev = _revision(found)
            cells = [c for c in tr if c.tag in (w("tc"), w("sdt"))]
            for c, tc in enumerate(cells):
                if tc.tag == w("sdt"):
                    tc = tc.find(f"{w('sdtContent')}/{w('tc')}")
                    if tc is None:
                        continue
                self.body(tc, (number, r, c), row_rev)

    def paragraph(self, p: Any, cell: tuple[int, int, int] | None, row: Revision | None) -> None:
        para = Para(len(self.paras), cell=cell, row=row)
        para.items.extend(self.pending)
        self.pending = []
        ppr = p.find(w("pPr"))
        if ppr is not None:
            style = ppr.find(w("pStyle"))
            para.style = style.get(w("val"), "") if style is not None else ""
            rpr = ppr.find(w("rPr"))
            if rpr is not None:
                for kind in ("ins", "del"):
                    found = rpr.find(w(kind))
                    if found is not None:
                        para.mark = _revision(found)
        self.inline(p, para, None, None)
        self.paras.append(para)

    def inline(self, el: Any, para: Para, rev: Revision | None, href: str | None) -> None:
        for child in el:
            tag = child.tag
            if tag == w("r"):
                self.run(child, para, rev, href)
            elif tag in (w("ins"), w("del"), w("moveTo"), w("moveFrom")):
                self.inline(child, para, _revision(child), href)
            elif tag == w("hyperlink"):
                target = self.links.get(child.get(f"{{{R}}}id", ""), None)
                anchor = child.get(w("anchor"))
                self.inline(child, para, rev, target or (f"#{anchor}" if anchor else None))
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.inline(content, para, rev, href)
            elif tag in (w("smartTag"), w("customXml"), w("fldSimple"), w("dir"), w("bdo")):
                self.inline(child, para, rev, href)
            elif tag in _RANGE_MARKS:
                para.items.append(_mark(child))

    def run(self, r: Any, para: Para, rev: Revision | None, href: str | None) -> None:
        rpr = r.find(w("rPr"))
        style = rpr.find(w("rStyle")) if rpr is not None else None
        fmt = {
            "bold": _flag(rpr, "b"),
            "italic": _flag(rpr, "i"),
            "underline": _flag(rpr, "u")
            and not (style is not None and style.get(w("val")) == "Hyperlink"),
        }
        for child in r:
            tag = child.tag
            text = None
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                self.in_code = kind == "begin"
            elif self.in_code:
                continue
            elif tag in (w("t"), w("delText")):
                text = child.text or ""
            elif tag == w("tab"):
                text = "\t"
            elif tag in (w("br"), w("cr")):
                text = "\n"
            elif tag == w("noBreakHyphen"):
                text = "\u2011"
            elif tag == w("footnoteReference"):
                para.items.append(Piece("", rev, footnote=True, href=href, **fmt))
            elif tag in (w("drawing"), w("pict"), w("object")):
                para.items.append(Piece("", rev, image=True))
            elif tag == w("commentReference"):
                continue
            if text:
                para.items.append(Piece(text, rev, href=href, **fmt))


_RANGE_MARKS = frozenset(
    w(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd")
)


def _mark(el: Any) -> Mark:
    local = el.tag.rsplit("}", 1)[-1]
    if local.startswith("bookmark"):
        kind = "start" if local == "bookmarkStart" else "end"
        name = el.get(w("name"), "") if kind == "start" else el.get(w("id"), "")
        return Mark(kind, name)
    return Mark("cstart" if local == "commentRangeStart" else "cend", el.get(w("id"), ""))


def paragraphs(body: Any, links: dict[str, str] | None = None) -> list[Para]:
    """The paragraphs of ``body`` (a ``w:body`` element), table cells' included, in
    reading order. ``links`` maps hyperlink relationship ids to their targets.

    Bookmark ends are given by id (``Mark.name`` is the id for ``end``); use
    :func:`bookmark_ids` to name them.
    """
    walker = _Walker(links or {})
    walker.body(body)
    if walker.pending and walker.paras:
        walker.paras[-1].items.extend(walker.pending)
    return walker.paras


def bookmark_ids(body: Any) -> dict[str, str]:
    """Bookmark id → name, for every bookmark in ``body``."""
    return {el.get(w("id"), ""): el.get(w("name"), "") for el in body.iter(w("bookmarkStart"))}


def spans(paras: list[Para], ids: dict[str, str]) -> Iterator[tuple[str, int, int, int, int]]:
    """(bookmark name, start paragraph, start item, end paragraph, end item) for each
    bookmark whose start and end are both found; items are indexes into ``Para.items``."""
    starts: dict[str, tuple[int, int]] = {}
    for para in paras:
        for i, item in enumerate(para.items):
            if not isinstance(item, Mark):
                continue
            if item.kind == "start":
                starts[item.name] = (para.index, i)
            elif item.kind == "end":
                name = ids.get(item.name)
                if name is not None and name in starts:
                    p0, i0 = starts.pop(name)
                    yield name, p0, i0, para.index, i
