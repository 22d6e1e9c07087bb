"""Briefing semantics: several meetings with attendees and agendas, dates as officers write
them, several owners and addressees, clearance and decisions, and the Korean report form,
read back from the files both writers make."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CASES, EXAMPLE_KO, docx_text, need_tool, pdf_pages, run_cli, squash
from conftest import problems_of as problems
from conftest import write_facts as write

from reports.build import BuildOptions
from reports.build.builder import Builder
from reports.validate import load_facts

MEETINGS = CASES / "meetings.yaml"
REPORT_KO = CASES / "report-ko.yaml"
MINIMAL2 = (CASES / "minimal.yaml").read_text("utf-8").replace("version: 1", "version: 2")


@dataclass(frozen=True)
class Built:
    pdf: str
    docx: str
    docx_bytes: bytes
    pdf_bytes: bytes


def build(path: Path) -> Built:
    files = Builder(BuildOptions()).render(load_facts(path), path)
    return Built(
        squash(" ".join(pdf_pages(files["pdf"]))),
        squash(docx_text(files["docx"])),
        files["docx"],
        files["pdf"],
    )


@pytest.fixture(scope="module")
def meetings() -> Built:
    return build(MEETINGS)


@pytest.fixture(scope="module")
def report() -> Built:
    return build(REPORT_KO)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_two_events_each_with_their_details(meetings: Built, fmt: str) -> None:
    text = getattr(meetings, fmt)
    first = text.index("G7 Finance Ministers' meeting on critical minerals")
    second = text.index("State Department ministerial on minerals security")
    assert first < second
    details = text[first:second]
    for fact in ("Chair Minister of Finance", "Venue Blair House, Washington DC",
                 "12–13 January 2026, 09:30–17:00 EST", "Agenda",
                 "Price volatility and market transparency", "Outcome",
                 "Ministers agreed to share stockpile data quarterly."):  # fmt: skip
        assert fact in details, fact
    assert "Participants Korea, Japan, United States and Australia" in text[second:]
    assert "Chair" not in text[second : text.index("Timeline", second)]  # none given


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_attendees_are_tables_by_side_with_an_organisation_column(
    meetings: Built, fmt: str
) -> None:
    text = getattr(meetings, fmt)
    ours = text.index("Our side Name Organisation Role")
    theirs = text.index("Counterpart Name Organisation Role")
    assert ours < theirs
    assert "Choi Sang-mok Ministry of Finance Minister" in text[ours:theirs]
    assert "Han Do-yun Korea Resources Corporation Vice President" in text[ours:theirs]
    assert "Ana Ruiz US Geological Survey Chief Economist" in text[theirs:]
    assert "Delegation" not in text  # attendees are not mislabelled as our delegation


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_dates_as_officers_write_them(meetings: Built, fmt: str) -> None:
    text = getattr(meetings, fmt)
    assert "12–13 January 2026 Finance ministerial held." in text  # a range, in the timeline
    assert "by Q2 2026" in text and "by H2 2026" in text
    assert "Decision needed by: 6 March 2026" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_several_owners_and_addressees(meetings: Built, fmt: str) -> None:
    text = getattr(meetings, fmt)
    assert "Owner: Resources Division and Legal Adviser; by Q2 2026" in text
    assert "To Minister for Trade Permanent Secretary Subject" in text


def test_addressees_one_per_line_in_the_docx(meetings: Built) -> None:
    import io

    import docx

    cells = [c for t in docx.Document(io.BytesIO(meetings.docx_bytes)).tables for c in t._cells]
    assert any(c.text == "Minister for Trade\nPermanent Secretary" for c in cells)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_cleared_by_table(meetings: Built, fmt: str) -> None:
    text = getattr(meetings, fmt)
    table = text[text.index("Cleared by") :]
    assert table.startswith("Cleared by Name Role Date Status")
    assert "Kim Min-ji Director 19 February 2026 Cleared" in table
    assert "Jung Hae-won Director General — Pending" in table
    assert "Legal Adviser's Office Legal 18 February 2026 Consulted" in table


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_decision_follows_the_summary(meetings: Built, fmt: str) -> None:
    text = getattr(meetings, fmt)
    decision = text.index("Decision required")
    assert text.index("Summary") < decision < text.index("Background")
    block = text[decision : text.index("Background")]
    assert "That you agree to join the joint stockpile pilot" in block
    assert re.search(r"Agree .*Disagree .*Discuss", block)
    assert "Signature" in block and "Date" in block


def test_decision_options_are_word_check_boxes(meetings: Built) -> None:
    with zipfile.ZipFile(__import__("io").BytesIO(meetings.docx_bytes)) as z:
        body = z.read("word/document.xml").decode()
    boxes = re.findall(r"<w:sdt>.*?</w:sdt>", body, re.S)
    checks = [b for b in boxes if "w14:checkbox" in b]
    assert len(checks) == 3
    assert all('w14:checked w14:val="0"' in b and "☐" in b for b in checks)
    assert [re.search(r'w:alias w:val="([^"]+)"', b).group(1) for b in checks] == [  # type: ignore[union-attr]
        "Agree", "Disagree", "Discuss"
    ]  # fmt: skip


def test_decision_check_boxes_are_drawn_in_the_pdf(meetings: Built) -> None:
    """Each option's box is a square path (no font need have a ballot-box glyph)."""
    import pikepdf

    with pikepdf.open(__import__("io").BytesIO(meetings.pdf_bytes)) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[0])
    squares = [
        operands for operands, op in ops
        if str(op) == "re" and abs(float(operands[2]) - float(operands[3])) < 0.01
        and 5 < float(operands[2]) < 15
    ]  # fmt: skip
    assert len(squares) == 3


