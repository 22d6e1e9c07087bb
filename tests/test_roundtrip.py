"""Edits come home: the map in every DOCX, review, --apply, edited outputs, redlines.

Word's edits are simulated by writing the XML Word writes (``wordedit``), in-process; a
few tests send the files through LibreOffice, a real client.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, docx_text, libreoffice_convert, need_tool, run_cli, squash
from wordedit import WordEdit

from reports.build import Builder, BuildOptions
from reports.roundtrip.apply import markdown, parse_date, review_file
from reports.roundtrip.fieldmap import parse_map, parse_properties
from reports.roundtrip.wordml import Piece

KIM = ("Kim Minji", "2024-02-14T09:30:00Z")
LEE = ("Lee Jun", "2024-02-15T11:00:00Z")


@pytest.fixture
def memo(tmp_path: Path) -> Path:
    """The example fact base in a folder of its own (a repository root), built to DOCX."""
    (tmp_path / ".git").mkdir()  # the fact base's repository: paths are recorded from here
    shutil.copy(EXAMPLE, tmp_path / "memo.yaml")
    ran = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    return tmp_path


def four_edits(docx: Path, out: Path) -> Path:
    """The edits of the issue: a tracked replacement in summary[0], a comment on the
    background, an untracked rewrite of faq[0].answer, a deleted next step."""
    edit = WordEdit(docx.read_bytes())
    edit.tracked_replace(edit.by_text("On 13 February 2024"), "virtual meeting", "video call", *KIM)
    edit.comment(edit.by_text("The meeting was the latest"), "Cite the readout.", *LEE)
    edit.rewrite(edit.by_text("Geopolitical uncertainty and fast"), "Supply shocks hit everyone.")
    edit.delete_paragraph(edit.by_text("Strengthen strategic cooperation"))
    out.write_bytes(edit.save())
    return out


def kinds(records: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(r["kind"], r["field"], r["tracked"]) for r in records]


FOUR = [
    ("changed", "summary[0]", True),
    ("comment", "background[0]", False),
    ("changed", "faq[0].answer", False),
    ("deleted", "next_steps[1]", False),
]


# ---------------------------------------------------------------- the map


def test_every_docx_maps_its_words_to_their_fields(memo: Path) -> None:
    with zipfile.ZipFile(memo / "out/memo.docx") as z:
        document = z.read("word/document.xml").decode()
        fmap = parse_map(z.read("customXml/item1.xml"))
        props = parse_properties(z.read("docProps/custom.xml"))
    assert fmap is not None
    paths = {f.path for f in fmap.fields}
    for path in ("memo.title", "summary[0]", "background[0]", "faq[2].question",
                 "faq[0].answer", "timeline[1].event", "next_steps[3].action"):  # fmt: skip
        assert path in paths
    raw = (memo / "memo.yaml").read_bytes()
    import hashlib

    assert (fmap.file, fmap.sha256, fmap.lang, fmap.schema) == (
        "memo.yaml",
        hashlib.sha256(raw).hexdigest(),
        "en-GB",
        1,
    )
    assert props == {"file": "memo.yaml", "sha256": fmap.sha256, "lang": "en-GB",
                     "tool": fmap.tool}  # fmt: skip
    # the map is hidden bookmarks: no content control boxes, nothing locked
    assert "<w:sdt" not in document and "w:lock" not in document
    assert re.findall(r'w:name="(_rp\d+)"', document) == [f.name for f in fmap.fields]
    step = next(f for f in fmap.fields if f.path == "next_steps[2].action")
    assert step.after == " (Owner: Ministry of Trade, Industry and Energy)"


def test_the_map_leaves_the_memo_as_it_was(memo: Path) -> None:
    """Same words, paragraphs and styles as without the map; the bytes repeat."""
    facts = Builder(BuildOptions(formats=("docx",)))
    checked = facts.check(memo / "memo.yaml")
    doc = facts.document(checked.facts[0], memo / "memo.yaml")
    import dataclasses

    from reports import document as d

    plain = dataclasses.replace(d.unmarked(doc), meta=dataclasses.replace(doc.meta, origin=None))
    writer = facts.writer(facts.options.writers[0])
    assert docx_text(writer.render(plain)) == docx_text(writer.render(doc))
    assert writer.render(doc) == writer.render(doc)


def test_pdf_bytes_do_not_depend_on_the_map(memo: Path) -> None:
    from reports import document as d

    builder = Builder(BuildOptions(formats=("pdf",)))
    facts = builder.check(memo / "memo.yaml").facts[0]
    doc = builder.document(facts, memo / "memo.yaml")
    writer = builder.writer(builder.options.writers[0])
    assert writer.render(doc) == writer.render(d.unmarked(doc))


# ---------------------------------------------------------------- review


def test_review_reports_exactly_the_four_edits(memo: Path) -> None:
    edited = four_edits(memo / "out/memo.docx", memo / "edited.docx")
    ran = run_cli("review", str(edited), "--json", cwd=memo)
    assert ran.returncode == 0, ran.stderr
    records = json.loads(ran.stdout)["changes"]
    assert kinds(records) == FOUR
    first = records[0]
    assert first["authors"] == ["Kim Minji"] and first["date"] == "2024-02-14"
    assert "video call of trade ministers" in first["new"]
    assert "virtual meeting of trade ministers" in first["old"]
    assert records[1]["new"] == "Cite the readout." and records[1]["authors"] == ["Lee Jun"]
    assert records[2]["new"] == "Supply shocks hit everyone."
    assert records[3]["old"].startswith("Strengthen strategic cooperation")


def test_review_lines_name_file_line_column_field_and_author(memo: Path) -> None:
    edited = four_edits(memo / "out/memo.docx", memo / "edited.docx")
    lines = run_cli("review", str(edited), cwd=memo).stdout.splitlines()
    assert lines[0].startswith(
        'memo.yaml:44:5: summary[0]: changed by Kim Minji (tracked, 2024-02-14): "On 13 Feb'
    )
    assert (
        lines[1]
        == 'memo.yaml:56:5: background[0]: comment by Lee Jun (2024-02-15): "Cite the readout."'
    )
    assert lines[2] == (
        'memo.yaml:95:13: faq[0].answer: changed (not tracked): "Geopolitical uncertainty and '
        "fast-moving changes in supply chains call for joint efforts to keep access to "
        'essential minerals stable." → "Supply shocks hit everyone."'
    )
    assert lines[3].startswith('memo.yaml:107:5: next_steps[1]: deleted (not tracked): "Strength')


def test_apply_changes_only_those_lines_and_rebuilds(memo: Path) -> None:
    before = (memo / "memo.yaml").read_text("utf-8")
    edited = four_edits(memo / "out/memo.docx", memo / "edited.docx")
    ran = run_cli("review", str(edited), "--apply", cwd=memo)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == "memo.yaml: applied 3 change(s)"
    after = (memo / "memo.yaml").read_text("utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert diff == [
        "-    represented Korea at a virtual meeting of trade ministers hosted by USTR on",
        "+    represented Korea at a video call of trade ministers hosted by USTR on",
        "-    answer: Geopolitical uncertainty and fast-moving changes in supply chains call for"
        " joint",
        "-      efforts to keep access to essential minerals stable.",
        "+    answer: Supply shocks hit everyone.",
        "-  - action: Strengthen strategic cooperation with major trading partners to make global",
        "-      critical-mineral supply chains more stable and resilient.",
    ]
    # it validates and rebuilds to a DOCX with the new text; the edited output is kept
    assert run_cli("validate", "memo.yaml", cwd=memo).returncode == 0
    rebuilt = run_cli("build", "memo.yaml", "-f", "docx", "-o", "again", cwd=memo)
    assert rebuilt.returncode == 0, rebuilt.stderr
    text = squash(docx_text(memo / "again/memo.docx"))
    assert "video call of trade ministers" in text and "Supply shocks hit everyone." in text
    assert "Strengthen strategic cooperation" not in text
    # the same review again: nothing left to apply
    again = run_cli("review", str(edited), "--apply", cwd=memo)
    assert "already in the fact base" in again.stdout
    assert (memo / "memo.yaml").read_text("utf-8") == after


def test_new_items_and_tracked_deletions(memo: Path) -> None:
    edit = WordEdit((memo / "out/memo.docx").read_bytes())
    edit.add_paragraph_after(
        edit.by_text("Korea will stay in close contact"), "A fifth point.", *KIM
    )
    edit.add_paragraph_after(edit.by_text("Carry the work forward"), "Report back by June.")
    edit.tracked_delete_paragraph(edit.by_text("Korea asked for greater involvement"), *LEE)
    (memo / "e.docx").write_bytes(edit.save())
    records = json.loads(run_cli("review", "e.docx", "--json", cwd=memo).stdout)["changes"]
    assert [(r["kind"], r["field"], r["new"], r["tracked"]) for r in records] == [
        ("added", "summary[4]", "A fifth point.", True),
        ("deleted", "key_points[1]", "", True),
        ("added", "next_steps[4]", "Report back by June.", False),
    ]
    assert records[1]["authors"] == ["Lee Jun"]
    before = (memo / "memo.yaml").read_text("utf-8")
    assert run_cli("review", "e.docx", "--apply", cwd=memo).returncode == 0
    after = (memo / "memo.yaml").read_text("utf-8")
    added = [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line[:2] in ("+ ", "- ")
    ]
    assert added == [
        "+   - A fifth point.",
        "-   - Korea asked for greater involvement of market stakeholders, such as companies.",
        "+   - action: Report back by June.",
    ]


def test_a_paragraph_outside_any_field_is_reported_not_applied(memo: Path) -> None:
    edit = WordEdit((memo / "out/memo.docx").read_bytes())
    heading = next(p for p in edit.body.iter("{*}p") if "".join(p.itertext()) == "Background")
    import copy

    extra = copy.deepcopy(heading)
    for t in extra.iter("{*}t"):
        t.text = "A new heading"
    heading.addnext(extra)
    (memo / "e.docx").write_bytes(edit.save())
    ran = run_cli("review", "e.docx", "--apply", cwd=memo)
    assert ran.stdout.splitlines() == [
        "memo.yaml:39:10: purpose: not mapped; apply by hand (not tracked): "
        'new text "A new heading"',
        "memo.yaml: applied 0 change(s); 1 to apply by hand",
    ]


def test_version_2_markup_survives_an_edit(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    text = EXAMPLE.read_text("utf-8").replace("version: 1", "version: 2", 1)
    text = text.replace(
        "  - The meeting carried the US-led dialogue",
        "  - The **meeting** carried the US-led dialogue",
    )
    (tmp_path / "m.yaml").write_text(text, "utf-8")
    assert run_cli("build", "m.yaml", "-f", "docx", "-o", "out", cwd=tmp_path).returncode == 0
    edit = WordEdit((tmp_path / "out/m.docx").read_bytes())
    name = edit.by_text("carried the US-led")
    run = next(r for r in edit.runs_in(name) if "carried" in "".join(r.itertext()))
    run.find("{*}t").text = run.find("{*}t").text.replace("carried", "took [on] *further*")
    (tmp_path / "e.docx").write_bytes(edit.save())
    assert run_cli("review", "e.docx", "--apply", cwd=tmp_path).returncode == 0
    line = next(x for x in (tmp_path / "m.yaml").read_text("utf-8").splitlines() if "took" in x)
    assert line.startswith(r"  - The **meeting** took \[on\] \*further\* the US-led dialogue")


def test_markup_from_runs() -> None:
    pieces = [
        Piece("Say "), Piece("this", bold=True), Piece(" and "), Piece("that", italic=True),
        Piece(" at "), Piece("the site", href="https://example.org"),
        Piece("", footnote=True), Piece(" *now*"),
    ]  # fmt: skip
    assert markdown(pieces, ["src"]) == (
        r"Say **this** and *that* at [the site](https://example.org)[^src] \*now\*"
    )
    assert markdown(pieces, []) is None  # a reference the text did not have


def test_dates_are_read_as_the_memo_wrote_them() -> None:
    assert parse_date("13 February 2024", "en") == "2024-02-13"
    assert parse_date("early February 2024", "en") == "early 2024-02"
    assert parse_date("2024-03", "en") == "2024-03"
    assert parse_date("next week", "en") is None


def test_a_new_timeline_row_becomes_an_entry(memo: Path) -> None:
    edit = WordEdit((memo / "out/memo.docx").read_bytes())
    row = edit.paragraph_of(edit.by_text("USTR hosts the virtual")).getparent().getparent()
    import copy

    new = copy.deepcopy(row)
    for bookmark in [*new.iter("{*}bookmarkStart"), *new.iter("{*}bookmarkEnd")]:
        bookmark.getparent().remove(bookmark)
    for tc, text in zip(
        new.iter("{*}tc"), ("20 February 2024", "Follow-up call.", "—"), strict=True
    ):
        ts = list(tc.iter("{*}t"))
        ts[0].text = text
        for t in ts[1:]:
            t.text = ""
    row.addnext(new)
    (memo / "e.docx").write_bytes(edit.save())
    records = json.loads(run_cli("review", "e.docx", "--json", cwd=memo).stdout)["changes"]
    assert [(r["kind"], r["field"]) for r in records] == [("added", "timeline[3]")]
    assert run_cli("review", "e.docx", "--apply", cwd=memo).returncode == 0
    text = (memo / "memo.yaml").read_text("utf-8")
    assert "  - date: 2024-02-20\n    event: Follow-up call.\n" in text


def test_review_problems_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"not a zip")
    ran = run_cli("review", "x.docx", cwd=tmp_path)
    assert (ran.returncode, ran.stderr) == (
        2,
        "x.docx: is not a Word document (not a zip package)\n",
    )
    plain = io.BytesIO()
    from docx import Document

    Document().save(plain)
    (tmp_path / "plain.docx").write_bytes(plain.getvalue())
    ran = run_cli("review", "plain.docx", cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr == (
        "plain.docx: has no map of its fields; it was not built by reports (or the map was "
        "removed)\n"
    )


def test_a_fact_base_changed_since_is_compared_with_its_version_in_git(tmp_path: Path) -> None:
    git = need_tool("git")

    def sh(*args: str) -> None:
        subprocess.run([git, *args], cwd=tmp_path, check=True, capture_output=True)

    sh("init", "-q")
    shutil.copy(EXAMPLE, tmp_path / "memo.yaml")
    sh("add", "memo.yaml")
    sh("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    assert run_cli("build", "memo.yaml", "-f", "docx", "-o", "out", cwd=tmp_path).returncode == 0
    text = (tmp_path / "memo.yaml").read_text("utf-8")
    (tmp_path / "memo.yaml").write_text(
        text.replace("Geopolitical uncertainty and fast", "Rising uncertainty and fast"), "utf-8"
    )
    four_edits(tmp_path / "out/memo.docx", tmp_path / "e.docx")
    outcome = review_file(tmp_path / "e.docx", tmp_path / "memo.yaml", apply=True)
    assert "the version it was built from (git blob" in outcome.warnings[0]
    answer = next(r for r in outcome.records if r["field"] == "faq[0].answer")
    assert answer["note"] == "also changed in the fact base since the DOCX was built; apply by hand"
    assert outcome.applied == 2  # the summary and the deleted step; the answer is left
    assert "Rising uncertainty and fast" in (tmp_path / "memo.yaml").read_text("utf-8")


# ---------------------------------------------------------------- edited outputs


def test_build_never_overwrites_an_edited_docx(memo: Path) -> None:
    docx = memo / "out/memo.docx"
    four_edits(docx, docx)
    edited = docx.read_bytes()
    ran = run_cli("build", "memo.yaml", "-f", "docx", "-o", "out", cwd=memo)
    assert ran.returncode == 1
    assert ran.stderr.splitlines()[0] == (
        "out/memo.docx: edited since it was built, not overwritten; bring its edits into "
        "memo.yaml with 'reports review out/memo.docx --apply', or build with --force to "
        "overwrite it"
    )
    assert docx.read_bytes() == edited
    check = run_cli("build", "memo.yaml", "-f", "docx", "-o", "out", "--check", cwd=memo)
    assert check.returncode == 1
    assert check.stderr.splitlines()[0] == (
        "edited since built: out/memo.docx: differs from the file reports wrote (the "
        "manifest's sha256); bring its edits home with 'reports review out/memo.docx "
        "--apply', or build with --force to replace it"
    )
    assert "1 edited since built" in check.stderr
    # the manifest still knows what was built, so a second build refuses too
    assert run_cli("build", "memo.yaml", "-f", "docx", "-o", "out", cwd=memo).returncode == 1
    forced = run_cli("build", "memo.yaml", "-f", "docx", "-o", "out", "--force", cwd=memo)
    assert forced.returncode == 0 and docx.read_bytes() != edited
    assert (
        run_cli("build", "memo.yaml", "-f", "docx", "-o", "out", "--check", cwd=memo).returncode
        == 0
    )


# ---------------------------------------------------------------- redline


def _revisions(docx: Path | bytes) -> list[tuple[str, str]]:
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    found = re.findall(r"<w:(ins|del) [^>]*>(.*?)</w:\1>", xml)
    return [(kind, re.sub(r"<[^>]+>", "", inner)) for kind, inner in found]


def test_redline_marks_exactly_the_changed_words(memo: Path) -> None:
    old = memo / "memo.yaml"
    new = memo / "new.yaml"
    text = old.read_text("utf-8")
    text = text.replace(
        "at a virtual meeting of trade ministers", "at a video call of trade ministers"
    )
    text = text.replace(
        "  - action: Strengthen strategic cooperation with major trading partners to make global\n"
        "      critical-mineral supply chains more stable and resilient.\n",
        "",
    )
    new.write_text(text, "utf-8")
    ran = run_cli(
        "redline", "memo.yaml", "new.yaml", "--out", "red", "--author", "Policy Unit", cwd=memo
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["red/new-redline.pdf", "red/new-redline.docx"]
    assert _revisions(memo / "red/new-redline.docx") == [
        ("del", "virtual meeting"),
        ("ins", "video call"),
        ("del", "Strengthen strategic cooperation with major trading partners to make global "
                "critical-mineral supply chains more stable and resilient."),
    ]  # fmt: skip
    xml = zipfile.ZipFile(memo / "red/new-redline.docx").read("word/document.xml").decode()
    assert 'w:author="Policy Unit"' in xml
    pdf = squash(" ".join(__import__("conftest").pdf_pages(memo / "red/new-redline.pdf")))
    assert "virtual meetingvideo call" in pdf  # both shown, one struck, one underlined
    from pdfua import check

    # still a tagged PDF/UA file: the change bars are artifacts, the marked words text
    assert check(str(memo / "red/new-redline.pdf")).problems == []


def test_redline_since_a_git_revision(tmp_path: Path) -> None:
    git = need_tool("git")

    def sh(*args: str) -> None:
        subprocess.run([git, *args], cwd=tmp_path, check=True, capture_output=True)

    sh("init", "-q")
    shutil.copy(EXAMPLE, tmp_path / "memo.yaml")
    sh("add", "memo.yaml")
    sh("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    text = (tmp_path / "memo.yaml").read_text("utf-8")
    (tmp_path / "memo.yaml").write_text(
        text.replace("    - Governments\n", "    - Governments\n    - Ports\n"), "utf-8"
    )
    ran = run_cli("redline", "memo.yaml", "--since", "HEAD", "-o", "red", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert _revisions(tmp_path / "red/memo-redline.docx") == [("ins", "Ports")]
    bad = run_cli("redline", "memo.yaml", "--since", "nope", "-o", "red", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("reports: git has no memo.yaml at nope")


# ---------------------------------------------------------------- real clients


def test_review_after_a_libreoffice_save(memo: Path, tmp_path: Path) -> None:
    edited = four_edits(memo / "out/memo.docx", memo / "edited.docx")
    saved = libreoffice_convert(edited, tmp_path / "lo", "docx")
    records = json.loads(
        run_cli("review", str(saved), "--json", "--facts", "memo.yaml", cwd=memo).stdout
    )["changes"]
    assert kinds(records) == FOUR


def test_libreoffice_lists_the_redline_changes(memo: Path, tmp_path: Path) -> None:
    new = memo / "new.yaml"
    new.write_text(
        (memo / "memo.yaml")
        .read_text("utf-8")
        .replace("at a virtual meeting of trade", "at a video call of trade"),
        "utf-8",
    )
    assert run_cli("redline", "memo.yaml", "new.yaml", "-o", "red", cwd=memo).returncode == 0
    saved = libreoffice_convert(memo / "red/new-redline.docx", tmp_path / "lo", "docx")
    assert _revisions(saved) == [("del", "virtual meeting"), ("ins", "video call")]


BILINGUAL = """\
version: 1
lang: [en, fr]
memo:
  title: {en: Bilingual memo, fr: Note bilingue}
  date: 2024-03-01
  from: Department of Examples
  to: Head of Unit
  subject: {en: Two languages, fr: Deux langues}
  marking: OFFICIAL
