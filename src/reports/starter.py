"""``reports init``: the files of a new memo repository, from the package's ``scaffold/``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

INSTALL_LINE = '  REPORTS_INSTALL: "."\n'
"""The line of the shipped workflow that says where reports is installed from."""


@dataclass(frozen=True, slots=True)
class Scaffold:
    """What :func:`scaffold` wrote and what it left alone."""

    written: tuple[Path, ...]
    kept: tuple[Path, ...]
    """Files that were there already: never overwritten."""


def files(install: str, today: dt.date) -> dict[str, bytes]:
    """Path inside the new repository → its bytes.

    ``install`` is what the workflow's ``pip install`` takes (``REPORTS_INSTALL``).
    """
    from .model import json_schema
    from .resources import catalogue_languages, default_templates

    if not install.strip() or any(c in install for c in "\r\n"):
        raise UsageError(f"--install takes what pip install takes, on one line; got {install!r}")
    here = default_templates().parent / "scaffold"
    workflow = (here / "memos.yml").read_text("utf-8")
    assert INSTALL_LINE in workflow, "the shipped workflow names REPORTS_INSTALL"
    # a JSON string is a YAML double-quoted scalar
    workflow = workflow.replace(INSTALL_LINE, f"  REPORTS_INSTALL: {json.dumps(install)}\n")
    memo = (here / "memo.yaml").read_text("utf-8").replace("{date}", today.isoformat())
    schema = json.dumps(json_schema(catalogue_languages()), indent=2, ensure_ascii=False) + "\n"
    return {
        "data/memo.yaml": memo.encode("utf-8"),
        "factbase.schema.json": schema.encode("utf-8"),
        ".gitignore": (here / "gitignore").read_bytes(),
        ".pre-commit-config.yaml": (here / "pre-commit-config.yaml").read_bytes(),
        ".github/workflows/memos.yml": workflow.encode("utf-8"),
    }


def scaffold(folder: Path, install: str, today: dt.date | None = None) -> Scaffold:
    """Write the files of a memo repository into ``folder``, keeping any already there.

    Raise :class:`UsageError` if ``folder`` is a file or cannot be written.
    """
    from .build.files import prepare_out_dir, write_files

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; name a folder for the memo repository")
    wanted = files(install, today or dt.date.today())
    kept = tuple(folder / rel for rel in wanted if (folder / rel).exists())
    new = {folder / rel: data for rel, data in wanted.items() if folder / rel not in kept}
    for path in new:  # every folder checked before any is made: nothing half-written
        for parent in (path.parent, *path.parent.parents):
            if parent.exists() and not parent.is_dir():
                raise UsageError(
                    f"{parent} is a file where the memo repository needs a folder; move it "
                    "and run init again"
                )
    for path in new:
        prepare_out_dir(path.parent)
    write_files(new)
    return Scaffold(tuple(new), kept)


def install_spec() -> tuple[str, bool]:
    """What a CI runner can ``pip install`` to get this reports, and whether it is known.

    Known when reports was installed from a git commit or a published file (pip records
    where, PEP 610); otherwise the version, from a package index.
    """
    from importlib.metadata import PackageNotFoundError, distribution

    from . import __version__

    try:
        recorded = distribution("reports").read_text("direct_url.json")
        origin = json.loads(recorded) if recorded else {}
    except (PackageNotFoundError, ValueError):
        origin = {}
    url = origin.get("url", "") if isinstance(origin, dict) else ""
    vcs = origin.get("vcs_info") if isinstance(origin, dict) else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url.startswith("https://"):
        return f"reports @ git+{url}@{vcs.get('commit_id')}", True
    if "archive_info" in origin and url.startswith("https://"):
        return f"reports @ {url}", True
    return f"reports=={__version__}", False