def test_distribution_prints_as_a_list_in_columns(meetings: Built) -> None:
    pdftotext = need_tool("pdftotext")
    layout = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=meetings.pdf_bytes, capture_output=True, check=True
    ).stdout.decode()
    # two columns: a line holds an item of the first column and one of the second
    lines = layout.splitlines()
    assert any("Minister's Private Office" in ln and "Resources Division" in ln for ln in lines)
    assert "Distribution • Minister's Private Office • Permanent Secretary" in meetings.docx
    assert ";" not in meetings.docx[meetings.docx.index("Distribution") :].split("Cleared by")[0]


def test_default_options_come_from_the_catalogue(tmp_path: Path) -> None:
    text = MINIMAL2 + "decision:\n  recommendation: That you note the memo.\n"
    built = build(write(tmp_path, text))
    assert "Agree Disagree Discuss" in built.pdf.replace("☐ ", "")


def test_given_options_and_deadline_precision(tmp_path: Path) -> None:
    text = MINIMAL2 + (
        "decision:\n  recommendation: [That you choose an option., It is urgent.]\n"
        "  options: [Option A, Option B]\n  deadline: 2024-Q2\n"
    )
    built = build(write(tmp_path, text))
    assert "Option A" in built.pdf and "Option B" in built.pdf and "Agree" not in built.pdf
    assert "Decision needed by: Q2 2024" in built.docx


def test_one_event_keeps_the_shape_of_version_1(tmp_path: Path) -> None:
    """``event:`` alone prints under "The event", with the event's name as a row."""
    text = MINIMAL2 + (
        "event:\n  name: Talks\n  host: Ministry\n  date: 2024-02-13\n  format: virtual\n"
        "  participants: [Korea]\n"
    )
    built = build(write(tmp_path, text))
    assert "The event Event Talks Host Ministry Date 13 February 2024 Format Virtual" in built.pdf


