"""Check loaded catalog files and turn them into a Catalog, or report every problem at once.

Two phases, as in Pelican: JSON Schema on each file, then the checks a schema cannot express
(key = file name, taxonomy membership, unique identifiers across files, safe links).
"""
from __future__ import annotations

import datetime
import difflib
import functools
import json
import re
import urllib.parse
from typing import Any, Callable, Iterator

import fastjsonschema
import jsonschema

from .latex import has_balanced_braces
from .load import Document, LoadedCatalog, text_fields
from .locations import ENTRY_SCHEMA, TAXONOMY_SCHEMA, UNVERIFIED_SCHEMA
from .model import Catalog, Entry, Facet, Section, Unverified, derived_facets, normalize_title
from .parallel import parallel_map
from .paths import RESERVED_NAMES
from .problems import CatalogInvalid, Problem

KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TRACKING_PARAMETERS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|guestaccesskey|mc_eid|mc_cid)$", re.I)
TEXT_FIELDS = ("title", "summary")

_PATTERN_MESSAGES = {
    '^https?://[^\\s|<>"{}\\\\^`]+$': "only http:// and https:// links without spaces or |<>\"{}\\^` are allowed",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "use lowercase letters, digits and single '-' only",
    "^[a-z0-9-]+$": "use lowercase letters, digits and '-' only",
    "^10\\.[0-9]{4,9}/[^\\s]+$": "a DOI looks like 10.1093/bib/bbac409 (without https://doi.org/)",
    "^[0-9]{4}\\.[0-9]{4,5}$": "an arXiv id looks like 2210.10341 (no version, no 'arXiv:')",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date is written YYYY-MM-DD",
}
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "array": "a list", "object": "a mapping",
               "number": "a number", "boolean": "true or false"}


def validate(loaded: LoadedCatalog, today: datetime.date | None = None, kept: dict | None = None) -> Catalog:
    """Return the Catalog, or raise CatalogInvalid listing every problem found.

    `kept` (for `mkdocs serve`: one dict kept between calls) remembers each entry's verdict and Entry:
    an entry whose Document is the one checked last time (`load_catalog`'s `kept`) is not checked
    again while the schemas, taxonomy, protected words and date are unchanged.
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
    for found, entry in _check_entries(loaded, check, (schemas, taxonomy, today, loaded.protected_words),
                                       {} if kept is None else kept):
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    problems.extend(_check_unique(loaded.entries))
    unverified = _check_unverified(loaded.unverified, schemas, taxonomy, problems)
    if problems or taxonomy is None:
        raise CatalogInvalid(problems)
    return Catalog(
        sections=tuple(Section(**s) for s in taxonomy["sections"]),
        facets=tuple(Facet(id=name, label=f["label"], values=dict(f["values"]))
                     for name, f in taxonomy["facets"].items()),
        entries=tuple(sorted(entries, key=lambda e: e.key)),
        unverified=unverified,
        derived=derived_facets(entries),
    )


def _check_entries(loaded: LoadedCatalog, check: Callable, context: tuple, kept: dict) -> list:
    if kept.get(None) != context:  # the verdicts depend on it
        kept.clear()
        kept[None] = context
    missing = [d for d in loaded.entries if (hit := kept.get(d.file)) is None or hit[0] is not d]
    for document, verdict in zip(missing, parallel_map(check, missing)):
        kept[document.file] = (document, verdict)
    for file in kept.keys() - {d.file for d in loaded.entries} - {None}:
        del kept[file]
    return [kept[d.file][1] for d in loaded.entries]


def _check_unverified(document: Document | None, schemas: dict[str, str], taxonomy: dict[str, Any] | None,
                      problems: list[Problem]) -> tuple[Unverified, ...]:
    if document is None:
        return ()
    found = list(_schema_problems(document, schemas.get(UNVERIFIED_SCHEMA)))
    if not found and taxonomy is not None:
        sections = [s["id"] for s in taxonomy["sections"]]
        found += [_problem(document, (i, "sections", j), _unknown("section", s, sections))
                  for i, item in enumerate(document.data) for j, s in enumerate(item["sections"]) if s not in sections]
    problems.extend(found)
    if found:
        return ()
    return tuple(Unverified(item["title"], tuple(item["sections"]), item["url"], " ".join(item["note"].split()))
                 for item in document.data)


# Keyed by the schema's text, so that `mkdocs serve` sees an edited schema at once and compiles each only once.
@functools.lru_cache(maxsize=16)
def _validator(text: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(text)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@functools.lru_cache(maxsize=16)
def _fast_check(text: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code by fastjsonschema: some 50 times quicker to say "valid".

    It only answers yes or no. A document it rejects goes to jsonschema, which decides and names
    every error with its path; the tests hold the two to the same verdict on every catalog file.
    """
    schema = json.loads(text)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"  # the keywords used mean the same there
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
    if not found:
        found += _reserved_in_taxonomy(document)
    problems.extend(found)
    return None if found else document.data


