"""The build manifest: every memo's inputs and outputs with their sha256, in the output folder."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import Problem, SourceLocation, UsageError
from .files import sha256_file, shown, write_files
from .options import BuildOptions, Shard

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


def recorded_hashes(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Output file (relative to the output folder) → the sha256 it had when it was written."""
    hashes: dict[str, str] = {}
    for entry in entries.values():
        for out in entry_outputs(entry):
            if isinstance(out.get("sha256"), str):
                hashes[out["file"]] = out["sha256"]
    return hashes


def entry_outputs(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An entry's outputs that name a file; a tampered manifest may hold anything."""
    outputs = entry.get("outputs")
    if not isinstance(outputs, list):
        return []
    return [o for o in outputs if isinstance(o, dict) and isinstance(o.get("file"), str)]


@dataclass(frozen=True, slots=True)
class Orphan:
    """A manifest entry whose fact base is gone, and the files it left behind."""

    source: str
    """The fact base, as the manifest names it."""
    files: tuple[Path, ...]
    """Its outputs still in the output folder that no current memo writes."""

    def as_json(self) -> dict[str, object]:
        """The orphan as JSON-ready data."""
        return {"source": self.source, "files": [str(f) for f in self.files]}

    def lines(self, out_dir: Path) -> list[str]:
        """One ``orphan:`` line per file left behind, and one for the manifest entry."""
        gone = f"its fact base {self.source} is gone; build --prune removes it"
        return [f"orphan: {f}: {gone}" for f in self.files] + [
            f"orphan: {out_dir / MANIFEST_NAME}: the entry for {self.source}, whose fact base "
            "is gone; build --prune removes it"
        ]


def find_orphans(
    entries: Mapping[str, Mapping[str, Any]],
    out_dir: Path,
    *,
    current: Collection[str],
    roots: Sequence[Path],
    claimed: Collection[str],
    owned: Callable[[str], bool] = lambda source: True,
) -> list[Orphan]:
    """The entries whose fact base is gone: it lay in one of the folders built (``roots``)
    and is not among the fact bases found there now (``current``, as the manifest names
    them). Entries outside those folders are left alone, whatever their state: a build of
    ``data/`` says nothing of memos built from elsewhere, or from another working folder.

    ``claimed`` are the output files (relative to ``out_dir``) that current memos write;
    ``owned`` tells whether an entry is this build's to judge (its shard's).
    """
    folders = [r.resolve() for r in roots]
    orphans: list[Orphan] = []
    for source, entry in sorted(entries.items()):
        if source in current or not owned(source):
            continue
        if not any(Path(source).resolve().is_relative_to(f) for f in folders):
            continue
        files = []
        for out in entry_outputs(entry):
            rel = PurePosixPath(out["file"])
            # only files inside the output folder: a tampered manifest cannot name others
            if rel.is_absolute() or ".." in rel.parts or not rel.parts or out["file"] in claimed:
                continue
            if (out_dir / rel).is_file():
                files.append(out_dir / rel)
        orphans.append(Orphan(source, tuple(files)))
    return orphans


def prune(orphans: Sequence[Orphan], out_dir: Path) -> list[Problem]:
    """Remove the files orphans left, and the folders that leaves empty; return what failed."""
    problems: list[Problem] = []
    for orphan in orphans:
        for path in orphan.files:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                problems.append(
                    Problem(SourceLocation(str(path)), f"cannot remove: {exc.strerror}")
                )
                continue
            folder = path.parent
            while folder != out_dir and out_dir in folder.parents:
                with contextlib.suppress(OSError):  # not empty: kept
                    folder.rmdir()
                folder = folder.parent
    return problems


def entry(result: MemoResult) -> dict[str, Any]:
    """A memo's entry in the manifest: what went in, what came out, what was wrong."""
    return {
        "source": shown(result.source),
        "status": result.status,
        "inputs": dict(sorted(result.inputs.items())),
        # names relative to the manifest, so a copied output folder stays valid
        # a memo refused for an edited output keeps recording what was built
        "outputs": [
            {k: v for k, v in o.items() if k != "path"} for o in result.outputs or result.kept
        ],
        "problems": [p.as_json() for p in result.problems],
    }


def write_manifest(
    out_dir: Path,
    results: Sequence[MemoResult],
    options: BuildOptions,
    previous: Mapping[str, Mapping[str, Any]],
    drop: Collection[str] = (),
    shard: Shard | None = None,
) -> Path:
    """Record every memo's inputs and outputs with sha256 in ``out_dir/manifest.json``.

    Entries of ``previous`` for fact bases not built this time are kept, so building one
    memo does not forget the others, except those in ``drop`` (pruned orphans). The file
    has no time stamp: equal builds give an equal manifest. A shard's manifest says which
    shard it is, for :func:`merge`. Return its path.
    """
    path = out_dir / MANIFEST_NAME
    memos: dict[str, Any] = {k: v for k, v in previous.items() if k not in drop}
    for r in results:
        memos[shown(r.source)] = entry(r)
    header = _header(options)
    if shard is not None:
        header["shard"] = str(shard)
    write_files({path: _text(header, memos)})
    return path


def _header(options: BuildOptions) -> dict[str, Any]:
    """What every entry of a manifest was built with."""
    from .. import __version__

    return {
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
    }


def _text(header: Mapping[str, Any], memos: Mapping[str, Any]) -> bytes:
    """The manifest's bytes: the one place they are made, so a merged manifest and a
    single build's are byte for byte the same."""
    manifest = {**header, "memos": [memos[k] for k in sorted(memos)]}
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


_SAME = ("tool", "version", "dependencies", "settings")
"""What the manifests merged must agree on: otherwise their memos are not one build's."""


def merge(paths: Sequence[Path], out: Path) -> list[dict[str, Any]]:
    """Combine the manifests of a sharded build into ``out``; return its memo entries.

    Each path is an output folder or a manifest file. The shards must have been built
    with the same tool, libraries and settings, and all be there (``1/N`` to ``N/N``,
    each once); the result is the manifest a single full build would have written. An
    entry is taken from the shard that owns its fact base; a copy left in another
    shard's folder by an earlier build is used only when no owner has one, and only if
    every copy agrees. Raise :class:`UsageError` naming what does not fit.
    """
    from .files import prepare_out_dir

    loaded = [_load(_manifest_file(p)) for p in paths]
    first = loaded[0]
    for part in loaded[1:]:
        for key in _SAME:
            if part.data.get(key) != first.data.get(key):
                raise UsageError(
                    f"{part.path} was built with other {key} than {first.path}; build every "
                    "shard with the same reports, libraries and options"
                )
    _all_shards(loaded)
    owned: dict[str, Any] = {}
    leftovers: dict[str, list[_Part]] = {}
    for part in loaded:
        for source, entry in part.entries.items():
            if part.shard is None or part.shard.owns(source):
                _agree(owned.get(source, entry), entry, part, source)
                owned[source] = entry
            else:
                leftovers.setdefault(source, []).append(part)
    for source, parts in leftovers.items():
        if source not in owned:
            for part in parts:
                _agree(parts[0].entries[source], part.entries[source], part, source)
            owned[source] = parts[0].entries[source]
    prepare_out_dir(out.parent)
    write_files({out: _text({key: first.data[key] for key in _SAME}, owned)})
    return [owned[k] for k in sorted(owned)]


@dataclass(frozen=True, slots=True)
class _Part:
    """One manifest given to :func:`merge`."""

    path: Path
    data: dict[str, Any]
    entries: dict[str, dict[str, Any]]
    shard: Shard | None


def _manifest_file(path: Path) -> Path:
    return path / MANIFEST_NAME if path.is_dir() else path


def _load(path: Path) -> _Part:
    """A manifest written by reports build, or :class:`UsageError`."""
    from .options import parse_shard

    entries, unusable = read_entries(path)
    data = json.loads(path.read_bytes()) if path.is_file() and not unusable else None
    if not isinstance(data, dict) or not all(key in data for key in _SAME):
        raise UsageError(f"{path}: not a manifest written by reports build")
    try:
        shard = parse_shard(str(data["shard"])) if "shard" in data else None
    except UsageError:
        raise UsageError(f"{path}: its shard is not I/N") from None
    return _Part(path, data, entries, shard)


def _agree(kept: Any, entry: Any, part: _Part, source: str) -> None:
    if kept != entry:
        raise UsageError(f"{part.path}: its entry for {source} differs from another manifest's")


def _all_shards(parts: Sequence[_Part]) -> None:
    """Raise :class:`UsageError` unless the parts are whole builds, or shards ``1/N`` …
    ``N/N``, each once."""
    shards = [p.shard for p in parts]
    if all(s is None for s in shards):
        return
    for part in parts:
        if part.shard is None:
            raise UsageError(f"{part.path} is not a shard's manifest; merge shards only")
    counts = {s.count for s in shards if s is not None}
    if len(counts) > 1:
        split = ", ".join(map(str, shards))
        raise UsageError(f"the manifests are shards of different splits: {split}")
    seen: dict[int, Path] = {}
    for part in parts:
        assert part.shard is not None
        if part.shard.index in seen:
            raise UsageError(
                f"shard {part.shard} is given twice: {seen[part.shard.index]} and {part.path}"
            )
        seen[part.shard.index] = part.path
    (count,) = counts
    missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
    if missing:
        raise UsageError(f"shard {', '.join(missing)} missing: merge every shard's manifest")


def accept_edits(output: Path) -> Path | None:
    """Record ``output`` (a returned DOCX whose edits are now in its fact base) as it is
    now, in the manifest that lists it, so the next build replaces it instead of guarding
    it as edited since built. Return the manifest changed, or ``None`` if none lists it."""
    target = output.resolve()
    for folder in list(target.parents)[:8]:  # outputs mirror data/'s subfolders
        path = folder / MANIFEST_NAME
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        name = target.relative_to(folder).as_posix()
        memos = data.get("memos") if isinstance(data, dict) else None
        if not isinstance(memos, list):
            continue
        hits = [
            out
            for m in memos
            if isinstance(m, dict)
            for out in entry_outputs(m)
            if out.get("file") == name
        ]
        if not hits:
            continue
        for out in hits:
            out["sha256"] = sha256_file(target)
        header = {k: v for k, v in data.items() if k != "memos"}
        by_source = {str(m.get("source")): m for m in memos if isinstance(m, dict)}
        write_files({path: _text(header, by_source)})
        return path
    return None
