"""The template stage: catalogues found and checked, compiled templates cached in the
user's cache folder (here the test session's own), and template mistakes named."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import CASES, TEMPLATES

from reports.errors import TemplateError
from reports.resources import catalogue_path
from reports.templating import _bytecode_cache, forget_templates, render
from reports.validate import load_facts


def test_the_compiled_template_cache_is_the_sessions_own(private_cache: Path) -> None:
    assert os.environ["XDG_CACHE_HOME"] == str(private_cache)
    forget_templates()
    render(load_facts(CASES / "minimal.yaml"))
    assert list((private_cache / "reports" / "jinja").iterdir())


def test_no_cache_when_the_cache_folder_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _bytecode_cache() is None


def test_catalogue_lookup(tmp_path: Path) -> None:
    shipped = TEMPLATES / "messages"
    assert catalogue_path(TEMPLATES, "fr-CA") == shipped / "fr.yaml"
    own = tmp_path / "messages"
    own.mkdir()
    (own / "en.yaml").write_text("x: y\n", "utf-8")
    assert catalogue_path(tmp_path, "en") == own / "en.yaml"
    assert catalogue_path(tmp_path, "ko") == shipped / "ko.yaml"  # a folder without it
    assert catalogue_path(tmp_path, "xx") is None


def _template(tmp_path: Path, text: str, catalogue: str | None = None) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "memo.xml.j2").write_text(text, "utf-8")
    if catalogue is not None:
        (folder / "messages").mkdir()
        (folder / "messages" / "en.yaml").write_text(catalogue, "utf-8")
    forget_templates()
    return folder


def _error(folder: Path, facts: Path = CASES / "minimal.yaml") -> list[str]:
    with pytest.raises(TemplateError) as caught:
        render(load_facts(facts), folder)
    return caught.value.lines()


def test_a_key_the_catalogue_lacks(tmp_path: Path) -> None:
    folder = _template(tmp_path, "<document title='{{ t(\"no_such_key\") }}'/>")
    assert _error(folder) == [
        f"{TEMPLATES / 'messages' / 'en.yaml'}: the message catalogue has no 'no_such_key' "
        "(used by the template)"
    ]


def test_an_incomplete_catalogue(tmp_path: Path) -> None:
    folder = _template(tmp_path, "<document title='x'/>", "summary: Summary\n")
    catalogue = folder / "messages" / "en.yaml"
    missing = [
        "date_day",
        "date_early",
        "date_late",
        "date_mid",
        "date_month",
        "date_year",
        "label_separator",
        "language_tag",
        "list_last_separator",
        "list_separator",
        "months",
        "sentence_end",
        "weekdays",
        "weekdays_short",
    ]
    assert _error(folder) == [f"{catalogue}: message catalogue: no '{k}' entry" for k in missing]


def test_a_catalogue_entry_that_is_not_text(tmp_path: Path) -> None:
    folder = _template(tmp_path, "<document title='x'/>", "summary: {a: b}\n")
    assert _error(folder) == [
        f"{folder / 'messages' / 'en.yaml'}: a message catalogue maps each key to one line of text"
    ]


def test_a_language_without_a_catalogue(tmp_path: Path) -> None:
    facts = tmp_path / "memo.yaml"
    facts.write_text(
        (CASES / "minimal.yaml").read_text("utf-8").replace("version: 1", "version: 1\nlang: xx"),
        "utf-8",
    )
    folder = _template(tmp_path, "<document title='x'/>")
    assert _error(folder, facts) == [
        f"{folder / 'messages'}: no message catalogue for language 'xx'; "
        f"add {folder / 'messages' / 'xx.yaml'}"
    ]


def test_a_folder_without_the_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(load_facts(CASES / "minimal.yaml"), tmp_path)
    assert caught.value.lines() == [f"{tmp_path}: no memo.xml.j2 in template directory {tmp_path}"]


def test_an_edited_template_is_read_again_once_forgotten(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    shutil.copytree(TEMPLATES, folder, ignore=shutil.ignore_patterns("fonts"))
    facts = load_facts(CASES / "minimal.yaml")
    assert "<h1>Summary</h1>" in render(facts, folder)
    template = folder / "memo.xml.j2"
    template.write_text(
        template.read_text("utf-8").replace("{{ section('summary') }}", "<h1>Bottom line</h1>"),
        "utf-8",
    )
    assert "<h1>Summary</h1>" in render(facts, folder)  # compiled once per process
    forget_templates()
    assert "<h1>Bottom line</h1>" in render(facts, folder)
