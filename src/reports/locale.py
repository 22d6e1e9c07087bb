"""How a language writes dates, lists and labels, read from its message catalogue.

Nothing here knows a language: month names, date patterns, list joiners, punctuation and
the document language tag are catalogue entries (``templates/messages/<lang>.yaml``), so a
new language is a new file. Date patterns use these placeholders::

    {d} day   {dd} day, two digits   {m} month   {mm} month, two digits   {yyyy} year
    {month} month name   {weekday} weekday name   {wd} short weekday name   {date} (qualifiers)
    {q} quarter (1-4, in ``date_quarter``)   {h} half (1-2, in ``date_half``)
    {mon} short month name (``months_short``; the full name where a catalogue has none)

A half may have its own words (``date_half_1: "{yyyy}년 상반기"``). A range writes both ends
and then what they share once (``date_range_shared``: ``end`` or ``start``), joined by
``date_range_separator``. ``date_day_weekday`` is the day form the house style's
``date_weekday: true`` asks for.

A qualified date (``early 2024-02``) is written by ``date_<precision>_<qualifier>`` or else
``date_<qualifier>``, whose ``{date}`` is the date written without the qualifier.

A time axis (a timeline chart's) labels its days, months and years by ``date_axis_day``,
``date_axis_month`` and ``date_axis_year``; the first label and each one that begins a
year take the ``_year`` form (``date_axis_month_year``: ``{mon} {yyyy}``), so the year is
written once where it starts.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .model import AnyDate

DateStyle = Literal["long", "official"]
"""``long``: ``13 February 2024``; ``official``: a language's administrative form
(Korean ``2024. 2. 13.(화)``), where its catalogue gives one."""

LIST_KEYS = ("months", "months_short", "weekdays", "weekdays_short")
"""Catalogue entries that are lists rather than one line of text."""

REQUIRED = (
    "language_tag",
    "months",
    "weekdays",
    "weekdays_short",
    "date_day",
    "date_month",
    "date_year",
    "date_early",
    "date_mid",
    "date_late",
    "list_separator",
    "list_last_separator",
    "label_separator",
    "sentence_end",
)
"""Entries every catalogue needs for dates, lists and labels."""

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


@dataclass(frozen=True, slots=True)
class Locale:
    """The writing conventions of one language, from its catalogue."""

    lang: str
    """The fact base's language (``en``, ``ko``, ``fr-CA``)."""
    messages: Mapping[str, Any]
    """The whole catalogue: wording (str) and the lists in :data:`LIST_KEYS`."""

    @property
    def tag(self) -> str:
        """The BCP 47 tag written into documents: the fact base's own if it names a region
        (``en-US``), else the catalogue's ``language_tag`` (``en-GB`` for ``en``)."""
        if "-" in self.lang:
            return self.lang
        return str(self.messages.get("language_tag") or self.lang)

    def text(self, key: str) -> str:
        """The catalogue's line for ``key``; raise ``KeyError`` when it has none."""
        value = self.messages[key]
        if not isinstance(value, str):
            raise KeyError(key)
        return value

    def date(
        self,
        value: AnyDate | _dt.date | None,
        style: DateStyle = "long",
        *,
        weekday: bool = False,
    ) -> str:
        """Write a (partial) date or a range as the language does; ``None`` gives an empty
        string. ``weekday`` adds the day of the week to a day where the catalogue has a
        ``date_day_weekday`` pattern (the official Korean form always has it)."""
        if value is None:
            return ""
        if isinstance(value, _dt.date):
            return self._one(value.year, value.month, value.day, "day", None, {}, style, weekday)
        from .model import DateRange, PartialDate

        if isinstance(value, DateRange):
            return self._range(
                self.date(value.start, style, weekday=weekday),
                self.date(value.end, style, weekday=weekday),
            )
        assert isinstance(value, PartialDate)
        extra: dict[str, str] = {}
        if value.quarter is not None:
            extra["q"] = str(value.quarter)
        if value.half is not None:
            extra["h"] = str(value.half)
        return self._one(
            value.year,
            value.month,
            value.day,
            value.precision,
            value.qualifier,
            extra,
            style,
            weekday,
        )

    def _one(
        self,
        year: int,
        month: int | None,
        day: int | None,
        precision: str,
        qualifier: str | None,
        extra: dict[str, str],
        style: DateStyle,
        weekday: bool,
    ) -> str:
        key = f"date_{precision}"
        if precision == "half":  # 상반기/하반기 are words, not numbers
            key = f"date_half_{extra['h']}" if f"date_half_{extra['h']}" in self.messages else key
        elif (
            precision == "day"
            and weekday
            and "date_day_weekday" in self.messages
            # the official form, where a language has one, already carries its weekday
            and not (style == "official" and "date_day_official" in self.messages)
        ):
            key = "date_day_weekday"
        pattern = self._pattern(key, style)
        fields = {"yyyy": str(year), **extra}
        if month is not None:
            fields["m"] = str(month)
            fields["mm"] = f"{month:02d}"
            fields["month"] = self.messages["months"][month - 1]
            fields["mon"] = self._short_month(month)
        if day is not None:
            fields["d"] = str(day)
            fields["dd"] = f"{day:02d}"
            if "{w" in pattern:  # a weekday is asked for: {weekday} or {wd}
                day_of_week = _dt.date(year, month or 1, day).weekday()
                fields["weekday"] = self.messages["weekdays"][day_of_week]
                fields["wd"] = self.messages["weekdays_short"][day_of_week]
        text = _fill(pattern, fields)
        if qualifier:
            key = f"date_{precision}_{qualifier}"
            pattern = self.messages.get(key) or self.messages[f"date_{qualifier}"]
            text = _fill(pattern, {"date": text})
        return text

    def axis(self, day: _dt.date, unit: AxisUnit, with_year: bool = False) -> str:
        """A time axis's label for the ``unit`` (day, month or year) starting on ``day``;
        ``with_year`` writes the year too (the axis's first label, or a new year's)."""
        key = f"date_axis_{unit}" + ("_year" if with_year and unit != "year" else "")
        fields = {"yyyy": str(day.year), "m": str(day.month), "mm": f"{day.month:02d}"}
        fields |= {"d": str(day.day), "dd": f"{day.day:02d}"}
        fields["month"] = self.messages["months"][day.month - 1]
        fields["mon"] = self._short_month(day.month)
        pattern = self.messages.get(key)
        return _fill(str(pattern) if isinstance(pattern, str) else _AXIS_PATTERNS[key], fields)

    def _short_month(self, month: int) -> str:
        names = self.messages.get("months_short") or self.messages["months"]
        return str(names[month - 1])

    def _range(self, start: str, end: str) -> str:
        """Join the two ends of a range, writing what they share once: ``12–13 January
        2026`` (shared end, ``date_range_shared: end``) or ``2026년 1월 12일~13일``
        (shared start, as Korean writes it)."""
        sep = str(self.messages.get("date_range_separator", "–"))
        a, b = start.split(" "), end.split(" ")
        if self.messages.get("date_range_shared", "end") == "start":
            n = 0
            while n < min(len(a), len(b)) - 1 and a[n] == b[n]:
                n += 1
            return " ".join(a) + sep + " ".join(b[n:])
        n = 0
        while n < min(len(a), len(b)) - 1 and a[-1 - n] == b[-1 - n]:
            n += 1
        head, tail = a[: len(a) - n], b[: len(b) - n]
        if len(head) > 1 or len(tail) > 1:  # "30 January – 2 February 2026"
            sep = f" {sep.strip()} "
        return " ".join(head) + sep + " ".join(b)

    def _pattern(self, key: str, style: DateStyle) -> str:
        if style == "official":
            official = self.messages.get(f"{key}_official")
            if isinstance(official, str):
                return official
        if key in self.messages:
            return str(self.messages[key])
        return _FALLBACK_PATTERNS.get(key) or str(self.messages[key])

    def join(self, items: Iterable[Any]) -> str:
        """Join words as a sentence lists them: ``a, b and c``; one item stays as it is."""
        words = [str(i) for i in items]
        if len(words) <= 1:
            return "".join(words)
        sep = self.text("list_separator")
        return sep.join(words[:-1]) + self.text("list_last_separator") + words[-1]

    def label(self, key: str) -> str:
        """The label for ``key`` followed by the language's separator (``Owner: ``)."""
        return self.text(key) + self.text("label_separator")


