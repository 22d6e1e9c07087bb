"""``reports watch``: what a change calls for (a pure function), what the watcher does about
it (in this process), and one real watching process driven by its output lines."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path, PurePosixPath
from queue import Empty, Queue

import pytest
from conftest import ROOT, TEMPLATES, fact_base, pdf_pages, run_cli, write_yaml

from reports.build import BuildOptions, FactFile
from reports.build.watch import Plan, Watcher, classify


def save(path: Path, text: str) -> None:
    """Save ``text`` the way editors do: write a new file, then move it over the old one."""
    tmp = path.with_name(path.name + ".saving")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- classify (pure)


def test_an_edited_fact_base_is_rebuilt_alone(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert classify({b}, [a, b]) == Plan((b,), reload=False)


@pytest.mark.parametrize(
    "changed",
    ["tpl/memo.xml.j2", "tpl/messages/en.yaml", "style.yaml", "a.style.yaml", "fonts/X.ttf"],
)
def test_a_shared_file_reloads_and_rebuilds_everything(tmp_path: Path, changed: str) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert classify({tmp_path / changed, a}, [a, b]) == Plan((a, b), reload=True)


@pytest.mark.parametrize("changed", ["out/a.pdf", "out/a.docx", "out/manifest.json", "notes.txt"])
def test_outputs_and_other_files_are_ignored(tmp_path: Path, changed: str) -> None:
    a = tmp_path / "a.yaml"
    assert classify({tmp_path / changed}, [a]) == Plan((), reload=False)


def test_sources_given_as_relative_paths_are_matched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = Path("a.yaml")
    assert classify({tmp_path / "a.yaml"}, [source]) == Plan((source,), reload=False)


def test_a_new_fact_base_in_a_root_is_followed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    a, new, deep = data / "a.yaml", data / "b.yaml", data / "sub" / "c.yml"
    plan = classify({new, deep}, [a], roots=[data], present={new, deep})
    assert plan == Plan(
        (new, deep),
        reload=False,
        added=(FactFile(new, PurePosixPath("."), data), FactFile(deep, PurePosixPath("sub"), data)),
    )


@pytest.mark.parametrize(
    "name", ["a.style.yaml", ".#a.yaml", ".hidden/x.yaml", "notes.txt", "../elsewhere.yaml"]
)
def test_what_is_not_a_new_fact_base(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    changed = (data / name).resolve()
    plan = classify({changed}, [data / "a.yaml"], roots=[data], present={changed})
    assert plan.added == ()
    # a style or other YAML may be used by every memo; other files are nothing
    assert plan.reload == (changed.suffix in (".yaml", ".yml"))


def test_a_deleted_fact_base_is_forgotten(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert classify({b}, [a, b], roots=[tmp_path], present=set()) == Plan(
        (), reload=False, removed=(b,)
    )
    # saved through a temporary file: gone, then back, in one batch
    assert classify({b}, [a, b], roots=[tmp_path], present={b}) == Plan((b,), reload=False)
    # one that came and went between two looks changes nothing
    c = tmp_path / "c.yaml"
    assert classify({c}, [a], roots=[tmp_path], present=set()) == Plan((), reload=False)


def test_a_new_fact_base_is_named_from_its_root_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    new = (tmp_path / "data" / "b.yaml").resolve()
    (added,) = classify({new}, [], roots=[Path("data")], present={new}).added
    assert added.path == Path("data/b.yaml")


# ---------------------------------------------------------------- the watcher, in-process


class Lines:
    """What a watcher prints, as (line, is_error) pairs."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, bool]] = []

    def __call__(self, line: str, err: bool) -> None:
        self.lines.append((line, err))

    def take(self) -> list[tuple[str, bool]]:
        """The lines printed since the last call, time stamps cut off."""
        out = [(_unstamped(line), err) for line, err in self.lines]
        self.lines.clear()
        return out


def _unstamped(line: str) -> str:
    head, _, rest = line.partition(" ")
    return rest if len(head) == 8 and head[2] == head[5] == ":" else line


def _styles_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read("word/styles.xml").decode("utf-8")


