"""The fact base: typed, frozen models of everything a briefing memo states.

Every text field takes the text exactly as typed (see ``yamlsrc``); fields that hold dates,
yes/no or choices are converted from that text and rejected, with a position, when they
can't be. The JSON Schema published by ``reports schema`` is generated from these classes,
so the two cannot drift apart.

Schema version 1 holds literal text in a fixed shape. Version 2 adds inline markup (see
``richtext``), blocks (lists, tables, figures, notes, boxes) wherever paragraphs go, custom
sections, annexes, footnotes and a logo; ``validate`` refuses those in a version 1 file.
The only I/O is reading the files a fact base names (a CSV table, an image), which
``assets`` does for the validators, inside the fact base's folder.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from . import assets
from .assets import CsvTable, ImageFile, LocalFile
from .document import NUMBER_FORMAT
from .i18n import ALL, LANG_TAG_PATTERN

SCHEMA_VERSION = 2
"""The newest schema version; ``reports migrate`` upgrades older files to it."""
SCHEMA_VERSIONS = (1, 2)

# Characters that XML 1.0 (and so DOCX) cannot hold, plus lone surrogates.
_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _check_text(value: str) -> str:
    bad = _INVALID_CHARS.search(value)
    if bad is not None:
        code = ord(bad.group())
        raise ValueError(
            f"contains the control character U+{code:04X} at position {bad.start() + 1}, "
            "which documents cannot hold; remove it"
        )
    if not any(c.isprintable() and not c.isspace() for c in value):
        raise ValueError("must not be empty")  # nor only spaces or zero-width marks
    return value


def _only_text(value: Any) -> Any:
    # The loader gives every scalar as str; a list or mapping here is a structural mistake.
    if isinstance(value, list):
        raise ValueError("expected text, got a list")
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, rest),) = value.items()
            if isinstance(rest, str) or rest is None:
                shown = f"{key}: {rest or ''}".strip()
                shown = shown if len(shown) <= 40 else shown[:40] + "…"
                raise ValueError(
                    f"expected text, got a mapping: '{shown}' was read as 'field: value' "
                    "because of the ': '; put the whole text in quotes"
                )
        raise ValueError("expected text, got a mapping")
    return value


_LOCALIZED = {
    "type": "object",
    "description": "The same text per language, keyed by language tag: {en: ..., ko: ...}.",
    "propertyNames": {"pattern": LANG_TAG_PATTERN},
    "minProperties": 1,
}


def _scalar_schema(max_length: int | None = None) -> dict[str, Any]:
    """What an editor may see for text: the loader keeps every scalar as typed, but an
    editor reading YAML 1.2 sees ``1.10`` as a number and ``true`` as a boolean."""
    text: dict[str, Any] = {"type": "string", "minLength": 1}
    if max_length is not None:
        text["maxLength"] = max_length
    return {"anyOf": [text, {"type": "number"}, {"type": "boolean"}]}


def _text_schema(max_length: int | None = None) -> dict[str, Any]:
    """Text, or the same text per language."""
    scalar = _scalar_schema(max_length)
    return {"anyOf": [*scalar["anyOf"], {**_LOCALIZED, "additionalProperties": scalar}]}


Text = Annotated[
    str,
    BeforeValidator(_only_text),
    AfterValidator(_check_text),
    WithJsonSchema(_text_schema()),
]
"""Non-empty text that a PDF and a DOCX can both hold (or, in a file, one per language)."""

LINE_MAX = 1000
"""Longest single-line value (a title, a name, a label), in characters."""


def _one_line(value: str) -> str:
    if len(value) > LINE_MAX:
        raise ValueError(
            f"is {len(value):,} characters long; a title, name or label holds at most "
            f"{LINE_MAX:,} (longer text belongs in a paragraph, such as background)"
        )
    return value


Line = Annotated[
    Text,
    AfterValidator(_one_line),
    WithJsonSchema(_text_schema(LINE_MAX)),
]
"""Text printed as one line or a few: a title, a name, a label (at most 1,000 characters).