summary:
  - en: One point.   # the first point
    fr: Un point.
background: {en: One paragraph., fr: Un paragraphe.}
faq:
  - question: {en: Why?, fr: Pourquoi ?}
    answer: {en: Because., fr: Parce que.}
sources:
  - title: Nothing in particular
"""


def test_a_bilingual_field_is_updated_in_the_docx_language_only(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.yaml").write_text(BILINGUAL, "utf-8")
    built = run_cli("build", "b.yaml", "-f", "docx", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    edit = WordEdit((tmp_path / "out/b-fr.docx").read_bytes())
    edit.rewrite(edit.by_text("Un point."), "Un seul point.")
    (tmp_path / "e.docx").write_bytes(edit.save())
    ran = run_cli("review", "e.docx", "--apply", cwd=tmp_path)
    assert ran.stdout.splitlines()[0] == (
        'b.yaml:12:9: summary[0]: changed (not tracked): "Un point." → "Un seul point."'
    )
    assert (tmp_path / "b.yaml").read_text("utf-8") == BILINGUAL.replace(
        "fr: Un point.", "fr: Un seul point."
    )


def test_a_new_question_and_answer_become_a_faq_item(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.yaml").write_text(BILINGUAL, "utf-8")
    assert (
        run_cli(
            "build", "b.yaml", "-f", "docx", "--lang", "en", "-o", "out", cwd=tmp_path
        ).returncode
        == 0
    )
    edit = WordEdit((tmp_path / "out/b-en.docx").read_bytes())
    answer = edit.by_text("Because.")
    edit.add_paragraph_after(answer, "Since when?")
    question_style = edit.paragraph_of(edit.by_text("Why?")).find("{*}pPr/{*}pStyle")
    new_question = edit.paragraph_of(answer).getnext()
    new_question.find("{*}pPr/{*}pStyle").set(question_style.keys()[0], question_style.values()[0])
    edit.add_paragraph_after(answer, "Since March.")  # before the question: moved below
    answer_p = edit.paragraph_of(answer).getnext()
    new_question.addnext(answer_p)
    (tmp_path / "e.docx").write_bytes(edit.save())
    records = json.loads(run_cli("review", "e.docx", "--json", cwd=tmp_path).stdout)["changes"]
    assert [(r["kind"], r["field"], r["new"]) for r in records] == [
        ("added", "faq[1]", "Since when? / Since March.")
    ]
    assert run_cli("review", "e.docx", "--apply", cwd=tmp_path).returncode == 0
    text = (tmp_path / "b.yaml").read_text("utf-8")
    assert (
        "    answer: {en: Because., fr: Parce que.}\n"
        "  - question: Since when?\n    answer: Since March.\n" in text
    )


def test_formatting_a_version_1_text_cannot_hold_is_reported(memo: Path) -> None:
    edit = WordEdit((memo / "out/memo.docx").read_bytes())
    name = edit.by_text("The meeting carried")
    run = edit.runs_in(name)[0]
    from lxml import etree

    rpr = run.find("{*}rPr")
    if rpr is None:
        rpr = etree.Element(f"{{{run.nsmap['w']}}}rPr")
        run.insert(0, rpr)
    etree.SubElement(rpr, f"{{{run.nsmap['w']}}}b")
    run.find("{*}t").text = "The meeting took the US-led dialogue"
    (memo / "e.docx").write_bytes(edit.save())
    records = json.loads(run_cli("review", "e.docx", "--json", cwd=memo).stdout)["changes"]
    assert records[0]["field"] == "summary[1]"
    assert records[0]["note"] == (
        "formatting (bold, italic, links) is not kept: version 1 text is literal"
    )


def test_the_map_reads_the_text_as_the_review_does(tmp_path: Path) -> None:
    """The build's one-pass reading of the body and the review's full walk agree, on a
    memo with notes, boxes, tables, footnotes and links (the version 2 example)."""
    from conftest import DATA

    from reports.roundtrip import fieldmap, wordml

    builder = Builder(BuildOptions(formats=("docx",)))
    source = DATA / "winter-road-safety-2025-11-20.yaml"
    data = builder.render(builder.check(source).facts[0], source)["docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        fmap = parse_map(z.read("customXml/item1.xml"))
        from lxml import etree

        body = etree.fromstring(z.read("word/document.xml")).find(wordml.w("body"))
    assert fmap is not None and len(fmap.fields) > 50
    paras = wordml.paragraphs(body)
    assert [(p.style, p.cell) for p in paras] == [(p.style, p.cell) for p in fmap.paragraphs]
    described = {
        n: (p, b, t, a) for n, p, b, t, a in fieldmap.describe(paras, wordml.bookmark_ids(body))
    }
    for f in fmap.fields:
        assert described[f.name] == (f.para, f.before, f.text, f.after)
    mapped = {f.para for f in fmap.fields}
    for i, p in enumerate(paras):
        if i not in mapped:
            assert fmap.paragraphs[i].text == p.text()


@pytest.mark.parametrize(
    "name",
    [
        "critical-minerals-2024-02-13",
        "critical-minerals-2024-02-13-ko",
        "winter-road-safety-2025-11-20",
    ],
)
def test_an_unedited_memo_has_no_changes(name: str, tmp_path: Path) -> None:
    """Logos, figures, notes, boxes, footnotes and Korean text come back as they went."""
    from conftest import DATA

    ran = run_cli("build", str(DATA / f"{name}.yaml"), "-f", "docx", "-o", str(tmp_path))
    assert ran.returncode == 0, ran.stderr
    review = run_cli("review", str(tmp_path / f"{name}.docx"))
    assert (review.returncode, review.stdout) == (0, f"{tmp_path / name}.docx: no changes\n")


def test_a_fact_base_that_is_not_there_must_be_named(memo: Path, tmp_path: Path) -> None:
    away = tmp_path / "elsewhere"
    away.mkdir()
    shutil.copy(memo / "out/memo.docx", away / "memo.docx")
    (memo / "memo.yaml").rename(memo / "renamed.yaml")
    ran = run_cli("review", str(away / "memo.docx"), cwd=away)
    assert (ran.returncode, ran.stderr) == (
        2,
        f"reports: {away / 'memo.docx'} was built from memo.yaml, which is not here; "
        "name it with --facts\n",
    )
    named = run_cli("review", "memo.docx", "--facts", str(memo / "renamed.yaml"), cwd=away)
    assert named.returncode == 0 and named.stdout == "memo.docx: no changes\n"


def test_a_text_that_makes_several_paragraphs_is_left_to_apply_by_hand(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    text = BILINGUAL.replace("version: 1", "version: 2").replace(
        "background: {en: One paragraph., fr: Un paragraphe.}",
        'background: "First paragraph.\\n\\n- an item\\n- another item"',
    )
    (tmp_path / "b.yaml").write_text(text, "utf-8")
    built = run_cli("build", "b.yaml", "-f", "docx", "--lang", "en", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    edit = WordEdit((tmp_path / "out/b-en.docx").read_bytes())
    edit.rewrite(edit.by_text("another item"), "a third item")
    (tmp_path / "e.docx").write_bytes(edit.save())
    ran = run_cli("review", "e.docx", "--apply", cwd=tmp_path)
    assert "background: changed (not tracked)" in ran.stdout
    assert "several paragraphs or list items in the memo; apply by hand" in ran.stdout
    assert (tmp_path / "b.yaml").read_text("utf-8") == text


def test_meeting_details_and_attendees_are_mapped(tmp_path: Path) -> None:
    """Event fields, attendee cells, addressees and distribution printed as plain text are
    in the map too: an edit there comes home to its field."""
    from conftest import CASES

    (tmp_path / ".git").mkdir()
    shutil.copy(CASES / "meetings.yaml", tmp_path / "memo.yaml")
    ran = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    edit = WordEdit((tmp_path / "out/memo.docx").read_bytes())
    edit.tracked_replace(edit.by_text("Blair House"), "Blair House", "Treasury", *KIM)
    edit.rewrite(edit.by_text("Korea Resources Corporation"), "KOMIR")
    edit.rewrite(edit.by_text("Permanent Secretary"), "Second Permanent Secretary")
    edit.rewrite(edit.by_text("Press Office"), "Communications Office")
    (tmp_path / "edited.docx").write_bytes(edit.save())
    ran = run_cli("review", "edited.docx", "--json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    fields = {r["field"]: r["new"] for r in json.loads(ran.stdout)["changes"]}
    assert fields == {
        "events[0].venue": "Treasury, Washington DC",
        "events[0].attendees[4].organisation": "KOMIR",
        "memo.to[1]": "Second Permanent Secretary",
        "memo.distribution[6]": "Communications Office",
    }
    assert run_cli("review", "edited.docx", "--apply", cwd=tmp_path).returncode == 0
    facts = (tmp_path / "memo.yaml").read_text("utf-8")
    assert "venue: Treasury, Washington DC" in facts and "organisation: KOMIR" in facts


def test_an_edited_owner_is_not_written_into_the_action(tmp_path: Path) -> None:
    """A next step retyped whole in Word, its owner changed: the owner is printed around
    the mapped action, so which words are the action's is unknown — left to apply by hand,
    never written into the action."""
    from conftest import CASES
    from wordedit import w

    (tmp_path / ".git").mkdir()
    shutil.copy(CASES / "meetings.yaml", tmp_path / "memo.yaml")
    ran = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    edit = WordEdit((tmp_path / "out/memo.docx").read_bytes())
    name = edit.by_text("Prepare the stockpile agreement.")
    para = edit.paragraph_of(name)
    runs = list(para.iter(w("r")))
    retyped = (
        "Prepare the stockpile agreement. (Owner: Resources Division, Legal Adviser and "
        "Cefas; by Q2 2026)"
    )
    runs[0].find(w("t")).text = retyped  # Word keeps the bookmark, collapsed, before it
    start, end = edit.bookmark(name)
    runs[0].addprevious(start)
    runs[0].addprevious(end)
    for r in runs[1:]:
        r.getparent().remove(r)
    (tmp_path / "edited.docx").write_bytes(edit.save())
    ran = run_cli("review", "edited.docx", "--json", cwd=tmp_path)
    (change,) = [
        c for c in json.loads(ran.stdout)["changes"] if c["field"] == "next_steps[0].action"
    ]
    assert change["note"].startswith("the words printed around this field were edited too")
    before = (tmp_path / "memo.yaml").read_text("utf-8")
    run_cli("review", "edited.docx", "--apply", cwd=tmp_path)
    assert "Prepare the stockpile agreement.\n" in (tmp_path / "memo.yaml").read_text("utf-8")
    assert (tmp_path / "memo.yaml").read_text("utf-8") == before


def test_once_its_edits_are_applied_the_returned_docx_may_be_rebuilt(memo: Path) -> None:
    """review --apply that leaves nothing to do by hand records the returned file as it
    now is: the next build replaces it (no --force), with the edits from the YAML."""
    docx = memo / "out/memo.docx"
    edit = WordEdit(docx.read_bytes())
    edit.tracked_replace(edit.by_text("On 13 February 2024"), "virtual meeting", "video call", *KIM)
    docx.write_bytes(edit.save())
    refused = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=memo)
    assert refused.returncode == 1  # edited since built
    ran = run_cli("review", "out/memo.docx", "--apply", cwd=memo)
    assert ran.returncode == 0, ran.stderr
    assert "its edits are in the fact base; the next build replaces it" in ran.stdout
    rebuilt = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=memo)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "video call of trade ministers" in docx_text(docx)
    assert run_cli("review", "out/memo.docx", cwd=memo).stdout.endswith("no changes\n")


def test_a_change_that_cannot_be_applied_does_not_hold_back_the_others(memo: Path) -> None:
    """A date retyped in a timeline cell (dates are not in the map) reads as a row removed
    and one added, which would leave an invalid fact base: that change is left to apply by
    hand, and the others are applied."""
    from wordedit import w

    edit = WordEdit((memo / "out/memo.docx").read_bytes())
    edit.tracked_replace(edit.by_text("On 13 February 2024"), "virtual meeting", "video call", *KIM)
    cells = [t for t in edit.body.iter(w("t")) if t.text == "13 February 2024"]
    in_table = [t for t in cells if any(a.tag == w("tc") for a in t.iterancestors())]
    in_table[-1].text = "14 February 2024"
    (memo / "edited.docx").write_bytes(edit.save())
    ran = run_cli("review", "edited.docx", "--apply", cwd=memo)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1].startswith("memo.yaml: applied 1 change(s); ")
    assert "video call" in (memo / "memo.yaml").read_text("utf-8")
    assert "apply by hand" in ran.stdout


def test_applying_the_same_returned_file_twice_changes_nothing_more(memo: Path) -> None:
    edited = four_edits(memo / "out/memo.docx", memo / "edited.docx")
    edit = WordEdit(edited.read_bytes())
    edit.add_paragraph_after(edit.by_text("On 13 February 2024"), "A new first point.")
    edited.write_bytes(edit.save())
    first = run_cli("review", "edited.docx", "--apply", cwd=memo)
    assert first.returncode == 0, first.stderr
    once = (memo / "memo.yaml").read_text("utf-8")
    assert once.count("A new first point.") == 1
    second = run_cli("review", "edited.docx", "--apply", cwd=memo)
    assert second.returncode == 0, second.stderr
    assert (memo / "memo.yaml").read_text("utf-8") == once
    assert "already in the fact base" in second.stdout


def test_a_field_whose_bookmarks_were_lost_is_not_taken_for_deleted(memo: Path) -> None:
    """A paragraph retyped or pasted over loses its hidden bookmarks; while its words are
    there, the field is found by them: no deletion, no new item, nothing to apply."""
    edit = WordEdit((memo / "out/memo.docx").read_bytes())
    for fragment in ("On 13 February 2024", "Strengthen strategic cooperation"):
        start, end = edit.bookmark(edit.by_text(fragment))
        start.getparent().remove(start)
        end.getparent().remove(end)
    (memo / "edited.docx").write_bytes(edit.save())
    before = (memo / "memo.yaml").read_text("utf-8")
    ran = run_cli("review", "edited.docx", "--apply", cwd=memo)
    assert ran.returncode == 0, ran.stderr
    assert "edited.docx: no changes" in ran.stdout
    assert (memo / "memo.yaml").read_text("utf-8") == before


def test_a_row_added_to_an_attendee_table_keeps_its_side(tmp_path: Path) -> None:
    """A colleague copies a row of the "Our side" table and types a new name: the new
    attendee is on our side, as the table says, not among "other attendees"."""
    from copy import deepcopy

    from conftest import CASES
    from wordedit import w

    (tmp_path / ".git").mkdir()
    shutil.copy(CASES / "meetings.yaml", tmp_path / "memo.yaml")
    ran = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    edit = WordEdit((tmp_path / "out/memo.docx").read_bytes())
    row = next(a for a in edit.paragraph_of(edit.by_text("Choi Sang-mok")).iterancestors()
               if a.tag == w("tr"))  # fmt: skip
    copy = deepcopy(row)
    for mark in [e for e in copy.iter() if e.tag in (w("bookmarkStart"), w("bookmarkEnd"))]:
        mark.getparent().remove(mark)
    for t in copy.iter(w("t")):
        t.text = (t.text or "").replace("Choi Sang-mok", "Park Ji-hoon")
    row.addnext(copy)
    (tmp_path / "edited.docx").write_bytes(edit.save())
    ran = run_cli("review", "edited.docx", "--apply", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    import yaml

    facts = yaml.safe_load((tmp_path / "memo.yaml").read_text("utf-8"))
    added = facts["events"][0]["attendees"][1]
    assert (added["name"], added["side"]) == ("Park Ji-hoon", "ours")


def test_a_line_added_between_mapped_fields_is_reported(tmp_path: Path) -> None:
    """A third addressee typed on a new line of the To cell sits outside both addressees'
    bookmarks: reported as not mapped, never dropped without a word."""
    from conftest import CASES
    from wordedit import w

    (tmp_path / ".git").mkdir()
    shutil.copy(CASES / "meetings.yaml", tmp_path / "memo.yaml")
    ran = run_cli("build", "memo.yaml", "--format", "docx", "--out", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    edit = WordEdit((tmp_path / "out/memo.docx").read_bytes())
    _start, end = edit.bookmark(edit.by_text("Permanent Secretary"))
    run = edit.runs_in(edit.by_text("Permanent Secretary"))[0]
    extra = deepcopy_run(run, "Chief Economist")
    end.addnext(extra)
    extra.addprevious(etree_br(w))
    (tmp_path / "edited.docx").write_bytes(edit.save())
    ran = run_cli("review", "edited.docx", cwd=tmp_path)
    assert 'memo.to[0]: not mapped; apply by hand (not tracked): new text "Chief Economist"' in (
        ran.stdout
    )


def deepcopy_run(run: Any, text: str) -> Any:
    from copy import deepcopy

    from wordedit import w

    copy = deepcopy(run)
    copy.find(w("t")).text = text
    return copy


def etree_br(w: Any) -> Any:
    from lxml import etree

    r = etree.Element(w("r"))
    etree.SubElement(r, w("br"))
    return r


def test_redline_matches_rows_of_a_nested_list_by_their_text(tmp_path: Path) -> None:
    """Removing an event's first attendee strikes that row only: the rows after it are
    matched by their words, not re-marked by position (found by fuzzing)."""
    from conftest import CASES

    old = tmp_path / "memo.yaml"
    shutil.copy(CASES / "meetings.yaml", old)
    row = (
        "      - {name: Choi Sang-mok, organisation: Ministry of Finance, role: Minister, "
        "side: ours}\n"
    )
    text = old.read_text("utf-8")
    assert row in text
    (tmp_path / "new.yaml").write_text(text.replace(row, ""), "utf-8")
    ran = run_cli("redline", "memo.yaml", "new.yaml", "--out", "red", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert _revisions(tmp_path / "red/new-redline.docx") == [
        ("del", "Choi Sang-mok"),
        ("del", "Ministry of Finance"),
        ("del", "Minister"),
    ]
