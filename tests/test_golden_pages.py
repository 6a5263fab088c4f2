"""The pages a reader gets stay as they were: every page of the fixture site (with the hostile entry)
against its canonical text in tests/golden/pages/ (tests/pagecanon.py). Templates may change how a page
is produced (Markdown, or HTML handed to MkDocs ready-made), never what it shows; after an intended
change, `make golden` rewrites the files and the diff is reviewed."""
from __future__ import annotations

import pathlib

import pytest

from helpers import FIXTURE_ENTRIES, FIXTURES, make_project
from pagecanon import site_pages

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden" / "pages"
ENTRIES = sorted(FIXTURE_ENTRIES.glob("*.yaml")) + [FIXTURES / "hostile" / "evil-2024-script.yaml"]


def built_pages(root: pathlib.Path) -> dict[str, str]:
    project = make_project(root, entries=ENTRIES)
    project.build()
    return site_pages(project.site)


def golden_pages() -> dict[str, str]:
    return {path.relative_to(GOLDEN).as_posix().removesuffix(".txt"): path.read_text(encoding="utf-8")
            for path in sorted(GOLDEN.rglob("*.txt"))}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    return built_pages(tmp_path_factory.mktemp("golden") / "project")


def test_the_site_has_the_golden_pages_and_no_others(pages: dict[str, str]):
    assert sorted(pages) == sorted(golden_pages())


@pytest.mark.parametrize("path", sorted(golden_pages()))
def test_page_shows_what_it_showed(pages: dict[str, str], path: str):
    assert pages.get(path) == golden_pages()[path], f"{path} differs from tests/golden/pages/{path}.txt"
