"""The document model: the small tree every writer renders. Plain frozen data, no I/O.

The reader builds it from a template's output; writers turn it into files. Nothing else
crosses between those stages, so a new output format is one new writer.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, Literal, TypeAlias

# ---------------------------------------------------------------- inline nodes


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text; never interpreted as markup by any writer."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasised (italic) content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised (bold) content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``href`` is always an http(s) or mailto address (the reader checks)."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A forced line break inside a paragraph."""


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A reference to one of the document's footnotes (see :attr:`Document.footnotes`)."""

    id: str


@dataclass(frozen=True, slots=True)
class Sourced:
    """Content typed in one fact-base field, so that an edited copy of the memo can be
    mapped back to it (``reports review``); writers that cannot carry the mark just
    render the children."""

    source: str
    """The field's key path as users write it: ``summary[0]``, ``faq[2].answer``."""
    children: tuple[Inline, ...]
    part: int = 0
    """Which piece of the field this is, when its text makes several paragraphs."""


@dataclass(frozen=True, slots=True)
class Inserted:
    """Words added since an earlier version of the memo (``reports redline``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Deleted:
    """Words removed since an earlier version of the memo (``reports redline``)."""

    children: tuple[Inline, ...]


Inline: TypeAlias = (
    "Text | Emph | Strong | Link | LineBreak | FootnoteRef | Sourced | Inserted | Deleted"
)
Inlines: TypeAlias = "tuple[Inline, ...]"

# ---------------------------------------------------------------- block nodes


@dataclass(frozen=True, slots=True)
class Image:
    """A PNG or JPEG file, checked when it was named (see :mod:`reports.images`)."""

    path: str
    width_px: int
    height_px: int
    alt: str = ""
    """What the image shows, for readers who cannot see it."""

    @property
    def aspect(self) -> float:
        """Height over width."""
        return self.height_px / self.width_px


@dataclass(frozen=True, slots=True)
class TitleBlock:
    """The first-page title: an optional kicker line above, the title, a subtitle below."""

    title: Inlines
    kicker: Inlines = ()
    """Small line above the title, e.g. the issuing ministry or 'Briefing memo'."""
    subtitle: Inlines = ()
    logo: Image | None = None
    """An emblem above the title, at the house style's logo width."""


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled line of the memo header (Date, From, To, Subject, Reference)."""

    label: str
    value: Inlines


@dataclass(frozen=True, slots=True)
class Fields:
    """The memo header: labels aligned in one column, values in the next."""

    rows: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A section (level 1) or subsection (level 2) heading."""

    level: Literal[1, 2]
    content: Inlines
    anchor: str
    """Unique id used for bookmarks and the table of contents."""
    numbered: bool = False
    """Takes the next section number when the house style numbers sections."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of body text in one of the house style's paragraph styles."""

    content: Inlines
    style: Literal["body", "lead", "small", "dateline", "label"] = "body"
    """``dateline``: a report's date and department, set apart under its title;
    ``label``: a short run-in head (Agenda, Distribution), always on the page of what it
    introduces."""


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list: a paragraph, and the lists nested under it."""

    content: Inlines
    children: tuple[BulletList | NumberedList, ...] = ()


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list; nested lists take the house style's marker for their level."""

    items: tuple[ListItem, ...]
    columns: int = 1
    """Set in this many columns side by side (a long distribution list), filled down
    each column in turn."""


