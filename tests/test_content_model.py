"""Schema version 2: inline markup, blocks, custom sections, annexes, footnotes and a logo,
checked as the loader and the template see them (the document model), in process."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from conftest import CASES, MINIMAL_TEXT, run_cli
from conftest import problems_of as problems
from conftest import write_facts as write

from reports import document as d
from reports.build import BuildOptions
from reports.build.builder import Builder
from reports.validate import load_facts

MINIMAL2 = MINIMAL_TEXT.replace("version: 1", "version: 2")


def png(path: Path, width: int = 4, height: int = 3) -> Path:
    """A real PNG of ``width`` x ``height`` pixels (grey), written without Pillow."""
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )  # fmt: skip
    return path


def document(path: Path) -> d.Document:
    """The memo's model without the marks that map words to fields (tested apart)."""
    builder = Builder(BuildOptions())
    unmarked: d.Document = d.unmarked(builder.document(load_facts(path), path))
    return unmarked


def blocks_of(doc: d.Document, kind: type) -> list[object]:
    out: list[object] = []

    def walk(blocks: tuple[object, ...]) -> None:
        for b in blocks:
            if isinstance(b, kind):
                out.append(b)
            if isinstance(b, d.Box):
                walk(b.body)

    walk(doc.blocks)
    return out


# ---------------------------------------------------------------- inline markup


def test_version_2_text_reads_inline_markup(tmp_path: Path) -> None:
    text = MINIMAL2.replace(
        "background: One paragraph.",
        'background: "**Bold**, *italic*, [a link](https://example.org), a\\\\\\nbreak,'
        ' \\\\*stars\\\\* kept, <b>html</b> and {{ jinja }} as typed, [bad](javascript:x)."',
    )
    doc = document(write(tmp_path, text))
    para = next(b for b in doc.blocks if isinstance(b, d.Paragraph) and "html" in str(b))
    content = para.content
    assert d.Strong((d.Text("Bold"),)) in content
    assert d.Emph((d.Text("italic"),)) in content
    assert d.Link("https://example.org", (d.Text("a link"),)) in content
    assert d.LineBreak() in content
    words = d.plain_text(content)
    assert "*stars* kept" in words
    assert "<b>html</b> and {{ jinja }} as typed" in words
    assert "[bad](javascript:x)." in words and not any(
        isinstance(n, d.Link) and "javascript" in n.href for n in content
    )


def test_version_1_text_stays_literal(tmp_path: Path) -> None:
    text = (
        (CASES / "minimal.yaml")
        .read_text("utf-8")
        .replace("One paragraph.", '"**not bold** [not](https://example.org)"')
    )
    doc = document(write(tmp_path, text))
    para = next(b for b in doc.blocks if isinstance(b, d.Paragraph))
    assert para.content == (d.Text("**not bold** [not](https://example.org)"),)


def test_single_line_fields_stay_plain_in_version_2(tmp_path: Path) -> None:
    text = MINIMAL2.replace("title: Minimal memo", 'title: "A **literal** title"')
    doc = document(write(tmp_path, text))
    title = next(b for b in doc.blocks if isinstance(b, d.TitleBlock))
    assert title.title == (d.Text("A **literal** title"),)


# ---------------------------------------------------------------- blocks

BLOCKS = """
background:
  - "First paragraph.\\n\\n- a markdown item\\n  - nested under it"
  - list:
      - item: one
        items:
          - item: two
            items: [three]
      - four
    numbered: true
    start: 3
  - table:
      columns: [Name, Amount, Note]
      rows:
        - [Alpha, "1,200", "**x**"]
        - [Beta, "35 %", ~]
      widths: [2, 1, 1]
      caption: Money
      source: The ledger.
  - note: Mind the gap.
  - box:
      title: Decision required
      body:
        - Agree?
        - list: [yes, no]
"""


def test_blocks_reach_the_document_model(tmp_path: Path) -> None:
    text = MINIMAL2.replace("background: One paragraph.\n", BLOCKS)
    doc = document(write(tmp_path, text))
    bullets = blocks_of(doc, d.BulletList)
    markdown = next(b for b in bullets if "markdown" in str(b))
    assert isinstance(markdown, d.BulletList)
    assert markdown.items[0].children[0].items[0].content == (d.Text("nested under it"),)
    numbered = blocks_of(doc, d.NumberedList)[0]
    assert isinstance(numbered, d.NumberedList) and numbered.start == 3
    three = numbered.items[0].children[0].items[0].children[0].items[0]
    assert three.content == (d.Text("three"),)  # three levels deep
    table = blocks_of(doc, d.Table)[0]
    assert isinstance(table, d.Table)
    assert [c.align for c in table.columns] == ["left", "right", "left"]
    assert [c.width for c in table.columns] == [2.0, 1.0, 1.0]
    assert table.rows[0][2] == (d.Strong((d.Text("x"),)),) and table.rows[1][2] == ()
    assert d.plain_text(table.source) == "Source: The ledger."
    assert d.plain_text(table.caption) == "Money"
    note = blocks_of(doc, d.Note)[0]
    assert note == d.Note((d.Text("Mind the gap."),), "Note:")
    box = blocks_of(doc, d.Box)[0]
    assert isinstance(box, d.Box) and d.plain_text(box.title) == "Decision required"
    assert isinstance(box.body[1], d.BulletList)


