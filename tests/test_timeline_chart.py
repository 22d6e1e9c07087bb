"""Timeline charts (``memo.timeline: chart | both``): the option's checks, the document
model the template makes, the time axis in the memo's language, the shared layout, and
both formats read back (the PDF as vector text, the DOCX as a group of shapes, and that
group as LibreOffice draws it)."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, Built, need_fonts, pdf_pages, squash
from lxml import etree
from pypdf import PdfReader

from reports import document as d
from reports.build import BuildOptions
from reports.build.builder import Builder
from reports.errors import FactsError, StyleError, TemplateError
from reports.fonts import text_width
from reports.locale import Locale
from reports.resources import default_templates
from reports.style import load_style
from reports.templating import load_messages, locale_for
from reports.timeaxis import scales
from reports.validate import load_facts
from reports.writers import timeline as tl

WINTER = DATA / "winter-road-safety-2025-11-20.yaml"
HEAD = """version: 2
memo:
  title: Timeline memo
  date: 2024-03-01
  from: Department of Examples
  to: Head of Unit
  subject: Timelines
  marking: OFFICIAL
  timeline: {shown}
summary:
  - One point.
sources:
  - title: Nothing in particular
background: Some text.
"""
TIMELINE = """timeline:
  - date: 2025-09
    event: Port strike delays **salt** deliveries.
  - date: 2025-10-15
    event: Regions submit winter plans.
  - date: 2025-11-18/2025-11-19
    event: Readiness inspection meeting in 서울.
"""
WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def write(folder: Path, shown: str = "chart", timeline: str = TIMELINE) -> Path:
    path = folder / "memo.yaml"
    path.write_text(HEAD.format(shown=shown) + timeline, "utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    return [line.replace(f"{path}:", "") for line in caught.value.lines()]


def document(path: Path) -> d.Document:
    return Builder(BuildOptions()).document(load_facts(path), path)


def render(path: Path, fmt: str) -> bytes:
    return Builder(BuildOptions(formats=(fmt,))).render(load_facts(path), path)[fmt]


def after_heading(doc: d.Document, words: str) -> list[d.Block]:
    """The blocks of the section headed ``words``, up to the next heading."""
    blocks = list(doc.blocks)
    start = next(
        i for i, b in enumerate(blocks)
        if isinstance(b, d.Heading) and d.plain_text(b.content) == words
    )  # fmt: skip
    out = []
    for block in blocks[start + 1 :]:
        if isinstance(block, d.Heading):
            break
        out.append(block)
    return out


# ---------------------------------------------------------------- the option


@pytest.mark.parametrize(
    ("shown", "timeline", "expected"),
    [
        (
            "chrt",
            TIMELINE,
            "9:13: memo.timeline: expected one of table, chart, both; got 'chrt'; did you "
            "mean 'chart'?",
        ),
        (
            "both",
            "",
            "9:13: memo.timeline: 'both' draws the timeline's events, but this fact base "
            "has no timeline; add timeline entries, or leave memo.timeline out",
        ),
        (
            "chart",
            "timeline:\n"
            + "".join(f"  - {{date: 2025-01-{i:02d}, event: Event {i}}}\n" for i in range(1, 32)),
            "9:13: memo.timeline: a timeline chart draws at most 30 events, this timeline "
            "has 31; use 'table', or keep the events that set the sequence",
        ),
    ],
)
def test_the_option_is_checked_with_its_position(
    tmp_path: Path, shown: str, timeline: str, expected: str
) -> None:
    assert problems(write(tmp_path, shown, timeline)) == [expected]


def test_a_chart_alone_drops_nothing_unsaid(tmp_path: Path) -> None:
    timeline = """footnotes:
  strike: Dockers' strike of 2 to 20 September.
timeline:
  - date: 2025-09
    event: Port strike delays deliveries.[^strike]
    significance: Stock fell below target.
  - date: 2025-10-15
    event: Regions submit winter plans.
