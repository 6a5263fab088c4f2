"""The fixtures every test module may ask for, and pytest's hooks. What the tests share besides
fixtures is in helpers.py, which the modules import (never this file)."""
from __future__ import annotations

import contextlib
import pathlib
from collections.abc import Callable

import pytest

from helpers import CHROMIUM_ARGS, IN_CI, Project, make_project, require_tool
from slmsandbox.pages import serving


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """`slmsurvey validate` keeps what it checked in the user's cache (slmsurvey.cache): the tests'
    runs, and the commands they start, keep theirs in a folder of their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


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


@pytest.fixture(scope="session")
def zensical_fixture_site(tmp_path_factory) -> Project:
    """The fixture catalog built once with the second engine, Zensical (`make site ENGINE=zensical`)."""
    project = make_project(tmp_path_factory.mktemp("zensical") / "project")
    result = project.run("build", "--engine", "zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def serve() -> Callable[..., str]:
    """`serve(folder, prefix="/")`: the base URL at which a local server serves `folder` (a built site)
    as GitHub Pages does (slmsandbox.pages); one server per folder and prefix, for the whole run."""
    servers: dict[tuple[pathlib.Path, str], str] = {}
    with contextlib.ExitStack() as running:
        def serve(folder: pathlib.Path, prefix: str = "/") -> str:
            where = (pathlib.Path(folder).resolve(), prefix)
            if where not in servers:
                servers[where] = running.enter_context(serving(where[0], prefix))
            return servers[where]

        yield serve


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
