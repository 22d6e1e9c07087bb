"""Floor: the example memo's DOCX written by hand with plain python-docx.

Usage: ``python bench/floor_docx.py input.yaml output.docx``

This is the baseline a user would write without ``reports``: read the fact base with
PyYAML's libyaml safe loader, start from python-docx's default template, set the fonts to Arial and
add the same sections, in the same order and wording. The timeline is an ordinary table
filled with ``table.add_row()``; its header row repeats on every page. No validation, no
"Page N of M", no reproducible zip.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import docx
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x56, 0x60, 0x6C)


def fmt_date(value: Any) -> str:
    """``2024-02-13`` → ``13 February 2024``; also ``2024-02``, ``2024``, ``early 2024-02``."""
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = str(value).strip()
    qualifier = ""
    if " " in text:
        qualifier, text = text.split(" ", 1)
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        out = f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    elif len(parts) == 2:
        out = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    else:
        out = str(parts[0])
    if qualifier == "mid":
        return f"mid-{out}"
    return f"{qualifier} {out}" if qualifier else out


def paras(value: Any) -> list[str]:
    """A text field that may be one paragraph or a list of them."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def join_words(items: list[Any]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def set_fonts(document: Any) -> None:
    """Arial everywhere: the styles the memo uses, in every font slot (themes removed)."""
    names = ["Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet"]
    for name in [*names, "List Number", "Table Grid"]:
        font = document.styles[name].font
        font.name = FONT
        rfonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), FONT)
        rfonts.set(qn("w:cs"), FONT)
    document.styles["Normal"].font.size = Pt(10.5)
    for name in ("Title", "Heading 1"):
        document.styles[name].font.color.rgb = ACCENT


