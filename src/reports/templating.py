"""Render a memo template (Jinja2) with a fact base into memo markup.

Facts are passed as context values and are never rendered as templates themselves.
Autoescape is on for every template: the output is XML, so escaping ``& < > " '`` is exactly
what makes any fact text literal. ``StrictUndefined`` turns a misspelt field into an error
instead of an empty space in a memo.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .errors import Problem, SourceLocation, TemplateError
from .model import FactBase, PartialDate

TEMPLATE_NAME = "memo.xml.j2"
"""The file a template directory must contain."""

DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
_QUALIFIERS = {"early": "early", "mid": "mid-", "late": "late"}
_KO_QUALIFIERS = {"early": "초", "mid": "중순", "late": "말"}
_KO_YEAR_QUALIFIERS = {"early": "초", "mid": "중반", "late": "말"}
MESSAGES_DIR = "messages"
"""Folder of a template directory holding one message catalogue per language."""


def template_dir(path: str | Path | None = None) -> Path:
    """Return the template directory to use: ``path``, or the one shipped with ``reports``."""
    if path is not None:
        return Path(path)
    packaged = Path(__file__).resolve().parent / "templates"
    return packaged if packaged.is_dir() else DEFAULT_TEMPLATE_DIR


def format_date(value: PartialDate | _dt.date | None, lang: str = "en") -> str:
    """Write a (partial) date the way the memo's language does.

    English: ``13 February 2024``, ``early February 2024``; Korean: ``2024년 2월 13일``,
    ``2024년 2월 초``. ``None`` gives an empty string.
    """
    if value is None:
        return ""
    if isinstance(value, _dt.date):
        value = PartialDate(value.year, value.month, value.day)
    if lang.split("-")[0] == "ko":
        text = f"{value.year}년"
        if value.month is not None:
            text += f" {value.month}월"
        if value.day is not None:
            text += f" {value.day}일"
        if value.qualifier:
            table = _KO_QUALIFIERS if value.month is not None else _KO_YEAR_QUALIFIERS
            text += f" {table[value.qualifier]}"
        return text
    if value.month is None:
        text = str(value.year)
    elif value.day is None:
        text = f"{_MONTHS[value.month - 1]} {value.year}"
    else:
        text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if value.qualifier:
        word = _QUALIFIERS[value.qualifier]
        text = f"{word}{text}" if word.endswith("-") else f"{word} {text}"
    return text


def join_words(items: Iterable[Any], lang: str = "en") -> str:
    """Join ``a, b and c`` (Korean: ``a, b, c``); one item stays as it is."""
    words = [str(i) for i in items]
    if len(words) <= 1 or lang.split("-")[0] != "en":
        return ", ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def roman(number: int) -> str:
    """Roman numeral characters (U+2160 on), as Korean reports number their sections."""
    numerals = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
    return numerals[number - 1] if 1 <= number <= len(numerals) else str(number)


def catalogue_path(folder: Path, lang: str) -> Path | None:
    """The message catalogue used for ``lang``: the template folder's, for the language or
    its base language, else the shipped one; ``None`` if there is none."""
    base = folder / MESSAGES_DIR
    candidates = [base / f"{lang}.yaml", base / f"{lang.split('-')[0]}.yaml"]
    # A user's template folder may hold only the template: take the shipped wording then.
    shipped = template_dir() / MESSAGES_DIR
    candidates += [shipped / c.name for c in candidates]
    return next((c for c in candidates if c.is_file()), None)


def load_messages(folder: Path, lang: str) -> dict[str, str]:
    """Read the message catalogue for ``lang`` (see :func:`catalogue_path`)."""
    from .errors import FactsError
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
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        msg = "a message catalogue maps each key to one line of text"
        raise TemplateError([Problem(SourceLocation(str(path)), msg)])
    return data


@lru_cache(maxsize=16)
def _messages(folder: str, lang: str) -> dict[str, str]:
    return load_messages(Path(folder), lang)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's compiled-template cache in the user's cache folder; ``None`` if unwritable.

    Compiling the memo template is a noticeable part of a cold build; the cache is keyed
    by the template's checksum, so an edited template is always recompiled.
    """
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(root) / "reports" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


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
    env.filters["date"] = format_date
    env.filters["join_words"] = join_words
    env.filters["roman"] = roman
    return env


def render(facts: FactBase, directory: str | Path | None = None, *, draft: bool = False) -> str:
    """Render the memo template in ``directory`` (default: the shipped one) with ``facts``.

    ``draft`` forces the draft watermark on even when the fact base says ``final``.
    Raise :class:`TemplateError` when the template is missing or fails.
    """
    folder = template_dir(directory)
    where = folder / TEMPLATE_NAME
    if not where.is_file():
        msg = f"no {TEMPLATE_NAME} in template directory {folder}"
        raise TemplateError([Problem(SourceLocation(str(folder)), msg)])
    env = _environment(str(folder))
    messages = _messages(str(folder), facts.lang)
    catalogue = folder / MESSAGES_DIR / f"{facts.lang}.yaml"

    def t(key: str) -> str:
        try:
            return messages[key]
        except KeyError:
            msg = f"the message catalogue has no '{key}' (used by the template)"
            raise TemplateError([Problem(SourceLocation(str(catalogue)), msg)]) from None

    try:
        template = env.get_template(TEMPLATE_NAME)
        return template.render(
            facts=facts,
            memo=facts.memo,
            lang=facts.lang,
            draft=draft or facts.memo.status == "draft",
            t=t,
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
