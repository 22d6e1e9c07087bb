"""Reproducible bytes, the manifest, --check, batch builds and the CI workflow."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from importlib.metadata import version
from pathlib import Path

import docx
import pytest
from conftest import (
    CASES,
    DATA,
    EXAMPLE,
    ROOT,
    TEMPLATES,
    Ran,
    fact_base,
    run_cli,
    run_process,
    write_yaml,
)
from pypdf import PdfReader

from reports.templating import forget_templates


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def clock_a_year_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move this process's clock a year on: a stamp read from the clock would now differ."""
    year = 365 * 24 * 3600
    real_time, real_ns, real_local, real_gm = time.time, time.time_ns, time.localtime, time.gmtime

    def now() -> float:
        return real_time() + year

    monkeypatch.setattr(time, "time", now)
    monkeypatch.setattr(time, "time_ns", lambda: real_ns() + year * 10**9)
    monkeypatch.setattr(time, "localtime", lambda s=None: real_local(now() if s is None else s))
    monkeypatch.setattr(time, "gmtime", lambda s=None: real_gm(now() if s is None else s))


@pytest.mark.parametrize(
    "example", [EXAMPLE, DATA / "winter-road-safety-2025-11-20.yaml"], ids=["v1", "v2-blocks"]
)
def test_builds_are_byte_identical_across_folders_and_times(
    tmp_path: Path, request: pytest.FixtureRequest, example: Path
) -> None:
    first, second = tmp_path / "a", tmp_path / "b" / "deeper"
    assert run_cli("build", str(example), "--out", str(first)).returncode == 0
    this_year = time.gmtime().tm_year
    request.getfixturevalue("clock_a_year_ahead")
    assert time.gmtime().tm_year == this_year + 1
    assert run_cli("build", str(example), "--out", str(second)).returncode == 0
    for name in (f"{example.stem}.pdf", f"{example.stem}.docx", "manifest.json"):
        assert sha(first / name) == sha(second / name), name


def test_dates_come_from_the_fact_base_or_source_date_epoch(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())  # memo.date: 2024-03-01
    assert run_cli("build", str(src), "--out", str(tmp_path / "a")).returncode == 0
    meta = PdfReader(str(tmp_path / "a" / "memo.pdf")).metadata
    assert meta is not None and meta["/CreationDate"].startswith("D:20240301000000")
    props = docx.Document(str(tmp_path / "a" / "memo.docx")).core_properties
    assert props.created.isoformat() == "2024-03-01T00:00:00+00:00"
    env = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14 22:13:20 UTC
    assert run_cli("build", str(src), "--out", str(tmp_path / "b"), env=env).returncode == 0
    meta = PdfReader(str(tmp_path / "b" / "memo.pdf")).metadata
    assert meta is not None and meta["/CreationDate"].startswith("D:20231114221320")
    props = docx.Document(str(tmp_path / "b" / "memo.docx")).core_properties
    assert props.created.isoformat() == "2023-11-14T22:13:20+00:00"
    bad = run_cli(
        "build", str(src), "--out", str(tmp_path / "c"), env={"SOURCE_DATE_EPOCH": "yesterday"}
    )
    assert bad.returncode == 2
    assert bad.stderr == (
        "reports: SOURCE_DATE_EPOCH must be whole seconds since 1970, got 'yesterday'\n"
    )


