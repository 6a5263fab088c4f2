"""`slmsurvey new <arxiv-id | doi>...`: start catalog/entries/<key>.yaml for a contributor.

It fills every field the arXiv API or Crossref gives (or a .bib record: `slmsurvey import-bib`, which
shares `create_entries`), writes commented placeholders ('# field: ...') for the rest, then runs the
validator and reports the new files' problems: the contributor's to-do list. Offline it still
writes the skeleton. It never overwrites a file and refuses a work whose DOI or arXiv id is already
in the catalog.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import pathlib
import re
import textwrap
from collections.abc import Iterable
from typing import Any

from slmsurvey import identifiers
from slmsurvey.catalog import keys
from slmsurvey.catalog.load import load_catalog, reads_as_text
from slmsurvey.catalog.validate import MISSING_FIELD, validate
from slmsurvey.contribute import fetch
from slmsurvey.locations import ENTRIES
from slmsurvey.problems import CatalogInvalid, Problem, SurveyError

WIDTH = 100
MODELINE = "# yaml-language-server: $schema=../schema/entry.schema.json"
LINK_PLACEHOLDERS = (("code", "https://github.com/...", "the official code, if released"),
                     ("model", "https://huggingface.co/...", "released weights, if any"),
                     ("dataset", "https://...", "released data, if any"),
                     ("project", "https://...", "a project page, if any"))


@dataclasses.dataclass
class Record:
    """Metadata for one new entry (catalog-shaped fields) and where it came from."""

    meta: dict[str, Any]
    origin: str  # for the file's header: "the arXiv API", "refs.bib line 3"
    label: str  # for messages: "arXiv:2401.02385", "refs.bib:3 @article{luo2022}"
    notes: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Outcome:
    written: list[str] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    refused: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)  # input that could not be read
    other_problems: int = 0


def start_entries(sources: Iterable[str], catalog_dir: pathlib.Path, today: datetime.date | None = None) -> Outcome:
    """Write the entries for arXiv ids and DOIs, then validate them; nothing is written when one of
    `sources` is not an identifier."""
    return create_entries([record_for(source) for source in sources], catalog_dir, today)


def record_for(source: str) -> Record:
    """Fetch the metadata of an arXiv id or DOI; a skeleton Record when the service is unreachable."""
    arxiv_id = identifiers.normalize_arxiv(source) or identifiers.arxiv_of_doi(identifiers.normalize_doi(source))
    if arxiv_id:
        return _from_arxiv(arxiv_id)
    doi = identifiers.normalize_doi(source)
    if doi:
        return _from_crossref(doi)
    if source.lower().endswith(".bib"):
        raise SurveyError(f"{source} is a BibTeX file: import it with `slmsurvey import-bib {source}`")
    raise SurveyError(f"{source!r} is not an arXiv id (2401.02385) or a DOI (10.1093/bib/bbac409)")


def _from_arxiv(arxiv_id: str) -> Record:
    label = f"arXiv:{arxiv_id}"
    try:
        meta = fetch.fetch_arxiv(arxiv_id)
    except fetch.Unreachable as exc:
        return _skeleton({"arxiv": arxiv_id, "venue": {"name": "arXiv", "kind": "preprint"},
                          "links": {"paper": identifiers.arxiv_url(arxiv_id)},
                          "sources": [identifiers.arxiv_url(arxiv_id)]}, label, exc)
    record = Record(meta, "the arXiv API (export.arxiv.org)", label, meta.pop("notes", []))
    published = meta.pop("published_doi", None)
    return _with_version_of_record(record, published) if published else record


def _with_version_of_record(record: Record, doi: str) -> Record:
    """The authors name a published version: cite it (Crossref), keeping the arXiv id."""
    try:
        published = fetch.fetch_crossref(doi)
    except fetch.FetchError as exc:
        record.notes.append(f"arXiv names the published version {doi}, but {exc}; cite that version by hand")
        return record
    arxiv = record.meta
    published.pop("notes", None)
    published.update({k: arxiv[k] for k in ("arxiv", "arxiv_class") if k in arxiv})
    published["sources"] = published["sources"] + arxiv["sources"]
    published["abstract"] = arxiv.get("abstract") or published.get("abstract", "")
    notes = [n for n in record.notes if not n.startswith("arXiv says")]
    return Record(published, "the arXiv API and Crossref (the published version)", record.label, notes)


def _from_crossref(doi: str) -> Record:
    try:
        if not identifiers.registered_with_crossref(doi):
            raise fetch.NotFound(f"{doi} is registered with DataCite (arXiv, Zenodo, PhysioNet), not Crossref")
        meta = fetch.fetch_crossref(doi)
    except fetch.FetchError as exc:
        return _skeleton({"doi": doi, "links": {"paper": identifiers.doi_url(doi)},
                          "sources": [identifiers.doi_url(doi)]}, f"doi:{doi}", exc)
    return Record(meta, "Crossref (api.crossref.org)", f"doi:{doi}", meta.pop("notes", []))


def _skeleton(meta: dict[str, Any], label: str, error: fetch.FetchError) -> Record:
    note = f"could not fetch the metadata ({error}); wrote a skeleton to fill in by hand"
    return Record(meta, "the identifier only (metadata could not be fetched)", label, [note])


# Writing and checking ----------------------------------------------------------------------------

def create_entries(records: Iterable[Record], catalog_dir: pathlib.Path,
                   today: datetime.date | None = None) -> Outcome:
    """Write one file per record not yet in the catalog, then report the new files' problems."""
    loaded = load_catalog(catalog_dir)
    taxonomy = loaded.taxonomy.data if loaded.taxonomy and isinstance(loaded.taxonomy.data, dict) else {}
    known = held_identifiers(document.data for document in loaded.entries)
    entries_dir = catalog_dir / ENTRIES
    taken = {path.stem for path in entries_dir.glob("*.yaml")}
    outcome = Outcome()
    for record in records:
        clash = _already_known(record.meta, known)
        if clash:
            outcome.refused.append(f"{record.label}: {clash}; not written")
            continue
        key = choose_key(record.meta, taken)
        taken.add(key)
        known.update(held_identifiers([{**record.meta, "_file": f"catalog/entries/{key}.yaml"}]))
        text = entry_yaml(record, key, taxonomy, today or datetime.date.today())
        entries_dir.mkdir(parents=True, exist_ok=True)
        with open(entries_dir / f"{key}.yaml", "x", encoding="utf-8") as stream:
            stream.write(text)
        outcome.written.append(f"catalog/entries/{key}.yaml")
        outcome.notes += [f"{record.label}: {note}" for note in record.notes]
    _check(catalog_dir, outcome)
    return outcome


