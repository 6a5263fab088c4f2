"""Check loaded catalog files and turn them into a Catalog, or report every problem at once.

Two phases, as in Pelican: JSON Schema on each file, then the checks a schema cannot express
(key = file name, taxonomy membership, unique identifiers across files, safe links, the text rules
of `textrules` in every text field of every file, and the characters BibTeX can carry).

The schema's patterns are ECMAScript regular expressions, as JSON Schema defines them and editors
read them: `$` is the end of the text. Python's `re` would let `$` match before a final line break
(a DOI followed by a newline), so both checkers here read `$` as the true end, and a whole number
written as 11.0 is not an integer here (JSON Schema allows it; a year of 2019.0 would break pages).
"""
from __future__ import annotations

import datetime
import difflib
import functools
import json
import operator
import pathlib
import re
import urllib.parse
from typing import Any, Callable, Iterable, Iterator

import fastjsonschema
import jsonschema

from slmsurvey.catalog import keys
from slmsurvey.catalog.load import Document, LoadedCatalog, text_fields
from slmsurvey.catalog.model import (
    RESERVED_FACET_IDS,
    TABLES,
    Benchmark,
    Catalog,
    Entry,
    Facet,
    Section,
    Setting,
    Unverified,
    derived_facets,
)
from slmsurvey.catalog.schemarules import MESSAGE, refuse_unchecked
from slmsurvey.identifiers import PINNED_SOURCE_HINT, normalize_arxiv, normalize_doi, pinned_source
from slmsurvey.locations import (
    BENCHMARKS_SCHEMA,
    DISCOVER_SCHEMA,
    ENTRIES,
    ENTRY_SCHEMA,
    SCHEMA,
    TAXONOMY_SCHEMA,
    TRIAGE_SCHEMA,
    UNVERIFIED_SCHEMA,
)
from slmsurvey.memory import Kept, itself
from slmsurvey.problems import CatalogInvalid, Problem
from slmsurvey.text import names
from slmsurvey.text.latex import LATEX_FIELDS, has_balanced_braces, name_part_problem, unsettable
from slmsurvey.text.textrules import is_blank, normalize_title, refused_character
from slmsurvey.urls import unusable_name

KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
TRACKING_PARAMETERS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|guestaccesskey|mc_eid|mc_cid)\Z", re.I)
# A date written today in the last time zone (UTC+14) is tomorrow in UTC.
_LATEST_DAY = datetime.timedelta(days=1)

MISSING_FIELD = "this required field is missing"  # `newentry` moves it to the field's placeholder line
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "array": "a list", "object": "a mapping",
               "number": "a number", "boolean": "true or false"}


def validate(loaded: LoadedCatalog, today: datetime.date | None = None, kept: Kept | None = None) -> Catalog:
    """Return the Catalog, or raise CatalogInvalid listing every problem found.

    `kept` (for `mkdocs serve`: memory.Memory.checked) remembers each entry's verdict and Entry: an
    entry whose Document is the one checked last time (the loader keeps it while the file is unchanged)
    is not checked again while the schemas, taxonomy, protected words and date are unchanged.
    """
    problems = list(loaded.problems)
    schemas = loaded.schemas
    taxonomy = _check_taxonomy(loaded.taxonomy, schemas, problems)
    today = today or datetime.date.today()

    def check(document: Document) -> tuple[list[Problem], Entry | None]:
        found = list(_check_entry(document, schemas, taxonomy, today))
        if found or ENTRY_SCHEMA not in schemas:
            return found, None
        return found, Entry.from_data(document.data, document.file, loaded.protected_words)

    if ENTRY_SCHEMA in schemas:
        _fast_check(schemas[ENTRY_SCHEMA])  # compiled once here, not in every forked worker
    entries = []
    kept = Kept(same=operator.is_) if kept is None else kept
    kept.depends_on((schemas, taxonomy, today, loaded.protected_words))  # the verdicts depend on them
    for found, entry in kept.each(loaded.entries, key=operator.attrgetter("file"), given=itself, make=check):
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    problems.extend(_check_unique(loaded.entries))
    unverified = _check_unverified(loaded.unverified, schemas, taxonomy, problems)
    problems.extend(_check_triage(loaded.triage, schemas, loaded.entries, today))
    problems.extend(_check_discover(loaded.discover, schemas, today))
    registry = _check_registry(loaded.benchmarks, schemas, _keys(loaded), problems)
    problems.extend(_check_results(loaded.entries, entries, registry, every_file_read=not loaded.problems))
    if problems or taxonomy is None or registry is None:
        raise CatalogInvalid(problems)
    settings, benchmarks = registry
    return Catalog(
        sections=tuple(Section(**s) for s in taxonomy["sections"]),
        facets=tuple(Facet(id=name, label=f["label"], values=dict(f["values"]), columns=tuple(f.get("columns", ())))
                     for name, f in taxonomy["facets"].items()),
        entries=tuple(sorted(entries, key=lambda e: e.key)),
        unverified=unverified,
        derived=derived_facets(entries),
        benchmarks=benchmarks,
        settings=settings,
    )