_FALLBACK_PATTERNS = {"date_quarter": "{yyyy}-Q{q}", "date_half": "{yyyy}-H{h}"}
"""How quarters and halves print for a catalogue written before they existed."""

AxisUnit = Literal["day", "month", "year"]

_AXIS_PATTERNS = {
    "date_axis_day": "{yyyy}-{mm}-{dd}",
    "date_axis_day_year": "{yyyy}-{mm}-{dd}",
    "date_axis_month": "{month}",
    "date_axis_month_year": "{month} {yyyy}",
    "date_axis_year": "{yyyy}",
}
"""How a time axis is labelled by a catalogue written before it had axis patterns: ISO
days (no language's order of day and month is assumed), month names."""

FIELDS = frozenset(
    {"d", "dd", "m", "mm", "yyyy", "month", "mon", "weekday", "wd", "date", "q", "h"}
)
"""The placeholders a date pattern may use."""


class _Fields(dict[str, str]):
    """Values for a pattern; one the date cannot give (a weekday of a month) stays as typed."""

    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"


def _fill(pattern: str, fields: dict[str, str]) -> str:
    return _compiled(pattern).format_map(_Fields(fields))


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> str:
    """A catalogue pattern as a ``str.format`` string that can only name :data:`FIELDS`.

    Any other brace (``{0}``, ``{x.y}``, a lone ``{``) is made literal, so a catalogue
    can never reach attributes or indexes through ``format``; an unknown ``{name}``
    prints as typed.
    """
    out: list[str] = []
    last = 0
    for m in _PLACEHOLDER.finditer(pattern):
        out.append(_literal(pattern[last : m.start()]))
        name = m.group(1)
        out.append(f"{{{name}}}" if name in FIELDS else _literal(m.group(0)))
        last = m.end()
    out.append(_literal(pattern[last:]))
    return "".join(out)


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def check_catalogue(data: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with a catalogue's locale entries (empty when all is well)."""
    problems = [f"no '{key}' entry" for key in REQUIRED if key not in data]
    for key, size in (("months", 12), ("months_short", 12), ("weekdays", 7), ("weekdays_short", 7)):
        value = data.get(key)
        if value is not None and (
            not isinstance(value, list)
            or len(value) != size
            or not all(isinstance(v, str) for v in value)
        ):
            problems.append(f"'{key}' must be a list of {size} names")
    return problems
