"""Chart blocks: their checks (with positions), the document model they make, vector
drawings in the PDF and native charts with an embedded workbook in the DOCX, read back."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, Built, need_fonts, need_tool, pdf_pages, squash
from lxml import etree
from pypdf import PdfReader

from reports import document as d
from reports.build import BuildOptions
from reports.build.builder import Builder
from reports.charts import cell_number, default_format, format_number
from reports.errors import FactsError, StyleError
from reports.resources import default_templates
from reports.style import load_style
from reports.validate import load_facts

HEAD = """version: 2
memo:
  title: Chart memo
  date: 2024-03-01
  from: Department of Examples
  to: Head of Unit
  subject: Charts
  marking: OFFICIAL
summary:
  - One point.
sources:
  - title: Nothing in particular
background:
"""
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WINTER = DATA / "winter-road-safety-2025-11-20.yaml"

COLUMN = """  - chart:
      type: column
      title: Salt stock by region
      categories: [North, East, 서부]
      series:
        - name: Stock
          values: [96, 88.5, 64]
      units: "%"
      caption: Stock by region
      source: depot returns.
"""
TABLE = """  - table:
      id: depots
      columns: [Depot, Stock (t), Target (t), Ready]
      rows:
        - [Hallam, "9,800", "10,000", 14 of 14]
        - [Kestrel, "9,400", "10,000", 13 of 14]
