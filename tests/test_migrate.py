"""`reports migrate`: version 1 fact bases become version 2 with the same words."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CASES, EXAMPLE, EXAMPLE_KO, run_cli

from reports import document as d
from reports.build import BuildOptions
from reports.build.builder import Builder
from reports.migrate import migrate_text
from reports.validate import load_facts

TRICKY = """# a comment that must survive
version: 1   # and this one
memo:
  title: "A *title* stays [as typed]"
  date: 2024-03-01
  from: Department of Examples
  to: Head of Unit
  subject: Escaping
  marking: OFFICIAL
summary:
  - plain *stars*, _under_ and [brackets] and a \\\\ backslash
  - 'single-quoted *text*, it''s'
  - "double-quoted *text* with \\\\ and \\"quotes\\""
  - |
    literal *block*
    - not a list in version 1
    1. nor this
  - a plain text
    over *two* lines
background:
  - "A paragraph:\\n\\n- that looks like a list\\n- in version 2"
  - "[^x] is not a footnote here"
sources:
  - title: Nothing in particular
"""


def all_text(doc: d.Document) -> list[str]:
    """Every piece of text in the document, in order, white space collapsed."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, d.Text):
            out.append(node.text)
        elif isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__") and not isinstance(node, d.Image):
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))

    walk(doc.blocks)
    return " ".join(" ".join(out).split()).split(" ")


def build_words(path: Path) -> list[str]:
    return all_text(Builder(BuildOptions()).document(load_facts(path), path))


def test_the_examples_migrate_to_the_same_words(tmp_path: Path) -> None:
    for example in (EXAMPLE, EXAMPLE_KO):
        before = example.read_text("utf-8")
        after = migrate_text(before, str(example))
        changed = [
            (a, b)
            for a, b in zip(before.splitlines(), after.text.splitlines(), strict=True)
            if a != b
        ]
        assert changed == [("version: 1", "version: 2")]
        target = tmp_path / example.name
        target.write_text(after.text, "utf-8")
        assert build_words(target) == build_words(example)


def test_text_that_would_read_as_markup_is_escaped(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(TRICKY, "utf-8")
    result = migrate_text(TRICKY, str(old))
    assert result.text.startswith("# a comment that must survive\nversion: 2   # and this one\n")
    assert '  title: "A *title* stays [as typed]"' in result.text  # plain in version 2
    assert r"  - plain \*stars\*, \_under\_ and \[brackets\] and a \\\\ backslash" in result.text
    assert result.escaped == (
        "summary[0]", "summary[1]", "summary[2]", "summary[3]", "summary[4]", "background[0]",
        "background[1]",
    )  # fmt: skip
    new = tmp_path / "new.yaml"
    new.write_text(result.text, "utf-8")
    assert load_facts(new).version == 2
    assert build_words(new) == build_words(old)
    doc = Builder(BuildOptions()).document(load_facts(new), new)
    lists = [b for b in doc.blocks if isinstance(b, (d.BulletList, d.NumberedList))]
    assert not any("looks like a list" in str(b) for b in lists)
    assert not doc.footnotes


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    once = migrate_text(TRICKY, "f.yaml").text
    again = migrate_text(once, "f.yaml")
    assert again.already and again.text == once


def test_the_command_checks_then_migrates_in_place(tmp_path: Path) -> None:
    target = tmp_path / "memo.yaml"
    shutil.copy(CASES / "minimal.yaml", target)
    checked = run_cli("migrate", "--check", str(target))
    assert checked.returncode == 1 and "would be migrated to version 2" in checked.stdout
    assert "version: 1" in target.read_text("utf-8")
    done = run_cli("migrate", str(target))
    assert done.returncode == 0 and "migrated to version 2" in done.stdout
    assert run_cli("migrate", "--check", str(target)).returncode == 0
    missing = run_cli("migrate", str(tmp_path / "absent.yaml"))
    assert missing.returncode == 2 and "cannot read the file" in missing.stderr
