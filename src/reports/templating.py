"""Render a memo template (Jinja2) with a fact base into memo markup.

Facts are passed as context values and are never rendered as templates themselves.
Autoescape is on for every template: the output is XML, so escaping ``& < > " '`` is exactly
what makes any fact text literal. ``StrictUndefined`` turns a misspelt field into an error
instead of an empty space in a memo.
"""

from __future__ import annotations

import datetime as _dt
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

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_QUALIFIERS = {"en": {"early": "early", "mid": "mid-", "late": "late"}}


def template_dir(path: str | Path | None = None) -> Path:
    """Return the template directory to use: ``path``, or the one shipped with ``reports``."""
    if path is not None:
        return Path(path)
    packaged = Path(__file__).resolve().parent / "templates"
    return packaged if packaged.is_dir() else DEFAULT_TEMPLATE_DIR


def format_date(value: PartialDate | _dt.date | None, lang: str = "en") -> str:
    """Write a (partial) date the way the memo's language does: ``13 February 2024``."""
    if value is None:
        return ""
    if isinstance(value, _dt.date):
        value = PartialDate(value.year, value.month, value.day)
    months = _MONTHS.get(lang, _MONTHS["en"])
    if value.month is None:
        text = str(value.year)
    elif value.day is None:
        text = f"{months[value.month - 1]} {value.year}"
    else:
        text = f"{value.day} {months[value.month - 1]} {value.year}"
    if value.qualifier:
        word = _QUALIFIERS["en"][value.qualifier]
        text = f"{word}{text}" if word.endswith("-") else f"{word} {text}"
    return text


def join_words(items: Iterable[Any], lang: str = "en") -> str:
    """Join ``a, b and c``; one item stays as it is."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


@lru_cache(maxsize=8)
def _environment(directory: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["date"] = format_date
    env.filters["join_words"] = join_words
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
    try:
        template = env.get_template(TEMPLATE_NAME)
        return template.render(
            facts=facts,
            memo=facts.memo,
            lang=facts.lang,
            draft=draft or facts.memo.status == "draft",
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


def _template_line(exc: BaseException) -> int:
    """Find the template line in the traceback Jinja rewrites to point at template source."""
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
