"""Hostile text stays literal in both formats: nothing typed is read as markup, a link,
an image, a file or a template; any text in any field reaches both files."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
import pytest
from conftest import fact_base, need_fonts
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reports.build import Builder, BuildOptions
from reports.validate import validate
from reports.yamlsrc import Source

HOSTILE = [
    "AT&T <b>bold</b> &amp; &lt; &#65; &nbsp; &bogus;",
    '<img src="/etc/passwd"/> and <img src="file:///etc/hostname"/>',
    '<font size="40" color="red">big</font> <para>p</para> <br/>',
    '<a href="javascript:alert(1)">click</a> <link href="https://evil.example">x</link>',
    "</p><h1>Injected heading</h1><p>",
    "]]><!-- comment --><![CDATA[x]]> <?xml version='1.0'?>",
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "{{ 7*7 }} {% include 'memo.xml.j2' %} {# note #} {{ memo.title }}",
    "**bold** _em_ # heading | a | b | [link](http://x) `code` <https://auto.link>",
    "\u201csmart\u201d \u2018quotes\u2019 \u2014 dashes\u2026 \u00abguillemets\u00bb \u20ac100",
    "x<y and y>z, 5 < 6 && 7 > 3",
    r"C:\Windows\System32 \n \\ backslashes \t",
    "${HOME} $(rm -rf /) %s %(name)s {0} {page} {pages}",
    "Ελληνικά Кириллица Čeština Ærøskøbing İstanbul",
    "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8: USTR \uc8fc\ucd5c \ud654\uc0c1\ud68c\uc758",
    "zero\u200bwidth\u200djoiner and\u00a0no-break space",
    "tab\tinside and trailing spaces   ",
]

# Every text field of the schema that a template prints, as (YAML path, setter).
FIELDS = [
    "memo.title",
    "memo.subtitle",
    "memo.from",
    "memo.to",
    "memo.subject",
    "memo.reference",
    "summary",
    "background",
    "purpose",
    "key_points",
    "assessment",
    "timeline.event",
    "timeline.significance",
    "faq.question",
    "faq.answer",
    "next_steps.action",
    "next_steps.owner",
    "sources.title",
    "sources.publisher",
    "event.name",
    "event.host",
    "event.participants",
    "event.delegation.name",
    "event.delegation.role",
    "impact.affected",
    "impact.industries",
    "memo.drafter.name",
    "memo.drafter.role",
    "memo.drafter.organisation",
    "memo.drafter.contact",
    "memo.distribution",
    "event.location",
]


def with_text(texts: dict[str, str]) -> dict[str, object]:
    """The minimal fact base with each field of ``FIELDS`` set to ``texts[field]``."""
    t = texts.get
    data = fact_base(
        summary=[t("summary")],
        background=t("background"),
        purpose=t("purpose"),
        key_points=[t("key_points")],
        assessment=t("assessment"),
        timeline=[
            {
                "date": "2024-01",
                "event": t("timeline.event"),
                "significance": t("timeline.significance"),
            }
        ],
        faq=[{"question": t("faq.question"), "answer": t("faq.answer")}],
        next_steps=[{"action": t("next_steps.action"), "owner": t("next_steps.owner")}],
        sources=[{"title": t("sources.title"), "publisher": t("sources.publisher")}],
        event={
            "name": t("event.name"),
            "host": t("event.host"),
            "date": "2024-02-13",
            "format": "hybrid",
            "location": t("event.location"),
            "participants": [t("event.participants")],
            "delegation": [
                {"name": t("event.delegation.name"), "role": t("event.delegation.role")}
            ],
        },
        impact={"affected": [t("impact.affected")], "industries": [t("impact.industries")]},
    )
    memo = data["memo"]
    for key in ("title", "subtitle", "from", "to", "subject", "reference"):
        memo[key] = t(f"memo.{key}")  # type: ignore[index]
    memo["drafter"] = {  # type: ignore[index]
        "name": t("memo.drafter.name"),
        "role": t("memo.drafter.role"),
        "organisation": t("memo.drafter.organisation"),
        "contact": t("memo.drafter.contact"),
    }
    memo["distribution"] = [t("memo.distribution")]  # type: ignore[index]
    return data


def squeeze(text: str) -> str:
    """Text as both formats can be compared: no white space, no invisible format marks."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def builder() -> Builder:
    return Builder(BuildOptions())


