"""The build manifest: every memo's inputs and outputs with their sha256, in the output folder."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import shown, write_files
from .options import BuildOptions

if TYPE_CHECKING:
    from .batch import MemoResult

MANIFEST_NAME = "manifest.json"
BASE_LIBRARIES = ("jinja2", "pyyaml", "markdown-it-py", "mdit-py-plugins", "pillow")
"""Libraries every build's bytes depend on; writers name their own."""


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def libraries(options: BuildOptions) -> dict[str, str | None]:
    """Distribution → version of every library that writes the bytes of this build."""
    names = [*BASE_LIBRARIES, *(lib for info in options.writers for lib in info.libraries)]
    return {n: _version(n) for n in sorted(dict.fromkeys(names))}


MAX_MANIFEST_BYTES = 256 * 1024 * 1024
"""Largest previous manifest read back (about a million memos' worth)."""


def read_entries(path: Path) -> tuple[dict[str, dict[str, Any]], bool]:
    """The memo entries of a previous manifest by source, and whether it was unusable.

    The output folder may hold anything (a tampered file, another tool's JSON): whatever
    cannot be read as our manifest is set aside, never trusted and never a crash.
    """
    try:
        if not path.is_file():
            return {}, path.exists()
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return {}, True
        old = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError, MemoryError):
        return {}, True
    memos = old.get("memos") if isinstance(old, dict) else None
    if not isinstance(memos, list):
        return {}, True
    entries = {
        m["source"]: m for m in memos if isinstance(m, dict) and isinstance(m.get("source"), str)
    }
    return entries, len(entries) != len(memos)


def write_manifest(
    out_dir: Path, results: Sequence[MemoResult], options: BuildOptions
) -> tuple[Path, bool]:
    """Record every memo's inputs and outputs with sha256 in ``out_dir/manifest.json``.

    Entries for fact bases not built this time are kept, so building one memo does not
    forget the others. The file has no time stamp: equal builds give an equal manifest.
    Return the path, and whether a previous manifest could not be read and was replaced.
    """
    from .. import __version__

    path = out_dir / MANIFEST_NAME
    memos: dict[str, object] = {}
    entries, replaced = read_entries(path)
    memos.update(entries)
    for r in results:
        memos[shown(r.source)] = {
            "source": shown(r.source),
            "status": r.status,
            "inputs": dict(sorted(r.inputs.items())),
            # names relative to the manifest, so a copied output folder stays valid
            "outputs": [{k: v for k, v in o.items() if k != "path"} for o in r.outputs],
            "problems": [p.as_json() for p in r.problems],
        }
    manifest: dict[str, Any] = {
        "tool": "reports",
        "version": __version__,
        # the libraries that write the bytes: equal inputs give equal files with these
        "dependencies": libraries(options),
        "settings": {
            "formats": list(options.formats),
            "template_dir": str(options.template_dir) if options.template_dir else None,
            "styles": [str(s) for s in options.style_overrides],
            "reference_docx": str(options.reference_docx) if options.reference_docx else None,
            "draft": options.draft,
            "pdfa": options.pdfa,
            "allow_missing_glyphs": options.allow_missing_glyphs,
            "langs": list(options.langs),
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH") or None,
        },
        "memos": [memos[k] for k in sorted(memos)],
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_files({path: text.encode("utf-8")})
    return path, replaced
