"""The author's safety net: YAML traps caught where they happen, kind messages, one check
path, and no traceback for any input (the regression corpus is tests/cases/invalid/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, EXAMPLE, docx_text, pdf_pages, run_cli, squash, write_yaml

from reports import document as d
from reports.errors import FactsError
from reports.layout import split_long
from reports.yamlsrc import load_bytes

MINIMAL = (CASES / "minimal.yaml").read_text("utf-8")


def problems(text: str) -> list[str]:
    """The lines a fact base's YAML text gets from the loader alone."""
    with pytest.raises(FactsError) as caught:
        load_bytes(text.encode("utf-8"), "x.yaml")
    return caught.value.lines()


@pytest.mark.parametrize(
    "text",
    [
        "marking: OFFICIAL  # two spaces and '# ': a comment\n",
        "marking: OFFICIAL\n# a comment line\n",
        "background: |\n  Annex #2 lists them.\n",
        "background: 'Annex #2 lists them.'\n",
        "summary:\n  - a\n  - b\n",
        "name: &minister Kim\nagain: *minister\n",
        "note: # nothing here yet\n",
    ],
)
def test_ordinary_yaml_is_no_trap(text: str) -> None:
    assert load_bytes(text.encode("utf-8"), "x.yaml").data is not None


def test_a_comment_glued_to_its_hash_is_taken_for_lost_text() -> None:
    (line,) = problems("background: Text #not a comment\n")
    assert line.startswith("x.yaml:1:18: background: text after ' #' is a YAML comment")


def test_a_byte_order_mark_is_accepted_silently(tmp_path: Path) -> None:
    result = run_cli("build", str(CASES / "bom.yaml"), "--out", str(tmp_path), "-f", "docx")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Minimal memo" in docx_text(tmp_path / "bom.docx")


def test_each_problem_is_one_line_in_one_pass() -> None:
    # A syntax error stops the parser, but everything found before it is reported too.
    lines = problems("summary:\n  - &Co x\n  - @at\n")
    assert len(lines) == 1 and lines[0].startswith("x.yaml:3:5: a value cannot start with '@'")


def test_a_long_paragraph_is_laid_out_in_pieces_that_keep_every_word(tmp_path: Path) -> None:
    words = [f"w{i}" for i in range(4000)]
    facts = dict(__import__("yaml").safe_load(MINIMAL))
    facts["background"] = [" ".join(words)]
    src = write_yaml(tmp_path / "long.yaml", facts)
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = squash(" ".join(pdf_pages(tmp_path / "long.pdf")))
    missing = [w for w in words if f" {w} " not in f" {text} "]
    assert not missing


def test_pieces_keep_emphasis_links_and_every_character() -> None:
    link = d.Link("https://example.org", (d.Text("link text " * 50),))
    content = (d.Text("Plain words here. " * 100), d.Strong((d.Text("bold " * 300),)), link)
    pieces = split_long(content, 400)
    assert len(pieces) > 5
    assert all(len(d.plain_text(p)) <= 400 for p in pieces)  # type: ignore[arg-type]
    joined = " ".join(d.plain_text(p) for p in pieces)  # type: ignore[arg-type]
    assert squash(joined) == squash(d.plain_text(content))
    kinds = {type(n).__name__ for p in pieces for n in p}
    assert kinds == {"Text", "Strong", "Link"}
    assert all(n.href == "https://example.org" for p in pieces for n in p if isinstance(n, d.Link))


def test_pieces_keep_footnote_marks_by_their_words() -> None:
    content = (d.Text("word " * 300), d.FootnoteRef("a"), d.Strong((d.Text("bold " * 300),
               d.FootnoteRef("b"))))  # fmt: skip
    pieces = split_long(content, 400)
    marks = [n for p in pieces for n in p if isinstance(n, d.FootnoteRef)]
    nested = [m for p in pieces for n in p if isinstance(n, d.Strong) for m in n.children
              if isinstance(m, d.FootnoteRef)]  # fmt: skip
    assert marks == [d.FootnoteRef("a")] and nested == [d.FootnoteRef("b")]
    assert pieces[0][-1] != d.FootnoteRef("a")  # it follows the last word of its piece


def test_an_internal_error_is_one_line_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.writers.docx import DocxWriter

    real = DocxWriter.render

    def flaky(self: DocxWriter, doc: d.Document) -> bytes:
        if "Minimal" in doc.meta.title:
            raise RuntimeError("a bug\nwith a second line")
        return real(self, doc)

    monkeypatch.setattr(DocxWriter, "render", flaky)
    minimal = CASES / "minimal.yaml"
    result = run_cli("build", str(minimal), str(EXAMPLE), "--out", str(tmp_path), "-j", "1")
    assert result.returncode == 1
    (line,) = [x for x in result.stderr.splitlines() if "internal error" in x]
    assert line == (
        f"{minimal}: internal error (RuntimeError: a bug\\nwith a second line); this is a bug "
        "in reports: rerun with --debug for the details and report it"
    )
    assert "Traceback" not in result.stderr
    assert (tmp_path / f"{EXAMPLE.stem}.docx").is_file()
    assert not (tmp_path / "minimal.pdf").exists()  # nothing half-built
    debug = run_cli("build", str(minimal), "--out", str(tmp_path), "--debug")
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise RuntimeError("a bug' in debug.stderr


def test_language_fallback_in_a_fact_bases_own_style_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "memo.style.yaml").write_text("language_fallback: true\n", "utf-8")
    text = "lang: [ko, en]\nstyle: memo.style.yaml\n" + MINIMAL.replace(
        "  - One point.", "  - {ko: 요점 하나., en: One point.}"
    ).replace("  title: Minimal memo", "  title: {ko: 최소 보고, en: Minimal memo}")
    text = text.replace("background: One paragraph.", "background: {en: One paragraph.}")
    src = tmp_path / "memo.yaml"
    src.write_text(text, "utf-8")
    assert run_cli("validate", str(src)).returncode == 0
    result = run_cli("build", str(src), "--out", str(tmp_path), "-f", "docx")
    assert result.returncode == 0, result.stderr
    assert "One paragraph." in docx_text(tmp_path / "memo-ko.docx")
    (tmp_path / "memo.style.yaml").write_text("language_fallback: false\n", "utf-8")
    refused = run_cli("validate", str(src))
    assert refused.returncode == 2
    assert "background: no 'ko' text (given: en); add one as 'ko: …'" in refused.stderr


def test_a_lang_that_is_no_language_tag_never_reaches_a_file_name(tmp_path: Path) -> None:
    for lang in ("../../etc/passwd", "en-" + "abcdefgh-" * 2000 + "x"):
        src = tmp_path / "memo.yaml"
        src.write_text(f"lang: {lang}\n{MINIMAL}", "utf-8")
        result = run_cli("build", str(src), "--out", str(tmp_path / "out"))
        assert result.returncode == 2
        assert "lang: expected a language tag such as en or ko" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_font_name_with_xml_characters_stays_a_name(tmp_path: Path) -> None:
    import zipfile

    from lxml import etree

    style = tmp_path / "s.yaml"
    style.write_text("fonts:\n  sans: {docx: 'Fira & Co \"<x/>\"'}\n", "utf-8")
    src = CASES / "minimal.yaml"
    result = run_cli("build", str(src), "-s", str(style), "--draft", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "minimal.docx") as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))  # every part well-formed
        header = package.read("word/header1.xml").decode("utf-8")
    assert "font-family:&quot;Fira &amp; Co \\&quot;&lt;x/&gt;\\&quot;&quot;" in header
    assert "<x/>" not in header
