"""The validator on bad input: every case names the file, line and field, exits 1, prints no
traceback, touches no network, and leaves an existing site/ and docs/ exactly as they were.

Each single-file case is `tests/fixtures/bad/<case>.yaml`, copied into a catalog as
`catalog/entries/doe-2024-case.yaml`. "F" below stands for that path.
"""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from helpers import FIXTURE_ENTRIES, FIXTURES, ROOT, Project, invoke, make_project, new_catalog, snapshot

BAD = FIXTURES / "bad"
F = "catalog/entries/doe-2024-case.yaml"

EXPECTED = {
    "author-bad-shape": [
        "F:6: authors.1: write a person as 'Family, Given', or {literal: Name} for an organisation or a one-word "
        "name; received 'Roe, Richard, Jr, Extra'",
    ],
    "author-without-comma": [  # exported as written, "Jane Doe" would be cited as an organisation
        "F:5: authors.0: write a person as 'Family, Given', or {literal: Name} for an organisation or a one-word "
        "name (did you mean 'Doe, Jane'?); received 'Jane Doe'",
    ],
    "author-others": [  # Google Scholar's "and others", read as a person
        "F:6: authors.1: 'others' is not an author: end the list with the authors you know and add "
        "`more_authors: true`",
    ],
    "colon-in-title": [
        "F:3: YAML syntax error (line 3, column 16): mapping values are not allowed in this context; a value "
        "that holds ': ' must be in quotes: title: \"Case Med: A Fabricated Model for Validator Tests\"",
    ],
    "key-not-by-rule": [
        "F:2: key: 'doe-2024-case' does not follow the key rule family-year-word (the first author's family "
        "name, the year, a word of the title): 'doe-2024-medfab', in the file doe-2024-medfab.yaml",
    ],
    "bad-arxiv-id": [
        "F:12: arxiv: an arXiv id looks like 2210.10341 (no version, no 'arXiv:'); received 'arXiv:2401.00002v2'",
    ],
    "bad-date": [
        "F:22: added: a real date, written YYYY-MM-DD; received '24/11/2026'",
    ],
    "bad-doi": [
        "F:11: doi: a DOI looks like 10.1093/bib/bbac409 (without https://doi.org/; letters, digits and "
        "-._;()/:<>[]+ only); received 'https://doi.org/10.9999/case.2024.1'",
    ],
    "billion-laughs": [
        'F:22: b.0: anchors and aliases (&name, *name) are not allowed',
    ],
    "bom-is-accepted": [
    ],
    "comments-only": [
        'F: the file is empty',
    ],
    "control-character": [
        'F:3: title: contains U+0007, a control character: delete it or type it again',
    ],
    "data-url": [
        'F:14: links.paper: only http:// and https:// links without spaces or |<>"{}\\^` are allowed; '
        'received \'data:text/html,<script>alert(1)</script>\'',
    ],
    "duplicate-mapping-key": [
        'F:8: year: this field is given twice (first at line 7)',
    ],
    "empty-authors": [
        'F:4: authors: must not be empty',
    ],
    "empty-file": [
        'F: the file is empty',
    ],
    "file-url": [
        'F:14: links.paper: only http:// and https:// links without spaces or |<>"{}\\^` are allowed; received \'file:///etc/passwd\'',
    ],
    "huge-file": [
        'F: the file is 300,644 bytes; the limit is 262,144',
    ],
    "javascript-url": [
        'F:14: links.paper: only http:// and https:// links without spaces or |<>"{}\\^` are allowed; '
        'received \'javascript:alert(1)\'',
    ],
    "key-file-name-mismatch": [
        "F:2: key: the key 'doe-2024-other' must equal the file name 'doe-2024-case'",
    ],
    "missing-required-field": [
        'F:2: title: this required field is missing',
    ],
    "non-utf8": [
        'F:5: the file is not UTF-8 text (byte 0xe9)',
    ],
    "parameters-not-integer": [
        "F:24: artifacts.0.parameters: expected a whole number, received '1.1B'",
    ],
    "python-object-tag": [
        "F:3: title: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ],
    "summary-too-short": [
        'F:21: summary: is too short (6 characters; at least 20)',
    ],
    "text-direction-override": [
        'F:3: title: contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible formatting character (PDFs and web '
        'pages paste them with the text): delete it or type it again',
    ],
    "top-level-list": [
        'F:1: expected a mapping, received a list',
    ],
    "unbalanced-braces": [
        'F:3: title: has unbalanced braces { } (braces keep capitals and must pair; a backslash does not escape one)',
    ],
    "escaped-brace": [  # the validator passed it and the BibTeX writer refused it, naming no file (issue 12)
        'F:3: title: has unbalanced braces { } (braces keep capitals and must pair; a backslash does not escape one)',
    ],
    "unknown-facet-value": [
        "F:17: facets.domain.0: unknown domain value 'mental-heath'; did you mean 'mental-health'?",
    ],
    "unknown-field-typo": [
        'F:2: summary: this required field is missing',
        "F:21: sumary: unknown field 'sumary'; did you mean 'summary'?",
    ],
    "unknown-section": [
        "F:15: sections.1: unknown section 'quantisation'; did you mean 'quantization'?",
    ],
    "unsafe-key": [
        "F:2: key: use lowercase letters, digits and single '-' only; received '../../etc/passwd'",
    ],
    "paper-link-another-arxiv": [  # a reader following it would land on another paper
        "F:14: links.paper: the link leads to arxiv 2401.00003, but this work's arxiv is 2401.00002: link this "
        "work's own paper",
    ],
    "paper-link-another-doi": [
        "F:14: links.paper: the link leads to doi 10.9999/other.2024.2, but this work's doi is "
        "10.9999/case.2024.1: link this work's own paper",
    ],
    "url-tracking-parameter": [
        "F:14: links.paper: remove the tracking parameter 'utm_source' from the link",
    ],
    "url-with-credentials": [
        'F:14: links.paper: a link must not carry a user name or password',
    ],
    "venue-kind-typo": [
        "F:10: venue.kind: unknown value 'jurnal'; did you mean 'journal'?",
    ],
    "wrong-type-sections": [
        "F:15: sections: expected a list, received 'slms-100m-5b'",
    ],
    "wrong-type-year": [
        "F:7: year: expected a whole number, received '2024'",
    ],
    "yaml-syntax-error": [
        'F:13: YAML syntax error (line 13, column 9): did not find expected key',
    ],
    "yaml-tab-indentation": [
        'F:5: YAML syntax error (line 5, column 1): found character that cannot start any token',
    ],
    "year-implausible": [
        'F:7: year: expected a number from 1950 to 2100, received 1850',
    ],
    "huge-string": [
        'F:3: title: is too long (5000 characters; at most 400)',
    ],
    "deeply-nested": [
        'F:21: x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: nested more than 20 levels deep',
    ],
    "nan-year": [
        'F:7: year: expected a whole number, received nan',
    ],
    "boolean-title": [
        'F:3: title: expected text, received True (YAML read it as a number or true/false: put it in quotes)',
    ],
    "section-typo-and-missing-source": [
        "F:15: sections.0: unknown section 'fine-tunning'; did you mean 'fine-tuning'?",
        'F:23: sources: must not be empty',
    ],
    "year-in-future": [
        'F:7: year: 2099 is in the future',
    ],
    "doi-leaves-its-field": [  # issue 27: it closed the field and read a file into the reader's PDF
        "F:11: doi: a DOI looks like 10.1093/bib/bbac409 (without https://doi.org/; letters, digits and "
        "-._;()/:<>[]+ only); received '10.1234/x},note={\\\\input{/etc/hostname}},x={'",
    ],
    "doi-trailing-newline": [  # `$` in Python's re matched before a final line break
        "F:11: doi: a DOI looks like 10.1093/bib/bbac409 (without https://doi.org/; letters, digits and "
        "-._;()/:<>[]+ only); received '10.9999/case.2024.1\\n'",
    ],
    "doi-zero-width-space": [  # it passed the duplicate check beside the same DOI without it
        "F:11: doi: a DOI looks like 10.1093/bib/bbac409 (without https://doi.org/; letters, digits and "
        "-._;()/:<>[]+ only); received '10.9999/case.2024.1\\u200b'",
        "F:11: doi: contains U+200B ZERO WIDTH SPACE, an invisible formatting character (PDFs and web pages "
        "paste them with the text): delete it or type it again",
    ],
    "impossible-date": [  # PyYAML raised a plain ValueError: a traceback naming no file
        "F:22: added: 2025-02-30 is not a date of the calendar (YYYY-MM-DD)",
    ],
    "whole-float-month": [  # JSON Schema's integer took 11.0; the build crashed
        "F:8: month: expected a whole number, received 11.0 (write 11)",
    ],
    "whole-float-year": [
        "F:7: year: expected a whole number, received 2019.0 (write 2019)",
    ],
    "merge-key": [  # the merged kind was dropped without a word
        "F:9: venue.<<: the YAML merge key '<<' is not allowed: write each field out where it belongs",
    ],
    "field-name-read-as-number": [
        "F:8: 2024: YAML reads the field name '2024' as a number: put it in quotes",
    ],
    "noncharacter-in-title": [  # it made feed.xml ill-formed
        "F:3: title: contains U+FFFE, not a character (a noncharacter or an unassigned code point), which XML "
        "and fonts cannot carry: delete it or type it again",
    ],
    "zero-width-space-in-author": [
        "F:6: authors.1: contains U+200B ZERO WIDTH SPACE, an invisible formatting character (PDFs and web "
        "pages paste them with the text): delete it or type it again",
    ],
    "soft-hyphen-in-summary": [
        "F:21: summary: contains U+00AD SOFT HYPHEN, an invisible formatting character (PDFs and web pages "
        "paste them with the text): delete it or type it again",
    ],
    "cjk-title": [  # all.bib failed under pdflatex for every LaTeX user
        "F:3: title: contains U+4E00 CJK UNIFIED IDEOGRAPH-4E00, which pdflatex cannot set, so all.bib would "
        "not compile for most readers: write the work as its version of record prints it in Latin letters "
        "(an English title, names as the paper transliterates them)",
    ],
    "emoji-in-venue": [
        "F:9: venue.name: contains U+1F600 GRINNING FACE, which pdflatex cannot set, so all.bib would not "
        "compile for most readers: write the work as its version of record prints it in Latin letters (an "
        "English title, names as the paper transliterates them)",
    ],
    "title-of-no-break-spaces": [  # an empty <h1> and empty links
        "F:3: title: is blank: write the text, or leave the field out",
    ],
    "added-in-the-future": [  # it pinned the work to the top of /news/ and the feed for 73 years
        "F:22: added: 2099-12-31 is in the future",
    ],
    "parameters-unbounded": [
        "F:26: artifacts.0.parameters: expected a number from 1000 to 10000000000000, received a number of "
        "300 digits",
    ],
}


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Project:
    """A project whose site/ and docs/ were already built from the fixture catalog."""
    project = make_project(tmp_path_factory.mktemp("bad") / "project")
    project.build()
    return project


@pytest.fixture
def fresh(built_project: Project, tmp_path: pathlib.Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(built_project.root, root)
    return Project(root, built_project.environment)


def _expected_lines(case: str) -> list[str]:
    return [line.replace("F:", F + ":", 1).replace("F: ", F + ": ", 1) if line.startswith("F") else line
            for line in EXPECTED[case]]


def test_every_case_file_has_an_expectation():
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(c for c in EXPECTED if EXPECTED[c]))
def test_bad_entry_is_reported_and_nothing_changes(case: str, fresh: Project):
    shutil.copy(BAD / f"{case}.yaml", fresh.entries / "doe-2024-case.yaml")
    site_before, docs_before = snapshot(fresh.site), snapshot(fresh.docs)

    result = invoke(fresh, "build")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    count = len(EXPECTED[case])
    assert lines[:-1] == _expected_lines(case)
    assert lines[-1] == f"error: the catalog has {count} problem{'s' if count > 1 else ''}; nothing was written"
    assert "Traceback" not in result.stdout + result.stderr
    assert "network access attempted" not in result.stderr
    assert snapshot(fresh.site) == site_before
    assert snapshot(fresh.docs) == docs_before


def test_a_byte_order_mark_is_accepted(project: Project):
    shutil.copy(BAD / "bom-is-accepted.yaml", project.entries / "doe-2024-case.yaml")
    result = invoke(project, "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("catalog OK: 7 entries in 11 sections")


def _with_copy(project: Project, source: str, name: str, edit) -> pathlib.Path:
    text = (FIXTURE_ENTRIES / source).read_text(encoding="utf-8")
    return project.write_entry(name, edit(text))


def _errors(project: Project) -> list[str]:
    result = invoke(project, "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # a check writes nothing anyway, so it does not say "nothing was written"
    assert re.fullmatch(r"error: the catalog has \d+ problems?", result.stderr.strip().splitlines()[-1])
    return result.stderr.strip().splitlines()[:-1]


def test_duplicate_doi_arxiv_and_title_across_files(project: Project):
    _with_copy(project, "mueller-2023-tinymed.yaml", "mueller-2023-tinymed-2.yaml",
               lambda t: t.replace("key: mueller-2023-tinymed", "key: mueller-2023-tinymed-2")
                          .replace("10.9999/jici.2023.0042", "10.9999/JICI.2023.0042"))
    # Files are read in name order, so the later name is the one reported.
    assert _errors(project) == [
        "catalog/entries/mueller-2023-tinymed.yaml:3: title: the same title is already in "
        "catalog/entries/mueller-2023-tinymed-2.yaml",
        "catalog/entries/mueller-2023-tinymed.yaml:17: doi: the DOI 10.9999/jici.2023.0042 is already in "
        "catalog/entries/mueller-2023-tinymed-2.yaml",
        "catalog/entries/mueller-2023-tinymed.yaml:18: arxiv: the arXiv id 2301.00001 is already in "
        "catalog/entries/mueller-2023-tinymed-2.yaml",
        "catalog/entries/mueller-2023-tinymed.yaml:32: artifacts.0.id: the artifact id 'tinymed-1.1b' is already "
        "used in catalog/entries/mueller-2023-tinymed-2.yaml",
    ]


def test_the_same_key_in_two_files(project: Project):
    _with_copy(project, "qa-2024-medbench.yaml", "qa-2024-medbench2.yaml", lambda t: t.replace(
        "MedBench-QA: A Benchmark", "MedBench-QA 2: A Benchmark"))
    assert _errors(project) == [
        "catalog/entries/qa-2024-medbench2.yaml:2: key: the key 'qa-2024-medbench' must equal the file "
        "name 'qa-2024-medbench2'",
    ]


@pytest.mark.parametrize("name, message", [
    ("Bad Key.yaml", "the file name must be the key: lowercase letters, digits and '-', then .yaml"),
    ("UPPER-2024-case.yaml", "the file name must be the key: lowercase letters, digits and '-', then .yaml"),
    ("doe-2024-case.yml", "catalog entries are files named <key>.yaml"),
])
def test_unsafe_file_names(project: Project, name: str, message: str):
    shutil.copy(BAD / "bom-is-accepted.yaml", project.entries / name)
    assert f"catalog/entries/{name}: {message}" in _errors(project)


def test_unknown_facet_name(project: Project):
    _with_copy(project, "qa-2024-medbench.yaml", "qa-2024-medbench.yaml",
               lambda t: t.replace("  technique: [dataset-construction]",
                                   "  technique: [dataset-construction]\n  organ: [heart]"))
    assert _errors(project) == [
        "catalog/entries/qa-2024-medbench.yaml:22: facets.organ: unknown field 'organ'; expected one of: "
        "domain, modality, task, technique",
    ]


def test_every_problem_of_every_file_is_reported_at_once(project: Project):
    for case in ("unknown-section", "javascript-url"):
        text = (BAD / f"{case}.yaml").read_text(encoding="utf-8")
        key = f"doe-2024-{case.split('-')[0]}"
        project.write_entry(f"{key}.yaml", text.replace("key: doe-2024-case", f"key: {key}")
                            .replace("doi: 10.9999/case.2024.1", f"doi: 10.9999/{key}")
                            .replace('arxiv: "2401.00002"', "").replace("Case Med", case.split('-')[0].capitalize()))
    assert _errors(project) == [
        "catalog/entries/doe-2024-javascript.yaml:14: links.paper: only http:// and https:// links without "
        "spaces or |<>\"{}\\^` are allowed; received 'javascript:alert(1)'",
        "catalog/entries/doe-2024-unknown.yaml:15: sections.1: unknown section 'quantisation'; "
        "did you mean 'quantization'?",
    ]


def test_taxonomy_problems_are_reported(project: Project):
    taxonomy = project.catalog / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("  - id: pruning", "  - id: Pruning"), encoding="utf-8")
    errors = _errors(project)
    assert errors[0].startswith("catalog/taxonomy.yaml:")
    assert "sections.9.id: use lowercase letters, digits and single '-' only; received 'Pruning'" in errors[0]


def test_index_is_refused_as_a_section_id_facet_value_or_key(project: Project):
    """`index` names a folder's own page (sections/index.md is /sections/): the build would refuse it."""
    taxonomy = project.catalog / "taxonomy.yaml"
    text = taxonomy.read_text().replace("  - id: pruning", "  - id: index") \
        .replace("      mental-health: Mental health", "      index: Mental health")
    taxonomy.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    reserved = "the name is reserved for the page that lists a folder; choose another"
    errors = _errors(project)
    assert [e.split(": ", 1)[1] for e in errors] == [
        f"sections.9.id: 'index' cannot be a section id: {reserved}",
        f"facets.domain.values.index: 'index' cannot be a domain value: {reserved}",
    ]
    assert [e.split(":")[:2] for e in errors] == [
        ["catalog/taxonomy.yaml", str(lines.index("  - id: index") + 1)],
        ["catalog/taxonomy.yaml", str(lines.index("      index: Mental health") + 1)]]

    taxonomy.write_text((ROOT / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _with_copy(project, "qa-2024-medbench.yaml", "index.yaml", lambda t: t.replace(
        "key: qa-2024-medbench", "key: index").replace("MedBench-QA: A Benchmark", "Another Benchmark"))
    assert _errors(project)[-1] == f"catalog/entries/index.yaml:2: key: 'index' cannot be a key: {reserved}"


def test_fast_schema_check_agrees_with_jsonschema_on_every_file():
    """validate.py lets fastjsonschema say "valid" first; it must never accept what jsonschema rejects
    (or the other way round) on any entry we have: the real catalog, the fixtures and every bad case."""
    import copy

    import fastjsonschema

    from slmsurvey.catalog import validate as validation
    from slmsurvey.catalog.load import Document, parse_yaml

    files = [*(ROOT / "catalog" / "entries").glob("*.yaml"), *(FIXTURES / "catalog" / "entries").glob("*.yaml"),
             *(FIXTURES / "bad").glob("*.yaml"), FIXTURES / "hostile" / "evil-2024-script.yaml"]
    documents = [d for d in (parse_yaml(f.read_bytes(), f.name) for f in files) if isinstance(d, Document)]
    template = next(d for d in documents if d.file == "labrak-2024-biomistral.yaml").data
    for change in ({"added": "2026-02-30"}, {"added": "2026-2-3"}, {"links": {"paper": "ftp://x.org/a"}},
                   {"year": "2024"}, {"artifacts": [{"name": "M", "kind": "model", "parameters": -1}]}):
        documents.append(Document("bent", {**copy.deepcopy(template), **change}, {}))
    assert len(documents) > 100
    schema = (ROOT / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8")
    checked = 0
    for document in documents:
        try:  # the fast check is asked only of documents without a float (it takes 11.0 for an integer)
            validation._fast_check(schema)(document.data)
            fast_valid = not validation._has_float(document.data)
        except fastjsonschema.JsonSchemaException:
            fast_valid = False
        slow_valid = not any(validation._validator(schema).iter_errors(document.data))
        assert fast_valid == slow_valid, (document.file, fast_valid, slow_valid)
        checked += not slow_valid
    assert checked >= 10  # rejected documents were among them


@pytest.mark.parametrize("edit, message", [
    (lambda t: t + "{{ entry.no_such_field }}\n",
     "'slmsurvey.catalog.model.Entry object' has no attribute 'no_such_field'"),
    (lambda t: t.replace("{% if", "{% iff", 1),
     "Encountered unknown tag 'iff'. Jinja was looking for the following tags: 'endfor' or 'else'. "
     "The innermost block that needs to be closed is 'for'"),
])
def test_a_broken_template_is_named_with_its_line(fresh: Project, edit, message: str):
    template = fresh.root / "templates" / "entry.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(edit(text), encoding="utf-8")
    line = text.count("\n") + 1 if "no_such_field" in message else text[:text.index("{% if")].count("\n") + 1
    site_before, docs_before = snapshot(fresh.site), snapshot(fresh.docs)
    result = fresh.run("build")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == \
        f"error: templates/entry.md.j2:{line}: {message}; nothing was written"
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(fresh.site) == site_before and snapshot(fresh.docs) == docs_before


@pytest.mark.parametrize("link, kind", [("to.html", "HTML"), ("to.md", "Markdown")])
def test_a_template_link_to_a_page_the_site_lacks_is_named_with_its_line(fresh: Project, link: str, kind: str):
    """MkDocs checks no link inside the HTML that templates hand it ready-made, so the renderer does."""
    template = fresh.root / "templates" / "home.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text + f'<a href="{{{{ {link}(path.topic_page("year", "1066")) }}}}">1066</a>\n',
                        encoding="utf-8")
    site_before, docs_before = snapshot(fresh.site), snapshot(fresh.docs)
    result = fresh.run("build")
    assert result.returncode == 1, kind
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: templates/home.md.j2:{text.count(chr(10)) + 1}: index.md would link to topics/year/1066.md, "
        "which is not a page or file of the site; nothing was written")
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(fresh.site) == site_before and snapshot(fresh.docs) == docs_before


def test_mkdocs_itself_reports_catalog_problems_by_file_and_field(fresh: Project):
    """`mkdocs build` without our command line: the hook names every problem."""
    shutil.copy(BAD / "escaped-brace.yaml", fresh.entries / "doe-2024-case.yaml")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=fresh.root,
                            capture_output=True, text=True, env={**os.environ, **fresh.environment})
    assert result.returncode == 1
    assert f"ERROR   -  {F}:3: title: has unbalanced braces {{ }}" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Aborted!" not in result.stdout and "the catalog has 1 problem; nothing was written" in result.stdout


def test_a_catalog_folder_is_checked_against_its_own_schema_and_taxonomy(tmp_path: pathlib.Path):
    """`--catalog DIR` from anywhere: DIR's schema/ and taxonomy.yaml decide, not the project's."""
    catalog = new_catalog(tmp_path / "elsewhere" / "catalog")
    shutil.copy(FIXTURE_ENTRIES / "qa-2024-medbench.yaml", catalog / "entries")
    schema = catalog / "schema" / "entry.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"maxLength": 400', '"maxLength": 40', 1),
                      encoding="utf-8")
    taxonomy = catalog / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  - id: datasets\n", "  - id: data-sets\n"),
                        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "validate", "--catalog", str(catalog)],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "catalog/entries/qa-2024-medbench.yaml:3: title: is too long (64 characters; at most 40)" in result.stderr
    assert "catalog/entries/qa-2024-medbench.yaml:16: sections.0: unknown section 'datasets'; " \
           "did you mean 'data-sets'?" in result.stderr


