"""Bilingual fact bases: pick one language's text out of ``{en: ..., ko: ...}`` fields.

A fact base names the languages it is written in (``lang: ko`` or ``lang: [ko, en]``, the
first being its main language). Any value may then be given per language as a mapping
whose keys are those languages; a value given once (a name, a date) serves every language.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import Problem
from .yamlsrc import PathKey, Source, format_path

LANG_TAG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
"""A BCP 47 language tag as fact bases and options write it: ``en``, ``ko``, ``en-GB``."""
_LANG_TAG = re.compile(LANG_TAG_PATTERN)


def is_language_tag(value: object) -> bool:
    """Whether ``value`` is a language tag such as ``en``, ``ko`` or ``en-GB``.

    Tags become parts of file names (``house-style.<lang>.yaml``, ``NAME-<lang>.pdf``), so
    nothing else ever passes: no path separators, no dots, at most 38 characters.
    """
    return isinstance(value, str) and _LANG_TAG.match(value) is not None


def languages(data: Any) -> list[str]:
    """The languages a fact base declares (``lang``), main language first; ``["en"]`` if none.

    Only well-formed tags are returned (the validator reports the others), so a declared
    language is always safe to use in a file name.
    """
    value = data.get("lang") if isinstance(data, dict) else None
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        tags = [v.strip() for v in value if isinstance(v, str) and is_language_tag(v.strip())]
        if tags:
            return list(dict.fromkeys(tags))
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
            if path and node and not set(node) <= known and set(node) & known:
                # Some keys are this fact base's languages: a per-language value with a
                # stray key (a typo such as 'kr', or text cut by a comma inside {…}).
                stray = _stray_keys(source, node, path, declared)
                problems.extend(stray)
                node = {k: v for k, v in node.items() if k in known}
                if lang not in node and not fallback:
                    return next(iter(node.values()))  # the stray key is the problem to fix
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
                        f"no '{lang}' text (given: {given}); add one as '{lang}: …'",
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


def _stray_keys(
    source: Source, node: dict[str, Any], path: PathKey, declared: list[str]
) -> list[Problem]:
    """A problem for each key of a per-language value that is not a declared language."""
    import difflib

    problems = []
    for key, value in node.items():
        if key in declared:
            continue
        where = source.locate((*path, key), key=True)
        if value is None and not is_language_tag(key):
            msg = (
                f"'{key}' was read as a separate entry because a comma inside {{…}} ends "
                "an entry; put the text in quotes"
            )
        else:
            hint = difflib.get_close_matches(key, declared, n=1, cutoff=0.5)
            msg = f"'{key}' is not one of this fact base's languages ({', '.join(declared)})"
            msg += f"; did you mean '{hint[0]}'?" if hint else "; add it to 'lang' or remove it"
        problems.append(Problem(where, msg, format_path(path)))
    return problems
