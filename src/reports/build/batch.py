"""Batches: every fact base attempted, in one process or several, then the manifest.

One failure stops none of the rest; each fact base's outcome is a :class:`MemoResult`, plain
data that crosses process boundaries. :func:`run` is what the command line calls.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import re
import signal
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from ..errors import (
    EXIT_BUILD_FAILED,
    EXIT_INVALID_INPUT,
    Problem,
    ReportError,
    SourceLocation,
    UsageError,
    printable,
)
from .builder import Builder
from .files import (
    FactFile,
    name_problem,
    output_stem,
    prepare_out_dir,
    safe_path,
    sha256_file,
    shown,
    write_files,
)
from .options import BuildOptions, Shard

if TYPE_CHECKING:
    from .manifest import Orphan

Mode = Literal["build", "check", "validate"]
"""``build`` writes files; ``check`` compares with what is on disk; ``validate`` renders
nothing and only checks the fact base."""
Status = Literal["built", "failed", "up-to-date", "stale", "edited", "valid"]


@dataclass(slots=True)
class MemoResult:
    """What happened to one fact base in a batch; plain data, so it crosses processes."""

    source: str
    status: Status
    outputs: list[dict[str, object]] = field(default_factory=list)
    """One entry per file: format, path, file (name inside the output folder), sha256, bytes,
    and pages for a format that lays out pages."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Path → sha256 of each input file."""
    problems: list[Problem] = field(default_factory=list)
    """Errors, and warnings let through by options, sorted by place."""
    stale: list[str] = field(default_factory=list)
    """With ``--check``: ``missing: path``, ``stale: path`` or ``edited since built: path``
    lines."""
    kept: list[dict[str, object]] = field(default_factory=list)
    """Outputs left as they were (edited since built): the manifest keeps recording them."""
    exit_code: int = 0
    traceback: str = ""
    """For an internal error (a bug in reports), the traceback, shown under ``--debug``."""

    @property
    def errors(self) -> list[str]:
        """The errors as lines of text."""
        return [str(p) for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[str]:
        """The warnings as lines of text."""
        return [str(p) for p in self.problems if p.severity == "warning"]

    def as_json(self) -> dict[str, object]:
        """The result as JSON-ready data, problems as ``{file, line, …}`` objects."""
        return {
            "source": self.source,
            "status": self.status,
            "exit_code": self.exit_code,
            "outputs": self.outputs,
            "inputs": self.inputs,
            "problems": [p.as_json() for p in self.problems],
            "stale": self.stale,
            "traceback": self.traceback,
        }


def _failed(source: str, problems: list[Problem], exit_code: int, **more: Any) -> MemoResult:
    return MemoResult(source, "failed", problems=problems, exit_code=exit_code, **more)


@dataclass(frozen=True, slots=True)
class Task:
    """One fact base to process, as sent to a worker."""

    source: Path
    out_dir: Path | None
    """The output folder (its root: the manifest's folder); ``None`` to validate only."""
    mode: Mode
    folder: PurePosixPath = PurePosixPath()  # noqa: RUF009 - immutable
    """The folder inside ``out_dir`` that this memo's files go to."""
    force: bool = False
    """Overwrite outputs edited since they were built (see ``reports review``)."""


@dataclass(slots=True)
class Rendered:
    """A memo rendered but not yet written: the result so far and the files' bytes."""

    result: MemoResult
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Target path → (format, bytes), every language and format of the memo."""
    pages: dict[str, int] = field(default_factory=dict)
    """Target path → page count, for the formats that lay out pages."""


def render_task(builder: Builder, task: Task) -> Rendered:
    """Check and render one fact base, writing nothing; expected errors become the result.

    Runs in a worker process for ``--jobs``: writing is left to the main process, which
    can then stop the workers at any moment (Ctrl-C, a worker killed by the system)
    without leaving a memo's files half-replaced.
    """
    source = task.source
    try:
        bad_name = name_problem(source)
        if bad_name:
            where = SourceLocation(safe_path(source))
            return Rendered(_failed(safe_path(source), [Problem(where, bad_name)],
                                    EXIT_INVALID_INPUT))  # fmt: skip
        checked = builder.check(source)
        warnings = [dataclasses.replace(w, severity="warning") for w in checked.warnings]
        result = MemoResult(str(source), "built", problems=warnings)
        if task.mode == "validate":
            result.status = "valid"
            return Rendered(result)
        assert task.out_dir is not None
        rendered = Rendered(result)
        for facts in checked.facts:
            targets = builder.targets(
                source, task.out_dir / task.folder, facts.lang if checked.multilingual else None
            )
            files, pages = builder.render_with_pages(facts, source)
            rendered.files.update({str(targets[f]): (f, data) for f, data in files.items()})
            rendered.pages.update({str(targets[f]): n for f, n in pages.items()})
        for facts in checked.facts:
            result.inputs.update(builder.inputs(source, facts))
        return rendered
    except ReportError as exc:
        return Rendered(
            _failed(str(source), exc.problems, exc.exit_code, inputs=_source_hash(source, builder))
        )
    except Exception as exc:  # a bug in reports: one line, and the batch goes on
        import traceback

        return Rendered(
            _failed(
                str(source),
                [internal_error(str(source), exc)],
                EXIT_BUILD_FAILED,
                inputs=_source_hash(source, builder),
                traceback=traceback.format_exc(),
            )
        )


def finish(rendered: Rendered, task: Task, recorded: Mapping[str, str] | None = None) -> MemoResult:
    """Write a rendered memo's files (all or none), or compare them with what is on disk.

    ``recorded`` (output file → sha256, from the manifest) tells, for a file that differs,
    whether it was edited since it was built or built from other inputs.
    """
    result = rendered.result
    if not rendered.files:
        return result
    targets = {Path(target): (fmt, data) for target, (fmt, data) in rendered.files.items()}
    check = task.mode == "check"
    edited = [] if task.force else edited_outputs(targets, recorded or {}, task.out_dir)
    if edited and not check:
        # never overwrite a colleague's edits: the memo is left as it is, pair and manifest
        # entry alike, until its edits are reviewed (or --force)
        result.status = "failed"
        result.exit_code = max(result.exit_code, EXIT_BUILD_FAILED)
        for target, (fmt, _data) in targets.items():
            file = _inside(target, task.out_dir)
            if (recorded or {}).get(file):
                result.kept.append({"format": fmt, "file": file, "sha256": (recorded or {})[file]})
        for path in edited:
            message = "edited since it was built, not overwritten; " + _edited_advice(
                path, "overwrite", task.source
            )
            result.problems.append(Problem(SourceLocation(str(path)), message))
        return result
    if not check:
        try:
            if task.out_dir is not None and task.folder.parts:  # the top exists already
                prepare_out_dir(task.out_dir / task.folder)
            write_files({target: data for target, (_fmt, data) in targets.items()})
        except ReportError as exc:
            result.status = "failed"
            result.problems.extend(exc.problems)
            result.exit_code = max(result.exit_code, exc.exit_code)
            return result
    for target, (fmt, data) in targets.items():
        file = _inside(target, task.out_dir)
        if check:
            drift = _drift(target, data, (recorded or {}).get(file))
            if drift:
                result.stale.append(drift)
        result.outputs.append(
            {
                "format": fmt,
                "path": str(target),
                # inside the output folder, so a copied output folder's manifest holds
                "file": file,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                **({"pages": rendered.pages[str(target)]} if str(target) in rendered.pages else {}),
            }
        )
    if check:
        edited_now = any(line.startswith("edited since built") for line in result.stale)
        result.status = "edited" if edited_now else "stale" if result.stale else "up-to-date"
        result.exit_code = EXIT_BUILD_FAILED if result.stale else 0
    return result


def edited_outputs(
    targets: dict[Path, tuple[str, bytes]], recorded: Mapping[str, str], out_dir: Path | None
) -> list[Path]:
    """The targets whose file on disk is neither what the manifest recorded building nor
    what is about to be written: edited since (in Word, say)."""
    out = []
    for target, (_fmt, data) in targets.items():
        before = recorded.get(_inside(target, out_dir))
        if not before or not target.is_file():
            continue
        now = sha256_file(target)
        if now != before and now != hashlib.sha256(data).hexdigest():
            out.append(target)
    return out


def _drift(target: Path, data: bytes, recorded: str | None) -> str:
    """How the file on disk differs from ``data``, as a line; empty when it does not."""
    if not target.is_file():
        return f"missing: {target}"
    on_disk = target.read_bytes()
    if on_disk == data:
        return ""
    if recorded is not None and hashlib.sha256(on_disk).hexdigest() != recorded:
        return (
            f"edited since built: {target}: differs from the file reports wrote (the "
            f"manifest's sha256); {_edited_advice(target, 'replace')}"
        )
    return f"stale: {target}: built from inputs that have changed since; build again"


def _edited_advice(target: Path, verb: str, source: Path | None = None) -> str:
    """What to do about an output edited since it was built: review a Word document's
    edits into its fact base (see ``reports review``), or build with --force."""
    if target.suffix.lower() != ".docx":
        return f"build with --force to {verb} it"
    into = f" into {printable(str(source))}" if source is not None else " home"
    return (
        f"bring its edits{into} with 'reports review {printable(str(target))} --apply', or "
        f"build with --force to {verb} it"
    )


def _inside(target: Path, out_dir: Path | None) -> str:
    if out_dir is None:
        return target.name
    return target.relative_to(out_dir).as_posix()


def process(builder: Builder, task: Task, recorded: Mapping[str, str] | None = None) -> MemoResult:
    """Build, check or validate one fact base in this process (``recorded``: see
    :func:`finish`)."""
    return finish(render_task(builder, task), task, recorded)


def internal_error(where: str, exc: BaseException) -> Problem:
    """The problem shown for an unexpected exception: a bug in reports, not in the input."""
    what = printable(f"{type(exc).__name__}: {exc}")
    if len(what) > 300:
        what = what[:300] + "…"
    return Problem(
        SourceLocation(where),
        f"internal error ({what}); this is a bug in reports: rerun with --debug for the "
        "details and report it",
    )


def _source_hash(source: Path, builder: Builder) -> dict[str, str]:
    """The fact base's sha256 for the manifest, unless it is over the size limit (then
    it was never read, and is not read now)."""
    try:
        info = source.stat()
    except OSError:
        return {}
    if not source.is_file() or info.st_size > builder.options.limits.max_bytes:
        return {}
    return {str(source): sha256_file(source)}


def refuse_collisions(sources: Sequence[FactFile]) -> None:
    """Raise :class:`UsageError` when two fact bases would write the same output files.

    ``x.yaml`` and ``x.yml`` in one folder share a name; so may ``memo.yaml`` written in
    several languages (``memo-en.pdf``) and a ``memo-en.yaml`` beside it. Equal names in
    different subfolders do not clash: their outputs are in different folders.
    """
    from ..i18n import languages
    from ..yamlsrc import load_file

    by_name: dict[PurePosixPath, list[Path]] = {}
    for src in dict.fromkeys(sources):
        if not name_problem(src.path):  # an unusable name is reported when its turn comes
            by_name.setdefault(src.folder / output_stem(src.path), []).append(src.path)
    clashes = [paths for paths in by_name.values() if len(paths) > 1]
    for name, paths in by_name.items():
        base, _, suffix = name.name.rpartition("-")
        other = by_name.get(name.parent / base)
        if other and re.fullmatch(r"[a-z]{2,3}", suffix):
            # Only a clash if the other fact base is written in several languages,
            # including this suffix (then it writes <base>-<suffix>.pdf itself).
            try:
                declared = languages(load_file(other[0]).data)
            except ReportError:
                continue  # reported when that fact base is built
            if len(declared) > 1 and suffix in declared:
                clashes.append([*other, *paths])
    if clashes:
        pairs = "; ".join(" and ".join(str(p) for p in paths) for paths in clashes)
        raise UsageError(f"these fact bases would write the same output files: {pairs}; rename one")


_worker: Builder | None = None


def _init_worker(options: BuildOptions) -> None:
    global _worker
    # Ctrl-C reaches the whole process group; the main process decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Builder(options)


def _work(task: Task) -> Rendered:
    assert _worker is not None
    return render_task(_worker, task)


@dataclass(slots=True)
class BatchOutcome:
    """A whole batch: each memo's result, the manifest written (if any), the exit code."""

    results: list[MemoResult]
    manifest: Path | None
    exit_code: int
    problems: list[Problem] = field(default_factory=list)
    """Problems of the batch itself: the manifest could not be written (an error), or an
    unreadable one was replaced (a warning)."""
    orphans: list[Orphan] = field(default_factory=list)
    """Manifest entries whose fact base is gone (removed, with their files, by ``prune``)."""
    interrupted: bool = False
    """Stopped by Ctrl-C: ``results`` hold the memos finished before it."""


