"""Render a memo template (Jinja2) with a fact base into memo markup.

Facts are passed as context values and are never rendered as templates themselves.
Autoescape is on for every template: the output is XML, so escaping ``& < > " '`` is exactly
what makes any fact text literal. ``StrictUndefined`` turns a misspelt field into an error
instead of an empty space in a memo.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .content import Content
from .errors import Problem, SourceLocation, TemplateError
from .locale import DateStyle, Locale
from .model import AnyDate, FactBase
from .resources import MESSAGES_DIR, catalogue_path, template_dir

TEMPLATE_NAME = "memo.xml.j2"
"""The file a template directory must contain."""


@jinja2.pass_context
def _date_filter(ctx: Any, value: AnyDate | _dt.date | None, *_old: Any) -> str:
    # Older templates passed the language (``date(lang)``); the context's locale knows it.
    fmt: _Formatter = ctx["locale"]
    return fmt.locale.date(value, fmt.date_style, weekday=fmt.weekday)


_TIMES = re.compile(r"^(\d\d:\d\d) ?[–-] ?(\d\d:\d\d)")


@jinja2.pass_context
def _time_filter(ctx: Any, value: str | None) -> str:
    """A time of day as the language writes a span of them: ``09:30–11:00`` (the
    catalogue's ``time_range_separator``; Korean ``09:30~11:00``)."""
    if not value:
        return ""
    fmt: _Formatter = ctx["locale"]
    sep = str(fmt.locale.messages.get("time_range_separator", "\u2013"))
    return _TIMES.sub(lambda m: f"{m.group(1)}{sep}{m.group(2)}", str(value), count=1)


def _content_filter(method: str) -> Callable[..., Any]:
    """A template filter that hands its value to the memo's :class:`Content` (``inline``,
    ``blocks``, ``items``, ``plain``), which reads version 2 markup and marks fields."""

    @jinja2.pass_context
    def apply(ctx: Any, value: Any) -> Any:
        content: Content = ctx["content"]
        return getattr(content, method)(value)

    return apply


@jinja2.pass_context
def _timeline_chart_filter(ctx: Any, entries: Iterable[Any]) -> Any:
    """The timeline chart of ``entries``: dates in the house style's form (without the
    weekday: a label has no room for it), the axis in the memo's language."""
    content: Content = ctx["content"]
    fmt: _Formatter = ctx["locale"]

    def when(value: AnyDate) -> str:
        return fmt.locale.date(value, fmt.date_style)

    return Markup(content.timeline(entries, when, fmt.locale.axis))


def _letter(number: int) -> str:
    """A, B, … Z, AA, AB: annex letters."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


@jinja2.pass_context
def _join_lines(ctx: Any, items: Iterable[Any]) -> Markup:
    """Items one per line (addressees): each as typed and marked with its field, joined by
    line breaks."""
    content: Content = ctx["content"]
    return Markup("<br/>").join(content.plain(i) for i in items)


@jinja2.pass_context
def _join_filter(ctx: Any, items: Iterable[Any], *_old: Any) -> str:
    fmt: _Formatter = ctx["locale"]
    return fmt.locale.join(items)


def roman(number: int) -> str:
    """Roman numeral characters (U+2160 on); kept for templates written before numbering
    moved to the house style (``section_numbers``)."""
    numerals = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
    return numerals[number - 1] if 1 <= number <= len(numerals) else str(number)


class _Formatter:
    """The template's view of the locale: the language's conventions and the date style."""

    def __init__(self, locale: Locale, date_style: DateStyle, weekday: bool = False) -> None:
        self.locale = locale
        self.date_style = date_style
        self.weekday = weekday
        self.tag = locale.tag


def load_messages(folder: Path, lang: str) -> dict[str, Any]:
    """Read the message catalogue for ``lang`` (see :func:`catalogue_path`).

    Values are one line of text each, except the lists named in ``locale.LIST_KEYS``.
    """
    from .errors import FactsError
    from .locale import LIST_KEYS, check_catalogue
    from .yamlsrc import load_file

    path = catalogue_path(folder, lang)
    if path is None:
        wanted = folder / MESSAGES_DIR / f"{lang.split('-')[0]}.yaml"
        msg = f"no message catalogue for language '{lang}'; add {wanted}"
        raise TemplateError([Problem(SourceLocation(str(folder / MESSAGES_DIR)), msg)])
    try:
        data = load_file(path).data
    except FactsError as exc:
        raise TemplateError(exc.problems) from None
    if not isinstance(data, dict) or not all(
        isinstance(v, str) or k in LIST_KEYS for k, v in data.items()
    ):
        msg = "a message catalogue maps each key to one line of text"
        raise TemplateError([Problem(SourceLocation(str(path)), msg)])
    problems = check_catalogue(data)
    if problems:
        raise TemplateError(
            [Problem(SourceLocation(str(path)), f"message catalogue: {p}") for p in problems]
        )
    return data


def locale_for(folder: Path, lang: str) -> Locale:
    """The writing conventions of ``lang``, from the template folder's catalogue."""
    return Locale(lang, _messages(str(folder), lang))


@lru_cache(maxsize=16)
def _messages(folder: str, lang: str) -> dict[str, Any]:
    return load_messages(Path(folder), lang)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's compiled-template cache in the user's cache folder; ``None`` if unwritable.

    Compiling the memo template is a noticeable part of a cold build; the cache is keyed
    by the template's checksum, so an edited template is always recompiled. The cached
    code is run when loaded, so only a folder private to this user is used (see
    :mod:`.cache`).
    """
    from .cache import private_dir

    folder = private_dir("jinja")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


@lru_cache(maxsize=8)
def _environment(directory: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["date"] = _date_filter
    env.filters["join_words"] = _join_filter
    env.filters["join_lines"] = _join_lines
    env.filters["time"] = _time_filter
    env.filters["roman"] = roman
    # fact-base content: literal text (version 1) or inline markup and blocks (version 2)
    for method in ("inline", "blocks", "items", "plain"):
        env.filters[method] = _content_filter(method)
    env.filters["timeline_chart"] = _timeline_chart_filter
    env.filters["letter"] = _letter
    return env


def render(
    facts: FactBase,
    directory: str | Path | None = None,
    *,
    date_style: DateStyle = "long",
    weekday: bool = False,
) -> str:
    """Render the memo template in ``directory`` (default: the shipped one) with ``facts``.

    ``date_style`` is the house style's choice of date form, ``weekday`` whether days
    carry their weekday. Raise :class:`TemplateError`
    when the template is missing or fails.
    """
    folder = template_dir(directory)
    where = folder / TEMPLATE_NAME
    if not where.is_file():
        msg = f"no {TEMPLATE_NAME} in template directory {folder}"
        raise TemplateError([Problem(SourceLocation(str(folder)), msg)])
    env = _environment(str(folder))
    locale = locale_for(folder, facts.lang)
    catalogue = catalogue_path(folder, facts.lang) or folder / MESSAGES_DIR

    def t(key: str) -> str:
        try:
            return locale.text(key)
        except KeyError:
            pass
        try:  # a catalogue written before the key existed: the shipped wording
            return locale_for(template_dir(), facts.lang).text(key)
        except (KeyError, TemplateError):
            msg = f"the message catalogue has no '{key}' (used by the template)"
            raise TemplateError([Problem(SourceLocation(str(catalogue)), msg)]) from None

    try:
        template = env.get_template(TEMPLATE_NAME)
        return template.render(
            facts=facts,
            memo=facts.memo,
            lang=facts.lang,
            locale=_Formatter(locale, date_style, weekday),
            # templates written before the build set the watermark may still read it
            draft=facts.memo.status == "draft",
            t=t,
            content=Content(facts, t),
        )
    except jinja2.TemplateSyntaxError as exc:
        loc = SourceLocation(exc.filename or str(where), exc.lineno or 0, 1 if exc.lineno else 0)
        raise TemplateError([Problem(loc, f"template syntax error: {exc.message}")]) from None
    except jinja2.UndefinedError as exc:
        loc = SourceLocation(str(where), _template_line(exc), 1)
        raise TemplateError([Problem(loc, f"template uses an undefined value: {exc}")]) from None
    except jinja2.TemplateError as exc:
        loc = SourceLocation(str(where), _template_line(exc), 1)
        raise TemplateError([Problem(loc, f"template failed: {exc}")]) from None


def forget_templates() -> None:
    """Drop compiled templates and catalogues, so edited files are read again (watch mode)."""
    _environment.cache_clear()
    _messages.cache_clear()


def _template_line(exc: BaseException) -> int:
    """Find the template line in the traceback Jinja rewrites to point at template source."""
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
