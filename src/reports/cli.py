"""Command line: ``reports build | validate | watch | init | …``. Expected errors print as messages.

Exit codes: 0 success; 1 a build failed although its input was valid, or, with ``--check``,
outputs are missing or stale; 2 invalid input or usage (fact base, template, style, options,
output folder). A Python traceback means a bug in ``reports`` itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import (
    EXIT_BUILD_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID_INPUT,
    Problem,
    ReportError,
    UsageError,
    safe_line,
)
from .yamlsrc import Limits

if TYPE_CHECKING:
    from .build import BatchOutcome, BuildOptions, FactFile, MemoResult

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("output")


def say(line: str, err: bool = False) -> None:
    """Print one line of output, made safe for any log (see :func:`errors.safe_line`)."""
    click.echo(safe_line(line), err=err)


class _Problems:
    """Prints problems: one line each on standard error and, with annotations on, each
    also as a GitHub workflow command, which marks the line in the pull request's diff.

    Annotations go to standard error too: the runner reads workflow commands from both
    streams (actions/runner, ``ScriptHandler``), and standard output may be JSON.
    """

    def __init__(self, annotations: str = "auto") -> None:
        on_github = os.environ.get("GITHUB_ACTIONS") == "true"
        self.github = annotations == "github" or (annotations == "auto" and on_github)

    def show(self, problems: Iterable[Problem], before: Callable[[], None] | None = None) -> None:
        """Print each problem; ``before()`` is called ahead of each (to leave a progress bar)."""
        for problem in problems:
            if before is not None:
                before()
            say(str(problem), err=True)
            if self.github:
                from .build.ci import annotation

                click.echo(annotation(problem), err=True)


def _fail(error: ReportError, problems: _Problems | None = None) -> int:
    (problems or _Problems()).show(error.problems)
    return error.exit_code


def _echo_json(data: object) -> None:
    """Print ``data`` as JSON. ``##[`` becomes ``##\\u005b`` (the same JSON): on GitHub
    Actions the runner would read ``##[name]`` anywhere in a line as a command."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(text.replace("##[", "##\\u005b"))


def _annotations_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--annotations",
        type=click.Choice(["auto", "github", "none"]),
        default="auto",
        show_default=True,
        help="Also print each problem as a GitHub workflow command, which annotates the "
        "pull request's files; auto: when GITHUB_ACTIONS=true.",
    )(func)


def _summary_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--summary-md",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar="FILE",
        help="Also write a Markdown table of the memos (status, pages, problems) to FILE, "
        'replacing it, even when memos fail; on GitHub: "$GITHUB_STEP_SUMMARY".',
    )(func)


def _summary_target(file: Path, out_dir: Path) -> None:
    """Refuse a --summary-md that would overwrite what a build reads or writes: a memo,
    the manifest, a fact base."""
    inside = file.resolve().is_relative_to(out_dir.resolve())
    if file.suffix.lower() in (".yaml", ".yml") or (inside and file.suffix.lower() != ".md"):
        raise UsageError(
            f"--summary-md {file}: would overwrite a fact base or a file of the build in "
            f"{out_dir}; name a .md file (for example summary.md)"
        )


def _write_summary(file: Path, text: str, problems: _Problems) -> int:
    """Write a summary; return the exit code its failure calls for (0 when written)."""
    from .build import write_files

    try:
        write_files({file: text.encode("utf-8")})
    except ReportError as exc:
        return _fail(exc, problems)
    return 0


def _sources(facts: tuple[str, ...]) -> list[FactFile]:
    from .build import discover

    if not facts:
        if not DEFAULT_DATA.is_dir():
            raise UsageError(
                "no fact bases given and no data/ folder here; name the YAML files to build"
            )
        facts = (str(DEFAULT_DATA),)
    found = discover(facts)  # a named file that does not exist stays, to fail as one memo
    if not found:
        raise UsageError(f"no .yaml fact bases in {', '.join(facts)}")
    return found


