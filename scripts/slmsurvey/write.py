"""The only module that writes generated files: write-if-changed, then prune stale ones.

A manifest (`.generated.json` in the output folder) lists what the generator has written, so
pruning never touches a hand-written page. It is written before the first file and again at the
end: a build killed half-way leaves every file it wrote listed, and the next build prunes what it
no longer renders. Each file is written to a temporary name and renamed, so none is half-written;
the next build also removes temporary files a killed build left.
"""
from __future__ import annotations

import json
import os
import pathlib
import tempfile

from slmsurvey.memory import Written
from slmsurvey.problems import SurveyError

MANIFEST = ".generated.json"
_TEMPORARY = ".tmp-slmsurvey-"


class WriteFailed(SurveyError):
    """The disk refused a generated file (full, read-only ...)."""


def write_tree(files: dict[str, str], out: pathlib.Path, written: Written | None = None,
               manifest: bool = True) -> dict[str, int]:
    """Make `out` hold exactly `files` among generated paths; return counts of what changed.

    `written` (for `mkdocs serve`: kept between calls) remembers what each file was given last time:
    a file given the same text again is taken to be unchanged on disk, and not read. Without a
    manifest (the files the hook writes into the built site, which MkDocs empties before every full
    build), the files known to `written` are the ones pruned when no longer given."""
    out = out.resolve()
    written = Written() if written is None else written
    first = written.texts.depends_on(out)  # the first call into `out`
    if first:
        written.paths = None
    # The same paths as the last call, which finished: the manifest lists them, and none is stale.
    same_paths = written.paths == files.keys()
    changed = {relative: text for relative, text in files.items() if not written.texts.holds(relative, text)}
    targets = {relative: inside(out, relative) for relative in sorted(changed)}  # all checked before any write
    if same_paths:
        previous = list(files)
    elif manifest:
        previous = _read_manifest(out)
    else:
        previous = sorted(written.texts.keys())
    if first and manifest:
        _remove_leftovers({(out / relative).parent for relative in set(previous) | set(files)} | {out})
    if not same_paths:
        written.paths = None  # until this call finishes
        if manifest:
            _write_manifest(out, set(previous) | set(files))
    count = 0
    for relative, target in targets.items():
        data = changed[relative].encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            _atomic_write(target, data)
            count += 1
        written.texts.keep(relative, changed[relative], None)
    stale = sorted(set(previous) - set(files))
    for relative in stale:
        written.texts.forget(relative)
        target = (out / relative).resolve()
        if out in target.parents and target.is_file():
            target.unlink()
            _remove_empty_parents(target.parent, out)
    if not same_paths and manifest:
        _write_manifest(out, set(files))
    written.paths = frozenset(files)
    return {"written": count, "pruned": len(stale), "total": len(files)}


def generated_paths(out: pathlib.Path) -> list[str]:
    """What the generator wrote into `out` last time, relative to it."""
    return _read_manifest(out)


def inside(out: pathlib.Path, relative: str) -> pathlib.Path:
    """`out`/`relative` (`out` resolved), or ValueError if it would land outside `out` (an absolute
    path, '..', a link out)."""
    target = (out / relative).resolve()
    if out not in target.parents:
        raise ValueError(f"refusing to write outside {out}: {relative!r}")
    return target


def _read_manifest(out: pathlib.Path) -> list[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else []


def _write_manifest(out: pathlib.Path, paths: set[str]) -> None:
    data = (json.dumps(sorted(paths), indent=0) + "\n").encode("utf-8")
    target = out / MANIFEST
    if not (target.is_file() and target.read_bytes() == data):
        _atomic_write(target, data)


def _atomic_write(target: pathlib.Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, data, prefix=_TEMPORARY)
    except OSError as exc:
        raise WriteFailed(f"could not write {target} ({exc.strerror}); the next build finishes "
                          "what this one began") from None


def replace_file(target: pathlib.Path, data: bytes, prefix: str = "") -> None:
    """Write beside the target, then rename over it: no reader ever sees half a file. OSError passes up."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=prefix or f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise


def _remove_leftovers(folders: set[pathlib.Path]) -> None:
    for folder in sorted(folders):
        for leftover in folder.glob(_TEMPORARY + "*") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)


def _remove_empty_parents(folder: pathlib.Path, root: pathlib.Path) -> None:
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
