"""The house style: page, fonts, colours and named paragraph styles, shared by every writer."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .errors import FactsError, Problem, SourceLocation, StyleError
from .layout import MM, SectionNumbers
from .locale import DateStyle
from .yamlsrc import DEFAULT_LIMITS, Limits, Source, load_file

STYLE_NAME = "house-style.yaml"
"""The house-style file a template directory contains."""

Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Variant = Literal["regular", "bold", "italic", "bold_italic"]
_VARIANTS: tuple[Variant, ...] = ("regular", "bold", "italic", "bold_italic")
Emphasis = Literal["italic", "underline", "plain"]
MAX_PARENT_DEPTH = 32
"""Longest chain of ``parent`` styles; a real house style needs three or four."""


def _plain(value: str) -> str:
    # Style text reaches XML (font names, the bullet mark): no control characters.
    if not value.isprintable():
        raise ValueError("must not contain control characters")
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_plain)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class Margins(_Strict):
    """Millimetres; each at most 80, so a text block is always left on the page."""

    top: float = Field(gt=0, le=80)
    bottom: float = Field(gt=0, le=80)
    left: float = Field(gt=0, le=80)
    right: float = Field(gt=0, le=80)


class PageSpec(_Strict):
    size: Literal["A4", "letter"] = "A4"
    margin: Margins
    first_page_furniture: bool = True


class FontFiles(_Strict):
    regular: Name
    bold: Name | None = None
    italic: Name | None = None
    bold_italic: Name | None = None


class FontSpec(_Strict):
    family: Name
    docx: Name | None = None
    files: FontFiles
    required: bool = True
    """False for fallback fonts: a missing one is skipped, and only text needing it fails."""
    east_asian: bool = False
    """The font draws Hangul (or other East Asian text) itself: Word sets the East Asian
    text of styles in this font in it too, rather than in the house style's ``east_asian``."""


class TableSpec(_Strict):
    padding: float = Field(4, ge=0, le=20)
    rule: float = Field(0.5, ge=0, le=5)


class ChartSpec(_Strict):
    """How charts look; every field has a default, so older style files need no changes."""

    colors: list[Name] = Field(
        ["accent", "#5b8fc7", "#d98c3f", "#6aa36f", "#8c6bb1", "#c2504b", "#7f8a96"],
        min_length=1,
        max_length=12,
    )
    """Series colours in order (slices of a pie too), each a name in colors or #rrggbb."""
    font_size: float = Field(8, ge=4, le=24)
    """Axis labels, values and the legend, in points."""
    title_size: float = Field(10, ge=4, le=36)
    grid: Name = "rule"
    """Colour of the value axis's grid lines and the axes."""
    aspect: float = Field(0.55, ge=0.2, le=1.5)
    """Height over width of a bar, column or line chart of a few categories."""
    band: Name = "#eef2f7"
    """Colour of a timeline chart's time axis, the band holding its labels."""


class StyleSpec(_Strict):
    parent: str | None = None
    font: str | None = None
    size: float | None = Field(None, gt=0, le=200)
    leading: float | None = Field(None, gt=0, le=300)
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None
    space_before: float | None = Field(None, ge=0, le=200)
    space_after: float | None = Field(None, ge=0, le=200)
    align: Literal["left", "right", "center", "justify"] | None = None


Mark = Annotated[str, StringConstraints(min_length=1, max_length=2), AfterValidator(_plain)]


class LogoSpec(_Strict):
    file: Name | None = None
    """An emblem for the first page of every memo (PNG or JPEG, relative to the style
    file that names it); a fact base's ``memo.logo`` takes its place."""
    width: float = Field(25, gt=0, le=200)
    """Width of the logo, in millimetres."""


