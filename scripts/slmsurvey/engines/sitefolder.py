"""The built site's folder: a build goes into a staging folder beside it, which replaces it in one step.

`site/` is whole at every instant, old or new. On Linux the two folders are exchanged by one
`renameat2(RENAME_EXCHANGE)` call, which the kernel does atomically: there is no moment without a
`site/`. Elsewhere (or on a file system that cannot exchange) the old site is first renamed aside,
`.site-old-<pid>`, then the staging folder renamed in; a build killed between the two renames
leaves no `site/` but the old one aside, and the next build puts it back (`recover`) before it
removes any other leftover. A build that then fails still leaves the old site in place.

Leftovers are named `.site-*` beside `site/`: a staging folder of a killed build (half-built, or,
after an exchange, the old site), or an old site set aside.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import pathlib
import shutil
import tempfile

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def staging_folder(site: pathlib.Path) -> pathlib.Path:
    """A new empty folder beside `site` to build into; what killed builds left is dealt with first."""
    site.parent.mkdir(parents=True, exist_ok=True)
    recover(site)
    for leftover in _leftovers(site):
        shutil.rmtree(leftover, ignore_errors=True)
    return pathlib.Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))


def swap_in(staging: pathlib.Path, site: pathlib.Path) -> None:
    """Make `staging` the site; the old site is removed once the new one is in place."""
    if not site.exists():
        os.replace(staging, site)
        return
    if _exchange(staging, site):
        old = staging  # now holds the old site
    else:
        old = site.with_name(f".{site.name}-old-{os.getpid()}")
        os.replace(site, old)
        os.replace(staging, site)
    shutil.rmtree(old, ignore_errors=True)


def recover(site: pathlib.Path) -> None:
    """If a build was killed between the two renames of `swap_in`, put the old site back."""
    if site.exists():
        return
    aside = sorted(site.parent.glob(f".{site.name}-old-*"), key=lambda folder: folder.stat().st_mtime)
    if aside:
        os.replace(aside[-1], site)


def _leftovers(site: pathlib.Path) -> list[pathlib.Path]:
    return [folder for folder in site.parent.glob(f".{site.name}-*") if folder.is_dir()]


def _exchange(first: pathlib.Path, second: pathlib.Path) -> bool:
    """Exchange two folders in one step, if this system can; False if it cannot (nothing was done)."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):  # no exchange on this file system
        return False
    raise OSError(code, os.strerror(code), str(second))


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None