def test_an_event_states_only_what_the_source_gives(tmp_path: Path) -> None:
    text = MINIMAL2 + "events:\n  - name: Talks\n    date: 2024-02\n"
    built = build(write(tmp_path, text))
    details = built.docx[built.docx.index("The event") : built.docx.index("Sources")]
    assert details.strip() == "The event Event Talks Date February 2024"


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("25:00", "events[0].time: expected a time of day such as 14:00, 09:30-11:00 or "
         "14:00 KST (24-hour HH:MM); got '25:00'"),
        ("2pm", "events[0].time: expected a time of day such as 14:00, 09:30-11:00 or "
         "14:00 KST (24-hour HH:MM); got '2pm'"),
    ],
)  # fmt: skip
def test_times_of_day_are_checked(tmp_path: Path, time: str, message: str) -> None:
    text = MINIMAL2 + f"events:\n  - name: Talks\n    date: 2024-02-13\n    time: '{time}'\n"
    line = text.count("\n")  # the last line
    assert problems(write(tmp_path, text)) == [f"{line}:11: {message}"]


def test_an_attendee_side_is_one_of_three(tmp_path: Path) -> None:
    text = MINIMAL2 + (
        "events:\n  - name: Talks\n    date: 2024-02-13\n"
        "    attendees:\n      - {name: A, side: theirs}\n"
    )
    line = text.count("\n")
    assert problems(write(tmp_path, text)) == [
        f"{line}:25: events[0].attendees[0].side: expected one of ours, counterpart, other; "
        "got 'theirs'; did you mean 'other'?"
    ]


def test_drafter_shorthand_and_drafters_list(tmp_path: Path) -> None:
    text = MINIMAL2.replace(
        "  marking: OFFICIAL\n",
        "  marking: OFFICIAL\n  drafter: {name: A. Officer, role: Analyst}\n"
        "  drafters: [{name: B. Officer, contact: b@example.gov}]\n",
    )
    built = build(write(tmp_path, text))
    assert "Drafters • A. Officer, Analyst • B. Officer (b@example.gov)" in built.pdf


def test_a_note_has_only_a_date_and_a_subject(tmp_path: Path) -> None:
    text = MINIMAL2.replace("  to: Head of Unit\n", "  kind: note\n")
    built = build(write(tmp_path, text))
    header = built.pdf[: built.pdf.index("Summary")]
    assert "Date 1 March 2024 Subject" in header
    assert "From" not in header and "To " not in header and "Handling" not in header


def test_house_style_can_show_the_weekday(tmp_path: Path) -> None:
    style = tmp_path / "style.yaml"
    style.write_text("date_weekday: true\n", "utf-8")
    path = write(tmp_path, MINIMAL2)
    facts = load_facts(path)
    files = Builder(BuildOptions(style_overrides=(style,), formats=("pdf",))).render(facts, path)
    assert "Friday 1 March 2024" in squash(" ".join(pdf_pages(files["pdf"])))


# ------------------------------------------------------------------ the Korean report


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_korean_report_form(report: Built, fmt: str) -> None:
    text = getattr(report, fmt)
    header = text[: text.index("핵심 요약")]
    assert "발신" not in header and "수신" not in header  # a report is not a letter
    assert (
        "2026. 2. 20.(금) 산업통상자원부 자원안보정책과 (주무관 박수연, 사무관 이준호, 과장 김민지)"
        in header
    )
    assert "1차 협의는 2026년 1월 12일~13일 개최" in text
    assert "기한 2026년 상반기" in text or "2026년 상반기" in text
    assert "담당: 자원안보정책과, 법무담당관실" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_approval_box_comes_first(report: Built, fmt: str) -> None:
    text = getattr(report, fmt)
    box = text[: text.index("핵심광물 비축 시범사업 참여 검토")]
    assert (
        "결재 주무관 사무관 과장 박수연 2026. 2. 19.(목) 이준호 2026. 2. 19.(목) 김민지 미결" in box
    )
    assert "협조 법무담당관 최하늘 2026. 2. 18.(수)" in box


