"""``reports redline``: the memo as its new fact base writes it, with the differences from
an old version marked as insertions and deletions, word by word.

Both versions are rendered to the document model; every field's words (the
:class:`~reports.document.Sourced` marks) are matched to the same field of the old version,
list items by their text (so an item added at the top does not make every later item look
changed), and the words compared. Changed words become :class:`~reports.document.Inserted`
and :class:`~reports.document.Deleted` nodes, which the DOCX writes as tracked changes and
the PDF as coloured underlining and strike-through with change bars. Items that are gone
come back struck through where they stood.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import document as d
from .review import item_prefixes, parse_path

PathParts = tuple[str | int, ...]
_TOKEN = re.compile(r"\s+|[\w'\u2019-]+|[^\w\s]", re.UNICODE)
"""Words (with their apostrophes and hyphens), runs of space, and single marks."""


def redline(old: d.Document, new: d.Document) -> d.Document:
    """``new`` with what changed since ``old`` marked (see the module's description)."""
    old_spans = _spans(old)
    new_spans = _spans(new)
    renames = _align(old_spans, new_spans)
    old_by_key = {(s.source, s.part): s for s in old_spans}
    was = {new_key: key for key, new_key in renames.items() if new_key is not None}
    replacements: dict[int, d.Inline] = {}
    for span in new_spans:
        path = parse_path(span.source)
        old_path = _translate(path, was)
        before = None if old_path is None else old_by_key.get((_fmt(old_path), span.part))
        if before is None:
            inserted = (d.Inserted(span.children),)
            replacements[id(span)] = dataclasses.replace(span, children=inserted)
        elif d.plain_text(before.children) != d.plain_text(span.children):
            replacements[id(span)] = dataclasses.replace(
                span, children=_diff(d.plain_text(before.children), d.plain_text(span.children))
            )
    gone = [k for k, v in renames.items() if v is None]
    units = _old_units(old, set(gone))
    after = _placements(gone, renames, old_spans)
    doc = _rewrite(new, replacements, after, units)
    assert isinstance(doc, d.Document)
    return doc


def changed(doc: d.Document) -> bool:
    """Whether a redline marks any change."""
    return any(isinstance(n, (d.Inserted, d.Deleted)) for n in _walk(doc))


def _fmt(path: PathParts) -> str:
    from ..yamlsrc import format_path

    return format_path(path)


def _walk(node: Any) -> Iterator[Any]:
    if isinstance(node, tuple):
        for n in node:
            yield from _walk(n)
    elif dataclasses.is_dataclass(node) and not isinstance(node, (d.Image, d.Meta, type)):
        yield node
        for f in dataclasses.fields(node):
            yield from _walk(getattr(node, f.name))


def _spans(doc: d.Document) -> list[d.Sourced]:
    return [n for n in _walk(doc) if isinstance(n, d.Sourced)]


def _inner(path: PathParts) -> PathParts | None:
    """The innermost list item a field belongs to (``events[0].attendees[3]``), if any."""
    for k in range(len(path) - 1, -1, -1):
        if isinstance(path[k], int):
            return path[: k + 1]
    return None


def _align(old: list[d.Sourced], new: list[d.Sourced]) -> dict[PathParts, PathParts | None]:
    """Old item → the new item it became (``None``: removed), per list, matched by text,
    outer lists first, then the lists inside items that were matched (an event's
    attendees), so a row removed does not re-mark every row after it."""

    def items(spans: list[d.Sourced]) -> dict[PathParts, dict[int, str]]:
        out: dict[PathParts, dict[int, str]] = {}
        for s in spans:
            for prefix in item_prefixes(parse_path(s.source)):
                index = prefix[-1]
                assert isinstance(index, int)
                texts = out.setdefault(prefix[:-1], {})
                texts[index] = texts.get(index, "") + " " + d.plain_text(s.children)
        return out

    before, after = items(old), items(new)
    renames: dict[PathParts, PathParts | None] = {}
    was: dict[PathParts, PathParts] = {}  # new item → old item
    for new_list in sorted(after, key=len):
        old_list = _translate(new_list, was)
        if old_list is None or old_list not in before:
            continue
        texts, new_texts = before[old_list], after[new_list]
        old_keys, new_keys = sorted(texts), sorted(new_texts)
        matcher = difflib.SequenceMatcher(
            None, [texts[k] for k in old_keys], [new_texts[k] for k in new_keys], autojunk=False
        )
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            for i in range(a0, a1):
                j = b0 + (i - a0)
                key: PathParts = (*old_list, old_keys[i])
                new_key: PathParts = (*new_list, new_keys[j]) if j < b1 else ()
                if op in ("equal", "replace") and j < b1:
                    renames[key] = new_key
                    was[new_key] = key
                else:
                    renames[key] = None
    for old_list, texts in before.items():  # a list whose items all went
        if not any(old_list == _translate(n, was) for n in after):
            outer = _inner(old_list)
            if outer is None or renames.get(outer) is not None:
                for k in texts:
                    renames.setdefault((*old_list, k), None)
    return renames


def _translate(path: PathParts, was: dict[PathParts, PathParts]) -> PathParts | None:
    """``path`` (in the new memo) in the old memo's numbering: its innermost matched item
    replaced by the old item it was; ``None`` if it lies in an item that is new."""
    for k in range(len(path), 0, -1):
        prefix = path[:k]
        if prefix in was:
            return (*was[prefix], *path[k:])
        if isinstance(prefix[-1], int):
            return None  # inside a new item
    return path


def _diff(old: str, new: str) -> d.Inlines:
    """``new`` with the words changed since ``old`` marked, word by word."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    ops: list[list[Any]] = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        # a space kept between two changed words belongs to the change: "virtual meeting"
        # → "video conference" reads as one replacement, not two
        if ops and ops[-1][0] != "equal" and op != "equal":
            ops[-1][0] = "replace"
            ops[-1][2], ops[-1][4] = a1, b1
        elif (
            ops and op != "equal" and len(ops) > 1 and ops[-1][0] == "equal"
            and ops[-2][0] != "equal" and not "".join(b[ops[-1][3] : ops[-1][4]]).strip()
        ):  # fmt: skip
            ops.pop()
            ops[-1][0] = "replace"
            ops[-1][2], ops[-1][4] = a1, b1
        else:
            ops.append([op, a0, a1, b0, b1])
    out: list[d.Inline] = []
    for op, a0, a1, b0, b1 in ops:
        if op == "equal":
            out.append(d.Text("".join(b[b0:b1])))
            continue
        if a1 > a0:
            out.append(d.Deleted((d.Text("".join(a[a0:a1])),)))
        if b1 > b0:
            out.append(d.Inserted((d.Text("".join(b[b0:b1])),)))
    return tuple(out)


# ---------------------------------------------------------------- removed items


def _keys(node: Any) -> set[PathParts]:
    """The innermost items whose words ``node`` holds (not counting nested lists)."""
    out: set[PathParts] = set()
    for n in _walk(node.content if isinstance(node, d.ListItem) else node):
        if isinstance(n, d.Sourced):
            inner = _inner(parse_path(n.source))
            if inner is not None:
                out.add(inner)
    return out


_UNITS = (d.ListItem, d.Paragraph, d.QA, d.Note)


def _old_units(old: d.Document, gone: set[PathParts]) -> dict[PathParts, list[Any]]:
    """Removed item → its paragraphs, list items, questions or table rows in the old
    memo, struck through."""
    out: dict[PathParts, list[Any]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, tuple):
            for n in node:
                visit(n)
            return
        if isinstance(node, d.Table):
            for row in node.rows:
                keys = set().union(*(_keys(c) for c in row))
                for key in keys & gone:
                    out.setdefault(key, []).append(("row", tuple(_struck(c) for c in row)))
            return
        if isinstance(node, _UNITS):
            keys = _keys(node)
            for key in keys & gone:
                out.setdefault(key, []).append(_struck(node))
        if dataclasses.is_dataclass(node) and not isinstance(node, (d.Image, d.Meta, type)):
            for f in dataclasses.fields(node):
                visit(getattr(node, f.name))

    visit(old.blocks)
    return out


def _struck(node: Any) -> Any:
    """``node`` with all its words deleted."""
    if isinstance(node, tuple):
        if node and all(_is_inline(n) for n in node):
            return (d.Deleted(tuple(node)),)
        return tuple(_struck(n) for n in node)
    if isinstance(node, d.ListItem):
        return d.ListItem(_struck(node.content), ())
    if isinstance(node, d.QA):
        return dataclasses.replace(
            node, question=_struck(node.question), answer=tuple(_struck(a) for a in node.answer)
        )
    if isinstance(node, (d.Paragraph, d.Note)):
        return dataclasses.replace(node, content=_struck(node.content))
    return node


def _is_inline(node: Any) -> bool:
    return isinstance(
        node,
        (d.Text, d.Emph, d.Strong, d.Link, d.LineBreak, d.FootnoteRef, d.Sourced, d.Inserted,
         d.Deleted),
    )  # fmt: skip


def _placements(
    gone: list[PathParts],
    renames: dict[PathParts, PathParts | None],
    old_spans: list[d.Sourced],
) -> dict[PathParts, list[PathParts]]:
    """New item → the removed items that go after it; ``()`` → before the first item."""
    out: dict[PathParts, list[PathParts]] = {}
    for key in sorted(gone, key=lambda k: (str(k[:-1]), k[-1])):
        lst, index = key[:-1], key[-1]
        assert isinstance(index, int)
        anchor: PathParts = (*lst, -1)
        for i in range(index - 1, -1, -1):
            target = renames.get((*lst, i))
            if target is not None:
                anchor = target
                break
        out.setdefault(anchor, []).append(key)
    return out


def _rewrite(
    node: Any,
    replacements: dict[int, d.Inline],
    after: dict[PathParts, list[PathParts]],
    units: dict[PathParts, list[Any]],
) -> Any:
    """``node`` with marked spans replaced and removed items put back after their
    neighbours (or first in their list)."""
    if isinstance(node, d.Sourced) and id(node) in replacements:
        return replacements[id(node)]
    if isinstance(node, tuple):
        out: list[Any] = []
        first_of: set[PathParts] = set()
        for n in node:
            new = _rewrite(n, replacements, after, units)
            keys = _keys(n) if isinstance(n, _UNITS) else set()
            if isinstance(n, _UNITS):
                for key in keys:
                    lst = key[:-1]
                    if (*lst, -1) in after and lst not in first_of and key[-1] == 0:
                        first_of.add(lst)
                        for gone in after.pop((*lst, -1)):
                            out += [u for u in units.get(gone, []) if not isinstance(u, tuple)]
            out.append(new)
            for key in sorted(keys, key=str):
                for gone in after.pop(key, []):
                    out += [u for u in units.get(gone, []) if type(u) is type(n)]
        return tuple(out)
    if isinstance(node, d.Table):
        rows: list[tuple[d.Inlines, ...]] = []
        for row in node.rows:
            keys = set().union(*(_keys(c) for c in row))
            for key in sorted(keys, key=str):  # rows removed from the top of their list
                for gone in after.pop((*key[:-1], -1), []):
                    rows += [u[1] for u in units.get(gone, []) if isinstance(u, tuple)]
            rows.append(tuple(_rewrite(c, replacements, after, units) for c in row))
            for key in sorted(keys, key=str):
                for gone in after.pop(key, []):
                    rows += [u[1] for u in units.get(gone, []) if isinstance(u, tuple)]
        return dataclasses.replace(node, rows=tuple(rows))
    if dataclasses.is_dataclass(node) and not isinstance(node, (d.Image, d.Meta, d.Text, type)):
        changes = {
            f.name: _rewrite(getattr(node, f.name), replacements, after, units)
            for f in dataclasses.fields(node)
            if isinstance(getattr(node, f.name), tuple)
            or dataclasses.is_dataclass(getattr(node, f.name))
        }
        return dataclasses.replace(node, **changes)
    return node


def git_version(path: Path, rev: str) -> bytes:
    """The bytes of ``path`` at git revision ``rev``; raise :class:`UsageError` if git
    cannot give them."""
    import subprocess

    from ..confine import repository_root
    from ..errors import UsageError

    where = path.resolve()
    root = repository_root(where.parent)
    if rev.startswith("-") or not rev.strip():
        raise UsageError(f"'{rev}' is not a git revision")
    name = where.relative_to(root).as_posix()
    try:
        done = subprocess.run(
            ["git", "show", f"{rev}:{name}"], cwd=root, capture_output=True, timeout=60,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"cannot run git to read {name} at {rev}: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git has no {name} at {rev}" + (f" ({why[-1]})" if why else ""))
    return done.stdout


def redline_files(
    old: Path | None,
    new: Path,
    out_dir: Path,
    *,
    since: str | None = None,
    author: str = "reports",
    options: Any = None,
) -> list[tuple[Path, bool]]:
    """Write the redline of ``new`` against ``old`` (or against ``new`` at git revision
    ``since``) into ``out_dir``: a DOCX with tracked changes and a PDF with marked
    changes, per language. Return each file written and whether it shows any change."""
    from ..build import Builder, BuildOptions
    from ..build.files import output_stem, prepare_out_dir, write_files

    builder = Builder(options or BuildOptions())
    before = builder.check(new, git_version(new, since)) if since else None
    if before is None:
        assert old is not None
        before = builder.check(old)
    after = builder.check(new)
    old_path = new if since else old
    assert old_path is not None
    earlier = {f.lang: f for f in before.facts}
    files: dict[Path, bytes] = {}
    marked: dict[Path, bool] = {}
    prepare_out_dir(out_dir)
    for facts in after.facts:
        old_facts = earlier.get(facts.lang) or before.facts[0]
        doc = redline(builder.document(old_facts, old_path), builder.document(facts, new))
        doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, revision_author=author))
        stem = output_stem(new) + (f"-{facts.lang}" if after.multilingual else "") + "-redline"
        rendered = builder.render(facts, new, doc)
        for info in builder.options.writers:
            target = out_dir / f"{stem}{info.extension}"
            files[target] = rendered[info.name]
            marked[target] = changed(doc)
    write_files(files)
    return [(path, marked[path]) for path in files]
