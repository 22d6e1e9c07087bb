"""Read a YAML file into plain data plus a map from key paths to file positions.

The loader walks libyaml's event stream itself instead of using PyYAML's constructors, so:

* every scalar is kept as the text that was typed (``NO`` stays ``"NO"``, ``1.10`` stays
  ``"1.10"``, ``2024-02-30`` stays a string for the validator to reject with a position);
  only a plain ``~``/``null``/empty scalar becomes ``None``;
* duplicate keys, tags, non-text keys and the traps of hand-written YAML (a ``#`` that
  eats text, a list item folded into the previous one, Unicode spaces in indentation: see
  :mod:`.yamltraps`) are reported, not silently accepted; a UTF-8 byte-order mark, which
  YAML allows and Windows editors write, is skipped;
* size, nesting depth, alias count and the expanded node count are capped before any work
  that could explode (alias bombs, 10,000 levels of nesting, huge files).

Every problem found is returned at once as a :class:`~reports.errors.FactsError`.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from . import yamltraps
from .errors import FactsError, Problem, SourceLocation

try:  # libyaml is many times faster; the pure-Python parser is the fallback.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

PathKey: TypeAlias = tuple[str | int, ...]
"""A key path into loaded data: ``("timeline", 2, "date")``."""

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that keep hostile or accidental input from costing minutes or gigabytes."""

    max_bytes: int = 10 * 1024 * 1024
    """Largest file accepted, in bytes."""
    max_nodes: int = 2_000_000
    """Most values (scalars, lists, mappings) after expanding aliases."""
    max_aliases: int = 1_000
    """Most alias uses (``*name``) in one file."""
    max_depth: int = 64
    """Deepest nesting of lists and mappings."""


DEFAULT_LIMITS = Limits()


@dataclass(slots=True)
class Source:
    """Loaded YAML: the data and where each piece of it came from."""

    file: str
    """The path as the user gave it."""
    data: Any
    """Plain data: dicts, lists, ``str`` and ``None``."""
    value_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    """Path → 1-based (line, column) of the value at that path."""
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    """Path → 1-based (line, column) of the mapping key that names that path."""

    def locate(self, path: PathKey, *, key: bool = False) -> SourceLocation:
        """Return the position of ``path``; of its key when ``key``; else its nearest ancestor.

        Paths inside an aliased value have no marks of their own, so the alias's mark (an
        ancestor) is used; an empty path gives the position of the document itself.
        """
        if key and path in self.key_marks:
            line, col = self.key_marks[path]
            return SourceLocation(self.file, line, col)
        probe = path
        while True:
            if probe in self.value_marks:
                line, col = self.value_marks[probe]
                return SourceLocation(self.file, line, col)
            if probe in self.key_marks:
                line, col = self.key_marks[probe]
                return SourceLocation(self.file, line, col)
            if not probe:
                return SourceLocation(self.file, 1, 1)
            probe = probe[:-1]


def format_path(path: PathKey) -> str:
    """Render a key path the way users write it: ``timeline[2].date``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def load_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Read and parse ``path``; raise :class:`FactsError` listing every problem found."""
    name = str(path)
    try:
        info = Path(path).stat()
        if info.st_mode and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            # A device or pipe reports size 0 and may never end: /dev/zero, a FIFO.
            raise FactsError([Problem(SourceLocation(name), "is not a regular file")])
        size = info.st_size
        if size > limits.max_bytes:
            raise FactsError(
                [
                    Problem(
                        SourceLocation(name),
                        f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes",
                    )
                ]
            )
        with Path(path).open("rb") as fh:
            raw = fh.read(limits.max_bytes + 1)  # the file may grow after stat()
    except FactsError:
        raise
    except IsADirectoryError:
        raise FactsError(
            [Problem(SourceLocation(name), "is a directory, not a YAML file")]
        ) from None
    except FileNotFoundError:
        raise FactsError([Problem(SourceLocation(name), "no such file")]) from None
    except OSError as exc:
        raise FactsError([Problem(SourceLocation(name), f"cannot read: {exc.strerror}")]) from None
    return load_bytes(raw, name, limits)