"""
    assert problems(write(tmp_path, "chart", timeline)) == [
        "19:12: timeline[0].event: a footnote reference ([^strike]) cannot be drawn in a "
        "timeline chart; set memo.timeline to 'both' to keep the table, or cite the note "
        "elsewhere",
        "20:19: timeline[0].significance: a timeline drawn only as a chart has no room for "
        "the significance; set memo.timeline to 'both' to keep the table, or leave it out",
    ]
    # with the table beside it, both are printed there
    assert load_facts(write(tmp_path, "both", timeline)).memo.timeline == "both"


def test_a_version_1_fact_base_may_draw_its_timeline(tmp_path: Path) -> None:
    path = write(tmp_path, "both")
    text = path.read_text("utf-8").replace("version: 2", "version: 1").replace("**", "")
    path.write_text(text, "utf-8")
    shown = after_heading(document(path), "Timeline")
    assert [type(b) for b in shown] == [d.TimelineChart, d.Table]


def test_the_default_is_the_table_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "table")
    path.write_text(path.read_text("utf-8").replace("  timeline: table\n", ""), "utf-8")
    shown = after_heading(document(path), "Timeline")
    assert [type(b) for b in shown] == [d.Table]


# ---------------------------------------------------------------- the model


def test_both_draws_the_chart_then_the_table(tmp_path: Path) -> None:
    shown = after_heading(document(write(tmp_path, "both")), "Timeline")
    assert [type(b) for b in shown] == [d.TimelineChart, d.Table]


def test_the_chart_holds_each_event_with_its_days_date_and_words(tmp_path: Path) -> None:
    (chart,) = after_heading(document(write(tmp_path)), "Timeline")
    assert isinstance(chart, d.TimelineChart)
    assert chart.events == (
        d.TimelineEvent(
            _dt.date(2025, 9, 1), _dt.date(2025, 9, 30), "September 2025",
            "Port strike delays salt deliveries.",
        ),
        d.TimelineEvent(
            _dt.date(2025, 10, 15), _dt.date(2025, 10, 15), "15 October 2025",
            "Regions submit winter plans.",
        ),
        d.TimelineEvent(
            _dt.date(2025, 11, 18), _dt.date(2025, 11, 19), "18–19 November 2025",
            "Readiness inspection meeting in 서울.",
        ),
    )  # fmt: skip
    assert [e.point for e in chart.events] == [False, True, False]
    assert chart.label == "Figure 1"
    assert d.plain_text(chart.caption) == "The sequence of events"
    assert chart.alt == (
        "Timeline chart: The sequence of events. September 2025: Port strike delays salt "
        "deliveries. 15 October 2025: Regions submit winter plans. 18–19 November 2025: "
        "Readiness inspection meeting in 서울."
    )
    months = next(s for s in chart.scales if s.labels[0].text == "Sep 2025")
    assert [t.text for t in months.labels] == ["Sep 2025", "Oct", "Nov"]
    assert (months.first, months.last) == (_dt.date(2025, 9, 1), _dt.date(2025, 11, 30))


def test_the_chart_is_numbered_with_the_figures() -> None:
    doc = document(WINTER)  # the example's figure and chart come before its timeline
    numbered = [b for b in doc.blocks if isinstance(b, (d.Figure, d.Chart, d.TimelineChart))]
    assert [b.label for b in numbered] == ["Figure 1", "Figure 2", "Figure 3"]
    assert isinstance(numbered[-1], d.TimelineChart)


def test_a_korean_memo_writes_the_axis_and_dates_in_korean(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_text(path.read_text("utf-8").replace("version: 2", "version: 2\nlang: ko"), "utf-8")
    (chart,) = [b for b in document(path).blocks if isinstance(b, d.TimelineChart)]
    assert chart.label == "그림 1"
    assert [e.when for e in chart.events] == [
        "2025년 9월",
        "2025년 10월 15일",
        "2025년 11월 18일~19일",
    ]
    assert chart.alt.startswith("추진경과 그림: 주요 경과 2025년 9월: Port strike")
    months = next(s for s in chart.scales if s.labels[0].first == _dt.date(2025, 9, 1))
    assert [t.text for t in months.labels] == ["2025년 9월", "10월", "11월"]


# ---------------------------------------------------------------- the time axis


def en() -> Locale:
    return locale_for(default_templates(), "en")


def test_axis_labels_in_each_language() -> None:
    day = _dt.date(2026, 1, 5)
    assert [en().axis(day, "day"), en().axis(day, "day", True)] == ["5 Jan", "5 Jan 2026"]
    assert [en().axis(day, "month", True), en().axis(day, "year")] == ["Jan 2026", "2026"]
    fr = locale_for(default_templates(), "fr")
    assert [fr.axis(day, "day"), fr.axis(day, "month")] == ["5 janv.", "janv."]
    ko = locale_for(default_templates(), "ko")
    assert [ko.axis(day, "day"), ko.axis(day, "month", True)] == ["1.5.", "2026년 1월"]
    # a catalogue written before axis labels existed still labels an axis
    old = Locale("de", {"months": [f"M{i}" for i in range(1, 13)]})
    assert [old.axis(day, "day"), old.axis(day, "month", True)] == ["2026-01-05", "M1 2026"]


def test_the_axis_offers_days_weeks_months_and_years_as_the_span_needs() -> None:
    def labels(first: _dt.date, last: _dt.date) -> list[list[str]]:
        return [[t.text for t in s.labels] for s in scales(first, last, en().axis)]

    week = labels(_dt.date(2025, 3, 3), _dt.date(2025, 3, 7))
    assert week == [["2 Mar 2025", "3 Mar", "4 Mar", "5 Mar", "6 Mar", "7 Mar", "8 Mar"],
                    ["2 Mar 2025", "4 Mar", "6 Mar", "8 Mar"]]  # fmt: skip
    month = labels(_dt.date(2025, 11, 1), _dt.date(2025, 11, 28))
    assert ["3 Nov 2025", "10 Nov", "17 Nov", "24 Nov"] in month  # weeks by their Mondays
    assert labels(_dt.date(2025, 9, 1), _dt.date(2025, 11, 25)) == [["Sep 2025", "Oct", "Nov"]]
    decades = labels(_dt.date(1990, 1, 1), _dt.date(2025, 6, 1))
    assert decades[0][:3] == ["1990", "1991", "1992"] and decades[-1] == [
        "1990", "2000", "2010", "2020"
    ]  # fmt: skip


def test_a_catalogue_checks_its_short_month_names(tmp_path: Path) -> None:
    folder = tmp_path / "messages"
    folder.mkdir()
    text = (default_templates() / "messages" / "en.yaml").read_text("utf-8")
    (folder / "en.yaml").write_text(text.replace("Nov, Dec]", "Nov]"), "utf-8")
    with pytest.raises(TemplateError) as caught:
        load_messages(tmp_path, "en")
    assert caught.value.lines()[0].endswith(
        "message catalogue: 'months_short' must be a list of 12 names"
    )


# ---------------------------------------------------------------- the layout


def plan_of(path: Path, width: float = 451.0, height: float = 600.0) -> tl.TimelineLayout:
    hs = load_style(default_templates(), [])
    (chart,) = [b for b in document(path).blocks if isinstance(b, d.TimelineChart)]

    def measure(text: str, size: float, bold: bool) -> float:
        return text_width(hs, "sans", text, size, bold)

    return tl.layout(chart, width, height, hs.chart, measure, text_color="#000", muted="#555")


def clear(plan: tl.TimelineLayout) -> None:
    """No two event labels overlap, no leader passes through a label, all in the width."""
    labels = [s for s in plan.shapes if isinstance(s, tl.Label) and s.lines[0].bold]
    leaders = [s for s in plan.shapes if isinstance(s, tl.Rule) and s.color != "#ffffff"]
    for shape in plan.shapes:
        if isinstance(shape, (tl.Label, tl.Rect)):
            assert shape.x >= -0.01 and shape.x + shape.width <= plan.width + 0.01
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = (a.x + a.width <= b.x or b.x + b.width <= a.x
                     or a.y + a.height <= b.y or b.y + b.height <= a.y)  # fmt: skip
            assert apart, (a.lines[0].text, b.lines[0].text)
        for rule in leaders:
            top, bottom = min(rule.y1, rule.y2), max(rule.y1, rule.y2)
            inside = a.x + 0.5 < rule.x1 < a.x + a.width - 0.5
            assert not (inside and top < a.y + a.height - 0.5 and bottom > a.y + 0.5)
    assert plan.crossings == 0


def test_labels_overlap_nothing_and_fit_the_width(tmp_path: Path) -> None:
    plan = plan_of(WINTER)
    clear(plan)
    band = plan.shapes[0]  # the house style's band, under everything else
    assert isinstance(band, tl.Rect) and band.color == "#eef2f7" and band.width == plan.width
    crowded = "timeline:\n" + "".join(
        f"  - {{date: 2025-10-{day:02d}, event: Ministers review the depot returns {day}}}\n"
        for day in (1, 3, 3, 7, 10, 14, 15, 20, 21, 28)
    )
    plan = plan_of(write(tmp_path, timeline=crowded))
    clear(plan)
    texts = [s.lines for s in plan.shapes if isinstance(s, tl.Label) and s.lines[0].bold]
    assert len(texts) == 10 and all(len(lines) >= 2 for lines in texts)  # words kept


def test_long_events_are_shortened_at_a_word() -> None:
    def measure(text: str, size: float, bold: bool) -> float:
        return len(text) * size * 0.5

    words = "The regions submit their winter service plans with depot staffing figures"
    assert tl.shorten(words, 8, 80, 2, measure) == ["The regions submit", "their winter…"]
    assert tl.shorten("Short.", 8, 80, 2, measure) == ["Short."]


def test_a_chart_too_tall_for_a_page_keeps_only_what_fits(tmp_path: Path) -> None:
    tall = plan_of(WINTER, height=60)
    assert tall.height < plan_of(WINTER).height
    labels = [s for s in tall.shapes if isinstance(s, tl.Label) and s.lines[0].bold]
    assert all(len(label.lines) <= 2 for label in labels)  # the date and one line at most


# ---------------------------------------------------------------- PDF


def test_the_pdf_chart_is_vector_with_every_date_and_event_as_text(tmp_path: Path) -> None:
    need_fonts("NanumGothic")
    pdf = render(write(tmp_path), "pdf")
    page = next(p for p in PdfReader(io.BytesIO(pdf)).pages if "sequence" in p.extract_text())
    text = squash(page.extract_text())
    for words in (
        "September 2025", "Port strike delays salt deliveries.", "15 October 2025",
        "Regions submit winter plans.", "18–19 November 2025",
        "Readiness inspection meeting in 서울.", "Sep 2025", "Oct", "Nov",
        "Figure 1: The sequence of events",
    ):  # fmt: skip
        assert words in text, words
    xobjects = page["/Resources"].get("/XObject") or {}
    assert not [n for n, x in xobjects.items() if x.get_object()["/Subtype"] == "/Image"]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("NanumGothic" in f for f in fonts), fonts  # the Hangul label's fallback


def test_the_example_pdf_draws_its_timeline(built: Built) -> None:
    import yaml

    pages = [squash(p) for p in pdf_pages(built.out / f"{WINTER.stem}.pdf")]
    page = next(p for p in pages if "Figure 3: The sequence of events" in p)
    chart = page.split("Figure 3: The sequence of events")[0]
    for entry in yaml.safe_load(WINTER.read_text("utf-8"))["timeline"]:
        assert squash(entry["event"]) in chart
    for when in ("September 2025", "15 October 2025", "15 November 2025", "25 November 2025"):
        assert when in chart


# ---------------------------------------------------------------- DOCX


def group_of(docx: bytes) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    (inline,) = [i for i in root.iter(f"{{{WP}}}inline") if i.find(f".//{{{WPG}}}wgp") is not None]
    return inline, inline.find(f".//{{{WPG}}}wgp")


def test_the_docx_chart_is_a_group_of_editable_shapes(tmp_path: Path) -> None:
    path = write(tmp_path)
    docx = render(path, "docx")
    inline, group = group_of(docx)
    assert (
        inline.find(f"{{{WP}}}docPr")
        .get("descr")
        .startswith("Timeline chart: The sequence of events. September 2025: Port strike")
    )
    boxes = [
        " ".join(t.text or "" for t in box.iter(f"{{{W}}}t"))
        for box in group.iter(f"{{{WPS}}}txbx")
    ]
    for words in (
        "September 2025 Port strike delays salt deliveries.",
        "15 October 2025 Regions submit winter plans.",
        "18–19 November 2025 Readiness inspection meeting in 서울.",
        "Sep 2025",
    ):
        assert words in boxes, words  # fmt: skip
    geometries = {g.get("prst") for g in group.iter("{*}prstGeom")}
    assert {"rect", "line", "ellipse"} <= geometries
    assert b'w:eastAsia="NanumGothic"' in etree.tostring(group)
    ids = [int(e.get("id")) for e in group.iter(f"{{{WPS}}}cNvPr")]
    assert len(ids) == len(set(ids))
    assert docx == render(path, "docx")  # reproducible


def test_libreoffice_draws_the_docx_timeline(winter_in_libreoffice: list[str]) -> None:
    import yaml

    pages = [squash(p) for p in winter_in_libreoffice]
    # the text boxes come after the page's paragraphs in LibreOffice's PDF
    chart = next(p for p in pages if "Figure 3: The sequence of events" in p)
    for entry in yaml.safe_load(WINTER.read_text("utf-8"))["timeline"]:
        assert squash(entry["event"]) in chart, entry["event"]
    for when in ("September 2025", "15 October 2025", "18 November 2025", "Sep 2025", "Oct"):
        assert when in chart


# ---------------------------------------------------------------- house style


def test_the_band_colour_is_checked(tmp_path: Path) -> None:
    style = tmp_path / "s.style.yaml"
    style.write_text("chart:\n  band: nowhere\n", "utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(default_templates(), [style])
    assert caught.value.lines() == [f"{style}: chart.band: neither #rrggbb nor a name in colors"]
