"""Compare a returned DOCX with the map it was built with: what changed, field by field.

Every field's words are found between their bookmarks and read twice, with tracked
changes accepted and rejected; the result is compared with the words the map recorded
at build time. A field's paragraph is read whole when the field is all it holds, so words
typed just after a bookmark's end (where Word leaves them outside it) still count. New
paragraphs and table rows are recognised as new list items by their place and style;
whatever cannot be tied to a field is reported as "not mapped", with the nearest field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .fieldmap import BOOKMARK_PREFIX, FieldMap, MappedField, parse_map, parse_properties
from .package import WordFile
from .wordml import Mark, Para, Piece, Revision, bookmark_ids, paragraphs, spans

Kind = Literal["changed", "added", "deleted", "comment", "unmapped"]
PathParts = tuple[str | int, ...]


@dataclass(slots=True)
class Change:
    """One thing a reviewer did to the memo."""

    kind: Kind
    path: str
    """The field (``summary[0]``); for ``added``, the new item's (``summary[4]``); for
    ``unmapped``, empty."""
    old: str = ""
    new: str = ""
    tracked: bool = False
    """Made with Track Changes on (``w:ins``/``w:del``)."""
    authors: tuple[str, ...] = ()
    date: str = ""
    """The latest date of its tracked changes or of the comment (``YYYY-MM-DD``)."""
    near: str = ""
    """For ``unmapped`` and stray comments: the nearest field before it."""
    note: str = ""
    """Why it cannot be applied, or what else to know (formatting lost)."""
    value: Any = None
    """What ``--apply`` writes: the new text (in the fact base's syntax) for ``changed``;
    the new item (text or mapping) for ``added``; ``None`` when it cannot be applied."""
    pieces: list[Piece] = field(default_factory=list, repr=False)
    """The field's words as the reviewer left them, formatting included."""

    @property
    def applicable(self) -> bool:
        """Whether ``--apply`` can write it into the fact base."""
        return self.kind in ("changed", "added", "deleted") and not self.note.startswith("!")


@dataclass(slots=True)
class Review:
    """Everything found in one returned document."""

    fmap: FieldMap
    changes: list[Change] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


class NoMap(ValueError):
    """The document carries no map (not built by reports, or the map was removed)."""


def read_map(word: WordFile) -> FieldMap:
    """The map the document was built with; raise :class:`NoMap` when it has none."""
    for data in word.maps:
        fmap = parse_map(data)
        if fmap is not None:
            return fmap
    raise NoMap("has no map of its fields; it was not built by reports (or the map was removed)")


def parse_path(path: str) -> PathParts:
    """``faq[2].answer`` → ``("faq", 2, "answer")``."""
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        out.append(int(index) if index else name)
    return tuple(out)


def format_parts(parts: PathParts) -> str:
    """The inverse of :func:`parse_path`."""
    from ..yamlsrc import format_path

    return format_path(parts)


def review(word: WordFile) -> Review:
    """Every change, comment and unmapped edit in ``word``, in reading order."""
    fmap = read_map(word)
    paras = paragraphs(word.body, word.links)
    ids = bookmark_ids(word.body)
    found = {name: (p0, i0, p1, i1) for name, p0, i0, p1, i1 in spans(paras, ids)}
    result = Review(fmap, properties=parse_properties(word.properties))
    fields = [f for f in fmap.fields if f.name.startswith(BOOKMARK_PREFIX)]
    reclaimed = _reclaim(fields, paras, found)
    per_para: dict[int, int] = {}
    for f in fields:
        per_para[f.para] = per_para.get(f.para, 0) + 1
    deleted: set[str] = set()
    changes: list[tuple[tuple[int, int], Change]] = []
    for f in fields:
        where = found.get(f.name)
        if where is None:
            deleted.add(f.name)
            continue
        p0, i0, p1, _i1 = where
        whole = per_para[f.para] == 1 and p0 == p1
        now, before_now, revs, intact = _field_words(paras, where, "accepted", f, whole)
        was, _, _, _ = _field_words(paras, where, "original", f, whole)
        gone = all(paras[k].deleted() for k in range(p0, p1 + 1)) or not now.strip()
        if gone:
            deleted.add(f.name)
            continue
        if _same(now, f.text):
            continue
        tracked = bool(revs)
        untracked = not _same(was, f.text)
        change = Change("changed", f.path, f.text, now, tracked, *_who(revs))
        change.pieces = before_now
        if not intact:
            # the words the template put around the field changed too (an owner, a due
            # date after a next step's action): which words are the field's is unknown
            change.note = (
                "!the words printed around this field were edited too (an owner, a date, "
                "a label); apply by hand"
            )
        elif tracked and untracked:
            change.note = "also edited without tracking"
        elif not tracked:
            change.tracked = False
        changes.append(((p0, i0), change))
    changes += _glue(fmap, fields, paras, found, per_para, reclaimed, ids)
    changes += _deletions(fields, deleted, paras, found)
    changes += _new_paragraphs(fmap, paras, ids)
    changes += _comments(word, paras, found, fields)
    changes.sort(key=lambda c: c[0])
    result.changes = [c for _, c in changes]
    # a text that makes several paragraphs or list items (version 2 Markdown) is one value
    # in the fact base: one piece of it cannot be written back alone
    pieces = {f.path for f in fields if f.part > 0}
    for change in result.changes:
        if change.path in pieces and change.kind in ("changed", "deleted") and not change.note:
            change.note = (
                "!this text makes several paragraphs or list items in the memo; apply by hand"
            )
    return result


def _reclaim(
    fields: list[MappedField], paras: list[Para], found: dict[str, tuple[int, int, int, int]]
) -> set[str]:
    """Give a field whose bookmarks are gone (its paragraph retyped or pasted over) the
    paragraph that still holds its words: it is compared as a whole paragraph, never taken
    for deleted while its words are there, nor its paragraph for a new one."""
    taken = {k for where in found.values() for k in range(where[0], where[2] + 1)}
    done: set[str] = set()
    alone: dict[int, int] = {}
    for f in fields:
        alone[f.para] = alone.get(f.para, 0) + 1
    for f in fields:
        words = " ".join(f.text.split())
        if f.name in found or not words or alone[f.para] != 1:
            continue
        for k, p in enumerate(paras):
            if k in taken or p.deleted() or words not in " ".join(p.text().split()):
                continue
            p.items.insert(0, Mark("start", f.name))
            p.items.append(Mark("end", f.name))
            found[f.name] = (k, 1, k, len(p.items) - 1)
            taken.add(k)
            done.add(f.name)
            break
    return done


def _glue(
    fmap: FieldMap,
    fields: list[MappedField],
    paras: list[Para],
    found: dict[str, tuple[int, int, int, int]],
    per_para: dict[int, int],
    reclaimed: set[str],
    ids: dict[str, str],
) -> list[tuple[tuple[int, int], Change]]:
    """Edits between the fields of a paragraph holding several (a line added to the
    addressees, a word typed between two fields): the words no field holds, as built and
    as returned; where they differ, not mapped, to apply by hand."""
    out: list[tuple[tuple[int, int], Change]] = []
    by_para: dict[int, list[MappedField]] = {}
    for f in fields:
        if per_para[f.para] > 1:
            by_para.setdefault(f.para, []).append(f)
    by_name = fmap.by_name()
    for built_index, group in by_para.items():
        where = [found.get(f.name) for f in group]
        if any(w is None or w[0] != w[2] for w in where) or any(f.name in reclaimed for f in group):
            continue
        k = where[0][0]  # type: ignore[index]
        if any(w[0] != k for w in where):  # type: ignore[index]
            continue
        text = fmap.paragraphs[built_index].text
        keep = [True] * len(text)
        for f in group:
            for i in range(len(f.before), len(text) - len(f.after)):
                keep[i] = False
        built = " ".join("".join(c for c, kept in zip(text, keep, strict=True) if kept).split())
        inside: set[str] = set()
        glue: list[str] = []
        for item in paras[k].items:
            if isinstance(item, Mark):
                if item.kind == "start" and item.name in by_name:
                    inside.add(item.name)
                elif item.kind == "end":  # an end names its bookmark by id
                    inside.discard(ids.get(item.name, item.name))
            elif not inside and (item.revision is None or item.revision.kind != "del"):
                glue.append(item.text)
        now = " ".join("".join(glue).split())
        if now != built:
            change = Change("unmapped", "", built, now, bool(paras[k].revisions))
            change.authors, change.date = _who(paras[k].revisions)
            change.near = group[0].path
            out.append(((k, 0), change))
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _who(revisions: list[Revision]) -> tuple[tuple[str, ...], str]:
    authors = tuple(dict.fromkeys(r.author for r in revisions if r.author))
    dates = sorted(r.date[:10] for r in revisions if r.date)
    return authors, dates[-1] if dates else ""


def _field_words(
    paras: list[Para],
    where: tuple[int, int, int, int],
    view: str,
    f: MappedField,
    whole: bool,
) -> tuple[str, list[Piece], list[Revision], bool]:
    """A field's words in ``view``, its pieces, the tracked changes among them, and
    whether the paragraph's own words around it (a label, an owner) are still as built,
    so that the field's words can be told from them."""
    p0, i0, p1, i1 = where
    items: list[Piece | Mark] = []
    if whole:
        items = list(paras[p0].items)
    else:
        for k in range(p0, p1 + 1):
            start = i0 if k == p0 else 0
            end = i1 if k == p1 else len(paras[k].items)
            items += paras[k].items[start:end]
    hidden = "del" if view == "accepted" else "ins"
    shown = [
        i
        for i in items
        if isinstance(i, Piece) and (i.revision is None or i.revision.kind != hidden)
    ]
    text = "".join(p.text for p in shown)
    intact = True
    if whole:  # the paragraph's own words around the field (a label, an owner) are not it
        if f.before and text.startswith(f.before):
            text = text[len(f.before) :]
            shown = _cut(shown, len(f.before), None)
        elif f.before:
            intact = False
        if f.after and text.endswith(f.after):
            text = text[: len(text) - len(f.after)]
            shown = _cut(shown, None, len(f.after))
        elif f.after:
            intact = False
    revs = [i.revision for i in items if isinstance(i, Piece) and i.revision is not None]
    return text, shown, revs, intact


def _cut(pieces: list[Piece], head: int | None, tail: int | None) -> list[Piece]:
    """``pieces`` without their first ``head`` or last ``tail`` characters."""
    from dataclasses import replace

    out = list(pieces)
    if head:
        left = head
        while out and left:
            first = out[0]
            if len(first.text) <= left and not first.footnote:
                left -= len(first.text)
                out.pop(0)
            else:
                out[0] = replace(first, text=first.text[left:])
                left = 0
    if tail:
        left = tail
        while out and left:
            last = out[-1]
            if len(last.text) <= left and not last.footnote:
                left -= len(last.text)
                out.pop()
            else:
                out[-1] = replace(last, text=last.text[: len(last.text) - left])
                left = 0
    return out


def item_prefixes(path: PathParts) -> Iterator[PathParts]:
    """The list items a field belongs to, outermost first: ``faq[2].answer[0]`` →
    ``faq[2]``, ``faq[2].answer[0]``."""
    for k, part in enumerate(path):
        if isinstance(part, int):
            yield path[: k + 1]


def _deletions(
    fields: list[MappedField],
    deleted: set[str],
    paras: list[Para],
    found: dict[str, tuple[int, int, int, int]],
) -> list[tuple[tuple[int, int], Change]]:
    """Fields whose words are all gone: whole list items where every field of an item
    went, else emptied fields (which a fact base cannot hold)."""
    out: list[tuple[tuple[int, int], Change]] = []
    parsed = {f.name: parse_path(f.path) for f in fields}
    reported: set[PathParts] = set()
    for f in fields:
        if f.name not in deleted:
            continue
        path = parsed[f.name]
        where = found.get(f.name)
        revs: list[Revision] = []
        if where is not None:
            for k in range(where[0], where[2] + 1):
                revs += paras[k].revisions
        position = (where[0], where[1]) if where else _position_of(f, fields, found)
        item = next(
            (
                prefix
                for prefix in item_prefixes(path)
                if all(g.name in deleted for g in fields if parsed[g.name][: len(prefix)] == prefix)
            ),
            None,
        )
        if item is not None:
            if item in reported:
                continue
            reported.add(item)
            texts = [g.text for g in fields if parsed[g.name][: len(item)] == item]
            change = Change("deleted", format_parts(item), " / ".join(texts), "", bool(revs))
        else:
            change = Change("deleted", f.path, f.text, "", bool(revs))
            change.note = (
                "!the field's text was deleted, but the fact base needs one; edit it by hand"
            )
        change.authors, change.date = _who(revs)
        out.append((position, change))
    return out


def _position_of(
    f: MappedField, fields: list[MappedField], found: dict[str, tuple[int, int, int, int]]
) -> tuple[int, int]:
    """Where a field that is gone stood: just after the last field before it still there."""
    last = (-1, 0)
    for g in fields:
        if g is f:
            break
        if g.name in found:
            last = (found[g.name][2], found[g.name][3] + 1)
    return last


# ---------------------------------------------------------------- new paragraphs


def _new_paragraphs(
    fmap: FieldMap, paras: list[Para], ids: dict[str, str]
) -> list[tuple[tuple[int, int], Change]]:
    """Paragraphs and rows that were not in the memo as built: new list items where their
    place and style say so, else unmapped edits; and unmapped paragraphs changed."""
    by_name = fmap.by_name()
    built_fields: dict[int, list[str]] = {}
    for f in fmap.fields:
        built_fields.setdefault(f.para, []).append(f.name)

    def built_key(i: int) -> tuple[Any, ...]:
        names = built_fields.get(i)
        built = fmap.paragraphs[i]
        return ("f", names[0]) if names else ("t", built.text.strip(), built.images)

    def edited_key(p: Para) -> tuple[Any, ...]:
        names = [n for n in p.names if n in by_name]
        if names:
            return ("f", names[0])
        if p.inserted():
            return ("new", p.index)
        images = sum(
            1
            for i in p.items
            if isinstance(i, Piece) and i.image and (i.revision is None or i.revision.kind != "ins")
        )
        return ("t", p.text("original").strip(), images)

    old_keys = [built_key(i) for i in range(len(fmap.paragraphs))]
    new_keys = [edited_key(p) for p in paras]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    out: list[tuple[tuple[int, int], Change]] = []
    added: list[int] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for k in range(b0, b1):
                p = paras[k]
                if new_keys[k][0] == "t" and not _same(p.text(), p.text("original")):
                    change = Change("unmapped", "", p.text("original"), p.text(), True)
                    change.authors, change.date = _who(p.revisions)
                    change.near = _near(paras, k, by_name)
                    out.append(((k, 0), change))
            continue
        olds = [i for i in range(a0, a1) if old_keys[i][0] == "t" and old_keys[i][1]]
        news = [k for k in range(b0, b1) if new_keys[k][0] != "f"]
        for k in news:
            if paras[k].text().strip() or _has_image(paras[k]):
                added.append(k)
        for i in olds:  # a paragraph of the template's (a heading, a label) removed or rewritten
            change = Change("unmapped", "", fmap.paragraphs[i].text, "")
            change.near = _near(paras, b0, by_name)
            out.append(((b0, 0), change))
    out += _added_items(paras, added, by_name, ids)
    return out


def _has_image(p: Para) -> bool:
    return any(isinstance(i, Piece) and i.image for i in p.items)


def _near(paras: list[Para], k: int, by_name: dict[str, MappedField]) -> str:
    """The path of the last mapped field at or before paragraph ``k`` (else the first after)."""
    for j in range(min(k, len(paras) - 1), -1, -1):
        names = [n for n in paras[j].names if n in by_name]
        if names:
            return by_name[names[-1]].path
    for p in paras[k:]:
        names = [n for n in p.names if n in by_name]
        if names:
            return by_name[names[0]].path
    return ""


def _fields_in(p: Para, by_name: dict[str, MappedField]) -> list[MappedField]:
    return [by_name[n] for n in p.names if n in by_name]


def _added_items(
    paras: list[Para], added: list[int], by_name: dict[str, MappedField], ids: dict[str, str]
) -> list[tuple[tuple[int, int], Change]]:
    """New paragraphs and rows as new list items where they follow an item of a list in
    the same style (a summary point, a question and its answer, a next step, a timeline
    row), else as unmapped edits."""
    out: list[tuple[tuple[int, int], Change]] = []
    taken: set[int] = set()
    for k in added:
        if k in taken:
            continue
        p = paras[k]
        if p.cell is not None:
            run = [j for j in added if paras[j].cell and paras[j].cell[:2] == p.cell[:2]]  # type: ignore[index]
            taken.update(run)
            out.append(((k, 0), _new_row(paras, run, by_name)))
            continue
        run = [k]
        while run[-1] + 1 in added and paras[run[-1] + 1].cell is None:
            run.append(run[-1] + 1)
        taken.update(run)
        out += [((j, 0), c) for j, c in _new_list_items(paras, run, by_name)]
    return out


def _unmapped(paras: list[Para], k: int, by_name: dict[str, MappedField], what: str) -> Change:
    p = paras[k]
    change = Change("unmapped", "", "", what or p.text(), p.inserted() or bool(p.revisions))
    change.authors, change.date = _who(p.revisions)
    change.near = _near(paras, k, by_name)
    return change


def _new_list_items(
    paras: list[Para], run: list[int], by_name: dict[str, MappedField]
) -> list[tuple[int, Change]]:
    """Consecutive new paragraphs after a mapped one: new items of its list, if their
    styles are those of that list's items."""
    before = next((j for j in range(run[0] - 1, -1, -1) if _fields_in(paras[j], by_name)), None)
    if before is None or any(
        not _fields_in(paras[j], by_name) and paras[j].text().strip()
        for j in range(before + 1, run[0])
    ):
        return [(k, _unmapped(paras, k, by_name, _shown(paras[k]))) for k in run]
    previous = _fields_in(paras[before], by_name)[-1]
    path = parse_path(previous.path)
    for prefix in reversed(list(item_prefixes(path))):
        styles = _item_styles(paras, prefix, by_name)
        if all(paras[k].style in styles for k in run if paras[k].text().strip()):
            return _build_items(paras, run, prefix, styles)
    return [(k, _unmapped(paras, k, by_name, _shown(paras[k]))) for k in run]


def _shown(p: Para) -> str:
    images = sum(1 for i in p.items if isinstance(i, Piece) and i.image)
    text = p.text()
    if images:
        text = (text + " " if text else "") + "[an image]" * images
    return text


def _item_styles(
    paras: list[Para], prefix: PathParts, by_name: dict[str, MappedField]
) -> dict[str, PathParts]:
    """Paragraph style → the key (inside an item of ``prefix``'s list) of the field
    written in that style, from the items of that list that are there."""
    parent, n = prefix[:-1], len(prefix)
    out: dict[str, PathParts] = {}
    for p in paras:
        for f in _fields_in(p, by_name):
            path = parse_path(f.path)
            if path[: n - 1] == parent and len(path) >= n and isinstance(path[n - 1], int):
                rest = path[n:]
                # a field written as a list of paragraphs is one key for a new item
                while rest and isinstance(rest[-1], int):
                    rest = rest[:-1]
                out.setdefault(p.style, rest)
    return out


def _build_items(
    paras: list[Para], run: list[int], prefix: PathParts, styles: dict[str, PathParts]
) -> list[tuple[int, Change]]:
    index = prefix[-1]
    assert isinstance(index, int)
    out: list[tuple[int, Change]] = []
    current: dict[PathParts, str] | None = None
    start = run[0]
    for k in run:
        p = paras[k]
        text = p.text().strip()
        if not text:
            continue
        key = styles[p.style]
        if current is None or key in current:
            if current is not None:
                out.append((start, _added((*prefix[:-1], index), current, paras, run)))
            index += 1
            current, start = {}, k
        current[key] = text
    if current:
        out.append((start, _added((*prefix[:-1], index), current, paras, run)))
    return out


def _added(
    path: PathParts, values: dict[PathParts, str], paras: list[Para], run: list[int]
) -> Change:
    revs = [r for k in run for r in paras[k].revisions]
    if list(values) == [()]:
        value: Any = values[()]
        shown = value
    else:
        value = {}
        for key, text in values.items():
            node = value
            for part in key[:-1]:
                node = node.setdefault(part, {})
            node[key[-1]] = text
        shown = " / ".join(values.values())
    change = Change("added", format_parts(path), "", shown, bool(revs), value=value)
    change.authors, change.date = _who(revs)
    return change


def _new_row(paras: list[Para], run: list[int], by_name: dict[str, MappedField]) -> Change:
    """A new table row: a new item of the list the row above it shows (a timeline entry)."""
    first = paras[run[0]]
    assert first.cell is not None
    table, row, _ = first.cell
    above = [p for p in paras if p.cell and p.cell[0] == table and p.cell[1] < row and p.names]
    fields = [f for p in above for f in _fields_in(p, by_name)]
    texts = {paras[k].cell[2]: paras[k].text().strip() for k in run}  # type: ignore[index]
    if not fields:
        return _unmapped(paras, run[0], by_name, " | ".join(texts.values()))
    last = parse_path(fields[-1].path)
    prefix = next(iter(reversed(list(item_prefixes(last)))), None)
    if prefix is None:
        return _unmapped(paras, run[0], by_name, " | ".join(texts.values()))
    keys: dict[int, PathParts] = {}
    for p in above:
        for f in _fields_in(p, by_name):
            path = parse_path(f.path)
            if path[: len(prefix) - 1] == prefix[:-1] and p.cell is not None:
                keys.setdefault(p.cell[2], path[len(prefix) :])
    values: dict[PathParts, str] = {}
    unknown = []
    for column, text in sorted(texts.items()):
        if column in keys:
            if text and text not in ("—", "-"):
                values[keys[column]] = text
        elif text:
            unknown.append((column, text))
    change = _added((*prefix[:-1], int(prefix[-1]) + 1), values, paras, run)
    change.new = " | ".join(texts.values())
    if unknown:
        change.value = {"__unmapped__": unknown, **(change.value or {})}
    return change


# ---------------------------------------------------------------- comments


def _comments(
    word: WordFile,
    paras: list[Para],
    found: dict[str, tuple[int, int, int, int]],
    fields: list[MappedField],
) -> list[tuple[tuple[int, int], Change]]:
    """Each comment, with the field its range starts in (else the nearest one)."""
    out: list[tuple[tuple[int, int], Change]] = []
    starts: dict[str, tuple[int, int]] = {}
    for p in paras:
        for i, item in enumerate(p.items):
            if isinstance(item, Mark) and item.kind == "cstart":
                starts.setdefault(item.name, (p.index, i))
    by_name = {f.name: f for f in fields}
    for cid, comment in word.comments.items():
        at = starts.get(cid)
        change = Change(
            "comment", "", "", comment.text, authors=(comment.author,) if comment.author else ()
        )
        change.date = comment.date[:10]
        if at is None:
            change.near = ""
            out.append(((len(paras), 0), change))
            continue
        inside = [
            name
            for name, (p0, i0, p1, i1) in found.items()
            if name in by_name and (p0, i0) <= at <= (p1, i1)
        ]
        same = [n for n in paras[at[0]].names if n in by_name]
        if inside:
            change.path = by_name[inside[-1]].path
        elif same:
            change.path = by_name[same[0]].path
        else:
            change.near = _near(paras, at[0], by_name)
        out.append((at, change))
    return out
