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