def run(
    sources: Sequence[Path | FactFile],
    out_dir: Path | None,
    options: BuildOptions,
    *,
    jobs: int = 1,
    mode: Mode = "build",
    on_result: Callable[[MemoResult], None] | None = None,
    roots: Sequence[Path] = (),
    prune: bool = False,
    shard: Shard | None = None,
    force: bool = False,
) -> BatchOutcome:
    """Process every fact base, in ``jobs`` processes, then record what was built.

    One failure stops none of the rest. The template and house style are loaded first, in
    this process, so that a broken one is reported once (as a raised
    :class:`ReportError`) instead of once per fact base. The output folder's manifest
    records every memo attempted, built or failed. Ctrl-C stops the workers at once; the
    memos finished by then are kept (each one's files old or new, never mixed) and
    recorded, and the outcome says it was interrupted.

    Entries of the manifest whose fact base was in a folder searched (``roots``, and the
    folders ``sources`` were found in) and is gone are orphans: ``check`` fails on them,
    ``prune`` removes them and their files.

    With a ``shard``, only its share of ``sources`` is processed (and of the orphans
    judged), and the manifest says which shard it records, for ``manifest merge``.
    """
    from .manifest import MANIFEST_NAME, read_entries, write_manifest

    files = [s if isinstance(s, FactFile) else FactFile(Path(s)) for s in sources]
    builder = Builder(options)
    if mode != "validate":
        refuse_collisions(files)
    if mode == "build":
        assert out_dir is not None
        prepare_out_dir(out_dir)
    outcome = BatchOutcome([], None, 0)
    previous: dict[str, dict[str, Any]] = {}
    if out_dir is not None and mode != "validate":
        previous, unusable = read_entries(out_dir / MANIFEST_NAME)
        if unusable and mode == "build":
            outcome.problems.append(
                Problem(
                    SourceLocation(str(out_dir / MANIFEST_NAME)),
                    "the previous manifest could not be read and was replaced",
                    severity="warning",
                )
            )
    tasks = [Task(f.path, out_dir, mode, f.folder, force) for f in in_shard(files, shard)]
    try:
        for result in _results(builder, tasks, jobs, previous):
            outcome.results.append(result)
            if on_result:
                on_result(result)
    except KeyboardInterrupt:
        outcome.interrupted = True
    results = outcome.results
    outcome.exit_code = max((r.exit_code for r in results), default=0)
    if out_dir is None or mode == "validate":
        return outcome
    if not outcome.interrupted:
        folders = [*roots, *(f.root for f in files if f.root is not None)]
        _orphans(outcome, previous, files, out_dir, folders, prune, shard)
    if mode == "check" and outcome.orphans:
        outcome.exit_code = max(outcome.exit_code, EXIT_BUILD_FAILED)
    # a shard with no fact base still writes its (empty) manifest: a merge needs them all
    if mode == "build" and (results or shard is not None):
        drop = {o.source for o in outcome.orphans} if prune else set()
        try:
            outcome.manifest = write_manifest(out_dir, results, options, previous, drop, shard)
        except ReportError as exc:
            outcome.problems.extend(exc.problems)
            outcome.exit_code = max(outcome.exit_code, exc.exit_code)
    return outcome