Capped because such text is set whole (a title block, a table cell, a running header):
pasted pages of it would only stall the layout."""


def _as_paragraphs(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Paragraphs = Annotated[
    tuple[Text, ...],
    BeforeValidator(_as_paragraphs),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [
                *_text_schema()["anyOf"],
                {"type": "array", "items": _text_schema(), "minItems": 1},
                {
                    **_LOCALIZED,
                    "additionalProperties": {"type": "array", "items": _scalar_schema()},
                },
            ],
            "description": "One paragraph as text, or a list of paragraphs (or per language).",
        }
    ),
]
"""One paragraph (a string) or several (a list of strings)."""

OneOrMore = Annotated[
    tuple[Line, ...],
    BeforeValidator(_as_paragraphs),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [
                *_text_schema(LINE_MAX)["anyOf"],
                {"type": "array", "items": _text_schema(LINE_MAX), "minItems": 1},
            ],
            "description": "One name or a list of them.",
        }
    ),
]
"""One line of text or several (``owner: A`` or ``owner: [A, B]``)."""


_QUALIFIERS = ("early", "mid", "late")
_PARTIAL_DATE = re.compile(
    r"^(?:(early|mid|late) )?([0-9]{4})(?:-(?:([0-9]{2})(?:-([0-9]{2}))?|[Qq]([1-4])|[Hh]([12])))?$"
)
PARTIAL_DATE_PATTERN = (
    r"^((early|mid|late) )?\d{4}(-(\d{2}(-\d{2})?|[Qq][1-4]|[Hh][12]))?"
    r"(/((early|mid|late) )?\d{4}(-(\d{2}(-\d{2})?|[Qq][1-4]|[Hh][12]))?)?$"
)
_DATE_EXAMPLES = (
    "2024-02-13, 2024-02, early 2024-02, 2026-Q2, 2026-H1, 2026 or 2026-01-12/2026-01-13"
)


def _month_end(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as the source: a day, a month, a quarter, a half or a year, a
    month or year optionally early/mid/late in it.

    Written ``2024-02-13``, ``2024-02``, ``early 2024-02``, ``2026-Q2``, ``2026-H1``,
    ``2026`` or ``late 2026``. It stands for a span of days (:meth:`first`, :meth:`last`);
    a timeline is in order when no entry ends before the one above it begins.
    """

    year: int
    month: int | None = None
    """1-12, or ``None`` when only the year (or its quarter or half) is known."""
    day: int | None = None
    """Day of month, or ``None`` when the day is not known."""
    qualifier: Literal["early", "mid", "late"] | None = None
    """Part of the month (or year) when the exact day is not known."""
    quarter: int | None = None
    """1-4 for a quarter of the year (``2026-Q2``)."""
    half: int | None = None
    """1 or 2 for a half of the year (``2026-H1``)."""

    @property
    def precision(self) -> Literal["year", "half", "quarter", "month", "day"]:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.quarter is not None:
            return "quarter"
        return "half" if self.half is not None else "year"

    def first(self) -> _dt.date:
        """The first day this date can mean."""
        return self._span()[0]

    def last(self) -> _dt.date:
        """The last day this date can mean."""
        return self._span()[1]

    def _span(self) -> tuple[_dt.date, _dt.date]:
        y = self.year
        if self.day is not None:
            day = _dt.date(y, self.month or 1, self.day)
            return day, day
        if self.month is not None:
            lo, hi = 1, _month_end(y, self.month)
            if self.qualifier is not None:  # early 1-10, mid 11-20, late 21 to the end
                lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, hi)}[self.qualifier]
            return _dt.date(y, self.month, lo), _dt.date(y, self.month, hi)
        if self.quarter is not None:
            m = 3 * self.quarter - 2
            return _dt.date(y, m, 1), _dt.date(y, m + 2, _month_end(y, m + 2))
        if self.half is not None:
            m = 6 * self.half - 5
            return _dt.date(y, m, 1), _dt.date(y, m + 5, _month_end(y, m + 5))
        lo_m, hi_m = 1, 12
        if self.qualifier is not None:  # early Jan-Apr, mid May-Aug, late Sep-Dec
            lo_m, hi_m = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[self.qualifier]
        return _dt.date(y, lo_m, 1), _dt.date(y, hi_m, _month_end(y, hi_m))

    def sort_key(self) -> tuple[_dt.date, _dt.date]:
        """Key for chronological order: by the first day, then the shorter span first."""
        return self.first(), self.last()

    def as_date(self) -> _dt.date:
        """Return the first day this date can mean."""
        return self.first()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.quarter is not None:
            text += f"-Q{self.quarter}"
        if self.half is not None:
            text += f"-H{self.half}"
        return f"{self.qualifier} {text}" if self.qualifier else text

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """Parse the written form of one date (not a range); raise ``ValueError`` with a
        user-facing message."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day)
        if not isinstance(value, str):
            raise ValueError(f"expected a date such as {_DATE_EXAMPLES}")
        m = _PARTIAL_DATE.match(value.strip())
        if m is None:
            raise ValueError(f"expected a date such as {_DATE_EXAMPLES}; got '{value}'")
        qualifier, year, month, day, quarter, half = m.groups()
        if int(year) < 1000:
            raise ValueError(f"year {year} is not a four-digit year; got '{value}'")
        if qualifier and (day or quarter or half):
            raise ValueError(f"'{qualifier}' goes with a month or year, not a day, quarter or half")
        if month is not None and not 1 <= int(month) <= 12:
            raise ValueError(f"month {month} does not exist; got '{value}'")
        if day is not None:
            try:
                _dt.date(int(year), int(month), int(day))
            except ValueError:
                raise ValueError(f"{value} is not a real date") from None
        return cls(
            int(year),
            int(month) if month else None,
            int(day) if day else None,
            qualifier,  # type: ignore[arg-type]
            int(quarter) if quarter else None,
            int(half) if half else None,
        )


@dataclass(frozen=True, slots=True)
class DateRange:
    """From one date to another, each as precise as known: ``2026-01-12/2026-01-13``."""

    start: PartialDate
    end: PartialDate

    @property
    def precision(self) -> str:
        return "range"

    def first(self) -> _dt.date:
        return self.start.first()

    def last(self) -> _dt.date:
        return self.end.last()

    def sort_key(self) -> tuple[_dt.date, _dt.date]:
        return self.first(), self.last()

    def as_date(self) -> _dt.date:
        return self.first()

    def __str__(self) -> str:
        return f"{self.start}/{self.end}"


AnyDate = PartialDate | DateRange


def parse_date(value: Any) -> AnyDate:
    """A date or an ISO range of two (``a/b``); raise ``ValueError`` with a user-facing
    message."""
    if isinstance(value, (PartialDate, DateRange)):
        return value
    if isinstance(value, str) and "/" in value:
        start_text, _, end_text = value.partition("/")
        start, end = PartialDate.parse(start_text), PartialDate.parse(end_text)
        if end.last() < start.first():
            raise ValueError(f"the range ends before it begins; got '{value}'")
        if start == end:
            return start
        return DateRange(start, end)
    return PartialDate.parse(value)


def _full_date(value: Any) -> PartialDate:
    date = PartialDate.parse(value)
    if date.precision != "day":
        raise ValueError(f"expected a full date (YYYY-MM-DD); got '{value}'")
    return date


_DATE_SCHEMA = {
    # a year alone is a number to an editor reading YAML 1.2
    "anyOf": [
        {"type": "string", "pattern": PARTIAL_DATE_PATTERN},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ],
    "description": f"{_DATE_EXAMPLES}; early/mid/late before a month or year.",
    "examples": ["2024-02-13", "2024-02", "early 2024-02", "2026-Q2", "2026-01-12/2026-01-13"],
}

Date = Annotated[
    AnyDate,
    BeforeValidator(parse_date),
    PlainSerializer(str),
    WithJsonSchema(_DATE_SCHEMA),
]
"""A date known to the day, month, quarter, half or year, or a range of two."""

FullDate = Annotated[
    PartialDate,
    BeforeValidator(_full_date),
    PlainSerializer(str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}
    ),
]
"""A date known to the day."""


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError(f"expected an http:// or https:// address; got '{value}'")
    return value


Url = Annotated[Text, AfterValidator(_http_url)]
"""An http(s) address; other schemes (``javascript:``, ``file:``) are refused."""

_LANG_PATTERN = LANG_TAG_PATTERN
LangTag = Annotated[
    str,
    Field(pattern=_LANG_PATTERN, examples=["en", "ko", "en-GB"]),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _LANG_PATTERN},
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": _LANG_PATTERN},
                    "minItems": 1,
                    "uniqueItems": True,
                },
            ],
            "description": "The memo's language, or the languages it is written in, main "
            "language first; per-language text is then given as {en: ..., ko: ...}.",
        }
    ),
]


def _version(value: Any) -> int:
    text = str(value).strip()
    if text not in {str(v) for v in SCHEMA_VERSIONS}:
        known = " and ".join(str(v) for v in SCHEMA_VERSIONS)
        raise ValueError(f"reports reads schema versions {known}; the file says '{value}'")
    return int(text)


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        str_strip_whitespace=False,
        hide_input_in_errors=True,
        defer_build=True,
    )


class Person(_Model):
    """Someone named in the memo: a delegation member, a drafter, a contact."""

    name: Line = Field(description="Full name as it should appear in the memo.")
    role: Line | None = Field(None, description="Title or role, e.g. 'Minister of Trade'.")
    organisation: Line | None = Field(None, description="Ministry, agency or company.")
    contact: Line | None = Field(None, description="Telephone or e-mail, for drafters.")


class Memo(_Model):
    """The memo's own header: who writes to whom, about what, how it is handled."""

    title: Line = Field(description="Title shown on the first page.")
    subtitle: Line | None = Field(None, description="Line under the title.")
    short_title: Line | None = Field(
        None, description="Running title in page headers; defaults to the title."
    )
    date: FullDate = Field(description="Date of the memo (YYYY-MM-DD).")
    from_: Line = Field(alias="from", description="Issuing ministry, department or officer.")
    to: OneOrMore | None = Field(
        None, description="Addressee, or a list of them (one per line); a memo needs one."
    )
    subject: Line = Field(description="One-line subject.")
    reference: Line | None = Field(None, description="File or reference number, if one exists.")
    marking: Text = Field(
        max_length=60,
        description="Handling marking printed on every page, e.g. OFFICIAL or UNCLASSIFIED.",
    )
    status: Literal["draft", "final"] = Field(
        "final", description="'draft' puts a DRAFT watermark on every page."
    )
    kind: Literal["memo", "report", "note"] = Field(
        "memo",
        description="memo: a letter-style header (From, To); report: an internal report "
        "(보고서) under its department, without From/To; note: only date and subject.",
    )
    drafter: Person | None = Field(None, description="Drafter or contact officer.")
    drafters: tuple[Person, ...] = Field(
        (), min_length=1, description="Drafters and contact officers, senior first."
    )
    distribution: tuple[Line, ...] = Field((), min_length=1, description="Who receives copies.")
    keywords: tuple[Line, ...] = Field(
        (), min_length=1, description="Keywords for document metadata."
    )
    toc: bool = Field(False, description="Include a table of contents.")
    timeline: Literal["table", "chart", "both"] = Field(
        "table",
        description="How the Timeline section shows its events: table (Date | Event | "
        "Significance), chart (the events on a time axis, for memos where the sequence "
        "matters more than the wording), or both (the chart, then the table).",
    )
    logo: ImageRef | None = Field(
        None,
        description="An emblem above the title on the first page (PNG or JPEG next to the "
        "fact base); in place of the house style's logo. Version 2.",
    )

    @property
    def all_drafters(self) -> tuple[Person, ...]:
        """``drafter`` (the one-person shorthand) and ``drafters``, in that order."""
        return ((self.drafter,) if self.drafter else ()) + self.drafters


