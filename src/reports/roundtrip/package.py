"""Open a returned DOCX as data: its body, comments, hyperlinks, map and properties.

The file comes from outside (a colleague's Word, an e-mail): it is read within size caps,
by a parser that loads no DTD and expands no entity, and nothing in it is run.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import InputError, Problem, SourceLocation, UsageError
from .wordml import w

MAX_FILE = 50 * 1024 * 1024
MAX_PART = 100 * 1024 * 1024
"""Caps on the file and on any one part unpacked (a zip bomb stops here)."""
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True
)
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def parse_xml(data: bytes) -> Any:
    """An element tree of ``data``; ``None`` when it is not well-formed XML."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment: who wrote it, when, and what it says."""

    id: str
    author: str
    date: str
    text: str


@dataclass(slots=True)
class WordFile:
    """The parts of a DOCX that a review reads."""

    path: Path
    body: Any
    links: dict[str, str] = field(default_factory=dict)
    """Hyperlink relationship id → target."""
    comments: dict[str, Comment] = field(default_factory=dict)
    maps: list[bytes] = field(default_factory=list)
    """Every custom XML part (one of them is the map, if it survived)."""
    properties: bytes = b""
    """The custom properties part, if any."""


class DocxError(InputError):
    """A file that cannot be read as a Word document."""


def _fail(path: Path, message: str) -> DocxError:
    return DocxError([Problem(SourceLocation(str(path)), message)])


def open_docx(path: Path) -> WordFile:
    """Read ``path``; raise :class:`DocxError` when it is not a Word document we can read."""
    try:
        size = path.stat().st_size
    except OSError:
        raise UsageError(f"{path} does not exist") from None
    if size > MAX_FILE:
        raise _fail(path, f"is {size:,} bytes, over the limit of {MAX_FILE:,} for a document")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())

            def read(name: str) -> bytes | None:
                if name not in names:
                    return None
                if z.getinfo(name).file_size > MAX_PART:
                    raise _fail(path, f"its part {name} is too large to read")
                return z.read(name)

            main = _main_part(read)
            document = read(main)
            if document is None:
                raise _fail(path, "is not a Word document (no main document part)")
            root = parse_xml(document)
            body = root.find(w("body")) if root is not None else None
            if body is None:
                raise _fail(path, "its document part is not WordprocessingML")
            folder = posixpath.dirname(main)
            rels = _relationships(
                read(posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels"))
            )
            out = WordFile(path, body)
            for rel_id, (kind, target, external) in rels.items():
                if kind.endswith("/hyperlink"):
                    out.links[rel_id] = target
                elif kind.endswith("/comments") and not external:
                    data = read(posixpath.normpath(posixpath.join(folder, target)))
                    out.comments = _comments(data) if data else {}
            for name in sorted(names):
                if re.fullmatch(r"customXml/item[0-9]*\.xml", name):
                    data = read(name)
                    if data:
                        out.maps.append(data)
            out.properties = read("docProps/custom.xml") or b""
            return out
    except zipfile.BadZipFile:
        raise _fail(path, "is not a Word document (not a zip package)") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read: {exc.strerror}") from None


def _main_part(read: Any) -> str:
    rels = _relationships(read("_rels/.rels"))
    for kind, target, _external in rels.values():
        if kind.endswith("/officeDocument"):
            return target.lstrip("/")
    return "word/document.xml"


def _relationships(data: bytes | None) -> dict[str, tuple[str, str, bool]]:
    root = parse_xml(data) if data else None
    if root is None:
        return {}
    return {
        rel.get("Id", ""): (
            rel.get("Type", ""),
            rel.get("Target", ""),
            rel.get("TargetMode") == "External",
        )
        for rel in root.iter(f"{{{_REL_NS}}}Relationship")
    }


def _comments(data: bytes) -> dict[str, Comment]:
    root = parse_xml(data)
    if root is None:
        return {}
    out = {}
    for c in root.iter(w("comment")):
        paras = ["".join(t.text or "" for t in p.iter(w("t"))) for p in c.iter(w("p"))]
        cid = c.get(w("id"), "")
        out[cid] = Comment(
            cid, c.get(w("author"), ""), c.get(w("date"), ""), "\n".join(paras).strip()
        )
    return out


__all__ = ["Comment", "DocxError", "WordFile", "open_docx", "parse_xml"]
