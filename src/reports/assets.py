"""Files a fact base names (a figure, a logo, a CSV table), found and checked at validation.

They may come from a pull request, so each is looked for only inside the fact base's own
folder (after following symlinks), and read within limits: a CSV of a million rows or a
50,000 x 50,000 PNG is refused with a reason before any writer sees it. Messages say what
is wrong with the file, never what it contains.
"""

from __future__ import annotations

import csv
import io
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .confine import Escape, resolve_named
from .images import ImageError, ImageInfo, inspect

MAX_CSV_BYTES = 5 * 1024 * 1024
"""Largest CSV file read for a table."""
MAX_CSV_ROWS = 5_000
"""Most rows a CSV table may have (about a hundred pages of memo)."""
MAX_COLUMNS = 30
"""Most columns any table may have: more cannot be read on a page."""
MAX_CELL = 5_000
"""Longest cell, in characters."""


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A file named in a fact base, found inside its folder."""

    name: str
    """As written in the fact base (for messages and the manifest)."""
    path: Path
    """Where it is, ready to open."""

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ImageFile(LocalFile):
    """A PNG or JPEG checked to be one, with its size in pixels."""

    info: ImageInfo | None = None

    @property
    def width_px(self) -> int:
        return self.info.width if self.info else 1

    @property
    def height_px(self) -> int:
        return self.info.height if self.info else 1


@dataclass(frozen=True, slots=True)
class CsvTable(LocalFile):
    """A table read from a UTF-8 CSV file: its first row names the columns."""

    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def fact_base(info: Any) -> Path:
    """The fact base being validated, from the validation context (pydantic's
    ``ValidationInfo``); a file in the working folder when there is none."""
    context = getattr(info, "context", None)
    file = context.get("file") if isinstance(context, dict) else None
    return Path(file) if file is not None else Path.cwd() / "facts.yaml"


def find(name: str, info: Any) -> Path:
    """``name`` as a path inside the fact base's folder; raise ``ValueError`` if it leaves it."""
    named_in = fact_base(info)
    try:
        return resolve_named(name, named_in, named_in.parent, "the fact base's folder")
    except Escape as exc:
        raise ValueError(str(exc)) from None


def image(name: str, info: Any) -> ImageFile:
    """The image file ``name``, checked; raise ``ValueError`` saying what is wrong."""
    path = find(name, info)
    try:
        checked = inspect(path)
    except ImageError as exc:
        raise ValueError(f"'{name}' {exc}") from None
    return ImageFile(name, path, checked)


def csv_table(name: str, info: Any) -> CsvTable:
    """The CSV file ``name`` read as a table; raise ``ValueError`` naming the line at fault."""
    path = find(name, info)
    try:
        st = path.stat()
    except OSError:
        raise ValueError(f"'{name}': no such file next to the fact base") from None
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"'{name}' is not a regular file")
    if st.st_size > MAX_CSV_BYTES:
        raise ValueError(
            f"'{name}' is {st.st_size:,} bytes, over the limit of {MAX_CSV_BYTES:,} for a table"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValueError(
            f"'{name}' is not UTF-8 text (line {line}); save it as 'CSV UTF-8' (in Excel: "
            "Save As, CSV UTF-8)"
        ) from None
    rows: list[tuple[str, ...]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(rows) > MAX_CSV_ROWS:
                raise ValueError(
                    f"'{name}' has more than {MAX_CSV_ROWS:,} rows; a memo table holds at "
                    "most that many (put the full data in an annex file)"
                )
            where = f"{name}:{reader.line_num}"
            if rows and len(record) != len(rows[0]):
                raise ValueError(
                    f"{where}: this row has {len(record)} cells but the header row has "
                    f"{len(rows[0])}; every row needs one cell per column (quote a cell "
                    "that contains a comma)"
                )
            if len(record) > MAX_COLUMNS:
                raise ValueError(
                    f"{where}: {len(record)} columns; a table holds at most {MAX_COLUMNS}"
                )
            for cell in record:
                if len(cell) > MAX_CELL:
                    raise ValueError(
                        f"{where}: a cell of {len(cell):,} characters; at most {MAX_CELL:,}"
                    )
                _check_cell(cell, where)
            rows.append(tuple(cell.strip() for cell in record))
    except csv.Error as exc:
        raise ValueError(f"{name}:{reader.line_num}: not valid CSV ({exc})") from None
    if len(rows) < 2:
        raise ValueError(f"'{name}' needs a header row and at least one row of data")
    header = rows[0]
    if not all(h for h in header):
        raise ValueError(f"{name}:1: every column of the header row needs a name")
    return CsvTable(name, path, header=header, rows=tuple(rows[1:]))


def _check_cell(cell: str, where: str) -> None:
    from .model import _INVALID_CHARS

    bad = _INVALID_CHARS.search(cell)
    if bad is not None:
        raise ValueError(
            f"{where}: a cell contains the control character U+{ord(bad.group()):04X}, which "
            "documents cannot hold; remove it"
        )