class Attendee(_Model):
    """Someone at a meeting, on one side of the table."""

    name: Line = Field(description="Full name.")
    organisation: Line | None = Field(None, description="Ministry, agency or company.")
    role: Line | None = Field(None, description="Title or role.")
    side: Literal["ours", "counterpart", "other"] = Field(
        "other",
        description="ours: our delegation; counterpart: the other side's; other: everyone "
        "else (a domestic meeting's attendees, observers).",
    )


TIME_PATTERN = (
    r"^([01][0-9]|2[0-3]):[0-5][0-9]( ?[–-] ?([01][0-9]|2[0-3]):[0-5][0-9])?"
    r"( [A-Za-z][A-Za-z0-9+:/_-]{0,31})?$"
)
_TIME = re.compile(TIME_PATTERN)


def _time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError(
            f"expected a time of day such as 14:00, 09:30-11:00 or 14:00 KST (24-hour "
            f"HH:MM); got '{value}'"
        )
    return value


Time = Annotated[
    Text,
    AfterValidator(_time),
    WithJsonSchema(
        {"type": "string", "pattern": TIME_PATTERN, "examples": ["14:00", "09:30-11:00 KST"]}
    ),
]
"""A time of day, or two, in 24-hour HH:MM, optionally with a time zone."""


