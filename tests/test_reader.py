"""The reader: memo markup in, document model out; anything outside the vocabulary is a
message naming the template."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import document as d
from reports.errors import TemplateError
from reports.reader import read

MARKUP = """\
<document lang="en" title="  A   title " keywords="a; b&#10;c" marking="OFFICIAL"
          date="2024-02-13" date-label="13 February 2024" draft="true">
<title><kicker>K</kicker><main>Main</main></title>
<fields><field label="Date">13  February</field><field label="Empty"> </field></fields>
<h1>One</h1><h1 numbered="false">Two</h1><h2>Sub</h2>
<p>  Some  <em>very <strong>strong</strong></em> text,
 a <link href="https://x.org">link</link>, a <link href="javascript:alert(1)">trap</link>
 and <link href="mailto:a@b.c"/>.<br/>Next  line\u00a0kept. </p>
<p style="small"> </p>
<ul><li>a</li><li> </li><li>b</li></ul>
<table><caption>Cap</caption><col width="2">A</col><col>B</col>
  <row><cell>1</cell><cell><em>2</em></cell></row></table>
<qa q-label="Q{n}" a-label="A"><q>Why?</q><a>Because.</a><a>Also.</a></qa>
<toc/>
</document>
"""


def T(text: str) -> d.Text:
    return d.Text(text)


def test_the_whole_vocabulary() -> None:
    doc = read(MARKUP)
    assert doc.meta == d.Meta(
        title="A title",
        lang="en",
        keywords=("a; b", "c"),  # one keyword a line: ';' may be part of one
        marking="OFFICIAL",
        date=dt.date(2024, 2, 13),
        date_label="13 February 2024",
        draft=True,
    )
    assert doc.blocks == (
        d.TitleBlock((T("Main"),), (T("K"),)),
        d.Fields((d.Field("Date", (T("13 February"),)),)),  # an empty field is left out
        d.Heading(1, (T("One"),), "sec-1", True),
        d.Heading(1, (T("Two"),), "sec-2", False),
        d.Heading(2, (T("Sub"),), "sec-3", False),
        d.Paragraph(
            (
                T("Some "),
                d.Emph((T("very "), d.Strong((T("strong"),)))),
                T(" text, a "),
                d.Link("https://x.org", (T("link"),)),
                T(", a trap and "),  # not a link we make live: the words stay
                d.Link("mailto:a@b.c", (T("mailto:a@b.c"),)),
                T("."),
                d.LineBreak(),
                T("Next line\u00a0kept."),  # XML white space collapses; a no-break space is text
            )
        ),
        d.BulletList((d.ListItem((T("a"),)), d.ListItem((T("b"),)))),
        d.Table(
            (d.Column((T("A"),), 2.0), d.Column((T("B"),), 1.0)),
            (((T("1"),), (d.Emph((T("2"),)),)),),
            (T("Cap"),),
        ),
        d.QA((T("Why?"),), ((T("Because."),), (T("Also."),)), "Q{n}", "A", 1),
        d.Toc("Contents"),
    )


def test_defaults() -> None:
    doc = read('<document title="T"><p>x</p></document>')
    assert doc.meta == d.Meta(
        title="T", date=None, date_label="", page_label="Page {page} of {pages}"
    )
    assert read('<document title="T" date="2024-02-13"/>').meta.date_label == "2024-02-13"


def test_plain_text_of_inlines() -> None:
    assert d.plain_text(read(MARKUP).blocks[5].content) == (  # type: ignore[union-attr]
        "Some very strong text, a link, a trap and mailto:a@b.c.\nNext line\u00a0kept."
    )


D = '<document title="T">{}</document>'

ERRORS = {
    "not well-formed": (
        "<document title='T'><p>unclosed</document>",
        "template output is not well-formed memo markup at output line 1, column 34: "
        "mismatched tag (near: <document title='T'><p>unclosed</document>)",
    ),
    "root": ("<memo/>", "the template's output must start with <document>, not <memo>"),
    "attribute": (
        '<document title="T" colour="red"/>',
        "<document> has no attribute 'colour'; it takes author, date, date-label, draft, "
        "draft-label, keywords, lang, marking, page-label, running-title, subject, title",
    ),
    "loose text": (
        '<document title="T">loose</document>',
        "text outside a block inside <document>; wrap it in <p>",
    ),
    "text after a block": (
        D.format("<p>x</p>loose"),
        "text after </p> outside a block; wrap it in <p>",
    ),
    "date": (
        '<document title="T" date="13/02/2024"/>',
        "<document date='13/02/2024'> is not YYYY-MM-DD",
    ),
    "no title": ('<document title=" "/>', "<document> needs a non-empty title attribute"),
    "block": (
        D.format("<aside/>"),
        "unknown block <aside>; blocks are box, chart, clearance, decision, fields, figure, "
        "footnotes, h1, h2, note, ol, p, pagebreak, qa, table, timeline, title, toc, ul",
    ),
    "inline": (
        D.format("<p><u>x</u></p>"),
        "unknown inline element <u>; inline elements are em, strong, link, br, fn, src",
    ),
    "cells": (
        D.format("<table><col>A</col><col>B</col><row><cell>1</cell></row></table>"),
        "<table> row 1 has 1 cells for 2 columns",
    ),
    "timeline child": (
        D.format("<timeline><bar/></timeline>"),
        "<timeline> holds <scale>, <event> and <caption>, not <bar>",
    ),
    "timeline empty": (
        D.format("<timeline><caption>c</caption></timeline>"),
        "<timeline> needs at least one <scale> and one <event>",
    ),
    "timeline days": (
        D.format("<timeline><event first='2025-11' last='2025-11-30'>x</event></timeline>"),
        "<event> needs first= and last= days as YYYY-MM-DD, got '2025-11' and '2025-11-30'",
    ),
    "timeline order": (
        D.format("<timeline><event first='2025-11-30' last='2025-11-01'>x</event></timeline>"),
        "<event first='2025-11-30' last='2025-11-01'>: last is before first",
    ),
    "timeline ticks": (
        D.format("<timeline><scale first='2025-11-01' last='2025-11-30'/></timeline>"),
        "<scale> needs at least one <tick>",
    ),
    "scale child": (
        D.format("<timeline><scale first='2025-11-01' last='2025-11-30'><v/></scale></timeline>"),
        "<scale> holds <tick> elements, not <v>",
    ),
    "width": (
        D.format("<table><col width='wide'>A</col><row><cell>1</cell></row></table>"),
        "<col width='wide'> must be a positive number",
    ),
    "zero width": (
        D.format("<table><col width='0'>A</col><row><cell>1</cell></row></table>"),
        "<col width='0'> must be a positive number",
    ),
    "empty table": (
        D.format("<table><col>A</col></table>"),
        "<table> needs at least one <col> and one <row>",
    ),
    "table part": (
        D.format("<table><thead/></table>"),
        "<table> holds <col>, <row>, <caption> and <source>, not <thead>",
    ),
    "qa without answer": (
        D.format("<qa><q>Why?</q></qa>"),
        "<qa> needs a <q> and at least one <a>",
    ),
    "qa part": (D.format("<qa><b/></qa>"), "<qa> holds <q> and <a>, not <b>"),
    "empty list": (
        D.format("<ul><li> </li></ul>"),
        "<ul> has no items; guard it with {% if %} in the template",
    ),
    "text in a list": (
        D.format("<ul>x<li>a</li></ul>"),
        "text directly inside <ul>; put it in <li>",
    ),
    "list part": (D.format("<ul><p>a</p></ul>"), "<ul> holds <li> elements, not <p>"),
    "text after an item": (D.format("<ul><li>a</li>tail</ul>"), "text after </li> inside <ul>"),
    "paragraph style": (
        D.format("<p style='huge'>x</p>"),
        "<p style='huge'>: styles are body, lead, small, dateline, label",
    ),
    "numbered flag": (
        D.format("<h1 numbered='maybe'>x</h1>"),
        "<h1 numbered='maybe'> must be true or false",
    ),
    "numbered h2": (D.format("<h2 numbered='true'>x</h2>"), "<h2> has no attribute 'numbered'"),
    "empty heading": (D.format("<h1> </h1>"), "<h1> is empty"),
    "title without main": (
        D.format("<title><kicker>k</kicker></title>"),
        "<title> needs a non-empty <main>",
    ),
    "title part": (
        D.format("<title><p>k</p></title>"),
        "<title> holds <logo>, <kicker>, <main> and <subtitle>, not <p>",
    ),
}


@pytest.mark.parametrize(("markup", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_markup_outside_the_vocabulary(markup: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        read(markup, "tpl/memo.xml.j2")
    assert caught.value.lines() == [f"tpl/memo.xml.j2: {message}"]
