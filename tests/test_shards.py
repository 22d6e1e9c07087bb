"""Sharded builds: ``build --shard I/N`` on each runner, ``manifest merge`` at the end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import fact_base, run_cli, write_yaml

from reports.build import Shard, parse_shard
from reports.errors import UsageError


def memos(folder: Path, count: int) -> Path:
    """``count`` small fact bases in ``folder/data`` (a few in a subfolder)."""
    for i in range(count):
        sub = "regions/" if i % 10 == 0 else ""
        (folder / "data" / sub).mkdir(parents=True, exist_ok=True)
        write_yaml(folder / "data" / f"{sub}memo-{i:02d}.yaml", fact_base(summary=[f"Point {i}"]))
    return folder


def files(out: Path) -> dict[str, bytes]:
    """Every file below ``out`` but the manifest, by its path inside ``out``."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def test_four_shards_merged_equal_one_full_build(tmp_path: Path) -> None:
    """Issue 17: 40 memos built as 4 shards and merged are byte for byte one build."""
    memos(tmp_path, 40)
    full = run_cli("build", "-f", "pdf", "-j", "1", "--out", "full", cwd=tmp_path)
    assert full.returncode == 0, full.stderr
    sizes = []
    for i in range(1, 5):
        shard = run_cli(
            "build", "-f", "pdf", "-j", "1", "--shard", f"{i}/4", "--out", f"shard-{i}",
            cwd=tmp_path,
        )  # fmt: skip
        assert shard.returncode == 0, shard.stderr
        part = json.loads((tmp_path / f"shard-{i}" / "manifest.json").read_text("utf-8"))
        assert part["shard"] == f"{i}/4"
        sizes.append(len(part["memos"]))
    assert sum(sizes) == 40 and min(sizes) >= 5  # balanced: every shard has a share
    merged = run_cli(
        "manifest", "merge", *(f"shard-{i}" for i in range(1, 5)), "--out", "merged.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout == "merged 4 manifests (40 memos) into merged.json\n"
    full_manifest = (tmp_path / "full" / "manifest.json").read_bytes()
    assert (tmp_path / "merged.json").read_bytes() == full_manifest
    together: dict[str, bytes] = {}
    for i in range(1, 5):
        together.update(files(tmp_path / f"shard-{i}"))
    assert together == files(tmp_path / "full")
    assert len(together) == 40 and "regions/memo-00.pdf" in together


def test_adding_a_memo_moves_only_that_memo() -> None:
    names = [f"data/memo-{i:03d}.yaml" for i in range(200)]
    shards = [Shard(i, 4) for i in range(1, 5)]

    def owner(name: str) -> int:
        (index,) = [s.index for s in shards if s.owns(name)]
        return index

    before = {n: owner(n) for n in names}
    assert {n: owner(n) for n in [*names, "data/new.yaml"]} == {
        **before,
        "data/new.yaml": owner("data/new.yaml"),
    }
    counts = [list(before.values()).count(i) for i in range(1, 5)]
    assert all(35 <= c <= 65 for c in counts), counts  # about a quarter each


@pytest.mark.parametrize("text", ["0/4", "5/4", "2", "a/b", "2/0", "-1/4"])
def test_a_shard_is_i_of_n(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_shard(text)
    assert str(caught.value) == (
        f"reports: --shard takes I/N with 1 <= I <= N, such as 2/4; got '{text}'"
    )
    assert parse_shard(" 2 / 4 ") == Shard(2, 4)


def test_a_shard_without_memos_still_writes_its_manifest(tmp_path: Path) -> None:
    memos(tmp_path, 1)
    owner = next(i for i in range(1, 9) if Shard(i, 8).owns("data/regions/memo-00.yaml"))
    empty = next(i for i in range(1, 9) if i != owner)
    result = run_cli("build", "--shard", f"{empty}/8", "--out", "o", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "o" / "manifest.json").read_text("utf-8"))["memos"] == []


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """Three memos built as two shards, PDF only."""
    memos(tmp_path, 3)
    for i in (1, 2):
        result = run_cli("build", "-f", "pdf", "--shard", f"{i}/2", "--out", f"s{i}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    return tmp_path


def merge(folder: Path, *parts: str) -> tuple[int, str]:
    result = run_cli("manifest", "merge", *parts, "--out", "m.json", cwd=folder)
    return result.returncode, result.stderr


def test_merge_refuses_a_missing_or_repeated_shard(shards: Path) -> None:
    assert merge(shards, "s1") == (2, "reports: shard 2/2 missing: merge every shard's manifest\n")
    assert merge(shards, "s1", "s2", "s1/manifest.json") == (
        2,
        "reports: shard 1/2 is given twice: s1/manifest.json and s1/manifest.json\n",
    )
    assert not (shards / "m.json").exists()


def test_merge_refuses_shards_built_differently(shards: Path) -> None:
    result = run_cli("build", "-f", "pdf", "--draft", "--shard", "2/2", "--out", "s2", cwd=shards)
    assert result.returncode == 0
    assert merge(shards, "s1", "s2") == (
        2,
        "reports: s2/manifest.json was built with other settings than s1/manifest.json; "
        "build every shard with the same reports, libraries and options\n",
    )


def test_merge_refuses_what_is_not_a_manifest(shards: Path) -> None:
    (shards / "s2" / "manifest.json").write_text('{"memos": []}', "utf-8")
    assert merge(shards, "s1", "s2") == (
        2,
        "reports: s2/manifest.json: not a manifest written by reports build\n",
    )
    shutil.rmtree(shards / "s2")
    assert merge(shards, "s1", "s2")[1] == "reports: s2: not a manifest written by reports build\n"