class Event(_Model):
    """A meeting, visit or announcement the memo is about."""

    name: Line = Field(description="What the event was.")
    host: Line | None = Field(None, description="Who hosted or convened it.")
    chair: Line | None = Field(None, description="Who chaired it.")
    date: Date = Field(description="When it took place (a day, or a range for several days).")
    time: Time | None = Field(None, description="Time of day, 24-hour: 14:00 or 09:30-11:00 KST.")
    venue: Line | None = Field(None, description="Where it took place.")
    format: Literal["virtual", "in-person", "hybrid"] | None = Field(
        None, description="How it was held, if the source says."
    )
    location: Line | None = Field(
        None, description="Where, for in-person or hybrid events (printed after the format)."
    )
    participants: tuple[Line, ...] = Field(
        (), min_length=1, description="Participating countries, economies or organisations."
    )
    delegation: tuple[Person, ...] = Field(
        (), min_length=1, description="Our side's delegation, leaders first."
    )
    agenda: tuple[Text, ...] = Field((), min_length=1, description="Agenda items, in order.")
    attendees: tuple[Attendee, ...] = Field(
        (), min_length=1, description="Who attended, each on a side, most senior first."
    )
    outcome: Body | None = Field(None, description="What the meeting decided or produced.")

    @property
    def sides(self) -> tuple[tuple[str, tuple[Attendee, ...]], ...]:
        """Attendees grouped by side (ours, counterpart, other), sides without any left out."""
        order = ("ours", "counterpart", "other")
        groups = ((side, tuple(a for a in self.attendees if a.side == side)) for side in order)
        return tuple((side, people) for side, people in groups if people)


class Clearance(_Model):
    """Someone who cleared, was consulted on, or has yet to clear the memo."""

    name: Line = Field(description="Full name.")
    role: Line | None = Field(None, description="Title or office.")
    date: Date | None = Field(None, description="When they cleared it.")
    status: Literal["cleared", "consulted", "pending"] = Field(
        "cleared", description="cleared (결재), consulted (협조) or pending."
    )


class Decision(_Model):
    """What the memo asks its reader to decide (a US action memo's recommendation)."""

    recommendation: Paragraphs = Field(description="That you …: the recommended decision.")
    options: tuple[Line, ...] = Field(
        (), min_length=2, description="The choices offered; default Agree, Disagree, Discuss."
    )
    deadline: Date | None = Field(None, description="By when the decision is needed.")


class Impact(_Model):
    """Who and what the matter affects."""

    affected: tuple[ListValue, ...] = Field(min_length=1, description="Groups affected.")
    industries: tuple[Line, ...] = Field(
        (), min_length=1, description="Industries that depend on the outcome."
    )


MAX_TIMELINE_EVENTS = 30
"""Events a timeline chart draws at most: more labels than fit beside a page's axis."""


class TimelineEntry(_Model):
    """One step in the sequence of events."""

    date: Date = Field(description="When; as precise as the source allows.")
    event: Text = Field(description="What happened.")
    significance: Text | None = Field(None, description="Why it matters.")


class QA(_Model):
    """An anticipated question with its agreed answer."""

    question: Line = Field(description="The question as it would be asked.")
    answer: Paragraphs = Field(description="The answer; one paragraph or a list.")


class NextStep(_Model):
    """A follow-up action, with its owner where one is named."""

    action: Text = Field(description="What will be done.")
    owner: OneOrMore | None = Field(
        None, description="Who is responsible, if named: one, or a list of them."
    )
    due: Date | None = Field(None, description="By when, if set.")


