"""Files shipped inside the package: the default template folder, house styles and fonts."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from .errors import UsageError

MESSAGES_DIR = "messages"
"""Folder of a template directory holding one message catalogue per language."""


def template_dir(path: str | Path | None = None) -> Path:
    """Return the template directory to use: ``path``, or the one shipped with ``reports``."""
    return Path(path) if path is not None else default_templates()


@lru_cache(maxsize=1)
def default_templates() -> Path:
    """The template folder shipped with ``reports`` (memo template, catalogues, styles, fonts).

    Package data is a real folder in every normal install (a wheel, ``pip install -e``);
    a zipped install cannot give fonts to ReportLab by path, so it is refused plainly.
    """
    folder = files("reports").joinpath("templates")
    path = Path(str(folder))
    if not path.is_dir():
        raise UsageError(
            f"the shipped templates are not a folder on disk ({folder}); install reports "
            "unzipped (pip install) or pass --template"
        )
    return path


def catalogue_languages(folder: Path | None = None) -> list[str]:
    """The languages a memo can be written in: those with a message catalogue in the
    template folder ``folder`` or shipped with reports."""
    found = {p.stem for p in (default_templates() / "messages").glob("*.yaml")}
    if folder is not None:
        found |= {p.stem for p in (Path(folder) / "messages").glob("*.yaml")}
    return sorted(found)


def catalogue_path(folder: Path, lang: str) -> Path | None:
    """The message catalogue used for ``lang``: the template folder's, for the language or
    its base language, else the shipped one; ``None`` if there is none."""
    base = folder / MESSAGES_DIR
    candidates = [base / f"{lang}.yaml", base / f"{lang.split('-')[0]}.yaml"]
    # A user's template folder may hold only the template: take the shipped wording then.
    shipped = template_dir() / MESSAGES_DIR
    candidates += [shipped / c.name for c in candidates]
    return next((c for c in candidates if c.is_file()), None)
