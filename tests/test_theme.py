"""The navigation rendered once for the pages that show it alike (slmsurvey.engines.theme) is the navigation
Material renders on each page: every page of the site is byte for byte what it is without the cache."""
from __future__ import annotations

import pathlib

from helpers import FIXTURE_ENTRIES, FIXTURES, make_project, snapshot

ENTRIES = sorted(FIXTURE_ENTRIES.glob("*.yaml")) + [FIXTURES / "hostile" / "evil-2024-script.yaml"]


def test_shared_navigation_is_materials_own_on_every_page(tmp_path: pathlib.Path):
    cached = make_project(tmp_path / "cached", entries=ENTRIES)
    plain = make_project(tmp_path / "plain", entries=ENTRIES)
    (plain.root / "site_overrides" / "partials" / "nav.html").unlink()  # Material renders it on each page
    cached.build()
    plain.build()
    pages = {path: text for path, text in snapshot(cached.site).items() if path.endswith(".html")}
    assert len(pages) > 40 and any(path.startswith("topics/year/") for path in pages)
    assert pages == {path: text for path, text in snapshot(plain.site).items() if path.endswith(".html")}
