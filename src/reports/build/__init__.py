"""Orchestration: options, the builder, batches, the manifest and watching.

- :mod:`.options` — :class:`BuildOptions` and the parsing of their text forms;
- :mod:`.files` — finding fact bases, naming outputs, writing files all or none;
- :mod:`.builder` — :class:`Builder`, the only caller of every stage;
- :mod:`.batch` — many fact bases, in one process or several;
- :mod:`.manifest` — the sha256 record of a build;
- :mod:`.watch` — rebuilding as files change.
"""

from __future__ import annotations

from .batch import BatchOutcome, MemoResult, Task, in_shard, process, run
from .builder import Builder, Checked, build_time
from .files import FactFile, discover, output_stem, prepare_out_dir, write_files
from .options import BuildOptions, Shard, parse_formats, parse_langs, parse_shard

__all__ = [
    "BatchOutcome",
    "BuildOptions",
    "Builder",
    "Checked",
    "FactFile",
    "MemoResult",
    "Shard",
    "Task",
    "build_time",
    "discover",
    "in_shard",
    "output_stem",
    "parse_formats",
    "parse_langs",
    "parse_shard",
    "prepare_out_dir",
    "process",
    "run",
    "write_files",
]
