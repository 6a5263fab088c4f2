"""`slmsurvey discover`: ask arXiv and Europe PMC for new works in the survey's scope, for a person to triage.

The searches and the day of the last run live in `catalog/discover.yaml`, the one place to change
what is asked: arXiv's API for preprints (its categories and search syntax), Europe PMC's REST
search for journal papers and medRxiv preprints (the clinical journals arXiv does not carry), each
limited to the days since the last run. What the services answer is merged (a preprint found by
two queries, or on both services, is one candidate), then sorted out:

- a work the catalog holds (arXiv id, DOI, or the same title with accents, case and punctuation
  ignored, including the titles an entry had before `refresh` changed them) is dropped;
- a work a person rejected in `catalog/triage.yaml` is dropped, so it is never proposed again;
- a work already proposed and not decided yet (`pending`), or kept but not added, is not proposed
  again: the report lists those from the triage file itself;
- the rest are the new candidates, each with a ready command to add it (`slmsurvey new <id>`).

`--write` moves `since` to the run's day and appends each new candidate to the triage file as
`pending`, so that a candidate nobody has decided yet is remembered after its days have passed.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime
import json
import pathlib
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import Any

from slmsurvey.catalog.load import LoadedCatalog, load_catalog, parse_yaml
from slmsurvey.catalog.model import Catalog
from slmsurvey.catalog.validate import validate
from slmsurvey.contribute import fetch
from slmsurvey.contribute.progress import Progress
from slmsurvey.contribute.refresh import comparable_title, latex_to_text
from slmsurvey.contribute.reportfile import escape_markdown
from slmsurvey.identifiers import arxiv_of_doi, arxiv_url, doi_url, normalize_arxiv, normalize_doi, pubmed_url
from slmsurvey.locations import DISCOVER, TRIAGE
from slmsurvey.problems import SurveyError
from slmsurvey.text.textrules import refused_character
from slmsurvey.write import replace_file

EUROPEPMC_SEARCH = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
PAGE_SIZE = 100  # works per request; both services allow more, and answer a smaller page sooner
DEFAULT_LIMIT = 200  # works per query and run, unless discover.yaml says otherwise
SHOWN_AUTHORS = 3
ABSTRACT_CHARACTERS = 300
TITLE_CHARACTERS = 400  # as the triage schema allows
ARXIV, EUROPEPMC = "arXiv", "Europe PMC"


# What is asked ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Query:
    service: str  # ARXIV or EUROPEPMC
    id: str
    terms: str

    @property
    def label(self) -> str:
        return f"{self.service} {self.id}"


@dataclasses.dataclass(frozen=True)
class Decision:
    """One item of catalog/triage.yaml."""
    title: str
    decision: str  # pending | kept | rejected
    date: str
    arxiv: str = ""
    doi: str = ""
    pmid: str = ""
    reason: str = ""

    def keys(self) -> list[tuple[str, str]]:
        return work_keys(self.title, self.arxiv, self.doi)


@dataclasses.dataclass(frozen=True)
class Setup:
    """The catalog, its triage decisions and what discover.yaml asks, all validated."""
    catalog: Catalog
    decisions: tuple[Decision, ...]
    since: datetime.date
    categories: tuple[str, ...]
    queries: tuple[Query, ...]
    limits: dict[str, int]


def read_setup(catalog_dir: pathlib.Path) -> Setup:
    """Read and validate the catalog folder; CatalogInvalid lists every problem, as `validate` does."""
    loaded = load_catalog(catalog_dir)
    catalog = validate(loaded)
    if loaded.discover is None:
        raise SurveyError(f"{catalog_dir / DISCOVER} is missing: it holds the queries and the day of the last run "
                          "(see CONTRIBUTING.md, 'Finding new works')")
    asked = loaded.discover.data
    queries = [Query(ARXIV, q["id"], q["terms"]) for q in asked["arxiv"]["queries"]]
    queries += [Query(EUROPEPMC, q["id"], q["terms"]) for q in asked.get("europepmc", {}).get("queries", ())]
    limits = {ARXIV: asked["arxiv"].get("limit", DEFAULT_LIMIT),
              EUROPEPMC: asked.get("europepmc", {}).get("limit", DEFAULT_LIMIT)}
    return Setup(catalog, _decisions(loaded), datetime.date.fromisoformat(asked["since"]),
                 tuple(asked["arxiv"]["categories"]), tuple(queries), limits)


def _decisions(loaded: LoadedCatalog) -> tuple[Decision, ...]:
    items = loaded.triage.data if loaded.triage is not None else []
    fields = {f.name for f in dataclasses.fields(Decision)}
    return tuple(Decision(**{k: v for k, v in item.items() if k in fields}) for item in items)


# What the services answer -----------------------------------------------------------------------

@dataclasses.dataclass
class Candidate:
    title: str
    authors: tuple[str, ...]  # display names, as the service gives them
    date: str  # first published (arXiv: version 1), YYYY-MM-DD
    venue: str
    arxiv: str = ""
    doi: str = ""
    pmid: str = ""
    abstract: str = ""
    found_by: list[str] = dataclasses.field(default_factory=list)  # query labels

    def keys(self) -> list[tuple[str, str]]:
        return work_keys(self.title, self.arxiv, self.doi)

    def absorb(self, other: Candidate) -> None:
        """The same work found again (another query, the other service): keep what either knows."""
        self.found_by += [label for label in other.found_by if label not in self.found_by]
        for name in ("arxiv", "doi", "pmid", "abstract"):
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))

    @property
    def identifier(self) -> str:
        """What `slmsurvey new` reads: the arXiv id, else the DOI; '' for a work with neither."""
        return self.arxiv or self.doi

    def line(self) -> str:
        ids = "; ".join(f"{label} {value}" for label, value in self.identifiers())
        return f"new: {self.date} {self.title} ({ids or 'no identifier'}) [{', '.join(self.found_by)}]"

    def identifiers(self) -> list[tuple[str, str]]:
        return [(label, value) for label, value in (("arXiv", self.arxiv), ("DOI", self.doi), ("PMID", self.pmid))
                if value]


@dataclasses.dataclass
class Outcome:
    """What a run did: what it found, the requests made, and the files written (None when it was not
    asked to write)."""

    discovery: Discovery
    requests: int
    written: list[pathlib.Path] | None = None

    def summary(self) -> str:
        found = self.discovery
        dropped = f", {found.dropped_text()}" if found.dropped else ""
        hint = "" if self.written is not None or not found.candidates else \
            "; run with --write to list them in the triage file"
        return (f"{len(found.candidates)} new candidate(s) among {found.answers} work(s) found from {found.since} "
                f"to {found.until} ({self.requests} requests){dropped}{hint}")

    def markdown(self) -> str:
        """The candidates as the description of a pull request."""
        return markdown_report(self.discovery, self.written is not None)


def run(catalog_dir: pathlib.Path, setup: Setup, client: fetch.Client, since: datetime.date | None = None,
        today: datetime.date | None = None, write_triage: bool = False) -> Outcome:
    """Ask for the works from `since` (the setup's day by default) to `today`, keeping the answers in
    `client.record` if set, and sort out the new candidates; with `write_triage`, list them in the
    triage file and move the day. Raises SurveyError for a day after today or a recording folder in
    use, and fetch.FetchError (Offline: nothing could be reached) when a service could not be asked:
    then nothing was written."""
    until = today or datetime.date.today()
    start = since or setup.since
    if start > until:
        raise SurveyError(f"the first day asked about, {start}, is after today, {until}")
    with fetch.recording(client, "discover"):
        found = search(setup, start, until, client, Progress("discover", len(setup.queries), "queries"))
    discovery = sort_out(found, setup, start, until)
    return Outcome(discovery, client.requests, write(catalog_dir, discovery) if write_triage else None)


def search(setup: Setup, since: datetime.date, until: datetime.date, client: fetch.Client,
           progress: Progress | None = None) -> list[Candidate]:
    """Every work the queries find from `since` to `until`, merged. A service that cannot be asked, or
    that answers something unreadable, stops the run (FetchError): a run with a gap must not move `since`."""
    found: list[Candidate] = []
    try:
        for query in setup.queries:
            ask = _arxiv_search if query.service == ARXIV else _europepmc_search
            try:
                found += ask(query, setup, since, until, client)
            except fetch.Offline:
                raise
            except fetch.FetchError as exc:
                raise type(exc)(f"{query.service}, query {query.id!r}: {exc}") from None
            if progress:
                progress.step()
    finally:
        if progress:
            progress.finish()
    return merged(found)


def _arxiv_search(query: Query, setup: Setup, since: datetime.date, until: datetime.date,
                  client: fetch.Client) -> list[Candidate]:
    categories = " OR ".join(f"cat:{c}" for c in setup.categories)
    window = f"submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]"
    terms = f"({categories}) AND ({query.terms}) AND {window}"
    limit, start, found = setup.limits[ARXIV], 0, []
    while start < limit:
        size = min(PAGE_SIZE, limit - start)
        asked = {"search_query": terms, "start": start, "max_results": size,
                 "sortBy": "submittedDate", "sortOrder": "descending"}
        body = client.get(f"{fetch.ARXIV_API}?{urllib.parse.urlencode(asked)}",
                          f"discover-arxiv-{query.id}-{start}.xml", f"the arXiv search {query.id!r}")
        records, total = fetch.arxiv_search_page(body)
        found += [c for c in map(_from_arxiv, records) if c]
        start += size
        if not records or start >= total:
            break
    for candidate in found:
        candidate.found_by.append(query.label)
    return found


def _from_arxiv(record: fetch.ArxivRecord) -> Candidate | None:
    title = _clean(latex_to_text(record.title), TITLE_CHARACTERS)
    if len(title) < 3:
        return None
    venue = f"arXiv ({record.category})" if record.category else "arXiv"
    if record.journal_ref:
        venue += f"; published as {record.journal_ref}"
    return Candidate(title=title, authors=tuple(_clean(a) for a in record.authors), date=record.published,
                     venue=_clean(venue), arxiv=record.id, doi=record.doi, abstract=_clean(record.abstract))


def _europepmc_search(query: Query, setup: Setup, since: datetime.date, until: datetime.date,
                      client: fetch.Client) -> list[Candidate]:
    terms = f"({query.terms}) AND (FIRST_PDATE:[{since.isoformat()} TO {until.isoformat()}])"
    limit, cursor, page, found = setup.limits[EUROPEPMC], "*", 1, []
    while len(found) < limit:
        asked = {"query": terms, "format": "json", "resultType": "core",
                 "pageSize": min(PAGE_SIZE, limit - len(found)), "cursorMark": cursor}
        body = client.get(f"{EUROPEPMC_SEARCH}?{urllib.parse.urlencode(asked)}",
                          f"discover-europepmc-{query.id}-{page}.json", f"the Europe PMC search {query.id!r}")
        results, hits, next_cursor = europepmc_page(body)
        found += [c for c in map(_from_europepmc, results) if c]
        if not results or len(found) >= hits or not next_cursor or next_cursor == cursor:
            break
        cursor, page = next_cursor, page + 1
    for candidate in found:
        candidate.found_by.append(query.label)
    return found[:limit]


def europepmc_page(body: bytes) -> tuple[list[dict[str, Any]], int, str]:
    """One page of a Europe PMC search: its results, how many the search matches, the next page's cursor."""
    try:
        answer = json.loads(body)
        results, hits = answer["resultList"]["result"], int(answer["hitCount"])
    except ValueError as exc:
        raise fetch.Unreachable(f"the Europe PMC answer is not valid JSON ({exc})") from None
    except (KeyError, TypeError):
        raise fetch.Unreachable("the Europe PMC answer is not a search result (no hitCount and "
                                "resultList.result)") from None
    if not isinstance(results, list):
        raise fetch.Unreachable("the Europe PMC answer's resultList.result is not a list")
    return [r for r in results if isinstance(r, dict)], hits, str(answer.get("nextCursorMark") or "")


def _from_europepmc(item: dict[str, Any]) -> Candidate | None:
    title = _clean(fetch.markup_to_text(str(item.get("title") or "")), TITLE_CHARACTERS).rstrip(".")
    if len(title) < 3:
        return None
    doi = normalize_doi(str(item.get("doi") or "")) or ""
    pmid = str(item.get("pmid") or "")
    authors = [a.strip().rstrip(".") for a in str(item.get("authorString") or "").split(",")]
    return Candidate(title=title, authors=tuple(_clean(a) for a in authors if a.strip(" .")),
                     date=str(item.get("firstPublicationDate") or item.get("pubYear") or "")[:10],
                     venue=_clean(_europepmc_venue(item)), arxiv=arxiv_of_doi(doi) or "", doi=doi,
                     pmid=pmid if pmid.isdigit() and len(pmid) <= 9 else "",
                     abstract=_clean(fetch.markup_to_text(str(item.get("abstractText") or ""))))


def _europepmc_venue(item: dict[str, Any]) -> str:
    journal = ((item.get("journalInfo") or {}).get("journal") or {}).get("title") or item.get("journalTitle")
    if journal:
        return str(journal)
    publisher = (item.get("bookOrReportDetails") or {}).get("publisher")
    return f"{publisher} (preprint)" if publisher else "preprint" if item.get("source") == "PPR" else ""


def merged(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per work: two answers with an identifier or a title in common are one work."""
    works: list[Candidate] = []
    seen: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        same = next((seen[k] for k in candidate.keys() if k in seen), None)
        if same is None:
            works.append(candidate)
            same = candidate
        else:
            same.absorb(candidate)
        for key in same.keys():
            seen.setdefault(key, same)
    return works


# Sorting out what is new ------------------------------------------------------------------------

def work_keys(title: str, arxiv: str = "", doi: str = "") -> list[tuple[str, str]]:
    """What makes two records one work: the arXiv id (without version), the DOI (any case), the title
    (accents, case, punctuation, TeX and protecting braces ignored)."""
    keys = []
    if arxiv and normalize_arxiv(arxiv):
        keys.append(("arxiv", normalize_arxiv(arxiv) or ""))
    if doi:
        keys.append(("doi", doi.lower()))
        if arxiv_of_doi(doi):
            keys.append(("arxiv", arxiv_of_doi(doi) or ""))
    title = comparable_title(title, latex=True) if title else ""
    if title:
        keys.append(("title", title))
    return keys


CATALOGUED, REJECTED, WAITING = "already in the catalog", "rejected before", "already proposed, not decided or added"


REASONS = (CATALOGUED, REJECTED, WAITING)


@dataclasses.dataclass
class Discovery:
    since: datetime.date
    until: datetime.date
    candidates: list[Candidate]  # new, newest first
    dropped: collections.Counter  # why (one of REASONS) -> how many
    waiting: list[Decision]  # pending or kept in the triage file, not in the catalog
    answers: int  # works the services answered with, merged

    def dropped_text(self) -> str:
        """'4 already in the catalog, 2 rejected before', in that order; '' when nothing was dropped."""
        return ", ".join(f"{self.dropped[why]} {why}" for why in REASONS if self.dropped[why])


def sort_out(found: list[Candidate], setup: Setup, since: datetime.date, until: datetime.date) -> Discovery:
    catalogued = set(_catalogued(setup.catalog))
    known = dict.fromkeys(catalogued, CATALOGUED)
    for decision in setup.decisions:
        for key in decision.keys():
            known.setdefault(key, REJECTED if decision.decision == "rejected" else WAITING)
    dropped: collections.Counter = collections.Counter()
    new = []
    for candidate in found:
        why = next((known[k] for k in candidate.keys() if k in known), None)
        if why:
            dropped[why] += 1
        else:
            new.append(candidate)
    new.sort(key=lambda c: (c.date, c.title.lower()), reverse=True)
    waiting = [d for d in setup.decisions if d.decision != "rejected" and not catalogued & set(d.keys())]
    return Discovery(since, until, new, dropped, waiting, len(found))


def _catalogued(catalog: Catalog) -> Iterator[tuple[str, str]]:
    for entry in catalog.entries:
        yield from work_keys(entry.title, entry.arxiv, entry.doi)
        for update in entry.updates:
            if update.field == "title" and update.was:
                yield from work_keys(update.was)
    for work in catalog.unverified:
        yield from work_keys(work.title, normalize_arxiv(work.url) or "", normalize_doi(work.url) or "")


# Writing ----------------------------------------------------------------------------------------

def write(catalog_dir: pathlib.Path, discovery: Discovery) -> list[pathlib.Path]:
    """Move `since` in discover.yaml to the run's day and append the new candidates to triage.yaml as
    `pending`, keeping every comment. Both files are checked to read back before either is replaced."""
    asked_file, triage_file = catalog_dir / DISCOVER, catalog_dir / TRIAGE
    asked = asked_file.read_text(encoding="utf-8")
    moved, count = re.subn(r"^since:[ \t]*[0-9-]+", f"since: {discovery.until.isoformat()}", asked, count=1,
                           flags=re.MULTILINE)
    if not count:
        raise SurveyError(f"{asked_file} has no line `since: YYYY-MM-DD` to move to {discovery.until}")
    triage = triage_file.read_text(encoding="utf-8") if triage_file.is_file() else TRIAGE_HEADER
    if discovery.candidates:
        triage = re.sub(r"^\[\][ \t]*$\n?", "", triage, flags=re.MULTILINE)  # the empty list, written as []
        triage = triage.rstrip("\n") + "\n" + "".join(pending_item(c, discovery.until) for c in discovery.candidates)
    files = {asked_file: moved, triage_file: triage}
    for path, text in files.items():
        if isinstance(parse_yaml(text.encode("utf-8"), str(path)), list):
            raise SurveyError(f"{path} would not read back as YAML after the edit; nothing was written")
    written = []
    for path, text in files.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            replace_file(path, text.encode("utf-8"))
            written.append(path)
    return written


TRIAGE_HEADER = """\
# yaml-language-server: $schema=schema/triage.schema.json
# Decisions on the works `slmsurvey discover` proposed (CONTRIBUTING.md, 'Finding new works').
[]
"""


def pending_item(candidate: Candidate, day: datetime.date, decision: str = "pending") -> str:
    """The triage file's item for a candidate, as YAML (JSON strings are YAML's double-quoted scalars)."""
    lines = [f"- title: {json.dumps(candidate.title, ensure_ascii=False)}"]
    if candidate.arxiv:
        lines.append(f'  arxiv: "{candidate.arxiv}"')
    if candidate.doi and _SCHEMA_DOI.match(candidate.doi):
        lines.append(f"  doi: {json.dumps(candidate.doi)}")
    if candidate.pmid:
        lines.append(f'  pmid: "{candidate.pmid}"')
    lines.append(f"  decision: {decision}")
    if decision == "rejected":
        lines.append('  reason: ""  # why: which rule of the scope it misses')
    lines.append(f"  date: {day.isoformat()}")
    if candidate.found_by:
        lines.append(f"  query: {json.dumps(candidate.found_by[0][:200], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


_SCHEMA_DOI = re.compile(r"^10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9<>\[\]+]+\Z")  # the triage schema's pattern


def _clean(text: str, limit: int = 0) -> str:
    """Service text as the catalog may hold it: on one line, without the characters the validator
    refuses (control and invisible formatting characters, which also reach a terminal as escapes)."""
    kept = "".join(c for c in text if c.isspace() or refused_character(c) is None)
    kept = " ".join(kept.split())
    return kept[:limit].rstrip() if limit else kept


# The report -------------------------------------------------------------------------------------

def markdown_report(discovery: Discovery, written: bool) -> str:
    """The weekly pull request's description: the new candidates, how to add or reject each, what was dropped."""
    found = len(discovery.candidates)
    lines = ["## What `slmsurvey discover` found", "",
             f"arXiv and Europe PMC, asked for works from {discovery.since} to {discovery.until}, answered with "
             f"{discovery.answers} work(s): **{found} new candidate(s)**.", ""]
    if discovery.dropped:
        lines += [f"Not proposed: {discovery.dropped_text()}.", ""]
    lines += _how_to_triage(written) if found else ["Nothing new to triage.", ""]
    for number, candidate in enumerate(discovery.candidates, 1):
        lines += _candidate(number, candidate, discovery.until, written)
    if discovery.waiting:
        lines += [f"### Proposed earlier, still waiting in `catalog/{TRIAGE}`", ""]
        lines += [f"- {escape_markdown(d.title)} ({d.decision} since {d.date})" for d in discovery.waiting[:50]]
        if len(discovery.waiting) > 50:
            lines.append(f"- ... and {len(discovery.waiting) - 50} more")
        lines.append("")
    return "\n".join(lines)


def _how_to_triage(written: bool) -> list[str]:
    where = (f"This pull request lists each one in `catalog/{TRIAGE}` as `decision: pending`. For each, "
             "either add it (`slmsurvey new <id>` writes its entry; then set `decision: kept`), or set "
             "`decision: rejected` and write the `reason` (the scope in CONTRIBUTING.md says what belongs). "
             "A rejected work is never proposed again.") if written else \
        (f"For each: add it with `slmsurvey new <id>`, or reject it by adding the item shown to `catalog/{TRIAGE}` "
         "with its `reason` (the scope in CONTRIBUTING.md says what belongs). A rejected work is never "
         "proposed again.")
    return ["### New candidates", "", where, ""]


def _candidate(number: int, candidate: Candidate, day: datetime.date, written: bool) -> list[str]:
    authors = ", ".join(candidate.authors[:SHOWN_AUTHORS]) + (" et al." if len(candidate.authors) > SHOWN_AUTHORS
                                                              else "")
    links = [f"[{label} {escape_markdown(value)}]({_href(url)})" for (label, value), url
             in zip(candidate.identifiers(), _urls(candidate))]
    lines = [f"#### {number}. {escape_markdown(candidate.title)}", "",
             f"- {escape_markdown(authors or 'authors not given')} · {candidate.date or 'undated'} · "
             f"{escape_markdown(candidate.venue or 'venue not given')}",
             f"- {' · '.join(links) or 'no identifier'}",
             f"- found by: {', '.join(escape_markdown(label) for label in candidate.found_by)}"]
    if candidate.abstract:
        abstract = candidate.abstract if len(candidate.abstract) <= ABSTRACT_CHARACTERS else \
            candidate.abstract[:ABSTRACT_CHARACTERS].rsplit(" ", 1)[0] + " ..."
        lines.append(f"- {escape_markdown(abstract)}")
    lines.append(f"- to add it: `slmsurvey new {candidate.identifier}`" if candidate.identifier else
                 "- to add it: no arXiv id or DOI; write its entry by hand")
    if not written:
        item = pending_item(candidate, day, "rejected")
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", item)), default=0))
        lines += [f"- to reject it, add to `catalog/{TRIAGE}` (with the reason):", "",
                  f"  {fence}yaml", *("  " + line for line in item.splitlines()), f"  {fence}"]
    return lines + [""]


def _urls(candidate: Candidate) -> list[str]:
    """In the order of Candidate.identifiers: arXiv, DOI, PubMed."""
    urls = ((candidate.arxiv, arxiv_url), (candidate.doi, doi_url), (candidate.pmid, pubmed_url))
    return [url(value) for value, url in urls if value]


def _href(url: str) -> str:
    """A link target Markdown cannot misread: brackets, parentheses, spaces and angle brackets encoded."""
    return urllib.parse.quote(url, safe=":/?=&#%~+;,@!$'*")
