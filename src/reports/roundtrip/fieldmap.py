"""The map inside every DOCX: which words came from which field of which fact base.

Three carriers, each surviving a save by Word and by LibreOffice:

- a **bookmark pair** (``_rp1``, ``_rp2``, …) around the words of each field, in the text
  itself: hidden bookmarks, so nothing shows and nothing is locked (a content control
  would draw a box in Word and does not survive LibreOffice 7.4's save as one);
- a **custom XML part** (``customXml/item1.xml``, namespace :data:`NAMESPACE`) saying what
  each bookmark holds (``summary[0]``, ``faq[2].answer``), what the memo's paragraphs said
  when it was built, and the fact base's file, sha256, git blob id, language and the tool
  version;
- **custom document properties** with the fact base's file, sha256 and language and the
  tool version, which Word shows under File, Properties.

Everything is built as elements, in a fixed order, so the DOCX stays byte-reproducible.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .wordml import Mark, Para, Piece, W, bookmark_ids, paragraphs, spans

NAMESPACE = "urn:x-reports:fieldmap:1"
"""The map part's XML namespace (and its schema reference in the package)."""
BOOKMARK_PREFIX = "_rp"
"""Map bookmarks are named ``_rp<n>``: hidden bookmarks (leading underscore) in Word."""
_CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
"""The property set every custom document property belongs to (ECMA-376 Part 1, 22.3)."""
PROPERTY_NAMES = {
    "file": "reports.factBase",
    "sha256": "reports.factBaseSha256",
    "lang": "reports.language",
    "tool": "reports.version",
}
"""Custom document property names, by what they hold."""


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _T, _TBL, _TR, _TC = (_w(t) for t in ("p", "t", "tbl", "tr", "tc"))
_TXBX = _w("txbxContent")
_BOOKMARK_START, _BOOKMARK_END = _w("bookmarkStart"), _w("bookmarkEnd")
_SPECIAL = {_w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "\u2011"}
"""Run content that reads as a character, as :mod:`.wordml` reads it."""
_PICTURES = frozenset(_w(t) for t in ("drawing", "pict", "object"))
_TEXT_TAGS = (_P, _T, _BOOKMARK_START, _BOOKMARK_END, *_SPECIAL, *_PICTURES)
_PPR, _PSTYLE = _w("pPr"), _w("pStyle")
_VAL, _NAME, _ID = _w("val"), _w("name"), _w("id")


def bookmark_name(number: int) -> str:
    """The name of the map's ``number``-th bookmark."""
    return f"{BOOKMARK_PREFIX}{number}"


@dataclass(frozen=True, slots=True)
class MappedField:
    """One bookmarked stretch of text and the field it came from."""

    name: str
    """The bookmark's name."""
    path: str
    """The field's key path (``faq[2].answer``)."""
    part: int
    """Which paragraph of the field's text, from 0."""
    para: int
    """The paragraph it was in, as an index into :attr:`FieldMap.paragraphs`."""
    text: str
    """Its words when built."""
    before: str = ""
    """The text of its paragraph before it (a label, a number) when built."""
    after: str = ""
    """The text of its paragraph after it (an owner, a full stop) when built."""


@dataclass(frozen=True, slots=True)
class BuiltParagraph:
    """A paragraph of the memo as built: its style, text and place in a table."""

    style: str
    text: str
    """Its words; empty for a paragraph holding a mapped field (known by the field)."""
    cell: tuple[int, int, int] | None = None
    images: int = 0
    """Pictures in it (a logo, a figure)."""


@dataclass(slots=True)
class FieldMap:
    """The map of one DOCX, as written when it was built."""

    file: str = ""
    """The fact base, relative to its repository."""
    sha256: str = ""
    blob: str = ""
    lang: str = ""
    """The memo's language tag (``en-GB``)."""
    schema: int = 1
    tool: str = ""
    fields: list[MappedField] = field(default_factory=list)
    paragraphs: list[BuiltParagraph] = field(default_factory=list)

    def by_name(self) -> dict[str, MappedField]:
        """Bookmark name → field."""
        return {f.name: f for f in self.fields}


# ---------------------------------------------------------------- building


def snapshot(body: Any, links: dict[str, str] | None = None) -> tuple[list[Para], dict[str, str]]:
    """The paragraphs of a ``w:body`` and its bookmark ids → names."""
    return paragraphs(body, links), bookmark_ids(body)