def test_approval_box_sits_at_the_right_of_the_first_page(report: Built) -> None:
    pdftotext = need_tool("pdftotext")
    layout = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", "-bbox", "-", "-"],
        input=report.pdf_bytes, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<', layout)
    width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))  # type: ignore[union-attr]
    approval = next((float(x), float(y)) for x, y, w in words if w == "결재")
    title = next(float(y) for _x, y, w in words if w == "핵심광물")
    assert approval[0] > width / 2  # the right half of the page
    assert approval[1] < title  # above the title


def test_approval_box_in_the_docx_is_a_right_aligned_table(report: Built) -> None:
    with zipfile.ZipFile(__import__("io").BytesIO(report.docx_bytes)) as z:
        body = z.read("word/document.xml").decode()
    first_table = body[body.index("<w:tbl>") : body.index("</w:tbl>")]
    assert '<w:jc w:val="right"/>' in first_table
    assert '<w:vMerge w:val="restart"/>' in first_table and "결재" in first_table


def test_korean_report_example_uses_myeongjo_and_official_dates(tmp_path: Path) -> None:
    result = run_cli("build", str(EXAMPLE_KO), "--out", str(tmp_path), "-f", "pdf")
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / f"{EXAMPLE_KO.stem}.pdf"
    pdffonts = need_tool("pdffonts")
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True).stdout
    myeongjo = [line for line in fonts.splitlines() if "NanumMyeongjo" in line]
    assert myeongjo and all(" yes yes " in line for line in myeongjo)
    text = squash(" ".join(pdf_pages(pdf)))
    assert "2024. 2. 13.(화)" in text and "발신" not in text and "수신" not in text


# ------------------------------------------------------------------ bilingual safety

BILINGUAL2 = """\
version: 2
lang: [ko, en]
memo:
  title: {ko: 제목, en: Title}
  date: 2024-03-01
  from: {ko: 산업부, en: Ministry}
  to: {all: Head of Unit}
  subject: {ko: 보고, en: Report}
  marking: OFFICIAL
summary:
  - {ko: 하나, en: One}
background: {ko: 배경, en: Background}
sources:
  - title: Nothing in particular
"""


def test_a_hangul_only_item_in_a_bilingual_fact_base_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path, BILINGUAL2.replace("  - {ko: 하나, en: One}\n", "  - 한국어로만 쓴 항목\n")
    )
    expected = (
        f"{path}:11:5: summary[0]: is in Korean only but serves the 'en' memo too; give it "
        "per language ({ko: …, en: …}), or {all: …} for a name that stays as written\n"
    )
    validated = run_cli("validate", str(path))
    built = run_cli("build", str(path), "--out", str(tmp_path / "out"))
    assert (validated.returncode, validated.stderr) == (2, expected)
    assert (built.returncode, built.stderr) == (2, expected)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("memo*"))


def test_english_prose_given_once_fails_for_the_korean_memo(tmp_path: Path) -> None:
    path = write(tmp_path, BILINGUAL2.replace(
        "background: {ko: 배경, en: Background}", "background: Heavy rain hit the region."
    ))  # fmt: skip
    assert problems(path) == [
        "12:13: background: is in one language only but serves the Korean memo too; give it "
        "per language ({ko: …, en: …}), or {all: …} for text that stays as written"
    ]


def test_names_and_marked_text_serve_every_language(tmp_path: Path) -> None:
    text = BILINGUAL2.replace("  - {ko: 하나, en: One}\n", "  - {all: 김정관}\n  - Janet Yellen\n")
    path = write(tmp_path, text)
    assert load_facts(path, lang="en").summary == ("김정관", "Janet Yellen")


def test_a_misspelt_language_key_gets_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, BILINGUAL2.replace("  - {ko: 하나, en: One}\n", "  - {kr: 하나}\n"))
    assert problems(path) == [
        "11:6: summary[0]: 'kr' is not one of this fact base's languages (ko, en); "
        "did you mean 'ko'?"
    ]


