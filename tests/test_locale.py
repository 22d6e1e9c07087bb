"""Dates, lists and labels as each language writes them, from its message catalogue.

Expected strings are written out, never computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import TEMPLATES

from reports.locale import Locale, check_catalogue
from reports.model import PartialDate, parse_date
from reports.templating import locale_for

MESSAGES = TEMPLATES / "messages"

# (written in the fact base, English, Korean, French)
DATES = [
    ("2024-02-13", "13 February 2024", "2024년 2월 13일", "13 février 2024"),
    ("2024-03-01", "1 March 2024", "2024년 3월 1일", "1 mars 2024"),
    ("2024-12-31", "31 December 2024", "2024년 12월 31일", "31 décembre 2024"),
    ("2024-02", "February 2024", "2024년 2월", "février 2024"),
    ("2024-08", "August 2024", "2024년 8월", "août 2024"),
    ("early 2024-02", "early February 2024", "2024년 2월 초", "début février 2024"),
    ("mid 2024-02", "mid-February 2024", "2024년 2월 중순", "mi-février 2024"),
    ("late 2024-02", "late February 2024", "2024년 2월 말", "fin février 2024"),
    ("2024", "2024", "2024년", "2024"),
    ("early 2024", "early 2024", "2024년 초", "début 2024"),
    ("mid 2024", "mid-2024", "2024년 중반", "mi-2024"),
    ("late 2024", "late 2024", "2024년 말", "fin 2024"),
]


@pytest.mark.parametrize(("written", "en", "ko", "fr"), DATES, ids=[d[0] for d in DATES])
def test_dates_in_each_language(written: str, en: str, ko: str, fr: str) -> None:
    date = PartialDate.parse(written)
    for lang, expected in (("en", en), ("ko", ko), ("fr", fr)):
        assert locale_for(TEMPLATES, lang).date(date) == expected, lang


OFFICIAL = [
    ("2024-02-13", "2024. 2. 13.(화)"),
    ("2024-03-01", "2024. 3. 1.(금)"),
    ("2024-03-03", "2024. 3. 3.(일)"),
    ("2024-02", "2024. 2."),
    ("early 2024-02", "2024. 2. 초"),
    ("late 2024-02", "2024. 2. 말"),
    ("2024", "2024."),
    ("mid 2024", "2024. 중반"),
]


@pytest.mark.parametrize(("written", "expected"), OFFICIAL, ids=[d[0] for d in OFFICIAL])
def test_korean_official_dates(written: str, expected: str) -> None:
    ko = locale_for(TEMPLATES, "ko")
    assert ko.date(PartialDate.parse(written), "official") == expected


def test_languages_without_an_official_form_write_long_dates() -> None:
    date = PartialDate.parse("2024-02-13")
    assert locale_for(TEMPLATES, "en").date(date, "official") == "13 February 2024"
    assert locale_for(TEMPLATES, "fr").date(date, "official") == "13 février 2024"


def test_a_calendar_date_and_no_date() -> None:
    en = locale_for(TEMPLATES, "en")
    assert en.date(dt.date(2024, 2, 13)) == "13 February 2024"
    assert locale_for(TEMPLATES, "ko").date(dt.date(2024, 2, 13), "official") == "2024. 2. 13.(화)"
    assert en.date(None) == ""


def test_a_regional_tag_uses_its_base_language() -> None:
    assert locale_for(TEMPLATES, "fr-CA").date(PartialDate.parse("2024-02")) == "février 2024"
    assert locale_for(TEMPLATES, "en-US").tag == "en-US"


@pytest.mark.parametrize(("lang", "tag"), [("en", "en-GB"), ("ko", "ko-KR"), ("fr", "fr-FR")])
def test_document_language_tags(lang: str, tag: str) -> None:
    assert locale_for(TEMPLATES, lang).tag == tag


@pytest.mark.parametrize(
    ("lang", "items", "joined"),
    [
        ("en", [], ""),
        ("en", ["Canada"], "Canada"),
        ("en", ["Canada", "Japan"], "Canada and Japan"),
        ("en", ["Canada", "Japan", "Mexico"], "Canada, Japan and Mexico"),
        ("ko", ["캐나다", "일본", "멕시코"], "캐나다, 일본, 멕시코"),
        ("fr", ["Canada", "Japon", "Mexique"], "Canada, Japon et Mexique"),
    ],
)
def test_lists_are_joined_as_sentences(lang: str, items: list[str], joined: str) -> None:
    assert locale_for(TEMPLATES, lang).join(items) == joined


def test_labels_and_punctuation() -> None:
    assert locale_for(TEMPLATES, "en").label("owner") == "Owner: "
    assert locale_for(TEMPLATES, "ko").label("owner") == "담당: "
    assert locale_for(TEMPLATES, "fr").label("owner") == "Responsable\u00a0: "
    assert locale_for(TEMPLATES, "ko").text("sentence_end") == ""


def test_text_is_one_line_entries_only() -> None:
    en = locale_for(TEMPLATES, "en")
    with pytest.raises(KeyError):
        en.text("months")  # a list, not a line of text
    with pytest.raises(KeyError):
        en.text("no_such_entry")


def _locale(**patterns: str) -> Locale:
    data = yaml.safe_load((MESSAGES / "en.yaml").read_text("utf-8"))
    return Locale("xx", {**data, **patterns})


def test_patterns_read_placeholder_names_only() -> None:
    date = PartialDate.parse("2024-02-13")
    odd = _locale(date_day="{dd}/{mm}/{yyyy} {wd} {weekday} {nosuch} {month.__class__}")
    assert odd.date(date) == "13/02/2024 Tue Tuesday {nosuch} {month.__class__}"


def test_a_precision_specific_qualifier_wins() -> None:
    custom = _locale(date_year_early="the start of {date}")
    assert custom.date(PartialDate.parse("early 2024")) == "the start of 2024"
    assert custom.date(PartialDate.parse("early 2024-02")) == "early February 2024"


# ---------------------------------------------------------------- catalogues


@pytest.mark.parametrize("lang", ["ko", "fr"])
def test_every_catalogue_has_the_english_keys(lang: str) -> None:
    """README: another language needs a catalogue "with the same keys as `en.yaml`"."""
    english = set(yaml.safe_load((MESSAGES / "en.yaml").read_text("utf-8")))
    other = set(yaml.safe_load((MESSAGES / f"{lang}.yaml").read_text("utf-8")))
    assert english <= other
    assert all(key.startswith("date_") for key in other - english)  # optional date forms


def test_shipped_catalogues_are_complete() -> None:
    for path in sorted(MESSAGES.glob("*.yaml")):
        assert check_catalogue(yaml.safe_load(path.read_text("utf-8"))) == [], path.name


def test_catalogue_problems_are_named() -> None:
    data = yaml.safe_load((MESSAGES / "en.yaml").read_text("utf-8"))
    del data["date_mid"], data["sentence_end"]
    data["months"] = data["months"][:11]
    data["weekdays_short"] = "Mon Tue"
    assert check_catalogue(data) == [
        "no 'date_mid' entry",
        "no 'sentence_end' entry",
        "'months' must be a list of 12 names",
        "'weekdays_short' must be a list of 7 names",
    ]


def test_a_new_language_is_a_new_file(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    (folder / "messages").mkdir(parents=True)
    data = yaml.safe_load((MESSAGES / "en.yaml").read_text("utf-8"))
    data.update(
        language_tag="de-DE",
        months=["Januar", "Februar", *data["months"][2:]],
        date_day="{d}. {month} {yyyy}",
        date_early="Anfang {date}",
    )
    (folder / "messages" / "de.yaml").write_text(yaml.safe_dump(data), "utf-8")
    de = locale_for(folder, "de")
    assert de.date(PartialDate.parse("2024-02-13")) == "13. Februar 2024"
    assert de.date(PartialDate.parse("early 2024-01")) == "Anfang Januar 2024"
    assert de.tag == "de-DE"


@pytest.mark.parametrize(
    ("written", "en", "ko", "fr"),
    [
        ("2026-Q2", "Q2 2026", "2026년 2분기", "T2 2026"),
        ("2026-H1", "H1 2026", "2026년 상반기", "S1 2026"),
        ("2026-H2", "H2 2026", "2026년 하반기", "S2 2026"),
        (
            "2026-01-12/2026-01-13",
            "12–13 January 2026",
            "2026년 1월 12일~13일",
            "12–13 janvier 2026",
        ),
        (
            "2026-01-30/2026-02-02",
            "30 January – 2 February 2026",
            "2026년 1월 30일~2월 2일",
            "30 janvier – 2 février 2026",
        ),
        (
            "2025-12-30/2026-01-02",
            "30 December 2025 – 2 January 2026",
            "2025년 12월 30일~2026년 1월 2일",
            "30 décembre 2025 – 2 janvier 2026",
        ),
        ("2026-01/2026-03", "January–March 2026", "2026년 1월~3월", "janvier–mars 2026"),
        ("2025/2026", "2025–2026", "2025년~2026년", "2025–2026"),
    ],
)
def test_quarters_halves_and_ranges_in_each_language(
    written: str, en: str, ko: str, fr: str
) -> None:
    date = parse_date(written)
    for lang, expected in (("en", en), ("ko", ko), ("fr", fr)):
        assert locale_for(TEMPLATES, lang).date(date) == expected, lang


def test_official_korean_ranges_and_weekdays() -> None:
    ko = locale_for(TEMPLATES, "ko")
    assert ko.date(parse_date("2026-01-12/2026-01-13"), "official") == "2026. 1. 12.(월)~13.(화)"
    assert ko.date(parse_date("2026-01-12"), weekday=True) == "2026년 1월 12일(월)"
    assert ko.date(parse_date("2026-01-12"), "official", weekday=True) == "2026. 1. 12.(월)"
    en = locale_for(TEMPLATES, "en")
    assert en.date(parse_date("2026-01-12"), weekday=True) == "Monday 12 January 2026"
    assert en.date(parse_date("2026-01"), weekday=True) == "January 2026"  # no day, no weekday


def test_a_catalogue_without_quarters_writes_them_as_iso() -> None:
    old = Locale("xx", {**locale_for(TEMPLATES, "en").messages})
    messages = {k: v for k, v in old.messages.items() if k not in ("date_quarter", "date_half")}
    assert Locale("xx", messages).date(parse_date("2026-Q3")) == "2026-Q3"
    assert Locale("xx", messages).date(parse_date("2026-H2")) == "2026-H2"
