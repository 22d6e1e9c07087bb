"""Benchmark ``reports`` against hand-written ReportLab and python-docx floors.

Usage::

    python bench/run.py [--quick] [--output bench/RESULTS.md]

Every number except the warm one is a whole process measured with ``/usr/bin/time -v``
(wall clock and peak resident set size), repeated and reduced to the median; ``reports``
and its floor are run alternately in the same session so that load on a shared machine
hits both alike. The warm, in-process cost comes from pytest-benchmark
(``bench/test_warm.py``). Prints a Markdown report and writes it to ``--output``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from make_inputs import make_all, reports_command, write_blocks, write_chart, write_timeline

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
EXAMPLE = Path("data/critical-minerals-2024-02-13.yaml")
TIME = "/usr/bin/time"
SIZES = (1_000, 10_000, 50_000)
BATCH = 200


# ---------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One whole-process run."""

    wall: float
    """Seconds (wall clock), or the timeout if the run was stopped."""
    rss_kb: int
    """Peak resident set size of the largest single process, in KiB."""
    exit_code: int
    timed_out: bool = False
    error: str = ""


@dataclass
class Measure:
    """Repeated runs of one command."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.exit_code == 0 and not r.timed_out for r in self.runs)

    @property
    def timed_out(self) -> bool:
        return any(r.timed_out for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.rss_kb for r in self.runs) / 1024

    @property
    def problem(self) -> str:
        for r in self.runs:
            if r.timed_out:
                return f"stopped after {r.wall:.0f} s (timeout)"
            if r.exit_code != 0:
                return f"exit {r.exit_code}: {r.error}"
        return "not run"


def _elapsed(text: str) -> float:
    """``h:mm:ss`` or ``m:ss.ss`` → seconds."""
    seconds = 0.0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def parse_time_v(report: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) from GNU time's ``-v`` report."""
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23": the value follows "): "
    wall = re.search(r"Elapsed \(wall clock\) time.*?\):\s*([\d:.]+)", report)
    rss = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", report)
    if wall is None or rss is None:
        raise ValueError(f"cannot read /usr/bin/time -v output:\n{report}")
    return _elapsed(wall.group(1)), int(rss.group(1))


# Both sides run compiled bytecode: an environment that sets PYTHONDONTWRITEBYTECODE (as
# some sandboxes do) would otherwise make reports recompile its modules on every run while
# the floors' libraries in site-packages were compiled at install time.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_sources() -> None:
    """Compile reports and the floor scripts to bytecode, as an installed package would be."""
    import compileall

    for folder in (ROOT / "src" / "reports", BENCH):
        compileall.compile_dir(str(folder), quiet=1)


def time_once(cmd: Sequence[str], work: Path, timeout: float | None) -> Run:
    """Run ``cmd`` once under ``/usr/bin/time -v`` from the project root."""
    report = work / "time.txt"
    errors = work / "stderr.txt"
    with errors.open("wb") as err:
        proc = subprocess.Popen(
            [TIME, "-v", "-o", str(report), *cmd],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=_ENV,
            start_new_session=True,  # its own process group, so a timeout stops it all
        )
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return Run(float(timeout or 0), 0, -9, timed_out=True)
    tail = errors.read_text("utf-8", "replace").strip().splitlines()[-3:]
    wall, rss = parse_time_v(report.read_text("utf-8", "replace"))
    return Run(wall, rss, code, error=" | ".join(tail))


@dataclass
class Bench:
    """Runs commands, each in a fresh empty output folder, and keeps the measures."""

    work: Path
    log: Callable[[str], None]
    timeout: float
    """Seconds after which a run is stopped, unless ``group`` is given another."""

    def out_dir(self) -> Path:
        folder = self.work / "out"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        return folder

    def group(
        self,
        commands: dict[str, Callable[[Path], list[str]]],
        repeat: int,
        timeouts: dict[str, float] | None = None,
        warmup: bool = False,
    ) -> dict[str, Measure]:
        """Run each command ``repeat`` times, interleaved; ``commands`` map label → argv(out)."""
        limits = {label: (timeouts or {}).get(label, self.timeout) for label in commands}
        if warmup:  # fill the file cache and compile .pyc files; not measured
            for label, argv in commands.items():
                self.log(f"  warm-up: {label}")
                time_once(argv(self.out_dir()), self.work, limits[label])
        measures = {label: Measure(label) for label in commands}
        for i in range(repeat):
            for label, argv in commands.items():
                m = measures[label]
                if m.runs and not m.ok:
                    continue  # a failure or timeout is not repeated
                run = time_once(argv(self.out_dir()), self.work, limits[label])
                m.runs.append(run)
                state = "timeout" if run.timed_out else f"exit {run.exit_code}"
                self.log(
                    f"  [{i + 1}/{repeat}] {label}: {run.wall:.2f} s, "
                    f"{run.rss_kb / 1024:.0f} MB ({state})"
                )
        return measures


