"""Checks that look across fields: what needs schema version 2, footnote references, the
shape of inline tables. Each problem names the place in the file to fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from .charts import iter_charts, iter_tables, tables_by_id
from .charts import problems as chart_problems
from .errors import Problem
from .model import BLOCK_KINDS, FactBase, iter_texts
from .richtext import references
from .yamlsrc import PathKey, Source, format_path

_V2_TOP = ("sections", "annexes", "footnotes")
_BODIES = ("purpose", "background", "assessment")
_ITEM_LISTS: tuple[PathKey, ...] = (("summary",), ("key_points",), ("impact", "affected"))
_UPGRADE = "add 'version: 2' at the top (or run 'reports migrate FILE', which also escapes text)"

PLAIN_KEYS = frozenset(
    {"title", "subtitle", "short_title", "from", "to", "subject", "reference", "marking",
     "name", "role", "organisation", "contact", "heading", "host", "location",
     "participants", "industries", "owner", "question", "columns", "alt", "keywords",
     "distribution", "publisher", "url", "file", "csv", "style", "lang", "status",
     "format", "date", "due", "after", "version", "id", "kind", "categories", "units",
     "type", "table"}
)  # fmt: skip
"""Fields printed as plain text in version 2 (titles, names, labels); every other text field
reads inline markup (see ``richtext``)."""


def is_rich(path: PathKey) -> bool:
    """Whether the text at ``path`` reads inline markup in a version 2 fact base."""
    if path and path[0] == "footnotes":
        return True
    keys = [p for p in path if isinstance(p, str)]
    if not keys:
        return False
    if keys[-1] == "csv":  # a CSV table's cells: its first row is the column headings
        return path[-2] != 0
    return keys[-1] not in PLAIN_KEYS


def version_problems(source: Source) -> list[Problem]:
    """A problem for each use of a version 2 feature in a version 1 fact base."""
    data = source.data
    if not isinstance(data, dict) or str(data.get("version", "")).strip() != "1":
        return []
    problems: list[Problem] = []

    def needs(path: PathKey, what: str, key: bool = False) -> None:
        problems.append(
            Problem(
                source.locate(path, key=key),
                f"{what} need schema version 2; {_UPGRADE}",
                format_path(path),
            )
        )

    for name in _V2_TOP:
        if name in data:
            needs((name,), f"'{name}'", key=True)
    memo = data.get("memo")
    if isinstance(memo, dict) and "logo" in memo:
        needs(("memo", "logo"), "a logo in the fact base", key=True)
    sources = data.get("sources")
    for i, src in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(src, dict) and "id" in src:
            needs(("sources", i, "id"), "footnote ids of sources", key=True)
    for name in _BODIES:
        for i, entry in _entries(data.get(name)):
            if isinstance(entry, dict) and any(k in entry for k in BLOCK_KINDS):
                kind = next(k for k in BLOCK_KINDS if k in entry)
                needs((name, i), f"blocks such as this {kind}")
    for path in _ITEM_LISTS:
        node: Any = data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        for i, entry in _entries(node):
            if isinstance(entry, dict) and ("item" in entry or "items" in entry):
                needs((*path, i), "nested list items")
    return problems


def _entries(node: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(node) if isinstance(node, list) else iter(())


def content_problems(source: Source, facts: FactBase) -> list[Problem]:
    """Problems only the whole fact base shows: footnotes, table shapes and the data of
    charts (version 2)."""
    if facts.version < 2:
        return []
    return (
        _footnote_problems(source, facts)
        + _table_problems(source, facts)
        + _chart_problems(source, facts)
    )


def _written(source: Source, path: PathKey) -> PathKey:
    """``path`` as far as the file spells it out: a paragraph list given as one text is
    ``background``, not ``background[0]``."""
    node = source.data
    out: list[str | int] = []
    for part in path:
        if not _holds(node, part):
            break
        node = node[part]
        out.append(part)
    return tuple(out)


def _holds(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _footnote_problems(source: Source, facts: FactBase) -> list[Problem]:
    problems: list[Problem] = []
    defined = set(facts.footnotes)
    for i, src in enumerate(facts.sources):
        if src.id is None:
            continue
        if src.id in defined:
            path: PathKey = ("sources", i, "id")
            problems.append(
                Problem(
                    source.locate(path),
                    f"'{src.id}' is already the id of a footnote or another source; "
                    "give each its own",
                    format_path(path),
                )
            )
        defined.add(src.id)
    referenced: set[str] = set()
    for model_path, text in iter_texts(facts):
        refs = references(text)
        if not refs:
            continue
        path = _written(source, model_path)
        if not is_rich(model_path):
            problems.append(
                Problem(
                    source.locate(path),
                    f"a footnote reference ([^{refs[0]}]) cannot go in a title, name or "
                    "label; put it in the text it supports",
                    format_path(path),
                )
            )
            continue
        for ref in refs:
            referenced.add(ref)
            if ref not in defined:
                hint = difflib.get_close_matches(ref, sorted(defined), n=1, cutoff=0.6)
                fix = (
                    f"did you mean [^{hint[0]}]?"
                    if hint
                    else f"add it under footnotes: ({ref}: …), or write \\[^{ref}] for the "
                    "characters themselves"
                )
                problems.append(
                    Problem(
                        source.locate(path),
                        f"[^{ref}] refers to no footnote; {fix}",
                        format_path(path),
                    )
                )
    for name in facts.footnotes:
        if name not in referenced:
            path = ("footnotes", name)
            problems.append(
                Problem(
                    source.locate(path, key=True),
                    f"footnote '{name}' is never referenced; cite it as [^{name}] in the "
                    "text it supports, or remove it",
                    format_path(path),
                )
            )
    return problems


def _table_problems(source: Source, facts: FactBase) -> list[Problem]:
    problems: list[Problem] = []
    for path, table in iter_tables(facts):
        count = len(table.header)
        names = ", ".join(table.header)
        shown = names if len(names) <= 60 else names[:60] + "…"
        for i, row in enumerate(table.rows or ()):
            if len(row) != count:
                where: PathKey = (*path, "rows", i)
                problems.append(
                    Problem(
                        source.locate(where),
                        f"this row has {len(row)} cell{'s' if len(row) != 1 else ''} but the "
                        f"table has {count} columns ({shown}); give one cell per column "
                        "(~ for an empty one)",
                        format_path(where),
                    )
                )
        for key in ("widths", "align"):
            given = getattr(table, key)
            if given is not None and len(given) != count:
                where = (*path, key)
                problems.append(
                    Problem(
                        source.locate(where),
                        f"{len(given)} {key} given for {count} columns; give one per column",
                        format_path(where),
                    )
                )
    return problems


def _chart_problems(source: Source, facts: FactBase) -> list[Problem]:
    """Tables that share an id, and charts whose data cannot be drawn."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for path, table in iter_tables(facts):
        if table.id is None:
            continue
        if table.id in seen:
            where: PathKey = (*path, "id")
            problems.append(
                Problem(
                    source.locate(where),
                    f"'{table.id}' is already the id of another table; give each its own",
                    format_path(where),
                )
            )
        seen.add(table.id)
    tables = tables_by_id(facts)
    for path, chart in iter_charts(facts):
        for problem in chart_problems(chart, tables):
            where = _written(source, (*path, *problem.where))
            problems.append(Problem(source.locate(where), problem.message, format_path(where)))
    return problems
