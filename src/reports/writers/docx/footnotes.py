"""Word footnotes, which python-docx has no API for (python-docx#1, open since 2014).

What Word needs, built here as lxml elements:

1. a part ``/word/footnotes.xml``, related from the document part, whose content type
   python-docx writes into ``[Content_Types].xml`` when it saves;
2. in it, before any note, the two Word prints but never numbers: the short rule above the
   notes (``w:type="separator"``, id -1) and the full-width rule above notes continued from
   the page before (``continuationSeparator``, id 0); LibreOffice drops notes without them;
3. ``w:footnotePr`` in the settings naming those two, as Word writes it;
4. per note, ``<w:footnote w:id="N">`` whose first run holds ``<w:footnoteRef/>`` (where
   Word prints the note's number), and in the text a run holding
   ``<w:footnoteReference w:id="N"/>``, both in the footnote reference character style.

Word numbers the notes itself, by the order of their references; ids only pair a reference
with its note. A hyperlink in a note is a relationship of the footnotes part.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.parser import oxml_parser

from .ooxml import NS, E, qn, set_pstyle, text_run, val

_SETTINGS_AFTER_FOOTNOTEPR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
"""What follows ``w:footnotePr`` in the settings (ECMA-376 Part 1, 17.15.1.78)."""
_SEPARATORS = ("separator", "continuationSeparator")


class Footnotes:
    """The footnotes part of one document: found (a reference document's) or made."""

    def __init__(self, word: Any, text_style: str, mark_style: str) -> None:
        self.text_style = text_style
        self.mark_style = mark_style
        self.part = _part(word)
        self.root = self.part.element
        separators = _separator_ids(self.root)
        for kind, note_id in zip(_SEPARATORS, (-1, 0), strict=True):
            if kind not in separators:  # a part a tool wrote without them
                self.root.insert(len(separators), _separator(kind, note_id))
                separators[kind] = str(note_id)
        ids = [int(n.get(qn("w:id"), "0")) for n in self.root.iterchildren(qn("w:footnote"))]
        self._next = max([0, *ids]) + 1
        _settings(word.settings.element, separators)

    def add(self) -> tuple[int, Any]:
        """A new, empty note: its id and its first paragraph (``w:p``), which starts with
        the number Word prints and a space."""
        note_id = self._next
        self._next += 1
        p = E("w:p")
        set_pstyle(p, self.text_style)
        p.append(E("w:r", None, self.mark_properties(), E("w:footnoteRef")))
        p.append(text_run(" "))
        self.root.append(E("w:footnote", {"w:id": note_id}, p))
        return note_id, p

    def reference(self, note_id: int) -> Any:
        """The run that refers to note ``note_id`` in the text, where Word prints its number."""
        return E("w:r", None, self.mark_properties(), E("w:footnoteReference", {"w:id": note_id}))

    def mark_properties(self) -> Any:
        """Run properties of a footnote mark: the footnote reference character style."""
        return E("w:rPr", None, val("w:rStyle", self.mark_style))


def _part(word: Any) -> Any:
    """The document's footnotes part, or a new one holding the two separators.

    A document that has one (a reference document's) comes from python-docx as a plain
    blob part, as it has no part class for footnotes: it is parsed into an XML part that
    takes its place, so the package still holds one footnotes part.
    """
    doc_part = word.part
    for rel in doc_part.rels.values():
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        part = rel.target_part
        if isinstance(part, XmlPart):
            return part
        xml_part = XmlPart.load(part.partname, part.content_type, part.blob, part.package)
        for r in part.rels.values():
            xml_part.load_rel(r.reltype, r._target, r.rId, r.is_external)
        rel._target = xml_part  # python-docx has no setter for a relationship's target
        return xml_part
    # r: declared on the root, as Word does, for the notes' hyperlinks
    root = oxml_parser.makeelement(qn("w:footnotes"), nsmap={"w": NS["w"], "r": NS["r"]})
    root.append(_separator("separator", -1))
    root.append(_separator("continuationSeparator", 0))
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, doc_part.package)
    doc_part.relate_to(part, RT.FOOTNOTES)
    return part


def _separator(kind: str, note_id: int) -> Any:
    # as Word writes them: no space after and single spacing, so the rule sits tight
    spacing = E("w:spacing", {"w:after": 0, "w:line": 240, "w:lineRule": "auto"})
    return E(
        "w:footnote",
        {"w:type": kind, "w:id": note_id},
        E("w:p", None, E("w:pPr", None, spacing), E("w:r", None, E(f"w:{kind}"))),
    )


def _separator_ids(root: Any) -> dict[str, str]:
    """Kind → id of the separator notes a footnotes part has."""
    out = {}
    for note in root.iterchildren(qn("w:footnote")):
        kind = note.get(qn("w:type"))
        if kind in _SEPARATORS:
            out[kind] = note.get(qn("w:id"), "")
    return out


def _settings(settings: Any, separators: dict[str, str]) -> None:
    """Name the separator notes in the settings' ``w:footnotePr``, as Word writes it."""
    pr = settings.find(qn("w:footnotePr"))
    if pr is None:
        pr = settings.insert_element_before(E("w:footnotePr"), *_SETTINGS_AFTER_FOOTNOTEPR)
    for old in pr.findall(qn("w:footnote")):
        pr.remove(old)
    for kind in _SEPARATORS:  # after the numbering properties a reference document may set
        pr.append(E("w:footnote", {"w:id": separators[kind]}))
