"""Real clients accept what we write: qpdf, pdffonts, LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import Built, libreoffice_pdf, need_tool, pdf_pages, squash


def test_qpdf_check_passes(built: Built) -> None:
    qpdf = need_tool("qpdf")
    result = subprocess.run([qpdf, "--check", str(built.pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_every_pdf_font_is_embedded(built: Built) -> None:
    pdffonts = need_tool("pdffonts")
    out = subprocess.run([pdffonts, str(built.pdf)], capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # columns: name type encoding emb sub uni object-id generation
        assert row.split()[-5] == "yes", row


def test_libreoffice_opens_the_docx(built: Built, tmp_path: Path) -> None:
    converted = libreoffice_pdf(built.docx, tmp_path)
    text = squash(" ".join(pdf_pages(converted)))
    # LibreOffice laid out the whole memo, with the timeline table intact.
    for words in (
        "Summary",
        "Timeline",
        "Significance",
        "USTR hosts the virtual meeting",
        "Sources",
        "UNCLASSIFIED",
    ):
        assert words in text
