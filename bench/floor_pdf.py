"""Floor: the example memo's PDF written by hand with plain ReportLab platypus.

Usage: ``python bench/floor_pdf.py input.yaml output.pdf``

This is the baseline a user would write without ``reports``: read the fact base with
PyYAML's libyaml safe loader and lay out the same sections, in the same order, wording and fonts
(Liberation Sans from ``src/reports/templates/fonts``), with one platypus
``Table(..., repeatRows=1)`` for the timeline. No validation, no font fallback, no "Page N of M".
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONTS = Path(__file__).resolve().parent.parent / "src" / "reports" / "templates" / "fonts"
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

TEXT = colors.HexColor("#1b1f24")
ACCENT = colors.HexColor("#1f3a5f")
MUTED = colors.HexColor("#56606c")
RULE = colors.HexColor("#b8c2cf")
STRIPE = colors.HexColor("#eef2f7")


def register_fonts() -> None:
    for variant in ("Regular", "Bold", "Italic", "BoldItalic"):
        name = f"LiberationSans-{variant}"
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(
        "LiberationSans-Regular",
        normal="LiberationSans-Regular",
        bold="LiberationSans-Bold",
        italic="LiberationSans-Italic",
        boldItalic="LiberationSans-BoldItalic",
    )


def style(name: str, size: float, leading: float, bold: bool = False, **kw: Any) -> ParagraphStyle:
    kw.setdefault("textColor", TEXT)
    kw.setdefault("spaceAfter", 6)
    font = "LiberationSans-Bold" if bold else "LiberationSans-Regular"
    kw.setdefault("bulletFontName", "LiberationSans-Bold")
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)


BODY = style("body", 10.5, 14.5)
KICKER = style("kicker", 9, 12, True, textColor=ACCENT)
TITLE = style("title", 20, 24, True, textColor=ACCENT, spaceAfter=4)
SUBTITLE = style("subtitle", 12, 16, textColor=MUTED, spaceAfter=14)
H1 = style("h1", 13, 17, True, textColor=ACCENT, spaceBefore=14, spaceAfter=5, keepWithNext=1)
H2 = style("h2", 11, 15, True, spaceBefore=10, spaceAfter=4, keepWithNext=1)
LABEL = style("label", 9.5, 13, True, textColor=MUTED, spaceAfter=0)
VALUE = style("value", 10, 13, spaceAfter=0)
LIST = style("list", 10.5, 14.5, spaceAfter=3)
TH = style("th", 9.5, 12, True, textColor=colors.white, spaceAfter=0)
TD = style("td", 9.5, 12.5, spaceAfter=0)
QUESTION = style("question", 10.5, 14.5, True, spaceBefore=4, spaceAfter=2, leftIndent=26)
ANSWER = style("answer", 10.5, 14.5, leftIndent=26)
SMALL = style("small", 9, 12.5, textColor=MUTED)


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


def p(text: str, st: ParagraphStyle, **kw: Any) -> Paragraph:
    return Paragraph(escape(text), st, **kw)


def fields_table(rows: list[tuple[str, str]], width: float) -> Table:
    data = [[p(label, LABEL), Paragraph(value, VALUE)] for label, value in rows]
    table = Table(data, colWidths=[30 * mm, width - 30 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "LiberationSans-Regular"),  # not Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (0, 0), (-1, 0), 0.75, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.75, RULE),
            ]
        )
    )
    return table


def bullets(items: list[str], numbered: bool = False) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(i, LIST), leftIndent=16) for i in items],
        bulletType="1" if numbered else "bullet",
        start=None if numbered else "\u2022",
        bulletFormat="%s." if numbered else None,
        bulletFontName="LiberationSans-Bold" if numbered else "LiberationSans-Regular",
        bulletFontSize=10.5,
        bulletColor=ACCENT,
        leftIndent=16,
    )


def story(facts: dict[str, Any], width: float) -> list[Flowable]:
    memo = facts["memo"]
    out: list[Flowable] = [
        p(f"{memo['from']} · Briefing memo", KICKER),
        p(memo["title"], TITLE),
        p(memo["subtitle"], SUBTITLE) if memo.get("subtitle") else Spacer(1, 8),
    ]
    rows = [
        ("Date", escape(fmt_date(memo["date"]))),
        ("From", escape(memo["from"])),
        ("To", escape(memo["to"])),
        ("Subject", escape(memo["subject"])),
    ]
    if memo.get("reference"):
        rows.append(("Reference", escape(memo["reference"])))
    rows.append(("Handling", escape(memo["marking"])))
    out += [fields_table(rows, width), Spacer(1, 6)]

    out += [p("Summary", H1), bullets([escape(s) for s in facts["summary"]])]
    if facts.get("purpose"):
        out += [p("Purpose", H1), *(p(t, BODY) for t in paras(facts["purpose"]))]
    out += [p("Background", H1), *(p(t, BODY) for t in paras(facts["background"]))]
    if ev := facts.get("event"):
        where = ev["format"].capitalize() + (f", {ev['location']}" if ev.get("location") else "")
        rows = [
            ("Event", escape(ev["name"])),
            ("Host", escape(ev["host"])),
            ("Date", escape(fmt_date(ev["date"]))),
            ("Format", escape(where)),
            ("Participants", escape(join_words(ev["participants"]))),
        ]
        if ev.get("delegation"):
            people = []
            for who in ev["delegation"]:
                text = f"<b>{escape(who['name'])}</b>"
                if who.get("role"):
                    text += f", {escape(who['role'])}"
                if who.get("organisation") and who["organisation"] != memo["from"]:
                    text += f", {escape(who['organisation'])}"
                people.append(text)
            rows.append(("Delegation", "<br/>".join(people)))
        out += [p("The event", H2), fields_table(rows, width), Spacer(1, 6)]
    if facts.get("key_points"):
        out += [p("Key points", H1), bullets([escape(s) for s in facts["key_points"]])]
    if imp := facts.get("impact"):
        out += [p("Who is affected", H1), bullets([escape(s) for s in imp["affected"]])]
        if imp.get("industries"):
            text = f"Industries that depend on stable access: {join_words(imp['industries'])}."
            out.append(p(text, BODY))

    if facts.get("timeline"):
        data: list[list[Any]] = [[p("Date", TH), p("Event", TH), p("Significance", TH)]]
        for e in facts["timeline"]:
            sig = e.get("significance") or "—"
            data.append([p(fmt_date(e["date"]), TD), p(e["event"], TD), p(sig, TD)])
        total = 1.1 + 2.6 + 2.0
        table = Table(data, colWidths=[width * w / total for w in (1.1, 2.6, 2.0)], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), "LiberationSans-Regular"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
                ]
            )
        )
        out += [p("Timeline", H1), table, Spacer(1, 8)]

    if facts.get("faq"):
        out.append(p("Anticipated questions", H1))
        for n, qa in enumerate(facts["faq"], 1):
            out.append(p(qa["question"], QUESTION, bulletText=f"Q{n}"))
            for i, text in enumerate(paras(qa["answer"])):
                out.append(p(text, ANSWER, bulletText="A" if i == 0 else None))

    if facts.get("next_steps"):
        steps = []
        for s in facts["next_steps"]:
            text = escape(s["action"])
            extra = []
            if s.get("owner"):
                extra.append(f"Owner: {escape(s['owner'])}")
            if s.get("due"):
                extra.append(f"by {fmt_date(s['due'])}")
            if extra:
                text += f" <i>({'; '.join(extra)})</i>"
            steps.append(text)
        out += [p("Next steps", H1), bullets(steps, numbered=True)]
    if facts.get("assessment"):
        out += [p("Assessment", H1), *(p(t, BODY) for t in paras(facts["assessment"]))]

    sources = []
    for s in facts["sources"]:
        text = escape(s["title"])
        if s.get("publisher"):
            text += f", {escape(s['publisher'])}"
        if s.get("date"):
            text += f", {fmt_date(s['date'])}"
        if s.get("url"):
            url = escape(s["url"])
            text += f'. <a href="{url}" color="#1f3a5f">{url}</a>'
        sources.append(text)
    out += [p("Sources", H1), bullets(sources, numbered=True)]

    if memo.get("drafter") or memo.get("distribution"):
        out.append(p("Contact and distribution", H1))
        if who := memo.get("drafter"):
            text = "<b>Drafter:</b> " + escape(
                ", ".join(str(who[k]) for k in ("name", "role", "organisation") if who.get(k))
            )
            if who.get("contact"):
                text += f" ({escape(who['contact'])})"
            out.append(Paragraph(text, SMALL))
        if memo.get("distribution"):
            dist = escape("; ".join(memo["distribution"]))
            out.append(Paragraph(f"<b>Distribution:</b> {dist}", SMALL))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: floor_pdf.py input.yaml output.pdf", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        # libyaml's loader when PyYAML has it, as reports uses: the comparison is of layout,
        # not of YAML parsers.
        facts = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    register_fonts()
    memo = facts["memo"]
    marking = str(memo["marking"])
    running = str(memo.get("short_title") or memo["title"])
    page_w, page_h = A4

    def furniture(canv: Canvas, doc: SimpleDocTemplate) -> None:
        canv.saveState()
        canv.setFillColor(TEXT)
        canv.setFont("LiberationSans-Bold", 9)
        canv.drawCentredString(page_w / 2, page_h - 11 * mm, marking)
        canv.drawCentredString(page_w / 2, 8 * mm, marking)
        if doc.page > 1:
            canv.setFillColor(MUTED)
            canv.setFont("LiberationSans-Regular", 8)
            canv.drawString(22 * mm, page_h - 20 * mm, running)
        canv.restoreState()

    doc = SimpleDocTemplate(
        argv[1],
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=26 * mm,
        bottomMargin=24 * mm,
        title=str(memo["title"]),
        author=str(memo["from"]),
        subject=str(memo["subject"]),
        keywords=", ".join(memo.get("keywords") or []),
        initialFontName="LiberationSans-Regular",
    )
    doc.build(story(facts, doc.width), onFirstPage=furniture, onLaterPages=furniture)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
