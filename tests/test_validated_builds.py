"""A catalog that validates always builds (issue 12): the validator makes every check the renderer
relies on, from the same function.

Every text field of every fixture entry is given each of a set of awkward values. Either the
validator refuses the entry, naming its file and the field, or the whole site renders; and a real
`mkdocs build --strict` of one catalog holding every accepted value passes.
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import json
import xml.etree.ElementTree as ElementTree

import bibtexparser
import pytest
import rispy
import yaml

from helpers import FIXTURE_BENCHMARKS, FIXTURE_ENTRIES, ROOT, Project, make_project
from slmsurvey.catalog.load import Document, LoadedCatalog, load_catalog, parse_yaml, text_fields
from slmsurvey.catalog.validate import validate
from slmsurvey.problems import CatalogInvalid
from slmsurvey.site.render import render_site

AWKWARD = (
    "\\{", "}{", "{", "{x}}", "\\", "\\}", "{\\}", "% & $ # _ ^ ~", "<b>x</b>", "<script>alert(1)</script>",
    "[x](javascript:alert(1))", "[x](missing.md)", "{{ 7 * 7 }}", "{% raw %}", "é ễ 中文 ﬁ", "`code` *a* _b_",
    " | ", "&amp; &lt;", "\u00a0", "'\"", "\\textbf{x}", "$x^2$", "---", "# heading", ":material-alert:",
    # issue 27: a record forged by a line break, markup citeproc reads, RIS tags, a name split by "and"
    "\n@misc{forged, title = injected}\n", '"Doctor-GPT"-Level', "<i>it</i> <sup>2</sup>", "\nER  - \nTY  - JOUR\n",
    " and Roe", "\u200b", "\ufffe", "😀",
)
MODEL_OWNERS = ("mueller-2023-tinymed", "cardmaker-2024-tinycare")
SITE = {"url": "https://example.org/survey/", "repo_url": "https://github.com/o/r", "edit_uri": "edit/main/"}


@functools.cache
def _real() -> LoadedCatalog:
    return load_catalog(ROOT / "catalog")


def _taxonomy() -> Document:
    return _real().taxonomy


@functools.cache
def _registry() -> Document:
    """The fixture registry, without the work that introduced its benchmark (a catalog of one entry)."""
    document = parse_yaml((FIXTURE_BENCHMARKS).read_bytes(), "catalog/benchmarks.yaml")
    for benchmark in document.data["benchmarks"]:
        benchmark.pop("introduced_by", None)
    return document


@functools.cache
def _documents() -> tuple[Document, ...]:
    return tuple(parse_yaml(path.read_bytes(), f"catalog/entries/{path.name}")
                 for path in sorted(FIXTURE_ENTRIES.glob("*.yaml")))


def _with(data: dict, path: tuple, value: str) -> dict:
    changed = copy.deepcopy(data)
    holder = changed
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return changed


def _catalog(document: Document, taxonomy: Document, data: dict):
    """Validate the catalog of this one entry holding `data` (raises CatalogInvalid)."""
    changed = Document(document.file, data, document.lines)
    # with the fixture works whose models the entry's results name
    others = tuple(d for d in _documents() if d.file != document.file and d.data.get("key") in MODEL_OWNERS)
    return validate(dataclasses.replace(_real(), taxonomy=taxonomy, entries=(changed, *others), unverified=None,
                                        benchmarks=_registry()))


def _accepted(document: Document, taxonomy: Document, path: tuple, value: str):
    """The catalog of this one entry with `value` at `path`, or None if the validator refused it;
    a refusal must name the entry's file and the field (or a field inside it)."""
    try:
        return _catalog(document, taxonomy, _with(document.data, path, value))
    except CatalogInvalid as exc:
        field = ".".join(map(str, path))
        for problem in exc.problems:
            assert problem.file == document.file and problem.line, problem
            made_of = problem.field == "key" and path[0] in ("title", "authors")  # the key rule (keys.py)
            assert made_of or problem.field == field or problem.field.startswith(field + ".") \
                or field.startswith(problem.field + "."), (problem, field)
        return None


def test_every_awkward_value_is_refused_by_the_validator_or_renders():
    """Each value in each field alone: refused with its file and field, or accepted; then the fields
    that accept a value hold it all at once and the site renders (each alone, should they be refused
    together). One render per entry and value, not one per field: the same values reach the renderer."""
    taxonomy = _taxonomy()
    accepted = refused = 0
    for document in _documents():
        fields = list(text_fields(document.data))
        for awkward in AWKWARD:
            taken = [(path, original + awkward) for path, original in fields
                     if _accepted(document, taxonomy, path, original + awkward) is not None]
            accepted, refused = accepted + len(taken), refused + len(fields) - len(taken)
            together = document.data
            for path, value in taken:
                together = _with(together, path, value)
            try:
                catalogs = [_catalog(document, taxonomy, together)] if taken else []
            except CatalogInvalid:
                catalogs = [_accepted(document, taxonomy, path, value) for path, value in taken]
            for catalog in catalogs:
                render_site(catalog, SITE, ROOT / "templates")  # raises if the build would refuse what validated
    assert accepted > 1000 and refused > 500  # both sides were exercised


@pytest.fixture(scope="module")
def awkward_project(tmp_path_factory) -> Project:
    """One catalog in which each awkward value sits in every field of an entry that accepts it."""
    project = make_project(tmp_path_factory.mktemp("awkward") / "project")
    taxonomy = _taxonomy()
    template = next(d for d in _documents() if d.file.endswith("mueller-2023-tinymed.yaml"))
    for number, awkward in enumerate(AWKWARD):
        key = f"mueller-2023-case{number}"
        data = {**copy.deepcopy(template.data), "key": key, "title": f"Case{number}"}
        data = {k: v for k, v in data.items() if k not in ("doi", "arxiv", "pmid")}
        for artifact in data.get("artifacts", []):  # unique in the catalog; results still name the original
            if "id" in artifact:
                artifact["id"] += f"-case{number}"
        document = Document(f"catalog/entries/{key}.yaml", data, {})
        for path, original in list(text_fields(data)):
            if path != ("key",) and _accepted(document, taxonomy, path, original + awkward) is not None:
                data = _with(data, path, original + awkward)
                document = Document(document.file, data, {})
        project.write_entry(f"{key}.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return project


def test_a_catalog_of_every_accepted_awkward_value_builds(awkward_project: Project):
    result = awkward_project.run("build")
    assert result.returncode == 0, result.stdout + result.stderr
    page = awkward_project.page("entries/mueller-2023-case9")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    keys = {f"mueller-2023-case{number}" for number in range(len(AWKWARD))} | \
        {path.stem for path in FIXTURE_ENTRIES.glob("*.yaml")}
    # Every output, read back by its real reader, holds exactly one record per work.
    library = bibtexparser.parse_string((awkward_project.site / "bib" / "all.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == [] and sorted(e.key for e in library.entries) == sorted(keys)
    ris = rispy.loads((awkward_project.site / "data" / "catalog.ris").read_text(encoding="utf-8"))
    assert sorted(record["id"] for record in ris) == sorted(keys)
    csl = json.loads((awkward_project.site / "data" / "catalog.csl.json").read_text(encoding="utf-8"))
    assert sorted(item["id"] for item in csl) == sorted(keys)
    feed = ElementTree.parse(awkward_project.site / "feed.xml")  # well-formed XML, whatever the text
    assert feed.getroot().tag.endswith("feed")
