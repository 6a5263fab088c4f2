"""Edit to preview: how long `mkdocs serve` takes to show one edited title where a reader looks.

`edit_to_preview` starts `mkdocs serve` on a project, waits until its first build has settled,
changes the title of the first work listed on a section page in its YAML file, and times until the
new title shows on the work's page, on that section page and on /browse/, fetched as a browser's
livereload fetches them, when a build has ended; it also counts the builds the edit set off. The file
is put back afterwards. The tests use the same server (`Serving`).
"""
from __future__ import annotations

import contextlib
import html
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import yaml

from slmsandbox.project import SOURCE_DATE_EPOCH, Project

# The end of a build: the first is followed by "Serving on", every later one by "Reloading browsers".
# Not "Documentation built in N seconds": MkDocs logs each text of that logger once (its
# DuplicateFilter), so a build that takes as long as an earlier one to the hundredth goes unlogged.
BUILT = re.compile(r"Serving on |Reloading browsers")
SERVE_OPTIONS = ("--dirty",)  # as `make serve` runs it (tests/test_serve.py holds the Makefile to them)
SETTLED_AFTER = 5.0  # seconds with no build finishing
RESTORED_WITHIN = 120.0  # seconds to wait for the build that shows an edited file put back


class Serving:
    """`mkdocs serve` on a project, in the background, with its log and the times its builds ended."""

    def __init__(self, project: Project):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}/survey/"
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **project.environment}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *SERVE_OPTIONS, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.builds: list[float] = []
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            if BUILT.search(line):
                self.builds.append(time.perf_counter())

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return None

    def settle(self, timeout: float) -> None:
        """Wait for the first build, then until no build has finished for SETTLED_AFTER seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("mkdocs serve stopped:\n" + "\n".join(self.log[-30:]))
            if self.builds and time.perf_counter() - self.builds[-1] > SETTLED_AFTER and self.get("") is not None:
                return
            time.sleep(0.2)
        raise RuntimeError("mkdocs serve did not settle:\n" + "\n".join(self.log[-30:]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextlib.contextmanager
def serving(project: Project, timeout: float = 3600) -> Iterator[Serving]:
    server = Serving(project)
    try:
        server.settle(timeout)
        yield server
    finally:
        server.stop()


def listed(project: Project, server: Serving, position: int = 0) -> tuple[str, str]:
    """A section page and the work it lists at `position` (0: the first, -1: the last)."""
    first_file = min(project.entries.glob("*.yaml"))
    section = f"sections/{yaml.safe_load(first_file.read_text(encoding='utf-8'))['sections'][0]}/"
    keys = re.findall(r'href="\.\./\.\./entries/([a-z0-9-]+)/"', server.get(section) or "")
    return section, keys[position]


def edit_title(project: Project, server: Serving, timeout: float = 3600, position: int = 0) -> dict:
    """Retitle the work a section page lists at `position`; seconds until its page, that section page
    and /browse/ show it, the builds the edit set off and the files the generator rewrote. The file is
    put back afterwards."""
    section, key = listed(project, server, position)
    path = project.entries / f"{key}.yaml"
    original = path.read_text(encoding="utf-8")
    # the key's word stays in the title, as the key rule (keys.py) asks
    title = f"Edited title {time.time_ns()} {key.split('-')[2]}"
    edited, count = re.subn(r"(?m)^title: .*$", f"title: {title}", original, count=1)
    if count != 1:
        raise RuntimeError(f"{path}: no `title:` line to edit")
    watched = [f"entries/{key}/", section, "browse/"]
    before = len(server.builds)
    edited_at = time.perf_counter()
    _save(path, edited, project.root)
    try:
        # As a reader's browser does: livereload reloads the pages when a build has ended. Asking
        # for them while the build runs would slow it: the server runs in the build's process, and
        # /browse/ at 10,000 works is 6 MB to read and hand over.
        shown: dict[str, float] = {}
        looked_after = before
        while len(shown) < len(watched) and time.perf_counter() - edited_at < timeout:
            if len(server.builds) > looked_after:
                looked_after = len(server.builds)
                for url in watched:
                    if url not in shown and html.escape(title) in (server.get(url) or ""):
                        shown[url] = time.perf_counter() - edited_at
            time.sleep(0.02)
        if len(shown) < len(watched):
            raise RuntimeError(f"the edit did not show within {timeout:.0f} s on {sorted(set(watched) - set(shown))}:\n"
                               + "\n".join(server.log[-30:]))
        # Builds the edit set off after the preview showed it; the log line of the build that showed
        # it can reach us after the page does, on a busy machine.
        settled = time.perf_counter() + SETTLED_AFTER
        while time.perf_counter() < settled or (len(server.builds) == before and time.perf_counter() < settled + 60):
            time.sleep(0.1)
        rendered = [line for line in server.log if "Catalog rendered" in line]
        written = re.search(r"(\d+) written", rendered[-1]) if rendered else None
        builds = len(server.builds) - before
    finally:
        restored = len(server.builds)
        _save(path, original, project.root)
    # The next edit is timed from a preview that shows the original again.
    deadline = time.perf_counter() + min(timeout, RESTORED_WITHIN)
    while len(server.builds) == restored and time.perf_counter() < deadline:
        time.sleep(0.1)
    return {"seconds": max(shown.values()), "builds": builds, "key": key,
            "written": int(written.group(1)) if written else None}


def _save(path, text: str, scratch) -> None:
    """Save as editors do, in one step: written in place, a busy machine can let the watcher see the
    file empty (truncated, not yet written), which is a build of its own. The new text is written
    first in `scratch`, a folder on the same disk that `mkdocs serve` does not watch."""
    temporary = scratch / f".{path.name}.saving"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# The first work of a section page is the newest; in a catalog cloned from the real entries, a real
# entry's clones all list it among their related works (ties go to the lowest key), so its edit rewrites
# some 150 pages. The last work of the page is a clone, which few pages list, as most works are.
EDITED = {"newest": 0, "typical": -1}
EDITS = 3  # of each; the median is reported


def edit_to_preview(project: Project, timeout: float = 3600) -> dict:
    started = time.perf_counter()
    with serving(project, timeout) as server:
        result = {"startup": time.perf_counter() - started, "startup_builds": len(server.builds)}
        for name, position in EDITED.items():
            edits = [edit_title(project, server, timeout, position) for _ in range(EDITS)]
            result[name] = {**edits[0], "seconds": statistics.median(e["seconds"] for e in edits),
                            "all_seconds": [e["seconds"] for e in edits], "builds": max(e["builds"] for e in edits)}
        return result
