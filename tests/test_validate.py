"""The validator's messages, exactly as users read them: one line per problem, every
problem at once, sorted by position, each saying what was expected and what was found."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_TEXT

from reports.errors import FactsError
from reports.validate import validate
from reports.yamlsrc import load_bytes

MINIMAL = MINIMAL_TEXT
FIELDS = (
    "version, lang, style, memo, event, events, purpose, decision, summary, background, "
    "key_points, impact, timeline, faq, next_steps, assessment, sources, sections, annexes, "
    "footnotes, clearance"
)


def edited(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


def problems(text: str) -> list[str]:
    with pytest.raises(FactsError) as caught:
        validate(load_bytes(text.encode("utf-8"), "f.yaml"))
    return caught.value.lines()


MESSAGES = {
    "empty": (
        edited("title: Minimal memo", "title:"),
        ["f.yaml:3:9: memo.title: must not be empty"],
    ),
    "only invisible marks": (
        edited("to: Head of Unit", 'to: "\\u200b \\u200d"'),
        ["f.yaml:6:7: memo.to: must not be empty"],
    ),
    "a list for text": (
        edited("title: Minimal memo", "title: [a, b]"),
        ["f.yaml:3:10: memo.title: expected text, got a list"],
    ),
    "a mapping for text": (
        edited("title: Minimal memo", "title: {a: b}"),
        [
            "f.yaml:3:10: memo.title: expected text, got a mapping: 'a: b' was read as "
            "'field: value' because of the ': '; put the whole text in quotes"
        ],
    ),
    "a control character": (
        edited("to: Head of Unit", 'to: "Head\\x07Unit"'),
        [
            "f.yaml:6:7: memo.to: contains the control character U+0007 at position 5, "
            "which documents cannot hold; remove it"
        ],
    ),
    "a choice": (
        edited("marking: OFFICIAL", "marking: OFFICIAL\n  status: urgent"),
        ["f.yaml:9:11: memo.status: expected one of draft, final; got 'urgent'"],
    ),
    "a long value is cut": (
        edited("marking: OFFICIAL", "marking: OFFICIAL\n  status: " + "x" * 80),
        [f"f.yaml:9:11: memo.status: expected one of draft, final; got '{'x' * 60}…'"],
    ),
    "yes or no": (
        edited("marking: OFFICIAL", "marking: OFFICIAL\n  toc: maybe"),
        ["f.yaml:9:8: memo.toc: expected true or false, got 'maybe'"],
    ),
    "the marking's length": (
        edited("marking: OFFICIAL", "marking: " + "M" * 61),
        ["f.yaml:8:12: memo.marking: must be at most 60 characters (it is printed on every page)"],
    ),
    "an empty required list": (
        edited("summary:\n  - One point.", "summary: []"),
        ["f.yaml:9:10: summary: must not be empty; list at least one item"],
    ),
    "an empty optional list": (
        MINIMAL + "key_points: []\n",
        [
            "f.yaml:14:13: key_points: must not be empty; list at least one item, "
            "or leave the field out"
        ],
    ),
    "an empty item, not an empty list": (
        edited("summary:\n  - One point.", "summary:\n  - ''\n  - ok"),
        ["f.yaml:10:5: summary[0]: must not be empty"],
    ),
    "text for a list": (
        edited("summary:\n  - One point.", "summary: One point."),
        ["f.yaml:9:10: summary: expected a list, got 'One point.'"],
    ),
    "text for a mapping": (
        edited("memo:\n  title: Minimal memo", "memo: Minimal\nx:\n  title: Minimal memo"),
        [
            "f.yaml:2:7: memo: expected a mapping of fields, got 'Minimal'",
            f"f.yaml:3:1: x: unknown field 'x'; expected one of: {FIELDS}",
        ],
    ),
    "schema version": (
        edited("version: 1", "version: 3"),
        ["f.yaml:1:10: version: reports reads schema versions 1 and 2; the file says '3'"],
    ),
    "language tag": (
        "lang: English\n" + MINIMAL,
        ["f.yaml:1:7: lang: expected a language tag such as en or ko, got 'English'"],
    ),
    "a missing field": (
        edited("  subject: The smallest fact base the schema accepts\n", ""),
        ["f.yaml:3:3: memo.subject: required field is missing"],
    ),
    "a memo without an addressee": (
        edited("  to: Head of Unit\n", ""),
        [
            "f.yaml:3:3: memo.to: memo has no 'to': add the addressee (to: Minister, or a "
            "list), or set 'kind: report' for an internal report without From/To"
        ],
    ),
    "a missing field in a list item": (
        MINIMAL + "faq:\n  - question: Why?\n",
        ["f.yaml:15:5: faq[0].answer: required field is missing"],
    ),
    "a misspelt field": (
        edited("  to: Head of Unit\n", "  to: Head of Unit\n  too: x\n"),
        ["f.yaml:7:3: memo.too: unknown field 'too'; did you mean 'to'?"],
    ),
    "an unknown field": (
        MINIMAL + "zzz: 1\n",
        [f"f.yaml:14:1: zzz: unknown field 'zzz'; expected one of: {FIELDS}"],
    ),
    "not a mapping": (
        "- a\n- b\n",
        ["f.yaml:1:1: expected a mapping of fields at the top level, got a list"],
    ),
    "an address": (
        MINIMAL + "  - title: t\n    url: ftp://x\n",
        ["f.yaml:15:10: sources[1].url: expected an http:// or https:// address; got 'ftp://x'"],
    ),
    "a partial memo date": (
        edited("date: 2024-03-01", "date: 2024-03"),
        ["f.yaml:4:9: memo.date: expected a full date (YYYY-MM-DD); got '2024-03'"],
    ),
    "a qualified full date": (
        MINIMAL + "timeline:\n  - {date: early 2024-02-13, event: a}\n",
        [
            "f.yaml:15:12: timeline[0].date: 'early' goes with a month or year, not a day, "
            "quarter or half"
        ],
    ),
    "the event format": (
        MINIMAL + "event: {name: n, host: h, date: 2024-02, format: online, participants: [a]}\n",
        ["f.yaml:14:50: event.format: expected one of virtual, in-person, hybrid; got 'online'"],
    ),
    "timeline order": (
        MINIMAL + "timeline:\n  - {date: 2024-02-13, event: a}\n  - {date: 2024-02, event: b}\n"
        "  - {date: mid 2024-02, event: c}\n  - {date: early 2024-02, event: d}\n",
        [  # 2024-02 holds the 13th, and mid-February overlaps it: only the last is wrong
            "f.yaml:18:12: timeline[3].date: timeline is out of order: early 2024-02 is over "
            "before mid 2024-02, the entry above, begins; list events oldest first",
        ],
    ),
    "every problem at once, in file order": (
        edited("background: One paragraph.", "background: []")
        .replace("date: 2024-03-01", "date: 2024-02-30")
        .replace("title: Minimal memo", "title:"),
        [
            "f.yaml:3:9: memo.title: must not be empty",
            "f.yaml:4:9: memo.date: 2024-02-30 is not a real date",
            "f.yaml:11:13: background: must not be empty; list at least one item",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), MESSAGES.values(), ids=MESSAGES.keys())
def test_messages(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_same_day_and_equal_dates_are_in_order() -> None:
    text = MINIMAL + (
        "timeline:\n  - {date: 2024-02, event: a}\n  - {date: 2024-02, event: b}\n"
        "  - {date: early 2024-02, event: c}\n  - {date: 2024-02-01, event: d}\n"
    )
    facts = validate(load_bytes(text.encode("utf-8"), "f.yaml"))
    assert [e.event for e in facts.timeline] == ["a", "b", "c", "d"]


@pytest.mark.parametrize("word", ["yes", "true", "True", "no", "false"])
def test_yes_and_no(word: str) -> None:
    text = edited("marking: OFFICIAL", f"marking: OFFICIAL\n  toc: {word}")
    facts = validate(load_bytes(text.encode("utf-8"), "f.yaml"))
    assert facts.memo.toc is (word.lower() in ("yes", "true"))


def test_text_is_kept_as_typed() -> None:
    text = edited("to: Head of Unit", "to: NO").replace(
        "background: One paragraph.", "background: 1.10"
    )
    facts = validate(load_bytes(text.encode("utf-8"), "f.yaml"))
    assert facts.memo.to == ("NO",)
    assert facts.background == ("1.10",)
