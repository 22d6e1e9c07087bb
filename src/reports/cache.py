"""A private cache folder for work a cold build would otherwise repeat (compiled templates,
the styled DOCX base), trusted only when it cannot have been written by someone else.

The Jinja bytecode cache holds marshalled code, which is run when loaded: a folder another
user could write to would let them run code in our process. So a cache folder is used only
when it and each folder from the cache root down to it belong to this user and are
writable by nobody else; otherwise nothing is cached (a build is slower, never unsafe).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/reports``, or ``~/.cache/reports``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reports"


def private_dir(name: str) -> Path | None:
    """The cache folder ``name``, made with mode 0700 if missing; ``None`` if it cannot be
    made or is not private to this user."""
    root = cache_root()
    folder = root / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    uid = os.getuid() if hasattr(os, "getuid") else None
    for path in (root, folder):
        try:
            info = path.lstat()
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            return None
        if uid is not None and info.st_uid != uid:
            return None
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
    return folder


def read(name: str, key: str) -> bytes | None:
    """The cached bytes of ``key`` in folder ``name``; ``None`` when absent or untrusted."""
    folder = private_dir(name)
    if folder is None:
        return None
    try:
        return (folder / key).read_bytes()
    except OSError:
        return None


def write(name: str, key: str, data: bytes) -> None:
    """Store ``data`` as ``key`` in folder ``name``, whole or not at all; failures are
    ignored (the cache is only a shortcut)."""
    folder = private_dir(name)
    if folder is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / key)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
