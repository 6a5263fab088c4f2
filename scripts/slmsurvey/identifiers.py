"""The identifiers a work carries (DOI, arXiv id, PubMed id): how each is recognised in what a person
pastes, and the one URL each resolves to. Every module and template that names an identifier's URL
asks here (tests/test_identifiers.py fails on a spelling of its own).

The catalog's stored forms are checked by the entry schema's patterns (`doi`, `arxiv`, `pmid`); the
patterns here accept what people paste around them (`arXiv:2401.02385v2`, `https://doi.org/...`) and
return the stored form.
"""
from __future__ import annotations

import re

ARXIV_ID = re.compile(r"^(?:arxiv:|https?://(?:www\.)?(?:export\.)?arxiv\.org/(?:abs|pdf)/)?"
                      r"(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$", re.IGNORECASE)
DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
# An arXiv id inside free text: a BibTeX journal field ("arXiv preprint arXiv:2401.02385") or a URL.
ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:/]|abs/)(\d{4}\.\d{4,5})", re.IGNORECASE)
# arXiv's own DOI for a preprint: 10.48550/arXiv.2401.02385.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(\d{4}\.\d{4,5})$", re.IGNORECASE)

# DOI prefixes registered with DataCite, not Crossref: arXiv, Zenodo and PhysioNet. Crossref has no
# record of them, so neither `new` nor `refresh` asks it.
DATACITE_PREFIXES = ("10.48550/", "10.5281/", "10.13026/")


def normalize_arxiv(text: str) -> str | None:
    """'arXiv:2401.02385v2', 'https://arxiv.org/abs/2401.02385' -> '2401.02385'; None if not an arXiv id."""
    match = ARXIV_ID.match(text.strip())
    return match.group(1) if match else None


def normalize_doi(text: str) -> str | None:
    """'https://doi.org/10.1093/bib/bbac409' -> '10.1093/bib/bbac409'; None if not a DOI."""
    match = DOI.match(text.strip())
    return match.group(1).rstrip(".") if match else None


def arxiv_in_text(text: str) -> str | None:
    """The arXiv id named anywhere in `text`, if any."""
    match = ARXIV_IN_TEXT.search(text)
    return match.group(1) if match else None


def arxiv_of_doi(doi: str | None) -> str | None:
    """The arXiv id of arXiv's own DOI (10.48550/arXiv.2401.02385), else None."""
    match = _ARXIV_DOI.match(doi or "")
    return match.group(1) if match else None


def registered_with_crossref(doi: str) -> bool:
    return not doi.lower().startswith(DATACITE_PREFIXES)


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def arxiv_url(arxiv_id: str, version: int | None = None) -> str:
    """The abstract page, of one version if given."""
    return f"https://arxiv.org/abs/{arxiv_id}" + (f"v{version}" if version else "")


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


# A reported number cites the one version it is printed in (a result's `source`): an arXiv version, a
# file of a repository or model card at a commit, or a version of record (a DOI, an ACL Anthology page).
_PINNED_SOURCES = (
    re.compile(r"^https://arxiv\.org/(abs|html|pdf)/\d{4}\.\d{4,5}v\d+([/#.].*)?$"),
    re.compile(r"^https://github\.com/[^/]+/[^/]+/(blob|tree|raw)/[0-9a-f]{7,40}/"),
    re.compile(r"^https://huggingface\.co/(?:datasets/|spaces/)?[^/]+/[^/]+/(blob|resolve|tree|raw)/[0-9a-f]{7,40}(/|$)"),
    re.compile(r"^https://doi\.org/10\.\d{4,9}/"),
    re.compile(r"^https://aclanthology\.org/[A-Za-z0-9.-]+/?$"),
)
PINNED_SOURCE_HINT = (f"name one version: {arxiv_url('2402.10373', 3)}, a file at a commit "
                      "(github.com/<owner>/<repo>/blob/<commit>/README.md, huggingface.co/<owner>/<model>/blob/"
                      f"<commit>/README.md), or a version of record ({doi_url('10...')}, an ACL Anthology page)")


def pinned_source(url: str) -> bool:
    """Whether `url` names one version of a document, which later edits cannot change under a reader."""
    return any(pattern.match(url) for pattern in _PINNED_SOURCES)
