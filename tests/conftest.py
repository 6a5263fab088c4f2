"""Shared fixtures: a throwaway copy of the project with a chosen catalog, and ways to run it."""
from __future__ import annotations

import contextlib
import http.server
import os
import pathlib
import shutil
import threading
import urllib.parse

import pytest

from slmbench.project import Project, make_project as _make_project

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
FIXTURE_ENTRIES = FIXTURES / "catalog" / "entries"
FIXTURE_BENCHMARKS = FIXTURES / "catalog" / "benchmarks.yaml"
NO_NETWORK = pathlib.Path(__file__).resolve().parent / "nonet"
IN_CI = os.environ.get("CI", "").lower() == "true"


def make_project(root: pathlib.Path, entries: list[pathlib.Path] | None = None) -> Project:
    """A project (slmbench.project, shared with the benchmark) around `entries`, by default the
    fabricated fixture catalog with its registry of benchmarks; its commands run with the network
    blocked (tests/nonet)."""
    entries = sorted(FIXTURE_ENTRIES.glob("*.yaml")) if entries is None else entries
    # The fixture registry's benchmark is introduced by a fixture work: it comes with that work.
    registry = FIXTURE_BENCHMARKS if any(p.name == "qa-2024-medbench.yaml" for p in entries) else None
    return _make_project(root, entries, environment={"PYTHONPATH": str(NO_NETWORK)}, benchmarks=registry)


@pytest.fixture
def project(tmp_path: pathlib.Path) -> Project:
    """A project holding the fabricated fixture catalog."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory) -> Project:
    """The fixture catalog built once into a site, shared by read-only tests."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    project.build()
    return project


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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`); skipped on a laptop without
    it, never in CI."""
    executable = require_tool("chromium")
    api = pytest.importorskip("playwright.sync_api") if not IN_CI else __import__(
        "playwright.sync_api", fromlist=["sync_playwright"])
    with api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def pytest_collection_modifyitems(items):
    """A test that takes the `browser` fixture is a browser test (`make test-fast` leaves it out)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@contextlib.contextmanager
def replaying_services(asked: dict[str, str], folder: pathlib.Path):
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

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Services)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
