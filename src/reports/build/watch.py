"""``reports watch``: rebuild memos as their fact bases, the template or the style change.

What a change means is decided by :func:`classify`, a pure function; :class:`Watcher`
applies it and prints what happened, so both are tested without a file-system watcher.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ReportError
from .batch import MemoResult, Task, process
from .builder import Builder
from .files import FactFile
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
    """Fact bases to build again."""
    reload: bool
    """Read the template, catalogues, styles and fonts again first."""


def classify(changed: Iterable[Path], sources: Sequence[Path]) -> Plan:
    """Decide what a set of changed files (resolved paths) calls for.

    An edited fact base is built again on its own. Any other template, style, catalogue
    or font file (a fact base's own ``*.style.yaml`` included) may be used by every memo:
    everything is reloaded and rebuilt. Anything else (the outputs themselves) is ignored.
    """
    wanted = {s.resolve(): s for s in sources}
    paths = set(changed)
    if any(p.suffix in SHARED_SUFFIXES and p not in wanted for p in paths):
        return Plan(tuple(sources), reload=True)
    return Plan(tuple(s for s in sources if s.resolve() in paths), reload=False)


class Watcher:
    """Keeps the memos of ``sources`` built in ``out_dir`` while files change."""

    def __init__(
        self,
        sources: Sequence[Path | FactFile],
        out_dir: Path,
        options: BuildOptions,
        echo: Callable[[str, bool], None],
    ) -> None:
        """``echo(line, is_error)`` prints a line to standard output or error."""
        files = [s if isinstance(s, FactFile) else FactFile(s) for s in sources]
        self.places = {f.path: f.folder for f in files}
        self.sources = [f.path for f in files]
        self.out_dir = out_dir
        self.options = options
        self.echo = echo
        self.builder: Builder | None = None

    def folders(self) -> set[Path]:
        """The folders to watch: the fact bases', the template's and the style files'."""
        from ..resources import template_dir

        folders = {p.resolve().parent for p in self.sources}
        folders.add(template_dir(self.options.template_dir).resolve())
        folders |= {Path(s).resolve().parent for s in self.options.style_overrides}
        return folders

    def handle(self, plan: Plan) -> list[MemoResult]:
        """Carry out ``plan``, printing each memo's outcome; return the results."""
        if plan.reload or self.builder is None:
            from ..style import forget_files
            from ..templating import forget_templates

            forget_templates()  # the template, catalogues or styles may have been edited
            forget_files()
            try:
                self.builder = Builder(self.options)  # read template and style again
            except ReportError as exc:
                for line in exc.lines():
                    self.echo(line, True)
                self.builder = None
                return []
            except Exception as exc:  # a bug: say so and keep watching
                from .batch import internal_error

                self.echo(str(internal_error("reports watch", exc)), True)
                self.builder = None
                return []
        results = []
        for source in plan.rebuild:
            task = Task(source, self.out_dir, "build", self.places.get(source, PurePosixPath()))
            r = process(self.builder, task)
            results.append(r)
            for line in r.errors + r.warnings:
                self.echo(line, True)
            stamp = time.strftime("%H:%M:%S")
            if r.status == "built":
                outputs = ", ".join(str(o["path"]) for o in r.outputs)
                self.echo(f"{stamp} built {source} -> {outputs}", False)
            else:
                self.echo(f"{stamp} {source}: not built, fix the problems above", False)
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
            plan = classify({Path(p).resolve() for _kind, p in changes}, self.sources)
            if plan.rebuild:
                self.handle(plan)
