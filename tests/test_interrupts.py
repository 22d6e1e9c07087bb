"""Ctrl-C and killed workers: a batch stops cleanly, and one lost worker fails one memo."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CASES, EXAMPLE, ROOT, memo_files

from reports.build import BuildOptions, run
from reports.build import batch as batch_module


def test_ctrl_c_stops_a_parallel_batch_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for i in range(40):
        shutil.copy(EXAMPLE, data / f"memo-{i:02d}.yaml")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reports", "build", str(data), "--out", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()  # a memo is built: the batch is under way
    assert first.endswith(".pdf\n"), first
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the process group
    stopped = time.monotonic()
    _out, err = proc.communicate(timeout=30)
    # promptly, not after the other memos: 40 of them take a minute (generous for a loaded
    # shared machine)
    assert time.monotonic() - stopped < 20
    assert proc.returncode == 130, err
    assert "interrupted: " in err and "memos not built" in err
    assert "Traceback" not in err
    names = [p.name for p in memo_files(out)]
    assert not [n for n in names if n.endswith(".tmp")], names
    stems = {n.rsplit(".", 1)[0] for n in names}
    for stem in stems:  # every memo written is a whole pair
        assert {f"{stem}.pdf", f"{stem}.docx"} <= set(names), stem
    assert 0 < len(stems) < 40


@pytest.mark.skipif(sys.platform == "win32", reason="workers are forked")
def test_a_worker_killed_by_the_system_fails_only_its_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = []
    for i in range(6):
        target = tmp_path / f"memo-{i}.yaml"
        shutil.copy(CASES / "minimal.yaml", target)
        sources.append(target)
    real = batch_module.render_task

    def dies_on_memo_3(builder: object, task: batch_module.Task) -> batch_module.Rendered:
        if task.source.name == "memo-3.yaml":
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does
        return real(builder, task)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "render_task", dies_on_memo_3)  # forked workers see it
    outcome = run(sources, tmp_path / "out", BuildOptions(), jobs=2)
    statuses = {Path(r.source).name: r.status for r in outcome.results}
    assert statuses == {f"memo-{i}.yaml": "failed" if i == 3 else "built" for i in range(6)}
    (failed,) = [r for r in outcome.results if r.status == "failed"]
    assert failed.errors == [
        f"{sources[3]}: the process building this memo was stopped by the system (killed, "
        "or out of memory); the other memos were built"
    ]
    assert outcome.exit_code == 1
    assert len(memo_files(tmp_path / "out")) == 10


def test_ctrl_c_while_files_are_written_waits_for_all_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.build import write_files

    real_fsync = os.fsync

    def fsync_then_ctrl_c(fd: int) -> None:
        real_fsync(fd)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C between the first file and the second

    monkeypatch.setattr(os, "fsync", fsync_then_ctrl_c)
    pdf, docx = tmp_path / "m.pdf", tmp_path / "m.docx"
    with pytest.raises(KeyboardInterrupt):
        write_files({pdf: b"new pdf", docx: b"new docx"})
    assert (pdf.read_bytes(), docx.read_bytes()) == (b"new pdf", b"new docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.docx", "m.pdf"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
