"""`slmsurvey refresh`: ask arXiv and Crossref what they say of every work now, and report the drift.

For each entry: a preprint's latest arXiv version (title, authors, the DOI or journal reference its
authors added), the Crossref record of a DOI (title, authors, year, volume, issue, pages, its
`is-preprint-of` relation, and `updated-by` notices such as retractions), and a Crossref search for
the published version of a preprint or the DOI of a paper that has none. Each difference is one
`Finding`; those the services state with certainty carry the edit that fixes them, which `--write`
applies (see `edit.py`). A search hit that is not an exact match is reported and never written.
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import pathlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pylatexenc.latex2text import LatexNodes2Text

from slmsurvey.build import read_catalog
from slmsurvey.catalog.model import NOTICE_LABELS, Entry, Person
from slmsurvey.contribute import fetch
from slmsurvey.contribute.edit import EditRefused, apply
from slmsurvey.contribute.findings import Finding, Report
from slmsurvey.contribute.progress import Progress
from slmsurvey.contribute.reportfile import markdown_report
from slmsurvey.identifiers import arxiv_pdf_url, doi_url, registered_with_crossref
from slmsurvey.problems import SurveyError
from slmsurvey.text import names
from slmsurvey.text.textrules import fold, normalize_title

# Crossref's update types, as the catalog's notice kinds; others (new_version ...) are not notices.
NOTICE_KINDS = {
    "retraction": "retraction", "partial_retraction": "partial-retraction", "withdrawal": "withdrawal",
    "removal": "removal", "expression_of_concern": "expression-of-concern", "correction": "correction",
    "corrigendum": "correction", "erratum": "correction", "addendum": "correction", "clarification": "correction",
}
PUBLISHED_TYPES = {"journal-article", "proceedings-article", "book-chapter"}
NEAR_MISS = 0.85  # title similarity at which a search hit is worth a maintainer's look
COMPARED = ("volume", "issue", "pages")


@dataclasses.dataclass
class Outcome:
    """What a run did: its report, the works asked about, the requests made, and the files written
    (None when it was not asked to write) or why the edits were refused (then nothing was written)."""

    report: Report
    works: int
    requests: int
    written: list[pathlib.Path] | None = None
    refused: EditRefused | None = None

    def summary(self) -> str:
        findings = self.report.findings
        certain = sum(f.certain for f in findings)
        after = (f", written to {len(self.written)} file(s)" if self.written is not None
                 else "; run with --write to apply them" if certain else "")
        return (f"{self.report.checked} of {self.works} works checked ({self.requests} requests): "
                f"{len(findings)} finding(s), {certain} certain{after}")

    def markdown(self) -> str:
        """The findings as the description of a pull request."""
        return markdown_report(self.report, self.written or [])


def run(catalog_dir: pathlib.Path, client: fetch.Client, keys: Iterable[str] = (), write: bool = False,
        today: datetime.date | None = None) -> Outcome:
    """Check the catalog's works (only those of `keys`, if any) against arXiv and Crossref, keeping the
    answers in `client.record` if set; with `write`, edit the entry files with the certain findings.

    Raises CatalogInvalid, SurveyError for an unknown key or a recording folder in use, and
    fetch.Offline when no service could be reached (then nothing was checked).
    """
    keys = set(keys)
    entries = [e for e in read_catalog(catalog_dir).entries if not keys or e.key in keys]
    unknown = sorted(keys - {e.key for e in entries})
    if unknown:
        raise SurveyError(f"no entry {', '.join(unknown)} in {catalog_dir}")
    with fetch.recording(client, "refresh"):
        report = refresh(entries, Services(client), Progress("refresh", len(entries), "works"))
    outcome = Outcome(report, len(entries), client.requests)
    if write:
        try:
            outcome.written = apply(report.findings, catalog_dir, today or datetime.date.today())
        except EditRefused as exc:
            outcome.refused = exc
    return outcome


class Services:
    """The questions refresh asks, answered by the real clients (or recorded answers in tests)."""

    def __init__(self, client: fetch.Client):
        self.client = client

    def arxiv(self, arxiv_id: str) -> fetch.ArxivRecord:
        return fetch.arxiv_latest(arxiv_id, self.client)

    def crossref(self, doi: str) -> fetch.CrossrefRecord:
        return fetch.crossref_work(doi, self.client)

    def search(self, title: str, author: str) -> list[fetch.CrossrefRecord]:
        return fetch.crossref_search(title, author, self.client)


def refresh(entries: Iterable[Entry], services: Services, progress: Progress | None = None) -> Report:
    """Check every entry; an Offline error before anything was answered stops the run (the caller says so)."""
    report = Report()
    try:
        for entry in entries:
            try:
                report.findings.extend(check_entry(entry, services))
                report.checked += 1
            except fetch.Offline as exc:
                if not services.client.answered:
                    raise
                report.errors.append(f"{entry.file}: not checked: {exc}")
            except fetch.FetchError as exc:
                report.errors.append(f"{entry.file}: not checked: {exc}")
            if progress:
                progress.step()
    finally:
        if progress:
            progress.finish()
    return report


def check_entry(entry: Entry, services: Services) -> list[Finding]:
    findings: list[Finding] = []
    if entry.venue.kind == "preprint" and entry.arxiv:
        findings += _check_arxiv_preprint(entry, services)
    elif entry.arxiv and not entry.doi:
        findings += _doi_from_arxiv(entry, services)
    if entry.doi:
        record = services.crossref(entry.doi) if registered_with_crossref(entry.doi) else None
        if record is not None:
            findings += _check_record(entry, record)
            findings += _preprint_of(entry, record, services)
            findings += _notices(entry, record)
    if not entry.doi and not any(f.kind in ("version-of-record", "doi") for f in findings) \
            and entry.venue.kind != "web":
        findings += _search(entry, services)
    if any(f.kind == "version-of-record" and f.certain for f in findings):
        # The published version's own title, authors and year replace the preprint's.
        findings = [f for f in findings if f.kind not in ("title", "authors", "year")]
    return findings


# arXiv ------------------------------------------------------------------------------------------

def _check_arxiv_preprint(entry: Entry, services: Services) -> Iterator[Finding]:
    latest = services.arxiv(entry.arxiv)
    if comparable_title(latest.title, latex=True) != comparable_title(entry.title):
        title = latex_to_text(latest.title)
        yield _change(entry, "title", entry.title, title, latest.url, f"arXiv v{latest.version} ({latest.updated}) "
                      f"is titled {title!r}; the catalog has {entry.title!r}")
    people = [person_from_display(name, entry.authors) for name in latest.authors]
    if not same_people(entry.authors, [Person.parse(n) for n in people], entry.more_authors):
        yield _change(entry, "authors", people_text(entry.authors), people_text(Person.parse(n) for n in people),
                      latest.url, f"arXiv v{latest.version} lists {len(people)} authors "
                      f"({people_text(Person.parse(n) for n in people)}); the catalog has "
                      f"{len(entry.authors)} ({people_text(entry.authors)})", value=people)
    if int(latest.published[:4]) != entry.year:
        yield _change(entry, "year", str(entry.year), latest.published[:4], latest.url,
                      f"arXiv v1 is dated {latest.published}; the catalog says {entry.year}",
                      value=int(latest.published[:4]))
    if latest.doi and registered_with_crossref(latest.doi):
        yield from _version_of_record(entry, latest.doi, services, f"arXiv v{latest.version} gives the DOI",
                                      latest.url)
    elif latest.journal_ref:
        yield Finding(entry.key, entry.file, "possible-version-of-record",
                      f"arXiv v{latest.version} says it was published as {latest.journal_ref!r}, "
                      "with no DOI", latest.url)


def _doi_from_arxiv(entry: Entry, services: Services) -> Iterator[Finding]:
    """A published entry without a DOI whose arXiv record gives one."""
    latest = services.arxiv(entry.arxiv)
    if not (latest.doi and registered_with_crossref(latest.doi)):
        return
    record = services.crossref(latest.doi)
    if comparable_title(record.fields["title"]) == comparable_title(entry.title):
        yield Finding(entry.key, entry.file, "doi", f"arXiv v{latest.version} and Crossref give the DOI {record.doi}",
                      _api(record.doi), changes={"doi": record.doi})
    else:
        yield Finding(entry.key, entry.file, "doi", f"arXiv gives the DOI {record.doi}, but Crossref's title "
                      f"{record.fields['title']!r} differs", latest.url)


# Crossref ---------------------------------------------------------------------------------------

def _check_record(entry: Entry, record: fetch.CrossrefRecord) -> Iterator[Finding]:
    """The entry's own DOI: title, authors, year, volume, issue, pages as the publisher deposited them."""
    fields, source = record.fields, _api(record.doi)
    if record.type == "posted-content":  # a preprint server's DOI: its record is checked for relations only
        return
    if fields.get("title") and comparable_title(fields["title"]) != comparable_title(entry.title):
        yield _change(entry, "title", entry.title, fields["title"], source,
                      f"Crossref's title is {fields['title']!r}; the catalog has {entry.title!r}")
    people = [Person.parse(p) for p in fields.get("authors", [])]
    if people and not same_people(entry.authors, people, entry.more_authors):
        yield _change(entry, "authors", people_text(entry.authors), people_text(people), source,
                      f"Crossref lists {len(people)} authors ({people_text(people)}); the catalog has "
                      f"{len(entry.authors)} ({people_text(entry.authors)})", value=fields["authors"])
    if record.years and entry.year not in record.years:
        change = _change(entry, "year", str(entry.year), str(fields["year"]), source,
                         f"Crossref dates it {'/'.join(map(str, sorted(record.years)))}; the catalog says "
                         f"{entry.year}", value=fields["year"])
        if fields.get("month"):  # the month of the same date, or a stale one would stay
            change.changes["month"] = fields["month"]
        yield change
    elif fields.get("month") and not entry.month and fields.get("year") == entry.year:
        yield Finding(entry.key, entry.file, "month", f"Crossref gives the month {fields['month']}; the catalog "
                      "has none", source, changes={"month": fields["month"]})
    for name in COMPARED:
        theirs, ours = _plain_pages(str(fields.get(name, ""))), _plain_pages(getattr(entry, name))
        if theirs and ours and theirs != ours:
            yield _change(entry, name, ours, theirs, source, f"Crossref gives {name} {theirs}; the catalog has {ours}")
        elif theirs and not ours and (name != "issue" or entry.venue.kind == "journal"):
            yield Finding(entry.key, entry.file, name, f"Crossref gives {name} {theirs}; the catalog has none",
                          source, changes={name: theirs})


