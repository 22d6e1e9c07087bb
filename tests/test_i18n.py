"""Fact bases in several languages: one language picked out, positions remapped to where
that language's text was typed, and missing translations named."""

from __future__ import annotations

import pytest

from reports.errors import FactsError
from reports.i18n import languages, localize
from reports.validate import validate
from reports.yamlsrc import load_bytes

BILINGUAL = """\
version: 1
lang: [ko, en]
memo:
  title: {ko: 제목, en: Title}
  date: 2024-03-01
summary:
  - {ko: 하나, en: One}
  - ko: 둘
    en: Two
background:
  ko: [배경 하나, 배경 둘]
  en:
    - Background one
    - Background two
"""


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        ({"lang": "ko"}, ["ko"]),
        ({"lang": " fr "}, ["fr"]),
        ({"lang": ["ko", "en"]}, ["ko", "en"]),
        ({}, ["en"]),
        ({"lang": ""}, ["en"]),
        ({"lang": []}, ["en"]),
        ({"lang": ["ko", 1]}, ["ko"]),  # the 1 is the validator's to refuse
        ({"lang": "../x"}, ["en"]),  # never a file name: the validator refuses it
        ("not a mapping", ["en"]),
    ],
)
def test_declared_languages(data: object, declared: list[str]) -> None:
    assert languages(data) == declared


@pytest.mark.parametrize(
    ("lang", "data"),
    [
        (
            "en",
            {
                "version": "1",
                "lang": "en",
                "memo": {"title": "Title", "date": "2024-03-01"},
                "summary": ["One", "Two"],
                "background": ["Background one", "Background two"],
            },
        ),
        (
            "ko",
            {
                "version": "1",
                "lang": "ko",
                "memo": {"title": "제목", "date": "2024-03-01"},
                "summary": ["하나", "둘"],
                "background": ["배경 하나", "배경 둘"],
            },
        ),
    ],
)
def test_one_language_is_picked_out(lang: str, data: dict[str, object]) -> None:
    localized, problems = localize(load_bytes(BILINGUAL.encode(), "m.yaml"), lang)
    assert problems == []
    assert localized.data == data


@pytest.mark.parametrize(
    ("path", "en", "ko"),
    [
        (("memo", "title"), "m.yaml:4:23", "m.yaml:4:15"),
        (("summary", 0), "m.yaml:7:18", "m.yaml:7:10"),
        (("summary", 1), "m.yaml:9:9", "m.yaml:8:9"),
        (("background", 0), "m.yaml:13:7", "m.yaml:11:8"),
        (("background", 1), "m.yaml:14:7", "m.yaml:11:15"),
        (("memo", "date"), "m.yaml:5:9", "m.yaml:5:9"),  # given once, for both
        (("lang",), "m.yaml:2:7", "m.yaml:2:7"),
    ],
)
def test_positions_point_at_the_language_picked(
    path: tuple[str | int, ...], en: str, ko: str
) -> None:
    source = load_bytes(BILINGUAL.encode(), "m.yaml")
    assert str(localize(source, "en")[0].locate(path)) == en
    assert str(localize(source, "ko")[0].locate(path)) == ko


def test_a_missing_translation_is_named() -> None:
    text = BILINGUAL.replace("    en: Two\n", "").replace("en: Title", "ja: タイトル")
    source = load_bytes(text.encode(), "m.yaml")
    _localized, problems = localize(source, "en")
    assert [str(p) for p in problems] == [
        "m.yaml:4:19: memo.title: 'ja' is not one of this fact base's languages (ko, en); "
        "add it to 'lang' or remove it",
        "m.yaml:8:5: summary[1]: no 'en' text (given: ko); add one as 'en: …'",
    ]
    # 'ja' is not a language of this fact base: named as a stray key, with the fix
    with pytest.raises(FactsError) as caught:
        validate(source, "en")
    lines = caught.value.lines()
    assert (
        "m.yaml:4:19: memo.title: 'ja' is not one of this fact base's languages (ko, en); "
        "add it to 'lang' or remove it"
    ) in lines
    assert "m.yaml:8:5: summary[1]: no 'en' text (given: ko); add one as 'en: …'" in lines


def test_fallback_takes_the_main_language() -> None:
    text = BILINGUAL.replace("    en: Two\n", "")
    localized, problems = localize(load_bytes(text.encode(), "m.yaml"), "en", fallback=True)
    assert problems == []
    assert localized.data["summary"] == ["One", "둘"]
    assert str(localized.locate(("summary", 1))) == "m.yaml:8:9"


def test_a_language_the_fact_base_is_not_written_in() -> None:
    with pytest.raises(FactsError) as caught:
        validate(load_bytes(BILINGUAL.encode(), "m.yaml"), "fr")
    assert caught.value.lines() == [
        "m.yaml:2:7: lang: this fact base is written in ko, en; it has no 'fr' version"
    ]


def test_a_one_language_fact_base_is_left_alone() -> None:
    source = load_bytes(b"lang: en\nmemo: {title: {en: x}}\n", "m.yaml")
    localized, problems = localize(source, "en")
    assert problems == []
    assert localized.data == {"lang": "en", "memo": {"title": "x"}}
    assert localized.value_marks[("memo", "title")] == (2, 20)