def test_a_figure_is_numbered_and_keeps_its_alt_text(tmp_path: Path) -> None:
    png(tmp_path / "chart.png", 40, 20)
    text = MINIMAL2.replace(
        "background: One paragraph.\n",
        "background:\n  - figure: {file: chart.png, alt: A chart, caption: Things, width: 0.5}\n"
        "  - figure: {file: chart.png, alt: Again}\n",
    )
    doc = document(write(tmp_path, text))
    first, second = blocks_of(doc, d.Figure)
    assert isinstance(first, d.Figure) and isinstance(second, d.Figure)
    assert (first.label, second.label) == ("Figure 1", "Figure 2")
    assert first.image.alt == "A chart" and first.width == 0.5
    assert (first.image.width_px, first.image.height_px) == (40, 20)


def test_custom_sections_go_where_they_are_placed(tmp_path: Path) -> None:
    text = MINIMAL2 + (
        "next_steps:\n  - action: Act.\n"
        "sections:\n"
        "  - heading: Risks\n    body: Some.\n"
        "  - heading: Meeting results\n    after: summary\n    body: Agreed.\n"
        "    subsections:\n      - heading: Main remarks\n        body: Said.\n"
    )
    doc = document(write(tmp_path, text))
    heads = [(h.level, d.plain_text(h.content)) for h in blocks_of(doc, d.Heading)]
    assert heads == [
        (1, "Summary"),
        (1, "Meeting results"),
        (2, "Main remarks"),
        (1, "Background"),
        (1, "Risks"),  # by default just before Next steps
        (1, "Next steps"),
        (1, "Sources"),
    ]


def test_annexes_start_a_page_each_and_are_listed(tmp_path: Path) -> None:
    text = MINIMAL2 + (
        "annexes:\n  - title: Attendees\n    body: Names.\n  - title: Costs\n    body: Sums.\n"
    )
    doc = document(write(tmp_path, text))
    blocks = list(doc.blocks)
    heads = [b for b in blocks if isinstance(b, d.Heading)]
    assert [d.plain_text(h.content) for h in heads[-2:]] == ["Annex A: Attendees", "Annex B: Costs"]
    assert all(not h.numbered for h in heads[-2:])
    for head in heads[-2:]:
        assert isinstance(blocks[blocks.index(head) - 1], d.PageBreak)
    listing = [b for b in blocks if isinstance(b, d.Fields)][-1]
    assert d.plain_text(listing.rows[0].value) == "Annex A: Attendees\nAnnex B: Costs"


def test_korean_annexes_are_numbered_as_korean_reports_do(tmp_path: Path) -> None:
    text = MINIMAL2.replace("version: 2", "version: 2\nlang: ko") + (
        "annexes:\n  - title: 참석자 명단\n    body: 명단.\n"
    )
    doc = document(write(tmp_path, text))
    heads = [d.plain_text(h.content) for h in blocks_of(doc, d.Heading)]
    assert heads[-1] == "붙임 1: 참석자 명단"


def test_footnotes_are_numbered_by_first_reference(tmp_path: Path) -> None:
    text = (
        MINIMAL2.replace(
            "background: One paragraph.",
            'background: "First[^b] then[^a] and again[^b]."',
        ).replace(
            "  - title: Nothing in particular",
            "  - title: Nothing in particular\n    id: src",
        )
        + 'footnotes:\n  a: "Note A cites[^src]."\n  b: Note B.\n'
    )
    doc = document(write(tmp_path, text))
    assert [(f.id, f.number) for f in doc.footnotes] == [("b", 1), ("a", 2), ("src", 3)]
    assert d.plain_text(doc.footnotes[2].content) == "Nothing in particular"


# ---------------------------------------------------------------- validation