Registry = tuple[tuple[Setting, ...], tuple[Benchmark, ...]]


def _keys(loaded: LoadedCatalog) -> set[str]:
    """The key of every entry file, valid or not: a work with a problem of its own is still the work,
    and a file that could not be read at all (a YAML syntax error) is taken at its name."""
    files = (pathlib.PurePosixPath(problem.file) for problem in loaded.problems)
    unread = {file.stem for file in files if file.parent.name == ENTRIES and file.suffix == ".yaml"}
    return unread | {document.data["key"] for document in loaded.entries
                     if isinstance(document.data, dict) and isinstance(document.data.get("key"), str)}


def _check_registry(document: Document | None, schemas: dict[str, str], keys: set[str],
                    problems: list[Problem]) -> Registry | None:
    """catalog/benchmarks.yaml: its schema, unique ids, text rules, links, and the works it names; None
    if it has a problem (results are not checked against a registry that is itself wrong)."""
    if document is None:
        return (), ()
    found = _file_problems(document, schemas.get(BENCHMARKS_SCHEMA))
    if BENCHMARKS_SCHEMA in schemas:
        found += _check_links(document, link_fields(schemas[BENCHMARKS_SCHEMA]))
    if not found:
        ids = [b["id"] for b in document.data["benchmarks"]]
        found += [_problem(document, ("benchmarks", i, "id"), f"the benchmark id {b!r} is used twice")
                  for i, b in enumerate(ids) if b in ids[:i]]
        found += [_problem(document, ("benchmarks", i, "introduced_by"), _unknown("work", b["introduced_by"], keys))
                  for i, b in enumerate(document.data["benchmarks"])
                  if "introduced_by" in b and b["introduced_by"] not in keys]
        found += [_problem(document, ("benchmarks", i, "range"), "the lowest value must be below the highest")
                  for i, b in enumerate(document.data["benchmarks"]) if "range" in b and b["range"][0] >= b["range"][1]]
    problems.extend(found)
    if found:
        return None
    data = document.data
    settings = tuple(Setting(id=key, **spec) for key, spec in data["settings"].items())
    benchmarks = tuple(Benchmark(**{**b, "sources": tuple(b["sources"]), "range": tuple(b.get("range", (0, 100)))})
                       for b in data["benchmarks"])
    return settings, benchmarks


def _check_results(documents: tuple[Document, ...], entries: list[Entry], registry: Registry | None,
                   every_file_read: bool = True) -> Iterator[Problem]:
    """What one entry cannot know alone: artifact ids unique across the catalog, and each result's
    model, benchmark and setting known, its value in the metric's range, its source one version.
    Artifact ids are read from every file, valid or not, so that one broken entry does not make every
    result that names its models a problem too; while a file could not be read at all, a model id may
    be in it, and is not called unknown."""
    kinds: dict[str, str] = {}
    owners: dict[str, tuple[Document, int]] = {}
    for document in documents:
        for index, artifact in _artifacts(document):
            ident = artifact["id"]
            first = owners.setdefault(ident, (document, index))
            if first != (document, index):
                yield _problem(document, ("artifacts", index, "id"),
                               f"the artifact id {ident!r} is already used in {first[0].file}")
            kinds.setdefault(ident, artifact.get("kind", ""))
    if registry is None:
        return
    settings = {s.id: s for s in registry[0]}
    benchmarks = {b.id: b for b in registry[1]}
    models = sorted(i for i, kind in kinds.items() if kind == "model")
    by_file = {e.file: e for e in entries}
    for document in documents:
        entry = by_file.get(document.file)
        seen = set()
        for index, result in enumerate(entry.results if entry else ()):
            yield from _check_result(document, ("results", index), result, models if every_file_read else None,
                                     kinds, benchmarks, settings)
            same = (result.model, result.benchmark, result.setting, result.shots, result.source, result.locator)
            if same in seen:
                yield _problem(document, ("results", index), "the same number is recorded twice (model, benchmark, "
                                                             "setting, source and locator)")
            seen.add(same)


