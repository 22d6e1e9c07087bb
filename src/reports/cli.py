"""Command line: ``reports build | validate | schema``. Expected errors print as messages.

Exit codes: 0 success; 1 a build failed (or, with ``--check``, outputs are stale);
2 invalid input or usage (fact base, template, style, options, output folder).
A Python traceback means a bug in ``reports`` itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import EXIT_OK, ReportError, UsageError
from .yamlsrc import Limits

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("output")


def _limits_options(func: Any) -> Any:
    """Add the input-size caps shared by ``build`` and ``validate``."""
    defaults = Limits()
    func = click.option(
        "--max-aliases",
        type=click.IntRange(0),
        default=defaults.max_aliases,
        show_default=True,
        help="Most YAML aliases (*name) in a fact base.",
    )(func)
    func = click.option(
        "--max-nodes",
        type=click.IntRange(1),
        default=defaults.max_nodes,
        show_default=True,
        help="Most values in a fact base, after expanding aliases.",
    )(func)
    func = click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=defaults.max_bytes,
        show_default=True,
        help="Largest fact-base file accepted.",
    )(func)
    return func


def _fail(error: ReportError) -> int:
    for line in error.lines():
        click.echo(line, err=True)
    return error.exit_code


def _sources(facts: tuple[str, ...]) -> list[Path]:
    from .pipeline import discover

    if not facts:
        if not DEFAULT_DATA.is_dir():
            raise UsageError(
                "no fact bases given and no data/ folder here; name the YAML files to build"
            )
        facts = (str(DEFAULT_DATA),)
    found = discover(facts)
    if not found:
        raise UsageError(f"no .yaml fact bases in {', '.join(facts)}")
    return found


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="reports")
def cli() -> None:
    """Turn YAML fact bases into PDF briefing memos and editable Word documents."""


@cli.command()
@click.argument("facts", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--out",
    "-o",
    "out_dir",
    default=str(DEFAULT_OUT),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.",
)
@click.option(
    "--format",
    "-f",
    "formats",
    default="pdf,docx",
    show_default=True,
    help="Comma-separated formats to write: pdf, docx.",
)
@click.option(
    "--template",
    "-t",
    "template_dir",
    default=None,
    type=click.Path(path_type=Path),
    help="Template folder holding memo.xml.j2 and house-style.yaml.",
)
@click.option(
    "--style",
    "-s",
    "styles",
    multiple=True,
    type=click.Path(path_type=Path),
    help="House-style file merged over the template's (repeatable).",
)
@click.option(
    "--reference-docx",
    default=None,
    type=click.Path(path_type=Path),
    help="Word document whose styles the DOCX uses.",
)
@click.option("--draft", is_flag=True, help="Watermark every page DRAFT.")
@click.option(
    "--allow-missing-glyphs",
    is_flag=True,
    help="Warn, instead of failing, about characters no configured font can draw.",
)
@_limits_options
def build(
    facts: tuple[str, ...],
    out_dir: Path,
    formats: str,
    template_dir: Path | None,
    styles: tuple[Path, ...],
    reference_docx: Path | None,
    draft: bool,
    allow_missing_glyphs: bool,
    max_bytes: int,
    max_nodes: int,
    max_aliases: int,
) -> None:
    """Build memos from FACTS (YAML files or folders; default: data/) into --out.

    Prints each file written. Every fact base is attempted; problems are printed one per
    line as file:line:col: field: message.
    """
    from .pipeline import Builder, BuildOptions, parse_formats, prepare_out_dir

    code = EXIT_OK
    try:
        options = BuildOptions(
            formats=parse_formats(formats),
            template_dir=template_dir,
            style_overrides=tuple(styles),
            reference_docx=reference_docx,
            draft=draft,
            allow_missing_glyphs=allow_missing_glyphs,
            limits=Limits(max_bytes=max_bytes, max_nodes=max_nodes, max_aliases=max_aliases),
        )
        if template_dir is not None and not template_dir.is_dir():
            raise UsageError(f"template folder {template_dir} does not exist")
        sources = _sources(facts)
        prepare_out_dir(out_dir)
        builder = Builder(options)
    except ReportError as exc:
        sys.exit(_fail(exc))
    for source in sources:
        try:
            result = builder.build(source, out_dir)
        except ReportError as exc:
            code = max(code, _fail(exc))
            continue
        for warning in result.warnings:
            click.echo(f"{warning} (warning)", err=True)
        for path in result.outputs:
            click.echo(str(path))
    sys.exit(code)


@cli.command()
@click.argument("facts", nargs=-1, type=click.Path(path_type=str))
@_limits_options
def validate(facts: tuple[str, ...], max_bytes: int, max_nodes: int, max_aliases: int) -> None:
    """Check FACTS (YAML files or folders; default: data/) without building anything."""
    from .validate import load_facts

    code = EXIT_OK
    limits = Limits(max_bytes=max_bytes, max_nodes=max_nodes, max_aliases=max_aliases)
    try:
        sources = _sources(facts)
    except ReportError as exc:
        sys.exit(_fail(exc))
    for source in sources:
        try:
            load_facts(source, limits)
        except ReportError as exc:
            code = max(code, _fail(exc))
            continue
        click.echo(f"{source}: ok")
    sys.exit(code)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the fact-base JSON Schema, for editors to complete and check YAML files."""
    from .model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    from .pipeline import atomic_write

    try:
        atomic_write(output, text.encode("utf-8"))
    except OSError as exc:
        sys.exit(_fail(UsageError(f"cannot write {output}: {exc.strerror}")))


def main(argv: list[str] | None = None) -> Any:
    """Entry point for the ``reports`` console script."""
    try:
        return cli.main(args=argv, prog_name="reports", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)
