"""The DOCX writer on hand-built document models: what Word would find in the package."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

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


def test_the_styled_base_is_cached_and_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = render(d.Paragraph((d.Text("x"),)))
    (cached,) = (tmp_path / "reports" / "docx").glob("*.docx")
    assert render(d.Paragraph((d.Text("x"),))) == first  # a new writer, from the cache
    assert (tmp_path / "reports" / "docx").stat().st_mode & 0o777 == 0o700
    cached.write_bytes(b"not a docx")  # a damaged cache is made again, not used
    assert render(d.Paragraph((d.Text("x"),))) == first
    assert cached.read_bytes() != b"not a docx"


def test_a_cache_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "reports" / "docx").mkdir(parents=True)
    (tmp_path / "reports" / "docx").chmod(0o777)
    assert cache.private_dir("docx") is None
    render(d.Paragraph((d.Text("x"),)))
    assert list((tmp_path / "reports" / "docx").iterdir()) == []