def _limits_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the input-size caps shared by every command that reads fact bases."""
    defaults = Limits()
    for name, kind, value, text in reversed(
        [
            ("--max-bytes", click.IntRange(1), defaults.max_bytes, "Largest fact-base file."),
            (
                "--max-nodes",
                click.IntRange(1),
                defaults.max_nodes,
                "Most values in a fact base, after expanding aliases.",
            ),
            (
                "--max-aliases",
                click.IntRange(0),
                defaults.max_aliases,
                "Most YAML aliases (*name) in a fact base.",
            ),
        ]
    ):
        func = click.option(name, type=kind, default=value, show_default=True, help=text)(func)
    return func


def _style_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that decide what a build accepts, shared by build, validate, watch."""
    options = [
        click.option(
            "--format",
            "-f",
            "formats",
            default="pdf,docx",
            show_default=True,
            help="Comma-separated formats to write: pdf, docx.",
        ),
        click.option(
            "--template",
            "-t",
            "template_dir",
            default=None,
            type=click.Path(path_type=Path),
            help="Template folder holding memo.xml.j2 (and house-style.yaml).",
        ),
        click.option(
            "--style",
            "-s",
            "styles",
            multiple=True,
            type=click.Path(path_type=Path),
            help="House-style file merged over the template's (repeatable).",
        ),
        click.option(
            "--reference-docx",
            default=None,
            type=click.Path(path_type=Path),
            help="Word document whose styles the DOCX uses.",
        ),
        click.option(
            "--lang",
            "langs",
            default="",
            metavar="LANGS",
            help="Comma-separated languages to build (e.g. ko,en); default: every language "
            "each fact base is written in. A fact base written in several languages gives "
            "files named NAME-<lang>.pdf.",
        ),
        click.option(
            "--allow-missing-glyphs",
            is_flag=True,
            help="Warn, instead of failing, about characters no font can draw.",
        ),
        click.option(
            "--root",
            default=None,
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder that every file a fact base or style names must lie in "
            "[default: the repository holding it, else its folder].",
        ),
        click.option(
            "--debug",
            is_flag=True,
            help="Show the traceback of an internal error (a bug in reports).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return _limits_options(func)


def _build_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that say where and how to write, shared by ``build`` and ``watch``."""
    func = click.option("--draft", is_flag=True, help="Watermark every page DRAFT.")(func)
    func = click.option(
        "--pdfa", is_flag=True, help="Write PDF/A-2b (archival) PDFs; they are PDF/UA-1 anyway."
    )(func)
    func = _out_option(func)
    return _style_options(func)


def _out_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--out``: the folder to write into (``build``, ``watch``, ``redline``)."""
    return click.option(
        "--out",
        "-o",
        "out_dir",
        default=str(DEFAULT_OUT),
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder to write into.",
    )(func)


def _options(**kw: Any) -> BuildOptions:
    from .build import BuildOptions, parse_formats, parse_langs

    template_dir: Path | None = kw["template_dir"]
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"template folder {template_dir} does not exist")
    return BuildOptions(
        formats=parse_formats(kw["formats"]),
        template_dir=template_dir,
        style_overrides=tuple(kw["styles"]),
        reference_docx=kw["reference_docx"],
        draft=kw.get("draft", False),
        pdfa=kw.get("pdfa", False),
        allow_missing_glyphs=kw["allow_missing_glyphs"],
        langs=parse_langs(kw["langs"]),
        root=kw["root"],
        limits=Limits(
            max_bytes=kw["max_bytes"], max_nodes=kw["max_nodes"], max_aliases=kw["max_aliases"]
        ),
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="reports")
def cli() -> None:
    """Turn YAML fact bases into PDF briefing memos and editable Word documents."""


@cli.command()
@click.argument("facts", nargs=-1, type=click.Path(path_type=str))
@_build_options
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if an output is missing, stale or edited since built, or "
    "left by a fact base that is gone.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the outputs and manifest entries of fact bases that are gone.",
)
@click.option(
    "--shard",
    metavar="I/N",
    default=None,
    help="Build only shard I of N (1 <= I <= N): a share of the fact bases fixed by their "
    "paths, for builds split over CI runners; combine with 'reports manifest merge'.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=None,
    help="Fact bases built at once, in separate processes.  [default: CPU cores]",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the results as JSON on standard output."
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite outputs edited since they were built (see reports review).",
)
@_annotations_option
@_summary_option
def build(
    facts: tuple[str, ...],
    check: bool,
    prune: bool,
    shard: str | None,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
    annotations: str,
    summary_md: Path | None,
    force: bool,
    **kw: Any,
) -> None:
    """Build memos from FACTS (YAML files or folders; default: data/) into --out.

    Every fact base is attempted even when one fails. Prints each file written, then a
    summary; problems go to standard error, one per line, as file:line:col: field: message.
    Writes OUT/manifest.json with the sha256 of every input and output. An output changed
    since it was built (a DOCX edited in Word) is not overwritten unless --force.
    """
    from .build import in_shard, parse_shard, run

    started = time.monotonic()
    problems = _Problems(annotations)
    try:
        if check and prune:
            raise UsageError("--check writes nothing and --prune removes files; use one")
        options = _options(**kw)
        share = parse_shard(shard) if shard is not None else None
        sources = _sources(facts)
        if summary_md is not None:
            _summary_target(summary_md, kw["out_dir"])
    except ReportError as exc:
        sys.exit(_fail(exc, problems))
    total = len(in_shard(sources, share))
    jobs = min(jobs or os.cpu_count() or 1, max(1, total))
    show = _Progress(total, quiet or as_json, check, problems, kw["debug"])
    try:
        outcome = run(
            sources,
            kw["out_dir"],
            options,
            jobs=jobs,
            mode="check" if check else "build",
            on_result=show.result,
            roots=_folders(facts),
            prune=prune,
            shard=share,
            force=force,
        )
    except ReportError as exc:
        sys.exit(_fail(exc, problems))
    finally:
        show.close()
    problems.show(outcome.problems)
    for orphan in outcome.orphans:
        if prune:
            if not (quiet or as_json):
                for file in orphan.files:
                    say(f"removed {file} (its fact base {orphan.source} is gone)")
        else:
            # in a build, a note; in a check, a failure
            for line in orphan.lines(kw["out_dir"]):
                say(line if check else f"{line} (warning)", err=True)
    elapsed = time.monotonic() - started
    results = outcome.results
    if summary_md is not None:
        title = (
            "reports build" + (" --check" if check else "") + (f" --shard {share}" if share else "")
        )
        text = _markdown(title, outcome, kw["out_dir"])
        outcome.exit_code = max(outcome.exit_code, _write_summary(summary_md, text, problems))
    if as_json:
        _echo_json(_summary(outcome, elapsed, check))
    elif outcome.interrupted or (not quiet and (len(results) > 1 or check or share)):
        line = _summary_line(outcome, elapsed, check)
        say(f"shard {share}: {line}" if share else line, err=True)
    if outcome.interrupted:
        say(
            f"interrupted: {total - len(results)} of {total} memos not built; "
            "each memo's files are as they were or complete",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(outcome.exit_code)


def _markdown(title: str, outcome: BatchOutcome, out_dir: Path) -> str:
    """The build's summary table: each memo's row, each stale output and orphan named."""
    from .build.ci import summary_markdown
    from .build.files import shown
    from .build.manifest import entry

    notes = {shown(r.source): r.stale for r in outcome.results if r.stale}
    notes.update({o.source: o.lines(out_dir) for o in outcome.orphans})
    return summary_markdown(title, [entry(r) for r in outcome.results], notes)


def _folders(facts: tuple[str, ...]) -> list[Path]:
    """The folders among FACTS (default: data/), where fact bases that are gone are sought."""
    return [p for p in map(Path, facts or (str(DEFAULT_DATA),)) if p.is_dir()]


def _summary(outcome: BatchOutcome, elapsed: float, check: bool) -> dict[str, Any]:
    results = outcome.results
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {
        "check": check,
        "memos": len(results),
        "counts": counts,
        "files": sum(len(r.outputs) for r in results),
        "seconds": round(elapsed, 3),
        "problems": [p.as_json() for p in outcome.problems],
        "orphans": [
            {"source": o.source, "files": [str(f) for f in o.files]} for o in outcome.orphans
        ],
        "results": [r.as_json() for r in results],
    }


def _summary_line(outcome: BatchOutcome, elapsed: float, check: bool) -> str:
    results = outcome.results
    failed = sum(r.status == "failed" for r in results)
    if check:
        stale = sum(r.status == "stale" for r in results)
        edited = sum(r.status == "edited" for r in results)
        ok = sum(r.status == "up-to-date" for r in results)
        orphans = f", {len(outcome.orphans)} orphaned" if outcome.orphans else ""
        return (
            f"checked {len(results)} memos in {elapsed:.1f} s: {ok} up to date, "
            f"{stale} stale, "
            + (f"{edited} edited since built, " if edited else "")
            + f"{failed} failed{orphans}"
        )
    built = sum(r.status == "built" for r in results)
    files = sum(len(r.outputs) for r in results)
    return f"built {built} of {len(results)} memos ({files} files) in {elapsed:.1f} s" + (
        f"; {failed} failed" if failed else ""
    )


class _Progress:
    """Per-memo lines in logs; a progress bar on a terminal for batches."""

    def __init__(
        self, total: int, quiet: bool, check: bool, problems: _Problems, debug: bool = False
    ) -> None:
        self.problems = problems
        self.debug = debug
        self.quiet = quiet
        self.check = check
        self.bar: Any = None
        if not quiet and total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr)
            self.bar.__enter__()

    def result(self, r: MemoResult) -> None:
        self.problems.show(r.problems, self._leave_bar)
        if self.debug and r.traceback:
            for line in r.traceback.rstrip().splitlines():
                self._err(line)
        for line in r.stale:
            self._err(line)
        if not self.quiet and self.bar is None:
            if self.check and r.status == "up-to-date":
                say(f"{r.source}: up to date")
            elif not self.check:
                for out in r.outputs:
                    say(str(out["path"]))
        if self.bar is not None:
            self.bar.update(1)

    def _err(self, line: str) -> None:
        self._leave_bar()
        say(line, err=True)

    def _leave_bar(self) -> None:
        if self.bar is not None:
            click.echo("", err=True)  # leave the bar's line before printing

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("facts", nargs=-1, type=click.Path(path_type=str))
@_style_options
@click.option(
    "--json", "as_json", is_flag=True, help="Print the results as JSON on standard output."
)
@_annotations_option
def validate(facts: tuple[str, ...], as_json: bool, annotations: str, **kw: Any) -> None:
    """Check FACTS (YAML files or folders; default: data/) without building anything.

    Runs every check a build runs, with the same options (fonts, languages, formats), so
    ok here means build accepts the fact base. A fact base written in several languages is
    checked in each of them.
    """
    from .build import run

    started = time.monotonic()
    problems = _Problems(annotations)
    try:
        options = _options(**kw)
        sources = _sources(facts)
        outcome = run(sources, None, options, mode="validate")
    except ReportError as exc:
        sys.exit(_fail(exc, problems))
    for r in outcome.results:
        problems.show(r.problems)
        if kw["debug"] and r.traceback:
            for line in r.traceback.rstrip().splitlines():
                say(line, err=True)
        if r.status == "valid" and not as_json:
            say(f"{r.source}: ok")
    if as_json:
        elapsed = time.monotonic() - started
        _echo_json(_summary(outcome, elapsed, False))
    sys.exit(outcome.exit_code)