def test_a_changed_fact_changes_the_bytes(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    assert run_cli("build", str(src), "--out", str(tmp_path / "a")).returncode == 0
    write_yaml(src, fact_base(summary=["A different point."]))
    assert run_cli("build", str(src), "--out", str(tmp_path / "b")).returncode == 0
    for ext in ("pdf", "docx"):
        assert sha(tmp_path / "a" / f"memo.{ext}") != sha(tmp_path / "b" / f"memo.{ext}")


def test_manifest_records_inputs_and_outputs(tmp_path: Path) -> None:
    assert run_cli("build", str(EXAMPLE), "--out", str(tmp_path)).returncode == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["tool"] == "reports"
    assert manifest["settings"]["formats"] == ["pdf", "docx"]
    (memo,) = manifest["memos"]
    assert memo["status"] == "built"
    assert [o["file"] for o in memo["outputs"]] == [f"{EXAMPLE.stem}.pdf", f"{EXAMPLE.stem}.docx"]
    for out in memo["outputs"]:
        assert out["sha256"] == sha(tmp_path / out["file"])
        assert out["bytes"] == (tmp_path / out["file"]).stat().st_size
    inputs = memo["inputs"]
    assert inputs[str(EXAMPLE.relative_to(ROOT))] == sha(EXAMPLE)
    assert any(k.endswith("templates/memo.xml.j2") for k in inputs)
    assert any(k.endswith("templates/messages/en.yaml") for k in inputs)
    assert any(k.endswith("house-style.yaml") for k in inputs)
    assert any(k.endswith("LiberationSans-Regular.ttf") for k in inputs)


@pytest.mark.parametrize(
    ("formats", "libraries"),
    [
        (
            "pdf,docx",
            [
                "jinja2",
                "lxml",
                "markdown-it-py",
                "mdit-py-plugins",
                "pillow",
                "python-docx",
                "pyyaml",
                "reportlab",
                "xlsxwriter",
            ],
        ),
        ("pdf", ["jinja2", "markdown-it-py", "mdit-py-plugins", "pillow", "pyyaml", "reportlab"]),
        (
            "docx",
            [
                "jinja2",
                "lxml",
                "markdown-it-py",
                "mdit-py-plugins",
                "pillow",
                "python-docx",
                "pyyaml",
                "xlsxwriter",
            ],
        ),
    ],
)
def test_manifest_records_the_library_versions(
    formats: str, libraries: list[str], tmp_path: Path
) -> None:
    """README: "The manifest records the font files' sha256 and the library versions"."""
    src = shutil.copy(CASES / "minimal.yaml", tmp_path / "memo.yaml")
    assert run_cli("build", str(src), "--out", str(tmp_path), "-f", formats).returncode == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["dependencies"] == {name: version(name) for name in libraries}
    assert manifest["version"] == version("reports")


@pytest.fixture
def checked(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """A fact base, its own template folder and style, built once into ``out``."""
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    tpl = tmp_path / "tpl"
    shutil.copytree(TEMPLATES, tpl, ignore=shutil.ignore_patterns("fonts"))
    style = tmp_path / "style.yaml"
    style.write_text("colors:\n  accent: '#1f3a5f'\n", "utf-8")
    out = tmp_path / "out"
    args = (str(src), "--out", str(out), "--template", str(tpl), "--style", str(style))
    assert run_cli("build", *args).returncode == 0
    return src, tpl, style, out


def _check(src: Path, tpl: Path, style: Path, out: Path) -> Ran:
    args = ("--out", str(out), "--template", str(tpl), "--style", str(style), "--check")
    return run_cli("build", str(src), *args)


def test_check_passes_after_a_build_and_writes_nothing(checked: tuple[Path, ...]) -> None:
    src, tpl, style, out = checked
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = _check(src, tpl, style, out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{src}: up to date\n"
    assert result.stderr.startswith("checked 1 memos in ")
    assert result.stderr.endswith(" s: 1 up to date, 0 stale, 0 failed\n")
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


@pytest.mark.parametrize("edit", ["fact base", "template", "catalogue", "style", "deleted output"])
def test_check_fails_after_an_edit(checked: tuple[Path, ...], edit: str) -> None:
    src, tpl, style, out = checked
    if edit == "fact base":
        write_yaml(src, fact_base(background="Changed."))
    elif edit == "template":
        template = tpl / "memo.xml.j2"
        text = template.read_text("utf-8")
        template.write_text(
            text.replace("{{ section('summary') }}", "<h1>Bottom line</h1>"), "utf-8"
        )
    elif edit == "catalogue":
        catalogue = tpl / "messages" / "en.yaml"
        text = catalogue.read_text("utf-8")
        catalogue.write_text(text.replace("summary: Summary", "summary: Bottom line"), "utf-8")
    elif edit == "style":
        style.write_text("colors:\n  accent: '#7a1f1f'\n", "utf-8")
    else:
        (out / "memo.docx").unlink()
    forget_templates()  # this process compiled the template before the edit
    result = _check(src, tpl, style, out)
    assert result.returncode == 1
    if edit == "deleted output":
        assert result.stderr.startswith(f"missing: {out / 'memo.docx'}\n")
        assert " s: 0 up to date, 1 stale, 0 failed\n" in result.stderr
    else:
        stale = "built from inputs that have changed since; build again"
        assert result.stderr.startswith(
            f"stale: {out / 'memo.pdf'}: {stale}\nstale: {out / 'memo.docx'}: {stale}\n"
            "checked 1 memos in "
        )
    assert result.stdout == ""


def test_a_batch_with_one_broken_file_in_two_processes(tmp_path: Path) -> None:
    # 50 memos: enough for both workers to take many and finish out of order; the
    # throughput of large batches is the bench's to measure
    data = tmp_path / "data"
    data.mkdir()
    for i in range(50):
        write_yaml(data / f"memo-{i:03d}.yaml", fact_base(summary=[f"Point {i}"]))
    shutil.copy(CASES / "invalid" / "types.yaml", data / "memo-017.yaml")
    out = tmp_path / "out"
    result = run_process(
        "build", str(data), "--out", str(out), "--jobs", "2", "--json", "--format", "pdf"
    )
    assert result.returncode == 2
    assert f"{data / 'memo-017.yaml'}:3:10: memo.title: must not be empty\n" in result.stderr
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"built": 49, "failed": 1}
    assert summary["files"] == 49
    assert [r["source"] for r in summary["results"]] == [
        str(data / f"memo-{i:03d}.yaml") for i in range(50)
    ]
    written = sorted(p.name for p in out.glob("*.pdf"))
    assert len(written) == 49 and "memo-017.pdf" not in written
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert len(manifest["memos"]) == 50


def test_json_summary_of_a_batch(tmp_path: Path) -> None:
    for i in range(2):
        write_yaml(tmp_path / f"m{i}.yaml", fact_base())
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "--json", "-j", "1")
    assert result.returncode == 0
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("check", "memos", "counts", "files")} == {
        "check": False,
        "memos": 2,
        "counts": {"built": 2},
        "files": 4,
    }
    assert result.stderr == ""


def test_quiet_batch_prints_nothing_on_success(tmp_path: Path) -> None:
    for i in range(3):
        write_yaml(tmp_path / f"m{i}.yaml", fact_base())
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "-q", "-j", "1")
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3


def test_plain_batch_prints_files_and_a_summary(tmp_path: Path) -> None:
    for i in range(2):
        write_yaml(tmp_path / f"m{i}.yaml", fact_base())
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "-j", "1")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        str(tmp_path / "out" / n) for n in ("m0.pdf", "m0.docx", "m1.pdf", "m1.docx")
    ]
    assert result.stderr.startswith("built 2 of 2 memos (4 files) in ")
