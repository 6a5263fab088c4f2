"""Edit to preview: how long `mkdocs serve` takes to show one edited title where a reader looks.

Starts `mkdocs serve` on a project, waits until the first build has settled, changes one work's title
in its YAML file, and times until the new title shows on the work's page, on the first page of its
section and on /browse/; it also counts the builds the edit set off. The file is put back afterwards.
"""
from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from .project import SOURCE_DATE_EPOCH, Project

BUILT = re.compile(r"Documentation built in")
SETTLED_AFTER = 5.0  # seconds with no build running


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


class _Server:
    def __init__(self, project: Project):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/survey/"
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.builds: list[float] = []
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            if BUILT.search(line):
                self.builds.append(time.perf_counter())

    def settle(self, timeout: float) -> None:
        """Wait for the first build, then until no build has finished for SETTLED_AFTER seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("mkdocs serve stopped:\n" + "\n".join(self.log[-30:]))
            if self.builds and time.perf_counter() - self.builds[-1] > SETTLED_AFTER and _get(self.base):
                return
            time.sleep(0.2)
        raise RuntimeError("mkdocs serve did not settle:\n" + "\n".join(self.log[-30:]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def edit_to_preview(project: Project, timeout: float = 3600) -> dict:
    server = _Server(project)
    started = time.perf_counter()
    try:
        server.settle(timeout)
        startup = time.perf_counter() - started
        startup_builds = len(server.builds)
        section = next(s for s in ("datasets", "slms-100m-5b", "fine-tuning") if _get(f"{server.base}sections/{s}/"))
        first = re.search(r'href="\.\./\.\./entries/([a-z0-9-]+)/"', _get(f"{server.base}sections/{section}/"))
        key = first.group(1)
        path = project.entries / f"{key}.yaml"
        original = path.read_text(encoding="utf-8")
        title = f"Edited title {int(time.time())}"
        edited, count = re.subn(r"(?m)^title: .*$", f"title: {title}", original, count=1)
        assert count == 1, f"{path}: no title line"
        watched = [f"{server.base}entries/{key}/", f"{server.base}sections/{section}/", f"{server.base}browse/"]
        before = len(server.builds)
        edited_at = time.perf_counter()
        path.write_text(edited, encoding="utf-8")
        try:
            shown = {}
            while len(shown) < len(watched) and time.perf_counter() - edited_at < timeout:
                for url in watched:
                    if url not in shown and html.escape(title) in (_get(url) or ""):
                        shown[url] = time.perf_counter() - edited_at
                time.sleep(0.1)
            if len(shown) < len(watched):
                raise RuntimeError(f"the edit did not show within {timeout:.0f} s: {sorted(set(watched) - set(shown))}")
            time.sleep(SETTLED_AFTER)  # builds the edit set off after the preview showed it
            builds = len(server.builds) - before
        finally:
            path.write_text(original, encoding="utf-8")
        return {"startup": startup, "startup_builds": startup_builds, "seconds": max(shown.values()),
                "builds": builds, "key": key}
    finally:
        server.stop()
