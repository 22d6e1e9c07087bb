"""A reference document (a ministry's Word template) reduced to what a memo takes from it.

A reference DOCX may come from anyone, so it contributes *styles only*: the style sheet,
numbering, theme, font table, settings, page set-up, the layout (not the text) of its
headers and footers, and the rules above its footnotes (not the notes). Body content,
content controls, header and footer text, comments, macros, embedded files, images and
every external or unknown relationship (an ``attachedTemplate`` pointing at a web address)
are dropped. The package is read within size caps, with a parser that loads no DTD and
expands no entity; any defect is one line.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from ...errors import UsageError
from .ooxml import NS, E, qn

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest reference document accepted."""
MAX_PART_BYTES = 20 * 1024 * 1024
"""Largest part, decompressed (a zip bomb's 2.5 GB styles.xml is refused unread)."""
MAX_TOTAL_BYTES = 60 * 1024 * 1024
"""Largest sum of the parts kept, decompressed."""
MAX_ENTRIES = 2000

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = f"{_R}/officeDocument"
_KEEP = {f"{_R}/{kind}" for kind in (
    "styles", "numbering", "theme", "fontTable", "settings", "webSettings", "header", "footer",
    "footnotes", "endnotes",
)}  # fmt: skip
"""Relationships of the main document a memo takes over (all internal)."""
_SETTINGS_DROPPED = ("attachedTemplate", "docVars", "mailMerge", "documentProtection",
                     "writeProtection", "saveThroughXslt", "doNotEmbedSmartTags")  # fmt: skip
"""Settings that refer to other files or lock the document."""

