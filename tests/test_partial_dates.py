"""Partial dates: what can be written, what each means, and how a timeline orders them."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.model import _DATE_EXAMPLES as EXAMPLES
from reports.model import DateRange, PartialDate, parse_date


@pytest.mark.parametrize(
    ("written", "parsed", "precision"),
    [
        ("2024-02-13", PartialDate(2024, 2, 13), "day"),
        ("2024-02", PartialDate(2024, 2), "month"),
        ("2024", PartialDate(2024), "year"),
        ("early 2024-02", PartialDate(2024, 2, None, "early"), "month"),
        ("mid 2024", PartialDate(2024, None, None, "mid"), "year"),
        ("  late 2024-12 ", PartialDate(2024, 12, None, "late"), "month"),
    ],
)
def test_written_forms(written: str, parsed: PartialDate, precision: str) -> None:
    date = PartialDate.parse(written)
    assert date == parsed
    assert date.precision == precision
    assert str(date) == written.strip()


def test_calendar_dates_and_partial_dates_pass_through() -> None:
    assert PartialDate.parse(dt.date(2024, 2, 13)) == PartialDate(2024, 2, 13)
    date = PartialDate(2024, 2)
    assert PartialDate.parse(date) is date


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "2024/02/13",
            f"expected a date such as {EXAMPLES}; got '2024/02/13'",
        ),
        (
            "Feb 2024",
            f"expected a date such as {EXAMPLES}; got 'Feb 2024'",
        ),
        (
            "2024-2-13",
            f"expected a date such as {EXAMPLES}; got '2024-2-13'",
        ),
        ("0999", "year 0999 is not a four-digit year; got '0999'"),
        ("2024-13", "month 13 does not exist; got '2024-13'"),
        ("2024-00", "month 00 does not exist; got '2024-00'"),
        ("2024-02-30", "2024-02-30 is not a real date"),
        ("2023-02-29", "2023-02-29 is not a real date"),
        ("early 2024-02-13", "'early' goes with a month or year, not a day, quarter or half"),
        (20240213, f"expected a date such as {EXAMPLES}"),
    ],
)
def test_impossible_dates_are_refused(written: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        PartialDate.parse(written)
    assert str(caught.value) == message


def test_a_leap_day_is_a_real_date() -> None:
    assert PartialDate.parse("2024-02-29") == PartialDate(2024, 2, 29)


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("2024-02-13", "2024-02-13", "2024-02-13"),
        ("2024-02", "2024-02-01", "2024-02-29"),  # a leap year's February
        ("early 2024-02", "2024-02-01", "2024-02-10"),
        ("mid 2024-02", "2024-02-11", "2024-02-20"),
        ("late 2023-02", "2023-02-21", "2023-02-28"),
        ("2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-q4", "2026-10-01", "2026-12-31"),
        ("2026-H1", "2026-01-01", "2026-06-30"),
        ("2026-H2", "2026-07-01", "2026-12-31"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("early 2026", "2026-01-01", "2026-04-30"),
        ("mid 2026", "2026-05-01", "2026-08-31"),
        ("late 2026", "2026-09-01", "2026-12-31"),
        ("2026-01-12/2026-01-13", "2026-01-12", "2026-01-13"),
        ("late 2025-12/2026-Q1", "2025-12-21", "2026-03-31"),
    ],
)
def test_each_date_stands_for_a_span_of_days(written: str, first: str, last: str) -> None:
    date = parse_date(written)
    assert (date.first().isoformat(), date.last().isoformat()) == (first, last)


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("2026-Q2", PartialDate(2026, quarter=2)),
        ("2026-H1", PartialDate(2026, half=1)),
        ("2026-01-12/2026-01-13", DateRange(PartialDate(2026, 1, 12), PartialDate(2026, 1, 13))),
        ("2026-01/2026-Q2", DateRange(PartialDate(2026, 1), PartialDate(2026, quarter=2))),
        ("2026-01-12/2026-01-12", PartialDate(2026, 1, 12)),  # one day is not a range
    ],
)
def test_quarters_halves_and_ranges(written: str, parsed: object) -> None:
    date = parse_date(written)
    assert date == parsed
    assert parse_date(str(date)) == date  # the written form reads back as the same date


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2026-Q5", f"expected a date such as {EXAMPLES}; got '2026-Q5'"),
        ("2026-H3", f"expected a date such as {EXAMPLES}; got '2026-H3'"),
        ("early 2026-Q1", "'early' goes with a month or year, not a day, quarter or half"),
        ("2026-01-13/2026-01-12", "the range ends before it begins; got '2026-01-13/2026-01-12'"),
        ("2026-01-12/", f"expected a date such as {EXAMPLES}; got ''"),
    ],
)
def test_impossible_quarters_halves_and_ranges(written: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(written)
    assert str(caught.value) == message


def test_sort_key_puts_the_earlier_start_first_then_the_shorter_span() -> None:
    written = ["2024", "2024-02", "early 2024-02", "2024-02-01", "2024-Q1", "2024-01-31/2024-02-02"]
    ordered = sorted((parse_date(w) for w in written), key=lambda d: d.sort_key())
    assert [str(d) for d in ordered] == [
        "2024-Q1",  # 1 January to 31 March, shorter than the year
        "2024",
        "2024-01-31/2024-02-02",
        "2024-02-01",
        "early 2024-02",
        "2024-02",
    ]


def test_first_day_a_date_can_mean() -> None:
    assert PartialDate.parse("late 2024-02").as_date() == dt.date(2024, 2, 21)
    assert PartialDate.parse("2024").as_date() == dt.date(2024, 1, 1)
    assert PartialDate.parse("2024-02-13").as_date() == dt.date(2024, 2, 13)
