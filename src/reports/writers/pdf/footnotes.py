"""Footnotes at the foot of the page that holds their reference, the body reflowed above them.

One layout pass, no fixed-point iteration: :class:`FootnoteFrame` raises the frame's bottom
edge by the height of the notes a flowable brings to the page *before* ReportLab decides
whether the flowable fits, so ReportLab itself refuses a flowable whose notes do not fit and
asks the frame to split it; the frame then looks for the largest first part that fits
together with its own notes. The template draws each page's notes in the band so reserved,
under a short rule, when the page ends. When a line and its notes cannot share even an empty
page, the line is placed and the notes that do not fit continue at the foot of the next
page, under a full-width rule (as Word and LaTeX do); pages holding only notes end the
document if notes are still left.

A reference mark is paragraph markup: the superscript link, then a zero-width ``<onDraw>``
fragment (see :func:`mark`). Layout finds it in any flowable that holds
paragraphs (table cells, list items, the parts of a split paragraph: ``Paragraph.split``
gives each part the fragments of its own lines); drawing calls back into
:meth:`Footnotes.on_ref`, which sets the bookmark the note's number links back to, the first
time the mark is drawn (a repeated table header draws it again).

ReportLab internals used (pinned by the ``reportlab`` range in ``pyproject.toml``):
``Frame._add``, ``_y``, ``_y1p``, ``_atTop``, ``_prevASpace``, ``_oASpace``, ``_aW``,
``_aH``, ``_geom()``, ``_getAvailableWidth()``; ``BaseDocTemplate.handle_documentBegin``,
``handle_pageBegin``, ``handle_pageEnd``, ``handle_flowable`` and ``keepTogetherClass``;
``canv._doctemplate``, ``canv.setNamedCB`` and ``canv._curr_tx_info`` (what an onDraw
callback sees); paragraph fragments' ``cbDefn``, ``blPara.kind`` and ``blPara.lines``;
``KeepTogether._content``/``_H``, ``ListFlowable._flowables``/``_list_content``,
``ListItem._flowables``, ``DDIndenter._flowable`` and ``Table._cellvalues``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate
from reportlab.platypus.flowables import DDIndenter, KeepTogether, Spacer
from reportlab.platypus.frames import Frame

from .tagging import artifact, link_markup, tagger_of

REF_CALLBACK = "fnref"
"""The canvas callback a reference mark's ``<onDraw>`` fragment calls."""

SEP_ABOVE = 8.0
"""Points between the body's last line and the rule over the notes."""
SEP_BELOW = 4.0
"""Points between that rule and the first note."""
RULE_SHARE = 1 / 3
"""Length of the rule over a page's notes, as a share of the text width (a page whose
notes continue from the page before gets a full-width rule)."""
RULE_WIDTH = 0.5
CARRY_CAP = 0.5
"""At most this share of a page goes to notes continued from the page before, so the body
always advances (else ReportLab would stop with a LayoutError)."""

_FUZZ = 1e-6
_UNPACKS = (PageBreak, ActionFlowable, DDIndenter)
"""First parts that are a container unpacking itself (a KeepTogether's page break, a list's
items): ReportLab puts them back on the story without placing them, so they fit as they are."""


def mark(number: int) -> str:
    """Paragraph markup of a reference mark: the note's number, superscript, linking to it.

    In the text's own colour, as Word sets them: the link colour would vanish on a table's
    header row, whose background is the accent colour. The zero-width marker comes after
    the number: before it, after a space, ReportLab's line breaking can leave the marker at
    the end of one line and the number on the next (and so on another page).
    """
    link = link_markup(f"#fn-{number}", f"<super>{number}</super>")
    return f'{link}<onDraw name="{REF_CALLBACK}" label="{number}"/>'


def note_lead(number: int) -> str:
    """Paragraph markup in front of a note's text: its anchor, and its number linking back
    to the (first) mark."""
    back = link_markup(f"#fnref-{number}", f"<super>{number}</super>")
    return f'<a name="fn-{number}"/>{back}\u00a0'


# ----------------------------------------------------------------------------- references


