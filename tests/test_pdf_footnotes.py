"""PDF footnotes: each note at the foot of the page that holds its mark, the body above it.

Writer tests on hand-built documents. Every check reads the PDF: word boxes from
``pdftotext -bbox`` and link annotations through pypdf. In these documents the mark of
note ``k`` follows the word ``refkq`` (pdftotext gives the mark as a raised number word),
the note's text starts with ``notekq``, and the rest of a note's words start with ``nw``;
body text never contains ``note`` or a word starting ``nw``.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import need_tool
from PIL import Image as PILImage
from pypdf import PdfReader

from reports import document as d
from reports.resources import template_dir
from reports.style import load_style
from reports.writers.pdf import PdfWriter

LOREM = (
    "The committee reviewed the operating figures for the quarter and the assumptions behind "
    "the forecast, including staffing, procurement lead times and the exchange-rate exposure "
    "of the two overseas programmes. "
)


class Notes:
    """Footnotes for a test document, numbered by first reference, as the reader numbers
    them (so build blocks in reading order). With ``marks=False``, the same words and no
    notes at all."""

    def __init__(self, marks: bool = True) -> None:
        self.marks = marks
        self.texts: dict[str, d.Inlines] = {}

    def ref(self, key: str, words: int = 3) -> tuple[d.Inline, ...]:
        """The word ``refKEYq`` and the mark of note ``key``, of ``words`` more words."""
        if not self.marks:
            return (d.Text(f" ref{key}q"),)
        body = " ".join(f"nw{i}" for i in range(words))
        self.texts.setdefault(key, (d.Text(f"note{key}q {body} nwend."),))
        return d.Text(f" ref{key}q"), d.FootnoteRef(key)

    def document(self, *blocks: d.Block) -> d.Document:
        notes = tuple(d.Footnote(k, n, t) for n, (k, t) in enumerate(self.texts.items(), 1))
        return d.Document(d.Meta(title="Marks", running_title="Memo"), blocks, notes)

    def number(self, key: str) -> int:
        return list(self.texts).index(key) + 1


def text(*parts: str | tuple[d.Inline, ...]) -> d.Inlines:
    content: list[d.Inline] = []
    for part in parts:
        content += (d.Text(part),) if isinstance(part, str) else part
    return tuple(content)


def para(*parts: str | tuple[d.Inline, ...]) -> d.Paragraph:
    return d.Paragraph(text(*parts))


def fillers(count: int, tag: str = "") -> list[d.Block]:
    return [para(f"Filler{tag} {i}. " + LOREM * 2) for i in range(count)]


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    """From 1."""
    top: float
    bottom: float
    """Points from the top of the page."""
    left: float
    right: float

    @property
    def in_note(self) -> bool:
        return "note" in self.text or self.text.startswith("nw")


@dataclass
class Pdf:
    """A rendered PDF and its words, in pdftotext's reading order."""

    data: bytes
    words: list[Word]
    frame: tuple[float, float]
    """The body frame's top and bottom, in points from the top of the page."""

    @property
    def pages(self) -> int:
        return max(w.page for w in self.words)

    def pages_of(self, token: str) -> list[int]:
        return sorted({w.page for w in self.words if token in w.text})

    def marks(self, key: str) -> list[tuple[int, int]]:
        """(page, number) of each mark after the word ``refKEYq``: a number set higher."""
        out = []
        for w, after in zip(self.words, self.words[1:], strict=False):
            raised = after.page == w.page and after.top < w.top - 2
            if w.text == f"ref{key}q" and after.text.isdigit() and raised:
                out.append((w.page, int(after.text)))
        return out

    def number_of(self, key: str) -> Word:
        """The number of the first mark of note ``key``: the first number after ``refKEYq``
        (which may be on the next line)."""
        i = next(i for i, w in enumerate(self.words) if w.text == f"ref{key}q")
        return next(w for w in self.words[i + 1 :] if w.text.isdigit())

    def mark_page(self, key: str) -> int:
        """The page of the first mark of note ``key``."""
        return self.marks(key)[0][0]

    def note_page(self, key: str) -> int:
        (page,) = self.pages_of(f"note{key}q")
        return page

    def note_order(self) -> list[str]:
        """The notes' keys as they start on the pages, top to bottom."""
        starts = [w for w in self.words if w.text.startswith("note")]
        starts.sort(key=lambda w: (w.page, w.top))
        return [w.text[4:-1] for w in starts]