@cli.command()
@click.argument("facts", nargs=-1, type=click.Path(path_type=str))
@_build_options
@click.option(
    "--interval",
    type=click.FloatRange(0.05),
    default=0.3,
    show_default=True,
    help="Seconds to wait for more changes before rebuilding.",
)
@click.option("--once", is_flag=True, hidden=True, help="Build once and stop (for tests).")
def watch(facts: tuple[str, ...], interval: float, once: bool, **kw: Any) -> None:
    """Rebuild FACTS whenever they, the template or the style change. Stop with Ctrl-C.

    Fact bases added to a folder in FACTS are followed, deleted ones forgotten. Problems
    are printed as they appear (on a terminal, the screen shows only the current ones);
    the last good memo stays in place meanwhile.
    """
    from .build import prepare_out_dir
    from .build.watch import Plan, Watcher

    try:
        options = _options(**kw)
        sources = _sources(facts)
        prepare_out_dir(kw["out_dir"])
    except ReportError as exc:
        sys.exit(_fail(exc))
    # on a terminal the screen is redrawn after each round, showing only current problems
    live = sys.stdout.isatty() and sys.stderr.isatty() and not once
    watcher = Watcher(
        sources,
        kw["out_dir"],
        options,
        say,
        roots=_folders(facts),
        clear=click.clear if live else None,
    )
    if once:
        watcher.handle(Plan(tuple(f.path for f in sources), reload=True))
        return
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how watching stops
        watcher.run(interval)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def template(folder: Path) -> None:
    """Copy the shipped template folder to FOLDER, to customise it.

    FOLDER holds the memo template, the message catalogues, the house styles and the fonts;
    build with --template FOLDER. An existing FOLDER is never overwritten.
    """
    import shutil

    from .resources import default_templates

    if folder.exists():
        sys.exit(_fail(UsageError(f"{folder} already exists; name a new folder")))
    try:
        shutil.copytree(default_templates(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    except OSError as exc:
        sys.exit(_fail(UsageError(f"cannot copy the templates to {folder}: {exc.strerror}")))
    say(f"copied the templates to {folder}; build with --template {folder}")


@cli.command()
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option(
    "--install",
    default=None,
    metavar="SPEC",
    help="What the CI workflow pip-installs to get reports (a version, a wheel's URL, "
    "'reports @ git+https://…@<commit>'). [default: where this reports came from, when "
    "pip recorded it]",
)
def init(folder: Path, install: str | None) -> None:
    """Start a memo repository in FOLDER (default: here).

    Writes a starter fact base (data/memo.yaml), the fact-base schema editors complete it
    with, a .gitignore for output/, the CI workflow and a pre-commit configuration. Files
    already there are kept. Then: reports build.
    """
    from .starter import install_spec, scaffold

    known = install is not None
    if install is None:
        install, known = install_spec()
    try:
        done = scaffold(folder, install)
    except ReportError as exc:
        sys.exit(_fail(exc))
    for path in done.written:
        say(f"wrote {path}")
    for path in done.kept:
        say(f"kept {path} (already there)")
    if not known:
        say(
            f"note: the workflow installs {install}; if reports is not on your package index "
            "under that name, set REPORTS_INSTALL in .github/workflows/memos.yml (or run "
            "init with --install)",
            err=True,
        )
    where = "" if folder == Path(".") else f"cd {folder} && "
    say(f"next: {where}reports build")


@cli.group()
def manifest() -> None:
    """Work with build manifests (OUT/manifest.json)."""


@manifest.command()
@click.argument("parts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The manifest to write (e.g. output/manifest.json).",
)
@_summary_option
def merge(parts: tuple[Path, ...], out: Path, summary_md: Path | None) -> None:
    """Combine the manifests of a build split with --shard into one.

    PARTS are the shards' output folders (or their manifest.json files), every shard
    once. The result is byte for byte the manifest one full build writes; it is refused
    when the shards were built with other tool or library versions or settings, or one
    is missing.
    """
    from .build.manifest import merge as merge_manifests

    try:
        if summary_md is not None:
            _summary_target(summary_md, out.parent)
        memos = merge_manifests(list(parts), out)
    except ReportError as exc:
        sys.exit(_fail(exc))
    say(f"merged {len(parts)} manifests ({len(memos)} memos) into {out}")
    if summary_md is not None:
        from .build.ci import summary_markdown

        text = summary_markdown("reports manifest merge", memos)
        sys.exit(_write_summary(summary_md, text, _Problems()))


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the fact-base JSON Schema, for editors to complete and check YAML files."""
    from .model import json_schema
    from .resources import catalogue_languages

    text = json.dumps(json_schema(catalogue_languages()), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    from .build import write_files

    try:
        write_files({output: text.encode("utf-8")})
    except ReportError as exc:
        sys.exit(_fail(exc))


@cli.command()
@click.argument("facts", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing; exit 1 if a file would be migrated (for CI).",
)
def migrate(facts: tuple[str, ...], check: bool) -> None:
    """Rewrite version 1 fact bases as version 2, in place, without changing their words.

    Text that version 2 would read as markup (* _ [ ] \\ and list marks at a line's
    start) is escaped with a backslash; comments, key order and quoting are kept. Each
    file is read back and compared before it is replaced.
    """
    from .build import write_files
    from .build.files import shown
    from .migrate import migrate_file

    try:
        sources = _sources(facts)
    except ReportError as exc:
        sys.exit(_fail(exc))
    failed = pending = 0
    for path in (f.path for f in sources):
        try:
            result = migrate_file(path)
        except ReportError as exc:
            _fail(exc)
            failed += 1
            continue
        if result.already:
            say(f"{shown(path)}: already version 2")
            continue
        pending += 1
        escaped = f"; escaped {len(result.escaped)} text(s) that would read as markup"
        if check:
            say(f"{shown(path)}: would be migrated to version 2{escaped if result.escaped else ''}")
            continue
        try:
            write_files({path: result.text.encode("utf-8")})
        except ReportError as exc:
            _fail(exc)
            failed += 1
            continue
        say(f"{shown(path)}: migrated to version 2{escaped if result.escaped else ''}")
        for field in result.escaped:
            say(f"  {field}")
        if result.kept:
            say(
                f"{shown(path)}: {len(result.kept)} text(s) given once in one language are "
                "now marked {all: …} and print as before; translate them:"
            )
            for field in result.kept:
                say(f"  {field}")
    if failed:
        sys.exit(EXIT_INVALID_INPUT)
    if check and pending:
        sys.exit(EXIT_BUILD_FAILED)


@cli.command()
@click.argument("docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--facts",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The fact base to compare with [default: the one the DOCX was built from].",
)
@click.option("--apply", "apply_", is_flag=True, help="Write the changes into the fact base.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def review(docx: Path, facts: Path | None, apply_: bool, as_json: bool) -> None:
    """Report what colleagues changed in DOCX (a memo built by reports), per field.

    Tracked insertions and deletions (with author and date), untracked edits, added and
    deleted list items, comments, and edits outside any field ("not mapped; apply by
    hand"), one line each as file:line:col: field: what changed. --apply writes the
    changes into the fact base, touching only the lines that change.
    """
    from .roundtrip.apply import review_file

    try:
        outcome = review_file(docx, facts, apply=apply_)
    except ReportError as exc:
        sys.exit(_fail(exc))
    for line in outcome.warnings:
        say(line, err=True)
    if as_json:
        report = {"docx": str(docx), "facts": str(outcome.facts), "changes": outcome.records}
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for line in outcome.lines:
            say(line)
        if not outcome.lines:
            say(f"{docx}: no changes")
    if apply_:
        left = f"; {outcome.by_hand} to apply by hand" if outcome.by_hand else ""
        say(f"{outcome.name}: applied {outcome.applied} change(s){left}", err=as_json)
        if not outcome.by_hand:
            from .build.manifest import accept_edits

            # its edits are home: the next build may replace the returned file
            if accept_edits(docx) is not None:
                say(
                    f"{docx}: its edits are in the fact base; the next build replaces it",
                    err=as_json,
                )


@cli.command()
@click.argument("old", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--since",
    metavar="REV",
    default=None,
    help="Compare NEW (the only file given) with its version at this git revision.",
)
@_out_option
@click.option(
    "--author", default="reports", show_default=True, help="Whom the tracked changes name."
)
def redline(
    old: Path | None, new: Path | None, since: str | None, out_dir: Path, author: str
) -> None:
    """Write NAME-redline.docx and .pdf: the memo of NEW with what changed since OLD marked.

    The DOCX holds the differences as tracked changes (word by word), which Word and
    LibreOffice list and can accept or reject; the PDF underlines insertions and strikes
    deletions through, in colour, with change bars in the margin. With --since REV, give
    one fact base: it is compared with its own version at that git revision.
    """
    from .roundtrip.redline import redline_files

    try:
        if since is not None:
            if old is None or new is not None:
                raise UsageError(
                    "with --since, name one fact base: reports redline FILE --since REV"
                )
            old, new = None, old
        elif old is None or new is None:
            raise UsageError("name the old and the new fact base (or one, with --since REV)")
        assert new is not None
        written = redline_files(old, new, out_dir, since=since, author=author)
    except ReportError as exc:
        sys.exit(_fail(exc))
    for path, marked in written:
        say(str(path) + ("" if marked else " (no differences)"))


def main(argv: list[str] | None = None) -> Any:
    """Entry point for the ``reports`` console script."""
    # Pydantic plugins installed in the environment must not change how fact bases are
    # validated; skipping their discovery also spares a scan of every installed package.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        return cli.main(args=argv, prog_name="reports", standalone_mode=True)
    except KeyboardInterrupt:  # Ctrl-C outside a batch (a batch reports its own)
        say("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug outside any one memo: one line, not a traceback
        from .build.batch import internal_error

        if "--debug" in (sys.argv[1:] if argv is None else argv):
            import traceback

            traceback.print_exc()
        say(str(internal_error("reports", exc)), err=True)
        sys.exit(EXIT_BUILD_FAILED)
