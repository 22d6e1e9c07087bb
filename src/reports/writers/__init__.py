"""Output formats. Adding one means adding a module and a line to ``WRITERS``."""

from __future__ import annotations

import importlib
from typing import Any

from .base import Writer

WRITERS: dict[str, str] = {
    "pdf": "reports.writers.pdf:PdfWriter",
    "docx": "reports.writers.docx:DocxWriter",
}
"""Format name → ``module:class``; modules are imported only when their format is built."""

EXTENSIONS: dict[str, str] = {"pdf": ".pdf", "docx": ".docx"}


def writer_class(fmt: str) -> Any:
    """Import and return the writer class for ``fmt`` (a key of :data:`WRITERS`)."""
    module, _, name = WRITERS[fmt].partition(":")
    return getattr(importlib.import_module(module), name)


__all__ = ["EXTENSIONS", "WRITERS", "Writer", "writer_class"]