def test_version_1_files_are_told_to_upgrade(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace(
        "background: One paragraph.",
        "background:\n  - note: hello\nfootnotes:\n  a: b",
    )
    found = problems(write(tmp_path, text))
    assert found == [
        "12:5: background[0]: blocks such as this note need schema version 2; add 'version: 2' "
        "at the top (or run 'reports migrate FILE', which also escapes text)",
        "13:1: footnotes: 'footnotes' need schema version 2; add 'version: 2' at the top (or "
        "run 'reports migrate FILE', which also escapes text)",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  - tabel: {columns: [a], rows: [[b]]}",
            "12:5: background[0]: 'tabel' is not a kind of block; did you mean 'table'?",
        ),
        (
            "  - note: a\n    box: {body: b}",
            "12:5: background[0]: one entry holds several blocks (note, box); give each its "
            "own entry, starting with '- '",
        ),
        (
            "  - table: {columns: [a, b], rows: [[1, 2], [3]]}",
            "12:45: background[0].table.rows[1]: this row has 1 cell but the table has 2 "
            "columns (a, b); give one cell per column (~ for an empty one)",
        ),
        (
            "  - table: {columns: [a, b], rows: [[1, 2]], widths: [1]}",
            "12:54: background[0].table.widths: 1 widths given for 2 columns; give one per column",
        ),
        (
            "  - table: {columns: [a], rows: [[1]], csv: x.csv}",
            "12:12: background[0].table: give the table's columns and rows, or a csv file "
            "(whose first row names the columns), not both",
        ),
        (
            "  - table: {columns: [a], rows: [[1]], colums: [b]}",
            "12:40: background[0].table.colums: unknown field 'colums'; did you mean 'columns'?",
        ),
        (
            "  - figure: {file: x.png}",
            "12:13: background[0].figure.alt: required field is missing",
        ),
        (
            "  - list: [a]\n    numbered: true\n    start: 0",
            "14:12: background[0].start: input should be greater than or equal to 1; got '0'",
        ),
    ],
)
def test_block_mistakes_are_explained(tmp_path: Path, body: str, expected: str) -> None:
    text = MINIMAL2.replace("background: One paragraph.", "background:\n" + body)
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    found = problems(write(tmp_path, text))
    assert expected in found, found


def test_footnote_mistakes_name_the_place(tmp_path: Path) -> None:
    text = (
        MINIMAL2.replace("background: One paragraph.", 'background: "Text[^mising]."')
        + "footnotes:\n  missing: A note.\n  unused: Never cited.\n"
    )
    found = problems(write(tmp_path, text))
    assert found == [
        "11:13: background: [^mising] refers to no footnote; did you mean [^missing]?",
        "15:3: footnotes.missing: footnote 'missing' is never referenced; cite it as "
        "[^missing] in the text it supports, or remove it",
        "16:3: footnotes.unused: footnote 'unused' is never referenced; cite it as [^unused] "
        "in the text it supports, or remove it",
    ]


def test_a_section_placed_after_an_unknown_section(tmp_path: Path) -> None:
    text = MINIMAL2 + "sections:\n  - heading: X\n    body: Y\n    after: backgrund\n"
    assert problems(write(tmp_path, text)) == [
        "17:12: sections[0].after: expected one of summary, purpose, background, key_points, "
        "impact, timeline, faq, next_steps, assessment, sources; got 'backgrund'; did you "
        "mean 'background'?"
    ]


# ---------------------------------------------------------------- hostile files


def _figure(tmp_path: Path, name: str) -> list[str]:
    folder = tmp_path / "memo"
    folder.mkdir(exist_ok=True)
    text = MINIMAL2.replace(
        "background: One paragraph.",
        f"background:\n  - figure: {{file: '{name}', alt: x}}",
    )
    return problems(write(folder, text))


def test_images_outside_the_fact_bases_folder_are_refused(tmp_path: Path) -> None:
    png(tmp_path / "outside.png")
    (tmp_path / "memo").mkdir()
    (tmp_path / "memo" / "link.png").symlink_to(tmp_path / "outside.png")
    for name, says in [
        ("../outside.png", "leads outside the fact base's folder"),
        (str(tmp_path / "outside.png"), "is an absolute path"),
        ("link.png", "leads outside the fact base's folder"),
    ]:
        (line,) = _figure(tmp_path, name)
        assert "background[0].figure.file:" in line and says in line, line


def test_files_that_are_not_images_are_refused(tmp_path: Path) -> None:
    (tmp_path / "memo").mkdir()
    (tmp_path / "memo" / "fake.png").write_text("<svg/>", encoding="utf-8")
    (line,) = _figure(tmp_path, "fake.png")
    assert line.endswith("'fake.png' is not a PNG or JPEG image (its content says otherwise)")
    (line,) = _figure(tmp_path, "absent.png")
    assert line.endswith("'absent.png' no such file")


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    (tmp_path / "memo").mkdir()
    png(tmp_path / "memo" / "bomb.png", 1, 1)
    data = bytearray((tmp_path / "memo" / "bomb.png").read_bytes())
    data[16:24] = struct.pack(">II", 50_000, 50_000)  # the header claims 2.5 gigapixels
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # with a valid checksum
    (tmp_path / "memo" / "bomb.png").write_bytes(bytes(data))
    (line,) = _figure(tmp_path, "bomb.png")
    assert line.endswith("'bomb.png' has more than 40,000,000 pixels (the limit); scale it down")
    png(tmp_path / "memo" / "big.png", 8_000, 5_001)  # just over, and small enough to read
    (line,) = _figure(tmp_path, "big.png")
    assert line.endswith(
        "'big.png' is 8,000 x 5,001 pixels, over the limit of 40,000,000 pixels; scale it down"
    )


