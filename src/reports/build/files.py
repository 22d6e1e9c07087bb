"""Files in and out: finding fact bases, naming outputs, and writing them all or none."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import BuildError, Problem, SourceLocation, UsageError

_MAX_STEM = 120
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
FACT_SUFFIXES = (".yaml", ".yml")


def name_problem(source: Path) -> str:
    """Why a fact base's file name cannot be used, as a message; empty when it can.

    A name that is not valid UTF-8 (bytes no encoding declared, from another system)
    cannot name the outputs or appear in a manifest; it is reported, escaped, and skipped.
    """
    try:
        str(source).encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8; rename the file (this memo is skipped)"
    return ""


def safe_path(path: Path | str) -> str:
    """A path as text that can be printed and stored: undecodable bytes as ``\\xNN``."""
    import os

    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def output_stem(source: Path) -> str:
    """Derive a safe file name stem from a fact base's file name.

    Path separators, control characters and reserved names cannot escape or hide in the
    output folder; the stem is cut so that any extension still fits common file systems.
    """
    stem = unicodedata.normalize("NFC", source.stem)
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "-", stem)
    stem = stem.strip(" .-") or "memo"
    if _WINDOWS_RESERVED.match(stem):
        stem = f"{stem}-memo"
    encoded = stem.encode("utf-8")[:_MAX_STEM]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .") or "memo"


_TEMPLATE_MARK = "memo.xml.j2"
"""A folder holding this file is a template folder (``templating.TEMPLATE_NAME``; not
imported from there, which would load Jinja2 on every start)."""


def is_fact_base(path: Path) -> bool:
    """Whether a file in a folder of fact bases is one: ``*.yaml`` or ``*.yml``, neither a
    fact base's own ``*.style.yaml`` nor hidden (an editor's ``.#x.yaml`` lock file)."""
    return (
        path.suffix in FACT_SUFFIXES
        and not path.stem.endswith(".style")
        and not path.name.startswith(".")
    )


@dataclass(frozen=True, slots=True, order=True)
class FactFile:
    """A fact base to build, and the folder its outputs go to."""

    path: Path
    """The fact base, as found (the folder given, then the path below it) or as named."""
    folder: PurePosixPath = PurePosixPath()  # noqa: RUF009 - immutable
    """Where its files go inside the output folder: its place below the folder it was
    found in (``a`` for ``data/a/x.yaml`` in ``data``); the top for a file named directly,
    unless it lies below the working folder's ``data/``."""
    root: Path | None = None
    """The folder it was found in; ``None`` for a file named directly."""


def discover(paths: Sequence[str | Path]) -> list[FactFile]:
    """Expand folders into the fact bases below them, sorted; keep files as given.

    Every ``*.yaml`` and ``*.yml`` below a folder is a fact base (see :func:`is_fact_base`)
    except in hidden folders (``.git``, ``.github``) and template folders (those holding
    ``memo.xml.j2``, whose catalogues and house styles are YAML too). A fact base's own
    tables and figures (CSV, PNG) are not YAML and never taken for one. Symlinked folders
    are not followed, so a link cannot make a build walk outside the folder.
    """
    found: list[FactFile] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found.extend(
                FactFile(f, PurePosixPath(f.parent.relative_to(path).as_posix()), path)
                for f in fact_bases_below(path)
            )
        else:
            found.append(_named(path))
    return found


def _named(path: Path) -> FactFile:
    """A fact base named directly: below the working folder's ``data/`` (where a plain
    ``reports build`` looks), its outputs go where that build puts them (``data/a/x.yaml``
    → ``a/``), so the two ways of building one memo never leave two copies."""
    data = Path.cwd() / "data"
    try:
        below = path.resolve().relative_to(data.resolve())
    except (ValueError, OSError):
        return FactFile(path)
    if data.is_dir() and not data.is_symlink():
        return FactFile(path, PurePosixPath(below.parent.as_posix()), data)
    return FactFile(path)


def fact_bases_below(folder: Path) -> list[Path]:
    out: list[Path] = []
    for top, dirs, files in os.walk(folder):  # os.walk does not follow symlinked folders
        here = Path(top)
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and not (here / d / _TEMPLATE_MARK).is_file()
        ]
        out.extend(here / f for f in files if is_fact_base(Path(f)))
    return sorted(out)


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if needed; raise :class:`UsageError` if it can't be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    if not out_dir.is_dir() or not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {out_dir} is not a writable folder")


def write_files(files: Mapping[Path, bytes]) -> None:
    """Write every file so that none is replaced unless all were written in full.

    Each file goes to a temporary file beside its target first; only when all are on disk
    are they moved into place, so a full disk or an unwritable target leaves the previous
    PDF and DOCX as a matching pair, and a reader never sees half a file. Raise
    :class:`BuildError` naming the file that could not be written.
    """
    for path in files:
        if path.exists() and not path.is_file():  # os.replace would fail only half-way
            raise _cannot_write(path, "it is a folder or special file")
    with _no_interrupts():
        _write_all(files)


@contextlib.contextmanager
def _no_interrupts() -> Iterator[None]:
    """Hold Ctrl-C back until the block is done (on the main thread, where Python takes
    it): a pair of files is either all replaced or not at all.

    Python's handler is swapped for one that only takes note, rather than the signal
    masked: a Ctrl-C that reached the process just before the block, whose handler Python
    had not run yet, would otherwise raise in the middle of it (between creating a
    temporary file and recording it for clean-up). Once done, a Ctrl-C held back is
    raised again, for the handler that was there before.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            signal.raise_signal(signal.SIGINT)


def _write_all(files: Mapping[Path, bytes]) -> None:
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                staged.append((tmp, path))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
            except OSError as exc:
                raise _cannot_write(path, exc.strerror) from None
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _cannot_write(path, exc.strerror) from None
    finally:
        for tmp, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _cannot_write(path: Path, reason: str | None) -> BuildError:
    return BuildError([Problem(SourceLocation(str(path)), f"cannot write: {reason}")])


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shown(path: Path | str) -> str:
    """A path relative to the working folder when inside it, so manifests travel."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)
