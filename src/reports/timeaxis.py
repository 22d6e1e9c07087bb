"""The time axis of a timeline chart: the spans of days its labels name, in the memo's
language. Plain data, no I/O.

A writer knows its width and fonts, not the language; the template knows the language,
not the width. So the template offers every scale that could suit the events' span,
finest first (days, weeks, months, quarters, years, decades), each labelled in the
memo's language, and a writer takes the first whose labels fit side by side.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator

from .document import AxisLabel, TimeScale
from .locale import AxisUnit

DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6)
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
MOST_LABELS = 48
"""Labels a scale has at most: more would not fit beside one another on any page."""
FEW_LABELS = 4
"""Labels few enough to fit side by side in any width: no coarser scale is offered."""
DAY_SCALES_UP_TO = 31
"""Days between the first and last event beyond which days are not labelled: over a
month, months read better than weeks."""

Labeller = Callable[[_dt.date, AxisUnit, bool], str]
"""Writes an axis label: (first day, unit, with the year) → text (``Locale.axis``)."""


def scales(first: _dt.date, last: _dt.date, label: Labeller) -> tuple[TimeScale, ...]:
    """The scales that can mark an axis holding ``first`` to ``last`` (the first and last
    days of the events), finest first; there is always at least one."""
    found: list[TimeScale] = []
    for scale in _candidates(first, last, label):
        if len(scale.labels) <= MOST_LABELS:
            found.append(scale)
        if len(scale.labels) <= FEW_LABELS:
            break  # fits any width: coarser scales would only say less
    return tuple(found)


def _candidates(first: _dt.date, last: _dt.date, label: Labeller) -> Iterator[TimeScale]:
    span = (last - first).days
    if span <= DAY_SCALES_UP_TO:
        # a little room before the first event and after the last, so neither sits on
        # the axis's end
        pad = _dt.timedelta(days=max(1, round(span * 0.04)))
        start, end = first - pad, last + pad
        for step in DAY_STEPS:
            if step > 1 and (end - start).days < 2 * step:
                break  # a coarser step would label one day of the axis
            begin = start
            if step % 7 == 0:  # weeks are labelled by their Mondays
                begin += _dt.timedelta(days=-start.weekday() % 7)
            days = [begin + _dt.timedelta(days=k) for k in range(0, (end - begin).days + 1, step)]
            yield TimeScale(start, end, _labels([(d, d) for d in days], "day", label))
    for step in MONTH_STEPS:
        m0 = _month_index(first) // step * step
        m1 = _month_index(last) // step * step
        blocks = []
        for m in range(m0, m1 + 1, step):
            blocks.append((_month_start(m), _month_start(m + step) - _dt.timedelta(days=1)))
        if len(blocks) > MOST_LABELS:
            continue
        yield TimeScale(blocks[0][0], blocks[-1][1], _labels(blocks, "month", label))
    for step in YEAR_STEPS:
        y0, y1 = first.year // step * step, last.year // step * step
        if (y1 - y0) // step + 1 > MOST_LABELS:
            continue
        years = range(y0, y1 + 1, step)
        start, end = _dt.date(y0, 1, 1), _dt.date(y1 + step - 1, 12, 31)
        if step == 1:  # a year's label sits under the year
            spans = [(_dt.date(y, 1, 1), _dt.date(y, 12, 31)) for y in years]
        else:  # a decade's label sits at its first year: "2020" under 2020–2029 would
            # read as the middle year
            spans = [(_dt.date(y, 1, 1), _dt.date(y, 1, 1)) for y in years]
        yield TimeScale(start, end, _labels(spans, "year", label))


def _labels(
    spans: list[tuple[_dt.date, _dt.date]], unit: AxisUnit, label: Labeller
) -> tuple[AxisLabel, ...]:
    """A label per span; the first and each one that starts a new year write the year."""
    out: list[AxisLabel] = []
    year = None
    for first, last in spans:
        out.append(AxisLabel(first, last, label(first, unit, first.year != year)))
        year = first.year
    return tuple(out)


def _month_index(day: _dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> _dt.date:
    return _dt.date(index // 12, index % 12 + 1, 1)
