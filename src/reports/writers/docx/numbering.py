"""Word numbering definitions: bullets, numbered lists, numbered headings and Q&A labels.

Numbers and labels are Word numbering (``w:numPr``), never typed text, so a colleague who
inserts a question, a step or a section gets the right number without renumbering.
"""

from __future__ import annotations

from typing import Any

from .ooxml import E, p_pr, ppr_child, qn, set_fonts, val


class Numbering:
    """The document's numbering part: add definitions (``w:abstractNum``) and instances."""

    def __init__(self, word: Any) -> None:
        # python-docx makes an empty numbering part when a document has none
        self.root = word.part.numbering_part.element

    def _next(self, tag: str, attr: str) -> int:
        used = [int(el.get(qn(attr))) for el in self.root.findall(qn(tag)) if el.get(qn(attr))]
        return max(used, default=0) + 1

    def define(self, levels: list[Any], name: str) -> int:
        """Add an abstract definition with ``levels`` (``w:lvl`` elements); return its id."""
        abstract_id = self._next("w:abstractNum", "w:abstractNumId")
        abstract = E(
            "w:abstractNum",
            {"w:abstractNumId": abstract_id},
            val("w:multiLevelType", "singleLevel" if len(levels) == 1 else "multilevel"),
            val("w:name", name),
            *levels,
        )
        # the schema puts every abstractNum before the first num
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        return abstract_id

    def instance(self, abstract_id: int, start: int | None = None, ilvl: int = 0) -> int:
        """Add a numbering instance of ``abstract_id``; return its id.

        With ``start``, level ``ilvl`` counts from ``start`` where the instance is first
        used: each numbered list is an instance of its own, so it never continues the
        count of the one before.
        """
        num_id = self._next("w:num", "w:numId")
        el = E("w:num", {"w:numId": num_id}, val("w:abstractNumId", abstract_id))
        if start is not None:
            el.append(E("w:lvlOverride", {"w:ilvl": ilvl}, val("w:startOverride", start)))
        self.root.append(el)
        return num_id

    def abstract_of(self, num_id: str) -> str | None:
        """The abstract definition a numbering instance uses; ``None`` if there is none."""
        for num in self.root.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                ref = num.find(qn("w:abstractNumId"))
                return ref.get(qn("w:val")) if ref is not None else None
        return None

    def named(self, name: str) -> int | None:
        """The last abstract definition called ``name`` (the memo's own, when a reference
        document brought one of the same name); ``None`` if there is none."""
        found = [
            a.get(qn("w:abstractNumId"))
            for a in self.root.findall(qn("w:abstractNum"))
            if (n := a.find(qn("w:name"))) is not None and n.get(qn("w:val")) == name
        ]
        return int(found[-1]) if found else None

    def levels(self, abstract_id: str) -> set[int]:
        """The levels (``w:ilvl``) abstract definition ``abstract_id`` defines."""
        for abstract in self.root.findall(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) == abstract_id:
                return {int(lvl.get(qn("w:ilvl"), "0")) for lvl in abstract.findall(qn("w:lvl"))}
        return set()


def level(
    ilvl: int,
    fmt: str,
    text: str,
    *,
    left: int,
    hanging: int,
    font: str | None = None,
    east_asian: str | None = None,
    color: str | None = None,
    bold: bool = False,
    style_id: str | None = None,
    suffix: str = "tab",
) -> Any:
    """One level: number format (``decimal``, ``upperRoman``, ``bullet``…), its text
    (``%1.``, ``Q%1``, ``•``), indents in twips, and the label's run properties."""
    lvl = E("w:lvl", {"w:ilvl": ilvl}, val("w:start", 1), val("w:numFmt", fmt))
    if style_id is not None:
        lvl.append(val("w:pStyle", style_id))
    lvl.append(val("w:suff", suffix))
    lvl.append(val("w:lvlText", text))
    lvl.append(val("w:lvlJc", "left"))
    ppr = E("w:pPr")
    if suffix == "tab":
        ppr.append(E("w:tabs", None, E("w:tab", {"w:val": "num", "w:pos": left})))
    ppr.append(E("w:ind", {"w:left": left, "w:hanging": hanging}))
    lvl.append(ppr)
    rpr = E("w:rPr")
    if font is not None:
        set_fonts(rpr, font, east_asian)
    if bold:
        rpr.append(E("w:b"))
    if color is not None:
        rpr.append(val("w:color", color))
    if len(rpr):
        lvl.append(rpr)
    return lvl


def num_pr(num_id: int | str, ilvl: int = 0) -> Any:
    """A paragraph's (or style's) numbering: instance ``num_id`` at level ``ilvl``."""
    return E("w:numPr", None, val("w:ilvl", ilvl), val("w:numId", num_id))


def number(p_el: Any, num_id: int | str, ilvl: int = 0) -> None:
    """Number paragraph ``p_el`` with instance ``num_id`` at level ``ilvl``."""
    ppr = p_pr(p_el)
    ppr.replace(ppr_child(ppr, "w:numPr"), num_pr(num_id, ilvl))
