"""Output formats: one registry entry per writer, saying what the build needs to know of it.

Adding a format is one module with a :class:`~reports.writers.base.Writer` and one
:func:`register` call (or one line in :data:`REGISTRY`); the build never tests a format's
name. Writer modules are imported only when their format is built.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .base import Visitor, Writer


@dataclass(frozen=True, slots=True)
class WriterInfo:
    """A format, and what the build must know of its writer without importing it."""

    name: str
    """Format name on the command line (``pdf``)."""
    extension: str
    """File extension, with the dot."""
    target: str
    """``module:Class`` of the writer."""
    embeds_fonts: bool = False
    """The file carries the font files: every character must have a glyph in them, and
    the fonts are inputs whose hashes go into the manifest."""
    options: tuple[str, ...] = ()
    """Build options (fields of ``BuildOptions``) passed to the writer as keywords; path
    options are inputs whose hashes go into the manifest."""
    libraries: tuple[str, ...] = ()
    """Distributions whose versions decide the file's bytes, recorded in the manifest."""
    paginates: bool = False
    """The writer lays out pages itself and, after ``render``, tells the page of each
    heading (``heading_pages``): a table of contents in a format that cannot count pages
    (a DOCX, until Word updates it) takes its page numbers from there. It also tells how
    many pages it laid out (``page_count``), which a build's summary reports."""

    def load(self) -> type[Writer]:
        """Import and return the writer class."""
        module, _, name = self.target.partition(":")
        cls: type[Writer] = getattr(importlib.import_module(module), name)
        return cls


REGISTRY: dict[str, WriterInfo] = {}
"""Format name → writer entry, in build order."""


def register(info: WriterInfo) -> None:
    """Add (or replace) a format."""
    REGISTRY[info.name] = info


def unregister(name: str) -> None:
    """Remove a format (tests that register their own)."""
    REGISTRY.pop(name, None)


register(
    WriterInfo(
        "pdf",
        ".pdf",
        "reports.writers.pdf:PdfWriter",
        embeds_fonts=True,
        options=("pdfa",),
        libraries=("reportlab",),
        paginates=True,
    )
)
register(
    WriterInfo(
        "docx",
        ".docx",
        "reports.writers.docx:DocxWriter",
        options=("reference_docx",),
        libraries=("python-docx", "lxml", "xlsxwriter"),
    )
)

__all__ = ["REGISTRY", "Visitor", "Writer", "WriterInfo", "register", "unregister"]
