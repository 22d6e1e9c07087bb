"""Warm, in-process cost of one memo: ``Builder.render`` on a fact base already loaded.

Run by path (``bench/`` is outside the main suite's ``testpaths``), in one process (``-n 0``;
pytest-benchmark does not time under xdist)::

    pytest bench/test_warm.py --benchmark-only -n 0

The Builder is made once per module and each format is rendered once before timing, so
fonts, the template, the house style and the DOCX base document are loaded already: what
is timed is what a long-lived process (a watcher, a web service) pays per memo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reports

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "critical-minerals-2024-02-13.yaml"


@pytest.fixture(scope="module")
def facts() -> Any:
    return reports.load_facts(EXAMPLE)


def _warm_builder(fmt: str, facts: Any) -> Any:
    builder = reports.Builder(reports.BuildOptions(formats=(fmt,)))
    out = builder.render(facts)  # warm caches: fonts, template, style, writers
    assert out[fmt]
    return builder


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_render_warm(benchmark: Any, facts: Any, fmt: str) -> None:
    builder = _warm_builder(fmt, facts)
    result = benchmark(builder.render, facts)
    magic = b"%PDF-" if fmt == "pdf" else b"PK\x03\x04"
    assert result[fmt].startswith(magic)