def _orphans(
    outcome: BatchOutcome,
    previous: dict[str, dict[str, Any]],
    files: Sequence[FactFile],
    out_dir: Path,
    folders: Sequence[Path],
    prune: bool,
    shard: Shard | None,
) -> None:
    """Find the batch's orphans (those of ``shard``) and, with ``prune``, remove their files."""
    from .manifest import entry_outputs, find_orphans
    from .manifest import prune as remove

    current = {shown(f.path) for f in files}
    claimed = {str(o["file"]) for r in outcome.results for o in r.outputs}
    claimed |= {o["file"] for k in current & previous.keys() for o in entry_outputs(previous[k])}
    outcome.orphans = find_orphans(
        previous,
        out_dir,
        current=current,
        roots=folders,
        claimed=claimed,
        owned=shard.owns if shard is not None else lambda source: True,
    )
    if prune:
        outcome.problems.extend(remove(outcome.orphans, out_dir))


def in_shard(files: Sequence[FactFile], shard: Shard | None) -> list[FactFile]:
    """The fact bases of ``files`` that ``shard`` builds (all, without one)."""
    if shard is None:
        return list(files)
    return [f for f in files if shard.owns(shown(f.path))]


def _results(
    builder: Builder, tasks: list[Task], jobs: int, previous: dict[str, dict[str, Any]]
) -> Iterator[MemoResult]:
    """Each task's result, in order, from this process or ``jobs`` worker processes;
    ``previous`` (the output folder's manifest) tells an edited output from a stale one."""
    from .manifest import recorded_hashes

    recorded = recorded_hashes(previous)
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield finish(render_task(builder, task), task, recorded)
        return
    pending = list(tasks)
    while pending:
        done = 0
        try:
            for task, rendered in _in_pool(builder.options, pending, jobs):
                yield finish(rendered, task, recorded)
                done += 1
            return
        except BrokenProcessPool:
            # A worker was killed (out of memory, a signal): find the memo that did it by
            # building the unfinished ones one at a time, each in a process of its own.
            pending = pending[done:]
            suspect, pending = pending[0], pending[1:]
            yield _alone(builder, suspect, recorded)


