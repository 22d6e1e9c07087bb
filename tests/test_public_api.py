"""The package exports a small, fixed surface."""

from __future__ import annotations

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
    for name in reports.__all__:
        assert getattr(reports, name) is not None


def test_version_matches_cli() -> None:
    from conftest import run_cli

    result = run_cli("--version")
    assert result.stdout.strip() == f"reports, version {reports.__version__}"