# ---------------------------------------------------------------------- report


def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def cell(m: Measure | None) -> str:
    if m is None:
        return "—"
    if m.timed_out:
        return f"> {m.runs[-1].wall:.0f} s (timeout)"
    if not m.ok:
        return "failed"
    return fmt_s(m.median)


def rss_cell(*measures: Measure | None) -> str:
    parts = [f"{m.rss_mb:.0f} MB" if m and m.ok else "—" for m in measures]
    return " / ".join(parts)


@dataclass
class Row:
    scenario: str
    reports: str
    floor: str
    ratio: str
    rss: str
    notes: str = ""


@dataclass
class Target:
    text: str
    status: str
    detail: str


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "not met")


def machine() -> list[str]:
    """Lines describing the machine and software versions."""
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- Date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {nproc} cores (nproc), {cpu}, {ram} RAM, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}, ReportLab {version('reportlab')}, "
        f"python-docx {version('python-docx')}, PyYAML {version('PyYAML')}, "
        f"reports {version('reports')} (commit {commit or 'unknown'})",
        f"- Load average at start (1, 5, 15 min): {load}",
    ]


# ---------------------------------------------------------------------- scenarios


def floor(script: str, src: Path, ext: str) -> Callable[[Path], list[str]]:
    return lambda out: [sys.executable, str(BENCH / script), str(src), str(out / f"floor{ext}")]


def build(src: Path, *options: str) -> Callable[[Path], list[str]]:
    return lambda out: [*reports_command(), "build", str(src), "--out", str(out), *options]


def round_trip(bench: Bench, inputs: Path, reps: int) -> list[Row]:
    """``reports review`` of the example's DOCX edited as Word would (a tracked
    replacement), and ``reports redline`` of the example against a revised copy: what
    circulating a memo costs beyond building it (cold CLI, no floor to compare with)."""
    folder = inputs / "roundtrip"
    folder.mkdir(parents=True, exist_ok=True)
    revised = folder / "revised.yaml"
    text = EXAMPLE.read_text("utf-8")
    revised.write_text(text.replace("at a virtual meeting", "at a video conference"), "utf-8")
    subprocess.run(
        [*reports_command(), "build", str(revised), "-f", "docx", "--out", str(folder)],
        check=True,
        capture_output=True,
    )
    measures = bench.group(
        {
            "reports review": lambda out: [
                *reports_command(), "review", str(folder / "revised.docx"), "--facts",
                str(EXAMPLE),
            ],
            "reports redline": lambda out: [
                *reports_command(), "redline", str(EXAMPLE), str(revised), "--out", str(out)
            ],
        },
        reps,
        warmup=True,
    )  # fmt: skip
    out = []
    labels = {
        "reports review": "review of a returned DOCX, example memo",
        "reports redline": "redline of two versions, example memo (DOCX+PDF)",
    }
    for name, label in labels.items():
        m = measures[name]
        m.label = f"{name}, example memo"
        out.append(Row(f"{label} (cold CLI)", cell(m), "—", "—", rss_cell(m)))
    return out


def chart_scenario(bench: Bench, inputs: Path, reps: int) -> tuple[Row, Target, list[Measure]]:
    """A memo with one chart against the same memo without it, cold, PDF+DOCX."""
    with_chart, without = write_chart(inputs)
    return pair_scenario(
        bench, with_chart, without, reps, "chart",
        scenario="version 2 memo with one chart, PDF+DOCX (cold CLI)",
        floor_note="floor column: the same memo without its chart block",
        target_text="Memo with one chart ≤ 1.2x the same memo without it (cold, PDF+DOCX)",
    )  # fmt: skip


