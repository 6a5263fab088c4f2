"""Metadata of a work from the arXiv API and from Crossref, as plain dicts shaped like catalog fields.

Real HTTP clients (urllib, a timeout, a size limit) with one-line errors. `Unreachable` means the
service could not be asked (offline, timeout, server error): the caller can still write a skeleton.
`NotFound` means the service answered that the identifier does not exist.

Tests never use the network: with SLMSURVEY_RECORDED=<folder> every request is answered from a
recorded response file in that folder (see tests/fixtures/recorded/README.md). A `Client` made with
`record=<folder>` saves every answer it gets under the same names, so that a run against the live
services can be replayed offline, answer for answer.
"""
from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import os
import pathlib
import re
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, Callable

from slmsurvey.identifiers import arxiv_url, doi_url, normalize_arxiv, normalize_doi
from slmsurvey.problems import SurveyError
from slmsurvey.text import names
from slmsurvey.write import replace_file

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org/works/"
USER_AGENT = "slmsurvey/0.1 (+https://github.com/slm-healthcare/survey)"
TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024
RECORDED_ENV = "SLMSURVEY_RECORDED"
RECORDING_INDEX = "index.json"
NOT_FOUND = ".notfound"  # a recorded "no such record" (HTTP 404/410): the file holds the message


_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|list|list-item|br|h[1-6])\b[^<>]{0,200}>", re.IGNORECASE)
_KINDS = {"journal-article": "journal", "proceedings-article": "conference", "book-chapter": "book-chapter",
          "posted-content": "preprint", "report": "web", "dataset": "web"}


class FetchError(SurveyError):
    """Metadata could not be fetched; the message is one line."""


class Unreachable(FetchError):
    """The service could not be asked or did not answer usefully: offline, timeout, server error."""


class NotFound(FetchError):
    """The service answered that the identifier does not exist."""