_NOTE_SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")
"""Kinds of footnote and endnote a reference document's notes part keeps: its layout."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class _Bad(Exception):
    """A defect, described for the user."""


def sanitize(path: Path) -> bytes:
    """The reference document at ``path``, reduced to styles and layout, as DOCX bytes.

    Raise :class:`UsageError` (one line) when it cannot be read or is not a usable DOCX.
    """
    try:
        return _sanitize(path)
    except _Bad as exc:
        raise UsageError(f"reference document {path} cannot be used: {exc}") from None
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise UsageError(
            f"reference document {path} cannot be used: it is not a readable Word document "
            f"({reason})"
        ) from None


def _sanitize(path: Path) -> bytes:
    info = Path(path).stat()
    if not stat.S_ISREG(info.st_mode):
        raise _Bad("it is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise _Bad(f"it is {info.st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,}")
    data = Path(path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = {i.filename: i for i in package.infolist()}
        if len(entries) > MAX_ENTRIES:
            raise _Bad(f"it holds {len(entries):,} parts, over the limit of {MAX_ENTRIES:,}")

        def xml(name: str) -> Any:
            member = entries.get(name)
            if member is None:
                raise _Bad(f"the part {name} is missing")
            if member.file_size > MAX_PART_BYTES:
                raise _Bad(
                    f"the part {name} is {member.file_size:,} bytes once unpacked, over the "
                    f"limit of {MAX_PART_BYTES:,}"
                )
            raw = package.read(member)
            if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
                raise _Bad(f"the part {name} declares a DTD or entities, which Word never writes")
            try:
                return etree.fromstring(raw, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise _Bad(f"the part {name} is not well-formed XML ({exc.msg})") from None

        types = _content_types(xml("[Content_Types].xml"))
        main = _target("/", xml("_rels/.rels"), _OFFICE_DOCUMENT)
        if main is None:
            raise _Bad("it has no main document part")
        main_rels = _rels_name(main)
        kept: dict[str, bytes] = {}
        rels = etree.Element(f"{{{_PKG_R}}}Relationships", nsmap={None: _PKG_R})
        renamed: dict[str, str] = {}
        if main_rels in entries:
            for rel in xml(main_rels):
                kind, target = rel.get("Type"), rel.get("Target", "")
                if kind not in _KEEP or rel.get("TargetMode") == "External":
                    continue
                part = posixpath.normpath(posixpath.join(posixpath.dirname(main), target))
                if part not in entries or part.startswith(".."):
                    continue
                new_id = f"rId{len(renamed) + 1}"
                renamed[rel.get("Id", "")] = new_id
                kept[part] = _clean(kind, xml(part))
                relative = posixpath.relpath(part, posixpath.dirname(main))
                etree.SubElement(
                    rels, f"{{{_PKG_R}}}Relationship", Id=new_id, Type=kind, Target=relative
                )
        document = _empty_document(xml(main), renamed)
    total = sum(len(b) for b in kept.values())
    if total > MAX_TOTAL_BYTES:
        raise _Bad(f"its styles and layout parts hold {total:,} bytes, over {MAX_TOTAL_BYTES:,}")
    return _package(main, document, rels, kept, types)


def _content_types(root: Any) -> dict[str, str]:
    """Part name → content type, from the overrides and the extension defaults."""
    defaults = {
        el.get("Extension", "").lower(): el.get("ContentType", "")
        for el in root.findall(f"{{{_CT}}}Default")
    }
    out = {"": ""}
    for el in root.findall(f"{{{_CT}}}Override"):
        out[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
    out.update({f"*.{ext}": kind for ext, kind in defaults.items()})
    return out


def _type_of(types: dict[str, str], part: str) -> str:
    return types.get(part) or types.get(f"*.{posixpath.splitext(part)[1][1:].lower()}", "")


def _target(base: str, rels: Any, kind: str) -> str | None:
    for rel in rels:
        if rel.get("Type") == kind and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return posixpath.normpath(posixpath.join(base, target)).lstrip("/")
    return None


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _clean(kind: str, root: Any) -> bytes:
    """A kept part without what could carry content or reach outside."""
    if kind.endswith("/settings"):
        for name in _SETTINGS_DROPPED:
            for el in root.findall(qn(f"w:{name}")):
                root.remove(el)
    elif kind.endswith("/header") or kind.endswith("/footer"):
        # The layout of the first paragraph (tabs, borders, spacing), none of the text.
        first = root.find(qn("w:p"))
        ppr = first.find(qn("w:pPr")) if first is not None else None
        for child in list(root):
            root.remove(child)
        paragraph = E("w:p")
        if ppr is not None:
            for tag in ("w:rPr", "w:sectPr", "w:pPrChange", "w:numPr"):
                for el in ppr.findall(qn(tag)):
                    ppr.remove(el)
            paragraph.append(ppr)
        root.append(paragraph)
    elif kind.endswith("/footnotes") or kind.endswith("/endnotes"):
        # The rules above the notes (which the settings name), none of the notes.
        for note in list(root):
            if note.get(qn("w:type")) not in _NOTE_SEPARATORS:
                root.remove(note)
    _drop_relationship_references(root)
    return _bytes(root)


def _bytes(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _drop_relationship_references(root: Any) -> None:
    """Elements that point at other parts (images, embedded objects) go: their targets
    were not kept."""
    r_attrs = {f"{{{_R}}}id", f"{{{_R}}}embed", f"{{{_R}}}link", f"{{{_R}}}href"}
    for el in list(root.iter()):
        if el.getparent() is not None and any(a in el.attrib for a in r_attrs):
            el.getparent().remove(el)


def _empty_document(root: Any, renamed: dict[str, str]) -> bytes:
    """The main document with an empty body but the final section's page set-up."""
    body = root.find(qn("w:body"))
    section = body.find(qn("w:sectPr")) if body is not None else None
    new_body = E("w:body")
    if section is not None:
        for ref in list(section):
            if ref.tag in (qn("w:headerReference"), qn("w:footerReference")):
                old = ref.get(qn("r:id"), "")
                if old in renamed:
                    ref.set(qn("r:id"), renamed[old])
                else:
                    section.remove(ref)
            elif ref.tag in (qn("w:printerSettings"), qn("w:sectPrChange")):
                section.remove(ref)
        new_body.append(section)
    document = etree.Element(qn("w:document"), nsmap={"w": NS["w"], "r": NS["r"]})
    document.append(new_body)
    return _bytes(document)


def _package(
    main: str, document: bytes, rels: Any, kept: dict[str, bytes], types: dict[str, str]
) -> bytes:
    content_types = etree.Element(f"{{{_CT}}}Types", nsmap={None: _CT})
    for ext, kind in (
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
    ):
        etree.SubElement(content_types, f"{{{_CT}}}Default", Extension=ext, ContentType=kind)
    main_type = _type_of(types, main) or (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    for part, kind in ((main, main_type), *((p, _type_of(types, p)) for p in kept)):
        etree.SubElement(content_types, f"{{{_CT}}}Override", PartName=f"/{part}", ContentType=kind)
    package_rels = etree.Element(f"{{{_PKG_R}}}Relationships", nsmap={None: _PKG_R})
    etree.SubElement(
        package_rels, f"{{{_PKG_R}}}Relationship", Id="rId1", Type=_OFFICE_DOCUMENT, Target=main
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("[Content_Types].xml", _bytes(content_types))
        dst.writestr("_rels/.rels", _bytes(package_rels))
        dst.writestr(main, document)
        dst.writestr(_rels_name(main), _bytes(rels))
        for part, data in kept.items():
            dst.writestr(part, data)
    return out.getvalue()
