"""House styles: named paragraph styles resolved through their parents, merged overrides,
per-language styles, and exact messages for what cannot be resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEMPLATES, need_fonts

from reports.errors import StyleError
from reports.style import Font, HouseStyle, ParaStyle, load_style


def style_with(tmp_path: Path, text: str, lang: str = "en") -> HouseStyle:
    override = tmp_path / "s.yaml"
    override.write_text(text, "utf-8")
    return load_style(TEMPLATES, [override], lang)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(StyleError) as caught:
        style_with(tmp_path, text)
    return caught.value.lines()


def test_styles_inherit_through_their_parents() -> None:
    hs = load_style(TEMPLATES)
    # caption → small → body: each level sets some values, inherits the rest
    assert hs.style("caption") == ParaStyle(
        name="caption",
        font="sans",
        size=9.0,
        leading=12.5,
        bold=False,
        italic=True,
        color="#56606c",  # 'muted', from colors
        space_before=3.0,
        space_after=6.0,
        align="left",
    )
    assert hs.style("toc2").size == 10.0 and hs.style("toc2").space_after == 2.0
    assert hs.style("footer") == ParaStyle(
        "footer", "sans", 8.0, 10.0, False, False, "#56606c", 0.0, 0.0, "left"
    )


def test_leading_defaults_to_size_and_a_third(tmp_path: Path) -> None:
    hs = style_with(tmp_path, "styles:\n  x: {font: sans, size: 10, color: '#123456'}\n")
    assert hs.style("x") == ParaStyle(
        "x", "sans", 10.0, 13.0, False, False, "#123456", 0, 0, "left"
    )


def test_overrides_are_deep_merged(tmp_path: Path) -> None:
    hs = style_with(tmp_path, "colors:\n  accent: '#7a1f1f'\nstyles:\n  body: {size: 11}\n")
    assert hs.colors["accent"] == "#7a1f1f"
    assert hs.colors["muted"] == "#56606c"  # untouched
    assert hs.style("h1").color == "#7a1f1f"  # a colour name is resolved after the merge
    assert hs.style("body").leading == 14.5  # only size was overridden
    assert hs.style("list").size == 11.0  # and children inherit it
    assert hs.origin == (str(TEMPLATES / "house-style.yaml"), str(tmp_path / "s.yaml"))
    assert hs.origin_file == str(tmp_path / "s.yaml")


def test_korean_style_is_merged_for_korean_memos() -> None:
    need_fonts("NanumGothic")
    for lang in ("ko", "ko-KR"):
        hs = load_style(TEMPLATES, (), lang)
        assert hs.origin[-1] == str(TEMPLATES / "house-style.ko.yaml")
        assert hs.style("body").font == "korean"
        assert hs.style("h1").font == "korean"  # inherited from body, as in the English style
        assert (hs.style("body").leading, hs.style("body").align) == (16.5, "justify")
        assert (hs.bullets[0], hs.section_numbers, hs.emphasis) == ("□", "roman", "plain")
    english = load_style(TEMPLATES)
    assert (english.bullets[0], english.section_numbers, english.emphasis) == (
        "•",
        "none",
        "italic",
    )
    assert english.date_style == "long" and not english.first_page_furniture


def test_unknown_style_name_stops_the_run() -> None:
    with pytest.raises(StyleError) as caught:
        load_style(TEMPLATES).style("sidebar")
    assert caught.value.lines() == [
        f"{TEMPLATES / 'house-style.yaml'}: no style named 'sidebar' in the house style"
    ]


def test_colours_pass_through_or_resolve() -> None:
    hs = load_style(TEMPLATES)
    assert hs.color("accent") == "#1f3a5f"
    assert hs.color("#abcdef") == "#abcdef"


def test_missing_font_variants_fall_back() -> None:
    font = Font("f", "F", "F", {"regular": Path("r.ttf"), "bold": Path("b.ttf")})
    assert font.file("bold_italic") == Path("b.ttf")
    assert font.file("italic") == Path("r.ttf")
    assert Font("g", "G", "G", {"regular": Path("r.ttf")}).file("bold_italic") == Path("r.ttf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "styles:\n  a: {parent: b}\n  b: {parent: a}\n",
            [
                "styles.a: parent chain loops back to 'a'",
                "styles.b: parent chain loops back to 'a'",
            ],
        ),
        ("styles:\n  a: {parent: a}\n", ["styles.a: parent chain loops back to 'a'"]),
        (
            "styles:\n  a: {parent: b}\n  b: {parent: c}\n  c: {parent: b}\n",
            [
                "styles.a: parent chain loops back to 'b'",
                "styles.b: parent chain loops back to 'b'",
                "styles.c: parent chain loops back to 'b'",
            ],
        ),
        ("styles:\n  a: {parent: nosuch}\n", ["styles.a: parent 'nosuch' is not a style"]),
        ("styles:\n  x: {size: 10}\n", ["styles.x: no font set, on the style or its parents"]),
        (
            "styles:\n  x: {font: sans, color: text}\n",
            ["styles.x: no size set, on the style or its parents"],
        ),
        (
            "styles:\n  x: {font: sans, size: 9}\n",
            ["styles.x: no color set, on the style or its parents"],
        ),
        ("styles:\n  x: {parent: body, font: serif}\n", ["styles.x: font 'serif' is not in fonts"]),
        (
            "styles:\n  x: {parent: body, font: korean}\n",
            ["styles.x: font 'korean' is optional; a style's font must be required"],
        ),
        (
            "styles:\n  x: {parent: body, color: nocolour}\n",
            ["styles.x: colour 'nocolour' is neither #rrggbb nor a name in colors"],
        ),
        (
            "fallback: [serif]\neast_asian: serif\n",
            ["east_asian: 'serif' is not in fonts", "fallback: 'serif' is not in fonts"],
        ),
    ],
    ids=[
        "loop",
        "own-parent",
        "loop-further-up",
        "no-parent",
        "no-font",
        "no-size",
        "no-colour",
        "unknown-font",
        "optional-font",
        "unknown-colour",
        "unknown-fallback",
    ],
)
def test_unresolvable_styles(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert problems(tmp_path, text) == [f"{tmp_path / 's.yaml'}: {p}" for p in expected]


def test_a_chain_of_parents_is_capped(tmp_path: Path) -> None:
    chain = "".join(f"  s{i}: {{parent: s{i - 1}}}\n" for i in range(1, 34))
    found = problems(tmp_path, "styles:\n  s0: {parent: body}\n" + chain)
    # body is the first link: s30 is the 32nd style in its chain, s31 the 33rd
    assert found == [
        f"{tmp_path / 's.yaml'}: styles.s{i}: more than 32 styles in its chain of parents"
        for i in (31, 32, 33)
    ]


def test_a_long_chain_of_parents_resolves_once(tmp_path: Path) -> None:
    chain = "".join(f"  s{i}: {{parent: s{i - 1}, size: {8 + i % 5}}}\n" for i in range(1, 31))
    hs = style_with(tmp_path, "styles:\n  s0: {parent: body}\n" + chain)
    assert hs.style("s30").size == 8.0 and hs.style("s30").font == "sans"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "page:\n  margin: {left: 81}\n",
            "2:18: page.margin.left: input should be less than or equal to 80",
        ),
        ("- a\n- b\n", "1:1: a style file must be a mapping"),
        (
            "section_numbers: arabic\n",
            "1:18: section_numbers: expected one of none, roman, decimal",
        ),
        ("date_style: short\n", "1:13: date_style: expected one of long, official"),
        (
            "emphasis: bold\n",
            "1:11: emphasis: expected one of italic, underline, plain",
        ),
        ("page:\n  size: A3\n", "2:9: page.size: expected one of A4, letter"),
        (
            "styles:\n  body: {colour: red}\n",
            "2:10: styles.body.colour: unknown field 'colour'; did you mean 'color'?",
        ),
        (
            "page:\n  colour: red\n",
            "2:3: page.colour: unknown field 'colour'; expected one of: "
            "size, margin, first_page_furniture",
        ),
    ],
)
def test_invalid_style_values(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text) == [f"{tmp_path / 's.yaml'}:{expected}"]
