"""slmsurvey.urls: where each page and download lives under docs/, its URL on the site, and the link
from one page to another (the fast relative path is posixpath's)."""
from __future__ import annotations

import itertools
import posixpath

import pytest

from slmsurvey import urls


def test_relative_path_is_posixpaths_relpath_for_every_pair_of_site_paths():
    pages = [urls.HOME, urls.SECTIONS, urls.BROWSE, urls.ALL_BIB, urls.entry_page("a-2024-x"),
             urls.entry_bib("a-2024-x"), urls.section_page("datasets"), urls.facet_page("task"),
             urls.topic_page("year", "2024"), urls.topic_page("task", "qa"), urls.plot("sizes"),
             "sections/datasets/page-2.md", "topics/task/qa/page-3.md", "entries/a-2024-x/index.md"]
    places = pages + [urls.url(page) for page in pages] + ["", ".", "entries", "entries/", "topics/task"]
    for target, start in itertools.product(places, repeat=2):
        assert urls.relative_path(target, start) == posixpath.relpath(target or ".", start or "."), (target, start)


@pytest.mark.parametrize("target, url", [
    (urls.HOME, ""),  # the site's root
    (urls.SECTIONS, "sections/"),  # a folder's own page is the folder
    (urls.facet_page("task"), "topics/task/"),
    (urls.entry_page("a-2024-x"), "entries/a-2024-x/"),  # a page is a folder
    ("xindex.md", "xindex/"),  # only a page named index is its folder's
    (urls.ALL_BIB, "bib/all.bib"),  # a download is itself
    (urls.FEED, "feed.xml"),
])
def test_url_of_a_path_under_docs(target, url):
    assert urls.url(target) == url


def test_absolute_address_on_the_published_site_with_or_without_its_slash():
    for site_url in ("https://example.org/survey", "https://example.org/survey/"):
        assert urls.absolute(urls.entry_page("k"), site_url) == "https://example.org/survey/entries/k/"
        assert urls.absolute(urls.HOME, site_url) == "https://example.org/survey/"


SITE = {urls.HOME, urls.entry_page("k"), urls.section_page("a"), urls.ALL_BIB}


@pytest.mark.parametrize("page, target, markdown, html", [
    (urls.entry_page("k"), urls.section_page("a"), "../sections/a.md", "../../sections/a/"),
    (urls.entry_page("k"), urls.HOME, "../index.md", "../../"),
    (urls.entry_page("k"), urls.ALL_BIB, "../bib/all.bib", "../../bib/all.bib"),
    (urls.HOME, urls.entry_page("k"), "entries/k.md", "entries/k/"),
    (urls.HOME, urls.HOME, "index.md", "./"),
    (urls.entry_page("k"), urls.CONTRIBUTING, "../contributing.md", "../../contributing/"),  # hand-written
])
def test_links_from_one_page_to_another(page, target, markdown, html):
    links = urls.Links(page, SITE)
    assert links.md(target) == markdown
    assert links.html(target) == html


@pytest.mark.parametrize("page, root", [(urls.HOME, ""), (urls.SECTIONS, "../"), (urls.entry_page("k"), "../../"),
                                        (urls.topic_page("task", "qa"), "../../../")])
def test_the_way_back_to_the_root(page, root):
    assert urls.Links(page).html_root == root


@pytest.mark.parametrize("target", ["entries/missing.md", "../outside.md", "bib/entries/k.bib", ""])
def test_a_link_to_a_path_the_site_lacks_is_refused_by_name(target):
    links = urls.Links(urls.entry_page("k"), SITE)
    for link in (links.md, links.html):
        with pytest.raises(urls.BrokenLink, match=f"entries/k.md would link to {target}, which is not a page"):
            link(target)


def test_without_the_sites_paths_nothing_is_checked():
    assert urls.Links(urls.HOME).md("anything/at/all.md") == "anything/at/all.md"


@pytest.mark.parametrize("name, reason", [
    ("index", "the name is reserved for the page that lists a folder"),
    ("con", "Windows keeps the name for a device"), ("CON", "Windows keeps the name for a device"),
    ("lpt9", "Windows keeps the name for a device"), ("com0", "Windows keeps the name for a device"),
])
def test_names_no_key_section_or_value_may_take(name, reason):
    assert urls.unusable_name(name).startswith(reason)


@pytest.mark.parametrize("name", ["console", "com", "com10", "indexes", "auxiliary", "a-2024-index"])
def test_names_that_only_look_like_them_are_usable(name):
    assert urls.unusable_name(name) is None


@pytest.mark.parametrize("path, straight", [
    (urls.entry_bib("k"), True), (urls.model_index("m"), True), (urls.eval_record("k", "m"), True),
    (urls.ALL_BIB, False), (urls.entry_page("k"), False), (urls.section_bib("a"), False),
])
def test_only_the_per_work_files_skip_docs(path, straight):
    assert urls.straight_to_site(path) is straight


def test_atom_ids_are_tag_uris_that_do_not_move_with_the_site():
    assert urls.tag("survey") == "tag:slm-healthcare.github.io,2026:survey"
    assert urls.tag("entries/k") != urls.tag("entries/l")