def refs_of(flowable: Any) -> tuple[int, ...]:
    """Numbers of the notes referenced inside ``flowable`` (or a list of flowables), in
    reading order (cached on a flowable)."""
    if not hasattr(flowable, "__dict__"):
        return tuple(_walk(flowable))
    cached: tuple[int, ...] | None = flowable.__dict__.get("_fn_refs")
    if cached is None:
        cached = tuple(_walk(flowable))
        flowable.__dict__["_fn_refs"] = cached
    return cached


def _walk(f: Any) -> Iterator[int]:
    if isinstance(f, (list, tuple)):
        for g in f:
            yield from _walk(g)
        return
    if not hasattr(f, "__dict__"):  # None or a plain string cell
        return
    if "_fn_refs" in f.__dict__:
        yield from f.__dict__["_fn_refs"]
        return
    own = getattr(f, "footnote_refs", None)  # a flowable that says (PagedTable)
    if callable(own):
        yield from own()
    elif isinstance(f, Paragraph):
        for frag in _frags(f.frags or ()):
            yield from _ref(frag)
    elif isinstance(f, Table):
        for row in f._cellvalues:
            yield from _walk(row)
    else:
        # KeepTogether, ListFlowable (before and after it lays out its items), ListItem,
        # and the indenters that hold a list's items once split
        for attr in ("_content", "_list_content", "_flowables", "_flowable"):
            kids = f.__dict__.get(attr)
            if kids is not None:
                yield from _walk(kids)
                return


def _frags(items: Iterable[Any]) -> Iterator[Any]:
    """The fragments of a paragraph's ``frags`` or of a laid-out line's ``words``.

    Before its first wrap a paragraph's frags are ParaFrags; wrapping replaces them by
    "processed" words (lists ``[width, (frag, text), ...]``), of which split parts are made.
    """
    for item in items:
        if isinstance(item, list):
            yield from (pair[0] for pair in item[1:])
        else:
            yield item


def _ref(frag: Any) -> Iterator[int]:
    cb = getattr(frag, "cbDefn", None)
    if cb is not None and cb.kind == "onDraw" and cb.name == REF_CALLBACK:
        yield int(cb.label)


def line_refs(p: Paragraph, lines: int) -> tuple[int, ...]:
    """Notes referenced in the first ``lines`` lines of paragraph ``p`` (wrapped already)."""
    bl = p.__dict__.get("blPara")
    if bl is None or bl.kind != 1:  # kind 0: one plain run, so no marks
        return refs_of(p) if bl is None else ()
    return tuple(k for line in bl.lines[:lines] for f in _frags(line.words) for k in _ref(f))


# ----------------------------------------------------------------------------- notes

Entry: TypeAlias = tuple[Any, bool]
"""A note's piece waiting for a page, and whether it starts its note (a gap goes above)."""