def test_version_1_stays_valid_and_migrate_marks_text_given_once(tmp_path: Path) -> None:
    text = BILINGUAL2.replace("version: 2", "version: 1").replace(
        "  - {ko: 하나, en: One}\n", "  - 한국어로만 쓴 항목\n"
    )
    path = write(tmp_path, text)
    load_facts(path, lang="en")  # valid today, valid still
    result = run_cli("migrate", str(path))
    assert result.returncode == 0, result.stderr
    assert '  - {all: "한국어로만 쓴 항목"}\n' in path.read_text("utf-8")
    assert "summary[0]" in result.stdout and "translate them" in result.stdout
    assert load_facts(path, lang="en").summary == ("한국어로만 쓴 항목",)


def test_overlapping_dates_may_come_in_either_order(tmp_path: Path) -> None:
    """README: "`late 2025-12` before `2025-12-22`, or two overlapping ranges, are accepted
    either way; the message names both dates"."""
    timeline = (
        "timeline:\n  - {date: late 2025-12, event: A.}\n  - {date: 2025-12-22, event: B.}\n"
        "  - {date: 2026-01-10/2026-01-20, event: C.}\n"
        "  - {date: 2026-01-05/2026-01-12, event: D.}\n  - {date: 2026-Q1, event: E.}\n"
    )
    load_facts(write(tmp_path, MINIMAL2 + timeline))
    late = timeline + "  - {date: 2025-11, event: F.}\n"
    assert problems(write(tmp_path, MINIMAL2 + late))[0].endswith(
        "timeline[5].date: timeline is out of order: 2025-11 is over before 2026-Q1, the "
        "entry above, begins; list events oldest first"
    )


def test_a_kind_may_have_its_own_house_style(tmp_path: Path) -> None:
    """README: "Any kind can have its own style file, `house-style.<kind>.yaml`"."""
    templates = tmp_path / "tpl"
    assert run_cli("template", str(templates)).returncode == 0
    (templates / "house-style.note.yaml").write_text("title_box: true\n", "utf-8")
    path = write(tmp_path, MINIMAL2.replace("  to: Head of Unit\n", "  kind: note\n"))
    options = BuildOptions(template_dir=templates, formats=("docx",))
    docx = Builder(options).render(load_facts(path), path)["docx"]
    with zipfile.ZipFile(__import__("io").BytesIO(docx)) as z:
        assert "<w:pBdr>" in z.read("word/document.xml").decode()  # the boxed title
    memo = write(tmp_path, MINIMAL2)
    docx = Builder(options).render(load_facts(memo), memo)["docx"]
    with zipfile.ZipFile(__import__("io").BytesIO(docx)) as z:
        assert "<w:pBdr>" not in z.read("word/document.xml").decode()


def test_addresses_and_files_are_not_checked_for_language(tmp_path: Path) -> None:
    text = BILINGUAL2.replace(
        "  - title: Nothing in particular\n",
        "  - title: {all: Nothing in particular}\n    url: https://example.gov/한국어\n",
    )
    load_facts(write(tmp_path, text), lang="en")


def test_the_korean_report_docx_sets_hangul_in_myeongjo(report: Built) -> None:
    """Word draws Hangul from a style's East Asian font: the body's is NanumMyeongjo, as
    in the PDF, and the headings' NanumGothic."""
    with zipfile.ZipFile(__import__("io").BytesIO(report.docx_bytes)) as z:
        styles = z.read("word/styles.xml").decode()

    def east_asian(style_id: str) -> str:
        found = re.search(rf'w:styleId="{style_id}".*?w:eastAsia="([^"]+)"', styles, re.S)
        assert found, style_id
        return found.group(1)

    assert east_asian("Normal") == "NanumMyeongjo"
    assert east_asian("Heading1") == "NanumGothic"


def test_a_span_of_times_is_written_as_the_language_does(tmp_path: Path) -> None:
    text = MINIMAL2 + "events:\n  - name: Talks\n    date: 2024-02-13\n    time: 09:30-11:00 KST\n"
    assert "13 February 2024, 09:30–11:00 KST" in build(write(tmp_path, text)).pdf


