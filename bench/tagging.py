"""What tagged PDF costs: the same memos rendered untagged, tagged (PDF/UA-1) and as PDF/A-2a,
in this process, the writer warmed up first (fonts registered, caches filled).

    python bench/tagging.py [--repeat N] [--rows N]

Prints a Markdown table: the median render time and the file size of each, and the ratio
to the untagged render. The memos: the example, the version 2 example (every block type)
and a timeline of ``--rows`` rows (default 1,000).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from make_inputs import write_timelines

from reports.build import Builder, BuildOptions
from reports.document import Document
from reports.validate import load_facts
from reports.writers.pdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
MEMOS = [
    ROOT / "data" / "critical-minerals-2024-02-13.yaml",
    ROOT / "data" / "winter-road-safety-2025-11-20.yaml",
]
MODES = {"untagged": {"tagged": False}, "tagged": {}, "PDF/A": {"pdfa": True}}


def timed(writer: PdfWriter, doc: Document, repeat: int) -> tuple[float, int]:
    """Median CPU seconds of ``repeat`` renders (steadier than wall time on a shared
    machine), and the file's size."""
    data = writer.render(doc)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.process_time()
        writer.render(doc)
        times.append(time.process_time() - start)
    return statistics.median(times), len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="renders per memo and mode")
    parser.add_argument("--rows", type=int, default=1_000, help="rows of the timeline memo")
    args = parser.parse_args(argv)
    builder = Builder(BuildOptions(formats=("pdf",)))
    with tempfile.TemporaryDirectory() as tmp:
        sources = [*MEMOS, write_timelines(Path(tmp), [args.rows])[args.rows]]
        lines = [
            "| memo | untagged | tagged (PDF/UA) | PDF/A | size untagged / tagged / PDF/A |",
            "|---|---|---|---|---|",
        ]
        for source in sources:
            facts = load_facts(source)
            doc = builder.document(facts, source)
            style = builder.style_for(builder.extra_styles(facts, source), facts.lang)
            got = {m: timed(PdfWriter(style, **kw), doc, args.repeat) for m, kw in MODES.items()}
            base = got["untagged"][0]
            cells = [f"{got['untagged'][0] * 1000:.0f} ms"] + [
                f"{got[m][0] * 1000:.0f} ms ({got[m][0] / base:.2f}x)" for m in ("tagged", "PDF/A")
            ]
            sizes = " / ".join(f"{got[m][1] / 1024:.0f} KiB" for m in MODES)
            lines.append(f"| {source.stem} | {' | '.join(cells)} | {sizes} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
