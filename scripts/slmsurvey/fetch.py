"""Metadata of a work from the arXiv API and from Crossref, as plain dicts shaped like catalog fields.

Real HTTP clients (urllib, a timeout, a size limit) with one-line errors. `Unreachable` means the
service could not be asked (offline, timeout, server error): the caller can still write a skeleton.
`NotFound` means the service answered that the identifier does not exist.

Tests never use the network: with SLMSURVEY_RECORDED=<folder> every request is answered from a
recorded response file in that folder (see tests/fixtures/recorded/README.md).
"""
from __future__ import annotations

import html
import json
import os
import pathlib
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any

from .problems import SurveyError

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org/works/"
USER_AGENT = "slmsurvey/0.1 (+https://github.com/slm-healthcare/survey)"
TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024
RECORDED_ENV = "SLMSURVEY_RECORDED"

ARXIV_ID = re.compile(r"^(?:arxiv:|https?://(?:www\.)?(?:export\.)?arxiv\.org/(?:abs|pdf)/)?"
                      r"(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$", re.IGNORECASE)
DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "dos", "das", "du", "di", "la", "le",
              "ter"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|list|list-item|br)\b[^<>]{0,200}>", re.IGNORECASE)
_KINDS = {"journal-article": "journal", "proceedings-article": "conference", "book-chapter": "book-chapter",
          "posted-content": "preprint", "report": "web", "dataset": "web"}


class FetchError(SurveyError):
    """Metadata could not be fetched; the message is one line."""


class Unreachable(FetchError):
    """The service could not be asked or did not answer usefully: offline, timeout, server error."""


class NotFound(FetchError):
    """The service answered that the identifier does not exist."""


def normalize_arxiv(text: str) -> str | None:
    """'arXiv:2401.02385v2', 'https://arxiv.org/abs/2401.02385' -> '2401.02385'; None if not an arXiv id."""
    match = ARXIV_ID.match(text.strip())
    return match.group(1) if match else None


def normalize_doi(text: str) -> str | None:
    """'https://doi.org/10.1093/bib/bbac409' -> '10.1093/bib/bbac409'; None if not a DOI."""
    match = DOI.match(text.strip())
    return match.group(1).rstrip(".") if match else None


