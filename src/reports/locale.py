"""How a language writes dates, lists and labels, read from its message catalogue.

Nothing here knows a language: month names, date patterns, list joiners, punctuation and
the document language tag are catalogue entries (``templates/messages/<lang>.yaml``), so a
new language is a new file. Date patterns use these placeholders::

    {d} day   {dd} day, two digits   {m} month   {mm} month, two digits   {yyyy} year
    {month} month name   {weekday} weekday name   {wd} short weekday name   {date} (qualifiers)

A qualified date (``early 2024-02``) is written by ``date_<precision>_<qualifier>`` or else
``date_<qualifier>``, whose ``{date}`` is the date written without the qualifier.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .model import PartialDate

DateStyle = Literal["long", "official"]
"""``long``: ``13 February 2024``; ``official``: a language's administrative form
(Korean ``2024. 2. 13.(화)``), where its catalogue gives one."""

LIST_KEYS = ("months", "weekdays", "weekdays_short")
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

    def date(self, value: PartialDate | _dt.date | None, style: DateStyle = "long") -> str:
        """Write a (partial) date as the language does; ``None`` gives an empty string."""
        from .model import PartialDate

        if value is None:
            return ""
        if isinstance(value, _dt.date):
            value = PartialDate(value.year, value.month, value.day)
        precision = value.precision
        fields: dict[str, str] = {"yyyy": str(value.year)}
        if value.month is not None:
            fields["m"] = str(value.month)
            fields["mm"] = f"{value.month:02d}"
            fields["month"] = self.messages["months"][value.month - 1]
        if value.day is not None:
            day = _dt.date(value.year, value.month or 1, value.day)
            fields["d"] = str(value.day)
            fields["dd"] = f"{value.day:02d}"
            fields["weekday"] = self.messages["weekdays"][day.weekday()]
            fields["wd"] = self.messages["weekdays_short"][day.weekday()]
        text = _fill(self._pattern(f"date_{precision}", style), fields)
        if value.qualifier:
            key = f"date_{precision}_{value.qualifier}"
            pattern = self.messages.get(key) or self.messages[f"date_{value.qualifier}"]
            text = _fill(pattern, {"date": text})
        return text

    def _pattern(self, key: str, style: DateStyle) -> str:
        if style == "official":
            official = self.messages.get(f"{key}_official")
            if isinstance(official, str):
                return official
        return str(self.messages[key])

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


def _fill(pattern: str, fields: Mapping[str, str]) -> str:
    # str.format would read attribute and index syntax from a catalogue; this reads names only.
    return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), pattern)


def check_catalogue(data: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with a catalogue's locale entries (empty when all is well)."""
    problems = [f"no '{key}' entry" for key in REQUIRED if key not in data]
    for key, size in (("months", 12), ("weekdays", 7), ("weekdays_short", 7)):
        value = data.get(key)
        if value is not None and (
            not isinstance(value, list)
            or len(value) != size
            or not all(isinstance(v, str) for v in value)
        ):
            problems.append(f"'{key}' must be a list of {size} names")
    return problems