class SourceRef(_Model):
    """A document the facts were taken from."""

    title: Line = Field(description="Title or description of the source.")
    publisher: Line | None = Field(None, description="Who issued it.")
    date: Date | None = Field(None, description="When it was issued.")
    url: Url | None = Field(None, description="Where to read it (http or https).")
    id: FootnoteId | None = Field(
        None, description="Cite this source as a footnote with [^id] in any text. Version 2."
    )


# ---------------------------------------------------------------- version 2: blocks


def _file_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a file name, relative to the fact base")
    return value.strip()


def _image_file(value: Any, info: ValidationInfo) -> ImageFile:
    return assets.image(_file_name(value), info)


def _csv_file(value: Any, info: ValidationInfo) -> CsvTable:
    return assets.csv_table(_file_name(value), info)


_FILE_SCHEMA = {"type": "string", "minLength": 1, "description": "A file next to the fact base."}

ImageRef = Annotated[
    ImageFile,
    PlainValidator(_image_file),
    PlainSerializer(str),
    WithJsonSchema({**_FILE_SCHEMA, "pattern": r"(?i)\.(png|jpe?g)$"}),
]
"""A PNG or JPEG file in the fact base's folder, checked when the fact base is read."""

CsvRef = Annotated[
    CsvTable,
    PlainValidator(_csv_file),
    PlainSerializer(str),
    WithJsonSchema({**_FILE_SCHEMA, "pattern": r"(?i)\.csv$"}),
]
"""A UTF-8 CSV file in the fact base's folder, read when the fact base is read."""


def _cell(value: Any) -> Any:
    return "" if value is None else _only_text(value)


def _check_cell(value: str) -> str:
    bad = _INVALID_CHARS.search(value)
    if bad is not None:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}, which documents "
            "cannot hold; remove it"
        )
    return value


Cell = Annotated[
    str,
    BeforeValidator(_cell),
    AfterValidator(_check_cell),
    Field(max_length=assets.MAX_CELL),
    WithJsonSchema(
        {"anyOf": [*_text_schema(assets.MAX_CELL)["anyOf"], {"type": "null"}],
         "description": "A cell's text; empty (or ~) for an empty cell."}
    ),
]  # fmt: skip
"""A table cell: text with inline markup, or empty."""

BLOCK_KINDS = ("list", "table", "figure", "chart", "note", "box")
"""The keys that make a mapping in a paragraph list a block."""


def _block_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        found = [k for k in BLOCK_KINDS if k in value]
        if len(found) == 1:
            return found[0]
        if not found and len(value) == 1 and _is_colon_trap(value):
            return "text"  # 'Note: text' read as a mapping: the text validator explains
        return None
    if isinstance(value, BaseModel):  # an already validated block (model_copy, tests)
        return next((k for k in BLOCK_KINDS if k in type(value).model_fields or
                     f"{k}_" in type(value).model_fields), None)  # fmt: skip
    return "text"


def _item_kind(value: Any) -> str:
    if isinstance(value, ListEntry):
        return "item"
    if isinstance(value, dict) and (
        "item" in value or "items" in value or not _is_colon_trap(value)
    ):
        return "item"
    return "text"


def _is_colon_trap(value: dict[Any, Any]) -> bool:
    """A one-key mapping to text: almost always a sentence with ': ' in it, not structure."""
    if len(value) != 1:
        return False
    ((key, rest),) = value.items()
    return isinstance(key, str) and (isinstance(rest, str) or rest is None)