@pytest.fixture(scope="module")
def writer() -> PdfWriter:
    return PdfWriter(load_style(template_dir()))


def render(writer: PdfWriter, doc: d.Document) -> Pdf:
    need_tool("pdftotext")
    data = writer.render(doc)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    word = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<'
    )
    words = [
        Word(found, page, float(y0), float(y1), float(x0), float(x1))
        for page, body in enumerate(re.findall(r"<page .*?</page>", out, re.S), 1)
        for x0, y0, x1, y1, found in word.findall(body)
    ]
    top, _right, bottom, _left = writer.hs.margins
    return Pdf(data, words, (top, writer.hs.page_size[1] - bottom))


def assert_notes_on_their_pages(pdf: Pdf, notes: Notes) -> None:
    """Each note is on the page of its first mark, and each mark shows its note's number."""
    wrong = {
        k: (pdf.mark_page(k), pdf.note_page(k))
        for k in notes.texts
        if pdf.mark_page(k) != pdf.note_page(k)
    }
    assert not wrong, f"note: (page of its mark, page of the note): {wrong}"
    numbers = {k: {n for _page, n in pdf.marks(k)} for k in notes.texts}
    assert numbers == {k: {notes.number(k)} for k in notes.texts}


def assert_body_above_notes(pdf: Pdf) -> int:
    """On every page with notes, the body ends above the notes, nothing of the body is
    among them, and they end inside the frame (above the footer). Returns how many pages
    have notes."""
    top, bottom = pdf.frame
    pages = 0
    for page in range(1, pdf.pages + 1):
        words = [w for w in pdf.words if w.page == page and w.top >= top and w.bottom <= bottom]
        band = [w for w in words if w.in_note]
        if not band:
            continue
        pages += 1
        first = min(w.top for w in band)
        body = [w for w in words if w.bottom < first]
        among = [w.text for w in words if w.bottom >= first and not (w.in_note or w.text.isdigit())]
        assert not among, f"page {page}: body words among the notes: {among[:8]}"
        assert body, f"page {page}: notes but no body"
        # at least the rule's gap between the last body line and the first note
        assert first - max(w.bottom for w in body) > 6, f"page {page}"
    return pages


# ---------------------------------------------------------------- a paragraph split over pages


def split_document(notes: Notes) -> d.Document:
    return notes.document(
        para("First page", notes.ref("p1"), " and the text goes on. " + LOREM),
        *fillers(14),
        para(
            "splitstart " + LOREM * 3,
            notes.ref("s1", 40),
            " " + LOREM * 6,
            notes.ref("s2", 40),
            " splitend.",
        ),
        para("After", notes.ref("p3"), "."),
    )


@pytest.fixture(scope="module")
def split(writer: PdfWriter) -> tuple[Pdf, Notes]:
    notes = Notes()
    return render(writer, split_document(notes)), notes


def test_a_note_is_on_the_page_of_its_mark(split: tuple[Pdf, Notes]) -> None:
    pdf, notes = split
    # the case is what it says: a mark on page 1; a paragraph from page 2 to page 3 with a
    # mark in each part
    assert pdf.mark_page("p1") == 1
    assert pdf.pages_of("splitstart") == [2] and pdf.pages_of("splitend") == [3]
    assert pdf.mark_page("s1") == 2 and pdf.mark_page("s2") == 3
    assert_notes_on_their_pages(pdf, notes)
    assert pdf.note_order() == list(notes.texts)


def test_the_body_ends_above_the_notes(split: tuple[Pdf, Notes]) -> None:
    assert assert_body_above_notes(split[0]) == 3