class Footnotes:
    """The document's notes and the layout state of the current page's note band."""

    def __init__(self, notes: dict[int, list[Flowable]], gap: float, rule_color: Any) -> None:
        self.notes = notes
        """Note number → its paragraphs (usually one; a very long note is in pieces)."""
        self.gap = gap
        self.rule_color = rule_color
        self._family: dict[int, list[int]] = {}
        self.reset()

    def reset(self) -> None:
        """Start a layout pass (``multiBuild`` makes several)."""
        self.placed: set[int] = set()
        self.ref_pages: dict[int, int] = {}
        """Note number → page where its mark was first drawn."""
        self.items: list[tuple[Any, float, float]] = []
        """This page's note pieces: (flowable, height, space above it)."""
        self.carried: list[Entry] = []
        """Pieces that continue on the next page(s), in order."""
        self.reserved = 0.0
        self.continued = False
        self.flushing = False
        self.width = 0.0
        self.origin = (0.0, 0.0)

    # ---- what a flowable brings

    def family(self, number: int) -> list[int]:
        """Note ``number`` and the notes its own text refers to (which come right after it,
        as the document numbers them)."""
        got = self._family.get(number)
        if got is None:
            got = self._family[number] = [number]  # first: notes may refer to each other
            for inner in refs_of(self.notes[number]):
                if inner in self.notes:
                    got += [k for k in self.family(inner) if k not in got]
        return got

    def new(self, refs: Iterable[int]) -> list[int]:
        """The notes ``refs`` bring to the page: those not placed yet, each once, in order."""
        out: list[int] = []
        for ref in refs:
            if ref in self.notes and ref not in self.placed and ref not in out:
                out += [k for k in self.family(ref) if k not in self.placed and k not in out]
        return out

    def new_refs(self, flowable: Any) -> list[int]:
        """The notes ``flowable`` brings to the page."""
        return self.new(refs_of(flowable))

    def _height(self, f: Any) -> float:
        # Cached on the piece, not by id(): the parts of a split note are short-lived.
        got: tuple[float, float] | None = f.__dict__.get("_fn_height")
        if got is None or got[0] != self.width:
            got = (self.width, float(f.wrap(self.width, 1e9)[1]))
            f.__dict__["_fn_height"] = got
        return got[1]

    def need(self, keys: list[int]) -> float:
        """Height the band grows by on this page if notes ``keys`` join it now."""
        if not keys or self.carried:  # queued behind a continued note: later pages
            return 0.0
        height = sum(self._height(f) for k in keys for f in self.notes[k]) + self.gap * len(keys)
        return height + (0.0 if self.items else SEP_ABOVE + SEP_BELOW - self.gap)

    # ---- placing

    def _queue(self, keys: list[int]) -> list[Entry]:
        return [(f, i == 0) for k in keys for i, f in enumerate(self.notes[k])]

    def commit(self, keys: list[int]) -> float:
        """Place notes ``keys``, whose room was reserved; returns the band's growth."""
        grow = self.need(keys)
        self.placed.update(keys)
        if self.carried:
            self.carried += self._queue(keys)
        else:
            for f, first in self._queue(keys):
                self.items.append((f, self._height(f), self._space(first)))
        self.reserved += grow
        return grow

    def commit_forced(self, keys: list[int], room: float) -> float:
        """Place as much of notes ``keys`` as fits in ``room``; the rest continues."""
        self.placed.update(keys)
        if self.carried:
            self.carried += self._queue(keys)
            return 0.0
        grow = self._fill(self._queue(keys), room)
        self.reserved += grow
        return grow

    def _space(self, first: bool) -> float:
        if not self.items:
            return 0.0
        return self.gap if first else 0.0

    def _lead(self, first: bool) -> float:
        return self._space(first) if self.items else SEP_ABOVE + SEP_BELOW

    def _fill(self, queue: list[Entry], room: float) -> float:
        """Put pieces from ``queue`` on this page while they fit in ``room``, splitting the
        first that does not; the rest goes before what is carried. Returns the height used."""
        used = 0.0
        while queue:
            f, first = queue[0]
            lead, space, h = self._lead(first), self._space(first), self._height(f)
            if used + lead + h <= room + _FUZZ:
                self.items.append((f, h, space))
                used += lead + h
                queue.pop(0)
                continue
            left = room - used - lead
            parts = f.split(self.width, left) if left > 0 else []
            if len(parts) == 2:
                part, rest = parts
                h = float(part.wrap(self.width, left)[1])
                self.items.append((part, h, space))
                used += lead + h
                queue[0] = (rest, False)
            break
        self.carried = queue + self.carried
        return used

    # ---- pages

    def start_page(self, frame: Frame) -> float:
        """A new page: an empty band, or the notes continued from the page before (at most
        :data:`CARRY_CAP` of the page while body text remains). Returns the band's height."""
        self.items = []
        self.reserved = 0.0
        self.width = frame._aW
        self.origin = (frame._x1 + frame._leftPadding, frame._y1 + frame._bottomPadding)
        self.continued = bool(self.carried)
        if self.carried:
            queue, self.carried = self.carried, []
            share = 1.0 if self.flushing else CARRY_CAP
            self.reserved = self._fill(queue, frame._aH * share)
        return self.reserved

    def draw(self, canv: Any) -> None:
        """Draw this page's notes at the foot of the frame, under the rule."""
        if not self.items:
            return
        x, y = self.origin
        y += self.reserved - SEP_ABOVE
        canv.saveState()
        with artifact(canv, "Layout"):
            canv.setStrokeColor(self.rule_color)
            canv.setLineWidth(RULE_WIDTH)
            canv.line(x, y, x + self.width * (1.0 if self.continued else RULE_SHARE), y)
        y -= SEP_BELOW
        for f, h, space in self.items:
            y -= space + h
            if "blPara" not in f.__dict__:  # a failed split attempt drops a paragraph's lines
                f.wrap(self.width, h)
            f.drawOn(canv, x, y)
        canv.restoreState()

    def on_ref(self, canv: Any, kind: str, label: str) -> None:
        """Canvas callback of a mark being drawn: the first time, set the bookmark its
        note's number links back to, and place the note's structure element."""
        number = int(label)
        if number in self.ref_pages:
            return
        self.ref_pages[number] = canv.getPageNumber()
        tg = tagger_of(canv)
        tag = getattr(self.notes[number][0], "_tag", None) if number in self.notes else None
        if tg is not None and tag is not None and not tg.art_depth:
            # The note's element comes right after the block that cites it, in reading
            # order, though its text is drawn at the foot of the page.
            tg.elem(tag, tag.role, parent=tg.root, tag=tag)
        info = canv._curr_tx_info  # ReportLab sets it for onDraw callbacks
        canv.bookmarkHorizontal(f"fnref-{number}", info["cur_x"], info["cur_y"] + info["leading"])

    def unplaced(self) -> list[int]:
        """Notes whose mark was drawn but which no page holds (a flowable that hid them)."""
        return sorted(set(self.ref_pages) - self.placed)