def _artifacts(document: Document) -> Iterator[tuple[int, dict]]:
    """(index, artifact) for each artifact of an entry file that has an id, however broken the rest is."""
    data = document.data if isinstance(document.data, dict) else {}
    listed = data.get("artifacts") if isinstance(data.get("artifacts"), list) else []
    return ((index, a) for index, a in enumerate(listed) if isinstance(a, dict) and isinstance(a.get("id"), str))


def _check_result(document: Document, path: tuple, result, models: list[str] | None, kinds: dict[str, str],
                  benchmarks: dict[str, Benchmark], settings: dict[str, Setting]) -> Iterator[Problem]:
    """`models` is None while a file could not be read: an id not seen may be in it."""
    if result.model not in kinds:
        if models is not None:
            yield _problem(document, path + ("model",), _unknown("model id", result.model, models))
    elif kinds[result.model] != "model":
        yield _problem(document, path + ("model",), f"{result.model!r} is a dataset, not a model")
    benchmark = benchmarks.get(result.benchmark)
    if benchmark is None:
        yield _problem(document, path + ("benchmark",), _unknown("benchmark", result.benchmark, list(benchmarks)))
    elif not benchmark.range[0] <= result.number <= benchmark.range[1]:
        low, high = (f"{bound:g}" for bound in benchmark.range)
        yield _problem(document, path + ("value",), f"{result.value} is outside {benchmark.metric}'s range, "
                                                    f"{low} to {high}{benchmark.unit} ({benchmark.name})")
    setting = settings.get(result.setting)
    if setting is None:
        yield _problem(document, path + ("setting",), _unknown("setting", result.setting, list(settings)))
    elif setting.shots and result.shots is None:
        yield _problem(document, path + ("shots",), f"a {setting.label.lower()} result says how many examples "
                                                    "the prompt held (shots: 5)", line_path=path)
    elif not setting.shots and result.shots is not None:
        yield _problem(document, path + ("shots",), f"shots belong to a few-shot setting, not {result.setting!r}")
    if not pinned_source(result.source):
        yield _problem(document, path + ("source",), f"the source must {PINNED_SOURCE_HINT}; "
                                                     f"received {_shown(result.source)}")


def _check_unverified(document: Document | None, schemas: dict[str, str], taxonomy: dict[str, Any] | None,
                      problems: list[Problem]) -> tuple[Unverified, ...]:
    if document is None:
        return ()
    found = _file_problems(document, schemas.get(UNVERIFIED_SCHEMA))
    if UNVERIFIED_SCHEMA in schemas:
        found += _check_links(document, link_fields(schemas[UNVERIFIED_SCHEMA]))
    if not found and taxonomy is not None:
        sections = [s["id"] for s in taxonomy["sections"]]
        found += [_problem(document, (i, "sections", j), _unknown("section", s, sections))
                  for i, item in enumerate(document.data) for j, s in enumerate(item["sections"]) if s not in sections]
    problems.extend(found)
    if found:
        return ()
    return tuple(Unverified(item["title"], tuple(item["sections"]), item["url"], " ".join(item["note"].split()))
                 for item in document.data)


_IDENTIFIER_LABELS = {"arxiv": "the arXiv id", "doi": "the DOI"}