def test_files_too_large_are_refused_before_they_are_read(tmp_path: Path) -> None:
    (tmp_path / "memo").mkdir()
    (tmp_path / "memo" / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(21 * 1024 * 1024))
    (line,) = _figure(tmp_path, "huge.png")
    assert line.endswith("'huge.png' is 22,020,104 bytes, over the limit of 20,971,520")
    (line,) = _csv(tmp_path, b"a,b\n" + b"x" * (6 * 1024 * 1024))
    assert line.endswith("'t.csv' is 6,291,460 bytes, over the limit of 5,242,880 for a table")


def _csv(tmp_path: Path, content: bytes) -> list[str]:
    (tmp_path / "t.csv").write_bytes(content)
    text = MINIMAL2.replace("background: One paragraph.", "background:\n  - table: {csv: t.csv}")
    return problems(write(tmp_path, text))


def test_csv_tables_are_read_within_limits(tmp_path: Path) -> None:
    (line,) = _csv(tmp_path, b"a,b\n1,2\n3\n")
    assert line.endswith(
        "background[0].table.csv: t.csv:3: this row has 1 cells but the header row has 2; "
        "every row needs one cell per column (quote a cell that contains a comma)"
    )
    (line,) = _csv(tmp_path, b"a,b\n" + b"1,2\n" * 1_000_000)
    assert "has more than 5,000 rows" in line
    (line,) = _csv(tmp_path, "a,b\n\u00e9,2\n".encode("cp1252"))
    assert "is not UTF-8 text (line 2)" in line
    (line,) = _csv(tmp_path, b"a,b\n")
    assert "needs a header row and at least one row of data" in line


def test_a_csv_table_becomes_rows(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes('\ufeffName,Amount\nKim,"1,200"\n\nLee,30\n'.encode())
    text = MINIMAL2.replace("background: One paragraph.", "background:\n  - table: {csv: t.csv}")
    table = blocks_of(document(write(tmp_path, text)), d.Table)[0]
    assert isinstance(table, d.Table)
    assert [d.plain_text(c.header) for c in table.columns] == ["Name", "Amount"]
    assert [[d.plain_text(c) for c in r] for r in table.rows] == [["Kim", "1,200"], ["Lee", "30"]]
    assert table.columns[1].align == "right"


def test_the_files_a_fact_base_names_are_inputs_of_its_build(tmp_path: Path) -> None:
    import json

    from conftest import DATA

    source = DATA / "winter-road-safety-2025-11-20.yaml"
    result = run_cli("build", str(source), "--out", str(tmp_path), "-f", "docx")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    inputs = manifest["memos"][0]["inputs"]
    for name in ("attendees.csv", "regions.png", "emblem.png"):
        assert any(path.endswith(f"winter-roads/{name}") for path in inputs), name
    assert "markdown-it-py" in manifest["dependencies"]


def test_hostile_input_leaves_no_output(tmp_path: Path) -> None:
    png(tmp_path / "outside.png")
    (tmp_path / "memo").mkdir()
    text = MINIMAL2.replace(
        "background: One paragraph.", "background:\n  - figure: {file: ../outside.png, alt: x}"
    )
    source = write(tmp_path / "memo", text)
    result = run_cli("build", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "leads outside the fact base's folder" in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf")) and not list(
        (tmp_path / "out").glob("*.docx")
    )


@pytest.mark.parametrize("text", ["1.", "-", "- - -", "1)", "+"])
def test_a_paragraph_of_list_marks_only_prints_as_typed(tmp_path: Path, text: str) -> None:
    """Marks with no item text are not an empty list (which the template cannot hold):
    the words print as typed, and validate and build agree."""
    path = write(tmp_path, MINIMAL2.replace("background: One paragraph.", f"background: '{text}'"))
    doc = document(path)
    paras = [b for b in doc.blocks if isinstance(b, d.Paragraph)]
    assert any(d.plain_text(p.content) == text for p in paras)
    assert run_cli("build", str(path), "--out", str(tmp_path / "out"), "-f", "pdf").returncode == 0
