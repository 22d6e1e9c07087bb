"""A timeline chart's geometry, worked out once for every writer: the time axis, each
event's mark, and its label placed where it overlaps no other and no other's leader line.

The chart is a band across the text width holding the axis's labels (months, days or
years, whichever scale fits); each event is a dot (a day) or a bar (a month, a range) on
the band's edge, with a leader line up or down to its label: the date in bold, then what
happened, wrapped and shortened to a few lines. Labels alternate above and below the
band and step away from it, level by level, when they would collide.

Writers get plain shapes in points, ``y`` growing downwards from the drawing's top
(Word's way; the PDF writer turns it over) and draw them in order.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .. import document as d
from ..layout import wrap
from ..style import ChartLook

Measure = Callable[[str, float, bool], float]
"""Width in points of a text on one line: (text, size, bold) → width."""

_LEADING = 1.22
"""Line height of a label, as a multiple of the font size."""
_GAP = 6.0
"""Room between two labels side by side, and between a label and the band's edge."""
_STEM = 10.0
"""Least length of a leader line: from the band's edge to the nearest level of labels."""
_LEVEL_GAP = 5.0
"""Room between two levels of labels."""
_INSET = 3.0
"""From a leader line to its label's text."""
_MOST_LINES = 3
"""Lines of event text a label holds at most, at first (fewer when the chart would not fit
on a page)."""
_MOST_LEVELS = 16
"""Levels of labels on each side of the band before labels may cross leader lines."""
_BAR = 4.0
"""Thickness of an event's bar (a month, a range)."""
"""Levels of labels on each side of the band before labels may cross leader lines."""


@dataclass(frozen=True, slots=True)
class Rect:
    """A filled rectangle."""

    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight line."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float


@dataclass(frozen=True, slots=True)
class Dot:
    """A filled circle, ringed in white so it stands out from the band."""

    x: float
    y: float
    radius: float
    color: str


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a label's text."""

    text: str
    bold: bool
    color: str


@dataclass(frozen=True, slots=True)
class Label:
    """Lines of text in a box: ``x`` and ``y`` its top left corner, ``align`` the side the
    lines are set against (a label to the left of its leader is set against it)."""

    x: float
    y: float
    width: float
    lines: tuple[Line, ...]
    size: float
    leading: float
    align: Literal["left", "right", "center"]

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


Shape = Rect | Rule | Dot | Label


@dataclass(slots=True)
class TimelineLayout:
    """The drawing: its size and its shapes, to be drawn in order."""

    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    crossings: int = 0
    """Leader lines that pass through a label (only when events crowd beyond any
    arrangement the layout tries)."""


@dataclass(slots=True)
class _Placed:
    """An event's label while levels are being chosen."""

    anchor: float
    """Where its leader line stands."""
    spans: list[tuple[float, float]]
    """Where the label may go, left edge to right: to the right of its leader, to the
    left of it, where each fits in the chart's width (centred on it, where neither)."""
    lines: list[Line]
    left: float = 0.0
    right: float = 0.0
    side: int = 0
    """+1 above the band, -1 below."""
    level: int = 0
    """1 nearest the band."""


class _Axis:
    """Days to points along a scale."""

    def __init__(self, scale: d.TimeScale, width: float) -> None:
        self.first = scale.first
        self.days = (scale.last - scale.first).days + 1
        self.width = width

    def x(self, day: _dt.date, fraction: float = 0.0) -> float:
        """Where ``day`` begins (``fraction`` 0), or a share of the way through it."""
        return ((day - self.first).days + fraction) / self.days * self.width


def layout(
    chart: d.TimelineChart,
    width: float,
    max_height: float,
    look: ChartLook,
    measure: Measure,
    *,
    text_color: str,
    muted: str,
) -> TimelineLayout:
    """The chart drawn ``width`` points wide, at most ``max_height`` tall.

    Labels hold up to three lines of an event's words, as wide as a third of the chart.
    Where that is too tall, or crowded events leave some leader crossing a label, labels
    are made shorter (fewer lines), then narrower, and in the end hold only the date;
    the first layout without a crossing that fits is taken, else the one with the
    fewest crossings."""
    size = look.font_size
    scale = pick_scale(chart.scales, width, size, measure)
    axis = _Axis(scale, width)
    wide = min(max(width * 0.3, 90.0), 150.0)
    tries = [(3, wide), (2, wide), (3, wide * 0.75), (1, wide), (2, wide * 0.75)]
    tries += [(1, wide * 0.75), (0, wide * 0.75)]

    def worse(plan: TimelineLayout) -> tuple[bool, int, float]:
        over = plan.height > max_height
        return over, plan.crossings, plan.height if over else 0.0

    best: TimelineLayout | None = None
    for lines, label_width in tries:
        plan = _draw(chart, axis, scale, look, measure, lines, label_width, text_color, muted)
        if worse(plan) == (False, 0, 0.0):
            return plan
        if best is None or worse(plan) < worse(best):
            best = plan
    assert best is not None
    return best