class StyleFile(_Strict):
    page: PageSpec
    fonts: dict[str, FontSpec] = Field(min_length=1)
    colors: dict[str, Color]
    table: TableSpec = TableSpec(padding=4, rule=0.5)
    chart: ChartSpec = Field(default_factory=lambda: ChartSpec.model_validate({}))
    fallback: list[str] = []
    east_asian: str | None = None
    bullet: Annotated[str, AfterValidator(_plain)] = Field("\u2022", min_length=1, max_length=2)
    bullets: list[Mark] | None = Field(None, min_length=1, max_length=9)
    """Markers per nesting level of bulleted lists (the last repeats); ``bullet`` alone
    sets the first level."""
    logo: LogoSpec | None = None
    language_fallback: bool = False
    section_numbers: SectionNumbers = "none"
    emphasis: Emphasis = "italic"
    date_style: DateStyle = "long"
    date_weekday: bool = False
    title_box: bool = False
    clearance: Literal["table", "approval_box"] = "table"
    styles: dict[str, StyleSpec]


@dataclass(frozen=True, slots=True)
class ChartLook:
    """How charts look, colours resolved to ``#rrggbb``."""

    colors: tuple[str, ...] = (
        "#1f3a5f", "#5b8fc7", "#d98c3f", "#6aa36f", "#8c6bb1", "#c2504b", "#7f8a96",
    )  # fmt: skip
    """Series colours, in order; repeated when a chart has more series."""
    font_size: float = 8
    title_size: float = 10
    grid: str = "#b8c2cf"
    aspect: float = 0.55
    """Height over width of a bar, column or line chart of a few categories."""
    band: str = "#eef2f7"
    """A timeline chart's time axis (the band holding its labels)."""

    def color(self, index: int) -> str:
        """The colour of series (or slice) ``index``."""
        return self.colors[index % len(self.colors)]


@dataclass(frozen=True, slots=True)
class ParaStyle:
    """A fully resolved paragraph style (no parent, no missing values)."""

    name: str
    font: str
    """Key into :attr:`HouseStyle.fonts`."""
    size: float
    leading: float
    bold: bool
    italic: bool
    color: str
    """``#rrggbb``."""
    space_before: float
    space_after: float
    align: Literal["left", "right", "center", "justify"]


@dataclass(frozen=True, slots=True)
class Font:
    """A font family with the TrueType file of each variant it has."""

    key: str
    family: str
    docx_name: str
    files: dict[str, Path]
    """Variant (regular, bold, italic, bold_italic) → file; missing variants fall back."""
    east_asian: bool = False
    """It draws East Asian text itself (see :class:`FontSpec`)."""

    def file(self, variant: Variant) -> Path:
        if variant in self.files:
            return self.files[variant]
        if variant == "bold_italic" and "bold" in self.files:
            return self.files["bold"]
        return self.files["regular"]


@dataclass(frozen=True, slots=True)
class HouseStyle:
    """Everything a writer needs to know about appearance."""

    page_size: tuple[float, float]
    """Width and height in points."""
    margins: tuple[float, float, float, float]
    """Top, right, bottom, left in points."""
    first_page_furniture: bool
    fonts: dict[str, Font]
    colors: dict[str, str]
    table_padding: float
    table_rule: float
    styles: dict[str, ParaStyle]
    fallback: tuple[str, ...]
    """Font keys tried, in order, for characters a style's own font lacks (e.g. Hangul)."""
    east_asian: str | None
    """Font key for the DOCX East Asian font slot (Hangul, CJK); ``None``: the body font."""
    bullets: tuple[str, ...]
    """Marks of bulleted list items, per nesting level; the last repeats (Korean reports
    use □, ○, -, ·)."""
    logo: Path | None
    """The house emblem shown above the title, if any (checked to be PNG or JPEG)."""
    logo_width: float
    """Width of the logo, in points."""
    language_fallback: bool
    """A field missing in the memo's language may take the fact base's main language text."""
    section_numbers: SectionNumbers
    """How level-1 headings are numbered: ``none``, ``roman`` (Ⅰ, Ⅱ) or ``decimal``."""
    emphasis: Emphasis
    """How emphasised text looks: ``italic``, ``underline``, or ``plain`` (scripts such as
    Hangul that have no italic face)."""
    date_style: DateStyle
    """``long`` dates (13 February 2024) or the language's ``official`` form."""
    date_weekday: bool
    """Days carry their weekday (Monday 12 January 2026), where the language has a form."""
    title_box: bool
    """The title is set in a ruled box (a Korean report's 제목 상자)."""
    clearance: Literal["table", "approval_box"]
    """``table``: a "Cleared by" table where the template puts it; ``approval_box``: a
    결재/협조 box at the top right of the first page."""
    origin: tuple[str, ...]
    """Files the style was read from, base first, for messages and the build manifest."""
    chart: ChartLook = ChartLook()
    """How charts look."""

    @property
    def origin_file(self) -> str:
        """The file a user edits to change the style: the last one merged."""
        return self.origin[-1]

    def style(self, name: str) -> ParaStyle:
        """Return the named style; an unknown name is a bug in a writer or template."""
        try:
            return self.styles[name]
        except KeyError:
            raise StyleError(
                [
                    Problem(
                        SourceLocation(self.origin_file),
                        f"no style named '{name}' in the house style",
                    )
                ]
            ) from None

    def color(self, value: str) -> str:
        """Resolve a colour name from ``colors`` or pass a ``#rrggbb`` through."""
        return self.colors.get(value, value)


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return over


