"""The public data dump, /data/catalog.json: every work with its facts, under a stated licence.

Derived from the model, not listed by hand: each record holds every field of `model.Entry` (and of
its venue, people, artifacts, corrections, notices and updates) that has a value, under the field's
own name, so a field added to the model reaches the dump by itself. Left out by design, and said so
in the dump: fields marked `PRIVATE` (where the file lies in the repository, and the title's
case-keeping runs, which are derived from the title for the citation formats).
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Iterable

from slmsurvey.catalog.model import PRIVATE, Catalog, Entry
from slmsurvey.urls import absolute, entry_page

LICENSE = {"id": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
ABOUT = ("Every work of the survey with every field its catalog entry holds, under the names of the entry format "
         "(CONTRIBUTING.md); empty fields are left out. Derived: size_band (the size band of the largest "
         "model), size_bands (every band a released model falls in) and page (the work's page on the site). "
         "Not included: the entry's file path and the title's "
         "case-keeping runs, which only the citation formats use.")


def write_dump(catalog: Catalog, site_url: str, lines: Iterable[str] | None = None) -> str:
    """The dump; `lines` are the entries' `record_line`s, if made already."""
    document = {
        "title": "Small Language Models in Healthcare: survey catalog",
        "about": ABOUT,
        "license": LICENSE,
        "source": site_url,
        "sections": [json_data(s) for s in catalog.sections],
        "facets": {f.id: {"label": f.label, "values": f.values} for f in catalog.facets},
        "unverified": [json_data(u) for u in catalog.unverified],
    }
    if lines is None:
        lines = [record_line(e, site_url) for e in catalog.entries]
    return records_json(document, "entries", lines)


def record_line(entry: Entry, site_url: str) -> str:
    return _line(_entry(entry, site_url))


def records_json(document: dict, records: str, lines: Iterable[str]) -> str:
    """JSON with one record per line, the records under the name `records`: it diffs line by line, and
    needs no `indent`, which would make the json module fall back from its C encoder to pure Python
    (about ten times slower)."""
    head = _line(document)
    joined = ",\n".join(lines)
    return f'{head[:-1]}, "{records}": [\n{joined}\n]}}\n' if joined else f'{head[:-1]}, "{records}": []}}\n'


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _entry(entry: Entry, site_url: str) -> dict:
    derived = {"size_band": entry.size_band, "size_bands": list(entry.size_bands),
               "page": absolute(entry_page(entry.key), site_url)}
    return {**json_data(entry), **{k: v for k, v in derived.items() if v}}


def json_data(value: Any) -> Any:
    """A model record as JSON data: every public field with a value, recursively."""
    if dataclasses.is_dataclass(value):
        fields = ((f.name, json_data(getattr(value, f.name))) for f in dataclasses.fields(value)
                  if not f.metadata.get(PRIVATE))
        return {name: item for name, item in fields if not _empty(item)}
    if isinstance(value, (tuple, list)):
        return [json_data(item) for item in value]
    if isinstance(value, dict):
        return {key: json_data(item) for key, item in value.items()}
    return value


def _empty(value: Any) -> bool:
    return value is None or value is False or value in ("", [], {})
