"""``build --check`` sees everything: missing, stale, edited and orphaned outputs, each
named differently; ``build --prune`` removes what orphans leave."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CASES, fact_base, run_cli, write_yaml

STALE = "built from inputs that have changed since; build again"
EDITED = (
    "differs from the file reports wrote (the manifest's sha256); build with --force to replace it"
)
GONE = "is gone; build --prune removes it"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A memo repository with three fact bases (one in a subfolder), built, PDF only."""
    (tmp_path / "data" / "sub").mkdir(parents=True)
    for name in ("edited", "stale", "sub/gone"):
        shutil.copy(CASES / "minimal.yaml", tmp_path / "data" / f"{name}.yaml")
    result = run_cli("build", "-f", "pdf", "-j", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def check(repo: Path, *args: str) -> tuple[int, list[str]]:
    result = run_cli("build", "--check", "-f", "pdf", "-j", "1", *args, cwd=repo)
    return result.returncode, result.stderr.splitlines()


def test_an_orphan_an_edited_and_a_stale_output_have_three_messages(repo: Path) -> None:
    """Issue 17: the stale gate names each kind of difference differently."""
    pdf = (repo / "output" / "edited.pdf").read_bytes()
    (repo / "output" / "edited.pdf").write_bytes(pdf.replace(b"Minimal memo", b"Minimal memO"))
    write_yaml(repo / "data" / "stale.yaml", fact_base(background="Changed."))
    (repo / "data" / "sub" / "gone.yaml").unlink()

    code, lines = check(repo)
    assert code == 1
    assert lines[:4] == [
        f"edited since built: output/edited.pdf: {EDITED}",
        f"stale: output/stale.pdf: {STALE}",
        f"orphan: output/sub/gone.pdf: its fact base data/sub/gone.yaml {GONE}",
        f"orphan: output/manifest.json: the entry for data/sub/gone.yaml, whose fact base {GONE}",
    ]
    assert lines[4].endswith(
        " s: 0 up to date, 1 stale, 1 edited since built, 0 failed, 1 orphaned"
    )
    assert len(lines) == 5


def test_an_edited_output_is_edited_even_when_its_inputs_changed_too(repo: Path) -> None:
    (repo / "output" / "stale.pdf").write_bytes(b"%PDF-1.4 hand-made")
    write_yaml(repo / "data" / "stale.yaml", fact_base(background="Changed."))
    code, lines = check(repo, "data/stale.yaml")
    assert (code, lines[0]) == (1, f"edited since built: output/stale.pdf: {EDITED}")


def test_a_build_notes_orphans_and_prune_removes_them(repo: Path) -> None:
    (repo / "data" / "sub" / "gone.yaml").unlink()
    built = run_cli("build", "-f", "pdf", "-j", "1", cwd=repo)
    assert built.returncode == 0
    assert f"orphan: output/sub/gone.pdf: its fact base data/sub/gone.yaml {GONE} (warning)" in (
        built.stderr.splitlines()
    )
    assert (repo / "output" / "sub" / "gone.pdf").is_file()

    pruned = run_cli("build", "--prune", "-f", "pdf", "-j", "1", cwd=repo)
    assert pruned.returncode == 0, pruned.stderr
    assert (
        "removed output/sub/gone.pdf (its fact base data/sub/gone.yaml is gone)"
        in pruned.stdout.splitlines()
    )
    assert not (repo / "output" / "sub").exists()  # emptied, so removed
    manifest = json.loads((repo / "output" / "manifest.json").read_text("utf-8"))
    assert [m["source"] for m in manifest["memos"]] == ["data/edited.yaml", "data/stale.yaml"]
    code, lines = check(repo)
    assert code == 0 and lines[-1].endswith(" s: 2 up to date, 0 stale, 0 failed")


def test_renaming_a_fact_base_keeps_the_new_memo_and_prunes_only_the_old_entry(
    repo: Path,
) -> None:
    """x.yaml renamed x.yml writes the same output: pruning the old entry keeps the file."""
    (repo / "data" / "stale.yaml").rename(repo / "data" / "stale.yml")
    pruned = run_cli("build", "--prune", "-f", "pdf", "-j", "1", cwd=repo)
    assert pruned.returncode == 0, pruned.stderr
    assert "removed" not in pruned.stdout
    assert (repo / "output" / "stale.pdf").is_file()
    manifest = json.loads((repo / "output" / "manifest.json").read_text("utf-8"))
    assert "data/stale.yaml" not in [m["source"] for m in manifest["memos"]]
    assert check(repo)[0] == 0


def test_entries_from_other_folders_are_not_orphans(repo: Path) -> None:
    elsewhere = repo / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(CASES / "minimal.yaml", elsewhere / "other.yaml")
    assert run_cli("build", "elsewhere", "-f", "pdf", cwd=repo).returncode == 0
    (elsewhere / "other.yaml").unlink()
    # a check of data/ judges only what was built from data/
    assert check(repo)[0] == 0
    assert check(repo, "elsewhere", "data")[1][0].startswith("orphan: output/other.pdf: ")


def test_a_tampered_manifest_cannot_make_prune_remove_other_files(repo: Path) -> None:
    victim = repo / "keep.txt"
    victim.write_text("precious", "utf-8")
    path = repo / "output" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["memos"].append(
        {"source": "data/forged.yaml", "outputs": [{"file": "../keep.txt"}, {"file": str(victim)}]}
    )
    path.write_text(json.dumps(manifest), "utf-8")
    pruned = run_cli("build", "--prune", "-f", "pdf", "-j", "1", cwd=repo)
    assert pruned.returncode == 0, pruned.stderr
    assert victim.read_text("utf-8") == "precious"


def test_check_json_names_orphans_and_prune_refuses_check(repo: Path) -> None:
    (repo / "data" / "sub" / "gone.yaml").unlink()
    result = run_cli("build", "--check", "--json", "-f", "pdf", cwd=repo)
    assert result.returncode == 1
    assert json.loads(result.stdout)["orphans"] == [
        {"source": "data/sub/gone.yaml", "files": ["output/sub/gone.pdf"]}
    ]
    both = run_cli("build", "--check", "--prune", cwd=repo)
    assert (both.returncode, both.stderr) == (
        2,
        "reports: --check writes nothing and --prune removes files; use one\n",
    )


def test_a_fact_base_named_below_data_builds_where_the_folder_build_puts_it(
    tmp_path: Path,
) -> None:
    """`reports build data/a/x.yaml` and `reports build` put x's files in the same place,
    output/a/, so the two ways never leave two copies."""
    (tmp_path / "data" / "a").mkdir(parents=True)
    shutil.copy(CASES / "minimal.yaml", tmp_path / "data" / "a" / "x.yaml")
    one = run_cli("build", "data/a/x.yaml", "--out", "output", "-f", "pdf", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    assert (tmp_path / "output" / "a" / "x.pdf").is_file()
    assert not (tmp_path / "output" / "x.pdf").exists()
    every = run_cli("build", "--out", "output", "-f", "pdf", "--check", cwd=tmp_path)
    assert every.returncode == 0, every.stdout + every.stderr
