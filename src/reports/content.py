"""Fact-base content as memo markup, for the template: paragraphs, blocks and list items.

The template decides where content goes and in what words; these filters turn one field's
value into markup the reader understands (see ``reader``). Text is literal in a version 1
fact base and CommonMark inline markup in version 2 (see ``richtext``): either way every
character typed reaches the markup escaped, and nothing in a fact base is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from . import charts, richtext, timeaxis
from . import model as m
from .fieldpaths import path_of


class Content:
    """The filters of one rendering; numbers the figures across the memo."""

    def __init__(self, facts: m.FactBase, t: Callable[[str], str]) -> None:
        self.version = facts.version
        self.t = t
        ids = [*facts.footnotes, *(s.id for s in facts.sources if s.id)]
        self.footnote_ids = tuple(ids)
        self.figures = 0
        self.facts = facts
        self._tables: dict[str, m.TableSpec] | None = None

    # ------------------------------------------------------------------ filters

    def inline(self, text: Any) -> Markup:
        """One text as inline markup (version 2: emphasis, links, footnote references)."""
        if text is None:
            return Markup("")
        return Markup(richtext.inline(str(text), self.version, self.footnote_ids, path_of(text)))

    def plain(self, text: Any) -> Markup:
        """One line of text as typed (never markup), marked with its field."""
        if text is None:
            return Markup("")
        return Markup(richtext.mark_source(escape(str(text)), path_of(text)))

    def blocks(self, body: Any) -> Markup:
        """Paragraphs and blocks: a text (or a list of them and of blocks) as block markup."""
        if body is None:
            return Markup("")
        if isinstance(body, str):
            body = (body,)
        return Markup("".join(self._block(b) for b in body))

    def items(self, values: Iterable[Any]) -> Markup:
        """List items (``<li>``), with the lists nested under them."""
        return Markup("".join(self._item(v) for v in values))

    # ------------------------------------------------------------------ blocks

    def _block(self, block: Any) -> str:
        if isinstance(block, str):
            return richtext.blocks(block, self.version, self.footnote_ids, path_of(block))
        if isinstance(block, m.ListBlock):
            return self._list(block.list_, block.numbered, block.start)
        if isinstance(block, m.TableBlock):
            return self.table(block.table)
        if isinstance(block, m.FigureBlock):
            return self.figure(block.figure)
        if isinstance(block, m.ChartBlock):
            return self.chart(block.chart)
        if isinstance(block, m.NoteBlock):
            mark = quoteattr(self.t("note_mark"))
            return f"<note mark={mark}>{self.inline(block.note)}</note>"
        if isinstance(block, m.BoxBlock):
            title = block.box.title
            mapped = richtext.mark_source(escape(title), path_of(title)) if title else ""
            title = f"<title>{mapped}</title>" if mapped else ""
            return f"<box>{title}{self.blocks(block.box.body)}</box>"
        raise TypeError(f"not a block: {type(block).__name__}")

    def _list(self, values: Iterable[Any], numbered: bool, start: int = 1) -> str:
        if not numbered:
            return f"<ul>{self.items(values)}</ul>"
        attr = f" start={quoteattr(str(start))}" if start != 1 else ""
        return f"<ol{attr}>{self.items(values)}</ol>"

    def _item(self, value: Any) -> str:
        if isinstance(value, m.ListEntry):
            nested = self._list(value.items, value.numbered) if value.items else ""
            return f"<li>{self.inline(value.item)}{nested}</li>"
        return f"<li>{self.inline(value)}</li>"

    def table(self, spec: m.TableSpec) -> str:
        """A table block: widths as given (else even), columns of numbers right-aligned."""
        header = spec.header
        widths = spec.widths or (1.0,) * len(header)
        out = ["<table>"]
        for name, width, align in zip(header, widths, spec.alignments(), strict=False):
            out.append(
                f"<col width={quoteattr(repr(float(width)))} align={quoteattr(align)}>"
                f"{escape(name)}</col>"
            )
        for row in spec.body:
            cells = "".join(f"<cell>{self.inline(c) if c else ''}</cell>" for c in row)
            out.append(f"<row>{cells}</row>")
        out += self._caption_and_source(spec.caption, spec.source)
        out.append("</table>")
        return "".join(out)

    def _caption_and_source(self, caption: Any, source: Any) -> list[str]:
        """A table's or chart's caption and its source line, as markup."""
        out = []
        if caption:
            out.append(f"<caption>{self.inline(caption)}</caption>")
        if source:
            label = escape(self.t("table_source"))
            out.append(f"<source>{label} {self.inline(source)}</source>")
        return out

    def figure(self, spec: m.FigureSpec) -> str:
        """A figure block, numbered in the memo's language ("Figure 2", "그림 2")."""
        self.figures += 1
        label = self.t("figure_label").replace("{n}", str(self.figures))
        caption = f"<caption>{self.inline(spec.caption)}</caption>" if spec.caption else ""
        attrs = (
            f"src={quoteattr(str(spec.file.path))} alt={quoteattr(spec.alt)} "
            f"width={quoteattr(repr(spec.width))} label={quoteattr(label)}"
        )
        return f"<figure {attrs}>{caption}</figure>"

    def chart(self, spec: m.ChartSpec) -> str:
        """A chart block, numbered with the figures; its text alternative written from the
        data when the fact base gives none."""
        if self._tables is None:  # a walk of the whole fact base: only for memos with charts
            self._tables = charts.tables_by_id(self.facts)
        data = charts.resolve(spec, self._tables)
        values = [v for _name, series in data.series for v in series]
        fmt = spec.format or charts.default_format(values)
        self.figures += 1
        label = self.t("figure_label").replace("{n}", str(self.figures))
        marks = (self.t("decimal_mark"), self.t("thousands_separator"))
        labels = spec.labels
        if labels is None:
            labels = spec.type in charts.ROUND_TYPES or (
                len(data.series) == 1 and spec.type != "line"
            )
        # one series and no title: the series' name is the title, as Excel has it, so the
        # name of what is counted is printed, not only in the text alternative
        title = spec.title or (data.series[0][0] if len(data.series) == 1 else None)
        alt = spec.alt or self.chart_summary(spec.type, title, spec.units, data, fmt, marks)
        attrs = {
            "type": spec.type,
            "label": label,
            "alt": alt,
            "width": repr(spec.width),
            "format": fmt,
            "labels": "true" if labels else "false",
            "decimal-mark": marks[0],
            "group-mark": marks[1],
        }
        if title:
            attrs["title"] = title
        if spec.units:
            attrs["units"] = spec.units
        out = ["<chart ", " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()), ">"]
        out += [f"<category>{escape(c)}</category>" for c in data.categories]
        for name, series in data.series:
            out.append(f"<series name={quoteattr(name)}>")
            out += [f"<v>{value!r}</v>" for value in series]
            out.append("</series>")
        out += self._caption_and_source(spec.caption, spec.source)
        out.append("</chart>")
        return "".join(out)

    def timeline(
        self,
        entries: Iterable[m.TimelineEntry],
        when: Callable[[m.AnyDate], str],
        axis: timeaxis.Labeller,
    ) -> str:
        """A timeline's events on a time axis, numbered with the figures: each event's
        days, its date as ``when`` writes it and its words; the axis's scales labelled by
        ``axis``; a text alternative that lists every event with its date."""
        entries = tuple(entries)
        self.figures += 1
        label = self.t("figure_label").replace("{n}", str(self.figures))
        caption = self.t("timeline_caption")
        sep, end = self.t("label_separator"), self.t("sentence_end")
        events = [
            (e.date.first(), e.date.last(), when(e.date), richtext.plain(e.event, self.version))
            for e in entries
        ]
        said = [f"{self.t('chart_timeline')}{sep}{caption}{end}"]
        said += [f"{date}{sep}{_sentence(text, end)}" for _f, _l, date, text in events]
        out = [f"<timeline label={quoteattr(label)} alt={quoteattr(' '.join(said))}>"]
        first = min(e[0] for e in events)
        last = max(e[1] for e in events)
        for scale in timeaxis.scales(first, last, axis):
            out.append(
                f"<scale first={quoteattr(str(scale.first))} last={quoteattr(str(scale.last))}>"
            )
            out += [
                f"<tick first={quoteattr(str(t.first))} last={quoteattr(str(t.last))}>"
                f"{escape(t.text)}</tick>"
                for t in scale.labels
            ]
            out.append("</scale>")
        for start, stop, date, text in events:
            out.append(
                f"<event first={quoteattr(str(start))} last={quoteattr(str(stop))} "
                f"date={quoteattr(date)}>{escape(text)}</event>"
            )
        out.append(f"<caption>{escape(caption)}</caption></timeline>")
        return "".join(out)

    def chart_summary(
        self,
        kind: str,
        title: str | None,
        units: str | None,
        data: charts.ChartData,
        fmt: str,
        marks: tuple[str, str],
    ) -> str:
        """What the chart shows, in words: its type and title, then each series' values
        (``Column chart: Salt stock (%). Stock: North 96, East 88.``)."""
        sep, end = self.t("label_separator"), self.t("sentence_end")
        head = self.t(f"chart_{kind.replace('-', '_')}")
        if title:
            head += sep + title
        if units:
            head += f" ({units})"
        parts = [head + end]
        shown = 0
        for name, values in data.series:
            points = []
            for category, value in zip(data.categories, values, strict=False):
                if shown == _SUMMARY_POINTS:
                    break
                points.append(f"{category} {charts.format_number(value, fmt, *marks)}")
                shown += 1
            if points:
                parts.append(f"{name}{sep}{', '.join(points)}{end}")
        total = sum(len(v) for _n, v in data.series)
        if total > shown:
            parts.append(self.t("chart_more").replace("{n}", f"{total - shown:,}"))
        return " ".join(parts)


_SUMMARY_POINTS = 60
"""Values a generated text alternative lists before saying how many more there are."""


def _sentence(text: str, end: str) -> str:
    """``text`` as a sentence of a text alternative: ending with ``end`` unless it ends
    with a stop of its own."""
    return text if not text or text[-1] in ".!?。" or text.endswith(end) else text + end