def held_identifiers(entries: Iterable[Any]) -> dict[tuple[str, str], str]:
    """{('doi', '10.1093/bib/bbac409'): 'catalog/entries/luo-2022-biogpt.yaml', ('arxiv', ...): ...}."""
    found: dict[tuple[str, str], str] = {}
    for data in entries:
        if not isinstance(data, dict):
            continue
        file = data.get("_file") or f"catalog/entries/{data.get('key')}.yaml"
        for field in ("doi", "arxiv"):
            if isinstance(data.get(field), str) and data[field].strip():
                found.setdefault((field, data[field].strip().lower()), file)
    return found


def _already_known(meta: dict[str, Any], known: dict[tuple[str, str], str]) -> str:
    for field, label in (("doi", "the DOI"), ("arxiv", "the arXiv id")):
        value = meta.get(field)
        if value and (field, value.lower()) in known:
            return f"{label} {value} is already in {known[(field, value.lower())]}"
    return ""


def _check(catalog_dir: pathlib.Path, outcome: Outcome) -> None:
    try:
        validate(load_catalog(catalog_dir))
    except CatalogInvalid as exc:
        mine = set(outcome.written)
        outcome.problems = sorted((_at_placeholder(p, catalog_dir) for p in exc.problems if p.file in mine),
                                  key=lambda p: (p.file, p.line or 0, p.field))
        outcome.other_problems = len(exc.problems) - len(outcome.problems)


def _at_placeholder(problem: Problem, catalog_dir: pathlib.Path) -> Problem:
    """A missing field is reported at the line of its '# field:' placeholder, where it is filled in."""
    if problem.message != MISSING_FIELD or "." in problem.field:
        return problem
    path = catalog_dir / ENTRIES / problem.file.rsplit("/", 1)[-1]
    lines = path.read_text(encoding="utf-8").splitlines()
    found = next((n for n, line in enumerate(lines, 1) if line.startswith(f"# {problem.field}:")), None)
    return dataclasses.replace(problem, line=found) if found else problem