def fetch_arxiv(arxiv_id: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Metadata of one arXiv work from the arXiv API (export.arxiv.org)."""
    url = f"{ARXIV_API}?{urllib.parse.urlencode({'id_list': arxiv_id, 'max_results': 1})}"
    return parse_arxiv(get(url, f"arxiv-{arxiv_id}.xml", timeout), arxiv_id)


def fetch_crossref(doi: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Metadata of one DOI from the Crossref REST API (api.crossref.org)."""
    url = CROSSREF_API + urllib.parse.quote(doi, safe="/")
    recording = "crossref-" + re.sub(r"[^A-Za-z0-9.-]+", "_", doi.lower()) + ".json"
    return parse_crossref(get(url, recording, timeout, what=f"the DOI {doi}"), doi)


def get(url: str, recording: str, timeout: float = TIMEOUT, what: str = "") -> bytes:
    """The body of a GET request, or FetchError with one line saying what went wrong."""
    folder = os.environ.get(RECORDED_ENV)
    if folder:
        return _recorded(pathlib.Path(folder), recording)
    host = urllib.parse.urlsplit(url).hostname
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            raise NotFound(f"{host} has no record of {what or url} (HTTP {exc.code})") from None
        raise Unreachable(f"{host} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise Unreachable(f"cannot reach {host}: {_reason(exc.reason)}; offline?") from None
    except TimeoutError:
        raise Unreachable(f"{host} did not answer within {timeout:g} s") from None
    except OSError as exc:
        raise Unreachable(f"cannot reach {host}: {_reason(exc)}") from None
    if len(body) > MAX_BYTES:
        raise Unreachable(f"{host} sent more than {MAX_BYTES:,} bytes; refusing the answer")
    return body


def _recorded(folder: pathlib.Path, recording: str) -> bytes:
    path = folder / recording
    if not path.is_file():
        raise Unreachable(f"no recorded response {recording} in {folder} ({RECORDED_ENV} is set)")
    return path.read_bytes()


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    return str(getattr(reason, "strerror", None) or reason)


# arXiv ------------------------------------------------------------------------------------------

def parse_arxiv(body: bytes, arxiv_id: str) -> dict[str, Any]:
    """The arXiv API's Atom feed for one id, as catalog fields (plus `abstract` and `notes`)."""
    entry = _atom_entry(body, arxiv_id)
    published = _text(entry, _ATOM + "published")
    category = entry.find(_ARXIV + "primary_category")
    meta: dict[str, Any] = {
        "title": _squash(_text(entry, _ATOM + "title")),
        "authors": [person_from_name(_squash(_text(author, _ATOM + "name")))
                    for author in entry.findall(_ATOM + "author")],
        "year": int(published[:4]),
        "month": int(published[5:7]),
        "venue": {"name": "arXiv", "kind": "preprint"},
        "arxiv": arxiv_id,
        "links": {"paper": f"https://arxiv.org/abs/{arxiv_id}"},
        "sources": [f"https://arxiv.org/abs/{arxiv_id}"],
        "abstract": _squash(_text(entry, _ATOM + "summary")),
        "notes": [],
    }
    if category is not None and re.match(r"^[a-z-]+(\.[A-Za-z-]+)?$", category.get("term", "")):
        meta["arxiv_class"] = category.get("term")
    _arxiv_publication(entry, meta)
    return meta


def _atom_entry(body: bytes, arxiv_id: str) -> ET.Element:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise Unreachable("the arXiv API answer contains a DOCTYPE or ENTITY; refusing it")
    try:
        feed = ET.fromstring(body)
    except ET.ParseError as exc:
        raise Unreachable(f"the arXiv API answer is not valid XML ({exc})") from None
    entries = feed.findall(_ATOM + "entry")
    if not entries or not _text(entries[0], _ATOM + "title"):
        raise NotFound(f"arXiv has no work {arxiv_id}")
    entry = entries[0]
    if "/api/errors" in _text(entry, _ATOM + "id"):
        raise NotFound(f"arXiv refused the id {arxiv_id}: {_squash(_text(entry, _ATOM + 'summary'))}")
    return entry


def _arxiv_publication(entry: ET.Element, meta: dict[str, Any]) -> None:
    """A DOI or journal reference the authors gave: the version of record to cite instead."""
    doi = normalize_doi(_text(entry, _ARXIV + "doi"))
    journal = _squash(_text(entry, _ARXIV + "journal_ref"))
    if doi:
        meta["published_doi"] = doi
    if journal:
        meta["notes"].append(f"arXiv says it was published as: {journal}")


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return found.text or "" if found is not None else ""


def _squash(text: str) -> str:
    return " ".join(text.split())


def person_from_name(name: str) -> str:
    """'Peiyuan Zhang' -> 'Zhang, Peiyuan'; 'Ludwig van Beethoven' -> 'van Beethoven, Ludwig'.

    A guess from a display name: lower-case particles join the family name, 'Jr.' becomes a suffix.
    """
    words = name.replace(",", " ").split()
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in _SUFFIXES else ""
    if len(words) < 2:
        return name.strip()
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    family, given = " ".join(words[start:]), " ".join(words[:start])
    return f"{family}, {suffix.rstrip('.')}, {given}" if suffix else f"{family}, {given}"


# Crossref ---------------------------------------------------------------------------------------

def parse_crossref(body: bytes, doi: str) -> dict[str, Any]:
    """A Crossref `works/{doi}` answer as catalog fields (plus `abstract` and `notes`)."""
    try:
        work = json.loads(body)["message"]
    except (ValueError, KeyError, TypeError):
        raise Unreachable(f"the Crossref answer for {doi} is not the expected JSON") from None
    issued = _date_parts(work)
    doi = work.get("DOI") or doi
    meta: dict[str, Any] = {
        "title": _crossref_title(work),
        "authors": [_crossref_person(p) for p in work.get("author", []) if _crossref_person(p)],
        "venue": _crossref_venue(work),
        "doi": doi,
        "links": {"paper": f"https://doi.org/{doi}"},
        "sources": [f"https://doi.org/{doi}"],
        "abstract": _strip_markup(work.get("abstract", "")),
        "notes": [],
    }
    meta.update({name: value for name, value in zip(("year", "month"), issued)})
    for name, field in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        value = str(work.get(field, "")).strip()
        if value:
            meta[name] = value.replace("\u2013", "-")
    return meta


def _date_parts(work: dict[str, Any]) -> list[int]:
    for field in ("published-print", "published", "issued", "published-online"):
        parts = (work.get(field) or {}).get("date-parts") or [[]]
        if parts[0] and parts[0][0]:
            return [int(p) for p in parts[0][:2]]
    return []


def _crossref_title(work: dict[str, Any]) -> str:
    title = _strip_markup(" ".join(work.get("title") or []))
    subtitle = _strip_markup(" ".join(work.get("subtitle") or []))
    return f"{title}: {subtitle}" if subtitle and subtitle.lower() not in title.lower() else title


def _crossref_person(person: dict[str, Any]) -> str | dict[str, str]:
    family, given = _squash(person.get("family", "")), _squash(person.get("given", ""))
    suffix = _squash(person.get("suffix", "")).rstrip(".")
    if family and given:
        return f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}"
    name = family or _squash(person.get("name", ""))
    return {"literal": name} if name else ""


def _crossref_venue(work: dict[str, Any]) -> dict[str, str]:
    kind = _KINDS.get(work.get("type", ""), "web")
    container = _strip_markup(" ".join(work.get("container-title") or []))
    institution = " ".join(i.get("name", "") for i in work.get("institution") or [])
    venue = {"name": container or institution or work.get("publisher", ""), "kind": kind}
    short = " ".join(work.get("short-container-title") or [])
    if short and short != venue["name"] and len(short) <= 60:
        venue["short"] = short
    if work.get("publisher") and kind != "journal":
        venue["publisher"] = work["publisher"]
    return venue


def _strip_markup(text: str) -> str:
    """Crossref titles and abstracts carry JATS/HTML tags (<i>, <jats:p>) and entities."""
    text = _BLOCK_TAG.sub(" ", text)
    text = re.sub(r"<[^<>]{0,200}>", "", text)
    text = _squash(unicodedata.normalize("NFC", html.unescape(text)))
    return text.removeprefix("Abstract ") if text.startswith("Abstract ") else text