def _preprint_of(entry: Entry, record: fetch.CrossrefRecord, services: Services) -> Iterator[Finding]:
    """An entry citing a preprint server's DOI whose record names the published version."""
    if entry.venue.kind != "preprint":
        return
    for doi in record.relations.get("is-preprint-of", ()):
        yield from _version_of_record(entry, doi, services, "Crossref's record of the preprint names",
                                      _api(entry.doi))
        return


def _notices(entry: Entry, record: fetch.CrossrefRecord) -> Iterator[Finding]:
    known = {n.url.lower() for n in entry.notices}
    for notice in record.notices:
        kind = NOTICE_KINDS.get(notice["type"])
        if kind is None or not notice["doi"]:
            continue
        url = doi_url(notice["doi"])
        if url.lower() in known:
            continue
        known.add(url.lower())
        what = f"a notice of {notice['type'].replace('_', ' ')} ({url}), dated {notice['date'] or 'without date'}"
        if notice["source"]:
            what += f", recorded by {notice['source']}"
        label = NOTICE_LABELS[kind]
        yield Finding(entry.key, entry.file, kind, f"Crossref records {what}", _api(record.doi),
                      notice={"kind": kind, "date": notice["date"] or str(entry.year), "url": url,
                              "source": _api(record.doi)},
                      updates=({"field": "notice", "was": "", "now": f"{label}: {url}", "source": _api(record.doi)},))


