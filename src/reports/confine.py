"""The trust boundary: a file named inside a fact base or a style file stays in its repository.

Fact bases, and the style files, fonts and other files they name, may arrive in a pull
request written by someone the CI runner must not trust. One rule applies to every path
such a file names: after following symlinks it must lie inside the *root* — the folder
given by ``--root``, else the nearest folder above the naming file that holds ``.git``,
else the naming file's own folder. Absolute paths and ``..`` escapes are refused with a
message that names the field, never the target's content.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

_MAX_NAME = 1024
"""Longest path accepted from a file, in characters."""


@lru_cache(maxsize=256)
def repository_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``.git``, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def root_for(named_in: Path, override: Path | None = None) -> Path:
    """The root for paths named in the file ``named_in``: ``override`` if given."""
    if override is not None:
        return override.resolve()
    return repository_root(named_in.parent)


class Escape(ValueError):
    """A named path that leaves its root; the message is the user's to read."""


def resolve_named(name: str, named_in: Path, root: Path, boundary: str = "the repository") -> Path:
    """The file ``name``, written in ``named_in``, as a path from that file's folder.

    The path is returned as written (for messages), once its target, with every symlink
    followed, is known to lie inside ``root``. Raise :class:`Escape` when it is absolute,
    names a parent outside the root, or leads (through symlinks) outside ``root``.
    """
    if len(name) > _MAX_NAME or "\x00" in name:
        raise Escape("is not a usable file name")
    if os.path.isabs(name) or name.startswith("~"):
        raise Escape(
            f"'{name}' is an absolute path; name a file inside {boundary}, relative to "
            f"{named_in.name}"
        )
    path = named_in.parent / name
    if not _inside(path.resolve(), root.resolve()):
        raise Escape(
            f"'{name}' leads outside {boundary} ({root}); only files inside it can be used"
        )
    return path


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
