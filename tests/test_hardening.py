"""Layout never breaks, a failed build loses nothing, and broken templates and names are
reported."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CASES, fact_base, memo_files, need_tool, run_cli, write_yaml
from pypdf import PdfReader

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
    ["long-word", "cell-longer-than-page", "list-of-200", "header-field-at-its-limit"],
)
def test_layout_never_overflows_or_crashes(case: str, tmp_path: Path) -> None:
    word = "Supercalifragilistic" * 250  # 5,000 characters, no break opportunity
    long_text = " ".join(["A sentence that goes on and on across the page."] * 400)
    if case == "long-word":
        data = fact_base(
            summary=[word], timeline=[{"date": "2024", "event": word, "significance": word}]
        )
        data["memo"]["subject"] = word[:1000]  # type: ignore[index]  # a one-line field's limit
    elif case == "cell-longer-than-page":
        data = fact_base(timeline=[{"date": "2024", "event": long_text, "significance": "x"}])
    elif case == "list-of-200":
        data = fact_base(
            summary=[f"Point {i}" for i in range(200)],
            next_steps=[{"action": f"Step {i}"} for i in range(200)],
        )
    else:  # one-line fields stop at 1,000 characters (longer ones are refused, see cases/)
        data = fact_base()
        data["memo"]["to"] = long_text[:1000]  # type: ignore[index]
    src = write_yaml(tmp_path / "stress.yaml", data)
    result = run_cli("build", str(src), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert _right_margin_ink(tmp_path / "stress.pdf", tmp_path) == []
    check = [need_tool("qpdf"), "--check", str(tmp_path / "stress.pdf")]
    assert subprocess.run(check, capture_output=True).returncode == 0


# ---------------------------------------------------------------- nothing is lost


@pytest.mark.parametrize("name", sorted(p.stem for p in (CASES / "invalid").glob("*.yaml")))
def test_a_broken_edit_leaves_the_last_good_memo_untouched(name: str, tmp_path: Path) -> None:
    good = tmp_path / "memo.yaml"
    shutil.copy(CASES / "minimal.yaml", good)
    out = tmp_path / "out"
    assert run_cli("build", str(good), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in memo_files(out)}
    shutil.copy(CASES / "invalid" / f"{name}.yaml", good)
    result = run_cli("build", str(good), "--out", str(out))
    assert result.returncode == 2
    assert {p.name: p.read_bytes() for p in memo_files(out)} == before


def test_a_format_that_fails_late_writes_no_format(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    bad_ref = tmp_path / "not-a.docx"
    bad_ref.write_text("this is not a Word document", "utf-8")
    result = run_cli(
        "build", str(src), "--out", str(tmp_path / "out"), "--reference-docx", str(bad_ref)
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"reports: reference document {bad_ref} cannot be used: it is not a readable Word "
        "document (BadZipFile)\n"
    )
    assert memo_files(tmp_path / "out") == []  # the PDF was rendered, but not written


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
            "memo.xml.j2: unknown block <marquee>; blocks are box, chart, clearance, decision, "
            "fields, figure, footnotes, h1, h2, note, ol, p, pagebreak, qa, table, timeline, "
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
    assert memo_files(tmp_path / "out") == []


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
    # (a tagged PDF ends each line with a space, so screen readers keep words apart)
    assert "To \nNO" in text and "1.10" in text


def test_input_caps_are_configurable(tmp_path: Path) -> None:
    result = run_cli("validate", "--max-bytes", "100", str(CASES / "minimal.yaml"))
    assert result.returncode == 2
    size = (CASES / "minimal.yaml").stat().st_size
    assert result.stderr == (
        f"{CASES / 'minimal.yaml'}: file is {size} bytes, over the limit of 100 bytes\n"
    )
