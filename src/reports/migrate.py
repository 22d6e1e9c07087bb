"""``reports migrate``: rewrite a version 1 fact base as version 2, changing no word.

Version 2 reads body text as inline markup, so version 1 text that happens to look like
markup (``*``, ``_``, ``[…]``, a backslash, ``- `` at a line's start) is escaped with a
backslash. The file is edited in place, span by span, so comments, key order, quoting and
line breaks stay as they were; only the version line and the escaped texts change. Before
anything is written the result is read back and every text compared with the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .consistency import is_rich
from .errors import FactsError, Problem, SourceLocation
from .i18n import ALL, languages, single_script
from .richtext import escape_markdown, words
from .yamledit import Node, double_quoted, scalars
from .yamlsrc import DEFAULT_LIMITS, PathKey, format_path, load_bytes


@dataclass(frozen=True, slots=True)
class Migration:
    """What ``migrate`` did to one file."""

    text: str
    """The file's new content."""
    escaped: tuple[str, ...]
    """The fields whose text was escaped (``summary[2]``)."""
    already: bool = False
    """The file was version 2 already; ``text`` is unchanged."""
    kept: tuple[str, ...] = ()
    """Fields of a bilingual fact base given once in one language's script, now marked
    ``{all: …}`` so that they print as before; each wants a translation."""


def migrate_text(text: str, name: str) -> Migration:
    """Return ``text`` (a version 1 fact base read from ``name``) rewritten as version 2.

    Raise :class:`FactsError` when the file cannot be read or is not version 1.
    """
    source = load_bytes(text.encode("utf-8"), name, DEFAULT_LIMITS)
    data = source.data
    if not isinstance(data, dict) or "version" not in data:
        raise FactsError(
            [Problem(SourceLocation(name, 1, 1), "no 'version' field; is this a fact base?")]
        )
    version = str(data["version"]).strip()
    if version == "2":
        return Migration(text, (), already=True)
    if version != "1":
        where = source.locate(("version",))
        raise FactsError([Problem(where, f"cannot migrate schema version '{version}'")])
    declared = languages(data)
    langs = set(declared)
    every = _single_script(scalars(text), declared)
    found = [
        sc
        for sc in scalars(text)
        if sc.path == ("version",) or _rich(sc.path, langs) or sc.path in every
    ]
    quoted: set[PathKey] = set()  # texts that must be rewritten in double quotes
    while True:
        edits: list[tuple[int, int, str]] = []
        escaped: list[str] = []
        for scalar in found:
            if scalar.path == ("version",):
                edits.append((scalar.start, scalar.end, "2"))
                continue
            rich = _rich(scalar.path, langs)
            wanted = escape_markdown(scalar.value) if rich else scalar.value
            if scalar.path in every:
                # the same text in every language, as version 1 printed it
                span = text[scalar.start : scalar.end]
                tail = span[len(span.rstrip("\n")) :]  # a block scalar's line ends stay
                value = "{all: " + double_quoted(wanted) + "}" + tail
                edits.append((scalar.start, scalar.end, value))
                if wanted != scalar.value:
                    escaped.append(format_path(scalar.path))
                continue
            if wanted == scalar.value:
                continue
            edits.append((scalar.start, scalar.end, _rewrite(text, scalar, wanted, quoted)))
            escaped.append(format_path(scalar.path))
        out = text
        for start, end, replacement in sorted(edits, reverse=True):
            out = out[:start] + replacement + out[end:]
        wrong = _differences(text, out, name, langs)
        if not wrong:
            kept = tuple(format_path(sc.path) for sc in found if sc.path in every)
            return Migration(out, tuple(escaped), kept=kept)
        if wrong <= quoted:
            raise _unsafe(name, sorted(wrong, key=str)[0])
        quoted |= wrong


def _rich(path: PathKey, langs: set[str]) -> bool:
    return is_rich(tuple(p for p in path if not (isinstance(p, str) and p in langs)))


def migrate_file(path: Path) -> Migration:
    """Migrate the fact base at ``path`` (read only; the caller writes)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or "cannot be read"
        raise FactsError(
            [Problem(SourceLocation(str(path)), f"cannot read the file: {reason}")]
        ) from None
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        load_bytes(raw, str(path), DEFAULT_LIMITS)  # raises, naming the byte and its place
        raise
    result = migrate_text(text, str(path))
    if bom:
        return Migration("\ufeff" + result.text, result.escaped, result.already)
    return result


def _rewrite(text: str, scalar: Node, wanted: str, quoted: set[PathKey]) -> str:
    """The source of ``scalar`` written so that it reads as ``wanted``: the same source
    with backslashes added where YAML keeps them literally (plain, single-quoted and
    literal-block text), else the text in double quotes."""
    span = text[scalar.start : scalar.end]
    if scalar.path not in quoted:
        if scalar.style is None:
            return escape_markdown(span)
        if scalar.style == "'":
            return "'" + escape_markdown(span[1:-1]) + "'"
        if scalar.style == "|":
            header, _, body = span.partition("\n")
            return header + "\n" + "\n".join(_escape_line(line) for line in body.split("\n"))
    body = span.rstrip("\n")
    return double_quoted(wanted) + span[len(body) :]


def _escape_line(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    return line[:indent] + escape_markdown(line[indent:])


def _differences(before: str, after: str, name: str, langs: set[str]) -> set[PathKey]:
    """Read the migrated text back: the paths of texts whose words differ, read as version
    2, from the version 1 original (or of anything else that changed)."""
    old = load_bytes(before.encode("utf-8"), name, DEFAULT_LIMITS).data
    new = load_bytes(after.encode("utf-8"), name, DEFAULT_LIMITS).data
    wrong: set[PathKey] = set()

    def walk(a: Any, b: Any, path: PathKey) -> None:
        if isinstance(a, str) and isinstance(b, dict) and list(b) == [ALL]:
            b = b[ALL]  # marked for every language: the same text
        if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
            for key in a:
                walk(a[key], b[key], (*path, key))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, (*path, i))
        elif path == ("version",):
            return
        elif isinstance(a, str) and isinstance(b, str) and _rich(path, langs):
            if words(b, 2) != words(a, 1):
                wrong.add(path)
        elif a != b:
            wrong.add(path)

    walk(old, new, ())
    return wrong


def _single_script(scalars: list[Node], declared: list[str]) -> set[PathKey]:
    """Paths of texts given once that version 2 would refuse in one of the languages."""
    if len(declared) < 2:
        return set()
    return {
        sc.path
        for sc in scalars
        if not any(isinstance(p, str) and p in (*declared, ALL) for p in sc.path)
        and any(single_script(sc.value, lang, sc.path) for lang in declared)
    }


def _unsafe(name: str, path: PathKey) -> FactsError:
    msg = (
        f"{format_path(path)}: could not be migrated without changing its text; edit it by "
        "hand (escape * _ [ ] and \\ with a backslash) and set version: 2"
    )
    return FactsError([Problem(SourceLocation(name), msg)])