def _version_of_record(entry: Entry, doi: str, services: Services, how: str, evidence: str) -> Iterator[Finding]:
    """The published version a preprint entry lacks, named by its authors (arXiv) or its publisher
    (Crossref relation). Titles often change on publication, so the link itself is the evidence; the
    record must still be a published work with the same first author."""
    record = services.crossref(doi)
    fields = record.fields
    if record.type not in PUBLISHED_TYPES or not _same_first_author(entry, fields):
        yield Finding(entry.key, entry.file, "possible-version-of-record",
                      f"{how} {doi}, a {record.type or 'record'} titled {fields.get('title', '')!r} "
                      f"whose first author is {_first_family(fields) or 'unknown'}", evidence)
        return
    yield _published(entry, record, f"{how} {doi}: {_citation(fields)}", evidence)


def _search(entry: Entry, services: Services) -> Iterator[Finding]:
    """Crossref's search for the published version of a preprint, or the DOI of a paper that has none."""
    first = entry.authors[0]
    hits = services.search(entry.title, first.family)
    for hit in hits:
        fields = hit.fields
        if hit.type not in PUBLISHED_TYPES or not fields.get("title"):
            continue
        exact = comparable_title(fields["title"]) == comparable_title(entry.title) and \
            _same_first_author(entry, fields) and fields.get("year", 0) >= entry.year
        similarity = _similar(fields["title"], entry.title)
        if exact and entry.venue.kind == "preprint":
            yield _published(entry, hit, f"Crossref's search finds the published version {hit.doi}: "
                             f"{_citation(fields)}")
            return
        if exact:
            yield Finding(entry.key, entry.file, "doi", f"Crossref's search finds this work with the DOI {hit.doi} "
                          f"({_citation(fields)})", _api(hit.doi), changes={"doi": hit.doi})
            return
        if similarity >= NEAR_MISS:
            yield Finding(entry.key, entry.file, "possible-version-of-record",
                          f"Crossref's search finds a near match {hit.doi} ({similarity:.0%} alike, first author "
                          f"{_first_family(fields) or 'unknown'}): {fields['title']!r}", _api(hit.doi))
            return


