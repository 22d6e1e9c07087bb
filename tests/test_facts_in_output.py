"""Every fact of the example fact base reaches both formats, and both say the same words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, Built, docx_text, pdf_pages, squash
from pydantic import BaseModel

from reports.model import PartialDate
from reports.templating import load_messages, locale_for, template_dir
from reports.validate import load_facts

# Fields that steer the build rather than state a fact; checked elsewhere (metadata).
NOT_PRINTED = {"version", "lang", "status", "toc", "keywords"}
SECTIONS = [
    "Summary",
    "Purpose",
    "Background",
    "Key points",
    "Who is affected",
    "Timeline",
    "Anticipated questions",
    "Next steps",
    "Assessment",
    "Sources",
]


def facts_of(node: Any, lang: str, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, text as the memo prints it) for every fact in a model."""
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            key = info.alias or name
            if key in NOT_PRINTED:
                continue
            yield from facts_of(getattr(node, name), lang, f"{path}.{key}".lstrip("."))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from facts_of(item, lang, f"{path}[{i}]")
    elif isinstance(node, PartialDate):
        yield path, locale_for(template_dir(), lang).date(node)
    elif isinstance(node, str) and path.endswith("event.format"):
        # a choice, printed in the memo's language from the message catalogue
        yield path, load_messages(template_dir(), lang)[f"format_{node}"]
    elif isinstance(node, str):
        yield path, node


EXAMPLES = sorted(DATA.glob("*.yaml"))


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example(request: pytest.FixtureRequest, built: Built) -> tuple[Path, Path, list]:
    """(pdf, docx, facts) of each example fact base in data/, English and Korean."""
    source: Path = request.param
    base = load_facts(source)
    pdf = built.out / f"{source.stem}.pdf"
    return pdf, pdf.with_suffix(".docx"), list(facts_of(base, base.lang))


def test_fact_list_is_not_trivial(example: tuple[Path, Path, list]) -> None:
    # The examples cover every part of the schema that they use, so this is a real list.
    facts = example[2]
    assert len(facts) > 50
    assert any(path.startswith("timeline[2]") for path, _ in facts)


def test_every_fact_is_in_the_pdf(example: tuple[Path, Path, list]) -> None:
    pdf, _docx, facts = example
    text = squash(" ".join(pdf_pages(pdf))).lower()
    missing = [(p, v) for p, v in facts if squash(v).lower() not in text]
    assert not missing


def test_every_fact_is_in_the_docx(example: tuple[Path, Path, list]) -> None:
    _pdf, docx, facts = example
    text = squash(docx_text(docx)).lower()
    missing = [(p, v) for p, v in facts if squash(v).lower() not in text]
    assert not missing


def test_every_hangul_syllable_reaches_both_formats(example: tuple[Path, Path, list]) -> None:
    pdf, docx, facts = example
    hangul = {c for _p, v in facts for c in v if "\uac00" <= c <= "\ud7a3"}
    if "-ko" in pdf.stem:
        assert len(hangul) > 150
    assert hangul <= set(" ".join(pdf_pages(pdf)))
    assert hangul <= set(docx_text(docx))


@pytest.mark.parametrize("heading", SECTIONS)
def test_every_section_heading_is_in_both(built: Built, heading: str) -> None:
    assert heading in squash(" ".join(pdf_pages(built.pdf)))
    assert heading in squash(docx_text(built.docx))


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", text.lower())}


def test_both_formats_carry_the_same_words(built: Built) -> None:
    pdf_words = words(" ".join(pdf_pages(built.pdf)))
    docx_words = words(docx_text(built.docx))
    assert pdf_words == docx_words, pdf_words ^ docx_words


def test_both_formats_have_the_same_sections_in_the_same_order(built: Built) -> None:
    pdf = squash(" ".join(pdf_pages(built.pdf)))
    doc = squash(docx_text(built.docx, furniture=False))
    assert [pdf.index(h) for h in SECTIONS] == sorted(pdf.index(h) for h in SECTIONS)
    assert [doc.index(h) for h in SECTIONS] == sorted(doc.index(h) for h in SECTIONS)
