"""The DOCX writer on hand-built document models: what Word would find in the package."""

from __future__ import annotations

import io
import zipfile

import docx

from reports import document as d
from reports.resources import default_templates
from reports.style import load_style
from reports.writers.docx import DocxWriter


def render(*blocks: d.Block) -> bytes:
    writer = DocxWriter(load_style(default_templates(), (), "en"))
    return writer.render(d.Document(d.Meta(title="Test", lang="en-GB"), blocks))


def test_plain_table_rows_keep_every_cell_in_order_empty_ones_included() -> None:
    columns = tuple(d.Column((d.Text(h),)) for h in ("A", "B", "C"))
    rows = tuple(((d.Text(f"a{i}"),), (), (d.Text(f"c{i} & <more>"),)) for i in range(60))
    table = docx.Document(io.BytesIO(render(d.Table(columns, rows)))).tables[0]
    assert len(table.rows) == 61
    assert [c.text for c in table.rows[0].cells] == ["A", "B", "C"]
    for i in (0, 29, 59):
        assert [c.text for c in table.rows[i + 1].cells] == [f"a{i}", "", f"c{i} & <more>"]


def test_the_package_carries_no_blank_thumbnail_or_unused_style_copies() -> None:
    names = zipfile.ZipFile(io.BytesIO(render(d.Paragraph((d.Text("x"),))))).namelist()
    assert "docProps/thumbnail.jpeg" not in names
    assert "word/stylesWithEffects.xml" not in names
    assert not [n for n in names if n.startswith("customXml/")]
    styles = docx.Document(io.BytesIO(render(d.Paragraph((d.Text("x"),))))).styles
    assert len(styles) < 60  # the styles a memo uses, not python-docx's 160
    assert {"Normal", "Heading 1", "List Bullet", "Memo Table"} <= {s.name for s in styles}
