"""Edit a DOCX as Word does, in-process: tracked changes, comments, untracked rewrites.

Word writes a tracked replacement as the run split around a ``w:del`` (its text in
``w:delText``) and a ``w:ins``; a comment as ``commentRangeStart``/``commentRangeEnd``
around the text, a ``commentReference`` run, and the comment in ``word/comments.xml``
(related from the document, with its content type). These helpers write exactly that,
so the review is tested against the XML Word writes, without Word.
"""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class WordEdit:
    """A DOCX opened for editing; ``save()`` returns the new bytes."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.root.find(w("body"))
        self.next_id = 90000
        self.comments: list[Any] = []

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def revision(self, kind: str, author: str, date: str) -> Any:
        """An empty ``w:ins`` or ``w:del`` by ``author`` on ``date``."""
        return etree.Element(w(kind), {w("id"): self._id(), w("author"): author, w("date"): date})

    def bookmark(self, name: str) -> tuple[Any, Any]:
        """The start and end elements of bookmark ``name``."""
        start = next(e for e in self.body.iter(w("bookmarkStart")) if e.get(w("name")) == name)
        bid = start.get(w("id"))
        end = next(e for e in self.body.iter(w("bookmarkEnd")) if e.get(w("id")) == bid)
        return start, end

    def runs_in(self, name: str) -> list[Any]:
        start, end = self.bookmark(name)
        out = []
        el = start.getnext()
        while el is not None and el is not end:
            if el.tag == w("r"):
                out.append(el)
            el = el.getnext()
        return out

    def by_text(self, fragment: str) -> str:
        """The name of the map bookmark whose words hold ``fragment``."""
        for start in self.body.iter(w("bookmarkStart")):
            name = start.get(w("name"), "")
            if name.startswith("_rp") and fragment in "".join(
                t.text or "" for r in self.runs_in(name) for t in r.iter(w("t"))
            ):
                return name
        raise KeyError(fragment)

    def tracked_replace(self, name: str, old: str, new: str, author: str, date: str) -> None:
        """Replace ``old`` (inside one run of bookmark ``name``) by ``new``, tracked."""
        run = next(
            r for r in self.runs_in(name) if old in "".join(t.text or "" for t in r.iter(w("t")))
        )
        t = run.find(w("t"))
        text = t.text or ""
        at = text.index(old)
        pieces = []
        if at:
            pieces.append(_run_like(run, text[:at]))
        deleted = etree.Element(
            w("del"), {w("id"): self._id(), w("author"): author, w("date"): date}
        )
        gone = _run_like(run, old)
        gone.find(w("t")).tag = w("delText")
        deleted.append(gone)
        inserted = etree.Element(
            w("ins"), {w("id"): self._id(), w("author"): author, w("date"): date}
        )
        inserted.append(_run_like(run, new))
        pieces += [deleted, inserted]
        if at + len(old) < len(text):
            pieces.append(_run_like(run, text[at + len(old) :]))
        for piece in pieces:
            run.addprevious(piece)
        run.getparent().remove(run)

    def rewrite(self, name: str, new: str) -> None:
        """Replace the words of bookmark ``name`` by ``new``, untracked."""
        runs = self.runs_in(name)
        runs[0].find(w("t")).text = new
        for r in runs[1:]:
            r.getparent().remove(r)

    def paragraph_of(self, name: str) -> Any:
        return self.bookmark(name)[0].getparent()

    def delete_paragraph(self, name: str) -> None:
        """Delete the paragraph holding bookmark ``name``, untracked (bookmark and all)."""
        p = self.paragraph_of(name)
        p.getparent().remove(p)

    def tracked_delete_paragraph(self, name: str, author: str, date: str) -> None:
        """Delete the paragraph holding bookmark ``name`` with Track Changes on."""
        p = self.paragraph_of(name)
        for r in list(p.iter(w("r"))):
            for t in r.iter(w("t")):
                t.tag = w("delText")
            wrapper = etree.Element(
                w("del"), {w("id"): self._id(), w("author"): author, w("date"): date}
            )
            r.addprevious(wrapper)
            wrapper.append(r)
        ppr = p.find(w("pPr"))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self.revision("del", author, date))

    def add_paragraph_after(self, name: str, text: str, author: str = "", date: str = "") -> None:
        """A new paragraph in the style of the one holding ``name``, after it (tracked when
        ``author`` is given), as Enter at the end of that paragraph makes it."""
        p = self.paragraph_of(name)
        new = etree.Element(w("p"))
        ppr = p.find(w("pPr"))
        if ppr is not None:
            new.append(copy.deepcopy(ppr))
            for rpr in new.iter(w("rPr")):
                rpr.getparent().remove(rpr)
        run = etree.SubElement(new, w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = text
        if author:
            mark = etree.SubElement(new.find(w("pPr")), w("rPr"))
            etree.SubElement(
                mark, w("ins"), {w("id"): self._id(), w("author"): author, w("date"): date}
            )
            wrapper = etree.Element(
                w("ins"), {w("id"): self._id(), w("author"): author, w("date"): date}
            )
            run.addprevious(wrapper)
            wrapper.append(run)
        p.addnext(new)

    def comment(self, name: str, text: str, author: str, date: str) -> None:
        """A comment on the words of bookmark ``name``."""
        start, end = self.bookmark(name)
        cid = str(len(self.comments))
        start.addnext(etree.Element(w("commentRangeStart"), {w("id"): cid}))
        end.addprevious(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        ref = etree.Element(w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): cid})
        end.addnext(ref)
        c = etree.Element(w("comment"), {w("id"): cid, w("author"): author, w("date"): date})
        p = etree.SubElement(c, w("p"))
        etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
        self.comments.append(c)

    def save(self) -> bytes:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if self.comments:
            root = etree.Element(w("comments"), nsmap={"w": W})
            root.extend(self.comments)
            parts["word/comments.xml"] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
            kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
            etree.SubElement(
                rels, f"{{{_REL}}}Relationship", Id="rIdComments9", Type=kind, Target="comments.xml"
            )
            parts["word/_rels/document.xml.rels"] = etree.tostring(
                rels, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            types = etree.fromstring(parts["[Content_Types].xml"])
            content = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
            etree.SubElement(
                types, f"{{{_CT}}}Override", PartName="/word/comments.xml", ContentType=content
            )
            parts["[Content_Types].xml"] = etree.tostring(
                types, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
        return out.getvalue()


def _run_like(run: Any, text: str) -> Any:
    new = etree.Element(w("r"))
    rpr = run.find(w("rPr"))
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    t = etree.SubElement(new, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return new


def _xml(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
