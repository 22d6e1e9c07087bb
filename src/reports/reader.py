"""Parse a template's output (memo markup, a small XML vocabulary) into the document model.

Templates emit XML because escaping for it is total and done in one place (Jinja's
autoescape): whatever a fact contains, it reaches the model as the text that was typed.
The vocabulary, in full::

    <document lang= title= subject= author= keywords="a&#10;b" marking= running-title=
              date=YYYY-MM-DD date-label= draft=true|false draft-label=
              page-label="Page {page} of {pages}">
      <title><logo src= alt=/><kicker>…</kicker><main>…</main><subtitle>…</subtitle></title>
      <fields><field label="Date">…</field>…</fields>
      <toc title="Contents"/>
      <h1 numbered="true|false">…</h1> <h2>…</h2>
      <p style="body|lead|small|dateline|label">…</p>
      <ul columns="1-4"><li>… <ul>…</ul></li>…</ul>   <ol start="1"><li>…</li>…</ol>
                                                        (lists nest in items)
      <table><col width="2" align="left|right|center">header</col>…<row><cell>…</cell>…</row>…
             <caption>…</caption><source>…</source></table>
      <figure src= alt= width="0.6" label="Figure 1"><caption>…</caption></figure>
      <chart type="bar|column|stacked-bar|stacked-column|line|pie|doughnut" alt= label=
             title= units= format="#,##0.0" labels=true|false width= decimal-mark= group-mark=>
        <category>…</category>… <series name=><v>96</v>…</series>…
        <caption>…</caption><source>…</source></chart>   (one <v> per category)
      <timeline label= alt=>                         (events on a time axis)
        <scale first=YYYY-MM-DD last=YYYY-MM-DD><tick first= last=>Nov</tick>…</scale>…
        <event first= last= date="15 November 2025">what happened</event>…
        <caption>…</caption></timeline>              (scales finest first; events in order)
      <note mark="※">…</note>
      <box><title>…</title> …blocks… </box>
      <pagebreak/>
      <clearance title= name-label= role-label= date-label= status-label= cleared-label=
                 consulted-label=><signoff name= role= date= status= status-label=/>…</clearance>
      <decision signature-label= date-label=><title>…</title><p>…</p>…<option>Agree</option>…
                <deadline>…</deadline></decision>
      <qa q-label="Q{n}" a-label="A"><q>…</q><a>…</a>…</qa>   ({n}: the question's number)
      <footnotes><footnote id="x">…</footnote>…</footnotes>   (anywhere; the texts of [^x])
    </document>

Inline content (the ``…``): text, ``<em>``, ``<strong>``, ``<link href="https://…">``, ``<br/>``,
``<fn id="x"/>`` (a footnote reference), ``<src path="faq[2].answer" part="0">`` (words typed
in that fact-base field; the content filters add it). Runs of white space collapse to one
space, as in HTML. Image ``src`` attributes name PNG or JPEG files, checked when read.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any, get_args

from . import document as d
from .errors import Problem, SourceLocation, TemplateError

# XML white space only: no-break and ideographic spaces are text, kept as typed.
_SPACE = re.compile(r"[ \t\r\n]+")
_SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def read(markup: str, origin: str = "template") -> d.Document:
    """Parse memo markup into a :class:`~reports.document.Document`.

    ``origin`` names the template in error messages. Raise :class:`TemplateError` when the
    markup is not well-formed or uses an element or attribute outside the vocabulary.
    """
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as exc:
        line, col = exc.position
        lines = markup.splitlines()
        snippet = lines[line - 1].strip()[:80] if 0 < line <= len(lines) else ""
        msg = (
            f"template output is not well-formed memo markup at output line {line}, "
            f"column {col + 1}: {_parse_message(exc)}"
        )
        if snippet:
            msg += f" (near: {snippet})"
        raise TemplateError([Problem(SourceLocation(origin), msg)]) from None
    return _Reader(origin).document(root)


def _parse_message(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


class _Reader:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.anchors = 0
        self.questions = 0
        self.figures = 0
        self.footnotes: dict[str, d.Inlines] = {}
        self.has_refs = False
        """Some inline content refers to a footnote."""

    def fail(self, message: str) -> TemplateError:
        return TemplateError([Problem(SourceLocation(self.origin), message)])

    def attrs(self, el: ET.Element, allowed: set[str]) -> dict[str, str]:
        extra = set(el.attrib) - allowed
        if extra:
            raise self.fail(
                f"<{el.tag}> has no attribute '{sorted(extra)[0]}'"
                + (f"; it takes {', '.join(sorted(allowed))}" if allowed else "")
            )
        return dict(el.attrib)

    def document(self, root: ET.Element) -> d.Document:
        if root.tag != "document":
            raise self.fail(f"the template's output must start with <document>, not <{root.tag}>")
        a = self.attrs(
            root,
            {
                "lang",
                "title",
                "subject",
                "author",
                "keywords",
                "marking",
                "running-title",
                "date",
                "date-label",
                "draft",
                "draft-label",
                "page-label",
            },
        )
        if (root.text or "").strip():
            raise self.fail("text outside a block inside <document>; wrap it in <p>")
        date = None
        if a.get("date"):
            try:
                date = _dt.date.fromisoformat(a["date"])
            except ValueError:
                raise self.fail(f"<document date='{a['date']}'> is not YYYY-MM-DD") from None
        # Templates written before the build set the watermark may still say draft="true".
        draft = self.flag(root, a, "draft", False)
        meta = d.Meta(
            title=_norm(a.get("title", "")),
            lang=a.get("lang", "en"),
            subject=_norm(a.get("subject", "")),
            author=_norm(a.get("author", "")),
            # one keyword a line (&#10; survives XML's attribute normalisation; ';' may be text)
            keywords=tuple(_norm(k) for k in a.get("keywords", "").split("\n") if k.strip()),
            marking=_norm(a.get("marking", "")),
            running_title=_norm(a.get("running-title", "")),
            date=date,
            date_label=_norm(a.get("date-label", "")) or (date.isoformat() if date else ""),
            draft=draft,
            draft_label=_norm(a.get("draft-label", "DRAFT")),
            page_label=_norm(a.get("page-label", "Page {page} of {pages}")),
        )
        if not meta.title:
            raise self.fail("<document> needs a non-empty title attribute")
        blocks = self.blocks(root)
        if not self.footnotes and not self.has_refs:
            return d.Document(meta, blocks)  # nothing to number (most memos)
        return d.Document(meta, blocks, self.number_footnotes(blocks))

    def blocks(self, parent: ET.Element) -> tuple[d.Block, ...]:
        out: list[d.Block] = []
        for el in parent:
            block = self.block(el)
            if block is not None:
                out.append(block)
            if (el.tail or "").strip():
                raise self.fail(f"text after </{el.tag}> outside a block; wrap it in <p>")
        return tuple(out)

    def number_footnotes(self, blocks: tuple[d.Block, ...]) -> tuple[d.Footnote, ...]:
        """Number footnotes by their first reference, in reading order (a note's own text
        may refer to another note, which then comes after it)."""
        order: list[str] = []
        pending = list(_refs(blocks))
        while pending:
            ref = pending.pop(0)
            if ref in order:
                continue
            if ref not in self.footnotes:
                raise self.fail(f"<fn id='{ref}'/> refers to no <footnote id='{ref}'>")
            order.append(ref)
            pending = list(_refs(self.footnotes[ref])) + pending
        return tuple(d.Footnote(ref, n, self.footnotes[ref]) for n, ref in enumerate(order, 1))

    def block(self, el: ET.Element) -> d.Block | None:
        handler = getattr(self, f"block_{el.tag}", None)
        if handler is None:
            known = sorted(n[6:] for n in dir(self) if n.startswith("block_"))
            raise self.fail(f"unknown block <{el.tag}>; blocks are {', '.join(known)}")
        result: d.Block | None = handler(el)
        return result

    def block_title(self, el: ET.Element) -> d.TitleBlock:
        self.attrs(el, set())
        parts: dict[str, d.Inlines] = {"kicker": (), "main": (), "subtitle": ()}
        logo = None
        for child in el:
            if child.tag == "logo":
                a = self.attrs(child, {"src", "alt"})
                logo = self.image(child, a)
            elif child.tag in parts:
                parts[child.tag] = self.inlines(child)
            else:
                raise self.fail(
                    f"<title> holds <logo>, <kicker>, <main> and <subtitle>, not <{child.tag}>"
                )
        if not parts["main"]:
            raise self.fail("<title> needs a non-empty <main>")
        return d.TitleBlock(parts["main"], parts["kicker"], parts["subtitle"], logo)

    def image(self, el: ET.Element, a: dict[str, str]) -> d.Image:
        """The image an element's ``src`` names, checked (see :mod:`reports.images`)."""
        from pathlib import Path

        from .images import ImageError, inspect

        src = a.get("src", "")
        if not src:
            raise self.fail(f"<{el.tag}> needs a src")
        try:
            info = inspect(Path(src))
        except ImageError as exc:
            raise self.fail(f"<{el.tag} src='{Path(src).name}'>: the image {exc}") from None
        return d.Image(src, info.width, info.height, _norm(a.get("alt", "")))

    def block_fields(self, el: ET.Element) -> d.Fields | None:
        rows = []
        for child in self.children(el, "field"):
            a = self.attrs(child, {"label"})
            value = self.inlines(child)
            if value:
                rows.append(d.Field(_norm(a.get("label", "")), value))
        return d.Fields(tuple(rows)) if rows else None

    def block_toc(self, el: ET.Element) -> d.Toc:
        a = self.attrs(el, {"title"})
        return d.Toc(_norm(a.get("title", "Contents")))

    def _heading(self, el: ET.Element, level: int) -> d.Heading:
        # Level-1 headings take section numbers (when the house style numbers sections)
        # unless marked numbered="false".
        a = self.attrs(el, {"numbered"} if level == 1 else set())
        numbered = self.flag(el, a, "numbered", level == 1)
        content = self.inlines(el)
        if not content:
            raise self.fail(f"<h{level}> is empty")
        self.anchors += 1
        return d.Heading(level, content, f"sec-{self.anchors}", numbered)  # type: ignore[arg-type]

    def flag(self, el: ET.Element, attrs: dict[str, str], name: str, default: bool) -> bool:
        """A true/false attribute; ``default`` when absent."""
        value = attrs.get(name, "true" if default else "false").strip().lower()
        if value not in ("true", "false"):
            raise self.fail(f"<{el.tag} {name}='{attrs[name]}'> must be true or false")
        return value == "true"

    def block_h1(self, el: ET.Element) -> d.Heading:
        return self._heading(el, 1)

    def block_h2(self, el: ET.Element) -> d.Heading:
        return self._heading(el, 2)

    def block_p(self, el: ET.Element) -> d.Paragraph | None:
        a = self.attrs(el, {"style"})
        style = a.get("style", "body")
        if style not in ("body", "lead", "small", "dateline", "label"):
            raise self.fail(f"<p style='{style}'>: styles are body, lead, small, dateline, label")
        content = self.inlines(el)
        return d.Paragraph(content, style) if content else None  # type: ignore[arg-type]

    def _items(self, el: ET.Element) -> tuple[d.ListItem, ...]:
        items = tuple(self.item(li) for li in self.children(el, "li"))
        items = tuple(i for i in items if i.content or i.children)
        if not items:
            raise self.fail(f"<{el.tag}> has no items; guard it with {{% if %}} in the template")
        return items

    def item(self, li: ET.Element) -> d.ListItem:
        """An item: its inline content, then any lists nested in it."""
        self.attrs(li, set())
        nested = [c for c in li if c.tag in ("ul", "ol")]
        if not nested:
            return d.ListItem(self.inlines(li))
        first = list(li).index(nested[0])
        head = ET.Element("li")
        head.text = li.text
        head.extend(list(li)[:first])
        children: list[d.BulletList | d.NumberedList] = []
        for child in list(li)[first:]:
            if child.tag not in ("ul", "ol"):
                raise self.fail(
                    f"<li> holds its text first, then lists, not <{child.tag}> after them"
                )
            if (child.tail or "").strip():
                raise self.fail("text after a list nested in <li>")
            children.append(self.block_ul(child) if child.tag == "ul" else self.block_ol(child))
        return d.ListItem(self.inlines(head), tuple(children))

    def block_ul(self, el: ET.Element) -> d.BulletList:
        a = self.attrs(el, {"columns"})
        columns = a.get("columns", "1")
        if columns not in {"1", "2", "3", "4"}:
            raise self.fail(f"<ul columns='{columns}'> must be 1, 2, 3 or 4")
        return d.BulletList(self._items(el), int(columns))

    def block_clearance(self, el: ET.Element) -> d.Clearance | None:
        a = self.attrs(
            el,
            {"title", "name-label", "role-label", "date-label", "status-label",
             "cleared-label", "consulted-label"},
        )  # fmt: skip
        entries = []
        for child in self.children(el, "signoff"):
            s = self.attrs(child, {"name", "role", "date", "status", "status-label"})
            status = s.get("status", "cleared")
            if status not in ("cleared", "consulted", "pending"):
                raise self.fail(f"<signoff status='{status}'>: cleared, consulted or pending")
            entries.append(
                d.Signoff(
                    _norm(s.get("name", "")),
                    _norm(s.get("role", "")),
                    _norm(s.get("date", "")),
                    status,  # type: ignore[arg-type]
                    _norm(s.get("status-label", status)),
                )
            )
        if not entries:
            return None
        headers = tuple(
            _norm(a.get(f"{k}-label", k.title())) for k in ("name", "role", "date", "status")
        )
        return d.Clearance(
            tuple(entries),
            _norm(a.get("title", "Cleared by")),
            headers,  # type: ignore[arg-type]
            _norm(a.get("cleared-label", "Cleared")),
            _norm(a.get("consulted-label", "Consulted")),
        )

    def block_decision(self, el: ET.Element) -> d.Decision:
        a = self.attrs(el, {"signature-label", "date-label"})
        paragraphs: list[d.Inlines] = []
        options: list[str] = []
        title: d.Inlines = ()
        deadline: d.Inlines = ()
        for child in el:
            if child.tag == "title":
                title = self.inlines(child)
            elif child.tag == "p":
                paragraphs.append(self.inlines(child))
            elif child.tag == "option":
                options.append(_norm("".join(child.itertext())))
            elif child.tag == "deadline":
                deadline = self.inlines(child)
            else:
                raise self.fail(
                    f"<decision> holds title, p, option and deadline, not <{child.tag}>"
                )
            if (child.tail or "").strip():
                raise self.fail(f"text after </{child.tag}> inside <decision>")
        if not paragraphs or not options:
            raise self.fail("<decision> needs a <p> (the recommendation) and its <option>s")
        return d.Decision(
            tuple(paragraphs), tuple(options), title, deadline,
            _norm(a.get("signature-label", "Signature")), _norm(a.get("date-label", "Date")),
        )  # fmt: skip

    def block_ol(self, el: ET.Element) -> d.NumberedList:
        a = self.attrs(el, {"start"})
        try:
            start = int(a.get("start", "1"))
        except ValueError:
            start = 0
        if not 0 < start < 1_000_000_000:
            raise self.fail(f"<ol start='{a.get('start')}'> must be a whole number from 1")
        return d.NumberedList(self._items(el), start)

    def block_table(self, el: ET.Element) -> d.Table:
        self.attrs(el, set())
        columns: list[d.Column] = []
        rows: list[tuple[d.Inlines, ...]] = []
        caption: d.Inlines = ()
        source: d.Inlines = ()
        for child in el:
            if child.tag == "caption":
                caption = self.inlines(child)
            elif child.tag == "source":
                source = self.inlines(child)
            elif child.tag == "col":
                a = self.attrs(child, {"width", "align"})
                try:
                    width = float(a.get("width", "1"))
                except ValueError:
                    width = -1
                if not 0 < width < 1e6:
                    raise self.fail(f"<col width='{a.get('width')}'> must be a positive number")
                align = a.get("align", "left")
                if align not in ("left", "right", "center"):
                    raise self.fail(f"<col align='{align}'>: alignments are left, right, center")
                columns.append(d.Column(self.inlines(child), width, align))  # type: ignore[arg-type]
            elif child.tag == "row":
                self.attrs(child, set())
                cells = tuple(self.inlines(c) for c in self.children(child, "cell"))
                if len(cells) != len(columns):
                    raise self.fail(
                        f"<table> row {len(rows) + 1} has {len(cells)} cells "
                        f"for {len(columns)} columns"
                    )
                rows.append(cells)
            else:
                raise self.fail(
                    f"<table> holds <col>, <row>, <caption> and <source>, not <{child.tag}>"
                )
        if not columns or not rows:
            raise self.fail("<table> needs at least one <col> and one <row>")
        return d.Table(tuple(columns), tuple(rows), caption, source)

    def block_figure(self, el: ET.Element) -> d.Figure:
        a = self.attrs(el, {"src", "alt", "width", "label"})
        width = _fraction(a.get("width", "1"))
        if width is None:
            raise self.fail(f"<figure width='{a.get('width')}'> must be above 0 and at most 1")
        caption: d.Inlines = ()
        for child in el:
            if child.tag != "caption":
                raise self.fail(f"<figure> holds a <caption>, not <{child.tag}>")
            caption = self.inlines(child)
        self.figures += 1
        return d.Figure(self.image(el, a), width, _norm(a.get("label", "")), caption)

    def block_chart(self, el: ET.Element) -> d.Chart:
        a = self.attrs(
            el,
            {"type", "alt", "label", "title", "units", "format", "labels", "width",
             "decimal-mark", "group-mark"},
        )  # fmt: skip
        kind = a.get("type", "")
        if kind not in get_args(d.ChartKind):
            raise self.fail(f"<chart type='{kind}'>: types are {', '.join(get_args(d.ChartKind))}")
        width = _fraction(a.get("width", "1"))
        if width is None:
            raise self.fail(f"<chart width='{a.get('width')}'> must be above 0 and at most 1")
        fmt = a.get("format", "0")
        if not re.match(d.NUMBER_FORMAT, fmt):
            raise self.fail(f"<chart format='{fmt}'>: formats are 0, 0.0 …, #,##0, #,##0.0 …")
        categories: list[str] = []
        series: list[d.Series] = []
        caption: d.Inlines = ()
        source: d.Inlines = ()
        for child in el:
            if child.tag == "category":
                self.attrs(child, set())
                categories.append(_norm(child.text or ""))
            elif child.tag == "series":
                name = _norm(self.attrs(child, {"name"}).get("name", ""))
                series.append(d.Series(name, tuple(self.number(v) for v in child)))
            elif child.tag == "caption":
                caption = self.inlines(child)
            elif child.tag == "source":
                source = self.inlines(child)
            else:
                raise self.fail(
                    f"<chart> holds <category>, <series>, <caption> and <source>, not <{child.tag}>"
                )
        if not categories or not series:
            raise self.fail("<chart> needs at least one <category> and one <series>")
        for s in series:
            if len(s.values) != len(categories):
                raise self.fail(
                    f"<series name='{s.name}'> has {len(s.values)} values for "
                    f"{len(categories)} categories"
                )
        self.figures += 1
        return d.Chart(
            kind,  # type: ignore[arg-type]
            tuple(categories),
            tuple(series),
            _norm(a.get("alt", "")),
            title=_norm(a.get("title", "")),
            units=_norm(a.get("units", "")),
            number_format=fmt,
            data_labels=self.flag(el, a, "labels", False),
            width=width,
            label=_norm(a.get("label", "")),
            caption=caption,
            source=source,
            decimal_mark=a.get("decimal-mark", "."),
            group_mark=a.get("group-mark", ","),
        )

    def block_timeline(self, el: ET.Element) -> d.TimelineChart:
        a = self.attrs(el, {"label", "alt"})
        scales: list[d.TimeScale] = []
        events: list[d.TimelineEvent] = []
        caption: d.Inlines = ()
        for child in el:
            if child.tag == "scale":
                first, last = self.days(child)
                ticks = []
                for tick in child:
                    if tick.tag != "tick":
                        raise self.fail(f"<scale> holds <tick> elements, not <{tick.tag}>")
                    ticks.append(d.AxisLabel(*self.days(tick), _norm(tick.text or "")))
                if not ticks:
                    raise self.fail("<scale> needs at least one <tick>")
                scales.append(d.TimeScale(first, last, tuple(ticks)))
            elif child.tag == "event":
                first, last = self.days(child, {"date"})
                text = d.plain_text(self.inlines(child))
                events.append(d.TimelineEvent(first, last, _norm(child.get("date", "")), text))
            elif child.tag == "caption":
                caption = self.inlines(child)
            else:
                raise self.fail(
                    f"<timeline> holds <scale>, <event> and <caption>, not <{child.tag}>"
                )
        if not scales or not events:
            raise self.fail("<timeline> needs at least one <scale> and one <event>")
        self.figures += 1
        return d.TimelineChart(
            tuple(events), tuple(scales), _norm(a.get("alt", "")), _norm(a.get("label", "")),
            caption,
        )  # fmt: skip

    def days(self, el: ET.Element, more: set[str] | None = None) -> tuple[_dt.date, _dt.date]:
        """The ``first`` and ``last`` days an element names, ``first`` not after ``last``."""
        a = self.attrs(el, {"first", "last"} | (more or set()))
        try:
            first = _dt.date.fromisoformat(a.get("first", ""))
            last = _dt.date.fromisoformat(a.get("last", ""))
        except ValueError:
            raise self.fail(
                f"<{el.tag}> needs first= and last= days as YYYY-MM-DD, got "
                f"'{a.get('first', '')}' and '{a.get('last', '')}'"
            ) from None
        if last < first:
            raise self.fail(f"<{el.tag} first='{first}' last='{last}'>: last is before first")
        return first, last

    def number(self, el: ET.Element) -> float:
        """A chart's value: ``<v>96.5</v>``, a finite number."""
        if el.tag != "v":
            raise self.fail(f"<series> holds <v> elements, not <{el.tag}>")
        self.attrs(el, set())
        try:
            value = float((el.text or "").strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise self.fail(f"<v>{(el.text or '').strip()[:20]}</v> is not a number")
        return value

    def block_note(self, el: ET.Element) -> d.Note | None:
        a = self.attrs(el, {"mark"})
        content = self.inlines(el)
        return d.Note(content, _norm(a.get("mark", ""))) if content else None

    def block_box(self, el: ET.Element) -> d.Box:
        self.attrs(el, set())
        title: d.Inlines = ()
        holder = ET.Element("box")
        for child in el:
            if child.tag == "title" and not holder and not title:
                self.attrs(child, set())
                title = self.inlines(child)
            else:
                holder.append(child)
        if (el.text or "").strip():
            raise self.fail("text directly inside <box>; put it in <p>")
        body = self.blocks(holder)
        if not body:
            raise self.fail("<box> holds no blocks; guard it with {% if %} in the template")
        return d.Box(body, title)

    def block_pagebreak(self, el: ET.Element) -> d.PageBreak:
        self.attrs(el, set())
        return d.PageBreak()

    def block_footnotes(self, el: ET.Element) -> None:
        self.attrs(el, set())
        for child in self.children(el, "footnote"):
            a = self.attrs(child, {"id"})
            name = a.get("id", "")
            if not name or name in self.footnotes:
                raise self.fail(f"<footnote id='{name}'> needs an id of its own")
            self.footnotes[name] = self.inlines(child)

    def block_qa(self, el: ET.Element) -> d.QA:
        a = self.attrs(el, {"q-label", "a-label"})
        question: d.Inlines = ()
        answer: list[d.Inlines] = []
        for child in el:
            if child.tag == "q":
                question = self.inlines(child)
            elif child.tag == "a":
                answer.append(self.inlines(child))
            else:
                raise self.fail(f"<qa> holds <q> and <a>, not <{child.tag}>")
        if not question or not answer:
            raise self.fail("<qa> needs a <q> and at least one <a>")
        self.questions += 1
        return d.QA(
            question,
            tuple(answer),
            a.get("q-label", "Q{n}"),
            a.get("a-label", "A"),
            self.questions,
        )

    def children(self, el: ET.Element, tag: str) -> list[ET.Element]:
        if (el.text or "").strip():
            raise self.fail(f"text directly inside <{el.tag}>; put it in <{tag}>")
        out = []
        for child in el:
            if child.tag != tag:
                raise self.fail(f"<{el.tag}> holds <{tag}> elements, not <{child.tag}>")
            if (child.tail or "").strip():
                raise self.fail(f"text after </{tag}> inside <{el.tag}>")
            out.append(child)
        return out

    def inlines(self, el: ET.Element) -> d.Inlines:
        if len(el) == 0:  # plain text, the common case (every table cell of a timeline)
            text = _SPACE.sub(" ", el.text or "").strip(" ")
            return (d.Text(text),) if text else ()
        if len(el) == 1 and el[0].tag == "src" and len(el[0]) == 0:
            # one field's plain text, the other common case: the same, marked
            only = el[0]
            if not (el.text or "").strip() and not (only.tail or "").strip():
                text = _SPACE.sub(" ", only.text or "").strip(" ")
                part = only.get("part", "0")
                if text and only.get("path") and part.isdigit() and len(only.attrib) <= 2:
                    return (d.Sourced(only.get("path", ""), (d.Text(text),), int(part)),)
        return _trim(self._inline_children(el))

    def _inline_children(self, el: ET.Element) -> list[d.Inline]:
        out: list[d.Inline] = []
        if el.text:
            out.append(d.Text(el.text))
        for child in el:
            out.extend(self._inline(child))
            if child.tail:
                out.append(d.Text(child.tail))
        return out

    def _inline(self, el: ET.Element) -> list[d.Inline]:
        tag = el.tag
        if tag == "br":
            self.attrs(el, set())
            return [d.LineBreak()]
        if tag in ("em", "strong"):
            self.attrs(el, set())
            kids = tuple(_merge(self._inline_children(el)))
            return [d.Emph(kids) if tag == "em" else d.Strong(kids)]
        if tag == "src":
            a = self.attrs(el, {"path", "part"})
            kids = tuple(_merge(self._inline_children(el)))
            part = a.get("part", "0")
            if not a.get("path") or not part.isdigit():
                raise self.fail("<src> needs a path and, if any, a part number")
            return [d.Sourced(a["path"], kids, int(part))] if kids else []
        if tag == "fn":
            self.has_refs = True
            name = self.attrs(el, {"id"}).get("id", "")
            if not name:
                raise self.fail("<fn/> needs the id of a footnote")
            return [d.FootnoteRef(name)]
        if tag == "link":
            href = self.attrs(el, {"href"}).get("href", "").strip()
            kids = tuple(_merge(self._inline_children(el))) or (d.Text(href),)
            if not _SAFE_HREF.match(href):
                # Not a target we will make live (javascript:, file:, relative): keep the words.
                return list(kids)
            return [d.Link(href, kids)]
        raise self.fail(
            f"unknown inline element <{tag}>; inline elements are em, strong, link, br, fn, src"
        )


def _fraction(text: str) -> float | None:
    """A share of the text width, above 0 and at most 1; ``None`` if ``text`` is not one."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value <= 1 else None


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _merge(nodes: list[d.Inline]) -> list[d.Inline]:
    """Join adjacent text nodes and collapse white space runs."""
    out: list[d.Inline] = []
    for node in nodes:
        if isinstance(node, d.Text):
            text = _SPACE.sub(" ", node.text)
            if out and isinstance(out[-1], d.Text):
                prev = out[-1].text
                if prev.endswith(" ") and text.startswith(" "):
                    text = text[1:]
                out[-1] = d.Text(prev + text)
            elif text:
                if text.startswith(" ") and out and _ends_with_space(out[-1]):
                    text = text[1:]
                if text:
                    out.append(d.Text(text))
        else:
            out.append(node)
    return out


def _ends_with_space(node: d.Inline) -> bool:
    if isinstance(node, d.Text):
        return node.text.endswith(" ")
    if isinstance(node, d.LineBreak):
        return True
    children: Any = getattr(node, "children", ())
    return bool(children) and _ends_with_space(children[-1])


def _trim(nodes: list[d.Inline], start: bool = True, end: bool = True) -> d.Inlines:
    merged = _merge(nodes)
    if merged and start:
        first = merged[0]
        if isinstance(first, d.Text):
            merged[0] = d.Text(first.text.lstrip(" "))
        elif isinstance(first, d.Sourced):  # a field's words are the paragraph's
            merged[0] = replace(first, children=_trim(list(first.children), True, False))
    if merged and end:
        last = merged[-1]
        if isinstance(last, d.Text):
            merged[-1] = d.Text(last.text.rstrip(" "))
        elif isinstance(last, d.Sourced):
            merged[-1] = replace(last, children=_trim(list(last.children), False, True))
    return tuple(n for n in merged if not _empty(n))


def _empty(node: d.Inline) -> bool:
    """A text or a field's mark left with nothing in it."""
    if isinstance(node, d.Text):
        return not node.text
    return isinstance(node, d.Sourced) and not node.children


def _refs(node: object) -> list[str]:
    """The footnote ids ``node`` (blocks or inlines, nested) refers to, in reading order."""
    from dataclasses import fields, is_dataclass

    out: list[str] = []
    if isinstance(node, d.FootnoteRef):
        out.append(node.id)
    elif isinstance(node, tuple):
        for item in node:
            out.extend(_refs(item))
    elif is_dataclass(node) and not isinstance(node, d.Image):
        names = _READING_ORDER.get(type(node)) or [f.name for f in fields(node)]
        for name in names:
            out.extend(_refs(getattr(node, name)))
    return out


_READING_ORDER: dict[type, list[str]] = {
    d.TitleBlock: ["kicker", "title", "subtitle"],
    d.Table: ["caption", "columns", "rows", "source"],
    d.Box: ["title", "body"],
}
"""Where a node's fields are not declared in the order both writers print them: footnotes
are numbered in reading order, as Word numbers them."""