def test_watcher_rebuilds_edits_and_reports_errors(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    out = tmp_path / "out"
    out.mkdir()
    echo = Lines()
    watcher = Watcher([src], out, BuildOptions(), echo)
    assert watcher.folders() == {tmp_path, TEMPLATES}
    (result,) = watcher.handle(Plan((src,), reload=True))
    assert result.status == "built"
    assert echo.take() == [(f"built {src} -> {out / 'memo.pdf'}, {out / 'memo.docx'}", False)]

    write_yaml(src, fact_base(summary=["Edited while watching."]))
    watcher.handle(classify({src}, [src]))
    assert "Edited while watching." in " ".join(pdf_pages(out / "memo.pdf"))
    good = (out / "memo.pdf").read_bytes()

    src.write_text(src.read_text("utf-8").replace("title: Minimal memo", "title: ''"), "utf-8")
    (result,) = watcher.handle(classify({src}, [src]))
    assert result.status == "failed"
    assert echo.take()[1:] == [
        (f"{src}:3:10: memo.title: must not be empty", True),
        (f"{src}: not built, fix the problems above", False),
    ]
    assert (out / "memo.pdf").read_bytes() == good  # the last good memo stays


def test_watcher_rebuilds_when_the_style_changes(tmp_path: Path) -> None:
    """README: watch rebuilds "each time its fact base, the template or the style is saved"."""
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    style = tmp_path / "style.yaml"
    style.write_text("colors:\n  accent: '#1f3a5f'\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    echo = Lines()
    watcher = Watcher([src], out, BuildOptions(style_overrides=(style,)), echo)
    watcher.handle(Plan((src,), reload=True))
    assert "7A1F1F" not in _styles_xml(out / "memo.docx")

    style.write_text("colors:\n  accent: '#7a1f1f'\n", "utf-8")
    plan = classify({style}, [src])
    assert plan == Plan((src,), reload=True)
    watcher.handle(plan)
    assert "7A1F1F" in _styles_xml(out / "memo.docx")

    style.write_text("colors:\n  accent: red\n", "utf-8")  # a broken style: nothing built
    echo.take()
    assert watcher.handle(classify({style}, [src])) == []
    assert echo.take() == [(f"{style}:2:11: colors.accent: expected a colour as #rrggbb", True)]
    assert "7A1F1F" in _styles_xml(out / "memo.docx")


def test_watcher_rebuilds_when_the_template_changes(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    tpl = tmp_path / "tpl"
    shutil.copytree(TEMPLATES, tpl, ignore=shutil.ignore_patterns("fonts"))
    out = tmp_path / "out"
    out.mkdir()
    watcher = Watcher([src], out, BuildOptions(template_dir=tpl, formats=("pdf",)), Lines())
    assert watcher.folders() == {tmp_path, tpl}
    watcher.handle(Plan((src,), reload=True))
    catalogue = tpl / "messages" / "en.yaml"
    catalogue.write_text(
        catalogue.read_text("utf-8").replace("summary: Summary", "summary: Bottom line"), "utf-8"
    )
    watcher.handle(classify({catalogue}, [src]))
    assert "Bottom line" in pdf_pages(out / "memo.pdf")[0]


def test_watcher_follows_the_folder(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    a = write_yaml(data / "a.yaml", fact_base())
    echo = Lines()
    watcher = Watcher([a], out, BuildOptions(formats=("pdf",)), echo, roots=[data])
    assert data in watcher.folders()
    watcher.handle(Plan((a,), reload=True))
    (data / "sub").mkdir()
    b = write_yaml(data / "sub" / "b.yaml", fact_base())
    echo.take()
    watcher.handle(classify({b}, watcher.sources, roots=[data], present={b}))
    assert echo.take() == [
        (f"following {b}: new", False),
        (f"built {b} -> {out / 'sub' / 'b.pdf'}", False),
    ]
    a.unlink()
    watcher.handle(classify({a}, watcher.sources, roots=[data], present=set()))
    assert watcher.sources == [b]
    assert echo.take() == [(f"forgot {a}: deleted (its outputs stay until build --prune)", False)]


def test_the_screen_shows_only_current_problems(tmp_path: Path) -> None:
    a = write_yaml(tmp_path / "a.yaml", fact_base(**{"memo.title": ""}))
    b = write_yaml(tmp_path / "b.yaml", fact_base(**{"memo.to": ""}))
    (tmp_path / "out").mkdir()
    screens: list[list[tuple[str, bool]]] = []
    echo = Lines()
    watcher = Watcher(
        [a, b], tmp_path / "out", BuildOptions(formats=("pdf",)), echo,
        roots=[tmp_path], clear=lambda: screens.append(echo.take()),
    )  # fmt: skip
    watcher.handle(Plan((a, b), reload=True))
    title = f"{a}:3:10: memo.title: must not be empty"
    to = f"{b}:6:7: memo.to: must not be empty"
    assert echo.take() == [
        (title, True),
        (to, True),
        ("2 fact base(s), 2 with problems; press Ctrl-C to stop", False),
        (f"{a}: not built, fix the problems above", False),
        (f"{b}: not built, fix the problems above", False),
    ]
    write_yaml(a, fact_base())  # a fixed, b still broken
    watcher.handle(classify({a}, watcher.sources))
    assert echo.take() == [
        (to, True),
        ("2 fact base(s), 1 with problems; press Ctrl-C to stop", False),
        (f"built {a} -> {tmp_path / 'out' / 'a.pdf'}", False),
    ]
    b.unlink()  # the broken one deleted: nothing left to show
    watcher.handle(classify({b}, watcher.sources, roots=[tmp_path], present=set()))
    assert echo.take() == [
        ("1 fact base(s), no problems; press Ctrl-C to stop", False),
        (f"forgot {b}: deleted (its outputs stay until build --prune)", False),
    ]
    assert len(screens) == 3  # cleared before each round


def test_watch_once_from_the_command_line(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    result = run_cli("watch", str(src), "--out", str(tmp_path / "out"), "-f", "pdf", "--once")
    assert result.returncode == 0, result.stderr
    assert _unstamped(result.stdout) == f"built {src} -> {tmp_path / 'out' / 'memo.pdf'}\n"


def test_watch_refuses_a_bad_option_before_watching(tmp_path: Path) -> None:
    src = write_yaml(tmp_path / "memo.yaml", fact_base())
    result = run_cli("watch", str(src), "--out", str(tmp_path), "-f", "odt")
    assert result.returncode == 2
    assert result.stderr == "reports: unknown format odt; choose from pdf, docx\n"


# ---------------------------------------------------------------- one real watching process


class WatchProcess:
    """``reports watch`` in a process of its own, its output read line by line as it comes."""

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

    def wait_for(self, text: str, timeout: float = 60) -> list[str]:
        """Read lines until one contains ``text``; return the lines read meanwhile."""
        seen: list[str] = []
        while True:
            try:
                line = self.queue.get(timeout=timeout)
            except Empty:
                raise AssertionError(f"no '{text}' within {timeout} s in {self.lines}") from None
            self.lines.append(line)
            seen.append(line)
            if text in line:
                return seen

    def interrupt(self) -> int:
        """Press Ctrl-C; return the exit code."""
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=30)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


def test_watch_process_follows_saves_until_ctrl_c(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    src = write_yaml(data / "memo.yaml", fact_base())
    style = tmp_path / "style.yaml"
    style.write_text("colors:\n  accent: '#1f3a5f'\n", "utf-8")
    out = tmp_path / "out"
    watch = WatchProcess(str(data), "--out", str(out), "--style", str(style))
    try:
        before = watch.wait_for("watching 1 fact base(s); press Ctrl-C to stop")
        assert any(f"built {src} -> " in line for line in before)
        first = (out / "memo.pdf").read_bytes()

        save(style, "colors:\n  accent: '#7a1f1f'\n")
        watch.wait_for(f"built {src} -> ")
        assert "7A1F1F" in _styles_xml(out / "memo.docx")

        save(src, src.read_text("utf-8").replace("title: Minimal memo", "title: ''"))
        watch.wait_for(f"{src}:3:10: memo.title: must not be empty")
        watch.wait_for(f"{src}: not built, fix the problems above")

        save(src, src.read_text("utf-8").replace("title: ''", "title: Mended memo"))
        watch.wait_for(f"built {src} -> ")
        assert (out / "memo.pdf").read_bytes() != first
        assert "Mended memo" in pdf_pages(out / "memo.pdf")[0]

        (data / "sub").mkdir()
        new = write_yaml(data / "sub" / "new.yaml", fact_base())
        watch.wait_for(f"following {new}: new")
        watch.wait_for(f"built {new} -> {out / 'sub' / 'new.pdf'}")

        assert watch.interrupt() == 0
        assert not any("Traceback" in line for line in watch.lines)
    finally:
        watch.kill()


def test_a_folder_made_with_its_fact_base_inside_is_followed(tmp_path: Path) -> None:
    """inotify may report only the new folder when its file was written before the watch
    on it began: the folder is looked into."""
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    new = write_yaml(data / "sub" / "new.yaml", fact_base())
    plan = classify([(data / "sub").resolve()], [], roots=[data], present=[])
    assert [f.path for f in plan.added] == [data / "sub" / "new.yaml"]
    assert plan.rebuild == (data / "sub" / "new.yaml",)
    assert new.is_file()
