"""Run the stages: load, validate, template, read, write. The only module calling them all."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import document as d
from .errors import BuildError, FactsError, Problem, SourceLocation, UsageError
from .model import FactBase, iter_texts
from .style import HouseStyle, load_style
from .writers import EXTENSIONS, writer_class
from .yamlsrc import DEFAULT_LIMITS, Limits, Source, format_path, load_file

FORMATS: tuple[str, ...] = tuple(EXTENSIONS)
"""Every output format, in build order."""

_MAX_STEM = 120
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build: where templates and styles come from and which formats to write."""

    formats: tuple[str, ...] = FORMATS
    template_dir: Path | None = None
    """Folder holding ``memo.xml.j2`` and ``house-style.yaml``; ``None``: the shipped one."""
    style_overrides: tuple[Path, ...] = ()
    """House-style files deep-merged over the template folder's, in order."""
    reference_docx: Path | None = None
    """A Word document whose styles the DOCX writer uses instead of the house style's."""
    draft: bool = False
    """Watermark every page DRAFT even when the fact base says final."""
    allow_missing_glyphs: bool = False
    """Warn, instead of failing, when a character has no glyph in any configured font."""
    limits: Limits = DEFAULT_LIMITS
    """Caps on fact-base size, nesting and aliases."""


@dataclass(slots=True)
class BuildResult:
    """What one fact base produced."""

    source: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse ``pdf,docx`` into a tuple in build order; raise :class:`UsageError` if unknown."""
    asked = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown or not asked:
        shown = ", ".join(unknown) or "(none)"
        raise UsageError(f"unknown format {shown}; choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in asked)


def output_stem(source: Path) -> str:
    """Derive a safe file name stem from a fact base's file name.

    Path separators, control characters and reserved names cannot escape or hide in the
    output folder; the stem is cut so that any extension still fits common file systems.
    """
    stem = unicodedata.normalize("NFC", source.stem)
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "-", stem)
    stem = stem.strip(" .-") or "memo"
    if _WINDOWS_RESERVED.match(stem):
        stem = f"{stem}-memo"
    encoded = stem.encode("utf-8")[:_MAX_STEM]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .") or "memo"


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders into the ``*.yaml``/``*.yml`` files they hold, sorted; keep files as given."""
    found: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found.extend(sorted(x for x in path.iterdir() if x.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if needed; raise :class:`UsageError` if it can't be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    if not out_dir.is_dir() or not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {out_dir} is not a writable folder")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Builder:
    """Builds memos with one template folder and house style, reused across fact bases."""

    def __init__(self, options: BuildOptions) -> None:
        from .templating import template_dir

        self.options = options
        self.template_dir = template_dir(options.template_dir)
        self._styles: dict[tuple[Path, ...], HouseStyle] = {}
        self._writers: dict[tuple[str, tuple[Path, ...]], object] = {}
        self.style: HouseStyle = self.style_for(())

    def style_for(self, extra: tuple[Path, ...]) -> HouseStyle:
        """Return the house style with ``extra`` files merged over the build's overrides."""
        if extra not in self._styles:
            self._styles[extra] = load_style(
                self.template_dir, (*self.options.style_overrides, *extra)
            )
        return self._styles[extra]

    def writer(self, fmt: str, extra: tuple[Path, ...] = ()) -> object:
        """Return the writer for ``fmt`` in the style with ``extra`` merged in, made once."""
        key = (fmt, extra)
        if key not in self._writers:
            kwargs = {}
            if fmt == "docx" and self.options.reference_docx is not None:
                kwargs["reference_docx"] = self.options.reference_docx
            self._writers[key] = writer_class(fmt)(self.style_for(extra), **kwargs)
        return self._writers[key]

    def document(self, facts: FactBase) -> d.Document:
        """Render the template for ``facts`` and read it into the document model."""
        from .reader import read
        from .templating import TEMPLATE_NAME, render

        markup = render(facts, self.template_dir, draft=self.options.draft)
        return read(markup, str(self.template_dir / TEMPLATE_NAME))

    def extra_styles(self, facts: FactBase, source: Path | None) -> tuple[Path, ...]:
        """The fact base's own style file, found relative to the fact base; () for none."""
        if facts.style is None:
            return ()
        base = source.parent if source is not None else Path.cwd()
        return (base / facts.style,)

    def check_glyphs(self, facts: FactBase, src: Source | None = None) -> list[Problem]:
        """Return a problem for each character that no configured font can draw."""
        from .fonts import uncovered

        style = self.style_for(self.extra_styles(facts, Path(src.file) if src else None))
        keys = (style.style("body").font, *style.fallback)
        families = ", ".join(style.fonts[k].family for k in keys)
        problems = []
        for path, text in iter_texts(facts):
            for index, char in uncovered(text, style, keys):
                where = src.locate(path) if src else SourceLocation("facts")
                name = unicodedata.name(char, "unnamed character")
                problems.append(
                    Problem(
                        where,
                        f"character '{char}' (U+{ord(char):04X} {name}) at position {index + 1} "
                        f"has no glyph in the memo's fonts ({families}); add a font that has "
                        "it to the house style's fallback list (Korean: Debian's fonts-nanum), "
                        "or build with --allow-missing-glyphs",
                        format_path(path),
                    )
                )
        return problems

    def render(self, facts: FactBase, source: Path | None = None) -> dict[str, bytes]:
        """Return format → file bytes for ``facts``, every format rendered before any is written.

        ``source`` is the fact base's path, against which its own ``style`` file is found.
        """
        extra = self.extra_styles(facts, source)
        doc = self.document(facts)
        out: dict[str, bytes] = {}
        for fmt in self.options.formats:
            out[fmt] = self.writer(fmt, extra).render(doc)  # type: ignore[attr-defined]
        return out

    def build(self, source: Path, out_dir: Path) -> BuildResult:
        """Validate ``source`` and write its memos into ``out_dir``; return the paths written."""
        from .validate import validate

        src = load_file(source, self.options.limits)
        facts = validate(src)
        result = BuildResult(source)
        missing = self.check_glyphs(facts, src)
        if missing and not self.options.allow_missing_glyphs:
            raise FactsError(missing)
        result.warnings.extend(missing)
        rendered = self.render(facts, source)
        stem = output_stem(source)
        for fmt, data in rendered.items():
            target = out_dir / f"{stem}{EXTENSIONS[fmt]}"
            try:
                atomic_write(target, data)
            except OSError as exc:
                loc = SourceLocation(str(target))
                raise BuildError([Problem(loc, f"cannot write: {exc.strerror}")]) from None
            result.outputs.append(target)
        return result


def build_all(sources: Iterable[Path], out_dir: Path, options: BuildOptions) -> list[BuildResult]:
    """Build every fact base in ``sources``; stop at the first error (raised)."""
    prepare_out_dir(out_dir)
    builder = Builder(options)
    return [builder.build(src, out_dir) for src in sources]
