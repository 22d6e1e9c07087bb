"""``reports review``: report a returned DOCX's edits against its fact base, and apply them.

The review itself (:mod:`.review`) knows only the document and its map. Here each change
is tied to the fact base: its position (``data/x.yaml:23:5``), the text to write in the
fact base's own syntax (version 2 markup rebuilt from the runs' bold, italic and links),
and whether the fact base changed since the DOCX was built. ``--apply`` then replaces
exactly the changed values' spans in the YAML text, removes deleted items' lines and adds
new items in the style of their neighbours (:mod:`reports.yamledit`); the result must read
back as intended and validate before it replaces the file, in one atomic write.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FactsError, Problem, ReportError, SourceLocation, UsageError, printable
from ..yamlsrc import PathKey, Source, load_bytes
from .package import DocxError, open_docx
from .review import Change, NoMap, parse_path, review
from .wordml import Piece


@dataclass(slots=True)
class Outcome:
    """What a review found and did."""

    facts: Path
    name: str = ""
    """The fact base as messages name it."""
    lines: list[str] = field(default_factory=list)
    """One line per change, in the problem format."""
    records: list[dict[str, Any]] = field(default_factory=list)
    """The same as objects, for ``--json``."""
    warnings: list[str] = field(default_factory=list)
    applied: int = 0
    """Changes written into the fact base (with ``--apply``)."""
    by_hand: int = 0
    """Changes that must be made by hand."""


def review_file(docx: Path, facts: Path | None = None, *, apply: bool = False) -> Outcome:
    """Review ``docx`` against its fact base (``facts``, else the one it records) and, with
    ``apply``, write the changes that can be applied. Raise :class:`ReportError` when the
    document or the fact base cannot be read, or the result would not validate."""
    word = open_docx(docx)
    try:
        result = review(word)
    except NoMap as exc:
        raise DocxError([Problem(SourceLocation(str(docx)), str(exc))]) from None
    fmap = result.fmap
    path = facts or _find_facts(docx, fmap.file or result.properties.get("file", ""))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the fact base {path}: {exc.strerror}") from None
    outcome = Outcome(path)
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0 :].decode("utf-8", errors="replace")
    from ..build.files import shown

    name = shown(path) if facts is None else str(path)
    source = load_bytes(raw, name)
    outcome.name = name
    old: Source | None = None
    if fmap.sha256 and hashlib.sha256(raw).hexdigest() != fmap.sha256:
        old_raw = _from_git(path, fmap.blob)
        if old_raw is not None:
            old = load_bytes(old_raw, name)
            outcome.warnings.append(
                f"{path}: changed since {docx.name} was built; the changes are compared with "
                f"the version it was built from (git blob {fmap.blob[:10]}) (warning)"
            )
        else:
            outcome.warnings.append(
                f"{path}: changed since {docx.name} was built and that version is not in "
                "git; the changes are compared with the current file (warning)"
            )
    ctx = _Context(source, text, _language(source.data, fmap.lang), fmap.schema, old)
    ctx.moved_on = bool(fmap.sha256) and hashlib.sha256(raw).hexdigest() != fmap.sha256
    for change in result.changes:
        ctx.prepare(change)
    for change in result.changes:
        outcome.lines.append(ctx.line(change))
        outcome.records.append(ctx.record(change))
    if apply:
        todo = [c for c in result.changes if c.applicable and c.value is not None]
        if todo:
            new_text = ctx.edit(todo)
            try:
                _check(new_text, path)
            except FactsError:
                # some change makes the fact base invalid (a cell misread as a new row):
                # apply those that are valid on their own, leave the others by hand
                todo = _valid_alone(ctx, todo, path)
                if todo:
                    new_text = ctx.edit(todo)
                    _check(new_text, path)  # together too, or nothing is written
                outcome.lines = [ctx.line(c) for c in result.changes]
                outcome.records = [ctx.record(c) for c in result.changes]
        if todo:
            from ..build.files import write_files

            write_files({path: (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")})
            outcome.applied = len(todo)
            for record in outcome.records:
                record["applied"] = record["applicable"]
    outcome.by_hand = sum(1 for c in result.changes if c.kind != "comment" and not c.applicable)
    return outcome


def _find_facts(docx: Path, recorded: str) -> Path:
    """The fact base a DOCX records, relative to the working folder's repository, the
    working folder, or the DOCX's repository."""
    from ..confine import repository_root

    if not recorded:
        raise UsageError(f"{docx} does not say which fact base it came from; name it with --facts")
    for base in (repository_root(Path.cwd()), Path.cwd(), repository_root(docx.resolve().parent)):
        candidate = base / recorded
        if candidate.is_file():
            return candidate
    raise UsageError(
        f"{docx} was built from {printable(recorded)}, which is not here; name it with --facts"
    )