def fetch_arxiv(arxiv_id: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Metadata of one arXiv work from the arXiv API (export.arxiv.org)."""
    return parse_arxiv(get(arxiv_query_url(arxiv_id), f"arxiv-{arxiv_id}.xml", timeout), arxiv_id)


def fetch_crossref(doi: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Metadata of one DOI from the Crossref REST API (api.crossref.org)."""
    return parse_crossref(get(crossref_url(doi), _crossref_recording(doi), timeout, what=f"the DOI {doi}"), doi)


def arxiv_query_url(arxiv_id: str) -> str:
    return f"{ARXIV_API}?{urllib.parse.urlencode({'id_list': arxiv_id, 'max_results': 1})}"


def crossref_url(doi: str) -> str:
    """The Crossref REST API's record of a DOI: where its facts are read, so also their evidence."""
    return CROSSREF_API + urllib.parse.quote(doi, safe="/")


def get(url: str, recording: str, timeout: float = TIMEOUT, what: str = "") -> bytes:
    """The body of a GET request, or FetchError with one line saying what went wrong. One try."""
    return Client(timeout=timeout, retries=0).get(url, recording, what)


class Offline(Unreachable):
    """A host refused the connection or has no address: there is no point asking it again in this run."""


class Client:
    """A polite HTTP client for the public scholarly APIs, used by `refresh` for many requests.

    A contact address in the User-Agent (Crossref's "polite pool" asks for one), a timeout, retries
    with exponential backoff on 429, 5xx and timeouts (honouring Retry-After), a pause between
    requests to one host (arXiv asks for three seconds), and a cap on requests per run. Once a
    host could not be reached at all, every later request to it raises `Offline` at once.

    `asked` maps the name of each answer to the URL that was asked. With `record`, every answer (a
    body, or a "no such record") is also saved in that folder under the name the replay reads.
    """

    PAUSE = {"export.arxiv.org": 3.0}  # seconds between requests; other hosts: DEFAULT_PAUSE
    DEFAULT_PAUSE = 0.2
    RETRY_STATUS = (429, 500, 502, 503, 504)

    def __init__(self, contact: str = "", timeout: float = TIMEOUT, retries: int = 3, backoff: float = 2.0,
                 max_requests: int = 1000, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, record: pathlib.Path | None = None):
        self.user_agent = f"{USER_AGENT.removesuffix(')')}; mailto:{contact})" if contact else USER_AGENT
        self.timeout, self.retries, self.backoff, self.max_requests = timeout, retries, backoff, max_requests
        self.sleep, self.clock = sleep, clock
        self.requests = 0
        self.answered = 0
        self.offline: dict[str, Offline] = {}
        self._last: dict[str, float] = {}
        self.record = record
        self.asked: dict[str, str] = {}

    def get(self, url: str, recording: str, what: str = "") -> bytes:
        folder = os.environ.get(RECORDED_ENV)
        if folder:
            self.requests += 1
            self.asked[recording] = url
            body = _recorded(pathlib.Path(folder), recording)
            self.answered += 1
            return body
        try:
            body = self._ask(url, what)
        except NotFound as exc:
            self._keep(recording, url, str(exc).encode(), found=False)
            raise
        self._keep(recording, url, body, found=True)
        return body

    def _ask(self, url: str, what: str) -> bytes:
        host = urllib.parse.urlsplit(url).hostname or ""
        if host in self.offline:
            raise self.offline[host]
        for attempt in range(self.retries + 1):
            if self.requests >= self.max_requests:
                raise Unreachable(f"stopped after {self.max_requests} requests (the cap for one run)")
            try:
                body = self._once(url, host, what)
                self.answered += 1
                return body
            except _Retry as exc:
                if attempt == self.retries:
                    raise exc.error from None
                self.sleep(min(exc.wait or self.backoff * 2 ** attempt, 60.0))
        raise AssertionError("unreachable")

    def _keep(self, recording: str, url: str, body: bytes, found: bool) -> None:
        self.asked[recording] = url
        if self.record is None:
            return
        answer = self.record / (recording if found else recording + NOT_FOUND)
        try:
            replace_file(answer, body)  # a run stopped mid-write leaves no half answer to replay
        except OSError as exc:
            raise SurveyError(f"could not record the answer in {answer} ({exc.strerror})") from None

    def _once(self, url: str, host: str, what: str) -> bytes:
        wait = self._last.get(host, -1e9) + self.PAUSE.get(host, self.DEFAULT_PAUSE) - self.clock()
        if wait > 0:
            self.sleep(wait)
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                raise NotFound(f"{host} has no record of {what or url} (HTTP {exc.code})") from None
            error = Unreachable(f"{host} answered HTTP {exc.code} {exc.reason}")
            if exc.code in self.RETRY_STATUS:
                raise _Retry(error, _retry_after(exc.headers.get("Retry-After"))) from None
            raise error from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Retry(Unreachable(f"{host} did not answer within {self.timeout:g} s")) from None
            self.offline[host] = Offline(f"cannot reach {host}: {_reason(exc.reason)}; offline?")
            raise self.offline[host] from None
        except TimeoutError:
            raise _Retry(Unreachable(f"{host} did not answer within {self.timeout:g} s")) from None
        except OSError as exc:
            raise Unreachable(f"cannot reach {host}: {_reason(exc)}") from None
        finally:
            self._last[host] = self.clock()
        if len(body) > MAX_BYTES:
            raise Unreachable(f"{host} sent more than {MAX_BYTES:,} bytes; refusing the answer")
        return body


class _Retry(Exception):
    def __init__(self, error: Unreachable, wait: float | None = None):
        self.error, self.wait = error, wait


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds; the HTTP-date form is rare on these APIs and falls back to backoff."""
    return float(value) if value and value.strip().isdigit() else None


def start_recording(folder: pathlib.Path) -> None:
    """Make the folder a run's answers go to; it must be new or empty, so that it holds one run only."""
    if os.environ.get(RECORDED_ENV):
        raise SurveyError(f"{RECORDED_ENV} is set: the answers would be replayed, not asked, so there is "
                          "nothing to record")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            raise SurveyError(f"{folder} is not empty: record each run into a new folder")
    except OSError as exc:
        raise SurveyError(f"cannot record answers in {folder} ({exc.strerror})") from None


def finish_recording(folder: pathlib.Path, asked: dict[str, str], command: str = "refresh") -> None:
    """index.json: when the answers were recorded, which URL each file answers, and the command that replays them."""
    index = {"recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
             "replay": f"{RECORDED_ENV}={folder} slmsurvey {command}",
             "answers": dict(sorted(asked.items()))}
    try:
        (folder / RECORDING_INDEX).write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise SurveyError(f"cannot write {folder / RECORDING_INDEX} ({exc.strerror})") from None


@contextlib.contextmanager
def recording(client: Client, command: str) -> Iterator[Client]:
    """A run of `command` whose answers `client` keeps in `client.record` (if set): the folder is
    checked first and its index written last, even when the run stops on an error."""
    if client.record:
        start_recording(client.record)
    try:
        yield client
    finally:
        if client.record:
            finish_recording(client.record, client.asked, command)


def _recorded(folder: pathlib.Path, recording: str) -> bytes:
    path = folder / recording
    missing = folder / (recording + NOT_FOUND)
    if missing.is_file():
        raise NotFound(missing.read_text(encoding="utf-8"))
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
    record = arxiv_record(body, arxiv_id)
    meta: dict[str, Any] = {
        "title": record.title,
        "authors": [names.person_from_name(name) for name in record.authors],
        "year": int(record.published[:4]),
        "month": int(record.published[5:7]),
        "venue": {"name": "arXiv", "kind": "preprint"},
        "arxiv": arxiv_id,
        "links": {"paper": arxiv_url(arxiv_id)},
        "sources": [arxiv_url(arxiv_id)],
        "abstract": record.abstract,
        "notes": [],
    }
    if record.category:
        meta["arxiv_class"] = record.category
    if record.doi:
        meta["published_doi"] = record.doi
    if record.journal_ref:
        meta["notes"].append(f"arXiv says it was published as: {record.journal_ref}")
    return meta


@dataclasses.dataclass(frozen=True)
class ArxivRecord:
    """The latest version of an arXiv work, as the API describes it."""
    id: str
    version: int
    title: str
    authors: tuple[str, ...]  # display names, as arXiv shows them
    published: str  # date of version 1, YYYY-MM-DD
    updated: str  # date of the latest version
    abstract: str = ""
    category: str = ""
    journal_ref: str = ""  # the authors' free-text reference to a published version
    doi: str = ""  # the authors' DOI of a published version

    @property
    def url(self) -> str:
        return arxiv_url(self.id, self.version)


def arxiv_record(body: bytes, arxiv_id: str) -> ArxivRecord:
    return _entry_record(_atom_entry(body, arxiv_id), arxiv_id)


def arxiv_search_page(body: bytes) -> tuple[list[ArxivRecord], int]:
    """One page of an arXiv API search (`search_query=`): its works, and how many the search matches in all.
    An entry whose id is not a new-style arXiv id (before 2007) is left out."""
    feed = _atom_feed(body)
    if feed.tag != _ATOM + "feed":
        raise Unreachable("the arXiv API answer is not an Atom feed")
    entries = feed.findall(_ATOM + "entry")
    if entries and "/api/errors" in _text(entries[0], _ATOM + "id"):
        raise Unreachable(f"the arXiv API refused the query: {_squash(_text(entries[0], _ATOM + 'summary'))}")
    total = _text(feed, _OPENSEARCH + "totalResults").strip()
    if not total.isdigit():
        raise Unreachable("the arXiv API answer has no opensearch:totalResults; it is not a search feed")
    records = []
    for entry in entries:
        arxiv_id = normalize_arxiv(_text(entry, _ATOM + "id"))
        if arxiv_id and _text(entry, _ATOM + "title"):
            records.append(_entry_record(entry, arxiv_id))
    return records, int(total)


def _entry_record(entry: ET.Element, arxiv_id: str) -> ArxivRecord:
    version = re.search(r"v(\d+)$", _text(entry, _ATOM + "id").strip())
    category = entry.find(_ARXIV + "primary_category")
    term = category.get("term", "") if category is not None else ""
    return ArxivRecord(
        id=arxiv_id,
        version=int(version.group(1)) if version else 1,
        title=_squash(_text(entry, _ATOM + "title")),
        authors=tuple(_squash(_text(author, _ATOM + "name")) for author in entry.findall(_ATOM + "author")),
        published=_text(entry, _ATOM + "published")[:10],
        updated=_text(entry, _ATOM + "updated")[:10],
        abstract=_squash(_text(entry, _ATOM + "summary")),
        category=term if re.match(r"^[a-z-]+(\.[A-Za-z-]+)?$", term) else "",
        journal_ref=_squash(_text(entry, _ARXIV + "journal_ref")),
        doi=normalize_doi(_text(entry, _ARXIV + "doi")) or "",
    )


def _atom_feed(body: bytes) -> ET.Element:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise Unreachable("the arXiv API answer contains a DOCTYPE or ENTITY; refusing it")
    try:
        feed = ET.fromstring(body)
    except ET.ParseError as exc:
        raise Unreachable(f"the arXiv API answer is not valid XML ({exc})") from None
    return feed


def _atom_entry(body: bytes, arxiv_id: str) -> ET.Element:
    feed = _atom_feed(body)
    entries = feed.findall(_ATOM + "entry")
    if not entries or not _text(entries[0], _ATOM + "title"):
        raise NotFound(f"arXiv has no work {arxiv_id}")
    entry = entries[0]
    if "/api/errors" in _text(entry, _ATOM + "id"):
        raise NotFound(f"arXiv refused the id {arxiv_id}: {_squash(_text(entry, _ATOM + 'summary'))}")
    return entry


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return found.text or "" if found is not None else ""


def _squash(text: str) -> str:
    return " ".join(text.split())


# Crossref ---------------------------------------------------------------------------------------

def parse_crossref(body: bytes, doi: str) -> dict[str, Any]:
    """A Crossref `works/{doi}` answer as catalog fields (plus `abstract` and `notes`)."""
    return crossref_fields(_crossref_message(body, doi), doi)


def _crossref_message(body: bytes, what: str) -> dict[str, Any]:
    try:
        message = json.loads(body)["message"]
    except (ValueError, KeyError, TypeError):
        raise Unreachable(f"the Crossref answer for {what} is not the expected JSON") from None
    if not isinstance(message, dict):
        raise Unreachable(f"the Crossref answer for {what} is not the expected JSON")
    return message


def crossref_fields(work: dict[str, Any], doi: str) -> dict[str, Any]:
    """One Crossref work (a `message` or a search `item`) as catalog fields."""
    issued = _date_parts(work)
    doi = work.get("DOI") or doi
    meta: dict[str, Any] = {
        "title": _crossref_title(work),
        "authors": [_crossref_person(p) for p in work.get("author", []) if _crossref_person(p)],
        "venue": _crossref_venue(work),
        "doi": doi,
        "links": {"paper": doi_url(doi)},
        "sources": [doi_url(doi)],
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


def markup_to_text(text: str) -> str:
    """The text of a title or abstract that carries JATS/HTML tags and entities (Crossref, Europe PMC)."""
    return _strip_markup(text)


def _strip_markup(text: str) -> str:
    """Crossref titles and abstracts carry JATS/HTML tags (<i>, <jats:p>) and entities."""
    text = _BLOCK_TAG.sub(" ", text)
    text = re.sub(r"<[^<>]{0,200}>", "", text)
    text = _squash(unicodedata.normalize("NFC", html.unescape(text)))
    return text.removeprefix("Abstract ") if text.startswith("Abstract ") else text


# For `refresh`: what the services say now, with the client passed in ----------------------------

CROSSREF_SEARCH = "https://api.crossref.org/works"


@dataclasses.dataclass(frozen=True)
class CrossrefRecord:
    """A Crossref work: its catalog fields, and what only refresh needs."""
    doi: str
    type: str  # Crossref's: journal-article, proceedings-article, posted-content ...
    fields: dict[str, Any]  # as crossref_fields makes them
    years: frozenset[int]  # print, online and issued years: any of them is a fair year to cite
    relations: dict[str, tuple[str, ...]]  # e.g. {"is-preprint-of": ("10.1000/x",)}: DOIs only
    notices: tuple[dict[str, str], ...]  # updated-by: {type, doi, date, source}


def arxiv_latest(arxiv_id: str, client: Client) -> ArxivRecord:
    body = client.get(arxiv_query_url(arxiv_id), f"arxiv-{arxiv_id}.xml", f"the arXiv id {arxiv_id}")
    return arxiv_record(body, arxiv_id)


def crossref_work(doi: str, client: Client) -> CrossrefRecord:
    body = client.get(crossref_url(doi), _crossref_recording(doi), f"the DOI {doi}")
    return crossref_record(_crossref_message(body, doi), doi)


def crossref_search(title: str, author: str, client: Client, rows: int = 5) -> list[CrossrefRecord]:
    """Crossref's best bibliographic matches for a title and an author's family name."""
    query = {"query.bibliographic": title, "query.author": author, "rows": rows}
    url = f"{CROSSREF_SEARCH}?{urllib.parse.urlencode(query)}"
    words = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", title).lower()).strip("-")[:60]
    body = client.get(url, f"crossref-search-{words.rstrip('-')}.json", f"a search for {title!r}")
    items = _crossref_message(body, f"a search for {title!r}").get("items")
    if not isinstance(items, list):
        raise Unreachable("the Crossref search answer has no list of items")
    return [crossref_record(item, item["DOI"]) for item in items if isinstance(item, dict) and item.get("DOI")]


def crossref_record(work: dict[str, Any], doi: str) -> CrossrefRecord:
    doi = work.get("DOI") or doi
    years = set()
    for field in ("published-print", "published-online", "published", "issued"):
        parts = (work.get(field) or {}).get("date-parts") or [[]]
        if parts[0] and parts[0][0]:
            years.add(int(parts[0][0]))
    relations = {name: tuple(r["id"] for r in related if isinstance(r, dict) and r.get("id-type") == "doi")
                 for name, related in (work.get("relation") or {}).items() if isinstance(related, list)}
    notices = tuple({"type": str(u.get("type", "")), "doi": str(u.get("DOI", "")),
                     "date": _iso_date((u.get("updated") or {}).get("date-parts")),
                     "source": str(u.get("source", ""))}
                    for u in work.get("updated-by") or [] if isinstance(u, dict))
    return CrossrefRecord(doi=doi, type=str(work.get("type", "")), fields=crossref_fields(work, doi),
                          years=frozenset(years), relations={k: v for k, v in relations.items() if v},
                          notices=notices)


def _crossref_recording(doi: str) -> str:
    return "crossref-" + re.sub(r"[^A-Za-z0-9.-]+", "_", doi.lower()) + ".json"


def _iso_date(parts: Any) -> str:
    """[[2024, 3, 5]] -> '2024-03-05'; [[2024, 3]] -> '2024-03'; '' when unknown."""
    try:
        numbers = [int(p) for p in parts[0][:3]]
    except (TypeError, ValueError, IndexError):
        return ""
    return "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(numbers))
