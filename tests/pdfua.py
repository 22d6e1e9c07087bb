"""A checker of tagged PDF: the machine-checkable PDF/UA-1 conditions (Matterhorn
Protocol checkpoints, named in the messages) that apply to what ``reports`` writes, and the
PDF/A-2b basics, read with pikepdf; poppler's ``pdfinfo -struct-text`` for reading order.

    python tests/pdfua.py memo.pdf [--pdfa] [--expect TEXT ...] [--forbid TEXT ...]

Exit status 0 when no problem is found. It is not veraPDF or PAC (neither can be installed
from the package registries CI reaches): it checks what the ``check_*`` functions say.
"""

from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

STANDARD_TYPES = set(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
ALLOWED_KIDS = {
    "TR": ("TH", "TD"),
    "Table": ("TR", "THead", "TBody", "TFoot", "Caption"),
    "L": ("LI", "Caption", "L"),
    "LI": ("Lbl", "LBody"),
}
"""The structure types each of these may hold (ISO 32000-1, 14.8.4)."""
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PATH_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
PATH_BUILD = {"m", "l", "c", "v", "y", "h", "re"}
XMP_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def fail(self, msg: str) -> None:
        self.problems.append(msg)


def _objgen(o: Any) -> tuple[int, int]:
    return o.objgen


def _name(v: Any) -> str | None:
    return str(v)[1:] if isinstance(v, Name) else None


def _number_tree(node: Dictionary) -> Iterator[tuple[int, Any]]:
    if "/Nums" in node:
        nums = node.Nums
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


# ---------------------------------------------------------------------------- structure tree


@dataclass
class Tree:
    mcrs: dict[tuple[tuple[int, int], int], Any] = field(
        default_factory=dict
    )  # (page, mcid) -> elem
    objrs: dict[tuple[int, int], Any] = field(default_factory=dict)  # annot objgen -> elem
    order: list[Any] = field(default_factory=list)  # elements in tree (reading) order
    mcr_order: list[tuple[tuple[int, int], int]] = field(default_factory=list)


def walk_struct(pdf: pikepdf.Pdf, rep: Report) -> Tree:
    root = pdf.Root.StructTreeRoot
    role_map = root.get("/RoleMap", Dictionary())
    tree = Tree()
    ids: Counter = Counter()

    def std_type(s: str) -> str | None:
        seen = set()
        while s not in STANDARD_TYPES:
            if s in seen or Name("/" + s) not in role_map:
                return None
            seen.add(s)
            s = _name(role_map[Name("/" + s)]) or ""
        return s

    def visit(elem: Dictionary, page: Any, depth: int) -> None:
        if depth > 100:
            rep.fail("structure tree deeper than 100 (cycle?)")
            return
        s = _name(elem.get("/S"))
        if s is None:
            rep.fail(f"structure element without /S: {elem.objgen}")
            return
        std = std_type(s)
        if std is None:
            rep.fail(f"structure type /{s} is neither standard nor role-mapped to one")
        if std is not None and s != std and s in STANDARD_TYPES:
            rep.fail(f"standard type /{s} is remapped (Matterhorn 02)")
        tree.order.append((std or s, elem))
        rep.stats[f"elem {std or s}"] += 1
        pg = elem.get("/Pg", page)
        kids = elem.get("/K")
        if kids is None:
            kids = Array()
        elif not isinstance(kids, Array):
            kids = Array([kids])
        for k in kids:
            if isinstance(k, int):
                if pg is None:
                    rep.fail(f"MCID {k} in /{s} without a page")
                    continue
                key = (_objgen(pg), int(k))
                if key in tree.mcrs:
                    rep.fail(f"MCID {key} referenced twice in the structure tree")
                tree.mcrs[key] = elem
                tree.mcr_order.append(key)
            elif isinstance(k, Dictionary):
                t = _name(k.get("/Type"))
                if t == "MCR":
                    kp = k.get("/Pg", pg)
                    key = (_objgen(kp), int(k.MCID))
                    if key in tree.mcrs:
                        rep.fail(f"MCID {key} referenced twice in the structure tree")
                    tree.mcrs[key] = elem
                    tree.mcr_order.append(key)
                elif t == "OBJR":
                    tree.objrs[_objgen(k.Obj)] = elem
                else:
                    if k.get("/P") is None or _objgen(k.P) != _objgen(elem):
                        rep.fail(
                            f"/{_name(k.get('/S'))} {k.objgen}: /P does not point to its parent"
                        )
                    visit(k, pg, depth + 1)
        # element-specific rules
        if (
            std in ("Figure", "Formula")
            and not str(elem.get("/Alt", "")).strip()
            and not str(elem.get("/ActualText", "")).strip()
        ):
            rep.fail(f"/{s} without /Alt (Matterhorn 13)")
        scoped = _has_attr(elem, "Scope") or "/Headers" in str(elem.get("/A", ""))
        if std == "TH" and not scoped:
            rep.fail("TH without /Scope (Matterhorn 15)")
        if std == "Note":
            nid = elem.get("/ID")
            if nid is None:
                rep.fail("Note without /ID (Matterhorn 19)")
            else:
                ids[str(nid)] += 1
        for k in kids if std in ALLOWED_KIDS else ():
            kind = std_type(_name(k.S) or "") if isinstance(k, Dictionary) and "/S" in k else None
            if kind is not None and kind not in ALLOWED_KIDS[std]:
                rep.fail(f"{std} has a /{_name(k.S)} child")
        if "/Lang" in elem:
            lang = str(elem.Lang)
            rep.stats["elements with /Lang"] += 1
            rep.notes.append(f"/{s} /Lang ({lang})")
            if not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", lang):
                rep.fail(f"malformed /Lang {lang!r} (Matterhorn 11)")

    k = root.get("/K")
    kids = k if isinstance(k, Array) else [k]
    for e in kids:
        if isinstance(e, Dictionary):
            visit(e, None, 0)
    for i, n in ids.items():
        if n > 1:
            rep.fail(f"Note /ID {i} not unique")
    if "/IDTree" not in root and ids:
        rep.fail("elements have /ID but StructTreeRoot has no /IDTree")

    # headings: no skipped levels, first is H1 (Matterhorn 14)
    levels = [int(s[1]) for s, _ in tree.order if re.fullmatch(r"H[1-6]", s)]
    if "H" in {s for s, _ in tree.order} and levels:
        rep.fail("both H and H1-H6 used (Matterhorn 14)")
    if levels:
        if levels[0] != 1:
            rep.fail(f"first heading is H{levels[0]}, not H1 (Matterhorn 14)")
        for a, b in itertools.pairwise(levels):
            if b > a + 1:
                rep.fail(f"heading level skipped: H{a} then H{b} (Matterhorn 14)")
    rep.stats["headings"] = len(levels)
    return tree


def _has_attr(elem: Dictionary, key: str) -> bool:
    a = elem.get("/A")
    if a is None:
        return False
    for d in a if isinstance(a, Array) else [a]:
        if isinstance(d, Dictionary) and Name("/" + key) in d:
            return True
    return False


# ---------------------------------------------------------------------------- content streams


def walk_content(pdf: pikepdf.Pdf, rep: Report) -> dict[tuple[tuple[int, int], int], int]:
    """(page, mcid) -> count found in the content streams; checks untagged painting."""
    found: Counter = Counter()
    for pno, page in enumerate(pdf.pages, 1):
        _walk_stream(
            pikepdf.parse_content_stream(page), page, _objgen(page.obj), pno, rep, found, []
        )
    return found


def _walk_stream(
    ops: list[Any],
    page: Any,
    pg: tuple[int, int],
    pno: int,
    rep: Report,
    found: Counter,
    stack: list[str],
) -> None:
    bt_depth: int | None = None
    in_path = False
    res = page.get("/Resources", Dictionary()) if hasattr(page, "get") else Dictionary()
    for item in ops:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            if not any(s in ("mcid", "artifact") for s in stack):
                rep.fail(f"page {pno}: untagged inline image")
            continue
        operands, op = item.operands, str(item.operator)
        if op in ("BDC", "BMC"):
            if in_path:
                rep.fail(f"page {pno}: {op} inside a path object")
            tag = _name(operands[0])
            props = operands[1] if op == "BDC" else None
            if isinstance(props, Name):
                props = res.get("/Properties", Dictionary()).get(props)
            kind = "other"
            if tag == "Artifact":
                kind = "artifact"
                if "mcid" in stack:
                    rep.fail(f"page {pno}: Artifact inside tagged content")
            elif isinstance(props, Dictionary) and "/MCID" in props:
                kind = "mcid"
                if "mcid" in stack:
                    rep.fail(f"page {pno}: MCID sequence nested in another (MCID {props.MCID})")
                if "artifact" in stack:
                    rep.fail(f"page {pno}: tagged content inside an Artifact (Matterhorn 01)")
                found[(pg, int(props.MCID))] += 1
                rep.stats["mcid sequences"] += 1
            stack.append(kind if bt_depth is None else kind + "@bt")
            if kind == "artifact":
                rep.stats["artifact sequences"] += 1
        elif op == "EMC":
            if not stack:
                rep.fail(f"page {pno}: EMC without BDC")
                continue
            top = stack.pop()
            if (bt_depth is not None) != top.endswith("@bt"):
                rep.fail(
                    f"page {pno}: marked content and BT/ET not nested properly (ISO 32000-1 14.6)"
                )
        elif op == "BT":
            bt_depth = len(stack)
        elif op == "ET":
            if bt_depth is not None and len(stack) != bt_depth:
                rep.fail(f"page {pno}: marked content open across ET")
            bt_depth = None
        else:
            kinds = {s.split("@")[0] for s in stack}
            tagged = "mcid" in kinds or "artifact" in kinds
            if op in PATH_BUILD:
                in_path = True
            elif op == "n":
                in_path = False
            elif op in PATH_PAINT or op in TEXT_SHOW or op in ("Do", "sh"):
                in_path = False
                rep.stats["painting operators"] += 1
                if not tagged:
                    rep.fail(f"page {pno}: '{op}' neither tagged nor artifact (Matterhorn 01)")
                if op == "Do":
                    xo = res.XObject[operands[0]]
                    if xo.get("/Subtype") == Name.Form:
                        # a form's content is part of the sequence it is drawn in
                        _walk_stream(
                            pikepdf.parse_content_stream(xo), xo, pg, pno, rep, found, list(stack)
                        )
    if stack:
        rep.fail(f"page {pno}: {len(stack)} marked-content sequence(s) left open")


# ---------------------------------------------------------------------------- document level


def check_document(pdf: pikepdf.Pdf, rep: Report, pdfa: bool) -> None:
    root = pdf.Root
    mi = root.get("/MarkInfo")
    if mi is None or not bool(mi.get("/Marked", False)):
        rep.fail("/MarkInfo /Marked is not true (Matterhorn 01)")
    if mi is not None and bool(mi.get("/Suspects", False)):
        rep.fail("/MarkInfo /Suspects true (Matterhorn 01)")
    if not str(root.get("/Lang", "")).strip():
        rep.fail("catalog has no /Lang (Matterhorn 11)")
    vp = root.get("/ViewerPreferences", Dictionary())
    if not bool(vp.get("/DisplayDocTitle", False)):
        rep.fail("/ViewerPreferences /DisplayDocTitle is not true (Matterhorn 07)")
    if "/StructTreeRoot" not in root:
        rep.fail("no StructTreeRoot (Matterhorn 01)")
    # XMP
    if "/Metadata" not in root:
        rep.fail("no XMP metadata stream (Matterhorn 06)")
        return
    ms = root.Metadata
    if pdfa and "/Filter" in ms:
        rep.fail("XMP stream is filtered")
    with pdf.open_metadata() as meta:
        title = meta.get("dc:title")
        if not title:
            rep.fail("XMP has no dc:title (Matterhorn 06)")
        if str(meta.get("pdfuaid:part", "")) != "1":
            rep.fail("XMP has no pdfuaid:part 1 (Matterhorn 06)")
        info = pdf.docinfo
        if title and str(info.get("/Title", "")) != str(title):
            rep.fail("Info /Title differs from dc:title")
        if pdfa:
            if (
                str(meta.get("pdfaid:part", "")) != "2"
                or str(meta.get("pdfaid:conformance", "")) != "B"
            ):
                rep.fail("XMP pdfaid part 2 / conformance B missing")
            for key, xkey in (
                ("/Author", None),
                ("/Subject", None),
                ("/Keywords", "pdf:Keywords"),
                ("/Producer", "pdf:Producer"),
                ("/Creator", "xmp:CreatorTool"),
            ):
                if key in info and xkey is not None and str(info[key]) != str(meta.get(xkey, "")):
                    rep.fail(f"Info {key} differs from XMP {xkey}")
    raw = bytes(ms.read_raw_bytes()).decode("utf-8")
    if (
        pdfa
        and "pdfuaid" in raw
        and "http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" not in raw
    ):
        rep.fail("pdfuaid used without a PDF/A extension schema description")
    if pdfa:
        ois = root.get("/OutputIntents", Array())
        if not any(oi.get("/S") == Name.GTS_PDFA1 and "/DestOutputProfile" in oi for oi in ois):
            rep.fail("no GTS_PDFA1 OutputIntent with DestOutputProfile")
        else:
            prof = next(oi for oi in ois if oi.get("/S") == Name.GTS_PDFA1).DestOutputProfile
            data = prof.read_bytes()
            rep.notes.append(
                f"OutputIntent ICC: {len(data)} bytes, v{data[8]}.{data[9] >> 4}, "
                f"class {data[12:16].decode()}, space {data[16:20].decode()}"
            )
        if "/ID" not in pdf.trailer:
            rep.fail("trailer has no /ID")
        if pdf.is_encrypted:
            rep.fail("encrypted")


def check_pages(pdf: pikepdf.Pdf, rep: Report, tree: Tree, found: Counter, pdfa: bool) -> None:
    pt = pdf.Root.StructTreeRoot.get("/ParentTree")
    parent = dict(_number_tree(pt)) if pt is not None else {}
    next_key = int(pdf.Root.StructTreeRoot.get("/ParentTreeNextKey", -1))
    if parent and next_key <= max(parent):
        rep.fail("ParentTreeNextKey not above every key")
    seen_keys = Counter()
    for pno, page in enumerate(pdf.pages, 1):
        pg = _objgen(page.obj)
        mcids = sorted(m for (p, m) in found if p == pg)
        annots = page.obj.get("/Annots", Array())
        if annots and page.obj.get("/Tabs") != Name.S:
            rep.fail(
                f"page {pno} has annotations but no /Tabs /S (ISO 14289-1 7.18.3, Matterhorn 28)"
            )
        if mcids:
            sp = page.obj.get("/StructParents")
            if sp is None:
                rep.fail(f"page {pno} has MCIDs but no /StructParents")
                continue
            seen_keys[int(sp)] += 1
            arr = parent.get(int(sp))
            if arr is None:
                rep.fail(f"page {pno}: ParentTree has no entry {int(sp)}")
                continue
            for m in mcids:
                if m >= len(arr) or not isinstance(arr[m], Dictionary):
                    rep.fail(f"page {pno}: MCID {m} not in the ParentTree")
                    continue
                elem = tree.mcrs.get((pg, m))
                if elem is None:
                    rep.fail(f"page {pno}: MCID {m} is in the content but no element refers to it")
                elif _objgen(arr[m]) != _objgen(elem):
                    rep.fail(
                        f"page {pno}: ParentTree MCID {m} -> {arr[m].objgen}, not {elem.objgen}"
                    )
            if len(arr) != len(mcids):
                rep.fail(
                    f"page {pno}: ParentTree array has {len(arr)} entries for {len(mcids)} MCIDs"
                )
        for a in annots:
            sub = _name(a.get("/Subtype"))
            rep.stats[f"annotation {sub}"] += 1
            if sub == "Popup":
                continue
            key = a.get("/StructParent")
            elem = tree.objrs.get(_objgen(a))
            if key is None or elem is None:
                rep.fail(f"page {pno}: {sub} annotation not tagged (Matterhorn 28)")
                continue
            seen_keys[int(key)] += 1
            if _objgen(parent.get(int(key), Dictionary())) != _objgen(elem):
                rep.fail(
                    f"page {pno}: annotation /StructParent {int(key)} does not lead to its element"
                )
            if sub == "Link":
                if _name(elem.get("/S")) != "Link":
                    rep.fail(f"page {pno}: link annotation not in a Link element (Matterhorn 28)")
                if not str(a.get("/Contents", "")).strip():
                    rep.fail(f"page {pno}: link annotation without /Contents (Matterhorn 28)")
            flags = int(a.get("/F", 0))
            if pdfa and (not flags & 4 or flags & (1 | 2 | 32)):
                rep.fail(
                    f"page {pno}: annotation /F {flags}: Print must be set, Hidden/NoView clear"
                )
    for k, n in seen_keys.items():
        if n > 1:
            rep.fail(f"StructParent(s) key {k} used {n} times")
    # every MCID exactly once in the content, and every MCR has content
    for key, n in found.items():
        if n != 1:
            rep.fail(f"MCID {key} appears {n} times in the content")
    for key in tree.mcrs:
        if key not in found:
            rep.fail(f"structure tree refers to MCID {key} that is not in the content")
    rep.stats["mcids referenced"] = len(tree.mcrs)
    pages_of: dict[tuple[int, int], set] = {}
    types: dict[tuple[int, int], str] = {}
    for (pg, _m), elem in tree.mcrs.items():
        pages_of.setdefault(_objgen(elem), set()).add(pg)
        types[_objgen(elem)] = _name(elem.S) or "?"
    for og, pgs in pages_of.items():
        if len(pgs) > 1:
            rep.stats[f"elements split over pages: {types[og]}"] += 1


def check_resources(pdf: pikepdf.Pdf, rep: Report, pdfa: bool) -> None:
    fonts: dict[tuple[int, int], Any] = {}
    for page in pdf.pages:
        res = page.obj.get("/Resources", Dictionary())
        for f in res.get("/Font", Dictionary()).values():
            fonts[_objgen(f)] = f
        for xo in res.get("/XObject", Dictionary()).values():
            if xo.get("/Subtype") == Name.Image:
                rep.stats["images"] += 1
                if pdfa and bool(xo.get("/Interpolate", False)):
                    rep.fail("image with /Interpolate true (PDF/A)")
                if pdfa and ("/Alternates" in xo or "/OPI" in xo):
                    rep.fail("image with /Alternates or /OPI (PDF/A)")
        for gs in res.get("/ExtGState", Dictionary()).values():
            if pdfa and (
                "/TR" in gs or "/HTP" in gs or (gs.get("/TR2") not in (None, Name.Default))
            ):
                rep.fail("ExtGState with TR/TR2/HTP (PDF/A)")
    for f in fonts.values():
        sub = _name(f.get("/Subtype"))
        base = str(f.get("/BaseFont", ""))
        rep.stats[f"font {sub}"] += 1
        desc = f.get("/FontDescriptor")
        if sub == "Type0":
            desc = f.DescendantFonts[0].get("/FontDescriptor")
        embedded = desc is not None and any(
            k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        if sub != "Type3" and not embedded:
            rep.fail(f"font {base} not embedded (Matterhorn 31)")
        if "/ToUnicode" not in f:
            rep.fail(f"font {base} has no /ToUnicode (Matterhorn 31)")
        if pdfa and sub == "TrueType" and desc is not None:
            symbolic = int(desc.get("/Flags", 0)) & 4
            if symbolic and "/Encoding" in f:
                rep.fail(f"symbolic TrueType {base} has /Encoding (PDF/A 6.2.11.6)")
            if not symbolic and _name(f.get("/Encoding")) not in (
                "WinAnsiEncoding",
                "MacRomanEncoding",
            ):
                rep.fail(f"non-symbolic TrueType {base} without WinAnsi/MacRoman encoding")


def check_stream_eol(path: str, pdf: pikepdf.Pdf, rep: Report) -> None:
    """PDF/A 6.1.7.1: Length counts the bytes between 'stream'+EOL and the EOL before
    'endstream'. Offsets come from qpdf --show-xref."""
    raw = Path(path).read_bytes()
    out = subprocess.run(["qpdf", "--show-xref", path], capture_output=True, text=True).stdout
    bad = 0
    for m in re.finditer(r"^(\d+)/(\d+): uncompressed; offset = (\d+)", out, re.M):
        num, gen, off = int(m[1]), int(m[2]), int(m[3])
        obj = pdf.get_object((num, gen))
        if not isinstance(obj, pikepdf.Stream):
            continue
        i = raw.find(b"stream", off)
        j = i + 6
        if raw[j : j + 2] == b"\r\n":
            j += 2
        elif raw[j : j + 1] == b"\n":
            j += 1
        else:
            bad += 1
            continue
        length = int(obj.stream_dict.Length)
        tail = raw[j + length : j + length + 11]
        if not (tail.startswith(b"\nendstream") or tail.startswith(b"\r\nendstream")):
            bad += 1
    if bad:
        rep.fail(
            f"{bad} stream(s) without an EOL before 'endstream' outside /Length (PDF/A 6.1.7.1)"
        )
    if raw[:5] != b"%PDF-" or not all(
        c > 127 for c in raw[raw.index(b"\n") + 2 : raw.index(b"\n") + 6]
    ):
        rep.fail("header not followed by a binary comment (PDF/A 6.1.2)")


# ---------------------------------------------------------------------------- Unicode


def _cmap(font: Any) -> dict[int, str]:
    """Character code → text of a font's ToUnicode CMap (bfchar and bfrange entries)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}

    def text(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = text(uni)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, uni in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(uni, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(first + i)
    return out


def check_unicode(pdf: pikepdf.Pdf, rep: Report) -> None:
    """Every character code shown maps to Unicode text, none to the private use area
    (Matterhorn 31; PDF/A-2a and -2u 6.2.11.7)."""
    maps: dict[tuple[int, int], dict[int, str]] = {}
    for pno, page in enumerate(pdf.pages, 1):
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        current: dict[int, str] | None = None
        for item in pikepdf.parse_content_stream(page):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                continue
            op = str(item.operator)
            if op == "Tf":
                font = fonts.get(item.operands[0])
                if font is None or "/ToUnicode" not in font:
                    current = None  # reported by check_resources
                    continue
                key = _objgen(font)
                if key not in maps:
                    maps[key] = _cmap(font)
                current = maps[key]
            elif op in TEXT_SHOW and current is not None:
                strings = item.operands[-1]
                for part in strings if isinstance(strings, Array) else [strings]:
                    if not isinstance(part, pikepdf.String):
                        continue
                    for code in bytes(part):
                        uni = current.get(code)
                        if not uni:
                            rep.fail(
                                f"page {pno}: character code {code} has no Unicode (Matterhorn 31)"
                            )
                        elif any(0xE000 <= ord(c) <= 0xF8FF for c in uni):
                            rep.fail(f"page {pno}: character code {code} maps to private use")
                rep.stats["characters mapped"] += 1


# ---------------------------------------------------------------------------- page text


def without_artifacts(path: str, out: str) -> None:
    """Copy ``path`` to ``out`` with the painting inside every Artifact sequence removed:
    its text is the page text without the furniture."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            kept: list[Any] = []
            depth = 0
            for item in pikepdf.parse_content_stream(page):
                if isinstance(item, pikepdf.ContentStreamInlineImage):
                    kept.append(item)
                    continue
                op = str(item.operator)
                if op in ("BDC", "BMC"):
                    if depth or _name(item.operands[0]) == "Artifact":
                        depth += 1
                elif op == "EMC" and depth:
                    depth -= 1
                elif depth and (op in TEXT_SHOW or op in PATH_PAINT or op in ("Do", "sh")):
                    continue
                kept.append(item)
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(out)


def page_text(path: str) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _chars(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace() and c != "\f")


def check_text_equals_structure(path: str, rep: Report, scratch: str) -> None:
    """The structure's text (``pdfinfo -struct-text``) has exactly the characters of the
    page text without the artifacts: nothing untagged, nothing tagged twice."""
    without_artifacts(path, scratch)
    flat = "".join(re.findall(r'"(.*)"', struct_text(path)))
    tree, page = _chars(flat), _chars(page_text(scratch))
    if tree != page:
        missing = "".join(sorted((page - tree).elements()))[:80]
        extra = "".join(sorted((tree - page).elements()))[:80]
        rep.fail(
            f"structure text differs from the page text: not in the tree {missing!r}, "
            f"only in the tree {extra!r}"
        )


# ---------------------------------------------------------------------------- reading order


def struct_text(path: str) -> str:
    return subprocess.run(
        ["pdfinfo", "-struct-text", path], capture_output=True, text=True, check=True
    ).stdout


def check_reading_order(path: str, rep: Report, expect: list[str], forbid: list[str]) -> str:
    text = struct_text(path)
    flat = " ".join(re.findall(r'"(.*)"', text))  # the quoted text runs, in tree order
    pos = 0
    for e in expect:
        i = flat.find(e, pos)
        if i < 0:
            where = "earlier" if flat.find(e) >= 0 else "nowhere"
            rep.fail(f"pdfinfo -struct-text: {e!r} not found in order (found {where})")
        else:
            pos = i + len(e)
    for f in forbid:
        if f in flat:
            rep.fail(f"pdfinfo -struct-text: furniture {f!r} appears in the structure text")
    rep.stats["struct-text characters"] = len(flat)
    return text


def check(
    path: str,
    *,
    pdfa: bool = False,
    expect: Sequence[str] = (),
    forbid: Sequence[str] = (),
    scratch: str | None = None,
) -> Report:
    """Check the PDF at ``path``; ``expect``: texts the structure holds, in this order;
    ``forbid``: texts it must not hold; ``scratch``: a file to compare the structure's text
    with the page text in (``None``: no comparison)."""
    rep = Report()
    with pikepdf.open(path) as pdf:
        check_document(pdf, rep, pdfa)
        if "/StructTreeRoot" in pdf.Root:
            tree = walk_struct(pdf, rep)
            found = walk_content(pdf, rep)
            check_pages(pdf, rep, tree, found, pdfa)
        else:
            walk_content(pdf, rep)
        check_resources(pdf, rep, pdfa)
        check_unicode(pdf, rep)
        if pdfa:
            check_stream_eol(path, pdf, rep)
    if expect or forbid:
        check_reading_order(path, rep, list(expect), list(forbid))
    if scratch is not None:
        check_text_equals_structure(path, rep, scratch)
    return rep


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--pdfa", action="store_true")
    ap.add_argument("--expect", nargs="*", default=[])
    ap.add_argument("--forbid", nargs="*", default=[])
    a = ap.parse_args()
    scratch = a.pdf + ".no-artifacts.pdf"
    rep = check(a.pdf, pdfa=a.pdfa, expect=a.expect, forbid=a.forbid, scratch=scratch)
    for k, v in sorted(rep.stats.items()):
        print(f"  {k}: {v}")
    for n in rep.notes:
        print("  note:", n)
    uniq = Counter(rep.problems)
    for p, n in uniq.items():
        print("FAIL", p, f"(x{n})" if n > 1 else "")
    print(f"{a.pdf}: {'OK' if not rep.problems else f'{len(rep.problems)} problem(s)'}")
    return 1 if rep.problems else 0


if __name__ == "__main__":
    sys.exit(main())