def test_the_body_makes_room_for_the_notes(writer: PdfWriter, split: tuple[Pdf, Notes]) -> None:
    """The same words without notes put more lines on page 2."""
    pdf, _ = split
    plain = render(writer, split_document(Notes(marks=False)))

    def body_words(of: Pdf) -> int:
        top, bottom = of.frame
        page = [w for w in of.words if w.page == 2 and top <= w.top and w.bottom <= bottom]
        return len([w for w in page if not (w.in_note or w.text.isdigit())])

    assert body_words(plain) > body_words(pdf) + 20  # two lines or more


def test_identical_bytes_on_rebuild(writer: PdfWriter, split: tuple[Pdf, Notes]) -> None:
    assert writer.render(split_document(Notes())) == split[0].data


# ---------------------------------------------------------------- every place a mark can be


@pytest.fixture(scope="module")
def everywhere(writer: PdfWriter, tmp_path_factory: pytest.TempPathFactory) -> tuple[Pdf, Notes]:
    picture = tmp_path_factory.mktemp("img") / "picture.png"
    PILImage.new("RGB", (400, 200), (120, 160, 200)).save(picture)
    n = Notes()

    def item(i: int, nested: bool) -> d.ListItem:
        content = text(f"Item {i}. " + LOREM[:90], n.ref(f"l{i}"))  # first: reading order
        if not nested:
            return d.ListItem(content)
        return d.ListItem(content, (d.NumberedList((d.ListItem(text("Nested", n.ref(f"n{i}"))),)),))

    doc = n.document(
        d.TitleBlock(text("Marks everywhere")),
        d.Toc("Contents"),
        d.Heading(1, text("Places", n.ref("h")), "places"),
        para("A paragraph", n.ref("a"), "."),
        *fillers(5, "a"),
        d.BulletList(tuple(item(i, i % 3 == 0) for i in range(12))),
        *fillers(4, "b"),
        d.QA(text("What changes?"), (text("The answer", n.ref("qa")), text("More.")), number=1),
        *fillers(3, "c"),
        d.Box(
            (para("Boxed", n.ref("bx")), d.BulletList((d.ListItem(text("In", n.ref("bl"))),))),
            title=text("Decision required"),
        ),
        *fillers(3, "d"),
        d.Figure(d.Image(str(picture), 400, 200), 0.5, "Figure 1", text("A picture", n.ref("fg"))),
        d.Note(text("A remark", n.ref("nt")), "*"),
        *fillers(4, "e"),
        para("Again the first", n.ref("a"), " and a last one", n.ref("z"), "."),
    )
    return render(writer, doc), n


def test_notes_of_lists_questions_boxes_figures_and_remarks(
    everywhere: tuple[Pdf, Notes],
) -> None:
    pdf, notes = everywhere
    assert pdf.pages >= 4
    assert_notes_on_their_pages(pdf, notes)
    assert pdf.note_order() == list(notes.texts)
    assert assert_body_above_notes(pdf) == pdf.pages


def test_a_heading_mark_stays_out_of_the_contents(everywhere: tuple[Pdf, Notes]) -> None:
    pdf, _ = everywhere
    # the contents list the heading's words, without its mark
    assert len([w for w in pdf.words if w.text == "refhq"]) == 2
    assert len(pdf.marks("h")) == 1


@dataclass(frozen=True)
class Link:
    """A link to a place in the document (not the contents' links to headings' pages)."""

    page: int
    from_band: bool
    """Starts among the notes: a note's number (else: a mark in the body)."""
    to_page: int
    to_band: bool
    """Opens its page among the notes (else: in the body)."""
    to: tuple[float, float]
    rect: tuple[float, float]
    """Where it starts: left, bottom."""


