"""Run the stages: load, validate, template, read, write. The only module calling them all."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import gc
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import document as d
from .errors import (
    EXIT_BUILD_FAILED,
    BuildError,
    FactsError,
    Problem,
    ReportError,
    SourceLocation,
    UsageError,
)
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
    langs: tuple[str, ...] = ()
    """Languages to build; ``()``: every language each fact base is written in."""


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
            # A fact base's own style file may sit beside it, named *.style.yaml.
            found.extend(
                sorted(
                    x
                    for x in path.iterdir()
                    if x.suffix in (".yaml", ".yml") and not x.stem.endswith(".style")
                )
            )
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


def atomic_write_all(files: dict[Path, bytes]) -> None:
    """Write several files so that none is replaced unless all were written in full.

    Every file goes to a temporary file beside its target first; only when all are on
    disk are they moved into place, so a full disk or an unwritable target leaves the
    previous PDF and DOCX as a matching pair. Raise :class:`BuildError` on failure.
    """
    for path in files:
        if path.exists() and not path.is_file():  # os.replace would fail only half-way
            loc = SourceLocation(str(path))
            raise BuildError([Problem(loc, "cannot write: it is a folder or special file")])
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                staged.append((tmp, path))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
            except OSError as exc:
                loc = SourceLocation(str(path))
                raise BuildError([Problem(loc, f"cannot write: {exc.strerror}")]) from None
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                loc = SourceLocation(str(path))
                raise BuildError([Problem(loc, f"cannot write: {exc.strerror}")]) from None
    finally:
        for tmp, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


class Builder:
    """Builds memos with one template folder and house style, reused across fact bases."""

    def __init__(self, options: BuildOptions) -> None:
        from .templating import template_dir

        self.options = options
        self.template_dir = template_dir(options.template_dir)
        self._styles: dict[tuple[tuple[Path, ...], str], HouseStyle] = {}
        self._writers: dict[tuple[str, tuple[Path, ...], str], object] = {}
        self.style: HouseStyle = self.style_for(())

    def style_for(self, extra: tuple[Path, ...], lang: str = "en") -> HouseStyle:
        """The house style for ``lang``, with ``extra`` files merged over the build's overrides."""
        key = (extra, lang)
        if key not in self._styles:
            self._styles[key] = load_style(
                self.template_dir, (*self.options.style_overrides, *extra), lang
            )
        return self._styles[key]

    def writer(self, fmt: str, extra: tuple[Path, ...] = (), lang: str = "en") -> object:
        """The writer for ``fmt`` in the style for ``lang`` with ``extra`` merged in (made once)."""
        key = (fmt, extra, lang)
        if key not in self._writers:
            kwargs = {}
            if fmt == "docx" and self.options.reference_docx is not None:
                kwargs["reference_docx"] = self.options.reference_docx
            self._writers[key] = writer_class(fmt)(self.style_for(extra, lang), **kwargs)
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

        extra = self.extra_styles(facts, Path(src.file) if src else None)
        style = self.style_for(extra, facts.lang)
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
        with _no_gc():
            return self._render(facts, source)

    def _render(self, facts: FactBase, source: Path | None) -> dict[str, bytes]:
        extra = self.extra_styles(facts, source)
        doc = self.document(facts)
        doc = dataclasses.replace(
            doc, meta=dataclasses.replace(doc.meta, timestamp=build_time(doc))
        )
        out: dict[str, bytes] = {}
        for fmt in self.options.formats:
            writer = self.writer(fmt, extra, facts.lang)
            out[fmt] = writer.render(doc)  # type: ignore[attr-defined]
        return out

    def prepare(self, source: Path) -> tuple[list[FactBase], list[Problem], bool]:
        """Load and validate ``source`` in each language to build, and check its glyphs.

        Return the fact bases (one per language), warnings, and whether the fact base is
        written in several languages (then output names carry the language). Every problem
        of every language is raised at once.
        """
        from .i18n import languages
        from .validate import validate

        with _no_gc():
            src = load_file(source, self.options.limits)
        declared = languages(src.data)
        wanted = list(self.options.langs) or declared
        multi = len(declared) > 1
        facts: list[FactBase] = []
        problems: list[Problem] = []
        for lang in wanted:
            try:
                fallback = self.style_for((), lang).language_fallback
                facts.append(validate(src, lang, fallback))
            except FactsError as exc:
                problems.extend(exc.problems)
        if problems:
            raise FactsError(problems)
        # Glyphs matter where fonts are embedded: the PDF. A DOCX names its fonts and the
        # reader's Word or LibreOffice supplies them (and a DOCX-only build needs no ReportLab).
        pdf = "pdf" in self.options.formats
        missing = [p for f in facts for p in self.check_glyphs(f, src)] if pdf else []
        if missing and not self.options.allow_missing_glyphs:
            raise FactsError(missing)
        return facts, missing, multi

    def targets(self, source: Path, out_dir: Path, lang: str | None = None) -> dict[str, Path]:
        """Format → output path for ``source`` in ``out_dir`` (``-<lang>`` added if given)."""
        stem = output_stem(source) + (f"-{lang}" if lang else "")
        return {fmt: out_dir / f"{stem}{EXTENSIONS[fmt]}" for fmt in self.options.formats}

    def inputs(self, source: Path, facts: FactBase | None) -> dict[str, str]:
        """Path → sha256 of every file this memo's bytes depend on."""
        from .templating import TEMPLATE_NAME, catalogue_path

        files = [source, self.template_dir / TEMPLATE_NAME]
        catalogue = catalogue_path(self.template_dir, facts.lang) if facts is not None else None
        if catalogue is not None:
            files.append(catalogue)
        extra = self.extra_styles(facts, source) if facts is not None else ()
        style = self.style_for(extra, facts.lang if facts is not None else "en")
        files += [Path(f) for f in style.origin.split(", ")]
        from .fonts import needs_fallback

        # The style's own fonts, and the fallback fonts only if some fact needs one: an
        # unused fallback font cannot change the files' bytes.
        used = {style.styles[s].font for s in style.styles}
        body = style.style("body").font
        if "pdf" not in self.options.formats:
            used = set()  # only the PDF embeds font files; a DOCX names its fonts
        elif facts is not None and any(
            needs_fallback(text, style, body) for _path, text in iter_texts(facts)
        ):
            used |= set(style.fallback)
        files += sorted({p for key in used for p in style.fonts[key].files.values()})
        if self.options.reference_docx is not None and "docx" in self.options.formats:
            files.append(self.options.reference_docx)
        return {_shown(f): sha256_file(f) for f in files if Path(f).is_file()}


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a memo is laid out.

    Layout allocates millions of small objects that live until the file is written; the
    collector's full passes over that growing heap made a 50,000-row timeline cost more per
    row than a 1,000-row one. Memory is reclaimed when the collector resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_time(doc: d.Document) -> _dt.datetime:
    """The time stamped into files: ``SOURCE_DATE_EPOCH`` if set, else the memo's date (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got '{epoch}'"
            ) from None
    day = doc.meta.date or _dt.date(2000, 1, 1)
    return _dt.datetime.combine(day, _dt.time(), tzinfo=_dt.timezone.utc)


def _shown(path: Path) -> str:
    """A path relative to the working folder when inside it, so manifests travel."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------- batches