def _check_triage(document: Document | None, schemas: dict[str, str], entries: tuple[Document, ...],
                  today: datetime.date) -> list[Problem]:
    """catalog/triage.yaml: its schema and text rules, then what one item cannot know alone: a work decided
    twice, a decision dated in the future, and a rejected work that an entry holds after all (which
    `discover` would then count as catalogued, so the rejection would no longer mean anything)."""
    if document is None:
        return []
    found = _file_problems(document, schemas.get(TRIAGE_SCHEMA))
    if found:
        return found
    latest = (today + _LATEST_DAY).isoformat()
    held = {(field, data[field].lower()): d.file for d in entries if isinstance(data := d.data, dict)
            for field in _IDENTIFIER_LABELS if isinstance(data.get(field), str)}
    first: dict[tuple[str, str], int] = {}
    for index, item in enumerate(document.data):
        if item["date"] > latest:
            found.append(_problem(document, (index, "date"), f"{item['date']} is in the future"))
        names = [(field, item[field].lower()) for field in _IDENTIFIER_LABELS if field in item]
        for name in names + [("title", normalize_title(item["title"]))]:
            if name in first:
                found.append(_problem(document, (index, name[0]), "this work is already decided at line "
                                      f"{document.line_of((first[name],))}: keep one decision per work"))
                break
        for name in names:
            first.setdefault(name, index)
        first.setdefault(("title", normalize_title(item["title"])), index)
        for field, value in names:
            if item["decision"] == "rejected" and (field, value) in held:
                found.append(_problem(document, (index, "decision"),
                                      f"rejected, yet {held[field, value]} holds {_IDENTIFIER_LABELS[field]} "
                                      f"{item[field]}: change the decision to kept, or remove that entry"))
    return found


def _check_discover(document: Document | None, schemas: dict[str, str], today: datetime.date) -> list[Problem]:
    """catalog/discover.yaml: its schema, text rules, a `since` that has come, and query ids each used once
    per service (they name the recorded answers)."""
    if document is None:
        return []
    found = _file_problems(document, schemas.get(DISCOVER_SCHEMA))
    if found:
        return found
    if document.data["since"] > (today + _LATEST_DAY).isoformat():
        found.append(_problem(document, ("since",), f"{document.data['since']} is in the future"))
    for service in ("arxiv", "europepmc"):
        ids = [query["id"] for query in document.data.get(service, {}).get("queries", ())]
        found += [_problem(document, (service, "queries", index, "id"), f"the query id {ident!r} is used twice")
                  for index, ident in enumerate(ids) if ident in ids[:index]]
    return found


@functools.lru_cache(maxsize=256)
def _true_end(pattern: str) -> str:
    """An ECMAScript pattern for Python's `re`: an unescaped `$` is the end of the text (as
    fastjsonschema reads it too)."""
    return re.sub(r"(?<!\\)\$", r"\\Z", pattern)


def _pattern(validator, pattern: str, instance: Any, schema: dict) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "string") and not re.search(_true_end(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Strict = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, validators={"pattern": _pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)))


