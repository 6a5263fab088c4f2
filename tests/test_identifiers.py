"""slmsurvey.identifiers: what people paste, the stored form, and the one URL of each identifier."""
from __future__ import annotations

import json
import re

import pytest

from helpers import ROOT
from slmsurvey import identifiers

SCHEMA = json.loads((ROOT / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))


def _schema_pattern(field: str) -> re.Pattern:
    return re.compile(SCHEMA["properties"][field]["pattern"].replace("$", r"\Z"))


@pytest.mark.parametrize(("text", "expected"), [
    ("2401.02385", "2401.02385"),
    ("arXiv:2401.02385v2", "2401.02385"),
    ("https://arxiv.org/abs/2401.02385v1", "2401.02385"),
    ("https://arxiv.org/pdf/2401.02385.pdf", "2401.02385"),
    ("  https://export.arxiv.org/abs/2401.02385/ ", "2401.02385"),
    ("2401.023", None),
    ("hep-th/9901001", None),
    ("10.1093/bib/bbac409", None),
])
def test_normalize_arxiv_gives_the_stored_form_the_schema_accepts(text, expected):
    found = identifiers.normalize_arxiv(text)
    assert found == expected
    assert found is None or _schema_pattern("arxiv").match(found)


@pytest.mark.parametrize(("text", "expected"), [
    ("10.1093/bib/bbac409", "10.1093/bib/bbac409"),
    ("https://doi.org/10.1093/bib/bbac409", "10.1093/bib/bbac409"),
    ("http://dx.doi.org/10.1093/bib/bbac409", "10.1093/bib/bbac409"),
    ("doi:10.1093/bib/bbac409.", "10.1093/bib/bbac409"),
    ("DOI: 10.1001/jama.2023.1234", "10.1001/jama.2023.1234"),
    ("2401.02385", None),
    ("10.12/too-short-a-registrant", None),
])
def test_normalize_doi_gives_the_stored_form_the_schema_accepts(text, expected):
    found = identifiers.normalize_doi(text)
    assert found == expected
    assert found is None or _schema_pattern("doi").match(found)


@pytest.mark.parametrize(("text", "expected"), [
    ("arXiv preprint arXiv:2401.02385", "2401.02385"),
    ("https://arxiv.org/abs/2401.02385v3", "2401.02385"),
    ("CoRR abs/2310.10341", "2310.10341"),
    ("Journal of Biomedical Informatics 146", None),
])
def test_arxiv_id_found_in_free_text(text, expected):
    assert identifiers.arxiv_in_text(text) == expected


def test_arxivs_own_doi_names_the_preprint():
    assert identifiers.arxiv_of_doi("10.48550/arXiv.2401.02385") == "2401.02385"
    assert identifiers.arxiv_of_doi("10.48550/ARXIV.2401.02385") == "2401.02385"
    assert identifiers.arxiv_of_doi("10.1093/bib/bbac409") is None
    assert identifiers.arxiv_of_doi(None) is None


@pytest.mark.parametrize(("doi", "crossref"), [
    ("10.48550/arXiv.2401.02385", False), ("10.5281/zenodo.1234567", False), ("10.13026/kpb9-mt58", False),
    ("10.1093/bib/bbac409", True), ("10.18653/v1/2023.acl-long.1", True),
])
def test_datacite_dois_are_not_asked_of_crossref(doi, crossref):
    assert identifiers.registered_with_crossref(doi) is crossref


def test_each_identifier_has_one_url():
    assert identifiers.doi_url("10.1093/bib/bbac409") == "https://doi.org/10.1093/bib/bbac409"
    assert identifiers.arxiv_url("2401.02385") == "https://arxiv.org/abs/2401.02385"
    assert identifiers.arxiv_url("2401.02385", 2) == "https://arxiv.org/abs/2401.02385v2"
    assert identifiers.arxiv_pdf_url("2401.02385") == "https://arxiv.org/pdf/2401.02385"
    assert identifiers.pubmed_url("38413730") == "https://pubmed.ncbi.nlm.nih.gov/38413730/"


@pytest.mark.parametrize("text", [
    "arxiv.org/abs/2401.02385",  # an address without its scheme is not taken for an id
    "https://arxiv.org/abs/2401.02385v2#section",
    "https://evil.example/abs/2401.02385",
    "javascript:2401.02385",
    "2401.02385\n2401.02386",
    "",
])
def test_normalize_arxiv_refuses_what_is_not_one_id(text):
    assert identifiers.normalize_arxiv(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("ARXIV:2401.02385", "2401.02385"),  # any case
    ("2401.12345v10", "2401.12345"),  # five digits, a two-digit version
    ("2401.02385\n", "2401.02385"),  # pasted with its line break
])
def test_normalize_arxiv_takes_what_people_paste(text, expected):
    assert identifiers.normalize_arxiv(text) == expected


@pytest.mark.parametrize("text", [
    "10.1000/x\ny",  # a line break inside
    "10.1000/a b",
    "10.1000/",  # no suffix
    "10.1234567890/x",  # a registrant of ten digits
    "javascript:10.1000/x",
    "https://doi.org.evil.example/10.1000/x",
    "",
])
def test_normalize_doi_refuses_what_is_not_one_doi(text):
    assert identifiers.normalize_doi(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("HTTPS://DOI.ORG/10.1000/ABC", "10.1000/ABC"),  # the prefix in any case; the DOI as written
    ("doi:10.1000/x...", "10.1000/x"),  # the sentence's full stops are not the DOI's
    (" 10.1000/x\n", "10.1000/x"),
    ("10.123456789/x", "10.123456789/x"),  # nine digits is the longest registrant
])
def test_normalize_doi_takes_what_people_paste(text, expected):
    assert identifiers.normalize_doi(text) == expected


@pytest.mark.parametrize(("doi", "crossref"), [("10.48550/ARXIV.2401.02385", False), ("10.5281/ZENODO.1", False),
                                              ("10.1093/BIB/BBAC409", True)])
def test_the_datacite_prefixes_are_read_in_any_case(doi, crossref):
    assert identifiers.registered_with_crossref(doi) is crossref


@pytest.mark.parametrize(("url", "pinned"), [
    ("https://arxiv.org/abs/2402.10373v3", True),
    ("https://arxiv.org/pdf/2402.10373v3.pdf", True),
    ("https://arxiv.org/html/2402.10373v3#S4", True),
    ("https://arxiv.org/abs/2402.10373", False),  # the latest version, whatever it will be
    ("https://arxiv.org/abs/2402.10373v3x", False),
    ("https://github.com/o/r/blob/0123456/README.md", True),
    ("https://github.com/o/r/blob/main/README.md", False),  # a branch moves
    ("https://huggingface.co/o/m/blob/abcdef0/README.md", True),
    ("https://huggingface.co/datasets/o/d/resolve/abcdef0123/data.csv", True),
    ("https://huggingface.co/o/m", False),
    ("https://doi.org/10.1000/x", True),
    ("http://doi.org/10.1000/x", False),
    ("https://aclanthology.org/2023.acl-long.1/", True),
    ("https://aclanthology.org/2023.acl-long.1/extra", False),
    ("https://evil.example/https://arxiv.org/abs/2402.10373v3", False),  # the pattern is the address's start
])
def test_a_source_is_pinned_when_it_names_one_version(url, pinned):
    assert identifiers.pinned_source(url) is pinned


def test_the_hint_for_an_unpinned_source_names_urls_that_are_pinned():
    named = re.findall(r"https://\S+?(?=[,)]|$)", identifiers.PINNED_SOURCE_HINT)
    assert named and identifiers.pinned_source(named[0])