def test_the_docx_body_never_starts_with_a_table(report: Built) -> None:
    """LibreOffice draws no text in a drawing's text boxes (the timeline chart) when the
    body starts with a table, as the approval box would make it."""
    with zipfile.ZipFile(__import__("io").BytesIO(report.docx_bytes)) as z:
        body = z.read("word/document.xml").decode()
    first = re.search(r"<w:body>\s*<(w:[a-zA-Z]+)", body)
    assert first is not None and first.group(1) == "w:p"


def test_a_comma_inside_braces_gets_the_quoting_fix(tmp_path: Path) -> None:
    """Official titles hold commas; in {…} one ends the entry and the rest became a key."""
    text = MINIMAL2.replace(
        "  marking: OFFICIAL\n",
        "  marking: OFFICIAL\n"
        "  drafter: {name: Kim, role: Deputy Director, Fisheries Negotiations, contact: k@x.gov}\n",
    )
    line = text.splitlines().index(
        "  drafter: {name: Kim, role: Deputy Director, Fisheries Negotiations, contact: k@x.gov}"
    )
    assert problems(write(tmp_path, text)) == [
        f"{line + 1}:47: memo.drafter: 'Fisheries Negotiations' was read as a field of its own "
        "because a comma inside {…} ends an entry; put the text in quotes"
    ]


def test_migrate_leaves_text_already_marked_for_every_language(tmp_path: Path) -> None:
    text = BILINGUAL2.replace("version: 2", "version: 1").replace(
        "  - {ko: 하나, en: One}\n", "  - {all: 김민지}\n"
    )
    path = write(tmp_path, text)
    assert run_cli("migrate", str(path)).returncode == 0
    assert "  - {all: 김민지}\n" in path.read_text("utf-8")
    assert load_facts(path, lang="en").summary == ("김민지",)


@pytest.mark.parametrize("target", ["out/memo.pdf", "out/manifest.json", "memo.yaml"])
def test_a_summary_never_overwrites_a_memo_the_manifest_or_a_fact_base(
    tmp_path: Path, target: str
) -> None:
    write(tmp_path, MINIMAL2)
    ran = run_cli(
        "build", "memo.yaml", "--out", "out", "-f", "pdf", "--summary-md", target, cwd=tmp_path
    )
    assert ran.returncode == 2
    assert ran.stderr.startswith(f"reports: --summary-md {target}: would overwrite")
    assert (tmp_path / "memo.yaml").read_text("utf-8") == MINIMAL2
    assert not (tmp_path / "out" / "memo.pdf").exists()


def test_charts_refuse_what_they_cannot_draw_and_draw_narrow(tmp_path: Path) -> None:
    """Found by fuzzing: validate said ok and the PDF writer failed."""
    far = MINIMAL2.replace("  marking: OFFICIAL\n", "  marking: OFFICIAL\n  timeline: chart\n")
    far += "timeline:\n  - {date: 2024-01-01, event: A.}\n  - {date: 9999-12-30, event: B.}\n"
    assert problems(write(tmp_path, far))[0].endswith(
        "timeline[1].date: a timeline chart's axis cannot reach past the year 9900; use 'table'"
    )
    chart = (
        "  - chart:\n      type: bar\n      categories: ['{long}', b]\n"
        "      series: [{{name: S, values: [{value}, 3]}}]\n      width: 0.1\n"
    )
    tiny = MINIMAL2.replace(
        "background: One paragraph.",
        "background:\n" + chart.format(long="x" * 50, value="1e-308"),
    )
    assert problems(write(tmp_path, tiny))[0].endswith(
        "'1e-308' is too small for a chart; give it in a smaller unit"
    )
    narrow = tiny.replace("1e-308", "0.5")
    built = run_cli(
        "build", str(write(tmp_path, narrow)), "--out", str(tmp_path / "o"), "-f", "pdf"
    )
    assert built.returncode == 0, built.stderr
