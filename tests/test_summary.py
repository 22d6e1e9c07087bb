"""``--summary-md FILE``: the Markdown table of memos a CI job shows (status, pages,
problems), written even when memos fail, from a build, a check or merged shards."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CASES, fact_base, run_cli, write_yaml

from reports.build.ci import summary_markdown

HEAD = "| memo | status | pages | problems |\n| --- | --- | ---: | --- |\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two good fact bases (one in a subfolder) and a broken one, in ``data/``."""
    (tmp_path / "data" / "sub").mkdir(parents=True)
    shutil.copy(CASES / "minimal.yaml", tmp_path / "data" / "a.yaml")
    shutil.copy(CASES / "minimal.yaml", tmp_path / "data" / "sub" / "b.yaml")
    write_yaml(tmp_path / "data" / "bad.yaml", fact_base(**{"memo.title": ""}))
    return tmp_path


def test_a_failed_build_still_writes_its_summary(repo: Path) -> None:
    result = run_cli("build", "-j", "1", "-q", "--summary-md", "summary.md", cwd=repo)
    assert result.returncode == 2
    title = "data/bad.yaml:3:10: memo.title: must not be empty"
    assert title in result.stderr
    assert (repo / "summary.md").read_text("utf-8") == (
        "### reports build\n\n3 memos: 2 built, 1 failed\n\n"
        + HEAD
        + "| data/a.yaml | ✅ built | 1 |  |\n"
        f"| data/bad.yaml | ❌ failed |  | {title} |\n"
        "| data/sub/b.yaml | ✅ built | 1 |  |\n"
    )


def test_pages_are_those_of_the_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader

    src = write_yaml(tmp_path / "long.yaml", fact_base(background=["A long paragraph. " * 80] * 8))
    out, summary = tmp_path / "out", tmp_path / "summary.md"
    result = run_cli("build", str(src), "--out", str(out), "--summary-md", str(summary))
    assert result.returncode == 0, result.stderr
    pages = len(PdfReader(str(out / "long.pdf")).pages)
    assert pages > 1
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    pdf, docx = manifest["memos"][0]["outputs"]
    assert (pdf["pages"], "pages" in docx) == (pages, False)  # Word paginates a DOCX
    assert f"| ✅ built | {pages} |  |\n" in summary.read_text("utf-8")


def test_check_summary_names_stale_outputs_and_orphans(repo: Path) -> None:
    (repo / "data" / "bad.yaml").unlink()
    assert run_cli("build", "-f", "pdf", "-j", "1", "-q", cwd=repo).returncode == 0
    write_yaml(repo / "data" / "a.yaml", fact_base(background="Changed."))
    (repo / "data" / "sub" / "b.yaml").unlink()
    args = ("build", "--check", "-f", "pdf", "-j", "1", "--summary-md", "check.md")
    assert run_cli(*args, cwd=repo).returncode == 1
    gone = "its fact base data/sub/b.yaml is gone; build --prune removes it"
    assert (repo / "check.md").read_text("utf-8") == (
        "### reports build --check\n\n2 memos: 1 orphan, 1 stale\n\n"
        + HEAD
        + "| data/a.yaml | ⚠️ stale | 1 | stale: output/a.pdf: built from inputs that have "
        "changed since; build again |\n"
        f"| data/sub/b.yaml | ⚠️ orphan |  | orphan: output/sub/b.pdf: {gone}<br>"
        "orphan: output/manifest.json: the entry for data/sub/b.yaml, whose fact base is "
        "gone; build --prune removes it |\n"
    )


def test_text_from_a_fact_base_stays_text() -> None:
    """A file name or message cannot add a link, an image, HTML, maths or a table cell."""
    problem = {"file": "x|y.yaml", "line": 1, "column": 2, "message": "<img src=x> [a](b) $x$"}
    text = summary_markdown(
        "t", [{"source": "x|y.yaml", "status": "failed", "problems": [problem, "junk"]}]
    )
    assert text.splitlines()[-1] == (
        "| x\\|y.yaml | ❌ failed |  | x\\|y.yaml:1:2: \\<img src=x\\> \\[a\\](b) \\$x\\$ |"
    )


def test_a_memo_with_many_problems_lists_five() -> None:
    problems = [{"file": "m.yaml", "line": i, "column": 1, "message": "bad"} for i in range(1, 9)]
    text = summary_markdown("t", [{"source": "m.yaml", "status": "failed", "problems": problems}])
    cell = text.splitlines()[-1].split(" | ")[-1]
    assert cell.split("<br>") == [
        *(f"m.yaml:{i}:1: bad" for i in range(1, 6)),
        "… and 3 more (see the log) |",
    ]


def test_merged_shards_give_the_summary_of_one_build(repo: Path) -> None:
    (repo / "data" / "bad.yaml").unlink()
    full = run_cli("build", "-f", "pdf", "-j", "1", "-q", "--summary-md", "full.md", cwd=repo)
    assert full.returncode == 0
    for i in (1, 2):
        shard = run_cli("build", "-f", "pdf", "--shard", f"{i}/2", "--out", f"s{i}", cwd=repo)
        assert shard.returncode == 0
    merged = run_cli(
        "manifest", "merge", "s1", "s2", "--out", "m.json", "--summary-md", "merged.md", cwd=repo
    )
    assert merged.returncode == 0, merged.stderr
    full_rows = (repo / "full.md").read_text("utf-8").split("\n", 1)[1]
    assert (repo / "merged.md").read_text("utf-8") == "### reports manifest merge\n" + full_rows