# The key: family-year-firstword (keys.py holds the rule) --------------------------------------

def choose_key(meta: dict[str, Any], taken: set[str]) -> str:
    """The first candidate key not taken; 'new-<identifier>' when authors, year or title are unknown."""
    if not (meta.get("authors") and meta.get("year") and meta.get("title")):
        ident = meta.get("arxiv") or meta.get("doi") or "entry"
        base = "new-" + re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")
        return next(k for k in [base] + [f"{base}-{n}" for n in range(2, 1000)] if k not in taken)
    return next(key for key in keys.candidates(meta) if key not in taken)


# The YAML text -------------------------------------------------------------------------------------

def entry_yaml(record: Record, key: str, taxonomy: dict[str, Any], today: datetime.date) -> str:
    """The new file: filled fields, then '# field:' placeholders for the rest."""
    meta = record.meta
    lines = [MODELINE, *_header(record, key, today)]
    lines += _key_lines(key, meta)
    lines += _filled_or_todo(meta, "title", '""', "the exact title of the version of record")
    lines += _author_lines(meta.get("authors"))
    lines += _optional(meta, "more_authors", None)
    lines += _filled_or_todo(meta, "year", "YYYY", "year of the version of record")
    lines += _optional(meta, "month", None)
    lines += _venue_lines(meta.get("venue"), record.notes)
    for field in ("volume", "issue", "pages"):
        lines += _optional(meta, field, None if meta.get("venue", {}).get("kind") != "journal" else '""')
    lines += _optional(meta, "doi", "10.xxxx/xxxxx  # the version of record's DOI, if it has one")
    lines += _optional(meta, "arxiv", '""  # the arXiv id (such as 2401.02385), if there is a preprint')
    lines += _optional(meta, "arxiv_class", None)
    lines += _optional(meta, "pmid", '""  # the PubMed id, if indexed')
    lines += _link_lines(meta.get("links", {}))
    lines += _vocabulary_lines(taxonomy)
    lines += _artifact_lines()
    lines += _result_lines()
    lines += ['# summary: ""  # TODO: one or two sentences, in your own words, on what the work contributes']
    lines += _abstract_lines(meta.get("abstract", ""))
    lines += [f"added: {_scalar(today.isoformat(), quote=True)}"]
    lines += ["sources:  # the pages you checked the fields against"]
    lines += [f"  - {_scalar(url)}" for url in meta.get("sources", [])] or ["#   - https://..."]
    return "\n".join(lines) + "\n"


def _header(record: Record, key: str, today: datetime.date) -> list[str]:
    text = (f"Started by `slmsurvey new` on {today.isoformat()} from {record.origin}. Check every filled "
            f"field against the work itself. A line '# field: ...' is a placeholder: remove its '# ', fill "
            f"it in (or delete it), then run `make validate` until it reports nothing.")
    return _comment(text)


def _key_lines(key: str, meta: dict[str, Any]) -> list[str]:
    if key.startswith("new-"):
        todo = "rename to family-year-firstword (and the file) once authors, year and title are in"
        return [f"key: {key}  # TODO: {todo}"]
    return [f"key: {key}"]


def _filled_or_todo(meta: dict[str, Any], field: str, example: str, what: str) -> list[str]:
    if meta.get(field):
        return [f"{field}: {_scalar(meta[field])}"]
    return [f"# {field}: {example}  # TODO: {what}"]


def _optional(meta: dict[str, Any], field: str, placeholder: str | None) -> list[str]:
    if meta.get(field):
        return [f"{field}: {_scalar(meta[field], quote=field in ('volume', 'issue', 'arxiv', 'pmid'))}"]
    return [f"# {field}: {placeholder}"] if placeholder else []


def _author_lines(authors: list[Any] | None) -> list[str]:
    if not authors:
        return ["# authors:  # TODO: every author, in order, as 'Family, Given'", "#   - Family, Given"]
    lines = ["authors:"]
    for person in authors:
        if isinstance(person, dict):
            lines.append(f"  - {{literal: {_scalar(person['literal'])}}}")
        else:
            lines.append(f"  - {_scalar(person)}")
    return lines


