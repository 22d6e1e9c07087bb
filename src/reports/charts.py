"""The numbers a chart block draws, and how they are written. Plain data, no I/O.

A chart gives its categories and series inline, or names a table of the same memo
(``table: <id>``): the table's first column is then the categories and its columns of
numbers the series. :func:`resolve` turns either into :class:`ChartData`;
:func:`problems` lists, with the place in the chart block to fix, everything that stops
that. Both the validator and the template's ``blocks`` filter call them, so a chart that
validates is a chart that renders.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .model import MAX_CATEGORIES, ChartSpec, TableSpec

Where = tuple[str | int, ...]
"""A place inside a chart block (``("series", 1, "values")``), from its ``chart:`` key."""

_M = TypeVar("_M", ChartSpec, TableSpec)

ROUND_TYPES = ("pie", "doughnut")
"""Chart types that draw one series as slices of a whole."""

# a number as a table cell writes it: 9,800 / -3.5 / (35) / £1.2 / 35 % / 1 200
_CELL_NUMBER = re.compile(
    "^(?P<open>[-+\u2212(])?\\s?[$\u20ac\u00a3\u20a9\u00a5]?\\s?"
    "(?P<int>\\d{1,3}(?:[,\u00a0\u202f ]\\d{3})+|\\d+)(?P<frac>\\.\\d+)?"
    "\\s?(?P<close>\\))?\\s?(?:%|[A-Za-z]{1,3})?$"
)


@dataclass(frozen=True, slots=True)
class ChartData:
    """A chart's categories and its series (name, one value per category)."""

    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]


class ChartProblem(Exception):
    """A chart that cannot be drawn: where in its block, and why (with the fix)."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def cell_number(text: str) -> float | None:
    """The number a table cell writes (``9,800``, ``(35)``, ``35 %``); ``None`` if none."""
    found = _CELL_NUMBER.match(text.strip())
    if found is None:
        return None
    opening, closing = found.group("open"), found.group("close")
    if (opening == "(") != bool(closing):
        return None
    digits = re.sub("[,\u00a0\u202f ]", "", found.group("int")) + (found.group("frac") or "")
    value = float(digits)
    return -value if opening in ("-", "\u2212", "(") else value


def tables_by_id(node: Any) -> dict[str, TableSpec]:
    """Every table of a fact base (or part of one) that has an id, by id (first wins)."""
    out: dict[str, TableSpec] = {}
    for _path, table in iter_tables(node):
        if table.id is not None:
            out.setdefault(table.id, table)
    return out


def iter_tables(node: Any) -> Iterator[tuple[Where, TableSpec]]:
    """(key path, table) for every table in a model, in reading order."""
    return _iter(node, TableSpec, ())


def iter_charts(node: Any) -> Iterator[tuple[Where, ChartSpec]]:
    """(key path, chart) for every chart in a model, in reading order."""
    return _iter(node, ChartSpec, ())


def _iter(node: Any, kind: type[_M], path: Where) -> Iterator[tuple[Where, _M]]:
    from pydantic import BaseModel

    if isinstance(node, kind):
        yield path, node
    elif isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from _iter(getattr(node, name), kind, (*path, info.alias or name))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from _iter(item, kind, (*path, i))


def resolve(spec: ChartSpec, tables: Mapping[str, TableSpec]) -> ChartData:
    """The chart's data; raise :class:`ChartProblem` for the first thing that stops it."""
    for problem in _problems(spec, tables):
        raise problem
    if spec.table is None:
        assert spec.categories is not None and spec.series is not None
        return ChartData(spec.categories, tuple((s.name, s.values) for s in spec.series))
    return _from_table(spec, tables[spec.table])[0]


def problems(spec: ChartSpec, tables: Mapping[str, TableSpec]) -> list[ChartProblem]:
    """Everything that stops the chart being drawn, in the order of its block."""
    return list(_problems(spec, tables))


def _problems(spec: ChartSpec, tables: Mapping[str, TableSpec]) -> Iterator[ChartProblem]:
    if spec.table is not None:
        table = tables.get(spec.table)
        if table is None:
            hint = difflib.get_close_matches(spec.table, sorted(tables), n=1, cutoff=0.6)
            if hint:
                fix = f"did you mean '{hint[0]}'?"
            elif tables:
                fix = f"the memo's tables are {', '.join(sorted(tables))}"
            else:
                fix = "give the table to draw an id (id: …)"
            yield ChartProblem(("table",), f"no table has the id '{spec.table}'; {fix}")
            return
        data, found = _from_table(spec, table)
        yield from found
        if found:
            return
        where_series: Where = ("columns",) if spec.columns else ("table",)
        yield from _shape(spec.type, data, where_series, lambda i, j: where_series)
        return
    assert spec.categories is not None and spec.series is not None
    count = len(spec.categories)
    for i, series in enumerate(spec.series):
        if len(series.values) != count:
            names = ", ".join(spec.categories)
            shown = names if len(names) <= 60 else names[:60] + "…"
            yield ChartProblem(
                ("series", i, "values"),
                f"{len(series.values)} value{'s' if len(series.values) != 1 else ''} for "
                f"{count} categor{'ies' if count != 1 else 'y'} ({shown}); give one value "
                "per category, in the same order",
            )
    data = ChartData(spec.categories, tuple((s.name, s.values) for s in spec.series))
    yield from _shape(spec.type, data, ("series",), lambda i, j: ("series", i, "values", j))


