"""The stages for one fact base: load, validate, check glyphs, template, read, write.

A :class:`Builder` holds what a batch shares (template folder, house styles, writers) and
is the only thing that calls every stage. ``reports validate`` and ``reports build`` both
go through :meth:`Builder.check`, so validate says ``ok`` exactly when build would accept
the input.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import gc
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import document as d
from ..errors import FactsError, Problem, SourceLocation, UsageError
from ..model import FactBase, iter_texts, local_files
from ..style import HouseStyle, load_style
from ..writers import WriterInfo
from ..writers.base import Writer
from ..yamlsrc import DEFAULT_LIMITS, Limits, Source, format_path, load_file
from .files import output_stem, sha256_file, shown
from .options import BuildOptions

if TYPE_CHECKING:
    from ..locale import Locale


_KINDS = ("memo", "report", "note")
"""Memo kinds (``memo.kind``), each of which may have house-style files of its own."""


@dataclass(frozen=True, slots=True)
class Checked:
    """A fact base that passed every check, ready to render."""

    source: Path
    facts: tuple[FactBase, ...]
    """One per language to build, main language first."""
    warnings: tuple[Problem, ...]
    """Problems let through by options (``--allow-missing-glyphs``)."""
    multilingual: bool
    """Written in several languages: output names then carry the language."""


class Builder:
    """Builds memos with one template folder and house style, reused across fact bases."""

    def __init__(self, options: BuildOptions) -> None:
        from ..resources import template_dir

        self.options = options
        self.template_dir = template_dir(options.template_dir)
        self._styles: dict[tuple[tuple[Path, ...], str, str], HouseStyle] = {}
        self._writers: dict[tuple[str, tuple[Path, ...], str, str], Writer] = {}
        self.style: HouseStyle = self.style_for(())

    def style_for(
        self, extra: tuple[Path, ...], lang: str = "en", kind: str = "memo"
    ) -> HouseStyle:
        """The house style for ``lang`` and a memo's ``kind``, with ``extra`` files merged
        over the build's overrides."""
        key = (extra, lang, kind)
        if key not in self._styles:
            self._styles[key] = load_style(
                self.template_dir,
                (*self.options.style_overrides, *extra),
                lang,
                kind=kind,
                root=self.options.root,
                # style files are bounded like fact bases, but a cap lowered for testing
                # fact bases must not refuse the shipped house style
                limits=_at_least_defaults(self.options.limits),
            )
        return self._styles[key]

    def writer(
        self, info: WriterInfo, extra: tuple[Path, ...] = (), lang: str = "en", kind: str = "memo"
    ) -> Writer:
        """The writer of ``info`` in the style for ``lang`` and ``kind`` with ``extra``
        merged (made once)."""
        key = (info.name, extra, lang, kind)
        if key not in self._writers:
            style = self.style_for(extra, lang, kind)
            self._writers[key] = info.load()(style, **self.options.writer_options(info))
        return self._writers[key]

    @property
    def embeds_fonts(self) -> bool:
        """Whether a format being built carries its fonts (every glyph must be there)."""
        return any(info.embeds_fonts for info in self.options.writers)

    def extra_styles(self, facts: FactBase, source: Path | None) -> tuple[Path, ...]:
        """The fact base's own style file, found relative to the fact base; () for none."""
        return self._own_style(facts.style, source)

    def _own_style(
        self, name: str | None, source: Path | None, src: Source | None = None
    ) -> tuple[Path, ...]:
        """A fact base's ``style:`` file, relative to the fact base and inside its root.

        Raise :class:`FactsError` at the ``style`` field (with ``src``'s positions) when it
        leads outside: the file is never opened then.
        """
        from ..confine import Escape, resolve_named, root_for

        if name is None:
            return ()
        named_in = source if source is not None else Path.cwd() / "facts.yaml"
        try:
            return (resolve_named(name, named_in, root_for(named_in, self.options.root)),)
        except Escape as exc:
            where = src.locate(("style",)) if src is not None else SourceLocation(str(named_in))
            raise FactsError([Problem(where, str(exc), "style")]) from None

    # ------------------------------------------------------------------ checking

    def check(self, source: Path, data: bytes | None = None) -> Checked:
        """Load ``source``, validate it in each language to build and check its glyphs.

        ``data``, when given, is read as the file's content (an earlier version of it, from
        git). Every problem of every language is raised at once as :class:`FactsError`.
        """
        from ..i18n import languages
        from ..validate import validate
        from ..yamlsrc import load_bytes

        with _no_gc():
            if data is None:
                src = load_file(source, self.options.limits)
            else:
                src = load_bytes(data, str(source), self.options.limits)
        declared = languages(src.data)
        wanted = list(self.options.langs) or declared
        facts: list[FactBase] = []
        problems: list[Problem] = []
        for lang in wanted:
            try:
                fallback = self._language_fallback(src, lang)
                facts.append(validate(src, lang, fallback))
            except FactsError as exc:
                problems.extend(exc.problems)
        problems += self._renderable(src, facts)
        if problems:
            # a problem in a value given once shows in every language: report it once
            raise FactsError(list({str(p): p for p in problems}.values()))
        missing = [p for f in facts for p in self.check_glyphs(f, src)]
        if missing and not self.options.allow_missing_glyphs:
            raise FactsError(missing)
        return Checked(source, tuple(facts), tuple(missing), len(declared) > 1)

    def _renderable(self, src: Source, facts: list[FactBase]) -> list[Problem]:
        """What the build would refuse for these facts beyond the facts themselves: a
        language with no message catalogue, a style file that cannot be used, a bad
        SOURCE_DATE_EPOCH. Checked here so that validate and build agree."""
        from ..errors import StyleError
        from ..resources import catalogue_languages, catalogue_path

        problems: list[Problem] = []
        for f in facts:
            if catalogue_path(self.template_dir, f.lang) is None:
                known = ", ".join(catalogue_languages(self.template_dir))
                problems.append(
                    Problem(
                        src.locate(("lang",)),
                        f"no message catalogue for language '{f.lang}'; memos can be "
                        f"built in {known} (add messages/{f.lang.split('-')[0]}.yaml to a "
                        "template folder for another)",
                        "lang",
                    )
                )
                continue
            try:
                self.style_for(self.extra_styles(f, Path(src.file)), f.lang, f.memo.kind)
            except (StyleError, FactsError) as exc:
                problems.extend(exc.problems)
        if facts:
            build_time(facts[0])  # raises UsageError for a SOURCE_DATE_EPOCH it cannot use
        return problems

    def _language_fallback(self, src: Source, lang: str) -> bool:
        """Whether the styles this fact base is built with (its own included) let a missing
        translation take the main language's text."""
        data = src.data if isinstance(src.data, dict) else {}
        own = data.get("style")
        extra = self._own_style(own if isinstance(own, str) else None, Path(src.file), src)
        memo = data.get("memo")
        kind = memo.get("kind") if isinstance(memo, dict) else None
        return self.style_for(extra, lang, kind if kind in _KINDS else "memo").language_fallback

    def check_glyphs(self, facts: FactBase, src: Source | None = None) -> list[Problem]:
        """Return a problem for each character that no configured font can draw.

        Glyphs matter where fonts are embedded (the PDF); a DOCX names its fonts and the
        reader's Word or LibreOffice supplies them.
        """
        if not self.embeds_fonts:
            return []
        from ..fonts import uncovered

        extra = self.extra_styles(facts, Path(src.file) if src else None)
        style = self.style_for(extra, facts.lang, facts.memo.kind)
        keys = (style.style("body").font, *style.fallback)
        families = ", ".join(dict.fromkeys(style.fonts[k].family for k in keys))
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

    # ------------------------------------------------------------------ rendering

    def document(self, facts: FactBase, source: Path | None = None) -> d.Document:
        """Render the template for ``facts`` and read it into the document model.

        The build, not the template, decides the watermark, the language tag and the time
        stamped into the files.
        """
        from ..reader import read
        from ..templating import TEMPLATE_NAME, locale_for, render

        style = self.style_for(self.extra_styles(facts, source), facts.lang, facts.memo.kind)
        markup = render(
            facts, self.template_dir, date_style=style.date_style, weekday=style.date_weekday
        )
        doc = read(markup, str(self.template_dir / TEMPLATE_NAME))
        locale = locale_for(self.template_dir, facts.lang)
        meta = dataclasses.replace(
            doc.meta,
            lang=locale.tag,
            label_separator=locale.text("label_separator"),
            draft=self.options.draft or facts.memo.status == "draft" or doc.meta.draft,
            timestamp=build_time(facts),
            origin=origin_of(source, facts.version) if source is not None else None,
        )
        blocks = doc.blocks
        if style.logo is not None:
            # the house emblem, where the fact base names none of its own
            alt = _logo_alt(locale, facts.memo.from_)
            blocks = tuple(_with_logo(b, style.logo, alt) for b in blocks)
        return dataclasses.replace(doc, meta=meta, blocks=blocks)

    def render(
        self, facts: FactBase, source: Path | None = None, doc: d.Document | None = None
    ) -> dict[str, bytes]:
        """Return format → file bytes for ``facts``, every format rendered before any is written.

        ``source`` is the fact base's path, against which its own ``style`` file is found;
        ``doc`` is its document when already made (a redline), else it is rendered here.
        """
        return self.render_with_pages(facts, source, doc)[0]

    def render_with_pages(
        self, facts: FactBase, source: Path | None = None, doc: d.Document | None = None
    ) -> tuple[dict[str, bytes], dict[str, int]]:
        """Like :meth:`render`, and also format → page count for the formats that lay out
        pages themselves (``paginates``); a format that does not is absent."""
        with _no_gc():
            extra = self.extra_styles(facts, source)
            doc = self.document(facts, source) if doc is None else doc
            out: dict[str, bytes] = {}
            pages: dict[str, int] = {}
            if any(isinstance(b, d.Toc) for b in doc.blocks):
                # A table of contents shows page numbers: a paginating format lays the memo
                # out first (the one being built, or else one only to count pages).
                from ..writers import REGISTRY

                pager = next((i for i in self.options.writers if i.paginates), None) or next(
                    (i for i in REGISTRY.values() if i.paginates), None
                )
                if pager is not None:
                    writer = self.writer(pager, extra, facts.lang, facts.memo.kind)
                    data = writer.render(doc)
                    if pager in self.options.writers:
                        out[pager.name] = data
                        pages[pager.name] = getattr(writer, "page_count", 0)
                    doc = _with_pages(doc, getattr(writer, "heading_pages", {}))
            for info in self.options.writers:
                if info.name not in out:
                    writer = self.writer(info, extra, facts.lang, facts.memo.kind)
                    out[info.name] = writer.render(doc)
                    if info.paginates:
                        pages[info.name] = getattr(writer, "page_count", 0)
            names = [info.name for info in self.options.writers]
            return {n: out[n] for n in names}, {n: pages[n] for n in names if pages.get(n)}

    def targets(self, source: Path, out_dir: Path, lang: str | None = None) -> dict[str, Path]:
        """Format → output path for ``source`` in ``out_dir`` (``-<lang>`` added if given)."""
        stem = output_stem(source) + (f"-{lang}" if lang else "")
        return {info.name: out_dir / f"{stem}{info.extension}" for info in self.options.writers}

    def inputs(self, source: Path, facts: FactBase | None) -> dict[str, str]:
        """Path → sha256 of every file this memo's bytes depend on."""
        from ..fonts import needs_fallback
        from ..resources import catalogue_path
        from ..templating import TEMPLATE_NAME

        files = [source, self.template_dir / TEMPLATE_NAME]
        catalogue = catalogue_path(self.template_dir, facts.lang) if facts is not None else None
        if catalogue is not None:
            files.append(catalogue)
        extra = self.extra_styles(facts, source) if facts is not None else ()
        style = (
            self.style_for(extra, facts.lang, facts.memo.kind)
            if facts is not None
            else self.style_for(extra)
        )
        files += [Path(f) for f in style.origin]
        if self.embeds_fonts:
            # The style's own fonts, and the fallback fonts only if some fact needs one: an
            # unused fallback font cannot change the files' bytes.
            used = {style.styles[s].font for s in style.styles}
            body = style.style("body").font
            if facts is not None and any(
                needs_fallback(text, style, body) for _path, text in iter_texts(facts)
            ):
                used |= set(style.fallback)
            files += sorted({p for key in used for p in style.fonts[key].files.values()})
        for info in self.options.writers:
            files += [v for v in self.options.writer_options(info).values() if isinstance(v, Path)]
        if style.logo is not None:
            files.append(style.logo)
        if facts is not None:
            files += [f.path for f in local_files(facts)]
        return {shown(f): sha256_file(f) for f in files if Path(f).is_file()}