def pick_scale(
    scales: tuple[d.TimeScale, ...], width: float, size: float, measure: Measure
) -> d.TimeScale:
    """The finest scale whose labels fit side by side in ``width`` (else the coarsest)."""
    for scale in scales:
        axis = _Axis(scale, width)
        if all(
            room >= measure(label.text, size, False) + 4
            for label, room in zip(scale.labels, _rooms(scale, axis), strict=True)
        ):
            return scale
    return scales[-1]


def _rooms(scale: d.TimeScale, axis: _Axis) -> list[float]:
    """The width each label of ``scale`` may take: its span's, or for a label at a day,
    the distance to the next one (the last takes the one before it)."""
    rooms: list[float] = []
    points = [axis.x(label.first, 0.5) for label in scale.labels]
    for i, label in enumerate(scale.labels):
        if label.first != label.last:
            rooms.append(axis.x(label.last, 1.0) - axis.x(label.first))
            continue
        near = [abs(points[j] - points[i]) for j in (i - 1, i + 1) if 0 <= j < len(points)]
        rooms.append(min(near) if near else axis.width)
    return rooms


def _draw(
    chart: d.TimelineChart,
    axis: _Axis,
    scale: d.TimeScale,
    look: ChartLook,
    measure: Measure,
    most_lines: int,
    label_width: float,
    text_color: str,
    muted: str,
) -> TimelineLayout:
    size = look.font_size
    leading = size * _LEADING
    width = axis.width
    accent = look.color(0)
    placed: list[_Placed] = []
    for event in chart.events:
        when = wrap(event.when, label_width, lambda t: measure(t, size, True))
        lines = [Line(t, True, accent) for t in when]
        text = shorten(event.text, size, label_width, most_lines, measure) if most_lines else []
        lines += [Line(t, False, text_color) for t in text]
        wide = max(measure(line.text, size, line.bold) for line in lines)
        anchor = axis.x(event.first, 0.5) if event.point else axis.x(event.first)
        spans = []
        if anchor + _INSET + wide <= width:
            spans.append((anchor + _INSET, anchor + _INSET + wide))
        if anchor - _INSET - wide >= 0:
            spans.append((anchor - _INSET - wide, anchor - _INSET))
        if not spans:
            left = max(0.0, min(anchor - wide / 2, width - wide))
            spans.append((left, left + wide))
        placed.append(_Placed(anchor, spans, lines))
    crossings = _choose_levels(placed)

    def height_of(p: _Placed) -> float:
        return len(p.lines) * leading

    levels: dict[tuple[int, int], float] = {}
    for p in placed:
        key = (p.side, p.level)
        levels[key] = max(levels.get(key, 0.0), height_of(p))

    def stack(side: int) -> list[float]:
        depth = max((lv for s, lv in levels if s == side), default=0)
        return [levels.get((side, lv), 0.0) for lv in range(1, depth + 1)]

    above, below = stack(1), stack(-1)

    def extent(heights: list[float]) -> float:
        return _STEM + sum(heights) + _LEVEL_GAP * (len(heights) - 1) if heights else 0.0

    band_h = size + 8
    band_top = extent(above) + (0 if above else 4)
    band_bottom = band_top + band_h
    height = band_bottom + extent(below) + (0 if below else 4) + 2
    out = TimelineLayout(width, height, crossings=crossings)
    out.shapes.append(Rect(0, band_top, width, band_h, look.band))
    _axis_labels(out, scale, axis, band_top, band_h, size, measure, muted)
    labels: list[Label] = []
    for p, event in zip(placed, chart.events, strict=True):
        heights = above if p.side > 0 else below
        offset = _STEM + sum(heights[: p.level - 1]) + _LEVEL_GAP * (p.level - 1)
        h = height_of(p)
        if p.side > 0:  # the label sits on its level's floor, nearest the band
            top = band_top - offset - h
            edge, far = band_top, top
        else:
            top = band_bottom + offset
            edge, far = band_bottom, top + h
        # a label left of its leader is set against it
        align: Literal["left", "right"] = "right" if p.right <= p.anchor else "left"
        out.shapes.append(Rule(p.anchor, edge, p.anchor, far, accent, 0.75))
        if event.point:
            out.shapes.append(Dot(p.anchor, edge, 3.0, accent))
        else:  # a bar across the days, astride the band's edge
            x0 = axis.x(event.first)
            x1 = max(axis.x(event.last, 1.0), x0 + 3.0)
            out.shapes.append(Rect(x0, edge - _BAR / 2, x1 - x0, _BAR, accent))
        labels.append(Label(p.left, top, p.right - p.left, tuple(p.lines), size, leading, align))
    out.shapes.extend(labels)
    return out


