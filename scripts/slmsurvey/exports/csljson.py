"""Catalog entries as CSL-JSON (CSL 1.0.2), what Zotero, Mendeley, Pandoc and citeproc read.

Types and variables follow Zotero's own CSL mapping (zotero-schema `csl`), so that a record
imported into Zotero lands in the fields a user sees there: a preprint's repository is its
`publisher` ("Repository") and its arXiv id its `number` ("Archive ID"); a published work's arXiv
copy is an `archive` with an `archive_location` ("Archive", "Loc. in Archive"), never a `number`,
which journal styles print as an article number.
"""
from __future__ import annotations

import json
import re
from typing import Iterable

from slmsurvey.catalog.model import Entry, Person
from slmsurvey.exports.joining import Joining
from slmsurvey.text.casing import Segment, mark
from slmsurvey.text.textfilters import plain, typographic_dashes
from slmsurvey.text.textrules import one_space

TYPES = {"journal-article": "article-journal", "conference-paper": "paper-conference", "book-chapter": "chapter",
         "preprint": "article", "dataset": "dataset", "model": "software", "webpage": "webpage"}
# Where the venue's name goes: the container for articles and chapters, the publisher (Zotero's
# "Repository" or "Company") for preprints, datasets and model cards.
_VENUE_AS = {"journal-article": "container-title", "conference-paper": "container-title",
             "book-chapter": "container-title", "preprint": "publisher", "dataset": "publisher",
             "model": "publisher", "webpage": "container-title"}
NOCASE = ('<span class="nocase">', "</span>")
# citeproc-js (Zotero, Mendeley, the entry pages) reads HTML-like tags in every text variable: <i>, <b>,
# <sup>, <sub>, <sc>, <span ...>. Entities are not read (&lt; prints as "&lt;"), so a '<' that could open a
# tag is kept literal by an empty nocase span after it, which the processor drops.
_TAG_START = re.compile(r"<(?=[A-Za-z/])")
_UNTAG = '<<span class="nocase"></span>'


def to_csl(entry: Entry) -> dict:
    kind = entry.work_type
    item: dict = {
        "id": entry.key,
        "type": TYPES[kind],
        "title": csl_title(entry.title_runs),
        "author": [person_to_csl(p) for p in entry.authors],
        "issued": {"date-parts": [[entry.year, entry.month] if entry.month else [entry.year]]},
        "URL": entry.main_url,
        _VENUE_AS[kind]: csl_text(entry.venue.name),
    }
    if kind == "preprint":
        item["genre"] = "Preprint"
    optional = {"container-title-short": csl_text(entry.venue.short) if kind == "journal-article" else "",
                "volume": entry.volume, "issue": entry.cited_issue, "page": "-".join(filter(None, entry.page_range)),
                "DOI": entry.doi, "PMID": entry.pmid, "collection-title": csl_text(entry.venue.series),
                "publisher-place": csl_text(entry.venue.address)}
    item.update({name: value for name, value in optional.items() if value})
    if entry.venue.publisher and _VENUE_AS[kind] != "publisher":
        item["publisher"] = csl_text(entry.venue.publisher)
    if entry.venue.editors:
        item["editor"] = [person_to_csl(p) for p in entry.venue.editors]
    if entry.arxiv and kind == "preprint" and entry.venue.name.lower() == "arxiv":
        item["number"] = f"arXiv:{entry.arxiv}"
    elif entry.arxiv:
        item.update(archive="arXiv", archive_location=entry.arxiv)
    if entry.alert:  # CSL's `status` names a retraction; Zotero keeps `note` in Extra
        item.update(status=entry.alert.label.lower(), note=entry.alert_note)
    return item


def reference_record(item: dict) -> dict:
    """The record (from `to_csl`) that the entry page formats its references from. A manuscript
    cites the version of record, so the arXiv copy a reference manager keeps (`archive`) is left out."""
    return {name: value for name, value in item.items() if name not in ("archive", "archive_location")}


def csl_title(runs: tuple[Segment, ...]) -> str:
    """The title with the runs whose case must survive (`casing`) in citeproc's nocase markup."""
    return mark(runs, *NOCASE, escape=_literal)


def csl_text(value: str) -> str:
    """Catalog text as a CSL variable: what the page shows (`plain`), every tag-like '<' kept literal."""
    return _literal(plain(value))


def _literal(text: str) -> str:
    return _TAG_START.sub(_UNTAG, typographic_dashes(one_space(text)))


def person_to_csl(person: Person) -> dict:
    if person.literal:
        return {"literal": csl_text(person.literal)}
    name = {"family": csl_text(person.family)}
    if person.given:
        name["given"] = csl_text(person.given)
    if person.suffix:
        name["suffix"] = csl_text(person.suffix)
    return name


def write_csl(entries: Iterable[Entry]) -> str:
    return csl_json(map(to_csl, entries))


def csl_json(items: Iterable[dict]) -> str:
    return join_lines(map(csl_line, items))


def csl_line(item: dict) -> str:
    # One record per line, for the reason given in datadump.records_json.
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


join_lines = Joining(before="[\n", between=",\n", after="\n]\n")  # the CSL-JSON file of the records `csl_line` wrote
MEDIA_TYPE = "application/vnd.citationstyles.csl+json"