Status = Literal["built", "failed", "up-to-date", "stale"]


@dataclass(slots=True)
class MemoResult:
    """What happened to one fact base in a batch; plain data, so it crosses processes."""

    source: str
    status: Status
    outputs: list[dict[str, object]] = field(default_factory=list)
    """One entry per file: format, path, file (name inside the output folder), sha256, bytes."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Path → sha256 of each input file."""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    """With ``--check``: ``missing: path`` or ``stale: path`` lines."""
    exit_code: int = 0


def process(builder: Builder, source: Path, out_dir: Path, check: bool = False) -> MemoResult:
    """Build (or, with ``check``, compare) one fact base; expected errors become the result."""
    try:
        all_facts, warnings, multi = builder.prepare(source)
        result = MemoResult(str(source), "built", warnings=[f"{w} (warning)" for w in warnings])
        rendered = {}
        # Render every language and format before writing any, so nothing is half-built.
        for facts in all_facts:
            targets = builder.targets(source, out_dir, facts.lang if multi else None)
            files = builder.render(facts, source)
            rendered.update({targets[fmt]: (fmt, data) for fmt, data in files.items()})
        if not check:
            atomic_write_all({target: data for target, (_fmt, data) in rendered.items()})
        for target, (fmt, data) in rendered.items():
            if check:
                if not target.is_file():
                    result.stale.append(f"missing: {target}")
                elif target.read_bytes() != data:
                    result.stale.append(f"stale: {target}")
            result.outputs.append(
                {
                    "format": fmt,
                    "path": str(target),
                    "file": target.name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "bytes": len(data),
                }
            )
        if check:
            result.status = "stale" if result.stale else "up-to-date"
            result.exit_code = EXIT_BUILD_FAILED if result.stale else 0
        for facts in all_facts:
            result.inputs.update(builder.inputs(source, facts))
        return result
    except ReportError as exc:
        return MemoResult(
            str(source),
            "failed",
            errors=exc.lines(),
            exit_code=exc.exit_code,
            inputs={str(source): sha256_file(source)} if source.is_file() else {},
        )