def _axis_labels(
    out: TimelineLayout,
    scale: d.TimeScale,
    axis: _Axis,
    top: float,
    band_h: float,
    size: float,
    measure: Measure,
    muted: str,
) -> None:
    """The scale's labels in the band, with white rules between the spans they name."""
    y = top + (band_h - size * _LEADING) / 2
    bounds: set[float] = set()
    for label in scale.labels:
        if label.first == label.last:
            centre = axis.x(label.first, 0.5)
        else:
            x0, x1 = axis.x(label.first), axis.x(label.last, 1.0)
            bounds.update(b for b in (x0, x1) if 0.5 < b < axis.width - 0.5)
            centre = (x0 + x1) / 2
        wide = measure(label.text, size, False)
        left = max(0.0, min(centre - wide / 2, axis.width - wide))
        line = Line(label.text, False, muted)
        out.shapes.append(Label(left, y, wide, (line,), size, size * _LEADING, "center"))
    for x in sorted(bounds):
        out.shapes.append(Rule(x, top, x, top + band_h, "#ffffff", 1.0))


def _choose_levels(placed: list[_Placed]) -> int:
    """Give each label a side, a level and a span, so that no two labels on a level
    overlap and no leader line passes through a label nearer the band; return how many
    leaders could not be kept clear.

    Labels are placed one by one, each on the first free level, trying first the side
    opposite the label placed before. The order matters (a label to the right of its
    leader covers the leaders of the events just after it, which must then be nearer the
    band), so events are placed from the first and from the last, labels preferring the
    right of their leader or the left, alternating sides or not; the layout with the
    fewest crossings, then the fewest lines of labels, is kept.
    """
    n = len(placed)
    best: tuple[int, int, list[tuple[int, int, float, float]]] | None = None
    ways = [
        (order, rightward, alternate, strict)
        for order in (list(reversed(range(n))), list(range(n)))
        for rightward in (True, False)
        for alternate in (True, False)
        for strict in (True, False)
    ]
    for order, rightward, alternate, strict in ways:
        crossings = _levels_in(placed, order, rightward, alternate, strict)
        rows: dict[tuple[int, int], int] = {}
        for p in placed:
            key = (p.side, p.level)
            rows[key] = max(rows.get(key, 0), len(p.lines))
        chosen = [(p.side, p.level, p.left, p.right) for p in placed]
        if best is None or (crossings, sum(rows.values())) < best[:2]:
            best = (crossings, sum(rows.values()), chosen)
    assert best is not None
    for p, (side, level, left, right) in zip(placed, best[2], strict=True):
        p.side, p.level, p.left, p.right = side, level, left, right
    return best[0]


def _levels_in(
    placed: list[_Placed], order: list[int], rightward: bool, alternate: bool, strict: bool
) -> int:
    """Place the labels in ``order``; return how many had no free place within
    :data:`_MOST_LEVELS` (put on a new level, their leader crossing a label).

    ``rightward``: a label goes to the right of its leader where it can; ``strict``: on
    any level rather than on the other side of its leader nearer the band."""
    crossings = 0
    side_before = -1
    done: list[_Placed] = []
    for i in order:
        p = placed[i]
        sides = (-side_before, side_before) if alternate else (1, -1)
        spans = p.spans if rightward else p.spans[::-1]
        places = [
            (side, level, span)
            for level in range(1, _MOST_LEVELS + 1)
            for side in sides
            for span in spans
        ]
        if strict:  # every level to the preferred side of the leader first
            places.sort(key=lambda place: spans.index(place[2]))
        found = next((pl for pl in places if _free(p.anchor, pl[2], pl[0], pl[1], done)), None)
        if found is None:
            crossings += 1
            depth = {s: max((o.level for o in done if o.side == s), default=0) for s in (1, -1)}
            side = 1 if depth[1] <= depth[-1] else -1
            found = (side, depth[side] + 1, spans[0])
        p.side, p.level, (p.left, p.right) = found
        side_before = p.side
        done.append(p)
    return crossings


def _free(
    anchor: float, span: tuple[float, float], side: int, level: int, others: list[_Placed]
) -> bool:
    left, right = span
    for o in others:
        if o.side != side:
            continue
        if o.level == level and left - _GAP < o.right and o.left < right + _GAP:
            return False  # the two labels would overlap
        if o.level < level and o.left - 1 < anchor < o.right + 1:
            return False  # its leader would cross a label nearer the band
        if o.level > level and left - 1 < o.anchor < right + 1:
            return False  # a leader from further out would cross it
    return True


# ---------------------------------------------------------------- text


def shorten(text: str, size: float, width: float, most: int, measure: Measure) -> list[str]:
    """``text`` wrapped in at most ``most`` lines; when it takes more, the last line ends
    at a word with an ellipsis (the full text is in the chart's text alternative)."""
    lines = wrap(text, width, lambda t: measure(t, size, False))
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    last = kept[-1]
    while True:
        trial = last.rstrip(" ,;:–—-") + "…"
        if measure(trial, size, False) <= width or " " not in last:
            break
        last = last.rsplit(" ", 1)[0]
    if measure(trial, size, False) > width:  # one word wider than the line
        while len(last) > 1 and measure(last + "…", size, False) > width:
            last = last[:-1]
        trial = last + "…"
    kept[-1] = trial
    return kept
