"""The public data dump, /data/catalog.json: every work with its facts, under a stated licence."""
from __future__ import annotations

import dataclasses
import json

from .model import Catalog, Entry, Person

LICENSE = {"id": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


def write_dump(catalog: Catalog, site_url: str) -> str:
    document = {
        "title": "Small Language Models in Healthcare: survey catalog",
        "license": LICENSE,
        "source": site_url,
        "sections": [dataclasses.asdict(s) for s in catalog.sections],
        "facets": {f.id: {"label": f.label, "values": f.values} for f in catalog.facets},
        "entries": [_entry(e, site_url) for e in catalog.entries],
        "unverified": [dataclasses.asdict(u) for u in catalog.unverified],
    }
    return records_json(document, "entries")


def records_json(document: dict, records: str) -> str:
    """JSON with one record per line: it diffs line by line, and needs no `indent`, which would make
    the json module fall back from its C encoder to pure Python (about ten times slower)."""
    head = json.dumps({k: v for k, v in document.items() if k != records}, ensure_ascii=False, sort_keys=True)
    lines = ",\n".join(json.dumps(record, ensure_ascii=False, sort_keys=True) for record in document[records])
    return f'{head[:-1]}, "{records}": [\n{lines}\n]}}\n' if lines else f'{head[:-1]}, "{records}": []}}\n'


def _entry(entry: Entry, site_url: str) -> dict:
    record = {
        "key": entry.key, "title": entry.title, "authors": [_person(p) for p in entry.authors],
        "more_authors": entry.more_authors or None, "year": entry.year, "month": entry.month,
        "venue": {"name": entry.venue.name, "kind": entry.venue.kind, "short": entry.venue.short or None},
        "volume": entry.volume, "issue": entry.issue, "pages": entry.pages, "doi": entry.doi,
        "arxiv": entry.arxiv, "pmid": entry.pmid, "links": entry.links, "sections": list(entry.sections),
        "facets": {k: list(v) for k, v in entry.facets.items()}, "size_band": entry.size_band,
        "artifacts": [{k: v for k, v in dataclasses.asdict(a).items() if v not in ("", None)} for a in entry.artifacts],
        "summary": entry.summary, "added": entry.added, "sources": list(entry.sources),
        "corrections": [dataclasses.asdict(c) for c in entry.corrections],
        "notices": [{k: v for k, v in dataclasses.asdict(n).items() if v} for n in entry.notices],
        "updates": [dataclasses.asdict(u) for u in entry.updates],
        "page": f"{site_url.rstrip('/')}/entries/{entry.key}/",
    }
    return {k: v for k, v in record.items() if v not in ("", None, [], {})}


def _person(person: Person) -> dict:
    return {k: v for k, v in dataclasses.asdict(person).items() if v}