def _from_git(path: Path, blob: str) -> bytes | None:
    """The fact base's bytes as they were (git blob ``blob``), if its repository has them."""
    if not blob or not all(c in "0123456789abcdef" for c in blob):
        return None
    try:
        done = subprocess.run(
            ["git", "cat-file", "blob", blob],
            cwd=path.resolve().parent,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _language(data: Any, tag: str) -> str:
    """The fact base's language key for the DOCX's language tag (``en-GB`` → ``en``)."""
    from ..i18n import languages

    declared = languages(data)
    for candidate in (tag, tag.split("-")[0]):
        if candidate in declared:
            return candidate
    return declared[0]


def _valid_alone(ctx: _Context, changes: list[Change], path: Path) -> list[Change]:
    """The changes that leave a valid fact base when applied alone; the others are marked
    to apply by hand, with the first problem they would cause."""
    kept = []
    for change in changes:
        try:
            _check(ctx.edit([change]), path)
        except FactsError as exc:
            first = exc.problems[0].message.replace(
                " (after applying the review; nothing was written)", ""
            )
            change.note = f"!applying it would make the fact base invalid ({first}); apply by hand"
            continue
        kept.append(change)
    return kept


def _check(text: str, path: Path) -> None:
    """Raise :class:`FactsError` unless ``text`` is a valid fact base (each language)."""
    from ..i18n import languages
    from ..validate import validate

    source = load_bytes(text.encode("utf-8"), str(path))
    problems: list[Problem] = []
    for lang in languages(source.data):
        try:
            validate(source, lang)
        except FactsError as exc:
            problems += exc.problems
    if problems:
        lines = [
            Problem(
                p.location, f"{p.message} (after applying the review; nothing was written)", p.field
            )
            for p in problems
        ]
        raise FactsError(lines)


class _Context:
    """One fact base being reviewed: its text, data, language and schema."""

    def __init__(
        self, source: Source, text: str, lang: str, schema: int, old: Source | None
    ) -> None:
        from ..i18n import languages, localize

        self.source = source
        self.text = text
        self.lang = lang
        self.schema = schema
        self.old = old
        self.multilingual = len(languages(source.data)) > 1
        self.located, _ = localize(source, lang, fallback=True)
        self.moved_on = False
        """The fact base changed since the DOCX was built."""

    # ------------------------------------------------------------ reading the fact base

    def yaml_path(self, parts: PathKey) -> PathKey:
        """``parts`` as written in the file: with the language key of a per-language value."""
        node: Any = self.source.data
        out: list[str | int] = []
        for part in parts:
            if isinstance(node, dict) and part not in node and self.lang in node:
                out.append(self.lang)
                node = node[self.lang]
            out.append(part)
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return tuple(out)
        if isinstance(node, dict) and self.lang in node:
            out.append(self.lang)
        return tuple(out)

    def value(self, parts: PathKey, data: Any = None) -> Any:
        node: Any = self.source.data if data is None else data
        for part in self.yaml_path(parts) if data is None else parts:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        if isinstance(node, dict) and self.lang in node:
            node = node[self.lang]
        return node

    def location(self, change: Change) -> tuple[SourceLocation, str]:
        path = change.path or change.near
        parts = parse_path(path) if path else ()
        if change.kind == "added" and parts and isinstance(parts[-1], int) and parts[-1] > 0:
            parts = (*parts[:-1], parts[-1] - 1)  # where it goes: after the item before it
        return self.located.locate(parts), path

    # ------------------------------------------------------------ the text to write

    def prepare(self, change: Change) -> None:
        """Work out what ``--apply`` would write for ``change``, or why it cannot."""
        parts = parse_path(change.path) if change.path else ()
        if change.kind == "changed":
            current = self.value(parts)
            if isinstance(current, list) and len(current) == 1:
                current = current[0]
            if not isinstance(current, str):
                change.note = "!the fact base has no text here any more; apply by hand"
                return
            from ..richtext import words

            if words(current, self.schema) == " ".join(change.new.split()):
                change.note = "!already in the fact base"
                return
            if not self._unchanged_since(parts, current, change.old):
                change.note = (
                    "!also changed in the fact base since the DOCX was built; apply by hand"
                )
                return
            change.value = self.text_of(change, current)
        elif change.kind == "deleted":
            if change.note:
                return
            current = self.value(parts)
            if not self._item_unchanged_since(parts, current, change.old):
                if self.moved_on and not self._in_list(parts, change.old):
                    change.note = "!already in the fact base"  # deleted there already
                    return
                change.note = (
                    "!also changed in the fact base since the DOCX was built; apply by hand"
                )
                return
            change.value = True
        elif change.kind == "added":
            if self.moved_on and self._in_list(parts, change.new):
                change.note = "!already in the fact base"  # a returned file applied twice
                return
            change.value = self.item_of(change, parts)

    def _unchanged_since(self, parts: PathKey, current: str, built: str) -> bool:
        """Whether the fact base still says at ``parts`` what the DOCX was built from:
        compared with the version it was built from (from git), else by its words."""
        if not self.moved_on:
            return True
        if self.old is not None:
            return self._same_then(parts, current)
        from ..richtext import words

        return words(current, self.schema) == " ".join(built.split())

    def _item_unchanged_since(self, parts: PathKey, current: Any, built: str) -> bool:
        """Whether a list item still holds the words it was built with (its fields'
        words, `` / ``-separated in ``built``)."""
        if not self.moved_on:
            return True
        if self.old is not None:
            return self._same_then(parts, current)
        from ..richtext import words

        leaves = {words(t, self.schema) for t in _texts(current, self.lang)}
        return all(" ".join(part.split()) in leaves for part in built.split(" / "))

    def _in_list(self, parts: PathKey, text: str) -> bool:
        """Whether the list ``parts`` is an item of holds an item with ``text``'s words
        (its fields' words `` / ``-separated, as changes write them)."""
        from ..richtext import words

        siblings = self.value(parts[:-1])
        if not isinstance(siblings, list):
            return False
        wanted = " ".join(text.split())
        for item in siblings:
            leaves = [words(t, self.schema) for t in _texts(item, self.lang)]
            if wanted in leaves or " / ".join(leaves) == wanted:
                return True
        return False

    def _same_then(self, parts: PathKey, current: Any) -> bool:
        assert self.old is not None
        from ..i18n import localize

        then, _ = localize(self.old, self.lang, fallback=True)
        node: Any = then.data
        for part in parts:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return False
        if isinstance(node, list) and len(node) == 1 and isinstance(current, str):
            node = node[0]
        return bool(node == current)

    def text_of(self, change: Change, current: str) -> str:
        """The new text in the fact base's syntax: literal (version 1) or markup (2)."""
        new = change.new.strip()
        styled = [p for p in change.pieces if p.bold or p.italic or p.underline or p.href]
        if self.schema < 2:
            if styled:
                change.note = (
                    "formatting (bold, italic, links) is not kept: version 1 text is literal"
                )
            return new
        from ..richtext import references, words

        markup = markdown(change.pieces, references(current))
        if markup is None:
            change.note = "!footnote references were added or removed; apply by hand"
            return new
        if words(markup, 2) != " ".join(new.split()):
            from ..richtext import escape_markdown

            change.note = "its formatting could not be written as markup and is not kept"
            return escape_markdown(new)
        return markup

    def item_of(self, change: Change, parts: PathKey) -> Any:
        """The new item, its texts escaped for version 2, keys in its neighbour's order."""
        from ..richtext import escape_markdown

        value = change.value
        unmapped = value.pop("__unmapped__", []) if isinstance(value, dict) else []
        index = parts[-1]
        assert isinstance(index, int)
        siblings = self.value(parts[:-1])
        if not isinstance(siblings, list) or not siblings:
            change.note = "!there is no list here to add to; apply by hand"
            return None
        neighbour = siblings[min(index, len(siblings)) - 1]

        def text(s: str) -> str:
            return escape_markdown(s) if self.schema >= 2 else s

        if isinstance(value, str):
            if isinstance(neighbour, dict):
                change.note = "!the list's items have several fields; apply by hand"
                return None
            return text(value)
        if not isinstance(neighbour, dict):
            change.note = "!the list's items are single texts; apply by hand"
            return None
        item = {k: text(v) for k, v in value.items() if isinstance(v, str)}
        missing = [k for k in neighbour if k not in item]
        for _column, cell in unmapped:
            if "date" in missing:
                date = parse_date(cell, self.lang)
                if date is not None:
                    item["date"] = date
                    missing.remove("date")
                    continue
            change.note = (
                f"!its cell '{printable(cell)}' could not be tied to a field; apply by hand"
            )
            return None
        if "side" in neighbour and "side" not in item:
            # an attendee's side is the table it was added to: the rows around it say which
            around = [siblings[k] for k in (index - 1, index) if 0 <= k < len(siblings)]
            sides = {a.get("side", "other") for a in around if isinstance(a, dict)}
            if len(sides) != 1:
                change.note = "!which side the new attendee is on is not known; apply by hand"
                return None
            item["side"] = sides.pop()
        order = list(neighbour)
        return {
            k: item[k] for k in sorted(item, key=lambda k: order.index(k) if k in order else 99)
        }

    # ------------------------------------------------------------ reporting

    def line(self, change: Change) -> str:
        where, path = self.location(change)
        return str(Problem(where, self.message(change), path))

    def message(self, change: Change) -> str:
        who = ""
        if change.tracked:
            details = ", ".join(x for x in ("tracked", change.date) if x)
            who = f" by {', '.join(change.authors) or 'someone'} ({details})"
        elif change.kind != "comment":
            who = " (not tracked)"
        note = f"; {change.note.lstrip('!')}" if change.note else ""
        if change.kind == "changed":
            return f'changed{who}: "{_short(change.old)}" → "{_short(change.new)}"{note}'
        if change.kind == "deleted":
            return f'deleted{who}: "{_short(change.old)}"{note}'
        if change.kind == "added":
            return f'added{who}: "{_short(change.new)}"{note}'
        if change.kind == "comment":
            by = f" by {', '.join(change.authors)}" if change.authors else ""
            when = f" ({change.date})" if change.date else ""
            where = "" if change.path else " (not on a mapped field)"
            return f'comment{by}{when}{where}: "{_short(change.new)}"'
        what = (
            f'"{_short(change.old)}" → "{_short(change.new)}"'
            if change.old and change.new
            else (
                f'new text "{_short(change.new)}"'
                if change.new
                else f'removed "{_short(change.old)}"'
            )
        )
        return f"not mapped; apply by hand{who}: {what}"

    def record(self, change: Change) -> dict[str, Any]:
        where, _path = self.location(change)
        return {
            "kind": change.kind,
            "field": change.path,
            "near": change.near,
            "file": where.file,
            "line": where.line,
            "column": where.column,
            "old": change.old,
            "new": change.new,
            "tracked": change.tracked,
            "authors": list(change.authors),
            "date": change.date,
            "note": change.note.lstrip("!"),
            "applicable": change.kind != "comment"
            and change.applicable
            and change.value is not None,
            "applied": False,
        }

    # ------------------------------------------------------------ editing

    def edit(self, changes: list[Change]) -> str:
        """The fact base's text with ``changes`` applied, checked by reading it back."""
        from .. import yamledit as ye

        nodes = {n.path: n for n in ye.nodes(self.text)}
        edits: list[tuple[int, int, str]] = []
        for change in changes:
            parts = parse_path(change.path)
            if change.kind == "changed":
                where = self.yaml_path(parts)
                node = nodes.get(where)
                if node is not None and node.kind == "seq":  # a list of one paragraph
                    node = nodes.get((*where, 0))
                if node is None or node.kind != "scalar":
                    raise self._cannot(change, "its value is not a text in the file")
                edits.append((node.start, node.end, ye.scalar_text(change.value, node, self.text)))
            elif change.kind == "deleted":
                node = nodes.get(self.yaml_path(parts))
                span = ye.item_span(self.text, node) if node is not None else None
                if span is None:
                    raise self._cannot(change, "it is not an item of a block list")
                edits.append((span[0], span[1], ""))
            elif change.kind == "added":
                edits.append(self._insertion(change, parts, nodes))
        return ye.apply_edits(self.text, edits)

    def _insertion(
        self, change: Change, parts: PathKey, nodes: dict[PathKey, Any]
    ) -> tuple[int, int, str]:
        from .. import yamledit as ye

        index = parts[-1]
        assert isinstance(index, int)
        list_path = self.yaml_path(parts[:-1])
        before = nodes.get((*list_path, index - 1))
        span = ye.item_span(self.text, before) if before is not None else None
        if before is None or span is None:
            raise self._cannot(change, "the list is not a block list")
        line = self.text[span[0] :]
        dash = line.index("-")
        indent = line[:dash]
        inner = " " * (before.start - span[0] - dash) if before.kind == "map" else "  "
        value = change.value
        if isinstance(value, str):
            body = f"{indent}-{inner[1:] if len(inner) > 1 else ' '}{ye.scalar_text(value)}\n"
        else:
            pad = indent + " " + inner[1:] if len(inner) > 1 else indent + "  "
            first = True
            body = ""
            for key, text in value.items():
                lead = f"{indent}-{inner[1:] if len(inner) > 1 else ' '}" if first else pad
                body += f"{lead}{key}: {ye.scalar_text(text)}\n"
                first = False
        at = span[1]
        if at and self.text[at - 1 : at] != "\n":
            body = "\n" + body
        return at, at, body

    def _cannot(self, change: Change, why: str) -> FactsError:
        where, path = self.location(change)
        return FactsError([Problem(where, f"cannot apply: {why}; apply it by hand", path)])


def _texts(node: Any, lang: str) -> list[str]:
    """The texts of a value (in ``lang`` where given per language), in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        if lang in node and not isinstance(node[lang], dict):
            return _texts(node[lang], lang)
        return [t for v in node.values() for t in _texts(v, lang)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v, lang)]
    return []


def markdown(pieces: list[Piece], footnotes: list[str]) -> str | None:
    """Version 2 markup for ``pieces`` (bold, emphasis, links, footnote references in the
    order of ``footnotes``); ``None`` when the references do not match."""
    from ..richtext import escape_markdown

    refs = iter(footnotes)
    out: list[str] = []
    groups: list[tuple[tuple[bool, bool, str | None], list[Piece]]] = []
    for p in pieces:
        key = (p.bold, p.italic or p.underline, p.href)
        if p.footnote:
            groups.append(((False, False, None), [p]))
        elif groups and groups[-1][0] == key and not groups[-1][1][-1].footnote:
            groups[-1][1].append(p)
        else:
            groups.append((key, [p]))
    for (bold, emph, href), group in groups:
        if group[0].footnote:
            ref = next(refs, None)
            if ref is None:
                return None
            out.append(f"[^{ref}]")
            continue
        raw = "".join(p.text for p in group)
        core = raw.strip(" ")
        if not core:
            out.append(raw)
            continue
        lead, trail = raw[: len(raw) - len(raw.lstrip(" "))], raw[len(raw.rstrip(" ")) :]
        text = escape_markdown(core).replace("\n", "\\\n")
        if emph:
            text = f"*{text}*"
        if bold:
            text = f"**{text}**"
        if href and not href.startswith("#"):
            text = f"[{text}]({href})"
        out.append(lead + text + trail)
    if next(refs, None) is not None:
        return None
    return "".join(out).strip()


def parse_date(text: str, lang: str) -> str | None:
    """A date as the memo printed it (``13 February 2024``, ``early February 2024``,
    ``2024-02-13``) in the fact base's form (``2024-02-13``, ``early 2024-02``)."""
    import datetime as _dt
    import re

    from ..model import PartialDate
    from ..resources import template_dir
    from ..templating import locale_for

    cleaned = " ".join(text.split())
    if re.fullmatch(r"(?:(?:early|mid|late) )?[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?", cleaned):
        return cleaned
    try:
        locale = locale_for(template_dir(), lang)
    except ReportError:
        return None
    found = re.search(r"[0-9]{4}", cleaned)
    if found is None:
        return None
    year = int(found.group())
    for style in ("long", "official"):
        for month in range(1, 13):
            for qualifier in (None, "early", "mid", "late"):
                date = PartialDate(year, month, None, qualifier)
                if locale.date(date, style) == cleaned:
                    return f"{qualifier + ' ' if qualifier else ''}{year}-{month:02d}"
            day = _dt.date(year, month, 1)
            while day.month == month:
                if locale.date(PartialDate(year, month, day.day), style) == cleaned:
                    return day.isoformat()
                day += _dt.timedelta(days=1)
        if locale.date(PartialDate(year), style) == cleaned:
            return str(year)
    return None


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["Outcome", "markdown", "parse_date", "review_file"]
