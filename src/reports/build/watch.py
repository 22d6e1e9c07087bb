"""``reports watch``: rebuild memos as their fact bases, the template or the style change.

What a change means is decided by :func:`classify`, a pure function; :class:`Watcher`
applies it and prints what happened, so both are tested without a file-system watcher.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ReportError
from .batch import MemoResult, Task, process
from .builder import Builder
from .files import FactFile, fact_bases_below, is_fact_base
from .options import BuildOptions

SHARED_SUFFIXES = (".yaml", ".yml", ".j2", ".ttf")
"""Files every memo may depend on: templates, catalogues, house styles, fonts."""
_READY_MS = 200
"""Longest wait, in milliseconds, for the first changes before the watcher reports it is
ready (and between idle wake-ups after that)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do about a set of changed files."""

    rebuild: tuple[Path, ...]
    """Fact bases to build again (new ones included)."""
    reload: bool
    """Read the template, catalogues, styles and fonts again first."""
    added: tuple[FactFile, ...] = ()
    """Fact bases that appeared in a folder being watched: followed from now on."""
    removed: tuple[Path, ...] = ()
    """Fact bases that are gone: forgotten, with their problems."""


def classify(
    changed: Iterable[Path],
    sources: Sequence[Path],
    *,
    roots: Sequence[Path] = (),
    present: Collection[Path] | None = None,
) -> Plan:
    """Decide what a set of changed files (resolved paths) calls for.

    ``present`` are those of ``changed`` that are files now (``None``: all of them);
    ``roots`` are the folders whose fact bases are followed. A fact base that
    is gone is forgotten; a new one below a root (a fact-base name, not in a hidden
    folder) is followed and built on its own, as is an edited one. Any other template,
    style, catalogue or font file (a fact base's own ``*.style.yaml`` included) may be used
    by every memo: everything is reloaded and rebuilt. Anything else (the outputs
    themselves) is ignored. Saving through a temporary file and a rename is a change of
    the file, whatever the order the events came in.
    """
    wanted = {s.resolve(): s for s in sources}
    paths = set(changed)
    here = paths if present is None else set(present)
    removed = tuple(s for s in sources if s.resolve() in paths - here)
    # a folder made with its files inside may report only itself: its files are created
    # before the watch on it starts (inotify), so the folder is looked into
    inside = {
        f.resolve()
        for p in paths
        if roots and p.is_dir() and not p.is_symlink()
        for f in fact_bases_below(p)
    }
    here = here | inside
    paths = paths | inside
    found = {p: _found(p, roots) for p in paths - wanted.keys()}
    added = tuple(sorted(f for p, f in found.items() if f is not None and p in here))
    kept = [s for s in sources if s not in removed]
    new = tuple(f.path for f in added)
    # a fact base that came and went between two looks is nothing shared
    if any(p.suffix in SHARED_SUFFIXES and f is None for p, f in found.items()):
        return Plan((*kept, *new), reload=True, added=added, removed=removed)
    edited = tuple(s for s in kept if s.resolve() in paths)
    return Plan((*edited, *new), reload=False, added=added, removed=removed)


def _found(path: Path, roots: Sequence[Path]) -> FactFile | None:
    """``path`` (resolved) as a fact base below one of ``roots``, named from that root as
    given; ``None`` if it is not one (see :func:`discover`)."""
    if not is_fact_base(path):
        return None
    for root in roots:
        base = root.resolve()
        if path.is_relative_to(base):
            rel = path.relative_to(base)
            if any(part.startswith(".") for part in rel.parts[:-1]):
                return None
            return FactFile(root / rel, PurePosixPath(rel.parent.as_posix()), root)
    return None


class Watcher:
    """Keeps the memos of ``sources`` built in ``out_dir`` while files change.

    Fact bases added to the folders ``roots`` are followed, deleted ones forgotten. With
    ``clear`` (a terminal), the screen is redrawn after each round: the current problems
    of every memo and nothing older.
    """

    def __init__(
        self,
        sources: Sequence[Path | FactFile],
        out_dir: Path,
        options: BuildOptions,
        echo: Callable[[str, bool], None],
        *,
        roots: Sequence[Path] = (),
        clear: Callable[[], None] | None = None,
    ) -> None:
        """``echo(line, is_error)`` prints a line to standard output or error."""
        files = [s if isinstance(s, FactFile) else FactFile(s) for s in sources]
        self.places = {f.path: f.folder for f in files}
        self.sources = [f.path for f in files]
        self.roots = list(roots)
        self.out_dir = out_dir
        self.options = options
        self.echo = echo
        self.clear = clear
        self.builder: Builder | None = None
        self.problems: dict[Path, list[str]] = {}
        """Fact base → its problems in the last build of it: what the screen shows."""
        self.shared_problems: list[str] = []
        """Problems of the template or style: no memo was built."""

    def folders(self) -> set[Path]:
        """The folders to watch: the fact bases', the roots', the template's and the style
        files'."""
        from ..resources import template_dir

        folders = {p.resolve().parent for p in self.sources} | {r.resolve() for r in self.roots}
        folders.add(template_dir(self.options.template_dir).resolve())
        folders |= {Path(s).resolve().parent for s in self.options.style_overrides}
        return folders

    def handle(self, plan: Plan) -> list[MemoResult]:
        """Carry out ``plan``, printing each memo's outcome; return the results."""
        said: list[tuple[str, bool]] = []
        results = self._carry_out(plan, lambda line, err: said.append((line, err)))
        if self.clear is None:
            for line, err in said:
                self.echo(line, err)
        else:
            self.clear()
            for line, err in [*self.screen(), *(x for x in said if not x[1])]:
                self.echo(line, err)
        return results

    def screen(self) -> list[tuple[str, bool]]:
        """What a terminal shows: every current problem, then a line of counts."""
        lines = [(line, True) for line in self.shared_problems]
        for source in sorted(self.problems):
            lines += [(line, True) for line in self.problems[source]]
        failing = sum(bool(p) for p in self.problems.values())
        total = len(self.sources)
        state = f"{failing} with problems" if failing else "no problems"
        if self.shared_problems:
            state = "the template or style has problems"
        lines.append((f"{total} fact base(s), {state}; press Ctrl-C to stop", False))
        return lines

    def _carry_out(self, plan: Plan, echo: Callable[[str, bool], None]) -> list[MemoResult]:
        for gone in plan.removed:
            self.sources.remove(gone)
            self.places.pop(gone, None)
            self.problems.pop(gone, None)
            echo(f"{_stamp()} forgot {gone}: deleted (its outputs stay until build --prune)", False)
        for new in plan.added:
            self.sources.append(new.path)
            self.places[new.path] = new.folder
            echo(f"{_stamp()} following {new.path}: new", False)
        if plan.reload or self.builder is None:
            from ..style import forget_files
            from ..templating import forget_templates

            forget_templates()  # the template, catalogues or styles may have been edited
            forget_files()
            try:
                self.builder = Builder(self.options)  # read template and style again
            except ReportError as exc:
                self.shared_problems = exc.lines()
                for line in exc.lines():
                    echo(line, True)
                self.builder = None
                return []
            except Exception as exc:  # a bug: say so and keep watching
                from .batch import internal_error

                self.shared_problems = [str(internal_error("reports watch", exc))]
                echo(self.shared_problems[0], True)
                self.builder = None
                return []
            self.shared_problems = []
        from .manifest import MANIFEST_NAME, read_entries, recorded_hashes

        results = []
        # an output edited since it was built is not overwritten here either
        recorded = recorded_hashes(read_entries(self.out_dir / MANIFEST_NAME)[0])
        for source in plan.rebuild:
            task = Task(source, self.out_dir, "build", self.places.get(source, PurePosixPath()))
            r = process(self.builder, task, recorded)
            results.append(r)
            self.problems[source] = r.errors + r.warnings
            for line in r.errors + r.warnings:
                echo(line, True)
            if r.status == "built":
                outputs = ", ".join(str(o["path"]) for o in r.outputs)
                echo(f"{_stamp()} built {source} -> {outputs}", False)
            else:
                echo(f"{_stamp()} {source}: not built, fix the problems above", False)
        return results

    def run(self, interval: float) -> None:
        """Build everything, then watch until interrupted (Ctrl-C)."""
        from watchfiles import watch

        self.handle(Plan(tuple(self.sources), reload=True))
        watching = False
        for changes in watch(
            *sorted(self.folders()),
            debounce=int(interval * 1000),
            raise_interrupt=False,
            # an empty batch now and then tells us the folders are being watched
            yield_on_timeout=True,
            rust_timeout=_READY_MS,
        ):
            if not watching:
                # Said only once the folders are watched: a file saved after this line
                # is never missed (a script or a test may start editing on seeing it).
                self.echo(f"watching {len(self.sources)} fact base(s); press Ctrl-C to stop", True)
                watching = True
            changed = {Path(p).resolve() for _kind, p in changes}
            present = {p for p in changed if p.is_file()}
            plan = classify(changed, self.sources, roots=self.roots, present=present)
            if plan.rebuild or plan.added or plan.removed or plan.reload:
                self.handle(plan)


def _stamp() -> str:
    return time.strftime("%H:%M:%S")