def _footnotes(canv: Any) -> Footnotes | None:
    fn: Footnotes | None = getattr(getattr(canv, "_doctemplate", None), "footnotes", None)
    return fn


# ----------------------------------------------------------------------------- frame


class FootnoteFrame(Frame):  # type: ignore[misc]
    """A body frame whose bottom edge rises by the height of the notes placed on its page.

    It keeps no reference to the notes: ReportLab deep-copies the current frame to measure
    a KeepTogether, so it finds them through the canvas's document template.
    """

    _y1p: float
    """The bottom edge: nothing is placed below it (ReportLab's, raised for notes)."""
    split_attempts = 12
    """At most this many ``split`` calls to find a first part that fits with its notes."""
    split_precision = 1.0
    """Points: the search stops when what is left is narrower (a line is taller)."""

    def _reset(self) -> None:
        self._geom()  # Frame._reset keeps _y1p, which holds the last page's reservation
        super()._reset()
        self._fn_fresh = True
        """Nothing but headings and space placed on this page yet."""

    def add(self, flowable: Any, canv: Any, trySplit: int = 0) -> int:
        ok = self._add_with_notes(flowable, canv, trySplit)
        lead = isinstance(flowable, Spacer) or getattr(flowable, "_fn_lead", False)
        if ok and not (self._atTop or lead):
            self._fn_fresh = False
        return ok

    def _add_with_notes(self, flowable: Any, canv: Any, try_split: int) -> int:
        fn = _footnotes(canv)
        keys = fn.new_refs(flowable) if fn is not None else []
        if fn is None or not keys:
            return int(Frame._add(self, flowable, canv, try_split))
        if flowable.__dict__.pop("_fn_force", False):
            # Chosen by split(): not even its first lines fit with their notes on a page.
            ok = int(Frame._add(self, flowable, canv, try_split))
            if ok:
                self._y1p += fn.commit_forced(keys, max(0.0, self._y - self._y1p))
            return ok
        bottom = self._y1p
        self._y1p = bottom + fn.need(keys)
        ok = int(Frame._add(self, flowable, canv, try_split))
        if ok:
            fn.commit(keys)
        else:
            self._y1p = bottom
        return ok

    def split(self, flowable: Any, canv: Any) -> list[Any]:
        fn = _footnotes(canv)
        if fn is None or isinstance(flowable, KeepTogether):
            return list(Frame.split(self, flowable, canv))
        # The same room as Frame.split gives.
        space = 0.0
        if not self._atTop:
            space = flowable.getSpaceBefore()
            if self._oASpace:
                space = max(space - self._prevASpace, 0)
        avail = self._y - self._y1p - space
        if avail <= 0:
            return []
        width = self._getAvailableWidth()
        search = _Search(self, flowable, canv, fn, avail, width)
        best = search.largest()
        if best is not None:
            return best
        if not (self._atTop or self.__dict__.get("_fn_fresh")):
            return []  # the next page has more room
        # An empty page (or one with only a heading) and still no fit: place the smallest
        # part there is and let its notes continue on the next page; waiting would not help.
        return search.smallest()