class _OrText:
    """JSON Schema of a paragraph list that may also be written as one text."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        return {
            "anyOf": [
                *_text_schema()["anyOf"],
                schema,
                {**_LOCALIZED, "additionalProperties": schema},
            ],
            "description": "One paragraph as text, or a list of paragraphs and blocks "
            "(list, table, figure, chart, note, box; version 2).",
        }


class ListEntry(_Model):
    """A list item with the items nested under it (version 2)."""

    item: Text = Field(description="The item's text.")
    items: tuple[ListValue, ...] = Field(
        (), min_length=1, description="Items nested under this one."
    )
    numbered: bool = Field(False, description="Number the nested items (1, a, i by level).")


ListValue = Annotated[
    Annotated[Text, Tag("text")] | Annotated[ListEntry, Tag("item")],
    Discriminator(_item_kind),
]
"""A list item: its text, or ``{item: text, items: [nested items]}``."""


class ListBlock(_Model):
    """A bulleted or numbered list."""

    list_: tuple[ListValue, ...] = Field(alias="list", min_length=1, description="The items.")
    numbered: bool = Field(False, description="Number the items instead of bullets.")
    start: int = Field(1, ge=1, le=999_999, description="The first number of a numbered list.")


Align = Literal["left", "right", "center", "centre"]
# a number as tables print them: -1,200.5 / (35) / \u22123 / $12 / 35 % / 4.2 bn
_NUMBER = re.compile(
    "^[-+\u2212(]?[$\u20ac\u00a3\u20a9\u00a5]?\\s?[0-9][0-9,.\\s]*\\)?\\s?(%|[A-Za-z]{1,3})?$"
)
_NO_VALUE = ("-", "\u2014", "\u2013")  # a dash for an empty cell: neither text nor number


class TableSpec(_Model):
    """A table: its columns and rows inline, or read from a CSV file."""

    id: TableId | None = Field(
        None, description="A name for the table, unique in the memo, so a chart can draw it."
    )
    columns: tuple[Line, ...] | None = Field(
        None, min_length=1, max_length=assets.MAX_COLUMNS, description="Column headings."
    )
    rows: tuple[tuple[Cell, ...], ...] | None = Field(
        None, min_length=1, description="Rows, one list of cells each, one cell per column."
    )
    csv: CsvRef | None = Field(
        None,
        description="A UTF-8 CSV file next to the fact base, instead of columns and rows: "
        "its first row names the columns.",
    )
    caption: Text | None = Field(None, description="Caption above the table, numbered.")
    source: Text | None = Field(None, description="Where the figures come from.")
    widths: tuple[Annotated[float, Field(gt=0, le=1000)], ...] | None = Field(
        None, min_length=1, description="Relative column widths, one per column."
    )
    align: tuple[Align, ...] | None = Field(
        None,
        min_length=1,
        description="Alignment per column; columns of numbers are right-aligned by default.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> TableSpec:
        if self.csv is not None and (self.rows is not None or self.columns is not None):
            raise ValueError(
                "give the table's columns and rows, or a csv file (whose first row names "
                "the columns), not both"
            )
        if self.csv is None and (self.rows is None or self.columns is None):
            raise ValueError("a table needs columns and rows, or a csv file")
        return self

    @property
    def header(self) -> tuple[str, ...]:
        """The column headings."""
        return self.csv.header if self.csv is not None else self.columns or ()

    @property
    def body(self) -> tuple[tuple[str, ...], ...]:
        """The rows of cells."""
        return self.csv.rows if self.csv is not None else self.rows or ()

    def alignments(self) -> tuple[str, ...]:
        """Alignment per column: as given, else right for a column of numbers."""
        out = []
        for i in range(len(self.header)):
            if self.align is not None and i < len(self.align):
                out.append("center" if self.align[i] == "centre" else self.align[i])
                continue
            cells = [row[i].strip() for row in self.body if i < len(row) and row[i].strip()]
            numeric = bool(cells) and all(_NUMBER.match(c) for c in cells if c not in _NO_VALUE)
            out.append("right" if numeric else "left")
        return tuple(out)


class TableBlock(_Model):
    table: TableSpec


TABLE_ID = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
TableId = Annotated[str, Field(pattern=TABLE_ID)]
"""A table's name: a letter, then letters, digits, '-', '_' or '.' (up to 64)."""


class FigureSpec(_Model):
    """An image with its caption, numbered "Figure 1"."""

    file: ImageRef = Field(description="A PNG or JPEG file next to the fact base.")
    alt: Line = Field(description="What the image shows, for readers who cannot see it.")
    caption: Text | None = Field(None, description="Caption under the figure.")
    width: float = Field(1.0, gt=0, le=1, description="Share of the text width, up to 1.")


class FigureBlock(_Model):
    figure: FigureSpec


ChartType = Literal["bar", "column", "stacked-bar", "stacked-column", "line", "pie", "doughnut"]
"""Horizontal bars, vertical columns (each clustered or stacked), a line, a pie, a ring."""
CHART_TYPES: tuple[str, ...] = get_args(ChartType)

MAX_CATEGORIES = 200
"""Categories a chart holds at most: more cannot be told apart on a page."""
MAX_SERIES = 12
"""Series a chart holds at most (a legend of a dozen colours is already hard to read)."""
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _number(value: Any) -> float:
    # the loader gives every scalar as text: a number is text that reads as one
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError(f"expected a number, got {_kind_of(value)}")
    text = str(value).strip()
    if not _PLAIN_NUMBER.match(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise ValueError(
            f"expected a number such as 1200 or 3.5, got '{shown}'; write it without "
            "thousands separators or units (the chart's units and format say those)"
        )
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e15:
        raise ValueError(f"'{text}' is too large for a chart")
    if number and abs(number) < 1e-9:
        raise ValueError(f"'{text}' is too small for a chart; give it in a smaller unit")
    return number


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


Number = Annotated[
    float,
    PlainValidator(_number),
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _PLAIN_NUMBER.pattern}]}
    ),
]
"""A number as typed in YAML (``96``, ``-3.5``, ``1e6``), without separators or units."""


class SeriesSpec(_Model):
    """One series of a chart: its name (the legend's entry) and one value per category."""

    name: Line = Field(description="The series' name, shown in the legend.")
    values: tuple[Number, ...] = Field(
        min_length=1, description="One number per category, in the categories' order."
    )