def _refuse_collisions(sources: Sequence[Path]) -> None:
    """Raise :class:`UsageError` when two fact bases would write the same output files.

    ``x.yaml`` and ``x.yml`` share a name; so may ``memo.yaml`` written in several languages
    (``memo-en.pdf``) and a ``memo-en.yaml`` beside it.
    """
    by_stem: dict[str, list[Path]] = {}
    for src in dict.fromkeys(sources):
        by_stem.setdefault(output_stem(src), []).append(src)
    clashes = [paths for paths in by_stem.values() if len(paths) > 1]
    for stem, paths in by_stem.items():
        base, _, suffix = stem.rpartition("-")
        if base in by_stem and re.fullmatch(r"[a-z]{2,3}", suffix):
            # Only a clash if the other fact base is written in several languages,
            # including this suffix (then it writes <base>-<suffix>.pdf itself).
            from .i18n import languages

            try:
                declared = languages(load_file(by_stem[base][0]).data)
            except ReportError:
                continue  # reported when that fact base is built
            if len(declared) > 1 and suffix in declared:
                clashes.append([*by_stem[base], *paths])
    if clashes:
        pairs = "; ".join(" and ".join(str(p) for p in paths) for paths in clashes)
        raise UsageError(f"these fact bases would write the same output files: {pairs}; rename one")


_worker: Builder | None = None


def _init_worker(options: BuildOptions) -> None:
    global _worker
    _worker = Builder(options)


def _work(task: tuple[Path, Path, bool]) -> MemoResult:
    assert _worker is not None
    return process(_worker, *task)


def run_batch(
    sources: Sequence[Path],
    out_dir: Path,
    options: BuildOptions,
    *,
    jobs: int = 1,
    check: bool = False,
    on_result: Callable[[MemoResult], None] | None = None,
) -> list[MemoResult]:
    """Build or check every fact base, in ``jobs`` processes; one failure stops none of the rest.

    The template and house style are loaded first, in this process, so that a broken one is
    reported once (as a raised :class:`ReportError`) instead of once per fact base.
    """
    builder = Builder(options)
    _refuse_collisions(sources)
    if not check:
        prepare_out_dir(out_dir)
    results: list[MemoResult] = []
    tasks = [(src, out_dir, check) for src in sources]
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(process(builder, *task))
            if on_result:
                on_result(results[-1])
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the imported modules and loaded fonts with the workers (Linux, macOS).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, len(tasks) // (jobs * 8))
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(options,)
    ) as pool:
        for result in pool.map(_work, tasks, chunksize=chunk):
            results.append(result)
            if on_result:
                on_result(result)
    return results


MANIFEST_NAME = "manifest.json"


def write_manifest(out_dir: Path, results: Sequence[MemoResult], options: BuildOptions) -> Path:
    """Record every memo's inputs and outputs with sha256 in ``out_dir/manifest.json``.

    Entries for fact bases not built this time are kept, so building one memo does not
    forget the others. The file has no time stamp: equal builds give an equal manifest.
    """
    from . import __version__

    path = out_dir / MANIFEST_NAME
    memos: dict[str, object] = {}
    if path.is_file():
        with contextlib.suppress(ValueError, OSError, AttributeError, TypeError, KeyError):
            old = json.loads(path.read_text("utf-8"))
            memos.update({m["source"]: m for m in old.get("memos", [])})
    for r in results:
        memos[_shown(Path(r.source))] = {
            "source": _shown(Path(r.source)),
            "status": r.status,
            "inputs": dict(sorted(r.inputs.items())),
            # names relative to the manifest, so a copied output folder stays valid
            "outputs": [{k: v for k, v in o.items() if k != "path"} for o in r.outputs],
            "warnings": r.warnings,
            "errors": r.errors,
        }
    from importlib.metadata import PackageNotFoundError, version

    def dependency(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    manifest = {
        "tool": "reports",
        "version": __version__,
        # the libraries that write the bytes: equal inputs give equal files with these
        "dependencies": {n: dependency(n) for n in ("reportlab", "python-docx", "jinja2")},
        "settings": {
            "formats": list(options.formats),
            "template_dir": str(options.template_dir) if options.template_dir else None,
            "styles": [str(s) for s in options.style_overrides],
            "reference_docx": str(options.reference_docx) if options.reference_docx else None,
            "draft": options.draft,
            "allow_missing_glyphs": options.allow_missing_glyphs,
            "langs": list(options.langs),
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH") or None,
        },
        "memos": [memos[k] for k in sorted(memos)],
    }
    atomic_write(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return path