def restart_numbering(document: Any) -> int:
    """A new numbering instance for List Number that starts at 1 again; return its id."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == style_num)
    new_id = max(n.numId for n in numbering.num_lst) + 1
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    return int(new_id)


def numbered(document: Any, items: list[list[tuple[str, bool]]]) -> None:
    """A list numbered from 1; each item is (text, italic) runs."""
    num_id: int | None = None
    for runs in items:
        par = document.add_paragraph(style="List Number")
        if num_id is None:
            num_id = restart_numbering(document)
        numpr = par._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = num_id
        for text, italic in runs:
            par.add_run(text).italic = italic or None


def fields(document: Any, rows: list[tuple[str, list[tuple[str, bool]]]]) -> None:
    """A two-column label/value table; values are (text, bold) runs."""
    table = document.add_table(rows=0, cols=2)
    table.columns[0].width = Mm(30)
    table.columns[1].width = Mm(136)
    for label, runs in rows:
        cells = table.add_row().cells
        run = cells[0].paragraphs[0].add_run(label)
        run.bold = True
        run.font.color.rgb = MUTED
        for text, bold in runs:
            if text == "\n":
                cells[1].paragraphs[0].add_run().add_break()
            else:
                cells[1].paragraphs[0].add_run(text).bold = bold or None
    document.add_paragraph()


def build(facts: dict[str, Any]) -> Any:
    document = docx.Document()
    set_fonts(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(26), Mm(24)
    section.left_margin = section.right_margin = Mm(22)
    memo = facts["memo"]

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(str(memo["marking"])).bold = True
    section.header.add_paragraph(str(memo.get("short_title") or memo["title"]))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(str(memo["marking"])).bold = True

    props = document.core_properties
    props.title, props.author, props.subject = memo["title"], memo["from"], memo["subject"]
    props.keywords = ", ".join(memo.get("keywords") or [])

    kicker = document.add_paragraph().add_run(f"{memo['from']} · Briefing memo")
    kicker.bold = True
    kicker.font.color.rgb = ACCENT
    document.add_paragraph(memo["title"], style="Title")
    if memo.get("subtitle"):
        document.add_paragraph(memo["subtitle"], style="Subtitle")
    rows = [
        ("Date", [(fmt_date(memo["date"]), False)]),
        ("From", [(memo["from"], False)]),
        ("To", [(memo["to"], False)]),
        ("Subject", [(memo["subject"], False)]),
    ]
    if memo.get("reference"):
        rows.append(("Reference", [(memo["reference"], False)]))
    rows.append(("Handling", [(memo["marking"], False)]))
    fields(document, rows)

    document.add_heading("Summary", level=1)
    for point in facts["summary"]:
        document.add_paragraph(point, style="List Bullet")
    if facts.get("purpose"):
        document.add_heading("Purpose", level=1)
        for text in paras(facts["purpose"]):
            document.add_paragraph(text)
    document.add_heading("Background", level=1)
    for text in paras(facts["background"]):
        document.add_paragraph(text)
    if ev := facts.get("event"):
        document.add_heading("The event", level=2)
        where = ev["format"].capitalize() + (f", {ev['location']}" if ev.get("location") else "")
        rows = [
            ("Event", [(ev["name"], False)]),
            ("Host", [(ev["host"], False)]),
            ("Date", [(fmt_date(ev["date"]), False)]),
            ("Format", [(where, False)]),
            ("Participants", [(join_words(ev["participants"]), False)]),
        ]
        if ev.get("delegation"):
            runs: list[tuple[str, bool]] = []
            for who in ev["delegation"]:
                if runs:
                    runs.append(("\n", False))
                runs.append((who["name"], True))
                if who.get("role"):
                    runs.append((f", {who['role']}", False))
                if who.get("organisation") and who["organisation"] != memo["from"]:
                    runs.append((f", {who['organisation']}", False))
            rows.append(("Delegation", runs))
        fields(document, rows)
    if facts.get("key_points"):
        document.add_heading("Key points", level=1)
        for point in facts["key_points"]:
            document.add_paragraph(point, style="List Bullet")
    if imp := facts.get("impact"):
        document.add_heading("Who is affected", level=1)
        for who in imp["affected"]:
            document.add_paragraph(who, style="List Bullet")
        if imp.get("industries"):
            document.add_paragraph(
                f"Industries that depend on stable access: {join_words(imp['industries'])}."
            )

    if facts.get("timeline"):
        document.add_heading("Timeline", level=1)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for col, width in zip(table.columns, (Mm(32), Mm(76), Mm(58)), strict=True):
            col.width = width
        head = table.rows[0]
        trpr = head._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))  # repeat the header row on every page
        for cell, text in zip(head.cells, ("Date", "Event", "Significance"), strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for entry in facts["timeline"]:
            cells = table.add_row().cells
            cells[0].text = fmt_date(entry["date"])
            cells[1].text = str(entry["event"])
            cells[2].text = str(entry.get("significance") or "—")
        document.add_paragraph()

    if facts.get("faq"):
        document.add_heading("Anticipated questions", level=1)
        for n, qa in enumerate(facts["faq"], 1):
            q = document.add_paragraph()
            q.add_run(f"Q{n}\t").font.color.rgb = ACCENT
            q.add_run(qa["question"]).bold = True
            for i, text in enumerate(paras(qa["answer"])):
                a = document.add_paragraph()
                a.add_run("A\t" if i == 0 else "\t").bold = True
                a.add_run(text)

    if facts.get("next_steps"):
        document.add_heading("Next steps", level=1)
        steps = []
        for s in facts["next_steps"]:
            extra = []
            if s.get("owner"):
                extra.append(f"Owner: {s['owner']}")
            if s.get("due"):
                extra.append(f"by {fmt_date(s['due'])}")
            runs = [(s["action"], False)]
            if extra:
                runs.append((f" ({'; '.join(extra)})", True))
            steps.append(runs)
        numbered(document, steps)
    if facts.get("assessment"):
        document.add_heading("Assessment", level=1)
        for text in paras(facts["assessment"]):
            document.add_paragraph(text)

    document.add_heading("Sources", level=1)
    sources = []
    for s in facts["sources"]:
        text = str(s["title"])
        if s.get("publisher"):
            text += f", {s['publisher']}"
        if s.get("date"):
            text += f", {fmt_date(s['date'])}"
        if s.get("url"):
            text += f". {s['url']}"
        sources.append([(text, False)])
    numbered(document, sources)

    if memo.get("drafter") or memo.get("distribution"):
        document.add_heading("Contact and distribution", level=1)
        if who := memo.get("drafter"):
            par = document.add_paragraph()
            par.add_run("Drafter: ").bold = True
            par.add_run(
                ", ".join(str(who[k]) for k in ("name", "role", "organisation") if who.get(k))
                + (f" ({who['contact']})" if who.get("contact") else "")
            )
        if memo.get("distribution"):
            par = document.add_paragraph()
            par.add_run("Distribution: ").bold = True
            par.add_run("; ".join(memo["distribution"]))
    return document


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: floor_docx.py input.yaml output.docx", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        # libyaml's loader when PyYAML has it, as reports uses: the comparison is of layout,
        # not of YAML parsers.
        facts = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    build(facts).save(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
