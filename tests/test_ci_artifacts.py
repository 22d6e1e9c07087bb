"""Reproducible bytes, the manifest, --check, batch builds, watch mode and the CI workflow."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

import pytest
import yaml
from conftest import CASES, EXAMPLE, ROOT, TEMPLATES, fact_base, run_cli, write_yaml
from pypdf import PdfReader


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_builds_are_byte_identical_across_folders_and_times(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b" / "deeper"
    assert run_cli("build", str(EXAMPLE), "--out", str(first)).returncode == 0
    time.sleep(1.1)  # a clock-dependent stamp would now differ
    assert run_cli("build", str(EXAMPLE), "--out", str(second)).returncode == 0
    for name in (f"{EXAMPLE.stem}.pdf", f"{EXAMPLE.stem}.docx", "manifest.json"):
        assert sha(first / name) == sha(second / name), name


def test_dates_come_from_the_fact_base_or_source_date_epoch(tmp_path: Path) -> None:
    assert run_cli("build", str(EXAMPLE), "--out", str(tmp_path / "a")).returncode == 0
    meta = PdfReader(str(tmp_path / "a" / f"{EXAMPLE.stem}.pdf")).metadata
    assert meta is not None and meta["/CreationDate"].startswith("D:20240213000000")
    env = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14 22:13:20 UTC
    assert run_cli("build", str(EXAMPLE), "--out", str(tmp_path / "b"), env=env).returncode == 0
    meta = PdfReader(str(tmp_path / "b" / f"{EXAMPLE.stem}.pdf")).metadata
    assert meta is not None and meta["/CreationDate"].startswith("D:20231114221320")
    import docx

    props = docx.Document(str(tmp_path / "b" / f"{EXAMPLE.stem}.docx")).core_properties
    assert props.created.isoformat().startswith("2023-11-14T22:13:20")
    bad = run_cli(
        "build", str(EXAMPLE), "--out", str(tmp_path / "c"), env={"SOURCE_DATE_EPOCH": "yesterday"}
    )
    assert bad.returncode == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970, got 'yesterday'" in bad.stderr


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
    for out in memo["outputs"]:
        assert out["sha256"] == sha(tmp_path / out["file"])
        assert out["bytes"] == (tmp_path / out["file"]).stat().st_size
    inputs = memo["inputs"]
    assert inputs[str(EXAMPLE.relative_to(ROOT))] == sha(EXAMPLE)
    assert any(k.endswith("templates/memo.xml.j2") for k in inputs)
    assert any(k.endswith("house-style.yaml") for k in inputs)
    assert any(k.endswith("LiberationSans-Regular.ttf") for k in inputs)


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


def _check(src: Path, tpl: Path, style: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "build",
        str(src),
        "--out",
        str(out),
        "--template",
        str(tpl),
        "--style",
        str(style),
        "--check",
    )


def test_check_passes_after_a_build_and_writes_nothing(checked: tuple[Path, ...]) -> None:
    src, tpl, style, out = checked
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = _check(src, tpl, style, out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{src}: up to date\n"
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


@pytest.mark.parametrize("edit", ["fact base", "template", "style", "deleted output"])
def test_check_fails_after_an_edit(checked: tuple[Path, ...], edit: str) -> None:
    src, tpl, style, out = checked
    if edit == "fact base":
        write_yaml(src, fact_base(background="Changed."))
    elif edit == "template":
        text = (
            (tpl / "memo.xml.j2")
            .read_text("utf-8")
            .replace("{{ section('summary') }}", "<h1>Bottom line</h1>")
        )
        (tpl / "memo.xml.j2").write_text(text, "utf-8")
    elif edit == "style":
        style.write_text("colors:\n  accent: '#7a1f1f'\n", "utf-8")
    else:
        (out / "memo.docx").unlink()
    result = _check(src, tpl, style, out)
    assert result.returncode == 1
    if edit == "deleted output":
        assert result.stderr.startswith(f"missing: {out / 'memo.docx'}\n")
    else:
        assert f"stale: {out / 'memo.pdf'}\n" in result.stderr
        assert f"stale: {out / 'memo.docx'}\n" in result.stderr
    assert "checked 1 memos" in result.stderr


def test_batch_of_200_with_one_broken_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for i in range(200):
        write_yaml(data / f"memo-{i:03d}.yaml", fact_base(summary=[f"Point {i}"]))
    shutil.copy(CASES / "invalid" / "types.yaml", data / "memo-117.yaml")
    out = tmp_path / "out"
    result = run_cli(
        "build", str(data), "--out", str(out), "--jobs", "2", "--json", "--format", "pdf"
    )
    assert result.returncode == 2
    assert f"{data / 'memo-117.yaml'}:3:10: memo.title: must not be empty" in result.stderr
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"built": 199, "failed": 1}
    assert summary["files"] == 199
    written = sorted(p.name for p in out.glob("*.pdf"))
    assert len(written) == 199 and "memo-117.pdf" not in written
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert len(manifest["memos"]) == 200


def test_quiet_batch_prints_nothing_on_success(tmp_path: Path) -> None:
    for i in range(3):
        write_yaml(tmp_path / f"m{i}.yaml", fact_base())
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "-q", "-j", "2")
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


def test_plain_batch_prints_files_and_a_summary(tmp_path: Path) -> None:
    for i in range(2):
        write_yaml(tmp_path / f"m{i}.yaml", fact_base())
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "-j", "1")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        str(tmp_path / "out" / n) for n in ("m0.pdf", "m0.docx", "m1.pdf", "m1.docx")
    ]
    assert result.stderr.startswith("built 2 of 2 memos (4 files) in ")


class Watch:
    """``reports watch`` in a subprocess, with its output lines read as they come."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reports", "watch", *args, "--interval", "0.1"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.queue: Queue[str] = Queue()
        stdout = self.proc.stdout
        threading.Thread(
            target=lambda: [self.queue.put(x) for x in stdout or ()], daemon=True
        ).start()

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Wait for a line containing ``text``, then let file times move on (1.1 s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.2)
            except Empty:
                continue
            self.lines.append(line)
            if text in line:
                time.sleep(1.1)
                return
        raise AssertionError(f"no '{text}' in {self.lines}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def test_watch_rebuilds_on_save_and_reports_errors(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    out = tmp_path / "out"
    watch = Watch(str(src), "--out", str(out))
    try:
        watch.wait_for("watching 1 fact base")
        assert any("built" in line for line in watch.lines)
        first = (out / "memo.pdf").read_bytes()
        write_yaml(src, fact_base(summary=["Edited while watching."]))
        watch.wait_for(f"built {src}")
        assert (out / "memo.pdf").read_bytes() != first
        good = (out / "memo.pdf").read_bytes()
        src.write_text(src.read_text("utf-8").replace("title: Minimal memo", "title: ''"), "utf-8")
        watch.wait_for("memo.title: must not be empty")
        watch.wait_for("not built, fix the problems above")
        assert (out / "memo.pdf").read_bytes() == good
    finally:
        watch.stop()


WORKFLOW = ROOT / ".github" / "workflows" / "memos.yml"


def test_workflow_is_a_valid_github_workflow() -> None:
    exe = shutil.which("check-jsonschema")
    assert exe is not None, "check-jsonschema comes with the test extra"
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_reports_steps_work(tmp_path: Path) -> None:
    steps = yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]["memos"]["steps"]
    commands = [s["run"] for s in steps if str(s.get("run", "")).startswith("reports ")]
    assert [c.split()[1] for c in commands] == ["validate", "build", "build"]
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for command in commands:
        result = run_cli(*command.split()[1:], cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
    assert (tmp_path / "output" / "manifest.json").is_file()


def test_watch_rebuilds_when_the_template_changes(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    tpl = tmp_path / "tpl"
    shutil.copytree(TEMPLATES, tpl, ignore=shutil.ignore_patterns("fonts"))
    out = tmp_path / "out"
    watch = Watch(str(src), "--out", str(out), "--template", str(tpl), "-f", "pdf")
    try:
        watch.wait_for("watching 1 fact base")
        catalogue = tpl / "messages" / "en.yaml"
        catalogue.write_text(
            catalogue.read_text("utf-8").replace("summary: Summary", "summary: Bottom line"),
            "utf-8",
        )
        watch.wait_for(f"built {src}")
        assert "Bottom line" in pdf_text(out / "memo.pdf")
    finally:
        watch.stop()


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
