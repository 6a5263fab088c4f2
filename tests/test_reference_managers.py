"""The exports as the reference managers that nobody here wrote read them.

citation-js (citeproc-js, the engine inside Zotero and Mendeley) reads all.bib, catalog.csl.json and
catalog.ris; Pandoc 3 renders all three with citeproc; citeproc-py renders the CSL-JSON. They must
all see the same work, dated, with no arXiv id standing in for an issue or article number, and with
every capital that the one capitalisation rule (`casing`) protects still in place.
"""
from __future__ import annotations

import html
import json
import re
import subprocess

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

import reference_clients
from helpers import IN_CI, ROOT
from regenerate_golden import fixture_catalog
from slmsurvey.build import read_catalog
from slmsurvey.exports.bibtex import write_bibtex
from slmsurvey.exports.csljson import write_csl
from slmsurvey.exports.ris import write_ris
from slmsurvey.text.textfilters import typographic_dashes

pytestmark = [pytest.mark.node]


@pytest.fixture(scope="module", params=["fixture", "real"])
def catalog_exports(request, tmp_path_factory):
    """(entries, folder holding all.bib, catalog.csl.json and catalog.ris) for each catalog."""
    folder = tmp_path_factory.mktemp(request.param)
    entries = (fixture_catalog(folder).entries if request.param == "fixture"
               else read_catalog(ROOT / "catalog").entries)
    for name, write in (("all.bib", write_bibtex), ("catalog.csl.json", write_csl), ("catalog.ris", write_ris)):
        (folder / name).write_text(write(entries), encoding="utf-8")
    return entries, folder


@pytest.fixture(scope="module")
def citation_js(catalog_exports):
    if not reference_clients.node_ready():
        if IN_CI:
            pytest.fail("node and tests/clients/node_modules are required in CI (make test installs them)")
        pytest.skip("node or tests/clients/node_modules missing (run make test)")
    entries, folder = catalog_exports
    return entries, reference_clients.read(folder)


# --- citation-js ----------------------------------------------------------------------------------

def test_citation_js_reads_every_record_of_every_format(citation_js):
    entries, formats = citation_js
    for fmt, records in formats.items():
        assert sorted(records) == sorted(e.key for e in entries), fmt


def test_every_format_shows_the_same_dated_work_and_no_arxiv_id_as_a_number(citation_js):
    entries, formats = citation_js
    problems = reference_clients.problems(formats, {e.key: e.arxiv for e in entries if e.arxiv})
    assert problems == []


def test_each_work_has_its_item_type_in_csl_json_as_citation_js_reads_it(citation_js):
    entries, formats = citation_js
    expected = {"journal-article": "article-journal", "conference-paper": "paper-conference",
                "book-chapter": "chapter", "preprint": "article", "dataset": "dataset", "model": "software"}
    for entry in entries:
        assert formats["csl"][entry.key]["item"]["type"] == expected[entry.work_type], entry.key


def test_references_read_as_a_manuscript_needs_them(citation_js):
    entries, formats = citation_js
    by_key = {k: r["references"] for k, r in formats["csl"].items()}
    if "lu-2025-medr2" in by_key:  # the real catalog
        assert "Med-R²: Crafting Trustworthy LLM Physicians" in by_key["lu-2025-medr2"]["apa"]
        assert "BMC Bioinformatics, 20(1), 511." in by_key["benabacha-2019-question"]["apa"]
        assert "MedAlpaca – An Open-Source" in by_key["han-2023-medalpaca"]["apa"]
        assert "Journal of Medical Systems. https://doi.org" in by_key["hosseini-2024-leveraging"]["apa"]
        assert "BI55. (2023). MedText [Dataset]. Hugging Face." in by_key["bi55-2023-medtext"]["apa"]
        assert "[Computer software]. Hugging Face." in by_key["therealcyberlord-2024-tinyllama11bmedical"]["apa"]
        ama = by_key["zhou-2024-leap"]["american-medical-association"]
        assert "J Am Med Inform Assoc. 2024;31(9):2010-2018." in ama
    else:
        assert "(Preprint arXiv:2501.99999). arXiv." in by_key["chatbot-2025-mindful"]["apa"]
        assert "ChestNotes-R² – Paired X-ray Reports" in by_key["vault-2025-chestnotes"]["apa"]