def describe(paras: list[Para], ids: dict[str, str]) -> list[tuple[str, int, str, str, str]]:
    """(bookmark name, paragraph, before, text, after) for each map bookmark."""
    out = []
    for name, p0, i0, p1, i1 in spans(paras, ids):
        if not name.startswith(BOOKMARK_PREFIX):
            continue
        before = _text(paras[p0].items[:i0])
        after = _text(paras[p1].items[i1 + 1 :])
        if p0 == p1:
            inner = _text(paras[p0].items[i0:i1])
        else:
            middle = [paras[k].text() for k in range(p0 + 1, p1)]
            inner = "\n".join([_text(paras[p0].items[i0:]), *middle, _text(paras[p1].items[:i1])])
        out.append((name, p0, before, inner, after))
    return out


def _text(items: list[Piece | Mark], view: str = "accepted") -> str:
    hidden = "del" if view == "accepted" else "ins"
    return "".join(
        i.text
        for i in items
        if isinstance(i, Piece) and (i.revision is None or i.revision.kind != hidden)
    )


def map_xml(fmap: FieldMap) -> bytes:
    """The map part's bytes: its facts as attributes, the paragraphs and fields as JSON
    arrays in two elements (a long timeline has tens of thousands of each; as JSON they
    cost a few milliseconds to write and read, as elements a large part of the build)."""
    import json

    root = etree.Element(f"{{{NAMESPACE}}}map", nsmap={None: NAMESPACE})
    for key in ("tool", "file", "sha256", "blob", "lang"):
        root.set(key, str(getattr(fmap, key)))
    root.set("schema", str(fmap.schema))
    paras = etree.SubElement(root, f"{{{NAMESPACE}}}paragraphs", format="json")
    # a paragraph holding a field is known by the field (its words are the field's):
    # only the others' texts are kept, to notice when one of them is edited
    mapped = {f.para for f in fmap.fields}
    paras.text = json.dumps(
        [
            [
                p.style,
                None if i in mapped else p.text,
                list(p.cell) if p.cell else None,
                p.images,
            ]
            for i, p in enumerate(fmap.paragraphs)
        ],
        ensure_ascii=False,
    )
    fields = etree.SubElement(root, f"{{{NAMESPACE}}}fields", format="json")
    fields.text = json.dumps(
        [[f.name, f.path, f.part, f.para, f.text, f.before, f.after] for f in fmap.fields],
        ensure_ascii=False,
    )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def build(body: Any, paths: dict[str, tuple[str, int]], fmap: FieldMap) -> FieldMap:
    """Fill ``fmap`` from a rendered ``w:body``; ``paths`` gives each map bookmark's field
    path and part.

    A fresh document has no tracked changes, content controls or field codes in its text,
    so it is read in one pass of lxml's own iteration rather than by :mod:`.wordml`'s walk
    (a long timeline's map cost as much as the rest of the DOCX); both read the same text,
    which the tests check.
    """
    cells = {}
    for n, tbl in enumerate(body.iter(_TBL)):
        for r, tr in enumerate(tbl.iterchildren(_TR)):
            for c, tc in enumerate(tr.iterchildren(_TC)):
                cells[tc] = (n, r, c)
    styles: list[str] = []
    images: list[int] = []
    places: list[tuple[int, int, int] | None] = []
    texts: list[list[str]] = []
    opened: dict[str, tuple[str, int, int]] = {}  # bookmark id → name, paragraph, offset
    found: list[tuple[str, int, int, int, int]] = []
    size = 0  # characters in the current paragraph so far
    # a drawing's text boxes (a timeline chart's labels) are part of the picture, as the
    # review's walk reads them, not paragraphs of the memo
    boxed = {e for box in body.iter(_TXBX) for e in box.iter(*_TEXT_TAGS)}
    for el in body.iter(*_TEXT_TAGS):
        if boxed and el in boxed:
            continue
        tag = el.tag
        if tag == _P:
            # pPr comes first in a paragraph and pStyle first in it (ECMA-376 17.3.1.26)
            ppr = el[0] if len(el) else None
            style = ppr[0] if ppr is not None and ppr.tag == _PPR and len(ppr) else None
            styles.append(style.get(_VAL, "") if style is not None and style.tag == _PSTYLE else "")
            parent = el.getparent()
            places.append(cells.get(parent) if parent.tag == _TC else None)
            images.append(0)
            texts.append([])
            size = 0
        elif tag == _BOOKMARK_START:
            name = el.get(_NAME, "")
            if name.startswith(BOOKMARK_PREFIX) and texts:
                opened[el.get(_ID, "")] = (name, len(texts) - 1, size)
        elif tag == _BOOKMARK_END:
            mark = opened.pop(el.get(_ID, ""), None)
            if mark is not None:
                found.append((*mark, len(texts) - 1, size))
        elif tag in _PICTURES:
            if images:
                images[-1] += 1
        elif texts:
            piece = (el.text or "") if tag == _T else _SPECIAL[tag]
            texts[-1].append(piece)
            size += len(piece)
    joined = ["".join(t) for t in texts]
    fmap.paragraphs = [
        BuiltParagraph(style, text, place, count)
        for style, text, place, count in zip(styles, joined, places, images, strict=True)
    ]
    for name, p0, start, p1, end in found:
        first, last = joined[p0], joined[p1]
        if p0 == p1:
            inner = first[start:end]
        else:
            inner = "\n".join([first[start:], *joined[p0 + 1 : p1], last[:end]])
        path, part = paths[name]
        fmap.fields.append(MappedField(name, path, part, p0, inner, first[:start], last[end:]))
    return fmap


