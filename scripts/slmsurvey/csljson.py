"""Catalog entries as CSL-JSON (CSL 1.0.2), what Zotero, Pandoc and citeproc read."""
from __future__ import annotations

import json
from typing import Iterable

from .model import Entry, Person
from .textfilters import plain

_TYPES = {"journal": "article-journal", "conference": "paper-conference", "workshop": "paper-conference",
          "book-chapter": "chapter", "preprint": "article", "web": "webpage"}


def to_csl(entry: Entry) -> dict:
    item: dict = {
        "id": entry.key,
        "type": _type(entry),
        "title": plain(entry.title),
        "author": [person_to_csl(p) for p in entry.authors],
        "issued": {"date-parts": [[entry.year, entry.month] if entry.month else [entry.year]]},
        "URL": entry.main_url,
    }
    if entry.venue.kind == "preprint":
        item["publisher"] = entry.venue.name
        item["genre"] = "Preprint"
    elif entry.venue.kind != "web":
        item["container-title"] = entry.venue.name
    optional = {"volume": entry.volume, "issue": entry.issue, "page": entry.pages.replace("--", "-"),
                "DOI": entry.doi, "PMID": entry.pmid, "publisher": entry.venue.publisher,
                "collection-title": entry.venue.series, "publisher-place": entry.venue.address}
    item.update({name: value for name, value in optional.items() if value})
    if entry.venue.editors:
        item["editor"] = [person_to_csl(p) for p in entry.venue.editors]
    if entry.arxiv:
        item["number"] = f"arXiv:{entry.arxiv}"
    return item


def person_to_csl(person: Person) -> dict:
    if person.literal:
        return {"literal": person.literal}
    name = {"family": person.family}
    if person.given:
        name["given"] = person.given
    if person.suffix:
        name["suffix"] = person.suffix
    return name


def write_csl(entries: Iterable[Entry]) -> str:
    # One record per line, for the reason given in datadump.records_json.
    return "[\n" + ",\n".join(json.dumps(to_csl(e), ensure_ascii=False, sort_keys=True) for e in entries) + "\n]\n"


def _type(entry: Entry) -> str:
    if entry.venue.kind == "web" and entry.datasets and not entry.models:
        return "dataset"
    return _TYPES[entry.venue.kind]