def _in_pool(
    options: BuildOptions, tasks: list[Task], jobs: int
) -> Iterator[tuple[Task, Rendered]]:
    """(task, rendering) for each task in order, rendered by ``jobs`` worker processes.

    At most a few tasks per worker are in flight, so a long batch never holds more than a
    few memos' bytes. Ctrl-C (KeyboardInterrupt here) stops the workers before it goes on.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork shares the imported modules and loaded fonts with the workers (Linux, macOS).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(options,)
    )
    window: deque[tuple[Task, Future[Rendered]]] = deque()
    queue = iter(tasks)
    try:
        for task in itertools.islice(queue, jobs * 4):
            window.append((task, pool.submit(_work, task)))
        while window:
            task, future = window.popleft()
            rendered = future.result()
            following = next(queue, None)
            if following is not None:
                window.append((following, pool.submit(_work, following)))
            yield task, rendered
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: Any) -> None:
    """Stop a pool now: cancel what has not started, end the workers that have."""
    import multiprocessing

    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            child.kill()
        child.join(timeout=5)


def _alone(builder: Builder, task: Task, recorded: dict[str, str]) -> MemoResult:
    """Build one memo in a worker process of its own; a killed worker fails only it."""
    try:
        ((_task, rendered),) = list(_in_pool(builder.options, [task], 1))
    except BrokenProcessPool:
        where = SourceLocation(str(task.source))
        killed = (
            "the process building this memo was stopped by the system (killed, or out of "
            "memory); the other memos were built"
        )
        return _failed(str(task.source), [Problem(where, killed)], EXIT_BUILD_FAILED)
    return finish(rendered, task, recorded)