"""


def write(folder: Path, body: str) -> Path:
    path = folder / "memo.yaml"
    path.write_text(HEAD + body, "utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    return [line.replace(f"{path}:", "") for line in caught.value.lines()]


def charts_in(path: Path) -> list[d.Chart]:
    doc = Builder(BuildOptions()).document(load_facts(path), path)
    return [b for b in doc.blocks if isinstance(b, d.Chart)]


def render(path: Path, fmt: str) -> bytes:
    return Builder(BuildOptions(formats=(fmt,))).render(load_facts(path), path)[fmt]


# ---------------------------------------------------------------- the model


def test_a_chart_from_its_own_series(tmp_path: Path) -> None:
    (chart,) = charts_in(write(tmp_path, COLUMN))
    assert chart.kind == "column"
    assert chart.categories == ("North", "East", "서부")
    assert chart.series == (d.Series("Stock", (96.0, 88.5, 64.0)),)
    assert (chart.title, chart.units, chart.number_format) == ("Salt stock by region", "%", "0.0")
    assert chart.data_labels  # one series of columns: values written on them
    assert chart.alt == (
        "Column chart: Salt stock by region (%). Stock: North 96.0, East 88.5, 서부 64.0."
    )


def test_a_chart_of_a_table_takes_its_columns_of_numbers(tmp_path: Path) -> None:
    (chart,) = charts_in(write(tmp_path, TABLE + "  - chart: {type: bar, table: depots}\n"))
    assert chart.categories == ("Hallam", "Kestrel")
    assert chart.series == (
        d.Series("Stock (t)", (9800.0, 9400.0)),
        d.Series("Target (t)", (10000.0, 10000.0)),
    )  # "14 of 14" is not a number: that column is left out
    assert chart.number_format == "#,##0"
    assert not chart.data_labels


def test_charts_are_numbered_with_figures_and_keep_a_given_alt(tmp_path: Path) -> None:
    from test_content_model import png

    png(tmp_path / "map.png")
    body = (
        "  - figure: {file: map.png, alt: A map}\n"
        + TABLE
        + "  - chart: {type: pie, table: depots, columns: [Stock (t)], alt: Shares}\n"
    )
    doc = Builder(BuildOptions()).document(load_facts(write(tmp_path, body)))
    labels = [b.label for b in doc.blocks if isinstance(b, (d.Figure, d.Chart))]
    assert labels == ["Figure 1", "Figure 2"]
    chart = next(b for b in doc.blocks if isinstance(b, d.Chart))
    assert chart.alt == "Shares"


def test_a_long_summary_says_how_many_values_it_leaves_out(tmp_path: Path) -> None:
    names = ", ".join(f"c{i}" for i in range(70))
    values = ", ".join(str(i) for i in range(70))
    series = f"[{{name: s, values: [{values}]}}]"
    body = f"  - chart: {{type: line, categories: [{names}], series: {series}}}\n"
    (chart,) = charts_in(write(tmp_path, body))
    assert chart.alt.endswith("c59 59. 10 more values are in the chart's data.")


def test_korean_memos_name_the_chart_type_in_korean(tmp_path: Path) -> None:
    path = write(tmp_path, COLUMN)
    path.write_text(path.read_text("utf-8").replace("version: 2", "version: 2\nlang: ko"), "utf-8")
    (chart,) = charts_in(path)
    assert chart.alt.startswith("세로 막대 그래프: Salt stock by region (%) Stock: North 96.0")
    assert chart.label == "그림 1"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  - chart: {type: column, categories: [a, b, c], series: [{name: s, values: [1, 2]}]}",
            "14:77: background[0].chart.series[0].values: 2 values for 3 categories (a, b, c); "
            "give one value per category, in the same order",
        ),
        (
            "  - chart: {type: column, categories: [a], series: [{name: s, values: [1 t]}]}",
            "14:72: background[0].chart.series[0].values[0]: expected a number such as 1200 or "
            "3.5, got '1 t'; write it without thousands separators or units (the chart's "
            "units and format say those)",
        ),
        (
            "  - chart: {type: pie, categories: [a, b], series: [{name: s, values: [3, -1]}]}",
            "14:75: background[0].chart.series[0].values[1]: a pie chart cannot draw a "
            "negative number (-1 for 'b'); use a bar or column chart",
        ),
        (
            "  - chart: {type: doughnut, categories: [a], series: [{name: s, values: [1]}, "
            "{name: t, values: [2]}]}",
            "14:54: background[0].chart.series: a doughnut chart draws one series, this one "
            "has 2; draw the others as their own charts, or use a column or bar chart",
        ),
        (
            "  - chart: {type: pi, categories: [a], series: [{name: s, values: [1]}]}",
            "14:19: background[0].chart.type: expected one of bar, column, stacked-bar, "
            "stacked-column, line, pie, doughnut; got 'pi'; did you mean 'pie'?",
        ),
        (
            "  - chart: {type: bar, categories: [a], series: [{name: s, values: [1]}], "
            "format: '0.0%'}",
            "14:83: background[0].chart.format: expected a number format: 0, 0.0, 0.00 …, or "
            "#,##0, #,##0.0 … for a thousands separator; got '0.0%'",
        ),
        (
            "  - chart: {type: bar, table: depots, categories: [a]}",
            "14:12: background[0].chart: give the chart's categories and series, or the id of "
            "a table to draw (table: …), not both",
        ),
        (
            "  - chart: {type: bar}",
            "14:12: background[0].chart: a chart needs categories and series, or table: the id "
            "of a table",
        ),
    ],
)
def test_chart_problems_name_the_place_and_the_fix(
    tmp_path: Path, body: str, expected: str
) -> None:
    assert problems(write(tmp_path, body + "\n")) == [expected]


def test_table_references_are_checked_with_suggestions(tmp_path: Path) -> None:
    body = TABLE + (
        "  - chart: {type: bar, table: depot}\n"
        "  - chart: {type: bar, table: depots, columns: [Stock, Depot]}\n"
        "  - chart: {type: bar, table: depots, columns: [Ready]}\n"
        "  - chart: {type: pie, table: depots}\n"
    )
    assert problems(write(tmp_path, body)) == [
        "20:31: background[1].chart.table: no table has the id 'depot'; did you mean 'depots'?",
        "21:49: background[2].chart.columns[0]: table 'depots' has no column 'Stock'; did you "
        "mean 'Stock (t)'?",
        "21:56: background[2].chart.columns[1]: table 'depots' has no column 'Depot'; the "
        "first column gives the categories; name the columns of numbers",
        "22:49: background[3].chart.columns[0]: column 'Ready' of table 'depots' holds "
        "'14 of 14' in row 1 (Hallam), not a number; a chart draws numbers only",
        "23:31: background[4].chart.table: a pie chart draws one series, this one has 2; "
        "draw the others as their own charts, or use a column or bar chart",
    ]


def test_a_chart_holds_at_most_200_categories_and_12_series(tmp_path: Path) -> None:
    series = ", ".join(f"{{name: s{i}, values: [1]}}" for i in range(13))
    names = ", ".join(f"c{i}" for i in range(201))
    body = (
        f"  - chart: {{type: line, categories: [a], series: [{series}]}}\n"
        f"  - chart: {{type: line, categories: [{names}], series: [{{name: s, values: [1]}}]}}\n"
    )
    found = problems(write(tmp_path, body))
    assert found[0].endswith("background[0].chart.series: lists 13 items; at most 12 fit")
    assert found[1].endswith("background[1].chart.categories: lists 201 items; at most 200 fit")


def test_table_ids_are_unique(tmp_path: Path) -> None:
    assert problems(write(tmp_path, TABLE + TABLE)) == [
        "21:11: background[1].table.id: 'depots' is already the id of another table; give "
        "each its own"
    ]


def test_numbers_as_tables_write_them_and_as_charts_print_them() -> None:
    assert [cell_number(t) for t in ("9,800", "(35)", "\u22123.5", "£1.2", "35 %", "1 200")] == [
        9800.0,
        -35.0,
        -3.5,
        1.2,
        35.0,
        1200.0,
    ]
    assert [cell_number(t) for t in ("14 of 14", "", "-", "1,2", "(3")] == [None] * 5
    assert default_format([96, 88.5]) == "0.0"
    assert default_format([12_000, 1.25]) == "#,##0.00"
    assert format_number(12345.678, "#,##0.0") == "12,345.7"
    assert format_number(-1200, "#,##0", ",", "\u202f") == "\u22121\u202f200"
    assert format_number(-0.04, "0.0") == "0.0"  # no minus sign before a zero


def test_house_style_colours_are_checked(tmp_path: Path) -> None:
    style = tmp_path / "s.style.yaml"
    style.write_text("chart:\n  colors: [accent, bogus]\n", "utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(default_templates(), [style])
    assert caught.value.lines() == [
        f"{style}: chart.colors[1]: neither #rrggbb nor a name in colors"
    ]


# ---------------------------------------------------------------- PDF


def test_the_pdf_chart_is_vector_with_its_labels_as_text(tmp_path: Path) -> None:
    need_fonts("NanumGothic")
    pdf = render(write(tmp_path, COLUMN), "pdf")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = squash(page.extract_text())
    for words in ("Salt stock by region", "North", "East", "서부", "96.0", "88.5", "%"):
        assert words in text
    assert "Figure 1: Stock by region" in text and "Source: depot returns." in text
    xobjects = page["/Resources"].get("/XObject") or {}
    assert not [n for n, x in xobjects.items() if x.get_object()["/Subtype"] == "/Image"]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("NanumGothic" in f for f in fonts), fonts  # the Hangul label's fallback


def test_every_chart_type_draws(tmp_path: Path) -> None:
    kinds = ("bar", "column", "stacked-bar", "stacked-column", "line", "pie", "doughnut")
    one = {"pie": ", columns: [Stock (t)]", "doughnut": ", columns: [Stock (t)]"}
    body = TABLE + "".join(
        f"  - chart: {{type: {kind}, table: depots{one.get(kind, '')}}}\n" for kind in kinds
    )
    path = write(tmp_path, body)
    text = squash(" ".join(pdf_pages(render(path, "pdf"))))
    assert [int(n) for n in re.findall(r"Figure (\d)", text)] == list(range(1, 8))
    assert text.count("Kestrel") >= 8  # the table's and each chart's


def test_pdffonts_embeds_the_fallback_font_of_hangul_labels(tmp_path: Path) -> None:
    need_fonts("NanumGothic")
    pdffonts = need_tool("pdffonts")
    out = tmp_path / "memo.pdf"
    out.write_bytes(render(write(tmp_path, COLUMN), "pdf"))
    listing = subprocess.run([pdffonts, str(out)], capture_output=True, text=True).stdout
    rows = [r for r in listing.splitlines()[2:] if "NanumGothic" in r]
    assert rows and all(r.split()[-5] == "yes" for r in rows), listing


# ---------------------------------------------------------------- DOCX


def chart_parts(docx: bytes) -> tuple[list[etree._Element], list[bytes], zipfile.ZipFile]:
    package = zipfile.ZipFile(io.BytesIO(docx))
    names = sorted(n for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n))
    books = sorted(n for n in package.namelist() if n.startswith("word/embeddings/"))
    return (
        [etree.fromstring(package.read(n)) for n in names],
        [package.read(b) for b in books],
        package,
    )


def test_the_docx_chart_is_a_native_chart_with_its_data_in_a_workbook(tmp_path: Path) -> None:
    docx = render(write(tmp_path, COLUMN), "docx")
    (chart,), (book,), package = chart_parts(docx)
    types = package.read("[Content_Types].xml").decode()
    assert "drawingml.chart+xml" in types and 'Extension="xlsx"' in types
    rels = etree.fromstring(package.read("word/charts/_rels/chart1.xml.rels"))
    (rel,) = rels.iter(f"{{{REL}}}Relationship")
    assert rel.get("Target") == "../embeddings/Microsoft_Excel_Worksheet1.xlsx"
    assert rel.get("Type").endswith("/package")
    ns = {"c": C}
    assert chart.xpath("//c:barChart/c:barDir/@val", namespaces=ns) == ["col"]
    assert chart.xpath("//c:cat//c:pt/c:v/text()", namespaces=ns) == ["North", "East", "서부"]
    assert chart.xpath("//c:val//c:pt/c:v/text()", namespaces=ns) == ["96.0", "88.5", "64.0"]
    assert chart.xpath("//c:val//c:f/text()", namespaces=ns) == ["Sheet1!$B$2:$B$4"]
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [None, "Stock"],
        ["North", 96],
        ["East", 88.5],
        ["서부", 64],
    ]
    document = package.read("word/document.xml").decode()
    assert 'descr="Column chart: Salt stock by region (%). Stock: North 96.0' in document
    # house style: the first series in the accent colour, East Asian text in NanumGothic
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    fills = chart.xpath("//c:ser/c:spPr/a:solidFill/a:srgbClr/@val", namespaces={"c": C, "a": a})
    assert fills == ["1F3A5F"]
    assert b'typeface="NanumGothic"' in etree.tostring(chart)


def test_docx_charts_are_reproducible(tmp_path: Path) -> None:
    path = write(tmp_path, TABLE + "  - chart: {type: stacked-bar, table: depots}\n")
    first = render(path, "docx")
    assert first == render(path, "docx")
    _charts, (book,), _package = chart_parts(first)
    with zipfile.ZipFile(io.BytesIO(book)) as inner:
        assert {i.date_time for i in inner.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = inner.read("docProps/core.xml").decode()
    assert "<dcterms:created" in core and "2024-03-01T00:00:00Z" in core


# ---------------------------------------------------------------- the example


def test_the_example_docx_holds_a_chart_whose_workbook_equals_the_yaml(built: Built) -> None:
    import yaml

    docx = (built.out / f"{WINTER.stem}.docx").read_bytes()
    (_chart,), (book,), _package = chart_parts(docx)
    data = yaml.safe_load(WINTER.read_text("utf-8"))
    body = data["sections"][0]["body"]
    spec = next(b["chart"] for b in body if isinstance(b, dict) and "chart" in b)
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [None, spec["series"][0]["name"]]
    assert [r[0] for r in rows[1:]] == spec["categories"]
    assert [r[1] for r in rows[1:]] == spec["series"][0]["values"]


def test_the_example_pdf_page_with_the_chart_has_no_image_for_it(built: Built) -> None:
    reader = PdfReader(str(built.out / f"{WINTER.stem}.pdf"))
    page = next(p for p in reader.pages if "Salt stock by region on 15" in squash(p.extract_text()))
    text = squash(page.extract_text())
    for words in ("% of target", "North", "West", "96", "64"):
        assert words in text
    images = [
        x for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object()["/Subtype"] == "/Image"
    ]  # fmt: skip
    assert len(images) == 1  # the map of Figure 2, a picture; the chart is drawn


def test_libreoffice_renders_the_example_chart(winter_in_libreoffice: list[str]) -> None:
    pages = [squash(p) for p in winter_in_libreoffice]
    page = next(p for p in pages if "Salt stock by region on 15" in p)
    # the axis title, the category axis and the data labels, drawn from the chart part
    for words in ("% of target", "North", "East", "Central", "South", "West", "96", "89", "64"):
        assert words in page, words
