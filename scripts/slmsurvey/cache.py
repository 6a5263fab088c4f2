"""What `slmsurvey validate` read and checked, kept between runs in the user's cache, so that checking a
large catalog again costs what changed: reading 10,000 entry files costs about 5 s on two cores
(libyaml's parsing alone is 0.4 ms a file), reading back what the last run kept about a second.

The file lives outside the project, in $XDG_CACHE_HOME/slmsurvey/ (~/.cache/slmsurvey/), one per
catalog folder, and never in the repository: it is a pickle, and a pickle planted by a pull request
would run code when read. It holds the loader's and the validator's memory (`memory.Kept`: each
file's Document by its size, times and inode; each verdict by its Document, under the schemas, taxonomy,
protected words and date it was made with), behind a first line naming the code that made it. A file
made by other code, or one that cannot be read, is ignored; nothing kept changes what validate says
(tests/test_cache.py edits, breaks and fixes entries between runs).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pathlib
import pickle
from typing import Iterator

from slmsurvey.memory import Memory
from slmsurvey.write import replace_file

_PACKAGE = pathlib.Path(__file__).resolve().parent


def folder() -> pathlib.Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "slmsurvey"


@contextlib.contextmanager
def kept_between_runs(catalog: pathlib.Path) -> Iterator[Memory]:
    """A Memory holding what the last run on `catalog` kept; what this run leaves in it is kept for the
    next (when it changed), whether the catalog turned out valid or not."""
    path = folder() / f"catalog-{hashlib.sha256(str(catalog.resolve()).encode()).hexdigest()[:16]}.pickle"
    memory = _read(path) or Memory()
    before = memory.read.changes, memory.checked.changes
    try:
        yield memory
    finally:
        if (memory.read.changes, memory.checked.changes) != before:
            _write(path, memory)


def _read(path: pathlib.Path) -> Memory | None:
    try:
        with path.open("rb") as stream:
            if stream.readline() != _header():
                return None
            read, checked = pickle.load(stream)
    except Exception:  # a missing, truncated or foreign file: start afresh
        return None
    return Memory(read=read, checked=checked)


def _write(path: pathlib.Path, memory: Memory) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # read and checked together: a verdict is kept for the very Document the loader keeps
        replace_file(path, _header() + pickle.dumps((memory.read, memory.checked), pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a cache that cannot be written costs the next run its time, nothing else


@functools.cache
def _header() -> bytes:
    """The first line of a cache file: the fingerprint of the generator's code, which made its values."""
    digest = hashlib.sha256()
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_PACKAGE).as_posix().encode() + b"\0" + source.read_bytes())
    return b"slmsurvey cache " + digest.hexdigest().encode() + b"\n"
