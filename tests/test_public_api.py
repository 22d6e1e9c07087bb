"""The package exports a small, fixed surface."""

from __future__ import annotations

import pytest
from conftest import CASES, run_cli

import reports


def test_exported_names_are_pinned() -> None:
    assert reports.__all__ == [
        "BuildOptions",
        "Builder",
        "FactBase",
        "ReportError",
        "__version__",
        "load_facts",
    ]


def test_exported_names_are_the_modules_own() -> None:
    from reports.build import Builder, BuildOptions
    from reports.errors import ReportError
    from reports.model import FactBase
    from reports.validate import load_facts

    assert reports.BuildOptions is BuildOptions
    assert reports.Builder is Builder
    assert reports.FactBase is FactBase
    assert reports.ReportError is ReportError
    assert reports.load_facts is load_facts
    with pytest.raises(AttributeError, match="module 'reports' has no attribute 'validate_all'"):
        _ = reports.validate_all  # type: ignore[attr-defined]


def test_the_documented_example_works() -> None:
    facts = reports.load_facts(CASES / "minimal.yaml")
    assert isinstance(facts, reports.FactBase)
    files = reports.Builder(reports.BuildOptions()).render(facts)
    assert sorted(files) == ["docx", "pdf"]
    assert files["pdf"].startswith(b"%PDF-") and files["docx"].startswith(b"PK")


def test_version_matches_cli() -> None:
    result = run_cli("--version")
    assert result.stdout == f"reports, version {reports.__version__}\n"


def test_main_is_the_console_script(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import entry_points

    from reports.cli import main

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "reports"]
    assert script.value == "reports.cli:main"
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"reports, version {reports.__version__}\n"
