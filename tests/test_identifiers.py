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