@dataclass(frozen=True, slots=True)
class NumberedList:
    """An ordered list, numbered from ``start``."""

    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, its share of the table's width, its alignment."""

    header: Inlines
    width: float = 1.0
    """Relative width; the writer scales all widths to the text width."""
    align: Literal["left", "right", "center"] = "left"


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row, repeated on every page it spans."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    """Each row has exactly one cell per column."""
    caption: Inlines = ()
    source: Inlines = ()
    """Where the figures come from, printed small under the table."""


@dataclass(frozen=True, slots=True)
class Figure:
    """An image across (a share of) the text width, with its numbered caption."""

    image: Image
    width: float = 1.0
    """Share of the text width, above 0 and at most 1."""
    label: str = ""
    """The figure's number as the memo's language writes it (``Figure 2``)."""
    caption: Inlines = ()


NUMBER_FORMAT = r"^(#,##)?0(\.0{1,6})?$"
"""The number formats of a chart: ``0``, ``0.0`` … ``0.000000``, each optionally with a
thousands separator (``#,##0.0``); written as Excel writes them, read by Word as they are."""

ChartKind = Literal["bar", "column", "stacked-bar", "stacked-column", "line", "pie", "doughnut"]


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a chart: its name (the legend's entry) and one value per category."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of numbers, numbered with the figures: drawn as vector graphics in a PDF,
    a native chart whose data can be edited in a Word document."""

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    """Each with exactly one value per category; a pie or doughnut has one series."""
    alt: str
    """What the chart shows, for readers who cannot see it (given, or summarised from
    the data)."""
    title: str = ""
    units: str = ""
    """What the numbers count (``%``, ``tonnes``): the value axis's title; empty for none."""
    number_format: str = "0"
    """How values are written: ``0``, ``0.0`` …, ``#,##0`` (a thousands separator)."""
    data_labels: bool = False
    """Each value is written on its bar, point or slice."""
    width: float = 1.0
    """Share of the text width, above 0 and at most 1."""
    label: str = ""
    """The chart's number as the memo's language writes it (``Figure 2``)."""
    caption: Inlines = ()
    source: Inlines = ()
    """Where the numbers come from, printed small under the chart."""
    decimal_mark: str = "."
    group_mark: str = ","
    """The memo's language's thousands separator, for formats with ``#,##``."""

    @property
    def round(self) -> bool:
        """A pie or doughnut: slices of one whole, no axes."""
        return self.kind in ("pie", "doughnut")

    @property
    def horizontal(self) -> bool:
        """Bars run left to right (categories down the side)."""
        return self.kind in ("bar", "stacked-bar")

    @property
    def stacked(self) -> bool:
        return self.kind.startswith("stacked-")


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One event on a timeline chart: the days it spans, its date as the memo writes it,
    what happened."""

    first: _dt.date
    last: _dt.date
    """The same day as ``first`` for an event of one day (drawn as a point); a later one
    for a month, a part of one, a quarter or a range (drawn as a bar)."""
    when: str
    """The date in the memo's language (``15 November 2025``, ``2025년 9월``)."""
    text: str
    """What happened, as plain text; a writer shortens it to the room it has."""

    @property
    def point(self) -> bool:
        """A single day: a dot, not a bar."""
        return self.first == self.last


@dataclass(frozen=True, slots=True)
class AxisLabel:
    """A label of a time axis: the days it names and its words (``Nov``, ``2025``)."""

    first: _dt.date
    last: _dt.date
    """The same as ``first`` for a label naming one day (set at that day), else the last
    day of the month or years it names (set centred under them)."""
    text: str


@dataclass(frozen=True, slots=True)
class TimeScale:
    """One way of marking a time axis: where it begins and ends, and its labels."""

    first: _dt.date
    last: _dt.date
    """The axis runs from the start of ``first`` to the end of ``last``."""
    labels: tuple[AxisLabel, ...]


@dataclass(frozen=True, slots=True)
class TimelineChart:
    """A timeline's events on a horizontal time axis, numbered with the figures: vector
    graphics in a PDF, a drawing of editable shapes in a Word document."""

    events: tuple[TimelineEvent, ...]
    """Oldest first."""
    scales: tuple[TimeScale, ...]
    """Ways of marking the axis, finest first (days, then months, then years): a writer
    takes the first whose labels fit side by side in its width."""
    alt: str
    """What the chart shows, for readers who cannot see it: every event and its date."""
    label: str = ""
    """The chart's number as the memo's language writes it (``Figure 2``)."""
    caption: Inlines = ()


@dataclass(frozen=True, slots=True)
class Note:
    """A remark set apart: smaller and indented, after a mark (Korean ※)."""

    content: Inlines
    mark: str = ""


@dataclass(frozen=True, slots=True)
class Box:
    """A bordered callout ("Decision required", a Korean summary box) holding blocks."""

    body: tuple[Block, ...]
    title: Inlines = ()


@dataclass(frozen=True, slots=True)
class PageBreak:
    """What follows starts a new page (an annex)."""


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote, numbered by the order of its first reference."""

    id: str
    number: int
    content: Inlines


@dataclass(frozen=True, slots=True)
class QA:
    """An anticipated question and its answer paragraphs."""

    question: Inlines
    answer: tuple[Inlines, ...]
    question_label: str = "Q{n}"
    """The question's label; ``{n}`` stands for its number (formats that number by
    themselves, as Word does, count the questions)."""
    answer_label: str = "A"
    number: int = 1
    """The question's place among the memo's questions, from 1."""

    @property
    def label(self) -> str:
        """The question's label with its number filled in (``Q3``)."""
        return self.question_label.replace("{n}", str(self.number))


@dataclass(frozen=True, slots=True)
class Signoff:
    """One person in a clearance block and where they stand."""

    name: str
    role: str = ""
    date: str = ""
    """When they cleared, as the memo's language writes it; empty when not given."""
    status: Literal["cleared", "consulted", "pending"] = "cleared"
    status_label: str = ""
    """The status in the memo's language (``Cleared``, ``결재``)."""


@dataclass(frozen=True, slots=True)
class Clearance:
    """Who cleared the memo. The house style draws it as a "Cleared by" table where the
    template puts it, or as an approval box (결재/협조) at the top right of the first page."""

    entries: tuple[Signoff, ...]
    title: str = "Cleared by"
    headers: tuple[str, str, str, str] = ("Name", "Role", "Date", "Status")
    """Column headers of the table form: name, role, date, status."""
    cleared_label: str = "Cleared"
    """The approval box's label for those who clear (결재)."""
    consulted_label: str = "Consulted"
    """The approval box's label for those consulted (협조)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision asked of the reader: the recommendation, a check box per option and a
    line to sign and date (a US action memo's decision block)."""

    recommendation: tuple[Inlines, ...]
    options: tuple[str, ...]
    title: Inlines = ()
    deadline: Inlines = ()
    """When the decision is needed, as a whole sentence or label; empty for none."""
    signature_label: str = "Signature"
    date_label: str = "Date"


@dataclass(frozen=True, slots=True)
class Toc:
    """A table of contents listing the level-1 and level-2 headings that follow."""

    title: str
    pages: tuple[tuple[str, int], ...] = ()
    """(heading anchor, page) as a paginated format laid them out, for formats that cannot
    count pages themselves; set by the build, empty when unknown."""


Block: TypeAlias = (
    "TitleBlock | Fields | Heading | Paragraph | BulletList | NumberedList | Table | QA | Toc"
    " | Figure | Chart | TimelineChart | Note | Box | PageBreak | Clearance | Decision"
)


@dataclass(frozen=True, slots=True)
class Origin:
    """The fact base a document was made from, for formats that record it (the DOCX, so
    that an edited copy can be reviewed against it)."""

    file: str
    """Its path relative to its repository (or its name, outside one), ``/``-separated."""
    sha256: str
    """Hex sha256 of its bytes."""
    blob: str
    """Git's id of its bytes (``git hash-object``), to find that version in a history."""
    schema: int = 1
    """Its schema version: how its text reads (literal, or version 2 markup)."""


@dataclass(frozen=True, slots=True)
class Meta:
    """What a document says about itself: metadata and the page furniture's wording."""

    title: str
    lang: str = "en"
    subject: str = ""
    author: str = ""
    keywords: tuple[str, ...] = ()
    marking: str = ""
    """Handling marking printed at the top and bottom of every page; empty for none."""
    running_title: str = ""
    """Short title in the page header; empty for none."""
    date: _dt.date | None = None
    """The memo's date, shown in the running header; ``None`` for none."""
    date_label: str = ""
    """The date as the memo's language writes it, for the running header; empty for none."""
    timestamp: _dt.datetime | None = None
    """Creation time written into file metadata; set by the pipeline so builds repeat
    byte for byte (``SOURCE_DATE_EPOCH``, else the memo's date). ``None``: 2000-01-01."""
    draft: bool = False
    """Put a diagonal draft watermark on every page."""
    draft_label: str = "DRAFT"
    page_label: str = "Page {page} of {pages}"
    """Footer wording; ``{page}`` and ``{pages}`` are replaced by the numbers."""
    label_separator: str = ": "
    """Between a label and its text (``Figure 1: …``) in the memo's language."""
    origin: Origin | None = None
    """The fact base it was made from; ``None`` when unknown (a document built in memory)."""
    revision_author: str = "reports"
    """Whom tracked changes (:class:`Inserted`, :class:`Deleted`) are attributed to."""


@dataclass(frozen=True, slots=True)
class Document:
    """A whole memo: metadata and the blocks in reading order."""

    meta: Meta
    blocks: tuple[Block, ...] = field(default=())
    footnotes: tuple[Footnote, ...] = ()
    """Every footnote referenced, in the order of their numbers."""


def plain_text(content: Inlines) -> str:
    """Return the text of ``content`` without formatting."""
    out: list[str] = []
    for node in content:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, (FootnoteRef, Deleted)):
            continue  # a mark, or words no longer there
        else:
            out.append(plain_text(node.children))
    return "".join(out)


def unmarked(node: Any) -> Any:
    """``node`` (a document, block or inlines) without :class:`Sourced` marks: their
    words stand in their place, joined to the text around them as if never marked."""
    if isinstance(node, tuple):
        if not any(isinstance(n, Sourced) for n in node):
            if not node or isinstance(node[0], (str, int, float)):
                return node
            items = tuple(unmarked(n) for n in node)
            return node if all(a is b for a, b in zip(items, node, strict=True)) else items
        out: list[Any] = []
        for n in node:
            for kid in unmarked(n.children) if isinstance(n, Sourced) else (unmarked(n),):
                if isinstance(kid, Text) and out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text + kid.text)
                else:
                    out.append(kid)
        return tuple(out)
    if is_dataclass(node) and not isinstance(node, (Text, Image, Meta, type)):
        changes = {}
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, tuple) or is_dataclass(value):
                new = unmarked(value)
                if new is not value:
                    changes[f.name] = new
        return replace(node, **changes) if changes else node
    return node
