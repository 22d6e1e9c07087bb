"""Folders of fact bases: found recursively, by one rule, with outputs mirroring the folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath

from conftest import CASES, TEMPLATES, fact_base, memo_files, run_cli, write_yaml

from reports.build import FactFile, discover


def test_fact_bases_in_subfolders_build_into_matching_subfolders(tmp_path: Path) -> None:
    """Issue 17: equal names in different folders no longer clash."""
    for folder in ("a", "b"):
        (tmp_path / "data" / folder).mkdir(parents=True)
        shutil.copy(CASES / "minimal.yaml", tmp_path / "data" / folder / "x.yaml")
    result = run_cli("build", "-j", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "output/a/x.pdf",
        "output/a/x.docx",
        "output/b/x.pdf",
        "output/b/x.docx",
    ]
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text("utf-8"))
    assert [(m["source"], [o["file"] for o in m["outputs"]]) for m in manifest["memos"]] == [
        ("data/a/x.yaml", ["a/x.pdf", "a/x.docx"]),
        ("data/b/x.yaml", ["b/x.pdf", "b/x.docx"]),
    ]
    check = run_cli("build", "--check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def test_what_counts_as_a_fact_base(tmp_path: Path) -> None:
    data = tmp_path / "data"
    roads = data / "winter-roads"
    roads.mkdir(parents=True)
    for name in ("memo.yaml", "winter-roads/memo.yml", "winter-roads/deep/er/memo.yaml"):
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text("version: 1\n", "utf-8")
    # a fact base's own files: tables, figures, its style; an editor's lock file
    for name in ("closures.csv", "map.png", "photo.jpeg", "memo.style.yaml", ".#memo.yaml"):
        (roads / name).write_text("x", "utf-8")
    # hidden folders and template folders hold YAML that is not a fact base
    (data / ".drafts").mkdir()
    (data / ".drafts" / "old.yaml").write_text("x", "utf-8")
    shutil.copytree(TEMPLATES, data / "my-templates", ignore=shutil.ignore_patterns("fonts"))
    # a symlinked folder is not followed
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "outside.yaml").write_text("x", "utf-8")
    (data / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)

    found = discover([data])
    assert [(f.path.relative_to(data).as_posix(), str(f.folder)) for f in found] == [
        ("memo.yaml", "."),
        ("winter-roads/deep/er/memo.yaml", "winter-roads/deep/er"),
        ("winter-roads/memo.yml", "winter-roads"),
    ]
    assert {f.root for f in found} == {data}
    named = data / "winter-roads" / "memo.yml"
    assert discover([named]) == [FactFile(named, PurePosixPath(), None)]


def test_equal_names_in_one_folder_still_clash(tmp_path: Path) -> None:
    write_yaml(tmp_path / "x.yaml", fact_base())
    write_yaml(tmp_path / "x.yml", fact_base())
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr == (
        f"reports: these fact bases would write the same output files: {tmp_path / 'x.yaml'} "
        f"and {tmp_path / 'x.yml'}; rename one\n"
    )
    assert memo_files(tmp_path / "out") == []