# --- Pandoc 3 ---------------------------------------------------------------------------------------

def _pandoc() -> str:
    pypandoc = pytest.importorskip("pypandoc")
    return pypandoc.get_pandoc_path()


@pytest.mark.parametrize("name", ["all.bib", "catalog.csl.json", "catalog.ris"])
def test_pandoc_renders_every_format_without_a_warning_and_keeps_protected_capitals(catalog_exports, name):
    entries, folder = catalog_exports
    (folder / "cite.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    style = reference_clients.style_path("apa")
    result = subprocess.run([_pandoc(), "cite.md", "--citeproc", "--bibliography", name, "--csl", str(style),
                             "-t", "html", "--wrap=none"], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    rendered = {key: " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())
                for key, body in re.findall(r'<div id="ref-([^"]+)"[^>]*>(.*?)</div>', result.stdout, re.S)}
    assert sorted(rendered) == sorted(e.key for e in entries)
    for entry in entries:
        for text, kept in entry.title_runs:
            if kept:
                assert typographic_dashes(text) in rendered[entry.key], (entry.key, text)


def test_pandoc_sentence_cases_bibtex_titles_around_the_protected_words(tmp_path):
    entry = next(e for e in read_catalog(ROOT / "catalog").entries if e.key == "lu-2025-medr2")
    (tmp_path / "one.bib").write_text(write_bibtex([entry]), encoding="utf-8")
    (tmp_path / "one.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    out = subprocess.run([_pandoc(), "one.md", "--citeproc", "--bibliography", "one.bib",
                          "--csl", str(reference_clients.style_path("apa")), "-t", "plain", "--wrap=none"],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "Med-R²: Crafting trustworthy LLM physicians via retrieval" in out  # not "Med-r²"


# --- citeproc-py ------------------------------------------------------------------------------------

@pytest.mark.parametrize("style", reference_clients.STYLES)
def test_citeproc_py_renders_the_csl_json_in_each_style(catalog_exports, style):
    entries, folder = catalog_exports
    items = json.loads((folder / "catalog.csl.json").read_text(encoding="utf-8"))
    bibliography = CitationStylesBibliography(CitationStylesStyle(str(reference_clients.style_path(style)),
                                                                  validate=False),
                                              CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    references = [str(reference) for reference in bibliography.bibliography()]
    assert len(references) == len(entries)
    assert not any("nocase" in reference or "<span" in reference for reference in references)


def test_the_comparison_catches_what_readers_would_see(tmp_path):
    """The checker itself: an arXiv id as a journal's number, a lost date, a changed title."""
    item = {"id": "x", "type": "article-journal", "title": "T", "author": [{"family": "A", "given": "B"}],
            "issued": {"date-parts": [[2020]]}, "container-title": "J", "number": "arXiv:2001.00001"}
    other = dict(item, title="U", issued={})
    formats = {"csl": {"x": {"item": item, "references": {"apa": "A, B. (2020). T. J, Article arXiv:2001.00001."}}},
               "ris": {"x": {"item": other, "references": {"apa": "A, B. (n.d.). U. J."}}}}
    found = {what for _, _, what in reference_clients.problems(formats, {"x": "2001.00001"})}
    assert "arXiv id as number" in found and "arXiv id as article number in apa" in found
    assert "undated in apa" in found
    assert any(what.startswith("title:") for what in found) and any(what.startswith("year:") for what in found)


def test_the_vendored_citeproc_is_the_pinned_npm_release():
    """site_overrides/assets/vendor/citeproc.js is npm's citeproc, byte for byte, at the version
    tests/clients/package.json pins (update both together)."""
    if not reference_clients.node_ready():
        if IN_CI:
            pytest.fail("tests/clients/node_modules is required in CI")
        pytest.skip("tests/clients/node_modules missing (run make test)")
    pinned = json.loads((reference_clients.CLIENTS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    installed = reference_clients.CLIENTS / "node_modules" / "citeproc"
    assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == pinned["citeproc"]
    vendored = ROOT / "site_overrides" / "assets" / "vendor" / "citeproc.js"
    assert vendored.read_bytes() == (installed / "citeproc_commonjs.js").read_bytes()