class _Search:
    """Split attempts on one flowable, for :meth:`FootnoteFrame.split`."""

    def __init__(
        self, frame: FootnoteFrame, flowable: Any, canv: Any, fn: Footnotes, avail: float,
        width: float,
    ) -> None:  # fmt: skip
        self.frame, self.flowable, self.canv, self.fn = frame, flowable, canv, fn
        self.avail, self.width = avail, width

    def attempt(self, h: float) -> tuple[list[Any], float, float] | None:
        """Split at ``h``: the parts, the first part's height and its notes' height."""
        with _placing(self.flowable, self.canv, self.frame) as f:
            parts: list[Any] = f.split(self.frame._aW, h)
        if not parts:
            return None
        first = parts[0]
        keys = [] if isinstance(first, _UNPACKS) else self.fn.new_refs(first)
        if not keys:
            return parts, 0.0, 0.0  # it fits, by split's contract
        height = _known_height(first, self.width)
        if height is None:
            with _placing(first, self.canv) as f:
                height = float(f.wrap(self.width, h)[1])
        return parts, height, self.fn.need(keys)

    def largest(self) -> list[Any] | None:
        """The parts whose first is the largest that fits with its notes, if any."""
        avail, fn = self.avail, self.fn
        exact = _paragraph_fit(self.flowable, avail, self.width, fn, self.canv)
        if exact is not None:  # a paragraph: its lines and their notes, scanned once
            got = self.attempt(exact) if exact > 0 else None
            return got[0] if got is not None and got[1] + got[2] <= avail + _FUZZ else None
        fit = getattr(self.flowable, "fit_with_notes", None)  # a flowable that knows
        exact = fit(avail, lambda refs: fn.need(fn.new(refs))) if callable(fit) else None
        if exact is not None:
            got = self.attempt(exact)
            if got is not None and got[1] + got[2] <= avail + _FUZZ:
                return got[0]
        # Splitting at h gives nothing (h too small), a part that fits with its notes, or
        # one that is too full: the answer lies in [lo, hi). Each attempt proposes
        # h = avail - need (the notes found must fit under the part); when that leaves the
        # bracket, bisect. A first part without new notes returns at once (one split, as
        # Frame.split makes).
        best: list[Any] | None = None
        lo, hi, h = 0.0, avail, avail
        for _ in range(self.frame.split_attempts):
            got = self.attempt(h)
            guess = None
            if got is None:
                lo = max(lo, h)
            else:
                parts, height, need = got
                guess = avail - need
                if height + need <= avail + _FUZZ:
                    best, lo = parts, h
                    if h >= avail:
                        break
                else:
                    hi = min(hi, h)
            if hi - lo < self.frame.split_precision:
                break
            h = guess if guess is not None and lo < guess < hi else (lo + hi) / 2
        return best

    def smallest(self) -> list[Any]:
        """The smallest first part there is, marked to be placed with notes that continue."""
        f, avail = self.flowable, self.avail
        if isinstance(f, Paragraph) and "blPara" in f.__dict__:
            leading = f.style.leading
            for n in range(1, min(len(getattr(f.blPara, "lines", ())), 3) + 1):
                if n * leading > avail:
                    break
                got = self.attempt(n * leading + _FUZZ)  # the orphan rule may want more
                if got is not None:
                    got[0][0].__dict__["_fn_force"] = True
                    return got[0]
        lo, hi = 0.0, avail
        got = self.attempt(hi)
        if got is None:
            return []  # no part fits even without notes: ReportLab's own case
        while hi - lo >= self.frame.split_precision:
            mid = (lo + hi) / 2
            smaller = self.attempt(mid)
            if smaller is None:
                lo = mid
            else:
                hi, got = mid, smaller
        parts = got[0]
        parts[0].__dict__["_fn_force"] = True
        return parts


@contextmanager
def _placing(f: Any, canv: Any, frame: Frame | None = None) -> Iterator[Any]:
    """``f`` with the canvas (and frame) ReportLab gives a flowable while it places it, as
    some flowables need them to wrap or split; removed after, as Frame does."""
    f.canv = canv
    if frame is not None:
        f._frame = frame
    try:
        yield f
    finally:
        for attr in ("canv", "_frame"):
            f.__dict__.pop(attr, None)