class ChartSpec(_Model):
    """A chart drawn from numbers in the fact base: vector in the PDF, a native chart in
    the Word document (its data editable there), numbered with the figures."""

    type: ChartType = Field(
        description="bar (horizontal), column (vertical), stacked-bar, stacked-column, "
        "line, pie or doughnut."
    )
    title: Line | None = Field(None, description="Title drawn above the chart.")
    categories: tuple[Line, ...] | None = Field(
        None,
        min_length=1,
        max_length=MAX_CATEGORIES,
        description="Labels of the bars, points or slices, in order.",
    )
    series: tuple[SeriesSpec, ...] | None = Field(
        None,
        min_length=1,
        max_length=MAX_SERIES,
        description="The numbers: one series (or several, side by side or stacked), each "
        "with one value per category. A pie or doughnut has one series.",
    )
    table: TableId | None = Field(
        None,
        description="Instead of categories and series: the id of a table in this memo. "
        "Its first column gives the categories, its columns of numbers the series.",
    )
    columns: tuple[Line, ...] | None = Field(
        None,
        min_length=1,
        max_length=MAX_SERIES,
        description="With table: the columns to draw, by heading (default: every column "
        "of numbers after the first).",
    )
    units: Line | None = Field(
        None,
        max_length=60,
        description="What the numbers count ('%', 'tonnes', '£ million'): the value axis's "
        "title, and said after each number in the chart's text alternative.",
    )
    format: Annotated[str, Field(pattern=NUMBER_FORMAT)] | None = Field(
        None,
        description="How numbers are written: 0, 0.0, 0.00 …, with #,##0 for a thousands "
        "separator (#,##0.0). Default: as many decimals as the data has, at most 2.",
    )
    labels: bool | None = Field(
        None,
        description="Write each value on its bar or slice. Default: yes for a pie, a "
        "doughnut and a chart of one series of bars; no otherwise.",
    )
    caption: Text | None = Field(None, description="Caption under the chart, numbered.")
    source: Text | None = Field(None, description="Where the numbers come from.")
    alt: Line | None = Field(
        None,
        description="What the chart shows, for readers who cannot see it. Default: a "
        "summary written from the data (the type, title and every value).",
    )
    width: float = Field(1.0, gt=0, le=1, description="Share of the text width, up to 1.")

    @model_validator(mode="after")
    def _one_source(self) -> ChartSpec:
        inline = self.categories is not None or self.series is not None
        if self.table is not None and inline:
            raise ValueError(
                "give the chart's categories and series, or the id of a table to draw "
                "(table: …), not both"
            )
        if self.table is None and (self.categories is None or self.series is None):
            raise ValueError("a chart needs categories and series, or table: the id of a table")
        if self.columns is not None and self.table is None:
            raise ValueError("columns picks the columns of a table: give table: too")
        return self


class ChartBlock(_Model):
    chart: ChartSpec


class NoteBlock(_Model):
    note: Text = Field(description="A remark set apart (※ in Korean reports).")


class BoxSpec(_Model):
    """A bordered callout, e.g. "Decision required" or a summary box."""

    title: Line | None = Field(None, description="Title inside the box's top.")
    body: Body = Field(description="Paragraphs and blocks inside the box.")


class BoxBlock(_Model):
    box: BoxSpec


Block = Annotated[
    Annotated[Text, Tag("text")]
    | Annotated[ListBlock, Tag("list")]
    | Annotated[TableBlock, Tag("table")]
    | Annotated[FigureBlock, Tag("figure")]
    | Annotated[ChartBlock, Tag("chart")]
    | Annotated[NoteBlock, Tag("note")]
    | Annotated[BoxBlock, Tag("box")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="expected text or one block: list, table, figure, chart, note or box",
    ),
]
"""A paragraph (text) or a block."""

Body = Annotated[
    tuple[Block, ...],
    BeforeValidator(_as_paragraphs),
    Field(min_length=1),
    _OrText,
]
"""Paragraphs and blocks: one text, or a list of texts and blocks."""

SectionKey = Literal["summary", "purpose", "background", "key_points", "impact", "timeline",
                     "faq", "next_steps", "assessment", "sources"]  # fmt: skip
"""The standard sections, in the order the memo template prints them."""
SECTION_KEYS: tuple[str, ...] = get_args(SectionKey)


class Subsection(_Model):
    """A titled part of a custom section (Heading 2)."""

    heading: Line = Field(description="The subsection's heading.")
    body: Body = Field(description="Its paragraphs and blocks.")


class Section(_Model):
    """A section of the memo's own, numbered and listed like the standard ones."""

    heading: Line = Field(description="The section's heading.")
    body: Body | None = Field(None, description="Its paragraphs and blocks.")
    subsections: tuple[Subsection, ...] = Field(
        (), min_length=1, description="Parts with their own headings (Heading 2)."
    )
    after: SectionKey | None = Field(
        None,
        description="The standard section this one follows; by default it comes just "
        "before Next steps.",
    )

    @model_validator(mode="after")
    def _has_content(self) -> Section:
        if self.body is None and not self.subsections:
            raise ValueError("a section needs a body, subsections or both")
        return self


class Annex(_Model):
    """A document attached to the memo: on its own page, labelled Annex A (붙임 1)."""

    title: Line = Field(description="The annex's title.")
    body: Body = Field(description="Its paragraphs and blocks.")


FOOTNOTE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
FootnoteId = Annotated[str, Field(pattern=FOOTNOTE_ID)]