def _venue_lines(venue: dict[str, Any] | None, notes: list[str]) -> list[str]:
    if not venue:
        return ["# venue:  # TODO: where the work appeared",
                "#   name: Journal or conference name, in full",
                "#   kind: journal  # journal | conference | workshop | preprint | book-chapter | web"]
    lines = ["venue:"] + [f"  {name}: {_scalar(value)}" for name, value in venue.items()
                          if name != "editors" and value]
    if venue.get("editors"):
        lines += ["  editors:"] + [f"    - {_scalar(person)}" for person in venue["editors"]]
    if venue.get("kind") == "preprint":
        lines += _comment("If the work was published in a journal or at a conference, cite that version: "
                          "its venue, year, volume, pages and doi (keep the arxiv id).", indent="  ")
    for note in notes:
        if note.startswith("arXiv says"):
            lines += _comment(note + ".", indent="  ")
    return lines


def _link_lines(links: dict[str, str]) -> list[str]:
    lines = ["links:"] + [f"  {kind}: {_scalar(url)}" for kind, url in links.items()]
    if not links:
        lines = ["links:", "  # paper: https://...  # TODO: the paper's page"]
    return lines + [f"  # {kind}: {example}  # {what}" for kind, example, what in LINK_PLACEHOLDERS
                    if kind not in links]


def _vocabulary_lines(taxonomy: dict[str, Any]) -> list[str]:
    sections = [s.get("id", "") for s in taxonomy.get("sections", []) if isinstance(s, dict)]
    # The lists of allowed values are comments within the comment ("#   # a, b"), so that an editor's
    # "toggle comment" over the block leaves valid YAML: fields, and the lists as comments.
    lines = ["# sections: []  # TODO: the survey's sections for this work, from catalog/taxonomy.yaml:"]
    lines += _comment(", ".join(sections), indent="  # ")
    lines += ["# facets:  # TODO: one to four values for each facet, from catalog/taxonomy.yaml"]
    for facet, spec in (taxonomy.get("facets") or {}).items():
        lines += [f"#   {facet}: []"] + _comment(", ".join(spec.get("values", {})), indent="    # ")
    return lines


def _artifact_lines() -> list[str]:
    return ["# artifacts:  # models and datasets the work releases; leave out for a paper without any",
            '#   - name: ""  # the model\'s or dataset\'s name',
            "#     kind: model  # model | dataset",
            "#     parameters: 0  # a model's parameter count as the authors state it, e.g. 1100000000",
            '#     base_model: ""  # what a model starts from, e.g. Llama 2 7B',
            '#     license: ""  # an SPDX id where one exists: MIT, Apache-2.0, CC-BY-4.0',
            "#     access: open  # open | registration | credentialed",
            '#     url: ""  # where to get it',
            "#     id: name-7b  # a stable id, if results name the model (lowercase, digits, '-', '.')"]


def _result_lines() -> list[str]:
    return ["# results:  # benchmark numbers the work prints (CONTRIBUTING.md: Adding a reported result)",
            "#   - model: name-7b  # the id of the model's artifact, in this entry or another",
            "#     benchmark: medqa-usmle-4  # a variant of catalog/benchmarks.yaml",
            '#     value: "50.6"  # as printed, without %',
            "#     setting: not-stated  # as the source states it: zero-shot, few-shot (with shots: N), ...",
            f"#     source: {identifiers.arxiv_url('2401.02385', 2)}  # one version: arXiv vN, a file at a commit",
            '#     locator: "Table 2"  # where in that version']


def _abstract_lines(abstract: str) -> list[str]:
    if not abstract:
        return []
    return _comment("The authors' abstract, for reference only (the summary is in your own words):") + \
        _comment(abstract, indent="  ")


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"# {indent}{line}".rstrip() for line in textwrap.wrap(text, WIDTH - 2 - len(indent),
                                                                   break_on_hyphens=False)]


def _scalar(value: Any, quote: bool = False) -> str:
    """A YAML scalar: plain where that reads back as the same string, else double-quoted (JSON)."""
    if isinstance(value, bool) or not isinstance(value, str):
        return json.dumps(value)
    plain = (not quote and (value[:1].isalnum() or value[:1] == "(") and ": " not in value
             and " #" not in value and value == value.strip() and "\n" not in value
             and not value.endswith(":"))
    if plain and reads_as_text(value):
        return value
    return json.dumps(value, ensure_ascii=False)
