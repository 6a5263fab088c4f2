"""The second engine: the same generated site built with Zensical (`make site ENGINE=zensical`), the
successor that Material for MkDocs names for its end of life (2027-05-05).

The browser tests that hold for both engines run on both builds in tests/test_browser.py (its
`engine_site`); here, what only concerns Zensical.
"""
from __future__ import annotations

import re

import pytest

from helpers import Project, Watched

pytestmark = [pytest.mark.server]


def _pages(site) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def test_both_engines_build_the_same_pages_and_downloads(zensical_fixture_site: Project, built_fixture_site: Project):
    zensical, mkdocs = zensical_fixture_site.site, built_fixture_site.site
    assert _pages(zensical) == _pages(mkdocs)
    for download in ("bib/all.bib", "data/catalog.json", "data/catalog.ris", "feed.xml"):
        assert (zensical / download).read_bytes() == (mkdocs / download).read_bytes()
    entry = zensical_fixture_site.page("entries/mueller-2023-tinymed")
    assert '<meta name="citation_title" content="TinyMed: A 1.1B Parameter' in entry
    assert 'data-pagefind-body' in entry and "survey-search" not in entry  # Pagefind's dialog is MkDocs-only


def test_zensical_search_finds_an_entry(zensical_fixture_site: Project, browser, serve):
    server = serve(zensical_fixture_site.site)
    watched = Watched(browser, server)
    page = watched.page
    page.goto(server, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("TinyMed")
    # Zensical's results link by full address (the page's own links are relative); its classes are its own.
    result = page.locator(f'a[href="{server}entries/mueller-2023-tinymed/"]').first
    result.wait_for(timeout=15000)
    assert re.search("TinyMed: A 1.1B Parameter Model", result.inner_text())
    assert watched.errors == [] and watched.foreign == []
    watched.close()
