"""The writer protocol: a writer turns a :class:`~reports.document.Document` into file bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from .. import document as d
from ..errors import BuildError
from ..style import HouseStyle


class Writer(Protocol):
    """Render documents in one format."""

    format: ClassVar[str]
    """Format name used on the command line (``pdf``, ``docx``)."""
    extension: ClassVar[str]
    """File extension, with the dot."""

    def __init__(self, style: HouseStyle, **options: Any) -> None: ...

    def render(self, doc: d.Document) -> bytes:
        """Return the complete file for ``doc``."""
        ...


def dispatch(handlers: dict[type, Callable[[Any], Any]], node: object) -> Any:
    """Call the handler registered for ``type(node)``; an unknown node type is a bug."""
    handler = handlers.get(type(node))
    if handler is None:
        raise BuildError(f"this writer has no rendering for {type(node).__name__} nodes")
    return handler(node)