def _logo_alt(locale: Locale, organisation: str) -> str:
    try:
        return str(locale.text("logo_alt")).replace("{org}", organisation)
    except KeyError:
        return organisation


def _with_logo(block: d.Block, path: Path, alt: str) -> d.Block:
    if not isinstance(block, d.TitleBlock) or block.logo is not None:
        return block
    from ..images import inspect

    info = inspect(path)  # checked when the style was read; the size is needed here
    return dataclasses.replace(block, logo=d.Image(str(path), info.width, info.height, alt))


def _with_pages(doc: d.Document, pages: dict[str, int]) -> d.Document:
    """``doc`` with the page of each heading in its tables of contents."""
    listed = tuple(sorted(pages.items()))
    blocks = tuple(
        dataclasses.replace(b, pages=listed) if isinstance(b, d.Toc) else b for b in doc.blocks
    )
    return dataclasses.replace(doc, blocks=blocks)


def _at_least_defaults(limits: Limits) -> Limits:
    pairs = zip(astuple(limits), astuple(DEFAULT_LIMITS), strict=True)
    return Limits(*(max(a, b) for a, b in pairs))


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


def origin_of(source: Path, schema: int, data: bytes | None = None) -> d.Origin | None:
    """What a document records of the fact base at ``source`` (read unless ``data`` is
    given); ``None`` when it cannot be read. Its path is taken from its repository's root,
    so the record is the same on every machine and from every working folder."""
    import hashlib

    from ..confine import repository_root

    try:
        raw = source.read_bytes() if data is None else data
        where = Path(os.path.abspath(source))
        name = where.relative_to(repository_root(where.parent)).as_posix()
    except (OSError, ValueError):
        return None
    blob = hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()
    return d.Origin(name, hashlib.sha256(raw).hexdigest(), blob, schema)


def build_time(facts: FactBase) -> _dt.datetime:
    """The time stamped into files: ``SOURCE_DATE_EPOCH`` if set, else the memo's date (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got '{epoch}'"
            ) from None
    day = facts.memo.date.as_date()
    return _dt.datetime.combine(day, _dt.time(), tzinfo=_dt.timezone.utc)