def _shape(
    kind: str, data: ChartData, where_series: Where, where_value: Any
) -> Iterator[ChartProblem]:
    """What a pie or doughnut needs: one series of numbers that are not negative."""
    if kind not in ROUND_TYPES:
        return
    if len(data.series) != 1:
        yield ChartProblem(
            where_series,
            f"a {kind} chart draws one series, this one has {len(data.series)}; draw the "
            "others as their own charts, or use a column or bar chart",
        )
        return
    values = data.series[0][1]
    for j, value in enumerate(values):
        if value < 0:
            name = f" for '{data.categories[j]}'" if j < len(data.categories) else ""
            yield ChartProblem(
                where_value(0, j),
                f"a {kind} chart cannot draw a negative number ({_plain(value)}{name}); use "
                "a bar or column chart",
            )
    if values and all(v == 0 for v in values):
        yield ChartProblem(where_series, f"every value is 0: a {kind} chart has nothing to draw")


def _from_table(spec: ChartSpec, table: TableSpec) -> tuple[ChartData, list[ChartProblem]]:
    """The chart of ``table``: its first column as categories, its columns of numbers (or
    those ``spec.columns`` names) as series."""
    header, rows = table.header, table.body
    found: list[ChartProblem] = []
    if len(rows) > MAX_CATEGORIES:
        msg = (
            f"table '{spec.table}' has {len(rows):,} rows; a chart draws at most "
            f"{MAX_CATEGORIES} categories"
        )
        return ChartData((), ()), [ChartProblem(("table",), msg)]
    categories = tuple(row[0] if row else "" for row in rows)
    picked: list[int] = []
    if spec.columns is not None:
        for i, name in enumerate(spec.columns):
            if name in header[1:]:
                picked.append(header.index(name, 1))
                continue
            hint = difflib.get_close_matches(name, header[1:], n=1, cutoff=0.5)
            fix = f"did you mean '{hint[0]}'?" if hint else f"its columns are {_list(header)}"
            if name == header[0]:
                fix = "the first column gives the categories; name the columns of numbers"
            found.append(
                ChartProblem(("columns", i), f"table '{spec.table}' has no column '{name}'; {fix}")
            )
    else:
        picked = [j for j in range(1, len(header)) if _numeric(rows, j)]
        if not picked:
            msg = (
                f"table '{spec.table}' has no column of numbers after its first to draw "
                f"(its columns are {_list(header)}); every cell of a drawn column must be a "
                "number"
            )
            found.append(ChartProblem(("table",), msg))
    series: list[tuple[str, tuple[float, ...]]] = []
    for k, j in enumerate(picked):
        values: list[float] = []
        for r, row in enumerate(rows):
            cell = row[j] if j < len(row) else ""
            value = cell_number(cell)
            if value is None:
                where: Where = ("columns", k) if spec.columns is not None else ("table",)
                shown = f"'{cell}'" if cell.strip() else "an empty cell"
                found.append(
                    ChartProblem(
                        where,
                        f"column '{header[j]}' of table '{spec.table}' holds {shown} in row "
                        f"{r + 1} ({categories[r]}), not a number; a chart draws numbers only",
                    )
                )
                break
            values.append(value)
        series.append((header[j], tuple(values)))
    return ChartData(categories, tuple(series)), found


def _numeric(rows: Sequence[Sequence[str]], column: int) -> bool:
    return bool(rows) and all(
        column < len(row) and cell_number(row[column]) is not None for row in rows
    )


def _list(names: Sequence[str]) -> str:
    text = ", ".join(f"'{n}'" for n in names)
    return text if len(text) <= 100 else text[:100] + "…"


def _plain(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------- writing numbers


def decimals(values: Sequence[float], most: int = 2) -> int:
    """Decimals the numbers need to be written as typed (at most ``most``)."""
    need = 0
    for value in values:
        text = repr(abs(value))
        if "e" in text or "." not in text:
            continue
        fraction = text.split(".", 1)[1].rstrip("0")
        need = max(need, len(fraction))
    return min(need, most)


def default_format(values: Sequence[float]) -> str:
    """The number format of a chart that gives none: the data's decimals, with a
    thousands separator once numbers reach 10,000."""
    places = decimals(values)
    big = any(abs(v) >= 10_000 for v in values)
    return ("#,##0" if big else "0") + ("." + "0" * places if places else "")


def format_number(value: float, pattern: str, decimal_mark: str = ".", group: str = ",") -> str:
    """``value`` written by ``pattern`` (``0``, ``0.0``, ``#,##0.00``) with a language's
    decimal mark and thousands separator."""
    places = len(pattern.split(".", 1)[1]) if "." in pattern else 0
    grouped = pattern.startswith("#,##")
    if not math.isfinite(value):
        return str(value)
    text = f"{abs(value):,.{places}f}" if grouped else f"{abs(value):.{places}f}"
    negative = value < 0 and any(c not in "0.," for c in text)
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", group)
    return ("\u2212" if negative else "") + text
