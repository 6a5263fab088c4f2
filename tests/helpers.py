"""What the tests share besides their fixtures (conftest.py holds only those and pytest's hooks):
where things are, a throwaway project around the fixture catalog, its command line run in this
process, a page watched in the browser, and a stand-in for the services. Test modules import from
here, never from conftest."""
from __future__ import annotations

import contextlib
import http.server
import logging
import os
import pathlib
import shutil
import socket
import subprocess
import traceback
import urllib.parse
from collections.abc import Iterator

import pytest

from slmsandbox.pages import running
from slmsandbox.project import HAND_WRITTEN_DOCS, Project, new_catalog
from slmsandbox.project import make_project as _make_project

__all__ = ["CHROMIUM_ARGS", "FIXTURES", "FIXTURE_BENCHMARKS", "FIXTURE_ENTRIES", "HAND_WRITTEN_DOCS", "IN_CI",
           "NO_NETWORK", "Project", "ROOT", "Watched", "in_process", "invoke", "make_project", "new_catalog",
           "replaying_services", "require_tool", "snapshot"]

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_ENTRIES = FIXTURES / "catalog" / "entries"
FIXTURE_BENCHMARKS = FIXTURES / "catalog" / "benchmarks.yaml"
NO_NETWORK = ROOT / "tests" / "nonet"
IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


def make_project(root: pathlib.Path, entries: list[pathlib.Path] | None = None) -> Project:
    """A project (slmsandbox.project, shared with the benchmark) around `entries`, by default the
    fabricated fixture catalog with its registry of benchmarks; its commands run with the network
    blocked (tests/nonet)."""
    entries = sorted(FIXTURE_ENTRIES.glob("*.yaml")) if entries is None else entries
    # The fixture registry's benchmark is introduced by a fixture work: it comes with that work.
    registry = FIXTURE_BENCHMARKS if any(p.name == "qa-2024-medbench.yaml" for p in entries) else None
    return _make_project(root, entries, environment={"PYTHONPATH": str(NO_NETWORK)}, benchmarks=registry)


def snapshot(folder: pathlib.Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, for before/after comparisons."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def require_tool(name: str) -> str:
    """Path of a system tool; skip when absent on a laptop, fail when absent in CI."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI (CI=true) but is not installed")
    pytest.skip(f"{name} is not installed")


def invoke(project: Project, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`project.run(*args)` in this process (`in_process`)."""
    return in_process(project.arguments(*args), project.variables(env))


def in_process(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """`slmsurvey ARGS` run in this process, through click's test runner, with `env` added to the
    environment (a None value unsets a variable): the same output, exit status and any traceback as
    its own process gives, without starting Python and importing the generator again (a quarter of a
    second a run), for the hundreds of runs of the validator's and the services' cases.

    A network connection fails as under tests/nonet; nonet's fault injections do not apply. For what
    stops before MkDocs runs (`validate`, a `build` the catalog refuses, `discover` on recorded
    answers); a build that goes on runs in its own process (`Project.run`)."""
    from click.testing import CliRunner

    from slmsurvey.cli import main

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level  # `build` configures logging for its process
    try:
        with _network_refused():
            result = CliRunner(env=env).invoke(main, args, prog_name="slmsurvey")
    finally:
        root.handlers[:], root.level = handlers, level
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))  # as a process would print it
    return subprocess.CompletedProcess(["slmsurvey", *args], result.exit_code, result.stdout, stderr)


@contextlib.contextmanager
def _network_refused() -> Iterator[None]:
    """tests/nonet's refusal, for the time of one command in this process."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(self, address, *args, **kwargs):
        if isinstance(address, str) or self.family == getattr(socket, "AF_UNIX", None):
            return connect(self, address, *args, **kwargs)
        raise OSError(f"network access attempted during a test: {address!r}")

    socket.socket.connect = socket.socket.connect_ex = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = connect, connect_ex


class Watched:
    """A page that records console errors and every request to another origin."""

    def __init__(self, browser, origin: str, **context_options):
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        netloc = urllib.parse.urlsplit(origin).netloc

        def route(request_route):
            url = request_route.request.url
            if urllib.parse.urlsplit(url).netloc != netloc and not url.startswith(("data:", "blob:")):
                self.foreign.append(url)
                return request_route.abort()
            return request_route.continue_()

        self.context.route("**/*", route)

    def close(self):
        self.context.close()


@contextlib.contextmanager
def replaying_services(asked: dict[str, str], folder: pathlib.Path) -> Iterator[str]:
    """A local HTTP server standing in for arXiv, Crossref and Europe PMC: it answers each question a
    recorded run asked (`asked`: file name -> URL) with that file of `folder`, anything else with 404.
    Yields its base URL, to put in place of the services' own."""
    routes = {urllib.parse.urlsplit(url)._replace(scheme="", netloc="").geturl(): folder / name
              for name, url in asked.items()}

    class Services(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            answer = routes.get(self.path)
            self.send_response(200 if answer else 404)
            self.end_headers()
            if answer:
                self.wfile.write(answer.read_bytes())

        def log_message(self, *args):
            pass

    with running(Services) as base:
        yield base
