"""Bilingual fact bases: pick one language's text out of ``{en: ..., ko: ...}`` fields.

A fact base names the languages it is written in (``lang: ko`` or ``lang: [ko, en]``, the
first being its main language). Any value may then be given per language as a mapping
whose keys are those languages; a value given once (a name, a date) serves every language.

In a version 2 fact base of several languages, text given once that is written in one
language's script only (Hangul in the English memo, English prose in the Korean one) is a
problem: it is almost always a translation forgotten. A proper name meant for every
language says so with ``{all: …}`` (``reports migrate`` marks version 1 text so, keeping
what it prints).
"""

from __future__ import annotations

import re
from typing import Any

from .errors import Problem
from .yamlsrc import PathKey, Source, format_path

LANG_TAG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
"""A BCP 47 language tag as fact bases and options write it: ``en``, ``ko``, ``en-GB``."""
_LANG_TAG = re.compile(LANG_TAG_PATTERN)

ALL = "all"
"""The key of a value meant for every language of a bilingual fact base (a proper name)."""
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_PROSE_WORD = re.compile(r"\b[a-z]{2,}\b")
_NOT_PROSE = frozenset(
    {"url", "file", "csv", "id", "style", "lang", "version", "contact",
     "time", "date", "due", "deadline", "status", "format", "side", "kind"}
)  # fmt: skip
"""Fields whose value is the same in every language by nature (an address, a choice)."""


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
    strict = len(declared) > 1 and _version(source.data) >= 2
    picked: dict[PathKey, str] = {}  # path of a per-language value → language taken

    def pick(node: Any, path: PathKey) -> Any:
        if isinstance(node, dict) and path and set(node) == {ALL}:
            picked[path] = ALL
            return node[ALL]  # the same text in every language, as the author says
        if isinstance(node, str) and strict and not _within(path, picked):
            leak = _one_script(node, lang, path)
            if leak:
                problems.append(Problem(source.locate(path), leak, format_path(path)))
            return node
        if isinstance(node, dict):
            if path and node and not known & set(node) and _meant_as_languages(node, declared):
                problems.extend(_stray_keys(source, node, path, declared))
                return next(iter(node.values()))
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


def _version(data: Any) -> int:
    version = data.get("version") if isinstance(data, dict) else None
    return 2 if str(version).strip() == "2" else 1


def single_script(text: str, lang: str, path: PathKey) -> bool:
    """Whether ``text`` at ``path``, given once, would be refused in a version 2 fact base
    that also builds ``lang``."""
    return bool(_one_script(text, lang, path))


def _within(path: PathKey, picked: dict[PathKey, str]) -> bool:
    """Whether ``path`` lies in a value given per language (or for all of them)."""
    return any(path[:n] in picked for n in range(1, len(path) + 1))


def _one_script(text: str, lang: str, path: PathKey) -> str:
    """Why ``text``, given once in a fact base of several languages, cannot serve the memo
    in ``lang``; empty when it can."""
    field = next((k for k in reversed(path) if isinstance(k, str)), "")
    if field in _NOT_PROSE:
        return ""
    base = lang.split("-")[0]
    if base != "ko" and _HANGUL.search(text) and not _LATIN.search(text):
        return (
            f"is in Korean only but serves the '{lang}' memo too; give it per language "
            f"({{ko: …, {base}: …}}), or {{all: …}} for a name that stays as written"
        )
    if base == "ko" and not _HANGUL.search(text) and len(_PROSE_WORD.findall(text)) >= 3:
        return (
            "is in one language only but serves the Korean memo too; give it per language "
            "({ko: …, en: …}), or {all: …} for text that stays as written"
        )
    return ""


def _meant_as_languages(node: dict[Any, Any], declared: list[str]) -> bool:
    """Whether a mapping none of whose keys is a declared language was still meant as
    text per language: its keys are all language-like and one is close to a declared
    language (``kr`` for ``ko``), and none is a field of the schema (``to``, ``url``)."""
    import difflib

    keys = [k for k in node if isinstance(k, str)]
    if len(keys) != len(node) or not all(is_language_tag(k) for k in keys):
        return False
    if any(k in _field_names() for k in keys):
        return False
    return any(difflib.get_close_matches(k, declared, n=1, cutoff=0.5) for k in keys)


def _field_names() -> frozenset[str]:
    from .model import field_names  # the model imports this module

    return field_names()


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