def render(builder: Builder, data: dict[str, object]) -> tuple[str, str, bytes, bytes]:
    """Validate ``data`` as if read from a file and return (pdf text, docx text, bytes…)."""
    facts = validate(Source("hostile.yaml", data))
    assert builder.check_glyphs(facts) == []
    files = builder.render(facts)
    pdf_text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    document = docx.Document(io.BytesIO(files["docx"]))
    docx_text = "".join(
        t.text or ""
        for t in document.element.body.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
        )
    )
    return pdf_text, docx_text, files["pdf"], files["docx"]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_literal_in_both_formats(builder: Builder, text: str) -> None:
    if not text.isascii():
        need_fonts()  # Hangul and symbols come from the system's fallback fonts
    pdf_text, docx_text, pdf, docx_bytes = render(builder, with_text(dict.fromkeys(FIELDS, text)))
    expected = squeeze(text)
    assert squeeze(pdf_text).count(expected) >= len(FIELDS)
    assert squeeze(docx_text).count(expected) >= len(FIELDS)
    # nothing was interpreted: no images, no links, no local file content, no evaluation
    assert b"/Subtype /Image" not in pdf
    assert b"/URI" not in pdf
    assert b"root:x:0:0" not in pdf and b"root:x:0:0" not in docx_bytes
    assert "Injected heading" not in _headings(docx_bytes)
    if "{{ 7*7 }}" in text:
        assert "49" not in pdf_text and "49" not in docx_text
    assert "hyperlink" not in _rels(docx_bytes)


def _headings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def _rels(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/_rels/document.xml.rels").decode()


# Characters the default fonts draw: Latin, Greek, Cyrillic, punctuation, XML specials.
_ALPHABET = (
    st.characters(
        min_codepoint=0x20, max_codepoint=0x52F, exclude_categories=("Cc", "Cs", "Co", "Cn")
    )
    | st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)  # Hangul: the fallback font
    | st.sampled_from(list("<>&\"'{}%#*|\\\u2014\u2026\u201c\u201d\u00a0\u3000"))
)
_TEXT = st.text(_ALPHABET, min_size=1, max_size=60).filter(lambda s: s.strip() != "")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({f: _TEXT for f in FIELDS}))
# found by this test: a long token broken at its soft hyphen shows a hyphen there
@example({**dict.fromkeys(FIELDS, "x"), "event.delegation.role": "0" * 60 + "\u00ad" + "0" * 30})
def test_any_text_in_any_field_reaches_both_formats(
    builder: Builder, texts: dict[str, str]
) -> None:
    need_fonts()
    data = with_text(texts)
    try:
        facts = validate(Source("generated.yaml", data))
    except Exception as exc:  # a clean, located error is an acceptable outcome
        assert type(exc).__name__ == "FactsError"
        return
    missing = builder.check_glyphs(facts)
    if missing:
        return  # reported with field and position; nothing built
    pdf_text, docx_text, _pdf, _docx = render(builder, data)
    pdf_all, docx_all = squeeze(pdf_text), squeeze(docx_text)
    for field, text in texts.items():
        assert re.search(_soft_hyphens_may_show(text), pdf_all), field
        assert squeeze(text) in docx_all, field


def _soft_hyphens_may_show(text: str) -> str:
    """A pattern for ``text`` as the PDF prints it: a soft hyphen (U+00AD) is invisible,
    or a hyphen where a line breaks at it."""
    parts = squeeze(text.replace("\u00ad", "\x00")).split("\x00")
    return "-?".join(re.escape(part) for part in parts)


def test_a_soft_hyphen_shows_only_where_a_line_breaks() -> None:
    assert re.fullmatch(_soft_hyphens_may_show("long\u00adword"), "longword")
    assert re.fullmatch(_soft_hyphens_may_show("long\u00adword"), "long-word")
    assert not re.fullmatch(_soft_hyphens_may_show("longword"), "long-word")