def timeline_scenario(bench: Bench, inputs: Path, reps: int) -> tuple[Row, Target, list[Measure]]:
    """The example with its timeline drawn as a chart and as the table, against the
    table alone, cold, PDF+DOCX."""
    drawn, table = write_timeline(inputs)
    return pair_scenario(
        bench, drawn, table, reps, "timeline chart",
        scenario="version 2 memo, timeline: both, PDF+DOCX (cold CLI)",
        floor_note="floor column: the same memo with timeline: table",
        target_text="Timeline chart and table ≤ 1.2x the table alone (cold, PDF+DOCX)",
    )  # fmt: skip


def pair_scenario(
    bench: Bench, with_it: Path, without: Path, reps: int, what: str, *, scenario: str,
    floor_note: str, target_text: str,
) -> tuple[Row, Target, list[Measure]]:  # fmt: skip
    """A memo with a feature against the same memo without it, cold, PDF+DOCX; the
    target is at most 1.2 times the time."""
    ms = bench.group(
        {
            f"reports with {what}": build(with_it, "-f", "pdf,docx"),
            f"reports without {what}": build(without, "-f", "pdf,docx"),
        },
        reps,
        warmup=True,
    )
    for m in ms.values():
        m.label = f"{m.label}, PDF+DOCX"
    w, wo = ms[f"reports with {what}"], ms[f"reports without {what}"]
    ratio = w.median / wo.median if w.ok and wo.ok else None
    row = Row(scenario, cell(w), cell(wo), f"{ratio:.2f}x" if ratio else "—", rss_cell(w, wo),
              floor_note)  # fmt: skip
    target = Target(
        target_text,
        verdict(None if ratio is None else ratio <= 1.2),
        f"{ratio:.2f}x" if ratio else "not measured",
    )
    return row, target, list(ms.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark reports against hand-written floors.")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 repetition, no 50k-row timeline"
    )
    parser.add_argument(
        "--output", type=Path, default=BENCH / "RESULTS.md", help="Markdown file to write"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs of each small scenario (default 11 for the example memo, 5 for 1k rows)",
    )
    parser.add_argument(
        "--floor-timeout",
        type=float,
        default=300.0,
        help="stop the 50k-row ReportLab floor after this many seconds (default 300)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="stop any other run after this (s)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs")
    parser.add_argument(
        "--only",
        choices=["chart", "timeline", "roundtrip"],
        help="run one scenario and print its rows (writes --output only if given)",
    )
    args = parser.parse_args(argv)
    if not Path(TIME).is_file():
        parser.error(f"{TIME} not found (Debian: apt-get install time)")

    quick = bool(args.quick)
    small = args.repeat or (1 if quick else 5)
    # a cold build is half a second on a shared machine: more runs give a steadier median
    example_reps = args.repeat or (1 if quick else 11)
    reps = {1_000: small, 10_000: 1 if quick else 3, 50_000: 1}
    batch_reps = 1 if quick else 3
    sizes = [n for n in SIZES if not (quick and n == 50_000)]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if args.only == "roundtrip":
        compile_sources()
        work = Path(tempfile.mkdtemp(prefix="reports-bench-"))
        try:
            found = round_trip(Bench(work, log, args.timeout), work / "inputs", args.repeat or 11)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for r in found:
            print(f"| {r.scenario} | {r.reports} | {r.floor} | {r.ratio} | {r.rss} | {r.notes} |")
        return 0

    if args.only in ("chart", "timeline"):
        scenario = {"chart": chart_scenario, "timeline": timeline_scenario}[args.only]
        compile_sources()
        work = Path(tempfile.mkdtemp(prefix="reports-bench-"))
        try:
            row, target, _ms = scenario(
                Bench(work, log, args.timeout), work / "inputs", args.repeat or 11
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        text = "\n".join(
            [
                f"| {row.scenario} | {row.reports} | {row.floor} | {row.ratio} | {row.rss} "
                f"| {row.notes} |",
                f"| {target.text} | {target.status} | {target.detail} |",
            ]
        )
        print(text)
        if "--output" in (argv if argv is not None else sys.argv):
            args.output.write_text(text + "\n", encoding="utf-8")
        return 0 if target.detail != "not measured" else 1

    header = machine()
    compile_sources()
    work = Path(tempfile.mkdtemp(prefix="reports-bench-"))
    rows: list[Row] = []
    targets: list[Target] = []
    raw: list[Measure] = []
    try:
        log(f"inputs: {work}")
        timelines, batch = make_all(work / "inputs", sizes, BATCH, check=True)
        assert batch is not None
        log("inputs valid (reports validate)")
        bench = Bench(work, log, args.timeout)

        # -- cold CLI build of the example memo
        log("cold build of the example memo")
        ex = bench.group(
            {
                "reports pdf": build(EXAMPLE, "-f", "pdf"),
                "reports docx": build(EXAMPLE, "-f", "docx"),
                "reports pdf+docx": build(EXAMPLE, "-f", "pdf,docx"),
                "floor pdf": floor("floor_pdf.py", EXAMPLE, ".pdf"),
                "floor docx": floor("floor_docx.py", EXAMPLE, ".docx"),
            },
            example_reps,
            warmup=True,
        )
        for m in ex.values():
            m.label = f"{m.label}, example memo"
        raw += ex.values()
        for fmt, label in (("pdf", "PDF"), ("docx", "DOCX")):
            r, f = ex[f"reports {fmt}"], ex[f"floor {fmt}"]
            ratio = f"{r.median / f.median:.2f}x" if r.ok and f.ok else "—"
            rows.append(
                Row(f"example memo, {label} (cold CLI)", cell(r), cell(f), ratio, rss_cell(r, f))
            )
        both, fp, fd = ex["reports pdf+docx"], ex["floor pdf"], ex["floor docx"]
        pair = fp.median + fd.median if fp.ok and fd.ok else None
        both_ratio = both.median / pair if both.ok and pair else None
        rows.append(
            Row(
                "example memo, PDF+DOCX (cold CLI)",
                cell(both),
                fmt_s(pair) if pair else "—",
                f"{both_ratio:.2f}x" if both_ratio else "—",
                rss_cell(both, fp if fp.rss_mb >= fd.rss_mb else fd),
                "floor: the two floor scripts back to back (sum of medians)",
            )
        )
        targets.append(
            Target(
                "Cold example build PDF+DOCX ≤ 1.3x the two floors back to back",
                verdict(None if both_ratio is None else both_ratio <= 1.3),
                f"{both_ratio:.2f}x" if both_ratio else "not measured",
            )
        )

        # -- version 2 blocks against version 1 text of the same length
        log("cold build of the version 2 example against a version 1 memo of its length")
        v2_src, v1_src = write_blocks(work / "inputs")
        bl = bench.group(
            {
                "reports v2 blocks": build(v2_src, "-f", "pdf,docx"),
                "reports v1 text": build(v1_src, "-f", "pdf,docx"),
            },
            example_reps,
            warmup=True,
        )
        for m in bl.values():
            m.label = f"{m.label}, PDF+DOCX"
        raw += bl.values()
        v2m, v1m = bl["reports v2 blocks"], bl["reports v1 text"]
        blocks_ratio = v2m.median / v1m.median if v2m.ok and v1m.ok else None
        rows.append(
            Row(
                "version 2 memo with every block, PDF+DOCX (cold CLI)",
                cell(v2m),
                cell(v1m),
                f"{blocks_ratio:.2f}x" if blocks_ratio else "—",
                rss_cell(v2m, v1m),
                "floor column: the same words as a version 1 memo (paragraphs and bullets)",
            )
        )
        targets.append(
            Target(
                "Version 2 memo with every block type ≤ 1.3x a version 1 memo of the same "
                "length (cold, PDF+DOCX)",
                verdict(None if blocks_ratio is None else blocks_ratio <= 1.3),
                f"{blocks_ratio:.2f}x" if blocks_ratio else "not measured",
            )
        )

        # -- one chart against none
        log("cold build of a memo with one chart against the same memo without it")
        row, target, measures = chart_scenario(bench, work / "inputs", example_reps)
        rows.append(row)
        targets.append(target)
        raw += measures
        log("cold build of the memo with its timeline drawn and tabled against the table")
        row, target, measures = timeline_scenario(bench, work / "inputs", example_reps)
        rows.append(row)
        targets.append(target)
        raw += measures

        # -- the round trip: review a returned DOCX, redline two versions
        log("review and redline of the example memo")
        rows += round_trip(bench, work / "inputs", example_reps)

        # -- long timelines
        per_row: dict[tuple[str, int], float] = {}
        tl: dict[tuple[str, int], tuple[Measure, Measure]] = {}
        for n in sizes:
            src = timelines[n]
            log(f"timeline of {n} rows ({reps[n]} run(s) each)")
            ms = bench.group(
                {
                    "reports pdf": build(src, "-f", "pdf"),
                    "floor pdf": floor("floor_pdf.py", src, ".pdf"),
                    "reports docx": build(src, "-f", "docx"),
                    "floor docx": floor("floor_docx.py", src, ".docx"),
                },
                reps[n],
                {"floor pdf": args.floor_timeout} if n >= 50_000 else None,
            )
            for m in ms.values():
                m.label = f"{m.label}, {n} rows"
            raw += ms.values()
            for fmt, label in (("pdf", "PDF"), ("docx", "DOCX")):
                r, f = ms[f"reports {fmt}"], ms[f"floor {fmt}"]
                tl[(fmt, n)] = (r, f)
                if r.ok and f.ok:
                    ratio = f"{r.median / f.median:.2f}x"
                elif r.ok and f.timed_out:
                    ratio = f"< {r.median / f.runs[-1].wall:.2f}x"
                else:
                    ratio = "—"
                notes = []
                if r.ok:
                    # Marginal cost per row: the example memo's cold build (start-up, imports,
                    # fonts) is taken off, so 1k rows is not flattered by dividing start-up.
                    base = ex[f"reports {fmt}"].median if ex[f"reports {fmt}"].ok else 0.0
                    per_row[(fmt, n)] = max(r.median - base, 1e-9) / n
                    notes.append(f"reports {per_row[(fmt, n)] * 1000:.3f} ms/row beyond start-up")
                if f.ok:
                    notes.append(f"floor {f.median / n * 1000:.3f} ms/row")
                elif f.timed_out:
                    notes.append(
                        f"floor stopped at the {f.runs[-1].wall:.0f} s cap (ReportLab's "
                        "Table re-measures the remaining rows at each page break: quadratic)"
                    )
                rows.append(
                    Row(
                        f"timeline {n // 1000}k rows, {label}",
                        cell(r),
                        cell(f),
                        ratio,
                        rss_cell(r, f),
                        "; ".join(notes),
                    )
                )
        if quick:
            rows.append(Row("timeline 50k rows", "—", "—", "—", "—", "skipped in --quick mode"))

        r10, f10 = tl[("pdf", 10_000)]
        if r10.ok and f10.ok:
            x = r10.median / f10.median
            targets.append(
                Target(
                    "10k-row timeline PDF ≤ 0.5x the ReportLab floor",
                    verdict(x <= 0.5),
                    f"{x:.2f}x",
                )
            )
        else:
            targets.append(
                Target("10k-row timeline PDF ≤ 0.5x the ReportLab floor", "—", "not measured")
            )
        d10 = tl[("docx", 10_000)][0]
        targets.append(
            Target(
                "10k-row timeline DOCX ≤ 1.0 s (whole process)",
                verdict(d10.median <= 1.0) if d10.ok else "—",
                fmt_s(d10.median) if d10.ok else d10.problem,
            )
        )
        for fmt, label in (("pdf", "PDF"), ("docx", "DOCX")):
            text = f"50k-row timeline {label} finishes, time per row ≤ 1.2x that at 1k rows"
            if 50_000 not in sizes:
                targets.append(Target(text, "—", "not measured (--quick skips 50k)"))
                continue
            r50 = tl[(fmt, 50_000)][0]
            if not r50.ok:
                targets.append(Target(text, "not met", f"50k: {r50.problem}"))
            elif (fmt, 1_000) not in per_row:
                targets.append(Target(text, "—", "1k not measured"))
            else:
                x = per_row[(fmt, 50_000)] / per_row[(fmt, 1_000)]
                targets.append(
                    Target(
                        text,
                        verdict(x <= 1.2),
                        f"{per_row[(fmt, 50_000)] * 1000:.3f} vs "
                        f"{per_row[(fmt, 1_000)] * 1000:.3f} ms/row = {x:.2f}x",
                    )
                )

        # -- batch of small memos
        log(f"batch of {BATCH} memos ({batch_reps} run(s) each)")
        bm = bench.group(
            {
                "reports --jobs 1": build(batch, "--jobs", "1"),
                "reports --jobs 2": build(batch, "--jobs", "2"),
            },
            batch_reps,
        )
        for m in bm.values():
            m.label = f"{m.label}, batch of {BATCH}"
        raw += bm.values()
        j1, j2 = bm["reports --jobs 1"], bm["reports --jobs 2"]
        speedup = j1.median / j2.median if j1.ok and j2.ok else None
        for jobs, m in ((1, j1), (2, j2)):
            note = f"{BATCH / m.median:.1f} memos/s" if m.ok else m.problem
            if jobs == 2 and speedup:
                note += f"; throughput {speedup:.2f}x --jobs 1"
            rows.append(
                Row(f"batch of {BATCH} memos, --jobs {jobs}", cell(m), "—", "—", rss_cell(m), note)
            )
        targets.append(
            Target(
                f"Batch of {BATCH} with --jobs 2 ≥ 1.7x the throughput of --jobs 1",
                verdict(None if speedup is None else speedup >= 1.7),
                f"{speedup:.2f}x" if speedup else "not measured",
            )
        )

        # -- warm, in-process
        log("warm in-process render (pytest-benchmark)")
        result_json = work / "warm.json"
        pytest_cmd = [
            sys.executable,
            "-m",
            "pytest",
            str(BENCH / "test_warm.py"),
            "--benchmark-only",
            f"--benchmark-json={result_json}",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",  # in this process: the suite's addopts spread tests over cores (xdist)
        ]
        if quick:
            pytest_cmd += ["--benchmark-max-time=0.3", "--benchmark-min-rounds=5"]
        warm = bench.group({"pytest bench/test_warm.py": lambda _out: pytest_cmd}, 1)
        wm = warm["pytest bench/test_warm.py"]
        raw.append(wm)
        medians: dict[str, tuple[float, int]] = {}
        if wm.ok and result_json.is_file():
            for b in json.loads(result_json.read_text("utf-8"))["benchmarks"]:
                medians[b["param"]] = (b["stats"]["median"], b["stats"]["rounds"])
        for fmt, label, limit in (("pdf", "PDF", 0.010), ("docx", "DOCX", 0.020)):
            text = f"Warm in-process ≤ {limit * 1000:.0f} ms per memo, {label}"
            if fmt not in medians:
                rows.append(Row(f"warm in-process, {label}", "failed", "—", "—", "—", wm.problem))
                targets.append(Target(text, "—", "not measured"))
                continue
            med, rounds = medians[fmt]
            rows.append(
                Row(
                    f"warm in-process, {label} (per memo)",
                    fmt_ms(med),
                    "—",
                    "—",
                    rss_cell(wm),
                    f"pytest-benchmark median of {rounds} rounds; RSS: the pytest process",
                )
            )
            targets.append(Target(text, verdict(med <= limit), fmt_ms(med)))
    finally:
        if args.keep:
            log(f"inputs and outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    runs_note = (
        "quick smoke run: 1 repetition of each, 50k-row timeline skipped"
        if quick
        else f"example: {example_reps} runs; 1k rows: {small}; 10k rows: {reps[10_000]}; "
        f"50k rows: 1; batch: {batch_reps}"
    )
    lines = [
        f"# reports benchmark{' (--quick)' if quick else ''}",
        "",
        *header,
        f"- Repetitions: {runs_note}; each figure is the median of whole-process runs "
        "(`/usr/bin/time -v`) unless marked warm; reports and the floors run compiled "
        "bytecode (`compileall` first, `PYTHONDONTWRITEBYTECODE` unset)",
        f"- Commands: `{' '.join(reports_command())} build ...`; floors as "
        f"`{sys.executable} bench/floor_pdf.py|floor_docx.py IN OUT`",
        "",
        "| scenario | reports median | floor median | ratio | peak RSS (reports / floor) | notes |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r.scenario} | {r.reports} | {r.floor} | {r.ratio} | {r.rss} | {r.notes} |"
            for r in rows
        ),
        "",
        "ratio = reports median / floor median (below 1: reports is faster). Floors are "
        "`bench/floor_pdf.py` (ReportLab platypus) and `bench/floor_docx.py` (python-docx). "
        "Peak RSS is the largest single process (for `--jobs 2`, the largest of the parent "
        "and its workers, not their sum).",
        "",
        "## Targets",
        "",
        "| target | result | measured |",
        "|---|---|---|",
        *(f"| {t.text} | {t.status} | {t.detail} |" for t in targets),
        "",
        "## Raw runs (wall seconds)",
        "",
        *(
            f"- {m.label}: "
            + (
                ", ".join(
                    "timeout"
                    if r.timed_out
                    else f"{r.wall:.2f}" + ("" if r.exit_code == 0 else "!")
                    for r in m.runs
                )
                or "not run"
            )
            for m in raw
        ),
        "",
        f"- Load average at end (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    log(f"wrote {args.output}")
    failed = [m.label for m in raw if not m.ok and not m.timed_out]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