def test_outside_a_project_the_command_line_says_where_it_looked(tmp_path: pathlib.Path):
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "validate"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: no mkdocs.yml in {tmp_path.resolve()} or above it: run this inside " \
                                    "the project, or pass --catalog"


def test_inside_a_project_the_command_line_finds_its_catalog(project: Project):
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "validate"], cwd=project.entries,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("catalog OK: 6 entries")


def test_a_missing_schema_is_a_problem_not_a_traceback(project: Project):
    (project.catalog / "schema" / "entry.schema.json").unlink()
    (project.catalog / "schema" / "taxonomy.schema.json").write_text("{not json", encoding="utf-8")
    assert _errors(project) == [
        "catalog/schema/entry.schema.json: cannot read the schema: No such file or directory",
        "catalog/schema/taxonomy.schema.json:1: the schema is not valid JSON: Expecting property name enclosed "
        "in double quotes: line 1 column 2 (char 1)",
    ]


def test_the_catalog_protected_words_decide_what_keeps_its_capitals(project: Project):
    words = project.catalog / "protected-words.txt"
    project.build()
    bib = project.site / "bib" / "entries" / "qa-2024-medbench.bib"
    assert "A Benchmark of" in bib.read_text(encoding="utf-8")
    words.write_text(words.read_text(encoding="utf-8") + "Benchmark\n", encoding="utf-8")
    project.build()
    assert "A {Benchmark} of" in bib.read_text(encoding="utf-8")
