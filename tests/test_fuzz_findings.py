"""What fuzzing the command line found, kept fixed: no internal errors, validate and build
agree, and inputs that took minutes are laid out in linear time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CASES, docx_text, pdf_pages, run_cli, squash

MINIMAL = (CASES / "minimal.yaml").read_text("utf-8")


def both(path: Path, tmp_path: Path, *options: str) -> tuple[str, str]:
    """The problem lines of validate and of build for ``path``; both must exit 2."""
    checked = run_cli("validate", str(path), *options)
    built = run_cli("build", str(path), "--out", str(tmp_path / "out"), *options)
    assert (checked.returncode, built.returncode) == (2, 2), (checked.stderr, built.stderr)
    assert "internal error" not in checked.stderr + built.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))
    return checked.stderr.strip(), built.stderr.strip()


def test_a_chain_of_aliases_deeper_than_the_nesting_cap(tmp_path: Path) -> None:
    chain = "".join(f"x{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 80))
    path = tmp_path / "f.yaml"
    path.write_text(MINIMAL + "x0: &a0 [x]\n" + chain, "utf-8")
    checked, built = both(path, tmp_path)
    assert checked == built
    assert "aliases nest values deeper than 64 levels" in checked


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("lang: de\n", "lang: no message catalogue for language 'de'; memos can be built in"),
        ('style: "a\\0b"\n', "style: is not a usable file name"),
        (
            "lang: [en, EN, Deutsch]\n",
            "lang[1]: expected a language tag such as en or ko, got 'EN'; did you mean 'en'?",
        ),
    ],
)
def test_validate_refuses_what_build_refuses(tmp_path: Path, change: str, expected: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(change + MINIMAL, "utf-8")
    checked, built = both(path, tmp_path)
    assert checked == built and expected in checked


def test_a_style_only_the_build_would_read(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(MINIMAL + "style: {en: missing.style.yaml}\n", "utf-8")
    checked, built = both(path, tmp_path, "--format", "docx")
    assert checked == built and "missing.style.yaml" in checked


def test_a_style_too_large_to_lay_out_is_refused_by_validate(tmp_path: Path) -> None:
    (tmp_path / "big.style.yaml").write_text("styles: {h1: {size: 200, leading: 300}}\n")
    path = tmp_path / "f.yaml"
    path.write_text(MINIMAL + "style: big.style.yaml\n", "utf-8")
    checked, built = both(path, tmp_path)
    assert checked == built
    assert "styles.h1: a line is 319 pt tall with its spacing; the text area is" in checked


def test_source_date_epoch_is_checked_by_validate_too(tmp_path: Path) -> None:
    env: dict[str, str | None] = {"SOURCE_DATE_EPOCH": "1e9"}
    checked = run_cli("validate", str(CASES / "minimal.yaml"), env=env)
    assert checked.returncode == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970, got '1e9'" in checked.stderr


def test_a_long_field_is_set_outside_the_table_and_keeps_every_name(tmp_path: Path) -> None:
    people = "".join(f"    - {{name: Person {i}, role: Role {i}}}\n" for i in range(400))
    event = (
        "event:\n  name: Meeting\n  host: Host\n  date: 2024-02-13\n  format: virtual\n"
        "  participants: [Canada]\n  delegation:\n" + people
    )
    path = tmp_path / "f.yaml"
    path.write_text(MINIMAL + event, "utf-8")
    result = run_cli("build", str(path), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = squash(" ".join(pdf_pages(tmp_path / "f.pdf")))
    assert all(f"Person {i}, Role {i}" in text for i in range(400))
    assert text.count("Delegation") == 1  # the label once, beside the first name
    assert "Person 399, Role 399" in squash(docx_text(tmp_path / "f.docx"))


def test_thousands_of_links_each_get_their_own_relationship(tmp_path: Path) -> None:
    import zipfile

    sources = "".join(
        f"  - title: Source {i}\n    url: https://example.org/{i}\n" for i in range(300)
    )
    path = tmp_path / "f.yaml"
    path.write_text(MINIMAL.replace("sources:\n  - title: Nothing in particular\n", "sources:\n")
                    + sources, "utf-8")  # fmt: skip
    result = run_cli("build", str(path), "--out", str(tmp_path), "-f", "docx")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "f.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    targets = [f'Target="https://example.org/{i}"' for i in range(300)]
    assert all(rels.count(t) == 1 for t in targets)
    ids = re.findall(r' Id="([^"]+)"', rels)
    assert len(ids) >= 300
    assert len(ids) == len(set(ids))