def _paragraph_fit(p: Any, avail: float, width: float, fn: Footnotes, canv: Any) -> float | None:
    """For a paragraph, the height of its most lines that fit in ``avail`` with the notes
    those lines bring; ``None`` for any other flowable (or lines of varying height).

    The notes of the first s lines only grow with s, so one scan finds the largest s.
    ``Paragraph.split`` at that height then applies the widow and orphan rules, which can
    only give fewer lines, so fewer notes: the part still fits.
    """
    if not isinstance(p, Paragraph) or getattr(p.style, "autoLeading", "") not in ("", "off", None):
        return None
    if "blPara" not in p.__dict__ or p.__dict__.get("width") != width:
        with _placing(p, canv) as f:
            f.wrap(width, avail)
    bl = p.blPara
    if bl.kind != 1:
        return None
    leading = p.style.leading
    refs: list[int] = []
    best = 0
    for s, line in enumerate(bl.lines, 1):
        refs += [k for f in _frags(line.words) for k in _ref(f)]
        if s * leading + fn.need(fn.new(refs)) > avail + _FUZZ:
            break
        best = s
    return best * leading + _FUZZ if best else 0.0


def _known_height(f: Any, width: float) -> float | None:
    """A paragraph's height without wrapping it again: ``Paragraph.split`` sets ``height``
    and ``width`` on its first part (or returns itself, wrapped, when all of it fits)."""
    if isinstance(f, Paragraph) and f.__dict__.get("width") == width and "blPara" in f.__dict__:
        height: float | None = f.__dict__.get("height")
        return height
    return None


# ----------------------------------------------------------------------------- story


class NotedKeepTogether(KeepTogether):  # type: ignore[misc]
    """A keep-with-next group (a question and its answer, a picture and its caption) that
    counts its notes, so it moves on whole when it does not fit with them."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        fn = _footnotes(getattr(self, "canv", None))
        if fn is not None:
            self._H += fn.need(fn.new_refs(self))
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        # A frame holding only the lead-ins still counts as fresh (see FootnoteFrame.split).
        for f in self._content[:-1]:
            f.__dict__["_fn_lead"] = True
        return list(super().split(avail_width, avail_height))


class NotedCondPageBreak(CondPageBreak):  # type: ignore[misc]
    """A conditional page break before a heading that counts the notes referenced in the
    lines that must follow the heading (those not placed yet, when it is laid out)."""

    def __init__(self, height: float, refs: tuple[int, ...]) -> None:
        super().__init__(height)
        self.lead, self.refs = height, refs

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        fn = _footnotes(getattr(self, "canv", None))
        extra = fn.need(fn.new(self.refs)) if fn is not None else 0.0
        self.height = self.lead + extra
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        return size


class _FlushNotes(ActionFlowable):  # type: ignore[misc]
    """The story's end: while notes are left over, start pages that hold only notes."""

    def apply(self, doc: Any) -> None:
        fn: Footnotes = doc.footnotes
        lost = fn.unplaced()
        if lost:  # a safety net: better late than a broken link
            fn.placed.update(lost)
            fn.carried += fn._queue(lost)
        if fn.carried:
            fn.flushing = True
            doc.handle_pageBreak()


class FootnoteDocMixin(BaseDocTemplate):  # type: ignore[misc]
    """Put before a document template class in the bases; set :attr:`footnotes` before
    building, and give the page templates a :class:`FootnoteFrame`."""

    footnotes: Footnotes

    def build(self, flowables: list[Any], *args: Any, **kwargs: Any) -> None:
        # multiBuild calls build once per pass, with a fresh list of the story.
        super().build([*flowables, _FlushNotes()], *args, **kwargs)

    def handle_documentBegin(self) -> None:
        # BaseDocTemplate.__init__ copies its defaults onto the instance, hiding a class
        # attribute: set it here.
        self.keepTogetherClass = NotedKeepTogether
        self.footnotes.reset()
        self.canv.setNamedCB(REF_CALLBACK, self.footnotes.on_ref)
        super().handle_documentBegin()

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self.frame._y1p += self.footnotes.start_page(self.frame)

    def handle_pageEnd(self) -> None:
        # Drawn before showPage, so the deferring canvas keeps them with their page.
        self.footnotes.draw(self.canv)
        super().handle_pageEnd()

    def handle_flowable(self, flowables: list[Any]) -> None:
        first = flowables[0] if flowables else None
        super().handle_flowable(flowables)
        if isinstance(first, _FlushNotes) and self.footnotes.carried:
            flowables.insert(0, first)  # again, after the page just begun