def attach(word: Any, fmap: FieldMap) -> None:
    """Add the map part and the custom properties to the python-docx document ``word``."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = word.part.package
    item = Part(
        package.next_partname("/customXml/item%d.xml"), "application/xml", map_xml(fmap), package
    )
    word.part.relate_to(item, RT.CUSTOM_XML)
    number = str(item.partname).rsplit("item", 1)[1].split(".")[0]
    props = Part(
        PackURI(f"/customXml/itemProps{number}.xml"),
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        _item_props(fmap),
        package,
    )
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    custom = Part(
        PackURI("/docProps/custom.xml"),
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        _custom_properties(fmap),
        package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)


def _item_props(fmap: FieldMap) -> bytes:
    # a stable id: the same memo from the same fact base gets the same one
    item_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE}:{fmap.file}:{fmap.sha256}:{fmap.lang}")
    root = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    root.set(f"{{{_DS}}}itemID", "{" + str(item_id).upper() + "}")
    refs = etree.SubElement(root, f"{{{_DS}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DS}}}schemaRef").set(f"{{{_DS}}}uri", NAMESPACE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _custom_properties(fmap: FieldMap) -> bytes:
    root = etree.Element(f"{{{_CUSTOM_PROPS}}}Properties", nsmap={None: _CUSTOM_PROPS, "vt": _VT})
    for pid, (key, name) in enumerate(PROPERTY_NAMES.items(), start=2):
        prop = etree.SubElement(root, f"{{{_CUSTOM_PROPS}}}property", fmtid=_FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = str(getattr(fmap, key))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# ---------------------------------------------------------------- reading


def parse_map(data: bytes) -> FieldMap | None:
    """The map in a custom XML part's bytes; ``None`` when the part is not a map."""
    from .package import parse_xml

    root = parse_xml(data)
    if root is None or root.tag != f"{{{NAMESPACE}}}map":
        return None
    fmap = FieldMap(
        file=root.get("file", ""),
        sha256=root.get("sha256", ""),
        blob=root.get("blob", ""),
        lang=root.get("lang", ""),
        schema=int(root.get("schema", "1")) if root.get("schema", "1").isdigit() else 1,
        tool=root.get("tool", ""),
    )
    import json

    try:
        paras = json.loads(root.findtext(f"{{{NAMESPACE}}}paragraphs") or "[]")
        fields = json.loads(root.findtext(f"{{{NAMESPACE}}}fields") or "[]")
        fmap.paragraphs = [
            BuiltParagraph(str(style), str(text or ""), tuple(cell) if cell else None, int(images))
            for style, text, cell, images in paras
        ]
        fmap.fields = [
            MappedField(str(n), str(path), int(part), int(p), str(t), str(b), str(a))
            for n, path, part, p, t, b, a in fields
        ]
    except (ValueError, TypeError):  # not our map after all, or damaged: as if none
        return None
    return fmap


def parse_properties(data: bytes) -> dict[str, str]:
    """What the custom properties say, by the keys of :data:`PROPERTY_NAMES`."""
    from .package import parse_xml

    root = parse_xml(data)
    if root is None:
        return {}
    wanted = {v: k for k, v in PROPERTY_NAMES.items()}
    out = {}
    for prop in root:
        key = wanted.get(prop.get("name", ""))
        if key is not None and len(prop):
            out[key] = prop[0].text or ""
    return out
