"""The real catalog: one test per entry file (as the ACL Anthology does), and the survey's coverage."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from conftest import ROOT
from slmsurvey.build import read_catalog
from slmsurvey.model import normalize_title

CATALOG = read_catalog(ROOT / "catalog")
COVERAGE_TOOL = ROOT.parent / "shared" / "tools" / "list_coverage.py"


@pytest.mark.parametrize("entry", CATALOG.entries, ids=lambda e: e.key)
def test_entry_has_what_a_citation_needs(entry):
    assert entry.title and entry.authors and entry.year
    assert entry.sections, "at least one section"
    assert entry.links, "at least one link"
    assert entry.sources, "at least one source"
    assert entry.key == pathlib.Path(entry.file).stem


def test_no_two_entries_share_a_doi_arxiv_id_or_title():
    for attribute in ("doi", "arxiv"):
        values = [getattr(e, attribute).lower() for e in CATALOG.entries if getattr(e, attribute)]
        assert len(values) == len(set(values)), attribute
    titles = [normalize_title(e.title) for e in CATALOG.entries]
    assert len(titles) == len(set(titles))


def test_every_section_has_works():
    for section in CATALOG.sections:
        assert CATALOG.in_section(section.id) or CATALOG.unverified_in(section.id), section.id


def test_unverified_works_have_no_citation(tmp_path):
    from slmsurvey.render import render_site
    site = {"url": "https://example.org/", "repo_url": "https://example.org/repo", "edit_uri": "edit/main/"}
    files = render_site(CATALOG, site, ROOT / "templates")
    for work in CATALOG.unverified:
        assert work.title not in files["bib/all.bib"]
        for section in work.sections:
            assert work.title in files[f"sections/{section}.md"].replace("\\", "")


@pytest.mark.skipif(not COVERAGE_TOOL.is_file(), reason="../shared/tools/list_coverage.py is not beside the repo")
def test_every_line_of_the_original_list_is_covered():
    result = subprocess.run([sys.executable, str(COVERAGE_TOOL), str(ROOT / "catalog")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
