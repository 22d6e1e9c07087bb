"""Fact-base text as memo markup: literal in schema version 1, Markdown in version 2.

Version 2 text is read with markdown-it-py (CommonMark) and only these constructs mean
anything: ``**strong**``, ``*emphasis*``, links ``[text](https://…)`` (http, https and
mailto; any other target keeps its words as text), footnote references ``[^id]`` (to
the fact base's ``footnotes``), hard line breaks (two spaces or a backslash at a line's
end), ``\\`` escapes and, in paragraph fields, blank lines between paragraphs and ``-``
or ``1.`` lists, nested by indentation. Raw HTML, entities, code and headings stay the
characters that were typed. The result is memo markup with every piece of text escaped;
nothing in a fact base is ever evaluated.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_REF = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("zero").enable(["emphasis", "link", "escape", "newline", "list"])
    return md.use(footnote_plugin)


def _env(footnotes: Iterable[str]) -> dict[str, Any]:
    # The footnote plugin turns [^id] into a reference only for ids it knows; the fact
    # base's footnotes are defined elsewhere (footnotes:), so they are declared here.
    return {"footnotes": {"refs": {f":{name}": -1 for name in footnotes}}}


def inline(
    text: str, version: int, footnotes: Iterable[str] = (), source: str | None = None
) -> str:
    """Memo markup for one line of inline text (a list item, a cell, a step).

    ``source`` is the key path of the field the text was typed in: the markup is then
    marked as that field's (``<src path=…>``), for ``reports review``.
    """
    if version < 2:
        return mark_source(escape(text), source)
    tokens = _parser().parseInline(text, _env(footnotes))
    return mark_source("".join(_inline(t.children or []) for t in tokens), source)


def mark_source(markup: str, source: str | None, part: int = 0) -> str:
    """``markup`` marked as typed in the field ``source`` (unmarked when ``None`` or empty)."""
    if source is None or not markup:
        return markup
    extra = f" part={quoteattr(str(part))}" if part else ""
    return f"<src path={quoteattr(source)}{extra}>{markup}</src>"


def blocks(
    text: str, version: int, footnotes: Iterable[str] = (), source: str | None = None
) -> str:
    """Memo markup for paragraph text: ``<p>`` elements, and lists in version 2.

    With ``source``, each paragraph's (or list item's) words are marked as that field's,
    numbered as its parts from 0.
    """
    if version < 2:
        return f"<p>{mark_source(escape(text), source)}</p>"
    tokens = _parser().parse(text, _env(footnotes))
    if _hollow(tokens):
        # list marks with no item text ("1.", "- - -"): words as typed, not an empty list
        return "".join(
            f"<p>{mark_source(escape(line.strip()), source, i)}</p>"
            for i, line in enumerate(ln for ln in text.splitlines() if ln.strip())
        )
    out: list[str] = []
    part = 0
    for token in tokens:
        if token.type.startswith("footnote_"):
            continue  # the plugin's block of definitions: ours are printed elsewhere
        piece = _block_token(token)
        if token.type == "inline" and piece:
            piece = mark_source(piece, source, part)
            part += 1
        out.append(piece)
    return "".join(out)


def _hollow(tokens: list[Any]) -> bool:
    """Whether a list item holds no words, or a rule was read: markers typed as text."""
    for here, after in itertools.pairwise(tokens):
        if here.type == "list_item_open" and after.type == "list_item_close":
            return True
    return any(t.type == "hr" for t in tokens)


def _block_token(token: Any) -> str:
    kind = token.type
    if kind == "paragraph_open":
        return "" if token.hidden else "<p>"
    if kind == "paragraph_close":
        return "" if token.hidden else "</p>"
    if kind == "inline":
        return _inline(token.children or [])
    if kind == "bullet_list_open":
        return "<ul>"
    if kind == "ordered_list_open":
        start = token.attrGet("start")
        return f"<ol start={quoteattr(str(start))}>" if start not in (None, 1) else "<ol>"
    if kind in ("bullet_list_close", "ordered_list_close"):
        return "</ul>" if kind == "bullet_list_close" else "</ol>"
    if kind == "list_item_open":
        return "<li>"
    if kind == "list_item_close":
        return "</li>"
    return escape(token.content or "")


def _inline(children: list[Any]) -> str:
    out: list[str] = []
    skip_link = 0
    for t in children:
        kind = t.type
        if kind == "text":
            out.append(escape(t.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            tag = "strong" if kind.startswith("strong") else "em"
            out.append(f"<{tag}>" if kind.endswith("open") else f"</{tag}>")
        elif kind == "link_open":
            href = t.attrGet("href") or ""
            if SAFE_HREF.match(str(href)):
                out.append(f"<link href={quoteattr(str(href))}>")
            else:
                skip_link += 1  # not a target we make live: keep the words
        elif kind == "link_close":
            if skip_link:
                skip_link -= 1
            else:
                out.append("</link>")
        elif kind == "footnote_ref":
            out.append(f"<fn id={quoteattr(str(t.meta['label']))}/>")
        else:
            out.append(escape(t.content or ""))
    return "".join(out)


def references(text: str) -> list[str]:
    """The footnote ids ``text`` refers to as ``[^id]`` (version 2), in order."""
    return _REF.findall(text)


_INLINE_TAG = re.compile(r"</?(?:em|strong|link|fn)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


def words(text: str, version: int) -> str:
    """The words ``text`` shows in a memo of schema ``version``, white space collapsed:
    what ``reports migrate`` must keep unchanged."""
    from xml.sax.saxutils import unescape

    # footnote references are marks, not words (validation makes sure each has its note)
    markup = blocks(text, version, references(text))
    # our own markup, in which every '<' of the text is escaped: inline elements join
    # their words to the text around them; the others separate
    shown = _TAG.sub(" ", _INLINE_TAG.sub("", markup))
    return " ".join(unescape(shown).split())


def plain(text: str, version: int) -> str:
    """The words of one inline text (a timeline's event) as the memo prints them, without
    their markup: emphasis and links keep their words, footnote marks are left out, a
    line break is a space."""
    from xml.sax.saxutils import unescape

    markup = inline(text, version, references(text)).replace("<br/>", " ")
    return " ".join(unescape(_INLINE_TAG.sub("", markup)).split())


_MARKUP_START = re.compile(r"^(\s*)(\d{0,9})([-+*.)])(\s)")
_SPECIAL = re.compile(r"([\\*_\[\]])")


def _escape_marker(m: re.Match[str]) -> str:
    indent, digits, mark, space = m.groups()
    if not digits and mark in ".)":
        return m.group(0)  # a '.' or ')' alone starts no list
    return f"{indent}{digits}\\{mark}{space}"


def escape_markdown(text: str) -> str:
    """``text`` (version 1) written so that version 2 reads exactly the same characters.

    Used by ``reports migrate``: emphasis marks, brackets, backslashes and a list marker at
    the start of a line are escaped with a backslash.
    """
    escaped = _SPECIAL.sub(r"\\\1", text)
    lines = escaped.split("\n")
    lines = [_MARKUP_START.sub(_escape_marker, line) for line in lines]
    return "\n".join(lines)