def _reserved_in_taxonomy(document: Document) -> list[Problem]:
    found = [_problem(document, ("sections", index, "id"), _reserved("section id", section["id"]))
             for index, section in enumerate(document.data["sections"]) if section["id"] in RESERVED_NAMES]
    found += [_problem(document, ("facets", facet, "values", value), _reserved(f"{facet} value", value))
              for facet, spec in document.data["facets"].items() for value in spec["values"]
              if value in RESERVED_NAMES]
    return found


def _reserved(what: str, name: str) -> str:
    return f"{name!r} cannot be a {what}: the name is reserved for the page that lists a folder; choose another"


def _check_entry(document: Document, schemas: dict[str, str], taxonomy: dict[str, Any] | None,
                 today: datetime.date) -> Iterator[Problem]:
    schema_problems = list(_schema_problems(document, schemas.get(ENTRY_SCHEMA)))
    yield from schema_problems
    data = document.data
    if not isinstance(data, dict):
        return
    yield from _check_key(document)
    if ENTRY_SCHEMA in schemas:
        yield from _check_links(document, link_fields(schemas[ENTRY_SCHEMA]))
    yield from _check_text(document)
    if taxonomy is not None:
        yield from _check_vocabulary(document, taxonomy)
    year = data.get("year")
    if isinstance(year, int) and not schema_problems and year > today.year + 1:
        yield _problem(document, ("year",), f"{year} is in the future")


def _check_key(document: Document) -> Iterator[Problem]:
    stem = document.file.rsplit("/", 1)[-1].removesuffix(".yaml")
    key = document.data.get("key")
    if not KEY_PATTERN.match(stem):
        yield Problem(document.file, None, "",
                      "the file name must be the key: lowercase letters, digits and '-', then .yaml")
    elif isinstance(key, str) and KEY_PATTERN.match(key) and key != stem:
        yield _problem(document, ("key",), f"the key {key!r} must equal the file name {stem!r}")
    elif key in RESERVED_NAMES:
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


def _check_text(document: Document) -> Iterator[Problem]:
    for path, value in text_fields(document.data):
        if CONTROL_CHARACTERS.search(value.replace("\n", "").replace("\t", " ")):
            yield _problem(document, path, "contains a control or text-direction character")
        elif path and path[0] in TEXT_FIELDS + ("authors", "venue") and not has_balanced_braces(value):
            yield _problem(document, path, "has unbalanced braces { } (braces keep capitals and must pair; "
                                           "a backslash does not escape one)")


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


def _schema_problems(document: Document, schema: str | None) -> Iterator[Problem]:
    """Problems by the schema (its JSON text); none if the catalog has no such schema (load reported it)."""
    if schema is None:
        return
    try:
        _fast_check(schema)(document.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    for error in _validator(schema).iter_errors(document.data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - set(allowed), key=str):
                yield _problem(document, path + (extra,), _unknown("field", extra, allowed))
        elif error.validator == "required":
            missing = error.message.split("'")[1]
            yield _problem(document, path + (missing,), "this required field is missing", line_path=path)
        else:
            yield _problem(document, path, _describe(error))


def _describe(error: jsonschema.ValidationError) -> str:
    value, rule = error.instance, error.validator_value
    shown = _shown(value)
    match error.validator:
        case "type":
            hint = " (YAML read it as a number or true/false: put it in quotes)" \
                if rule == "string" and isinstance(value, (bool, int, float)) else ""
            return f"expected {_TYPE_NAMES.get(rule, rule)}, received {shown}{hint}"
        case "enum":
            return _unknown("value", value, rule) if isinstance(value, str) else \
                f"expected one of: {', '.join(map(str, rule))}; received {shown}"
        case "pattern":
            return f"{_PATTERN_MESSAGES.get(rule, f'must match {rule}')}; received {shown}"
        case "oneOf":
            return f"write a person as 'Family, Given' or {{literal: Name}}; received {shown}"
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
            example = {"date": " (YYYY-MM-DD)"}.get(rule, "")
            return f"is not a valid {rule}{example}; received {shown}"
    return error.message


def _unknown(what: str, value: Any, known: list[str]) -> str:
    message = f"unknown {what} {_shown(value)}"
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
    return repr(value)


def _problem(document: Document, path: tuple, message: str, line_path: tuple | None = None) -> Problem:
    line = document.line_of(path if line_path is None else line_path)
    return Problem(document.file, line, ".".join(str(p) for p in path), message)

