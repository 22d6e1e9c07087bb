"""Hostile text stays literal, layout never breaks, and a failed build loses nothing."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from conftest import CASES, fact_base, need_tool, run_cli, write_yaml
from hypothesis import HealthCheck, given, settings
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
    if not builder.style.fallback and not text.isascii():
        pytest.skip("fallback fonts are not installed")
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({f: _TEXT for f in FIELDS}))
def test_any_text_in_any_field_reaches_both_formats(texts: dict[str, str]) -> None:
    builder = Builder(BuildOptions())
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
        assert squeeze(text) in pdf_all, field
        assert squeeze(text) in docx_all, field


# ---------------------------------------------------------------- layout under stress


def _right_margin_ink(pdf: Path, tmp: Path) -> list[int]:
    """Pages with ink in the right margin (text overflowing), checked on rendered pixels."""
    from PIL import Image

    pdftoppm = need_tool("pdftoppm")
    subprocess.run([pdftoppm, "-r", "40", "-png", str(pdf), str(tmp / "pg")], check=True)
    bad = []
    for n, png in enumerate(sorted(tmp.glob("pg-*.png")), start=1):
        img = Image.open(png).convert("L")
        w, h = img.size
        # 22 mm right margin; look from 3 mm outside the text block, away from the
        # header and footer bands (top 26 mm, bottom 24 mm).
        x0 = int(w * (1 - 19 / 210))
        box = img.crop((x0, int(h * 26 / 297), w, int(h * (1 - 24 / 297))))
        if box.getextrema()[0] < 200:
            bad.append(n)
    return bad


@pytest.mark.parametrize(
    "case",
    ["long-word", "cell-longer-than-page", "list-of-200", "header-field-longer-than-page"],
)
def test_layout_never_overflows_or_crashes(case: str, tmp_path: Path) -> None:
    word = "Supercalifragilistic" * 250  # 5,000 characters, no break opportunity
    long_text = " ".join(["A sentence that goes on and on across the page."] * 400)
    if case == "long-word":
        data = fact_base(
            summary=[word], timeline=[{"date": "2024", "event": word, "significance": word}]
        )
        data["memo"]["subject"] = word  # type: ignore[index]
    elif case == "cell-longer-than-page":
        data = fact_base(timeline=[{"date": "2024", "event": long_text, "significance": "x"}])
    elif case == "list-of-200":
        data = fact_base(
            summary=[f"Point {i}" for i in range(200)],
            next_steps=[{"action": f"Step {i}"} for i in range(200)],
        )
    else:
        data = fact_base()
        data["memo"]["to"] = long_text  # type: ignore[index]
    src = write_yaml(tmp_path / "stress.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert _right_margin_ink(tmp_path / "stress.pdf", tmp_path) == []
    qpdf = shutil.which("qpdf")
    if qpdf:
        assert (
            subprocess.run(
                [qpdf, "--check", str(tmp_path / "stress.pdf")], capture_output=True
            ).returncode
            == 0
        )


# ---------------------------------------------------------------- nothing is lost


@pytest.mark.parametrize("name", sorted(p.stem for p in (CASES / "invalid").glob("*.yaml")))
def test_a_broken_edit_leaves_the_last_good_memo_untouched(name: str, tmp_path: Path) -> None:
    good = tmp_path / "memo.yaml"
    shutil.copy(CASES / "minimal.yaml", good)
    out = tmp_path / "out"
    assert run_cli("build", str(good), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    shutil.copy(CASES / "invalid" / f"{name}.yaml", good)
    result = run_cli("build", str(good), "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_format_that_fails_late_writes_no_format(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    bad_ref = tmp_path / "not-a.docx"
    bad_ref.write_text("this is not a Word document", "utf-8")
    result = run_cli(
        "build", str(src), "--out", str(tmp_path / "out"), "--reference-docx", str(bad_ref)
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"reports: cannot open reference document {bad_ref}")
    assert list((tmp_path / "out").iterdir()) == []  # the PDF was rendered, but not written


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file", "utf-8")
    result = run_cli("build", str(CASES / "minimal.yaml"), "--out", str(blocker / "sub"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"reports: cannot create output folder {blocker / 'sub'}")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{% if %}",
            "memo.xml.j2:1:1: template syntax error: Expected an expression, got "
            "'end of statement block'",
        ),
        (
            "<document title='x'>{{ facts.nosuchfield }}</document>",
            "memo.xml.j2:1:1: template uses an undefined value: ",
        ),
        (
            "<document title='x'><p>unclosed</document>",
            "memo.xml.j2: template output is not well-formed memo markup at output line 1, "
            "column 34: mismatched tag",
        ),
        (
            "<document title='x'><marquee/></document>",
            "memo.xml.j2: unknown block <marquee>; blocks are fields, h1, h2, ol, p, qa, table, "
            "title, toc, ul",
        ),
    ],
)
def test_broken_templates_are_reported(template: str, expected: str, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "memo.xml.j2").write_text(template, "utf-8")
    result = run_cli(
        "build",
        str(CASES / "minimal.yaml"),
        "--out",
        str(tmp_path / "out"),
        "--template",
        str(folder),
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(str(folder / expected)), result.stderr
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_missing_template_folder(tmp_path: Path) -> None:
    result = run_cli(
        "build",
        str(CASES / "minimal.yaml"),
        "--template",
        str(tmp_path / "nope"),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.returncode == 2
    assert result.stderr == f"reports: template folder {tmp_path / 'nope'} does not exist\n"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("con", "con-memo"),
        ("  spaced name ", "spaced name"),
        ("..", "memo"),
        ("caf\u0065\u0301", "caf\u00e9"),
    ],
)
def test_output_names_are_safe(stem: str, expected: str, tmp_path: Path) -> None:
    from reports.build import output_stem

    assert output_stem(Path(f"{stem}.yaml")) == expected


def test_yaml_11_words_are_text(tmp_path: Path) -> None:
    data = (
        (CASES / "minimal.yaml")
        .read_text("utf-8")
        .replace("to: Head of Unit", "to: NO")
        .replace("background: One paragraph.", "background: 1.10")
    )
    src = tmp_path / "yaml11.yaml"
    src.write_text(data, "utf-8")
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "yaml11.pdf")).pages)
    assert "To\nNO" in text and "1.10" in text


def test_input_caps_are_configurable(tmp_path: Path) -> None:
    result = run_cli("validate", "--max-bytes", "100", str(CASES / "minimal.yaml"))
    assert result.returncode == 2
    assert "bytes, over the limit of 100 bytes" in result.stderr
