"""Fact-base text that knows which field it was typed in.

The template only ever sees values; for an edited DOCX to be mapped back to the YAML
(``reports review``), the text it prints has to carry its key path. :func:`tag` gives every
text of a validated fact base that path (a :class:`FieldText`, still a ``str``), and the
template's content filters (``inline``, ``blocks``, ``items``) wrap what they print in a
``<src path="…">`` mark the reader turns into :class:`~reports.document.Sourced`. Nothing
in a template has to change for a field to be mapped.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .assets import LocalFile
from .yamlsrc import PathKey, format_path


class FieldText(str):
    """A text and the key path of the field it was typed in (``faq[2].answer``)."""

    __slots__ = ("path",)
    path: str

    def __new__(cls, value: str, path: str) -> FieldText:
        self = super().__new__(cls, value)
        self.path = path
        return self

    def __reduce__(self) -> Any:  # pickled across worker processes as a plain copy
        return (FieldText, (str(self), self.path))


def path_of(value: object) -> str | None:
    """The field path a value was typed at; ``None`` for text the template made itself."""
    return value.path if isinstance(value, FieldText) else None


def tag(node: Any, data: Any, path: PathKey = ()) -> Any:
    """``node`` (a model just validated) with every text replaced by a :class:`FieldText`
    (models are updated in place, tuples and mappings rebuilt).

    ``data`` is the plain data it was validated from, walked alongside so that paths are
    the ones typed: a paragraph list written as one text (``background: …``) keeps the
    field's own path, not ``background[0]``.
    """
    if isinstance(node, str):
        return FieldText(node, format_path(path))
    if isinstance(node, BaseModel):
        updates = {}
        for name, info in type(node).model_fields.items():
            key = info.alias or name
            value = getattr(node, name)
            if value is None or isinstance(value, (bool, int, float, LocalFile)):
                continue
            sub = data.get(key) if isinstance(data, dict) else None
            updates[name] = tag(value, sub, (*path, key))
        # in place: the model was made by this validation and nothing holds it yet, and a
        # copy per list item (model_copy) made a 50,000-row timeline a second slower
        node.__dict__.update(updates)
        return node
    if isinstance(node, tuple):
        if isinstance(data, str) and len(node) == 1:  # one text standing for a list of one
            return (tag(node[0], data, path),)
        items = data if isinstance(data, list) else []
        return tuple(
            tag(item, items[i] if i < len(items) else None, (*path, i))
            for i, item in enumerate(node)
        )
    if isinstance(node, dict):
        given = data if isinstance(data, dict) else {}
        return {k: tag(v, given.get(k), (*path, k)) for k, v in node.items()}
    return node