def load_bytes(raw: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Parse YAML bytes named ``name`` (used in messages); raise :class:`FactsError`."""
    if len(raw) > limits.max_bytes:
        msg = f"file is {len(raw):,} bytes, over the limit of {limits.max_bytes:,} bytes"
        raise FactsError([Problem(SourceLocation(name), msg)])
    text = _decode(raw, name)
    problems = yamltraps.indentation(text, name)
    if problems:
        raise FactsError(problems)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise FactsError(
            [Problem(SourceLocation(name), "file is empty; expected a mapping of fields")]
        )
    return _Builder(name, limits).build(text)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark: allowed by YAML, written by Windows editors
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FactsError([Problem(SourceLocation(name, 1, 1), "file is UTF-16; save it as UTF-8")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        msg = f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
        raise FactsError([Problem(SourceLocation(name, line, col), msg)]) from None


class _Builder:
    """Turn a libyaml event stream into plain data, iteratively (no recursion limit)."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.source = Source(name, None)
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.nodes = 0
        self.aliases = 0
        self.traps: yamltraps.Traps | None = None

    def _problem(self, mark: Any, message: str, path: PathKey = ()) -> None:
        loc = SourceLocation(self.name, mark.line + 1, mark.column + 1)
        self.problems.append(Problem(loc, message, format_path(path)))

    def _fatal(self, mark: Any, message: str, path: PathKey = ()) -> FactsError:
        self._problem(mark, message, path)
        return FactsError(self.problems)

    def build(self, text: str) -> Source:
        self.traps = yamltraps.Traps(text, self.name)
        try:
            self._walk(yaml.parse(text, Loader=_Loader))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "malformed YAML"
            if mark is None:
                raise FactsError([Problem(SourceLocation(self.name), problem)]) from None
            if "nesting depth" in problem:  # newer libyaml caps nesting in its scanner
                raise self._fatal(
                    mark, f"nesting is deeper than {self.limits.max_depth} levels"
                ) from None
            self.problems.append(yamltraps.explain(exc, text, self.name))
            raise FactsError(self.problems) from None
        except yaml.YAMLError as exc:
            raise FactsError(
                [Problem(SourceLocation(self.name), f"this is not valid YAML [YAML: {exc}]")]
            ) from None
        self.problems.extend(self.traps.finish())
        if self.problems:
            raise FactsError(self.problems)
        return self.source

    def _walk(self, events: Any) -> None:
        # Each frame: [container, path, pending_key, key_mark, anchor, start_mark, size,
        # height (levels of nesting inside, aliases expanded)]
        stack: list[list[Any]] = []
        traps = self.traps
        assert traps is not None
        documents = 0
        root: Any = None
        seen_keys: list[dict[str, int]] = []

        def attach(value: Any, mark: Any, size: int, height: int = 0) -> None:
            nonlocal root
            if not stack:
                root = value
                return
            frame = stack[-1]
            container, path = frame[0], frame[1]
            frame[6] += size
            frame[7] = max(frame[7], height + 1)
            if isinstance(container, list):
                child_path = (*path, len(container))
                self.source.value_marks[child_path] = (mark.line + 1, mark.column + 1)
                container.append(value)
                return
            key = frame[2]
            if key is _NO_KEY:
                if not isinstance(value, str):
                    self._problem(
                        mark, "a field name must be plain text, not a list or a mapping", path
                    )
                    frame[2] = _BAD_KEY
                    return
                first = seen_keys[-1].get(value)
                if first is not None:
                    self._problem(
                        mark,
                        f"duplicate key '{value}' (first given on line {first})",
                        (*path, value),
                    )
                    frame[2] = _BAD_KEY
                    return
                seen_keys[-1][value] = mark.line + 1
                frame[2] = value
                key_path: PathKey = (*path, value)
                self.source.key_marks[key_path] = (mark.line + 1, mark.column + 1)
                return
            frame[2] = _NO_KEY
            if key is _BAD_KEY:
                return
            child_path = (*path, key)
            self.source.value_marks[child_path] = (mark.line + 1, mark.column + 1)
            container[key] = value

        def child_path() -> PathKey:
            frame = stack[-1]
            if isinstance(frame[0], list):
                return (*frame[1], len(frame[0]))
            key = frame[2]
            return (*frame[1], key if isinstance(key, str) else "?")

        for event in events:
            kind = type(event)
            if (
                kind is yaml.ScalarEvent
                or kind is yaml.MappingStartEvent
                or (kind is yaml.SequenceStartEvent)
            ):
                self.nodes += 1
                if self.nodes > self.limits.max_nodes:
                    raise self._fatal(
                        event.start_mark,
                        f"more than {self.limits.max_nodes:,} values; the file is too large",
                    )
                tag = event.tag
                if tag is not None and tag != "!":
                    shown = tag.replace("tag:yaml.org,2002:", "!!")
                    where = format_path(child_path()) if stack else ""
                    traps.tag(event, where, shown)
            if kind is yaml.ScalarEvent:
                value = event.value
                plain = not event.style
                if plain and value in _NULLS:
                    value = None
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1, 0)
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is _NO_KEY
                if not is_key:
                    traps.scalar(event, format_path(child_path()) if stack else "")
                attach(value, event.start_mark, 1)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= self.limits.max_depth:
                    raise self._fatal(
                        event.start_mark,
                        f"nesting is deeper than {self.limits.max_depth} levels",
                    )
                # (a list or mapping used as a key is reported once, when it ends)
                path: PathKey = child_path() if stack else ()
                traps.anchor(event)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                stack.append([container, path, _NO_KEY, None, event.anchor, event.start_mark, 1, 1])
                seen_keys.append({})
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, path, _key, _km, anchor, start, size, height = stack.pop()
                seen_keys.pop()
                if anchor:
                    self.anchors[anchor] = (container, size, height)
                attach(container, start, size, height)
            elif kind is yaml.AliasEvent:
                self.aliases += 1
                if self.aliases > self.limits.max_aliases:
                    raise self._fatal(
                        event.start_mark,
                        f"more than {self.limits.max_aliases:,} aliases (*name); "
                        "refusing to expand",
                    )
                traps.alias(event.anchor)
                target = self.anchors.get(event.anchor)
                if target is None:
                    raise self._fatal(event.start_mark, f"unknown alias '*{event.anchor}'")
                value, size, height = target
                if len(stack) + height > self.limits.max_depth:
                    # an alias nests its value where it is used: counted as if typed there
                    raise self._fatal(
                        event.start_mark,
                        f"aliases nest values deeper than {self.limits.max_depth} levels",
                    )
                self.nodes += size
                if self.nodes > self.limits.max_nodes:
                    raise self._fatal(
                        event.start_mark,
                        f"aliases expand to more than {self.limits.max_nodes:,} values; "
                        "refusing to expand",
                    )
                attach(value, event.start_mark, size, height)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self._fatal(
                        event.start_mark, "more than one YAML document ('---'); keep one per file"
                    )
        if root is None and not self.problems:
            raise FactsError(
                [Problem(SourceLocation(self.name), "file is empty; expected a mapping of fields")]
            )
        self.source.data = root
        self.source.value_marks[()] = (1, 1)


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NO_KEY: Any = _Marker("NO_KEY")
_BAD_KEY: Any = _Marker("BAD_KEY")