class FactBase(_Model):
    """Everything one briefing memo states, in one file."""

    version: Annotated[int, BeforeValidator(_version)] = Field(
        description="Schema version of this file: 2 (markup, blocks, sections, annexes, "
        "footnotes), or 1 (literal text; `reports migrate` upgrades it).",
        json_schema_extra={"enum": list(SCHEMA_VERSIONS)},
    )
    lang: LangTag = Field("en", description="Language of the memo (BCP 47 tag).")
    style: Line | None = Field(
        None,
        description="House-style file for this memo, relative to this file; merged over the "
        "template's style and any --style given on the command line.",
    )
    memo: Memo
    event: Event | None = Field(None, description="The event the memo reports on, if any.")
    events: tuple[Event, ...] = Field(
        (), min_length=1, description="The events the memo reports on, oldest first."
    )
    purpose: Body | None = Field(None, description="Why the event or matter arose.")
    decision: Decision | None = Field(
        None, description="The decision asked of the reader, printed after the summary."
    )
    summary: tuple[ListValue, ...] = Field(
        min_length=1, description="The bottom line: a few short points, most important first."
    )
    background: Body = Field(description="Context a reader needs.")
    key_points: tuple[ListValue, ...] = Field(
        (), min_length=1, description="Our positions or the main points made."
    )
    impact: Impact | None = Field(None, description="Who and which industries are affected.")
    timeline: tuple[TimelineEntry, ...] = Field(
        (), min_length=1, description="Sequence of events, oldest first."
    )
    faq: tuple[QA, ...] = Field((), min_length=1, description="Anticipated questions and answers.")
    next_steps: tuple[NextStep, ...] = Field((), min_length=1, description="Follow-up actions.")
    assessment: Body | None = Field(None, description="The drafter's assessment.")
    sources: tuple[SourceRef, ...] = Field(min_length=1, description="Where the facts come from.")
    sections: tuple[Section, ...] = Field(
        (), min_length=1, description="Sections of the memo's own (version 2)."
    )
    annexes: tuple[Annex, ...] = Field(
        (), min_length=1, description="Annexes after the memo, each on its own page (version 2)."
    )
    footnotes: dict[FootnoteId, Text] = Field(
        {},
        min_length=1,
        description="Footnote texts by id, cited as [^id] in any text (version 2).",
    )
    clearance: tuple[Clearance, ...] = Field(
        (), min_length=1, description="Who cleared the memo (결재/협조), junior first."
    )

    @property
    def all_events(self) -> tuple[Event, ...]:
        """``event`` (the one-event shorthand) and ``events``, in that order."""
        return ((self.event,) if self.event else ()) + self.events


def iter_texts(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (key path, text) for every text value in a model, keys named as in YAML."""
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from iter_texts(getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from iter_texts(item, (*path, i))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from iter_texts(item, (*path, key))
    elif isinstance(node, CsvTable):  # its cells are memo text too (glyphs, fonts)
        for i, row in enumerate((node.header, *node.rows)):
            for j, cell in enumerate(row):
                yield (*path, i, j), cell
    elif isinstance(node, LocalFile):
        return  # a file's name is not memo text
    elif isinstance(node, str):
        yield path, node


def local_files(node: Any) -> Iterator[LocalFile]:
    """Every file (figure, logo, CSV table) a fact base names, in reading order."""
    if isinstance(node, LocalFile):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from local_files(getattr(node, name))
    elif isinstance(node, tuple):
        for item in node:
            yield from local_files(item)


def json_schema(languages: list[str] | None = None) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a fact base.

    ``languages`` (those with a message catalogue) narrows language tags, in ``lang`` and
    as keys of per-language text, to those a memo can be built in: a typo such as ``kr``
    for ``ko`` is then flagged in the editor too. ``None`` accepts any well-formed tag.
    """
    schema = FactBase.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://reports.invalid/schema/factbase-v{SCHEMA_VERSION}.json"
    schema["title"] = (
        f"reports fact base, schema versions {' and '.join(map(str, SCHEMA_VERSIONS))}"
    )
    if languages:
        # the language, optionally with a region or script: ko, en-GB
        # ``all`` marks text meant for every language (a proper name)
        tags = sorted({*languages, ALL})
        known = LANG_TAG_PATTERN.replace("[a-z]{2,3}", f"({'|'.join(tags)})", 1)

        def narrow(node: Any) -> Any:
            if isinstance(node, dict):
                if node.get("pattern") == LANG_TAG_PATTERN:
                    return {**node, "pattern": known}
                return {k: narrow(v) for k, v in node.items()}
            if isinstance(node, list):
                return [narrow(v) for v in node]
            return node

        schema = narrow(schema)
    return schema


@lru_cache(maxsize=1)
def field_names() -> frozenset[str]:
    """Every field name of the schema, as YAML writes it (``from``, ``to``, ``url``)."""
    names: set[str] = set()
    pending: list[Any] = [FactBase]
    seen: set[Any] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            pending.extend(models_in(info.annotation))
    return frozenset(names)


def models_in(annotation: Any) -> list[Any]:
    """The BaseModel classes inside ``X``, ``X | None``, ``tuple[X, ...]``, ``Annotated``
    or a union of blocks, each once, in order."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[Any] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += [m for m in models_in(arg) if m not in found]
    origin = getattr(annotation, "__origin__", None)  # Annotated[X, ...]
    if origin is not None and not found and hasattr(annotation, "__metadata__"):
        found = models_in(origin)
    return found
