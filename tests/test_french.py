"""A French memo from a French fact base: adding a language is adding a catalogue, and no
code knows French."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from conftest import CASES, ROOT, docx_text, pdf_pages, run_cli, squash
from pypdf import PdfReader

FRENCH = CASES / "fr.yaml"
DATES = [
    "1 mars 2024",  # the memo's date
    "janvier 2024",
    "début février 2024",
    "mi-février 2024",
    "13 février 2024",
    "fin février 2024",
]
# Headings and labels of messages/fr.yaml, in the order the memo prints them
WORDS = [
    "Direction des exemples · Note d'information",
    "Date 1 mars 2024",
    "Expéditeur Direction des exemples",
    "Destinataire Chef de bureau",
    "Objet La plus petite base de faits que le schéma accepte",
    "Diffusion DIFFUSION RESTREINTE",
    "Synthèse",
    "Contexte",
    "Chronologie",
    "Date Événement Portée",
    "Sources",
]


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("fr")
    result = run_cli("build", str(FRENCH), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "fr.pdf", out / "fr.docx"


def test_french_pdf(french: tuple[Path, Path]) -> None:
    text = squash(" ".join(pdf_pages(french[0])))
    positions = [text.index(w) for w in WORDS]
    assert positions == sorted(positions)
    for date in DATES:
        assert date in text
    assert "Page 1 sur 1" in text
    assert PdfReader(str(french[0])).trailer["/Root"]["/Lang"] == "fr-FR"


def test_french_docx(french: tuple[Path, Path]) -> None:
    text = squash(docx_text(french[1], furniture=False))
    positions = [text.index(w) for w in WORDS]
    assert positions == sorted(positions)
    for date in DATES:
        assert date in text
    assert "Page 1 sur 1" in squash(docx_text(french[1]))  # in the footer
    document = docx.Document(str(french[1]))
    assert document.core_properties.language == "fr-FR"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Synthèse", "Contexte", "Chronologie", "Sources"]


# Month names, and words a French memo prints, that code would contain only if it knew French
FRENCH_IN_CODE = re.compile(
    r"\b(?:janvier|f[ée]vrier|avril|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    r"|d[ée]cembre|d[ée]but|synth[èe]se|chronologie|french|fran[cç]ais|fran[cç]aise)\b",
    re.IGNORECASE,
)


def test_no_code_knows_french() -> None:
    """French lives in templates/messages/fr.yaml only: the code is language-neutral."""
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / "src" / "reports").rglob("*.py"))
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if FRENCH_IN_CODE.search(line)
    ]
    assert found == []


def test_the_check_for_french_finds_french() -> None:
    assert FRENCH_IN_CODE.search('months = ["janvier", "février"]')
    assert FRENCH_IN_CODE.search("# French dates")
    assert not FRENCH_IN_CODE.search("def date(value, style='long'):")
