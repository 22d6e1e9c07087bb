"""Bilingual fact bases: pick one language's text out of ``{en: ..., ko: ...}`` fields.

A fact base names the languages it is written in (``lang: ko`` or ``lang: [ko, en]``, the
first being its main language). Any value may then be given per language as a mapping
whose keys are those languages; a value given once (a name, a date) serves every language.
"""

from __future__ import annotations

from typing import Any

from .errors import Problem
from .yamlsrc import PathKey, Source, format_path


def languages(data: Any) -> list[str]:
    """The languages a fact base declares (``lang``), main language first; ``["en"]`` if none."""
    value = data.get("lang") if isinstance(data, dict) else None
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    return ["en"]


def localize(source: Source, lang: str, fallback: bool = False) -> tuple[Source, list[Problem]]:
    """Return ``source`` with every per-language mapping replaced by its ``lang`` value.

    A mapping missing ``lang`` is a problem naming the field, unless ``fallback`` allows
    the fact base's main language (or the first one given) to stand in.
    """
    declared = languages(source.data)
    known = set(declared)
    problems: list[Problem] = []
    picked: dict[PathKey, str] = {}  # path of a per-language value → language taken

    def pick(node: Any, path: PathKey) -> Any:
        if isinstance(node, dict):
            if node and set(node) <= known and path:
                if lang in node:
                    picked[path] = lang
                    return pick(node[lang], path)
                given = ", ".join(node)
                if fallback:
                    first = next(k for k in declared if k in node)
                    picked[path] = first
                    return pick(node[first], path)
                problems.append(
                    Problem(
                        source.locate(path),
                        f"no '{lang}' text (given: {given}); add a '{lang}:' entry",
                        format_path(path),
                    )
                )
                return next(iter(node.values()))
            return {k: pick(v, (*path, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [pick(v, (*path, i)) for i, v in enumerate(node)]
        return node

    data = pick(source.data, ())
    # A list of languages becomes the one being built; anything else is left for the
    # validator to judge (an empty list, a number).
    if (
        isinstance(data, dict)
        and languages(data) == declared
        and isinstance(data.get("lang"), list)
    ):
        data["lang"] = lang
    return Source(source.file, data, _remap(source.value_marks, picked), source.key_marks), problems


def _remap(marks: dict[PathKey, Any], picked: dict[PathKey, str]) -> dict[PathKey, Any]:
    """Positions for the localized data: ``summary[1]`` is where ``summary[1].en`` was typed."""
    if not picked:
        return marks
    out = dict(marks)
    for key, mark in marks.items():
        # find the longest picked prefix of key that is followed by its language
        for cut in range(len(key) - 1, -1, -1):
            prefix = key[:cut]
            if picked.get(prefix) == key[cut]:
                localized: PathKey = prefix + key[cut + 1 :]
                out[localized] = mark
                break
    return out
