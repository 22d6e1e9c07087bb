"""Partial dates: what can be written, what each means, and how a timeline orders them."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from reports.model import PartialDate


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
            "expected a date such as 2024-02-13, 2024-02 or early 2024-02; got '2024/02/13'",
        ),
        (
            "Feb 2024",
            "expected a date such as 2024-02-13, 2024-02 or early 2024-02; got 'Feb 2024'",
        ),
        (
            "2024-2-13",
            "expected a date such as 2024-02-13, 2024-02 or early 2024-02; got '2024-2-13'",
        ),
        ("0999", "year 0999 is not a four-digit year; got '0999'"),
        ("2024-13", "month 13 does not exist; got '2024-13'"),
        ("2024-00", "month 00 does not exist; got '2024-00'"),
        ("2024-02-30", "2024-02-30 is not a real date"),
        ("2023-02-29", "2023-02-29 is not a real date"),
        ("early 2024-02-13", "'early' goes with a month or year, not a full date"),
        (20240213, "expected a date such as 2024-02-13, 2024-02 or early 2024-02"),
    ],
)
def test_impossible_dates_are_refused(written: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        PartialDate.parse(written)
    assert str(caught.value) == message


def test_a_leap_day_is_a_real_date() -> None:
    assert PartialDate.parse("2024-02-29") == PartialDate(2024, 2, 29)


CHRONOLOGICAL = [
    "2023-12-31",
    "2024",
    "2024-01",
    "2024-01-15",
    "2024-02",
    "early 2024-02",
    "2024-02-01",
    "2024-02-10",
    "mid 2024-02",
    "2024-02-11",
    "2024-02-20",
    "late 2024-02",
    "2024-02-21",
    "2024-02-29",
    "2024-03",
    "mid 2024",
    "2024-06",
    "late 2024",
    "2024-10",
    "2025",
]


def test_timeline_order() -> None:
    """A date sorts by the earliest day it can mean, then the less precise first: a month
    before its early part, a part of a month before the days in it."""
    dates = [PartialDate.parse(d) for d in CHRONOLOGICAL]
    shuffled = dates[:]
    random.Random(7).shuffle(shuffled)
    assert [str(d) for d in sorted(shuffled, key=PartialDate.sort_key)] == CHRONOLOGICAL


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("2024-02", "early 2024-02"),  # the month, then its parts
        ("early 2024-02", "2024-02-10"),  # days 1-10 are early in the month
        ("2024-02-10", "mid 2024-02"),
        ("mid 2024-02", "2024-02-11"),  # days 11-20 are mid-month
        ("2024-02-20", "late 2024-02"),
        ("late 2024-02", "2024-02-21"),  # days 21 on are late in the month
        ("late 2024-02", "2024-03"),
        ("2024", "2024-01"),
        ("late 2024", "2024-12"),
        ("2024-12-31", "2025"),
    ],
)
def test_pairs_in_order(earlier: str, later: str) -> None:
    assert PartialDate.parse(earlier).sort_key() < PartialDate.parse(later).sort_key()


@pytest.mark.parametrize(
    ("first", "second"),
    [("early 2024", "2024-01"), ("mid 2024", "2024-05"), ("late 2024", "2024-09")],
)
def test_parts_of_a_year_start_with_a_month(first: str, second: str) -> None:
    """Early in a year is taken to begin in January, mid-year in May, late in the year in
    September: none is out of order next to that month."""
    assert PartialDate.parse(first).sort_key() == PartialDate.parse(second).sort_key()


def test_first_day_a_date_can_mean() -> None:
    assert PartialDate.parse("late 2024-02").as_date() == dt.date(2024, 2, 1)
    assert PartialDate.parse("2024").as_date() == dt.date(2024, 1, 1)
    assert PartialDate.parse("2024-02-13").as_date() == dt.date(2024, 2, 13)
