"""Every fact of the example fact base reaches both formats, and both say the same words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, EXAMPLE, EXAMPLE_KO, Built, docx_text, pdf_pages, squash
from pydantic import BaseModel

from reports.assets import CsvTable, LocalFile
from reports.consistency import is_rich
from reports.model import DateRange, PartialDate
from reports.richtext import words as shown_words
from reports.validate import load_facts

# Fields that steer the build rather than state a fact; checked elsewhere (metadata), or
# (file names, alt text, widths) not printed as text.
NOT_PRINTED = {"version", "lang", "status", "toc", "keywords", "after", "numbered", "start",
               "widths", "align", "width", "alt", "file", "logo", "id", "kind",
               "side", "type"}  # fmt: skip
NOT_PRINTED_PATHS = {"memo.timeline"}  # how the timeline is shown (its entries are printed)
# How each language prints the dates and choices of the examples, written out here rather
# than computed by the code under test.
PRINTED = {
    "en": {
        "2024-02-13": "13 February 2024",
        "2024-01": "January 2024",
        "early 2024-02": "early February 2024",
        "virtual": "Virtual",
        "hybrid": "Hybrid (in person and virtual)",
        "2021-06": "June 2021",
        "2025-09": "September 2025",
        "2025-10-15": "15 October 2025",
        "2025-11-15": "15 November 2025",
        "2025-11-18": "18 November 2025",
        "2025-11-20": "20 November 2025",
        "2025-11-25": "25 November 2025",
        "2025-12-01": "1 December 2025",
        "2025-12-05": "5 December 2025",
        "2025-12-12": "12 December 2025",
    },
    "ko": {  # the Korean example is a report (보고서): official dates
        "2024-02-13": "2024. 2. 13.(화)",
        "2024-01": "2024. 1.",
        "early 2024-02": "2024. 2. 초",
        "virtual": "화상회의",
    },
}
SECTIONS = [
    "Summary",
    "Purpose",
    "Background",
    "Key points",
    "Who is affected",
    "Timeline",
    "Frequently asked questions",
    "Next steps",
    "Assessment",
    "Sources",
]


def facts_of(
    node: Any, lang: str, path: str = "", version: int = 1, keys: tuple[Any, ...] = ()
) -> Iterator[tuple[str, str]]:
    """Yield (field path, text as the memo prints it) for every fact in a model: markup
    in version 2 body text is read as the words it shows."""
    if isinstance(node, BaseModel):
        version = getattr(node, "version", version)
        for name, info in type(node).model_fields.items():
            key = info.alias or name
            if key in NOT_PRINTED or f"{path}.{key}".lstrip(".") in NOT_PRINTED_PATHS:
                continue
            yield from facts_of(
                getattr(node, name), lang, f"{path}.{key}".lstrip("."), version, (*keys, key)
            )
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from facts_of(item, lang, f"{path}[{i}]", version, (*keys, i))
    elif isinstance(node, dict):  # footnotes
        for key, item in node.items():
            yield from facts_of(item, lang, f"{path}.{key}", version, (*keys, key))
    elif isinstance(node, CsvTable):
        for i, row in enumerate((node.header, *node.rows)):
            for j, cell in enumerate(row):
                yield from facts_of(cell, lang, f"{path}[{i}][{j}]", version, (*keys, i, j))
    elif isinstance(node, LocalFile):
        return
    elif isinstance(node, (PartialDate, DateRange)):
        yield path, PRINTED[lang][str(node)]
    elif isinstance(node, str) and path.endswith("event.format"):
        # a choice, printed in the memo's language from the message catalogue
        yield path, PRINTED[lang][node]
    elif isinstance(node, str) and version >= 2 and is_rich(keys):
        # a footnote's number sits between the words around its mark: each side is a fact
        for part in re.split(r"(?<!\\)\[\^[^\]\s]+\]", node):
            if part.strip():
                yield path, shown_words(part, version)
    elif isinstance(node, str):
        yield path, node


EXAMPLES = sorted(DATA.glob("*.yaml"))


@dataclass(frozen=True)
class Example:
    """One example memo as built: its facts and the text of both files."""

    stem: str
    facts: list[tuple[str, str]]
    pdf: str
    """All text of the PDF, pages joined by spaces."""
    docx: str
    """All text of the DOCX, headers and footers last."""
    docx_body: str
    """The DOCX's body text only."""


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example(request: pytest.FixtureRequest, built: Built) -> Example:
    """Each example fact base in data/, English and Korean, read back from both formats."""
    source: Path = request.param
    base = load_facts(source)
    pdf = built.out / f"{source.stem}.pdf"
    docx = pdf.with_suffix(".docx")
    return Example(
        source.stem,
        list(facts_of(base, base.lang)),
        " ".join(pdf_pages(pdf)),
        docx_text(docx),
        docx_text(docx, furniture=False),
    )


@pytest.fixture(scope="module")
def english(built: Built) -> Example:
    return Example(
        EXAMPLE.stem,
        list(facts_of(load_facts(EXAMPLE), "en")),
        " ".join(pdf_pages(built.pdf)),
        docx_text(built.docx),
        docx_text(built.docx, furniture=False),
    )


def test_fact_list_is_not_trivial(example: Example) -> None:
    # The examples cover every part of the schema that they use, so this is a real list.
    assert len(example.facts) > 50
    assert any(path.startswith("timeline[2]") for path, _ in example.facts)


def test_every_fact_is_in_the_pdf(example: Example) -> None:
    text = squash(example.pdf).lower()
    missing = [(p, v) for p, v in example.facts if squash(v).lower() not in text]
    assert not missing


def test_every_fact_is_in_the_docx(example: Example) -> None:
    text = squash(example.docx).lower()
    missing = [(p, v) for p, v in example.facts if squash(v).lower() not in text]
    assert not missing


def test_every_hangul_syllable_reaches_both_formats(built: Built) -> None:
    source = EXAMPLE_KO
    facts = facts_of(load_facts(source), "ko")
    hangul = {c for _p, v in facts for c in v if "\uac00" <= c <= "\ud7a3"}
    assert len(hangul) > 150
    pdf = built.out / f"{source.stem}.pdf"
    assert hangul <= set(" ".join(pdf_pages(pdf)))
    assert hangul <= set(docx_text(pdf.with_suffix(".docx")))


@pytest.mark.parametrize("heading", SECTIONS)
def test_every_section_heading_is_in_both(english: Example, heading: str) -> None:
    assert heading in squash(english.pdf)
    assert heading in squash(english.docx)


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", text.lower())}


def test_both_formats_carry_the_same_words(english: Example) -> None:
    pdf_words, docx_words = words(english.pdf), words(english.docx)
    assert pdf_words == docx_words, pdf_words ^ docx_words


def test_both_formats_have_the_same_sections_in_the_same_order(english: Example) -> None:
    pdf, doc = squash(english.pdf), squash(english.docx_body)
    assert [pdf.index(h) for h in SECTIONS] == sorted(pdf.index(h) for h in SECTIONS)
    assert [doc.index(h) for h in SECTIONS] == sorted(doc.index(h) for h in SECTIONS)
