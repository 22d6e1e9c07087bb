"""The bench's generated inputs are valid fact bases: a bench run never stops half-way
because the product moved on (the full run takes a quarter of an hour)."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT

from reports.validate import load_facts

sys.path.insert(0, str(ROOT / "bench"))
import make_inputs


def test_every_paired_input_is_a_valid_fact_base(tmp_path: Path) -> None:
    pairs = [
        make_inputs.write_blocks(tmp_path / "blocks"),
        make_inputs.write_chart(tmp_path / "chart"),
        make_inputs.write_timeline(tmp_path / "timeline"),
    ]
    for pair in pairs:
        for path in pair:
            load_facts(path)


def test_timelines_and_batches_are_valid(tmp_path: Path) -> None:
    for path in make_inputs.write_timelines(tmp_path / "rows", rows=(10,)).values():
        load_facts(path)
    batch = make_inputs.write_batch(tmp_path / "batch", count=3)
    files = sorted(batch.glob("*.yaml"))
    assert files
    for path in files:
        load_facts(path)
