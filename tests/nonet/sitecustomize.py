"""Put on PYTHONPATH by the tests: any attempt to open a network connection fails loudly."""
import socket


def _refuse(self, address, *args, **kwargs):
    if isinstance(address, str) or self.family == getattr(socket, "AF_UNIX", None):
        return _connect(self, address, *args, **kwargs)
    raise OSError(f"network access attempted during a test: {address!r}")


_connect = socket.socket.connect
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse


# Fault injection for tests/test_faults.py: after N files opened for writing, either the process is
# killed (SLMSURVEY_TEST_KILL_AFTER_WRITES) or the disk is "full" (SLMSURVEY_TEST_FAIL_WRITES_AFTER).
# Only files under SLMSURVEY_TEST_WRITES_UNDER count, if it is set. Both calls that create files are
# covered: builtins.open (MkDocs writing site/) and os.open (tempfile.mkstemp, which the generator's
# writer uses for docs/).
import builtins as _builtins
import errno as _errno
import os as _os
import signal as _signal

_kill_after = int(_os.environ.get("SLMSURVEY_TEST_KILL_AFTER_WRITES", "0"))
_fail_after = int(_os.environ.get("SLMSURVEY_TEST_FAIL_WRITES_AFTER", "0"))
_under = _os.environ.get("SLMSURVEY_TEST_WRITES_UNDER", "")

if _kill_after or _fail_after:
    _open, _os_open = _builtins.open, _os.open
    _writes = [0]

    def _count_write(file):
        if _under and not _os.path.abspath(_os.fsdecode(file)).startswith(_under):
            return
        _writes[0] += 1
        if _kill_after and _writes[0] > _kill_after:
            _os.kill(_os.getpid(), _signal.SIGKILL)
        if _fail_after and _writes[0] > _fail_after:
            raise OSError(_errno.ENOSPC, "No space left on device", str(file))

    def _faulty_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax") and not isinstance(file, int):
            _count_write(file)
        return _open(file, mode, *args, **kwargs)

    def _faulty_os_open(path, flags, *args, **kwargs):
        if flags & (_os.O_WRONLY | _os.O_RDWR | _os.O_CREAT):
            _count_write(path)
        return _os_open(path, flags, *args, **kwargs)

    _builtins.open = _faulty_open
    _os.open = _faulty_os_open


# Fault injection for the site swap (tests/test_faults.py): the process is killed when it starts to
# remove a folder whose name begins with SLMSURVEY_TEST_KILL_AT_REMOVAL, e.g. the old site that the
# swap has just put aside: the instant after the new site is in place.
_kill_at_removal = _os.environ.get("SLMSURVEY_TEST_KILL_AT_REMOVAL", "")
if _kill_at_removal:
    import shutil as _shutil

    _rmtree = _shutil.rmtree

    def _killing_rmtree(path, *args, **kwargs):
        if _os.path.basename(_os.fspath(path)).startswith(_kill_at_removal):
            _os.kill(_os.getpid(), _signal.SIGKILL)
        return _rmtree(path, *args, **kwargs)

    _shutil.rmtree = _killing_rmtree


# Small pages for tests/test_browser.py's table split into pages: SLMSURVEY_TEST_TABLE_PAGE_SIZE rows
# per page of /models/ and /datasets/ instead of render.TABLE_PAGE_SIZE.
if _os.environ.get("SLMSURVEY_TEST_TABLE_PAGE_SIZE"):
    import slmsurvey.site.render

    slmsurvey.site.render.TABLE_PAGE_SIZE = int(_os.environ["SLMSURVEY_TEST_TABLE_PAGE_SIZE"])
