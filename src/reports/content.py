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

from . import model as m
from . import richtext
from .fieldpaths import path_of


class Content:
    """The filters of one rendering; numbers the figures across the memo."""

    def __init__(self, facts: m.FactBase, t: Callable[[str], str]) -> None:
        self.version = facts.version
        self.t = t
        ids = [*facts.footnotes, *(s.id for s in facts.sources if s.id)]
        self.footnote_ids = tuple(ids)
        self.figures = 0

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
        if spec.caption:
            out.append(f"<caption>{self.inline(spec.caption)}</caption>")
        if spec.source:
            label = escape(self.t("table_source"))
            out.append(f"<source>{label} {self.inline(spec.source)}</source>")
        out.append("</table>")
        return "".join(out)

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
