"""Check loaded YAML against the fact model and report every problem at once, with positions."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .consistency import content_problems, version_problems
from .document import NUMBER_FORMAT
from .errors import FactsError, Problem
from .fieldpaths import tag as tag_fields
from .i18n import languages, localize
from .model import BLOCK_KINDS, FOOTNOTE_ID, TABLE_ID, FactBase, models_in
from .yamlsrc import DEFAULT_LIMITS, Limits, PathKey, Source, format_path, load_file


def load_facts(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, lang: str | None = None
) -> FactBase:
    """Load and validate the fact base at ``path`` in ``lang`` (default: its main language).

    Raise :class:`FactsError` listing every problem.
    """
    return validate(load_file(path, limits), lang)


def validate(source: Source, lang: str | None = None, fallback: bool = False) -> FactBase:
    """Return the fact base in ``source`` in language ``lang`` (``None``: its main one).

    ``fallback`` lets a field missing in ``lang`` take the main language's text. Raise
    :class:`FactsError` listing every problem.
    """
    declared = languages(source.data)
    listed = _language_list(source)
    if listed:
        raise FactsError(listed)
    chosen = lang or declared[0]
    if chosen not in declared:
        where = source.locate(("lang",)) if isinstance(source.data, dict) else source.locate(())
        written = ", ".join(declared)
        msg = f"this fact base is written in {written}; it has no '{chosen}' version"
        raise FactsError([Problem(where, msg, "lang")])
    localized, problems = localize(source, chosen, fallback)
    # The order of the timeline is checked on the data as written, so it is reported with
    # every other problem rather than only once they are fixed.
    problems += _timeline_order(localized)
    problems += version_problems(localized)
    try:
        facts = validate_model(localized, FactBase, context={"file": Path(source.file)})
    except FactsError as exc:
        raise FactsError(_dedupe(problems + exc.problems)) from None
    assert isinstance(facts, FactBase)
    problems += content_problems(localized, facts) + _memo_shape(localized, facts)
    problems += _timeline_shape(localized, facts)
    if problems:
        raise FactsError(_dedupe(problems))
    # every text knows its field, so that the memo can map its words back (review)
    tagged: FactBase = tag_fields(facts, localized.data)
    return tagged


def _language_list(source: Source) -> list[Problem]:
    """A problem for each entry of a ``lang: [..]`` list that is not a language tag (the
    list would otherwise be read without it)."""
    from .i18n import is_language_tag

    data = source.data
    value = data.get("lang") if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    problems = []
    for i, tag in enumerate(value):
        if isinstance(tag, str) and is_language_tag(tag.strip()):
            continue
        msg = f"expected a language tag such as en or ko, got {_describe(tag)}"
        if isinstance(tag, str) and is_language_tag(tag.strip().lower()):
            msg += f"; did you mean '{tag.strip().lower()}'?"
        problems.append(Problem(source.locate(("lang", i)), msg, format_path(("lang", i))))
    return problems


def validate_languages(source: Source, fallback: bool = False) -> list[FactBase]:
    """Validate ``source`` in every language it declares; raise with all problems at once."""
    out: list[FactBase] = []
    problems: list[Problem] = []
    for lang in languages(source.data):
        try:
            out.append(validate(source, lang, fallback))
        except FactsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FactsError(_dedupe(problems))
    return out


def validate_model(
    source: Source,
    model: type[BaseModel],
    *,
    quote: bool = True,
    context: dict[str, Any] | None = None,
) -> BaseModel:
    """Validate ``source.data`` as ``model``; map errors to file positions.

    ``quote=False`` leaves the values out of the messages ("got text" rather than "got
    'ghp_…'"): for files other than fact bases, which may be anything someone named.
    ``context`` reaches the validators (the fact base's path, for the files it names).
    """
    data = source.data
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise FactsError(
            [
                Problem(
                    source.locate(()), f"expected a mapping of fields at the top level, got {kind}"
                )
            ]
        )
    try:
        instance = model.model_validate(data, context=context)
    except ValidationError as exc:
        problems = [
            _problem(source, model, err, quote)
            for err in exc.errors(include_url=False)
            if not _is_echo(source, err)
        ]
        raise FactsError(_dedupe(problems)) from None
    return instance


def _is_echo(source: Source, err: Any) -> bool:
    """Pydantic also calls a list "too short" when its items failed; report only the items."""
    if err["type"] != "too_short":
        return False
    _path, value, complete = _data_path(source.data, _without_tags(tuple(err["loc"])))
    return complete and isinstance(value, list) and len(value) > 0


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[PathKey, Any, bool]:
    """Follow ``loc`` into ``data``; return (path that exists, value there, complete?).

    Pydantic puts validator names into ``loc`` for unions and wrapped types; those are not
    keys of the data, so the walk stops at the first part it cannot follow.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            return tuple(path), node, False
        path.append(part)
    return tuple(path), node, True


_TAGS = frozenset({"text", "item", *BLOCK_KINDS})


def _without_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """``loc`` without the tags pydantic adds after a list index for a tagged union (a
    block's kind), which are not keys of the data."""
    out: list[Any] = []
    for i, part in enumerate(loc):
        if part in _TAGS and i > 0 and isinstance(loc[i - 1], int):
            continue
        out.append(part)
    return tuple(out)


def _fields_of(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names (by alias) accepted at the mapping ``loc`` points into, for suggestions."""
    current = _model_at(model, loc)
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _model_at(model: type[BaseModel], path: tuple[Any, ...], then: Any = None) -> Any:
    """The model class of the mapping at ``path`` (string keys; indexes are skipped); where
    a field holds a union of models (blocks), the one with the field ``then``."""
    keys = [p for p in path if not isinstance(p, int)]
    current: Any = model
    keyed = False  # the last field was a mapping of names to models (styles: {body: …})
    for i, part in enumerate(keys):
        if current is None:
            return None
        if keyed:
            keyed = False
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return None
        info = next((f for n, f in fields.items() if (f.alias or n) == part or n == part), None)
        if info is None:
            return None
        following = keys[i + 1] if i + 1 < len(keys) else then
        current = _model_in(info.annotation, following if isinstance(following, str) else None)
        keyed = getattr(info.annotation, "__origin__", None) is dict
    return current


def _model_in(annotation: Any, key: str | None = None) -> Any:
    """Find the BaseModel class inside ``X``, ``X | None``, ``tuple[X, ...]`` or a union of
    blocks: the one with the field ``key`` when there are several."""
    models = models_in(annotation)
    if key is not None:
        for candidate in models:
            names = {f.alias or n for n, f in candidate.model_fields.items()}
            if key in names:
                return candidate
    return models[0] if models else None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
"""How the schema's field names look: ``short_title``, never ``Fisheries Negotiations``."""


def _problem(source: Source, model: type[BaseModel], err: Any, quote: bool = True) -> Problem:
    loc: tuple[Any, ...] = _without_tags(tuple(err["loc"]))
    kind: str = err["type"]
    path, value, complete = _data_path(source.data, loc)
    if kind == "missing":
        missing = [p for p in loc[len(path) :] if isinstance(p, (str, int))]
        name = format_path((*path, *missing[:1]))
        return Problem(source.locate(path), "required field is missing", name)
    if kind == "extra_forbidden":
        key = loc[-1]
        cut = complete and value is None and path and path[-1] == key
        if cut and not _FIELD_NAME.match(str(key)):
            # {role: Deputy Director, Fisheries Negotiations, contact: …}: the text after
            # the comma became a key of its own, with no value
            msg = (
                f"'{key}' was read as a field of its own because a comma inside {{…}} ends "
                "an entry; put the text in quotes"
            )
            return Problem(source.locate(path, key=True), msg, format_path(path[:-1]))
        known = _fields_of(model, loc[:-1])
        hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        msg = f"unknown field '{key}'"
        msg += f"; did you mean '{hint[0]}'?" if hint else f"; expected one of: {', '.join(known)}"
        return Problem(source.locate(path, key=True), msg, format_path(path))
    if kind == "block_kind" and isinstance(value, dict) and complete:
        return _block_problem(source, path, value)
    field = format_path(path)
    where = source.locate(path)
    if not complete:
        value = err.get("input", value)
    optional = _is_optional(model, path)
    msg = _message(kind, err, value, optional)
    if not quote:  # say what was expected, not what the file holds
        msg = re.sub(r"[;,] got .*$", "", msg)
    return Problem(where, msg, field)


def _block_problem(source: Source, path: PathKey, value: dict[str, Any]) -> Problem:
    """An entry of a paragraph list that is a mapping but not one block."""
    kinds = [k for k in BLOCK_KINDS if k in value]
    listed = ", ".join(BLOCK_KINDS)
    if len(kinds) > 1:
        msg = (
            f"one entry holds several blocks ({', '.join(kinds)}); give each its own "
            "entry, starting with '- '"
        )
        return Problem(source.locate(path), msg, format_path(path))
    key = str(next(iter(value), ""))
    hint = difflib.get_close_matches(key, BLOCK_KINDS, n=1, cutoff=0.5)
    msg = f"'{key}' is not a kind of block; "
    msg += f"did you mean '{hint[0]}'?" if hint else f"a block is one of {listed}"
    if not hint:
        msg += ", or a paragraph of text (quote text that contains ': ')"
    return Problem(source.locate((*path, key), key=True), msg, format_path(path))


def _is_optional(model: type[BaseModel], path: PathKey) -> bool:
    if not path or not isinstance(path[-1], str):
        return False
    parent = _model_at(model, path[:-1], then=path[-1])
    fields = getattr(parent, "model_fields", {})
    info = next((f for n, f in fields.items() if (f.alias or n) == path[-1]), None)
    return info is not None and not info.is_required()


def _message(kind: str, err: Any, value: Any, optional: bool) -> str:
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("string_type", "str_type") and value is None:
        return "must not be empty"
    if kind in ("string_type", "str_type"):
        return f"expected text, got {_describe(value)}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = expected.replace("'", "").replace(" or ", ", ")
        hint = difflib.get_close_matches(str(value), choices.split(", "), n=1, cutoff=0.6)
        if hint and isinstance(value, str):
            return f"expected one of {choices}; got {_describe(value)}; did you mean '{hint[0]}'?"
        return f"expected one of {choices}; got {_describe(value)}"
    if kind == "too_short" and optional:
        return "must not be empty; list at least one item, or leave the field out"
    if kind == "too_short":
        return "must not be empty; list at least one item"
    if kind == "too_long":
        most, actual = ctx.get("max_length"), ctx.get("actual_length")
        return f"lists {actual} items; at most {most} fit"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {_describe(value)}"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"must be at most {limit} characters (it is printed on every page)"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NUMBER_FORMAT:
        return (
            "expected a number format: 0, 0.0, 0.00 …, or #,##0, #,##0.0 … for a thousands "
            f"separator; got {_describe(value)}"
        )
    if kind == "string_pattern_mismatch" and "#" in str(ctx.get("pattern", "")):
        return f"expected a colour as #rrggbb, got {_describe(value)}"
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return f"expected a number, got {_describe(value)}"
    if kind in ("finite_number", "less_than_equal", "greater_than", "greater_than_equal"):
        return f"{err['msg'].lower()}; got {_describe(value)}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == FOOTNOTE_ID:
        return (
            f"a footnote id is letters, digits, '-', '_' or '.' (up to 64, no spaces); got "
            f"{_describe(value)}"
        )
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == TABLE_ID:
        return (
            "a table id is a letter, then letters, digits, '-', '_' or '.' (up to 64, no "
            f"spaces); got {_describe(value)}"
        )
    if kind == "string_pattern_mismatch":
        return f"expected a language tag such as en or ko, got {_describe(value)}"
    return f"{err['msg']}; got {_describe(value)}"


def _memo_shape(source: Source, facts: FactBase) -> list[Problem]:
    """What a memo's kind needs beyond its fields: a letter-style memo has an addressee."""
    if facts.memo.kind == "memo" and facts.memo.to is None:
        return [
            Problem(
                source.locate(("memo",)),
                "memo has no 'to': add the addressee (to: Minister, or a list), or set "
                "'kind: report' for an internal report without From/To",
                "memo.to",
            )
        ]
    return []


def _timeline_shape(source: Source, facts: FactBase) -> list[Problem]:
    """What ``memo.timeline: chart`` or ``both`` needs: a timeline of at most
    :data:`MAX_TIMELINE_EVENTS` entries; drawn as a chart alone, nothing the chart cannot
    show (a significance, a footnote reference), so nothing is dropped unsaid."""
    from .model import MAX_TIMELINE_EVENTS
    from .richtext import references

    shown = facts.memo.timeline
    if shown == "table":
        return []
    where: PathKey = ("memo", "timeline")
    if not facts.timeline:
        msg = (
            f"'{shown}' draws the timeline's events, but this fact base has no timeline; "
            "add timeline entries, or leave memo.timeline out"
        )
        return [Problem(source.locate(where), msg, format_path(where))]
    count = len(facts.timeline)
    if count > MAX_TIMELINE_EVENTS:
        msg = (
            f"a timeline chart draws at most {MAX_TIMELINE_EVENTS} events, this timeline has "
            f"{count}; use 'table', or keep the events that set the sequence"
        )
        return [Problem(source.locate(where), msg, format_path(where))]
    late = [i for i, e in enumerate(facts.timeline) if e.date.last().year > 9900]
    if late:
        # the axis runs past the events to whole months, years or decades: past 9999
        at: PathKey = ("timeline", late[0], "date")
        msg = "a timeline chart's axis cannot reach past the year 9900; use 'table'"
        return [Problem(source.locate(at), msg, format_path(at))]
    if shown != "chart":
        return []
    problems: list[Problem] = []
    for i, entry in enumerate(facts.timeline):
        refs = references(entry.event) if facts.version >= 2 else []
        if refs:
            path: PathKey = ("timeline", i, "event")
            msg = (
                f"a footnote reference ([^{refs[0]}]) cannot be drawn in a timeline chart; "
                "set memo.timeline to 'both' to keep the table, or cite the note elsewhere"
            )
            problems.append(Problem(source.locate(path), msg, format_path(path)))
        if entry.significance is not None:
            path = ("timeline", i, "significance")
            msg = (
                "a timeline drawn only as a chart has no room for the significance; set "
                "memo.timeline to 'both' to keep the table, or leave it out"
            )
            problems.append(Problem(source.locate(path), msg, format_path(path)))
    return problems


def _timeline_order(source: Source) -> list[Problem]:
    """A problem for each timeline entry that ends before the entry above it begins.

    Each date stands for a span (a month, a quarter, a range): entries whose spans overlap
    may come in either order (``late 2025-12`` and ``2025-12-22``). Entries whose date
    cannot be read are skipped here (the validator reports them); the rest are compared
    with the nearest readable date above.
    """
    from .model import AnyDate, parse_date

    data = source.data
    timeline = data.get("timeline") if isinstance(data, dict) else None
    if not isinstance(timeline, list):
        return []
    problems: list[Problem] = []
    previous: AnyDate | None = None
    for index, entry in enumerate(timeline):
        raw = entry.get("date") if isinstance(entry, dict) else None
        try:
            date = parse_date(raw)
        except ValueError:
            continue
        if previous is not None and date.last() < previous.first():
            path: PathKey = ("timeline", index, "date")
            problems.append(
                Problem(
                    source.locate(path),
                    f"timeline is out of order: {date} is over before {previous}, the entry "
                    "above, begins; list events oldest first",
                    format_path(path),
                )
            )
        previous = date
    return problems
