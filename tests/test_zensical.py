"""The second engine: the same generated site built with Zensical (`make site ENGINE=zensical`), the
successor that Material for MkDocs names for its end of life (2027-05-05).

The browser smoke tests of tests/test_browser.py run here again, on the Zensical build: pytest
collects the imported test functions in this module, where `server` serves the Zensical site.
"""
from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from conftest import Project, make_project
from test_browser import (  # noqa: F401  (fixtures and tests collected again here, on the Zensical site)
    _Quiet,
    test_axe_finds_no_violations,
    test_browse_downloads_each_format_of_exactly_the_rows_shown,
    test_browse_filters_by_chip_and_year_and_keeps_the_filter_in_the_url,
    test_browse_filters_retracted_works,
    test_browse_sorts_by_year,
    test_entry_page_formats_references_only_when_asked,
    test_entry_page_links_its_sections_topics_and_yaml,
    test_page_has_no_console_error_and_no_foreign_request,
    test_without_javascript_the_whole_table_shows,
    watched,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Project:
    project = make_project(tmp_path_factory.mktemp("zensical") / "project")
    result = project.run("build", "--engine", "zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="module")
def built_fixture_site(zensical_site: Project) -> Project:
    """What the imported tests read files from: here, the Zensical build."""
    return zensical_site


@pytest.fixture(scope="module")
def server(zensical_site: Project):
    handler = functools.partial(_Quiet, directory=str(zensical_site.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _pages(site) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def test_both_engines_build_the_same_pages_and_downloads(zensical_site: Project, tmp_path):
    mkdocs_site = make_project(tmp_path / "mkdocs")
    mkdocs_site.build()
    assert _pages(zensical_site.site) == _pages(mkdocs_site.site)
    for download in ("bib/all.bib", "data/catalog.json", "data/catalog.ris", "feed.xml"):
        assert (zensical_site.site / download).read_bytes() == (mkdocs_site.site / download).read_bytes()
    entry = zensical_site.page("entries/mueller-2023-tinymed")
    assert '<meta name="citation_title" content="TinyMed: A 1.1B Parameter' in entry
    assert 'data-pagefind-body' in entry and "survey-search" not in entry  # Pagefind's dialog is MkDocs-only


def test_zensical_search_finds_an_entry(watched, server):  # noqa: F811 (the fixture)
    page = watched.page
    page.goto(server, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("TinyMed")
    # Zensical's results link by full address (the page's own links are relative); its classes are its own.
    result = page.locator(f'a[href="{server}entries/mueller-2023-tinymed/"]').first
    result.wait_for(timeout=15000)
    assert re.search("TinyMed: A 1.1B Parameter Model", result.inner_text())
    assert watched.errors == [] and watched.foreign == []