# Keyed by the schema's text, so that `mkdocs serve` sees an edited schema at once and compiles each only once.
@functools.lru_cache(maxsize=16)
def _validator(text: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(text)
    return _Strict(schema, format_checker=jsonschema.FormatChecker())


@functools.lru_cache(maxsize=16)
def _fast_check(text: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code by fastjsonschema: some 50 times quicker to say "valid".

    It only answers yes or no. A document it rejects goes to jsonschema, which decides and names
    every error with its path; the tests hold the two to the same verdict on every catalog file.
    A schema with a keyword it would not check is refused (`schemarules.SchemaUnchecked`); `load`
    reports such a schema as a problem of its file before it gets here.
    """
    schema = json.loads(text)
    refuse_unchecked(schema)  # only keywords that mean the same in draft-07 and that fastjsonschema reads
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema, formats={"date": _is_date, "uri": _is_anything})


def _is_date(value: str) -> bool:
    """As jsonschema's FormatChecker: a real calendar date, not just four-two-two digits."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_anything(value: str) -> bool:
    # jsonschema checks "uri" only when rfc3987 is installed; the `pattern` beside it is the real rule.
    return True


def _check_taxonomy(document: Document | None, schemas: dict[str, str],
                    problems: list[Problem]) -> dict[str, Any] | None:
    if document is None or TAXONOMY_SCHEMA not in schemas:
        return None
    found = list(_schema_problems(document, schemas.get(TAXONOMY_SCHEMA)))
    ids = [s.get("id") for s in document.data.get("sections", []) if isinstance(s, dict)] \
        if isinstance(document.data, dict) and isinstance(document.data.get("sections"), list) else []
    for index, section_id in enumerate(ids):
        if section_id in ids[:index]:
            found.append(Problem(document.file, document.line_of(("sections", index)), f"sections.{index}.id",
                                 f"the section id {section_id!r} is used twice"))
    found += _check_text(document)
    if not found:
        found += _reserved_in_taxonomy(document)
        found += _check_columns(document)
        if ENTRY_SCHEMA in schemas:
            found += _facets_agree(document, schemas[ENTRY_SCHEMA])
    problems.extend(found)
    return None if found else document.data


def _check_columns(document: Document) -> list[Problem]:
    return [_problem(document, ("facets", facet, "columns", index), _unknown("table", table, list(TABLES)))
            for facet, spec in document.data["facets"].items()
            for index, table in enumerate(spec.get("columns", ())) if table not in TABLES]


def _facets_agree(document: Document, entry_schema: str) -> list[Problem]:
    """The entry schema's `facets` names exactly the taxonomy's facets: entries are checked by the one
    and pages are made from the other, so a facet in only one of them would pass `validate` and break
    the build (or the reverse)."""
    schema_facets = json.loads(entry_schema).get("properties", {}).get("facets", {}).get("properties", {})
    taxonomy_facets = document.data["facets"]
    found = [_problem(document, ("facets", facet),
                      f"the entry schema ({SCHEMA}/{ENTRY_SCHEMA}) has no facet {facet!r}: add it under "
                      "properties.facets.properties, and to `required` there if every work must have one")
             for facet in taxonomy_facets if facet not in schema_facets]
    found += [_problem(document, ("facets",),
                       f"the entry schema ({SCHEMA}/{ENTRY_SCHEMA}) has a facet {facet!r} that the taxonomy "
                       "does not define: define it here or remove it from the schema")
              for facet in schema_facets if facet not in taxonomy_facets]
    return found


def _reserved_in_taxonomy(document: Document) -> list[Problem]:
    found = [_problem(document, ("sections", index, "id"), _reserved("section id", section["id"]))
             for index, section in enumerate(document.data["sections"]) if unusable_name(section["id"])]
    found += [_problem(document, ("facets", facet, "values", value), _reserved(f"{facet} value", value))
              for facet, spec in document.data["facets"].items() for value in spec["values"]
              if unusable_name(value)]
    found += [_problem(document, ("facets", facet),
                       f"{facet!r} cannot be a facet id: the site already uses it for a filter of its own "
                       f"({', '.join(RESERVED_FACET_IDS)})")
              for facet in document.data["facets"] if facet in RESERVED_FACET_IDS]
    return found


def _reserved(what: str, name: str) -> str:
    return f"{name!r} cannot be a {what}: {unusable_name(name)}"


def _check_fields(document: Document, schemas: dict[str, str], taxonomy: dict[str, Any] | None,
                  today: datetime.date) -> Iterator[Problem]:
    schema_problems = list(_schema_problems(document, schemas.get(ENTRY_SCHEMA)))
    yield from schema_problems
    data = document.data
    if not isinstance(data, dict):
        return
    yield from _check_key(document)
    if ENTRY_SCHEMA in schemas:
        yield from _check_links(document, link_fields(schemas[ENTRY_SCHEMA]))
        yield from _check_paper_link(document)
    yield from _check_text(document, LATEX_FIELDS)
    if taxonomy is not None:
        yield from _check_vocabulary(document, taxonomy)
    year = data.get("year")
    if isinstance(year, int) and not schema_problems and year > today.year + 1:
        yield _problem(document, ("year",), f"{year} is in the future")
    if not schema_problems:
        yield from _check_people(document)
        yield from _check_dates(document, today)


def _check_entry(document: Document, schemas: dict[str, str], taxonomy: dict[str, Any] | None,
                 today: datetime.date) -> Iterator[Problem]:
    """Every problem of one entry file; the key rule only once the file has no other, since a key is
    made of fields (a misspelled family name, a year in the future) that have problems of their own."""
    found = list(_check_fields(document, schemas, taxonomy, today))
    yield from found or _check_key_rule(document)


def _check_key_rule(document: Document) -> Iterator[Problem]:
    """The key follows family-year-word (keys.py); judged once the fields it is made of are valid."""
    rule = keys.expected(document.data) if isinstance(document.data, dict) else None
    if rule is not None:
        yield _problem(document, ("key",),
                       f"{document.data['key']!r} does not follow the key rule family-year-word (the first "
                       f"author's family name, the year, a word of the title): {rule!r}, in the file {rule}.yaml")


def _check_people(document: Document) -> Iterator[Problem]:
    """'others' or 'et al.' is not a person: the list is incomplete, which `more_authors` says."""
    for index, person in enumerate(document.data.get("authors") or ()):
        name = person.get("literal") if isinstance(person, dict) else person.split(",")[0]
        if isinstance(name, str) and name.strip(" .").lower() in ("others", "et al"):
            yield _problem(document, ("authors", index),
                           f"{name!r} is not an author: end the list with the authors you know and add "
                           "`more_authors: true`")


def _check_dates(document: Document, today: datetime.date) -> Iterator[Problem]:
    """The date a work was added, changed or given a notice has come: a later one would pin it to the
    top of /news/ and the feed until that day."""
    latest = (today + _LATEST_DAY).isoformat()
    dated = [(("added",), document.data["added"])]
    dated += [((field, index, "date"), item["date"]) for field in ("updates", "notices")
              for index, item in enumerate(document.data.get(field, ()))]
    for path, value in dated:
        if value > latest[:len(value)]:
            yield _problem(document, path, f"{value} is in the future")


def _check_key(document: Document) -> Iterator[Problem]:
    stem = document.file.rsplit("/", 1)[-1].removesuffix(".yaml")
    key = document.data.get("key")
    if not KEY_PATTERN.match(stem):
        yield Problem(document.file, None, "",
                      "the file name must be the key: lowercase letters, digits and '-', then .yaml")
    elif isinstance(key, str) and KEY_PATTERN.match(key) and key != stem:
        yield _problem(document, ("key",), f"the key {key!r} must equal the file name {stem!r}")
    elif isinstance(key, str) and unusable_name(key):
        yield _problem(document, ("key",), _reserved("key", key))


@functools.lru_cache(maxsize=16)
def link_fields(schema_text: str) -> frozenset[tuple]:
    """The field paths the entry schema declares as links (`$defs/url`), list items as '*':
    {('links', 'paper'), ('sources', '*'), ('artifacts', '*', 'url'), ...}."""
    schema = json.loads(schema_text)
    found: set[tuple] = set()

    def walk(node: dict, path: tuple) -> None:
        reference = node.get("$ref", "")
        if reference == "#/$defs/url":
            found.add(path)
        elif reference.startswith("#/$defs/"):
            walk(schema["$defs"][reference.removeprefix("#/$defs/")], path)
        for name, child in node.get("properties", {}).items():
            walk(child, path + (name,))
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + ("*",))

    walk(schema, ())
    return frozenset(found)


def is_link(path: tuple, fields: frozenset[tuple]) -> bool:
    """Whether the value at `path` of an entry is a link field (`link_fields`)."""
    return tuple("*" if isinstance(step, int) else step for step in path) in fields


def _check_links(document: Document, link_fields: frozenset[tuple]) -> Iterator[Problem]:
    for path, value in text_fields(document.data):
        if not is_link(path, link_fields):
            continue
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https"):
            continue  # the schema reports it
        if parts.username or parts.password:
            yield _problem(document, path, "a link must not carry a user name or password")
        for name, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
            if TRACKING_PARAMETERS.match(name):
                yield _problem(document, path, f"remove the tracking parameter {name!r} from the link")


def _check_paper_link(document: Document) -> Iterator[Problem]:
    """The paper link leads to this work: an arXiv or doi.org link names the work's own arXiv id or DOI
    (a reader who follows a wrong one lands on another paper, the lists' most common complaint)."""
    url, data = (document.data.get("links") or {}).get("paper"), document.data
    if not isinstance(url, str):
        return
    for field, linked, own in (("arxiv", normalize_arxiv(url), data.get("arxiv")),
                               ("doi", normalize_doi(url), data.get("doi"))):
        if linked and isinstance(own, str) and linked.lower() != own.lower():
            yield _problem(document, ("links", "paper"), f"the link leads to {field} {linked}, but this work's "
                                                         f"{field} is {own}: link this work's own paper")


def _check_text(document: Document, latex_fields: tuple[str, ...] = ()) -> Iterator[Problem]:
    """The text rules (`textrules`) on every text field of a catalog file; on the fields that reach
    BibTeX (an entry's `latex.LATEX_FIELDS`), also what BibTeX needs: paired braces and letters
    that pdflatex sets."""
    for path, value in text_fields(document.data):
        refused = refused_character(value)
        if refused:
            yield _problem(document, path, refused)
        elif is_blank(value):
            yield _problem(document, path, "is blank: write the text, or leave the field out")
        elif path[0] in latex_fields:
            if not has_balanced_braces(value):
                yield _problem(document, path, "has unbalanced braces { } (braces keep capitals and must pair; "
                                               "a backslash does not escape one)")
            elif unsettable(value):
                yield _problem(document, path, unsettable(value))
            elif _is_person(path):
                problem = next(filter(None, map(name_part_problem, value.split(", "))), None)
                if problem:
                    yield _problem(document, path, problem)


def _is_person(path: tuple) -> bool:
    """('authors', 3) or ('venue', 'editors', 0): a person written 'Family, Given' (not {literal: ...})."""
    return len(path) == 2 and path[0] == "authors" or path[:2] == ("venue", "editors") and len(path) == 3


def _check_vocabulary(document: Document, taxonomy: dict[str, Any]) -> Iterator[Problem]:
    data = document.data
    sections = [s["id"] for s in taxonomy["sections"]]
    listed = data.get("sections")
    for index, section in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(section, str) and section not in sections:
            yield _problem(document, ("sections", index), _unknown("section", section, sections))
    facets = data.get("facets") if isinstance(data.get("facets"), dict) else {}
    for facet, values in facets.items():
        known = list(taxonomy["facets"].get(facet, {}).get("values", {}))
        for index, value in enumerate(values if known and isinstance(values, list) else []):
            if isinstance(value, str) and value not in known:
                yield _problem(document, ("facets", facet, index), _unknown(f"{facet} value", value, known))


def _check_unique(documents: tuple[Document, ...]) -> Iterator[Problem]:
    first: dict[tuple[str, str], Document] = {}
    for document in documents:
        data = document.data if isinstance(document.data, dict) else {}
        for field, normalize in (("doi", str.lower), ("arxiv", str.strip), ("title", normalize_title)):
            value = data.get(field)
            if not isinstance(value, str) or not value.strip():
                continue
            seen = first.setdefault((field, normalize(value)), document)
            if seen is not document:
                label = {"doi": "the DOI", "arxiv": "the arXiv id", "title": "the same title"}[field]
                shown = value if field != "title" else ""
                yield _problem(document, (field,), f"{label} {shown}".rstrip() + f" is already in {seen.file}")
        if data.get("origin") is True:
            seen = first.setdefault(("origin", ""), document)
            if seen is not document:
                yield _problem(document, ("origin",), f"only one work is the survey's origin, and {seen.file} is")


def _file_problems(document: Document, schema: str | None) -> list[Problem]:
    """What every catalog file but an entry is checked for first: its schema, then the text rules."""
    return [*_schema_problems(document, schema), *_check_text(document)]


def _schema_problems(document: Document, schema: str | None) -> Iterator[Problem]:
    """Problems by the schema (its JSON text); none if the catalog has no such schema (load reported it)."""
    if schema is None:
        return
    try:
        if not _has_float(document.data):  # fastjsonschema takes 11.0 for an integer
            _fast_check(schema)(document.data)
            return
    except fastjsonschema.JsonSchemaException:
        pass
    reported = set()  # jsonschema gives one `required` error per missing field, each with the whole list
    for error in _validator(schema).iter_errors(document.data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for extra in _unexpected(error.instance, allowed, error.schema.get("patternProperties", {})):
                yield _problem(document, path + (extra,), _unknown("field", extra, allowed))
        elif error.validator == "required":
            if (path, id(error.schema)) in reported:
                continue
            reported.add((path, id(error.schema)))
            for missing in _missing(error.validator_value, error.instance):
                yield _problem(document, path + (missing,), MISSING_FIELD, line_path=path)
        else:
            yield _problem(document, path, _describe(error))


def _unexpected(instance: dict, allowed: list[str], patterns: dict[str, Any]) -> list[str]:
    """The names of a mapping that neither `properties` nor `patternProperties` allow, sorted."""
    return sorted((name for name in instance if name not in allowed
                   and not any(re.search(_true_end(pattern), str(name)) for pattern in patterns)), key=str)


def _missing(required: list[str], instance: Any) -> list[str]:
    """The required names a mapping lacks, in the schema's order (jsonschema reports each in one error)."""
    return [name for name in required if name not in instance]


def _has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    return isinstance(value, float)


def _told(error: jsonschema.ValidationError, generic: str) -> str:
    """What the schema says beside the failing rule (its `message`), or else `generic`."""
    told = error.schema.get(MESSAGE) if isinstance(error.schema, dict) else None
    return told if isinstance(told, str) and told.strip() else generic


def _person_hint(value: Any) -> str:
    """A person the schema refuses: 'Andrew Sellergren' is not 'Family, Given' (exported as an
    organisation, it would be cited as one), so say which form was probably meant."""
    if isinstance(value, str) and "," not in value and len(value.split()) > 1:
        return f" (did you mean {names.person_from_name(value)!r}?)"
    return ""


def _is_person_rule(schema: Any) -> bool:
    """Whether a oneOf is the schema's person rule: a 'Family, Given' text or a {literal: ...} mapping."""
    return isinstance(schema, dict) and any(
        isinstance(form, dict) and "literal" in form.get("properties", {}) for form in schema.get("oneOf", ()))


def _describe(error: jsonschema.ValidationError) -> str:
    value, rule = error.instance, error.validator_value
    shown = _shown(value)
    match error.validator:
        case "type":
            hint = " (YAML read it as a number or true/false: put it in quotes)" \
                if rule == "string" and isinstance(value, (bool, int, float)) else ""
            if rule == "integer" and isinstance(value, float) and value.is_integer():
                hint = f" (write {int(value)})"
            return f"expected {_TYPE_NAMES.get(rule, rule)}, received {shown}{hint}"
        case "enum":
            return _unknown("value", value, rule) if isinstance(value, str) else \
                f"expected one of: {', '.join(map(str, rule))}; received {shown}"
        case "pattern":
            return f"{_told(error, f'must match {rule}')}; received {shown}"
        case "oneOf":
            hint = _person_hint(value) if _is_person_rule(error.schema) else ""
            return f"{_told(error, 'matches none of the forms allowed here')}{hint}; received {shown}"
        case "minItems":
            return "must not be empty" if rule == 1 else f"needs at least {rule} items"
        case "maxItems":
            return f"has {len(value)} items; at most {rule} are allowed"
        case "minLength":
            return f"is too short ({len(value)} characters; at least {rule})"
        case "maxLength":
            return f"is too long ({len(value)} characters; at most {rule})"
        case "minimum" | "maximum":
            low, high = error.schema.get("minimum"), error.schema.get("maximum")
            return f"expected a number from {low} to {high}, received {shown}" if high else \
                f"expected at least {low}, received {shown}"
        case "uniqueItems":
            return "lists the same value twice"
        case "minProperties":
            return "needs at least one entry"
        case "format":
            return f"{_told(error, f'is not a valid {rule}')}; received {shown}"
    return error.message


def _unknown(what: str, value: Any, known: Iterable[str]) -> str:
    message = f"unknown {what} {_shown(value)}"
    known = list(known)
    if not known:
        return f"{message}; the catalog has none yet"
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    listed = ", ".join(map(str, known))
    return f"{message}; expected one of: {listed}" if len(listed) < 400 else message


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if isinstance(value, int) and abs(value) >= 10 ** 20:
        return f"a number of {len(str(abs(value)))} digits"
    return repr(value)


def _problem(document: Document, path: tuple, message: str, line_path: tuple | None = None) -> Problem:
    line = document.line_of(path if line_path is None else line_path)
    return Problem(document.file, line, ".".join(str(p) for p in path), message)

