"""LibreOffice lays out every example DOCX as a colleague would see it: no heading alone at
the foot of a page, a bookmark per heading, the table of contents with page numbers, and
about as many pages as the PDF."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE, need_tool, run_cli
from pypdf import PdfReader

from reports.build import Builder, BuildOptions
from reports.document import Heading, plain_text
from reports.validate import load_facts


@dataclass(frozen=True)
class Rendered:
    source: Path
    ours: Path
    """The PDF reports wrote."""
    theirs: Path
    """LibreOffice's PDF of the DOCX reports wrote."""


def _sources(folder: Path) -> list[Path]:
    toc = folder / "with-contents.yaml"
    toc.write_text(
        EXAMPLE.read_text("utf-8").replace("  keywords:", "  toc: true\n  keywords:"), "utf-8"
    )
    return [*sorted(DATA.glob("*.yaml")), toc]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    soffice = need_tool("soffice")
    folder = tmp_path_factory.mktemp("layout")
    sources = _sources(folder)
    out = folder / "out"
    result = run_cli("build", *(str(s) for s in sources), "--out", str(out))
    assert result.returncode == 0, result.stderr
    docs = sorted(out.glob("*.docx"))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(folder / "lo"), *map(str, docs)],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    return [Rendered(s, out / f"{s.stem}.pdf", folder / "lo" / f"{s.stem}.pdf") for s in sources]


def _headings(source: Path) -> list[str]:
    facts = load_facts(source)
    doc = Builder(BuildOptions()).document(facts, source)
    return [plain_text(b.content) for b in doc.blocks if isinstance(b, Heading)]


def _flat(outline: list[object]) -> list[object]:
    out: list[object] = []
    for item in outline:
        out.extend(_flat(item) if isinstance(item, list) else [item])  # type: ignore[arg-type]
    return out


def test_libreoffice_exports_a_bookmark_per_heading(rendered: list[Rendered]) -> None:
    for r in rendered:
        titles = [e.title for e in _flat(PdfReader(str(r.theirs)).outline)]  # type: ignore[attr-defined]
        headings = _headings(r.source)
        # Word's numbering shows in the bookmark (Korean "I. 핵심 요약"): compare the ends
        assert len(titles) == len(headings), (r.source.name, titles)
        for title, heading in zip(titles, headings, strict=True):
            assert title.endswith(heading), (r.source.name, title, heading)


def test_no_page_ends_with_a_heading(rendered: list[Rendered]) -> None:
    for r in rendered:
        headings = set(_headings(r.source))
        for document in (r.theirs, r.ours):
            reader = PdfReader(str(document))
            # where each heading is, from the PDF's bookmarks: text equal to a heading
            # elsewhere (an annex listed by title at the end of the memo) is not one
            placed = {
                (reader.get_destination_page_number(e), e.title)  # type: ignore[arg-type]
                for e in _flat(reader.outline)
            }
            for number, page in enumerate(reader.pages[:-1]):
                lines = [line.strip() for line in (page.extract_text() or "").splitlines()]
                content = [line for line in lines if line and not _furniture(line)]
                while content and _FOOTNOTE.match(content[-1]):
                    content.pop()  # the notes at the foot of the page, below the text
                last = content[-1] if content else ""
                here = {t for n, t in placed if n == number}
                stranded = [
                    h for h in headings if last.endswith(h) and any(t.endswith(h) for t in here)
                ]
                assert not stranded, (document.name, number + 1, last)


_FOOTNOTE = re.compile(r"^\d{1,3} ?[A-Z\u3131-\uD7A3]")
"""A footnote line as text extraction gives it: its number, then its text."""


def _furniture(line: str) -> bool:
    return (
        line in ("UNCLASSIFIED", "OFFICIAL", "공개")
        or line.startswith("Page ")
        or line.startswith("- ")
        or bool(re.fullmatch(r"Page \d+ of \d+|- \d+ / \d+ -", line))
    )


def test_page_counts_agree_within_one(rendered: list[Rendered]) -> None:
    for r in rendered:
        ours = len(PdfReader(str(r.ours)).pages)
        theirs = len(PdfReader(str(r.theirs)).pages)
        assert abs(ours - theirs) <= 1, (r.source.name, ours, theirs)


def test_the_table_of_contents_shows_page_numbers(rendered: list[Rendered]) -> None:
    (r,) = [r for r in rendered if r.source.name == "with-contents.yaml"]
    text = PdfReader(str(r.theirs)).pages[0].extract_text() or ""
    start = text.index("Contents")
    entries = [line for line in text[start:].splitlines()[1:12]]
    headings = _headings(r.source)
    for line, heading in zip(entries, headings, strict=True):
        assert re.fullmatch(rf"{re.escape(heading)}[ .]*[0-9]+", line), line


def test_every_font_of_our_pdfs_is_embedded(rendered: list[Rendered]) -> None:
    pdffonts = need_tool("pdffonts")
    for r in rendered:  # the memo with a table of contents among them
        listing = subprocess.run(
            [pdffonts, str(r.ours)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing
        assert all(line.split()[-5] == "yes" for line in listing), listing
