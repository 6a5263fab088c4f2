"""The only module that writes generated files: write-if-changed, then prune stale ones.

A manifest (`.generated.json` in the output folder) lists what the generator wrote last time, so
pruning never touches a hand-written page.
"""
from __future__ import annotations

import json
import os
import pathlib
import tempfile

MANIFEST = ".generated.json"


def write_tree(files: dict[str, str], out: pathlib.Path) -> dict[str, int]:
    """Make `out` hold exactly `files` among generated paths; return counts of what changed."""
    out = out.resolve()
    previous = _read_manifest(out)
    written = 0
    for relative, content in sorted(files.items()):
        target = (out / relative).resolve()
        if out not in target.parents:
            raise ValueError(f"refusing to write outside {out}: {relative!r}")
        data = content.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            _atomic_write(target, data)
            written += 1
    stale = sorted(set(previous) - set(files))
    for relative in stale:
        target = (out / relative).resolve()
        if out in target.parents and target.is_file():
            target.unlink()
            _remove_empty_parents(target.parent, out)
    _atomic_write(out / MANIFEST, (json.dumps(sorted(files), indent=0) + "\n").encode("utf-8"), only_if_changed=True)
    return {"written": written, "pruned": len(stale), "total": len(files)}


def generated_paths(out: pathlib.Path) -> list[str]:
    """What the generator wrote into `out` last time, relative to it."""
    return _read_manifest(out)


def _read_manifest(out: pathlib.Path) -> list[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in listed if isinstance(p, str)]


def _atomic_write(target: pathlib.Path, data: bytes, only_if_changed: bool = False) -> None:
    if only_if_changed and target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise


def _remove_empty_parents(folder: pathlib.Path, root: pathlib.Path) -> None:
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