def links(pdf: Pdf) -> list[Link]:
    """The links of ``pdf`` to a place on a page. The notes begin a line above the top of
    the first note word of their page."""
    reader = PdfReader(io.BytesIO(pdf.data))
    number_of = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    height = float(reader.pages[0].mediabox.height)
    band = {n: 0.0 for n in range(1, pdf.pages + 1)}  # in PDF units, from the bottom
    for w in pdf.words:
        if w.text.startswith("note"):
            band[w.page] = max(band[w.page], height - w.top + 12)
    out = []
    for no, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots", []):
            link = annot.get_object()
            dest = link.get("/Dest")
            if link.get("/Subtype") == "/Link" and dest is not None and dest[1] == "/XYZ":
                to_page, to = number_of[dest[0].idnum], (float(dest[2]), float(dest[3]))
                rect = (float(link["/Rect"][0]), float(link["/Rect"][1]))
                out.append(Link(no, rect[1] <= band[no], to_page, to[1] <= band[to_page], to, rect))
    return out


def test_marks_link_to_their_notes_and_back(everywhere: tuple[Pdf, Notes]) -> None:
    """A mark's link opens its page at the note; the note's number opens the page of its
    mark, above the notes."""
    pdf, notes = everywhere
    found = links(pdf)
    assert all(x.to_band != x.from_band for x in found)
    # the notes are on the pages of their marks, except the one a second mark refers to
    elsewhere = [(x.page, x.to_page) for x in found if x.to_page != x.page]
    assert elsewhere == [(pdf.marks("a")[1][0], pdf.note_page("a"))]
    assert len([x for x in found if x.from_band]) == len(notes.texts)
    assert len([x for x in found if not x.from_band]) == len(notes.texts) + 1  # a: two marks


def test_a_note_links_back_to_the_number_of_its_mark(writer: PdfWriter) -> None:
    """Where a mark follows a space, the line may break before it: the place a note's
    number links back to (set as the mark is drawn) is still at the mark's number, not at
    the end of the line before (where, at a page's foot, the note would go too)."""
    notes = Notes()
    parts: list[d.Inline] = []
    for i in range(80):  # words of varied lengths, so that some lines break before a mark
        word, mark = notes.ref(f"m{i}", 2)
        parts += [d.Text(" " + "w" * (1 + i * 7 % 11)), word, d.Text(" "), mark]
    pdf = render(writer, notes.document(d.Paragraph(tuple(parts))))
    height = writer.hs.page_size[1]
    back = {}  # the note whose first line a back link starts on → where it goes
    for link in links(pdf):
        if link.from_band:
            (note,) = [
                w.text for w in pdf.words
                if w.page == link.page and w.text.startswith("note")
                and w.top <= height - link.rect[1] <= w.bottom + 3
            ]  # fmt: skip
            back[note[4:-1]] = link
    assert set(back) == set(notes.texts)
    for key, link in back.items():
        number = pdf.number_of(key)
        x, y = link.to
        assert link.to_page == number.page
        assert number.left - 1 <= x <= number.right + 1, key
        assert number.top - 15 <= height - y <= number.bottom, key


def test_one_note_for_a_repeated_reference(everywhere: tuple[Pdf, Notes]) -> None:
    pdf, notes = everywhere
    assert len(pdf.pages_of("noteaq")) == 1
    assert [n for _page, n in pdf.marks("a")] == [notes.number("a")] * 2
    # both marks link to the note: the one destination two marks go to
    targets = [(x.to_page, x.to) for x in links(pdf) if not x.from_band]
    twice = {t for t in targets if targets.count(t) == 2}
    assert len(targets) == len(notes.texts) + 1 and len(twice) == 1
    ((page, _xy),) = twice
    assert page == pdf.note_page("a")


