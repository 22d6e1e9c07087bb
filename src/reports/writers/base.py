"""What every writer shares: the protocol the build drives, and dispatch by node type."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol

from .. import document as d
from ..errors import BuildError
from ..style import HouseStyle


class Writer(Protocol):
    """Renders documents in one format, in one house style.

    Made once per house style and language, then asked for any number of documents.
    Options (``reference_docx``) are those its registry entry names.
    """

    def __init__(self, style: HouseStyle, **options: Any) -> None: ...

    def render(self, doc: d.Document) -> bytes:
        """Return the complete file for ``doc``."""
        ...


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Visitor:
    """Calls ``visit_<node type>`` for a node: ``visit_bullet_list`` for a ``BulletList``.

    One method per node type, as Sphinx translators and mistune renderers have; a node
    type with no method is a bug in the writer, reported, never dropped silently.
    """

    _methods: ClassVar[dict[type, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._methods = {}

    def visit(self, node: object, *args: Any) -> Any:
        """Render ``node`` (any model node) by its type's method, passing ``args`` on."""
        kind = type(node)
        name = self._methods.get(kind)
        if name is None:
            name = self._methods[kind] = f"visit_{_snake(kind.__name__)}"
        method = getattr(self, name, None)
        if method is None:
            raise BuildError(
                f"the {type(self).__name__} has no rendering for {kind.__name__} nodes"
            )
        return method(node, *args)


def placed(blocks: tuple[d.Block, ...], style: HouseStyle) -> tuple[d.Block, ...]:
    """The blocks in the order a format lays them out: with the ``approval_box`` house
    style, clearance moves to the top of the first page (a Korean report's 결재란), where
    writers set it at the right."""
    if style.clearance != "approval_box":
        return blocks
    boxes = tuple(b for b in blocks if isinstance(b, d.Clearance))
    return boxes + tuple(b for b in blocks if not isinstance(b, d.Clearance))


def clearance_table(node: d.Clearance) -> d.Table:
    """The "Cleared by" table: name, role, date and status, one person a row."""
    widths = (1.6, 2.0, 1.2, 1.0)
    columns = tuple(d.Column((d.Text(h),), w) for h, w in zip(node.headers, widths, strict=True))

    def cell(text: str) -> d.Inlines:
        return (d.Text(text or "—"),)

    rows = tuple(
        (cell(e.name), cell(e.role), cell(e.date), cell(e.status_label)) for e in node.entries
    )
    return d.Table(columns, rows, caption=(d.Text(node.title),))


def approval_groups(node: d.Clearance) -> list[tuple[str, tuple[d.Signoff, ...]]]:
    """The approval box's rows: those who clear (결재, pending ones included, in order)
    and those consulted (협조); a group with nobody is left out."""
    clear = tuple(e for e in node.entries if e.status != "consulted")
    consulted = tuple(e for e in node.entries if e.status == "consulted")
    groups = ((node.cleared_label, clear), (node.consulted_label, consulted))
    return [(label, people) for label, people in groups if people]


def in_columns(items: tuple[d.ListItem, ...], columns: int) -> list[tuple[d.ListItem, ...]]:
    """``items`` in ``columns`` runs filled down one column after another, the first
    columns the longer."""
    per = -(-len(items) // max(columns, 1))
    return [items[i : i + per] for i in range(0, len(items), per)]