def load_style(
    template_dir: Path,
    overrides: list[str | Path] | tuple[str | Path, ...] = (),
    lang: str = "en",
    *,
    kind: str = "memo",
    root: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> HouseStyle:
    """Read ``house-style.yaml`` from ``template_dir`` and deep-merge ``overrides`` over it.

    A ``house-style.<lang>.yaml`` beside it (or the base language's, ``ko`` for ``ko-KR``)
    is merged first, so each language can have its own fonts and spacing; for a memo
    ``kind`` other than ``memo``, ``house-style.<kind>.yaml`` and
    ``house-style.<lang>.<kind>.yaml`` after it (a Korean report's Myeongjo body face). Font files a
    style names by path must lie inside ``root`` (default: the style file's repository;
    see :mod:`.confine`); style files are read under the same ``limits`` as fact bases.
    Problems never quote a style file's values: it may be any file, named by anyone.
    """
    from .validate import validate_model  # validate imports pydantic models; keep start-up lean

    base_file = template_dir / STYLE_NAME
    if not base_file.is_file():
        # A user's template folder may hold only the wording; the look is then the default.
        from .resources import default_templates

        base_file = default_templates() / STYLE_NAME
    sources: list[Source] = []
    folder = base_file.parent
    names = list(dict.fromkeys((lang.split("-")[0], lang)))
    if kind != "memo":
        names = [kind, *names, *(f"{n}.{kind}" for n in names)]
    for name in reversed(names):
        per_language = folder / f"house-style.{name}.yaml"
        if per_language.is_file():
            overrides = (per_language, *overrides)
    try:
        sources.append(load_file(base_file, limits))
        sources.extend(load_file(p, limits) for p in overrides)
    except FactsError as exc:  # the YAML layer speaks of facts; this is a style file
        raise StyleError(exc.problems) from None
    merged: Any = {}
    for src in sources:
        if not isinstance(src.data, dict):
            raise StyleError([Problem(src.locate(()), "a style file must be a mapping")])
        merged = _merge(merged, src.data)
    # Errors point at the last file that set the field, which is what the user edits.
    combined = Source(sources[-1].file, merged)
    for src in sources:
        combined.value_marks.update(src.value_marks)
        combined.key_marks.update(src.key_marks)
    try:
        spec = validate_model(combined, StyleFile, quote=False)
    except FactsError as exc:
        raise StyleError(exc.problems) from None

    def named_in(path: tuple[str, ...]) -> Path:
        """The style file that set the value at ``path`` (the last one merged wins)."""
        for src in reversed(sources):
            node: Any = src.data
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            if node is not None:
                return Path(src.file)
        return Path(sources[-1].file)

    folders = [Path(s.file).parent for s in reversed(sources)]
    origin = tuple(s.file for s in sources)
    return _resolve(spec, folders, origin, named_in, root)  # type: ignore[arg-type]


def _resolve(
    spec: StyleFile,
    folders: list[Path],
    origin: tuple[str, ...],
    named_in: Callable[[tuple[str, ...]], Path],
    root: Path | None,
) -> HouseStyle:
    from .confine import Escape, resolve_named, root_for

    problems: list[str] = []
    fonts: dict[str, Font] = {}
    for key, font in spec.fonts.items():
        files: dict[str, Path] = {}
        for variant in _VARIANTS:
            name = getattr(font.files, variant)
            if name is None:
                continue
            field = f"fonts.{key}.files.{variant}"
            found: Path | None
            if os.sep in name or "/" in name or name.startswith("~") or os.path.isabs(name):
                # a path: relative to the style file that names it, inside its repository
                style_file = named_in(("fonts", key, "files", variant))
                try:
                    found = resolve_named(name, style_file, root_for(style_file, root))
                except Escape as exc:
                    problems.append(f"{field}: {exc}")
                    continue
                found = found if found.is_file() else None
            else:
                found = find_font_file(name, font.family, variant, tuple(folders))
            if found is not None:
                trouble = _font_file_problem(found)
                if trouble:
                    problems.append(f"{field}: {found.name} {trouble}")
                    continue
            if found is None and not font.required:
                break
            if found is None:
                problems.append(
                    f"{field}: cannot find font file '{name}' "
                    f"(family {font.family}); install it (Debian: fonts-liberation2 for "
                    "Liberation, fonts-nanum for Nanum) or give the path to a .ttf file"
                )
            else:
                files[variant] = found
        if "regular" in files:
            fonts[key] = Font(key, font.family, font.docx or font.family, files, font.east_asian)
    for key in spec.fallback:
        if key not in spec.fonts:
            problems.append(f"fallback: '{key}' is not in fonts")
    if spec.east_asian is not None and spec.east_asian not in spec.fonts:
        problems.append(f"east_asian: '{spec.east_asian}' is not in fonts")
    styles: dict[str, ParaStyle] = {}
    merged: dict[str, _Inherited] = {}
    for name in spec.styles:
        values, _depth = _inherit(name, spec, merged)
        try:
            if isinstance(values, ValueError):
                raise values
            styles[name] = _finish_style(name, values, spec)
        except ValueError as exc:
            problems.append(f"styles.{name}: {exc}")
    chart_colors: list[str] = []
    named = len(spec.chart.colors)
    for i, name in enumerate([*spec.chart.colors, spec.chart.grid, spec.chart.band]):
        color = spec.colors.get(name, name)
        field = f"chart.colors[{i}]" if i < named else ("chart.grid", "chart.band")[i - named]
        if re.fullmatch("#[0-9a-fA-F]{6}", color) is None:
            problems.append(f"{field}: neither #rrggbb nor a name in colors")
        chart_colors.append(color)
    if problems:
        raise StyleError([Problem(SourceLocation(origin[-1]), p) for p in problems])
    logo = None
    if spec.logo is not None and spec.logo.file is not None:
        from .confine import Escape, resolve_named, root_for
        from .images import ImageError, inspect

        style_file = named_in(("logo", "file"))
        try:
            logo = resolve_named(spec.logo.file, style_file, root_for(style_file, root))
            inspect(logo)
        except (Escape, ImageError) as exc:
            raise StyleError(
                [Problem(SourceLocation(str(style_file)), f"logo.file: {exc}")]
            ) from None
    page = (595.2756, 841.8898) if spec.page.size == "A4" else (612.0, 792.0)
    m = spec.page.margin
    room = page[1] - (m.top + m.bottom) * MM
    tall = [
        f"styles.{name}: a line is {s.leading + s.space_before + s.space_after:g} pt tall "
        f"with its spacing; the text area is {room:.0f} pt tall, so at most {room / 4:.0f} "
        "pt leaves room for what must follow it"
        for name, s in styles.items()
        if s.leading + s.space_before + s.space_after > room / 4
    ]
    if tall:  # found here, so validate refuses it too, not only the PDF's layout
        raise StyleError([Problem(SourceLocation(origin[-1]), p) for p in tall])
    return HouseStyle(
        page_size=page,
        margins=(m.top * MM, m.right * MM, m.bottom * MM, m.left * MM),
        first_page_furniture=spec.page.first_page_furniture,
        fonts=fonts,
        colors=dict(spec.colors),
        table_padding=spec.table.padding,
        table_rule=spec.table.rule,
        styles=styles,
        fallback=tuple(k for k in spec.fallback if k in fonts),
        east_asian=spec.east_asian if spec.east_asian in fonts else None,
        bullets=tuple(spec.bullets or (spec.bullet, "\u2013", "\u00b7")),
        logo=logo,
        logo_width=(spec.logo.width if spec.logo else 25) * MM,
        language_fallback=spec.language_fallback,
        section_numbers=spec.section_numbers,
        emphasis=spec.emphasis,
        date_style=spec.date_style,
        date_weekday=spec.date_weekday,
        title_box=spec.title_box,
        clearance=spec.clearance,
        origin=origin,
        chart=ChartLook(
            colors=tuple(chart_colors[:-2]),
            font_size=spec.chart.font_size,
            title_size=spec.chart.title_size,
            grid=chart_colors[-2],
            aspect=spec.chart.aspect,
            band=chart_colors[-1],
        ),
    )


_Inherited = tuple[dict[str, Any] | ValueError, int]
"""A style's merged values (or why it has none) and the length of its parent chain."""


def _inherit(name: str, spec: StyleFile, done: dict[str, _Inherited]) -> _Inherited:
    """The values ``name`` sets or inherits; each style is merged once (linear in styles).

    A style's values are its parent's, updated with its own; ``done`` memoises every style
    on the way, so a long chain of parents costs one pass, not one pass per style.
    """
    chain: list[str] = []
    seen: set[str] = set()
    current: str | None = name
    base: _Inherited = ({}, 0)
    while current is not None:
        if current in done:
            base = done[current]
            break
        if current in seen:
            base = (ValueError(f"parent chain loops back to '{current}'"), 0)
            break
        if current not in spec.styles:
            base = (ValueError(f"parent '{current}' is not a style"), 0)
            break
        seen.add(current)
        chain.append(current)
        current = spec.styles[current].parent
    for link in reversed(chain):
        values, depth = base
        if depth >= MAX_PARENT_DEPTH:
            values = ValueError(f"more than {MAX_PARENT_DEPTH} styles in its chain of parents")
        if not isinstance(values, ValueError):
            own = {k: v for k, v in spec.styles[link].model_dump().items() if v is not None}
            values = {**values, **own}
        base = done[link] = (values, depth + 1)
    return done.get(name, base)


def _finish_style(name: str, values: dict[str, Any], spec: StyleFile) -> ParaStyle:
    for needed in ("font", "size", "color"):
        if needed not in values:
            raise ValueError(f"no {needed} set, on the style or its parents")
    if values["font"] not in spec.fonts:
        raise ValueError(f"font '{values['font']}' is not in fonts")
    if not spec.fonts[values["font"]].required:
        raise ValueError(f"font '{values['font']}' is optional; a style's font must be required")
    color = values["color"]
    color = spec.colors.get(color, color)
    if not (isinstance(color, str) and len(color) == 7 and color.startswith("#")):
        raise ValueError(f"colour '{values['color']}' is neither #rrggbb nor a name in colors")
    size = float(values["size"])
    return ParaStyle(
        name=name,
        font=values["font"],
        size=size,
        leading=float(values.get("leading", size * 1.3)),
        bold=bool(values.get("bold", False)),
        italic=bool(values.get("italic", False)),
        color=color,
        space_before=float(values.get("space_before", 0)),
        space_after=float(values.get("space_after", 0)),
        align=values.get("align", "left"),
    )


MAX_FONT_BYTES = 64 * 1024 * 1024
"""Largest font file accepted (the largest CJK TrueType fonts are about 30 MB)."""


def _font_file_problem(path: Path) -> str:
    """Why ``path`` cannot be a TrueType font ReportLab embeds; empty if it may be one.

    Checked from the file's size and first bytes only: the font is parsed when first used,
    and a parse failure then is reported too (see :func:`fonts.ttfont`).
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "is not a regular file"
        if info.st_size > MAX_FONT_BYTES:
            return f"is {info.st_size:,} bytes, over the limit of {MAX_FONT_BYTES:,} for a font"
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if magic not in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
        return (
            "is not a TrueType (.ttf) font; OpenType-CFF (.otf) and other formats cannot "
            "be embedded by ReportLab"
        )
    return ""


_MAX_DEPTH = 4
"""Folders below a font folder that are searched."""
_MAX_FILES = 20_000
"""Files a font folder's search looks at, at most."""


def _font_dirs(extra: tuple[Path, ...]) -> list[tuple[Path, Path | None]]:
    """Folders searched for a font named by file name, each with the root it must stay in
    (``None`` for the user's and the system's own font folders)."""
    from .confine import repository_root

    home = Path.home()
    cwd = Path.cwd()
    dirs: list[tuple[Path, Path | None]] = []
    for folder in extra:
        root = repository_root(folder)
        dirs += [(folder, root), (folder / "fonts", root)]
    dirs.append((cwd / "fonts", cwd))
    dirs += [(home / ".fonts", None), (home / ".local/share/fonts", None)]
    dirs += [(Path("/usr/local/share/fonts"), None), (Path("/usr/share/fonts"), None)]
    return dirs


def forget_files() -> None:
    """Forget font lookups, so fonts added or replaced are found again (watch mode)."""
    _index.cache_clear()
    find_font_file.cache_clear()


@lru_cache(maxsize=16)
def _index(folder: Path, root: Path | None) -> dict[str, Path]:
    """File name (lower case) → path, for the files in ``folder`` and a few levels below.

    Bounded in depth and count, never through a symlinked folder, and, for a folder with a
    ``root``, only when it resolves inside that root: a ``fonts`` folder linked to ``/``
    must not make every build walk the file system.
    """
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    if root is not None:
        from .confine import _inside

        if not _inside(folder.resolve(), root.resolve()):
            return found
    seen = 0
    base_depth = len(folder.parts)
    for top, dirs, files in os.walk(folder):  # os.walk does not follow symlinked folders
        if len(Path(top).parts) - base_depth >= _MAX_DEPTH:
            dirs.clear()
        for f in files[: _MAX_FILES - seen]:
            found.setdefault(f.lower(), Path(top) / f)
        seen += len(files)
        if seen >= _MAX_FILES:
            break
    return found


@lru_cache(maxsize=64)
def find_font_file(
    name: str, family: str, variant: str, folders: tuple[Path, ...] = ()
) -> Path | None:
    """Find a TrueType file by file name in the font folders; else ask fontconfig by family."""
    for folder, root in _font_dirs(folders):
        hit = _index(folder, root).get(name.lower())
        if hit is not None:
            return hit
    return _fc_match(family, variant)


def _fc_match(family: str, variant: str) -> Path | None:
    fc = shutil.which("fc-match")
    if fc is None:
        return None
    style = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "Bold Italic"}
    try:
        out = subprocess.run(
            [fc, "-f", "%{family}\n%{file}", f"{family}:style={style[variant]}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.splitlines()
    # fc-match always answers with *some* font; only accept the family that was asked for.
    if len(lines) == 2 and family.lower() in lines[0].lower() and lines[1].endswith(".ttf"):
        return Path(lines[1])
    return None