def test_real_clients_accept_the_pdf(everywhere: tuple[Pdf, Notes], tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(everywhere[0].data)
    check = subprocess.run([need_tool("qpdf"), "--check", str(path)], capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(
        [need_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in fonts)


# ---------------------------------------------------------------- tables


@pytest.fixture(scope="module")
def table(writer: PdfWriter) -> tuple[Pdf, Notes]:
    n = Notes()

    def row(i: int) -> tuple[d.Inlines, d.Inlines]:
        event = text(
            f"Event{i} " + "with details " * (i % 5), *([n.ref(f"t{i}")] if i % 4 == 1 else [])
        )
        return text(f"2024-{i:03d}"), event

    doc = n.document(
        para("A table follows."),
        d.Table(
            (d.Column(text("Date")), d.Column(text("Event", n.ref("th")), 3)),
            tuple(row(i) for i in range(90)),
        ),
        para("After the table", n.ref("after"), "."),
    )
    return render(writer, doc), n


def test_notes_of_table_cells_on_every_page_of_a_table(table: tuple[Pdf, Notes]) -> None:
    pdf, notes = table
    assert pdf.pages >= 3
    assert_notes_on_their_pages(pdf, notes)
    # the header row's mark is repeated on every page; its note is on the first
    assert len(pdf.marks("th")) == len(pdf.pages_of("Date")) == pdf.pages
    assert pdf.note_page("th") == 1
    assert pdf.note_order() == list(notes.texts)
    assert assert_body_above_notes(pdf) == pdf.pages


# ---------------------------------------------------------------- more notes than a page holds


@pytest.fixture(scope="module")
def overflow(writer: PdfWriter) -> tuple[Pdf, Notes]:
    n = Notes()
    many = [part for i in range(50) for part in (f"Claim{i}", n.ref(f"m{i}", 6 + i % 9), ". ")]
    crowded = [part for i in range(14) for part in (n.ref(f"c{i}", 90), ",")]
    doc = n.document(
        *fillers(2),
        para(*many),  # more notes than a page holds, but each line's fit with its own
        para("A crowded line:", *crowded, " what they say fills pages."),
        para("A long one", n.ref("long", 1400), "."),
        para("After it", n.ref("late"), "."),
        *fillers(3, "z"),
    )
    return render(writer, doc), n


def test_more_notes_than_a_page_holds_continue_on_the_next(overflow: tuple[Pdf, Notes]) -> None:
    pdf, notes = overflow
    # every note is printed once, in order, never before its mark
    assert pdf.note_order() == list(notes.texts)
    for key in notes.texts:
        assert pdf.note_page(key) >= pdf.mark_page(key)
    # the lines of a paragraph with many notes go to the page of their notes
    assert len({pdf.mark_page(f"m{i}") for i in range(50)}) >= 2
    assert all(pdf.mark_page(f"m{i}") == pdf.note_page(f"m{i}") for i in range(50))
    # a line whose notes fill more than a page: they start on its page and continue
    line = pdf.mark_page("c0")
    assert pdf.note_page("c0") == line and pdf.note_page("c13") > line
    # so does a note longer than a page
    start, end = pdf.note_page("long"), pdf.pages_of("nw1399")
    assert start == pdf.mark_page("long") and end[0] > start
    # and a note after a continued one follows it
    assert pdf.note_page("late") >= end[0]
    assert assert_body_above_notes(pdf) == pdf.pages


# ---------------------------------------------------------------- headings


def test_a_heading_moves_on_with_the_lines_and_notes_that_follow_it(writer: PdfWriter) -> None:
    """A heading never ends a page: when the first lines after it fit but their notes do
    not, the heading goes to the next page with them."""

    def document(notes: Notes, short: int) -> d.Document:
        return notes.document(
            *fillers(7),
            *(para(f"Short {i}.") for i in range(short)),
            d.Heading(1, text("Keptheading"), "kept"),
            para("First line", notes.ref("k", 90), " " + LOREM * 2),
        )

    moved = 0
    for short in range(8):  # the heading ever lower on page 1, then on page 2
        pdf = render(writer, document(Notes(), short))
        (heading,) = pdf.pages_of("Keptheading")
        assert heading == pdf.mark_page("k") == pdf.note_page("k"), short
        plain = render(writer, document(Notes(marks=False), short))
        moved += plain.pages_of("Keptheading") < [heading]
    assert moved
