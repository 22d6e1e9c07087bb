"""What to build and how: the options every command shares, parsed from their text forms."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from ..errors import UsageError
from ..i18n import is_language_tag
from ..writers import REGISTRY, WriterInfo
from ..yamlsrc import DEFAULT_LIMITS, Limits


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build: where templates and styles come from and which formats to write."""

    formats: tuple[str, ...] = ("pdf", "docx")
    """Formats to write, in build order (names in the writer registry)."""
    template_dir: Path | None = None
    """Folder holding ``memo.xml.j2`` and ``house-style.yaml``; ``None``: the shipped one."""
    style_overrides: tuple[Path, ...] = ()
    """House-style files deep-merged over the template folder's, in order."""
    reference_docx: Path | None = None
    """A Word document whose styles the DOCX writer uses instead of the house style's."""
    draft: bool = False
    """Watermark every page DRAFT even when the fact base says final."""
    pdfa: bool = False
    """Write PDFs as PDF/A-2b, for archiving (they are tagged PDF/UA-1 either way)."""
    allow_missing_glyphs: bool = False
    """Warn, instead of failing, when a character has no glyph in any configured font."""
    limits: Limits = DEFAULT_LIMITS
    """Caps on fact-base size, nesting and aliases."""
    langs: tuple[str, ...] = ()
    """Languages to build; ``()``: every language each fact base is written in."""
    root: Path | None = None
    """The folder every file a fact base or style names must lie in; ``None``: each
    naming file's repository (the nearest folder above it holding ``.git``, else its own
    folder)."""

    @property
    def writers(self) -> list[WriterInfo]:
        """The registry entries of the formats to write, in build order."""
        return [REGISTRY[f] for f in self.formats]

    def writer_options(self, info: WriterInfo) -> dict[str, Any]:
        """The options ``info``'s writer takes, those that are set."""
        values = {name: getattr(self, name) for name in info.options}
        return {k: v for k, v in values.items() if v is not None}


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse ``pdf,docx`` into a tuple in build order; raise :class:`UsageError` if unknown."""
    asked = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in asked if f not in REGISTRY]
    if unknown or not asked:
        shown = ", ".join(unknown) or "(none)"
        raise UsageError(f"unknown format {shown}; choose from {', '.join(REGISTRY)}")
    return tuple(f for f in REGISTRY if f in asked)


def parse_langs(text: str) -> tuple[str, ...]:
    """Parse ``ko,en`` into language tags, each once; raise :class:`UsageError` if malformed."""
    langs = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    bad = [x for x in langs if not is_language_tag(x)]
    if bad:
        raise UsageError(f"'{bad[0]}' is not a language tag such as en, ko or en-GB")
    return langs


@dataclass(frozen=True, slots=True)
class Shard:
    """One of ``count`` shares of a batch (``--shard 2/4``), for builds split over runners.

    A fact base belongs to the shard its path's sha256 points to: the same on every
    machine and run, about ``1/count`` of the fact bases each, and adding or removing a
    fact base moves no other one (a share by position in a sorted list would move many).
    """

    index: int
    """1-based."""
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, source: str | PurePath) -> bool:
        """Whether the fact base at ``source`` (as the manifest names it: relative to the
        working folder) is this shard's."""
        key = PurePath(source).as_posix().encode("utf-8", "surrogateescape")
        return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % self.count == (
            self.index - 1
        )


def parse_shard(text: str) -> Shard:
    """Parse ``I/N`` (1 ≤ I ≤ N); raise :class:`UsageError` otherwise."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise UsageError(f"--shard takes I/N with 1 <= I <= N, such as 2/4; got '{text}'")
    return Shard(int(match[1]), int(match[2]))
