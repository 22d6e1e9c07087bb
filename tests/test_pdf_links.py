"""Bookmarks and table-of-contents links go to the page that holds their heading."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE, run_cli
from pypdf import PdfReader


def test_every_outline_entry_opens_the_page_of_its_heading(tmp_path: Path) -> None:
    assert run_cli("build", str(EXAMPLE), "--out", str(tmp_path), "-f", "pdf").returncode == 0
    reader = PdfReader(str(tmp_path / f"{EXAMPLE.stem}.pdf"))
    pages = [(page.extract_text() or "") for page in reader.pages]

    def entries(outline: list[object]) -> list[object]:
        out: list[object] = []
        for item in outline:
            out.extend(entries(item) if isinstance(item, list) else [item])  # type: ignore[arg-type]
        return out

    targets = {}
    for entry in entries(reader.outline):
        targets[entry.title] = reader.get_destination_page_number(entry)  # type: ignore[attr-defined]
    assert len(targets) >= 10
    for title, index in targets.items():
        assert title in pages[index], f"{title!r} is not on page {index + 1}"
    assert max(targets.values()) >= 2  # the example's headings span three pages
