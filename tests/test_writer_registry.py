"""A new format is one module and one registry entry: this file adds a plain-text writer
and the build drives it, with no change anywhere else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE

from reports import document as d
from reports.build import BuildOptions, run
from reports.errors import BuildError
from reports.style import HouseStyle
from reports.writers import REGISTRY, Visitor, WriterInfo, register, unregister


class TextWriter(Visitor):
    """Plain text, one block a paragraph: the smallest complete writer."""

    def __init__(self, style: HouseStyle, **options: Any) -> None:
        self.options = options

    def render(self, doc: d.Document) -> bytes:
        return "\n\n".join(self.visit(b) for b in doc.blocks).encode("utf-8")

    def text(self, content: d.Inlines) -> str:
        return d.plain_text(content)

    def visit_title_block(self, node: d.TitleBlock) -> str:
        return self.text(node.title).upper()

    def visit_fields(self, node: d.Fields) -> str:
        return "\n".join(f"{f.label}: {self.text(f.value)}" for f in node.rows)

    def visit_heading(self, node: d.Heading) -> str:
        return f"{'#' * node.level} {self.text(node.content)}"

    def visit_paragraph(self, node: d.Paragraph) -> str:
        return self.text(node.content)

    def visit_bullet_list(self, node: d.BulletList) -> str:
        return "\n".join(f"- {self.text(i.content)}" for i in node.items)

    def visit_numbered_list(self, node: d.NumberedList) -> str:
        return "\n".join(f"{n}. {self.text(i.content)}" for n, i in enumerate(node.items, 1))

    def visit_table(self, node: d.Table) -> str:
        rows = [[self.text(c.header) for c in node.columns]]
        rows += [[self.text(c) for c in row] for row in node.rows]
        return "\n".join(" | ".join(r) for r in rows)

    def visit_q_a(self, node: d.QA) -> str:
        return "\n".join([f"Q: {self.text(node.question)}"] + [self.text(a) for a in node.answer])

    def visit_toc(self, node: d.Toc) -> str:
        return node.title


@pytest.fixture
def text_format() -> Iterator[WriterInfo]:
    info = WriterInfo("txt", ".txt", f"{__name__}:TextWriter", libraries=("pyyaml",))
    register(info)
    yield info
    unregister("txt")


def test_the_build_drives_a_registered_writer(text_format: WriterInfo, tmp_path: Path) -> None:
    options = BuildOptions(formats=("txt", "pdf"))
    outcome = run([EXAMPLE], tmp_path, options)
    assert outcome.exit_code == 0
    text = (tmp_path / f"{EXAMPLE.stem}.txt").read_text("utf-8")
    assert text.startswith("TRADE MINISTERS' VIRTUAL MEETING")
    assert "# Timeline" in text and "13 February 2024 | USTR hosts" in text
    assert (tmp_path / f"{EXAMPLE.stem}.pdf").is_file()
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    (memo,) = manifest["memos"]
    assert sorted(o["format"] for o in memo["outputs"]) == ["pdf", "txt"]
    assert set(manifest["dependencies"]) >= {"pyyaml", "reportlab"}


def test_the_command_line_offers_every_registered_format(
    text_format: WriterInfo, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from reports.cli import cli

    args = ["build", str(EXAMPLE), "-f", "txt", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{EXAMPLE.stem}.txt").is_file()
    assert not (tmp_path / f"{EXAMPLE.stem}.pdf").exists()


def test_formats_come_from_the_registry_only() -> None:
    from reports.build import parse_formats
    from reports.errors import UsageError

    assert list(REGISTRY) == ["pdf", "docx"]
    with pytest.raises(UsageError, match="unknown format txt; choose from pdf, docx"):
        parse_formats("txt")


def test_a_writer_without_a_method_for_a_node_says_so() -> None:
    class Partial(Visitor):
        pass

    with pytest.raises(BuildError, match="the Partial has no rendering for Toc nodes"):
        Partial().visit(d.Toc("Contents"))