def _published(entry: Entry, record: fetch.CrossrefRecord, message: str, evidence: str = "") -> Finding:
    """The edit that makes a preprint entry cite its version of record (the arXiv id stays)."""
    fields = record.fields
    changes: dict[str, Any] = {"venue": fields["venue"], "doi": record.doi}
    for name in ("year", "month", "volume", "issue", "pages", "title", "authors"):
        if fields.get(name):
            changes[name] = fields[name]
    if fields.get("venue", {}).get("kind") != "journal":
        changes.pop("issue", None)
    if entry.links.get("paper", "") in (entry.arxiv_url, arxiv_pdf_url(entry.arxiv), entry.doi_url):
        changes["links.paper"] = doi_url(record.doi)
    source = _api(record.doi)
    was = f"{entry.venue.name} ({entry.venue.kind})" + (f", DOI {entry.doi}" if entry.doi else "")
    updates = [{"field": "venue", "was": was, "now": f"{_citation(fields)}, DOI {record.doi}", "source": source}]
    if "title" in changes and comparable_title(changes["title"]) != comparable_title(entry.title):
        updates.append({"field": "title", "was": entry.title, "now": changes["title"], "source": source})
    people = [Person.parse(p) for p in changes.get("authors", ())]
    if people and not same_people(entry.authors, people, entry.more_authors):
        updates.append({"field": "authors", "was": people_text(entry.authors), "now": people_text(people),
                        "source": source})
    return Finding(entry.key, entry.file, "version-of-record", message, source, changes=changes,
                   updates=tuple(updates), evidence=(evidence,) if evidence and evidence != source else ())


def _change(entry: Entry, field: str, was: str, now: str, source: str, message: str, value: Any = None) -> Finding:
    return Finding(entry.key, entry.file, field, message, source, changes={field: now if value is None else value},
                   updates=({"field": field, "was": was, "now": now, "source": source},))


def _api(doi: str) -> str:
    return fetch.crossref_url(doi)


def _citation(fields: dict[str, Any]) -> str:
    parts = [fields.get("venue", {}).get("name", "")]
    if fields.get("volume"):
        parts.append(f"{fields['volume']}" + (f"({fields['issue']})" if fields.get("issue") else ""))
    if fields.get("pages"):
        parts.append(str(fields["pages"]))
    return ", ".join(p for p in parts if p) + f" ({fields.get('year', 'n.d.')})"


def _plain_pages(value: str) -> str:
    return value.replace("--", "-").replace("\u2013", "-").strip()


# Comparing titles and people --------------------------------------------------------------------

_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def latex_to_text(title: str) -> str:
    """arXiv titles may carry TeX ('Med-R$^2$'); the text a reader sees, for comparing and writing."""
    if not re.search(r"[\\$]", title):
        return title
    text = _LATEX.latex_to_text(title)
    return " ".join(re.sub(r"\^\{?(\d)\}?", lambda m: "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(m.group(1))], text).split())


def comparable_title(title: str, latex: bool = False) -> str:
    """Letters and digits, case and accents folded: 'Med-R²' and 'Med-R$^2$' compare equal."""
    if latex:
        title = latex_to_text(title)
    return normalize_title(fold(title.replace("{", "").replace("}", "")))


def _family_key(person: Person) -> str:
    return re.sub(r"[^a-z]+", "", fold(person.literal or person.family))


def same_people(ours: tuple[Person, ...], theirs: list[Person], more_authors: bool = False) -> bool:
    """The same authors in the same order, by family name (given names are written too variously).

    A person whose names a service has the other way round (family as given) is the same person.
    """
    if not theirs:
        return True
    if more_authors:
        theirs = theirs[:len(ours)]
    return len(ours) == len(theirs) and all(
        _family_key(a) == _family_key(b) or _name_words(a) == _name_words(b) for a, b in zip(ours, theirs))


def _name_words(person: Person) -> frozenset[str]:
    return frozenset(re.sub(r"[^a-z]+", " ", fold(person.name)).split())


def person_from_display(name: str, known: tuple[Person, ...]) -> str | dict[str, str]:
    """An arXiv display name as 'Family, Given', keeping the catalog's split for a person it has."""
    for person in known:
        if not person.literal and fold(person.name) == fold(name):
            return f"{person.family}, {person.suffix}, {person.given}" if person.suffix else \
                (f"{person.family}, {person.given}" if person.given else person.family)
    return names.person_from_name(name)


def people_text(people: Iterable[Person]) -> str:
    return "; ".join(p.name for p in people)


def _first_family(fields: dict[str, Any]) -> str:
    authors = fields.get("authors") or []
    return Person.parse(authors[0]).family if authors else ""


def _same_first_author(entry: Entry, fields: dict[str, Any]) -> bool:
    authors = fields.get("authors") or []
    return bool(authors) and _family_key(Person.parse(authors[0])) == _family_key(entry.authors[0])


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, comparable_title(a), comparable_title(b)).ratio()
