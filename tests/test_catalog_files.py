"""Every file of catalog/ is read by one loader and held to one set of text rules (issue 27): links,
hidden files, device names, field names YAML reads as numbers, the protected words, the unverified
list, titles in every script. Each case: the exact message with file, line and field, exit code 1,
no traceback; or, for what must be accepted, a catalog that validates."""
from __future__ import annotations

import os
import pathlib

import pytest

from helpers import FIXTURE_ENTRIES, ROOT, Project, invoke

ENTRY = "mueller-2023-tinymed.yaml"  # a fixture entry


def _errors(project: Project) -> list[str]:
    result = invoke(project, "validate")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[:-1]


def _valid(project: Project) -> str:
    result = invoke(project, "validate")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _copy_as(project: Project, key: str, **replacements: str) -> pathlib.Path:
    text = (FIXTURE_ENTRIES / ENTRY).read_text(encoding="utf-8").replace("key: mueller-2023-tinymed", f"key: {key}") \
        .replace("    id: tinymed-1.1b\n", f"    id: tinymed-1.1b-{key}\n")  # an artifact id is unique in the catalog
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    return project.write_entry(f"{key}.yaml", text)


LINK = "is a symbolic link: commit the file itself (a link can point anywhere on the machine that builds)"


def test_a_link_to_a_file_outside_the_repository_is_refused_and_not_read(project: Project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the first line of a private file\n", encoding="utf-8")
    (project.entries / "doe-2024-secret.yaml").symlink_to(secret)
    errors = _errors(project)
    assert errors == [f"catalog/entries/doe-2024-secret.yaml: {LINK}"]
    assert "root:x" not in "\n".join(errors)


def test_a_link_to_a_valid_entry_is_refused(project: Project, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((FIXTURE_ENTRIES / ENTRY).read_text(encoding="utf-8"), encoding="utf-8")
    (project.entries / ENTRY).unlink()
    (project.entries / ENTRY).symlink_to(outside)
    assert _errors(project) == [f"catalog/entries/{ENTRY}: {LINK}"]


@pytest.mark.parametrize("name", ["taxonomy.yaml", "unverified.yaml", "protected-words.txt",
                                  "schema/entry.schema.json"])
def test_a_link_in_place_of_any_catalog_file_is_refused(project: Project, name: str, tmp_path):
    path = project.catalog / name
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes() if path.exists() else b"")
    path.unlink(missing_ok=True)
    path.symlink_to(copy)
    assert f"catalog/{name}: {LINK}" in _errors(project)


def test_a_hidden_entry_file_is_reported_not_skipped(project: Project):
    (project.entries / ".doe-2024-draft.yaml").write_text("key: [broken\n", encoding="utf-8")
    (project.entries / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # other hidden files are not entries
    assert _errors(project) == ["catalog/entries/.doe-2024-draft.yaml: a hidden file is never published: "
                                "catalog entries are files named <key>.yaml"]


@pytest.mark.parametrize("key", ["aux", "con", "nul", "com1", "lpt9"])
def test_windows_device_names_are_refused_as_keys(project: Project, key: str):
    _copy_as(project, key, **{"{TinyMed}: A 1.1B": "{TinyMed} Again: A 1.1B", "10.9999/jici.2023.0042": "10.9999/x",
                              'arxiv: "2301.00001"': 'arxiv: "2301.09999"'})
    assert _errors(project) == [
        f"catalog/entries/{key}.yaml:2: key: '{key}' cannot be a key: Windows keeps the name for a device, so "
        "Git for Windows could not check the file out; choose another"]


def test_a_device_name_is_refused_as_a_section_id(project: Project):
    taxonomy = project.catalog / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  - id: pruning", "  - id: prn"),
                        encoding="utf-8")
    assert [e.split(": ", 1)[1] for e in _errors(project)] == [
        "sections.9.id: 'prn' cannot be a section id: Windows keeps the name for a device, so Git for Windows "
        "could not check the file out; choose another"]


@pytest.mark.parametrize("value, read_as", [("2024", "a number"), ("yes", "true or false"),
                                            ("2024-01-01", "a date"), ("null", "nothing (null)")])
def test_a_facet_value_that_yaml_reads_as_no_text_is_refused(project: Project, value: str, read_as: str):
    taxonomy = project.catalog / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("      mental-health: Mental health", f"      {value}: Mental health"),
                        encoding="utf-8")
    line = text[:text.index("      mental-health:")].count("\n") + 1
    assert _errors(project) == [f"catalog/taxonomy.yaml:{line}: facets.domain.values.{value}: YAML reads the "
                                f"field name {value!r} as {read_as}: put it in quotes"]


def test_the_protected_words_file_must_be_utf8(project: Project):
    (project.catalog / "protected-words.txt").write_bytes(b"# words\nBioGPT\nM\xfcller\n")
    assert _errors(project) == ["catalog/protected-words.txt:3: the file is not UTF-8 text (byte 0xfc)"]


def test_a_folder_in_place_of_the_protected_words_is_reported(project: Project):
    words = project.catalog / "protected-words.txt"
    words.unlink()
    words.mkdir()
    assert _errors(project) == ["catalog/protected-words.txt: is a folder or a device: a file was expected here"]


def test_a_protected_word_with_an_invisible_character_is_reported(project: Project):
    words = project.catalog / "protected-words.txt"
    words.write_text(words.read_text(encoding="utf-8") + "Bio\u200bGPT\n", encoding="utf-8")
    line = words.read_text(encoding="utf-8").count("\n")
    assert _errors(project) == [f"catalog/protected-words.txt:{line}: the word 'Bio\\u200bGPT' contains U+200B "
                                "ZERO WIDTH SPACE, an invisible formatting character (PDFs and web pages paste them "
                                "with the text): delete it or type it again"]


def test_a_byte_order_mark_does_not_unprotect_the_first_word(project: Project):
    words = project.catalog / "protected-words.txt"
    words.write_bytes(b"\xef\xbb\xbfBenchmark\n" + words.read_bytes())
    project.build()
    assert "A {Benchmark} of" in (project.site / "bib" / "entries" / "qa-2024-medbench.bib").read_text(encoding="utf-8")


@pytest.mark.parametrize("field, value, message", [
    ("title", "Bidi \u202e override", "contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible formatting character "
                                      "(PDFs and web pages paste them with the text): delete it or type it again"),
    ("note", "A bell \u0007 rings here.", "contains U+0007, a control character: delete it or type it again"),
    ("title", "Not \ufffe a character", "contains U+FFFE, not a character (a noncharacter or an unassigned code "
                                        "point), which XML and fonts cannot carry: delete it or type it again"),
    ("url", "https://user:secret@example.org/paper", "a link must not carry a user name or password"),
    ("url", "https://example.org/paper?utm_source=x", "remove the tracking parameter 'utm_source' from the link"),
])
def test_the_unverified_list_obeys_the_text_and_link_rules(project: Project, field: str, value: str, message: str):
    import json

    unverified = project.catalog / "unverified.yaml"
    item = {"title": "A work nobody could verify", "sections": ["datasets"], "url": "https://example.org/w",
            "note": "Only a link is known."}
    item[field] = value
    unverified.write_text("- " + "\n  ".join(f"{k}: {json.dumps(v)}" for k, v in item.items()) + "\n",
                          encoding="utf-8")
    line = 1 + list(item).index(field)
    assert _errors(project) == [f"catalog/unverified.yaml:{line}: 0.{field}: {message}"]


def test_titles_in_other_scripts_are_not_the_same_title(project: Project):
    """Title normalisation kept only a-z0-9, so two Greek titles were refused as one."""
    _copy_as(project, "papadopoulos-2024-mikra", **{
        "{TinyMed}: A 1.1B Parameter Model for Clinical Notes & Discharge Summaries": "Μικρά γλωσσικά μοντέλα",
        "10.9999/jici.2023.0042": "10.9999/greek.1", 'arxiv: "2301.00001"': 'arxiv: "2301.09998"'})
    _copy_as(project, "papadopoulos-2024-megala", **{
        "{TinyMed}: A 1.1B Parameter Model for Clinical Notes & Discharge Summaries": "Μεγάλα γλωσσικά μοντέλα",
        "10.9999/jici.2023.0042": "10.9999/greek.2", 'arxiv: "2301.00001"': 'arxiv: "2301.09997"'})
    assert _valid(project).startswith("catalog OK: 8 entries")
    _copy_as(project, "papadopoulos-2024-again", **{
        "{TinyMed}: A 1.1B Parameter Model for Clinical Notes & Discharge Summaries": "ΜΙΚΡΆ Γλωσσικά  Μοντέλα!",
        "10.9999/jici.2023.0042": "10.9999/greek.3", 'arxiv: "2301.00001"': 'arxiv: "2301.09996"'})
    assert _errors(project) == ["catalog/entries/papadopoulos-2024-mikra.yaml:3: title: the same title is already "
                                "in catalog/entries/papadopoulos-2024-again.yaml"]


def test_import_bib_takes_a_value_that_looks_like_a_date(project: Project, tmp_path):
    bib = tmp_path / "dated.bib"
    bib.write_text("@article{doe2024,\n  title = {2025-02-30},\n  author = {Doe, Jane},\n  year = {2024},\n"
                   "  journal = {Journal of Dates},\n  doi = {10.9999/dated.1}\n}\n", encoding="utf-8")
    result = project.run("import-bib", str(bib), "--catalog", str(project.catalog))
    assert "Traceback" not in result.stderr, result.stderr
    written = project.entries / "doe-2024-20250230.yaml"
    assert 'title: "2025-02-30"' in written.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_linked_entries_folder_is_refused(project: Project, tmp_path):
    moved = tmp_path / "entries"
    project.entries.rename(moved)
    project.entries.symlink_to(moved)
    assert f"catalog/entries: {LINK}" in _errors(project)




YAML_KINDS = """\
title: plain text
quoted: "2024-01-02"
date: 2024-01-02
stamp: 2024-01-02 10:20:30
count: 0x1F
negative: -12_000
share: 1.5e3
infinite: .inf
yes_word: yes
nothing: ~
list: [1, "two", {three: 3}]
folded: >-
  two
  lines
"""


def test_the_catalog_reader_builds_what_pyyaml_builds_with_dates_as_text():
    """load.parse_yaml builds values itself, not through PyYAML's constructor: for every kind of scalar
    and for every real and fixture entry, the same values, dates as ISO text."""
    import datetime

    import yaml

    from slmsurvey.catalog.load import parse_yaml

    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value

    texts = [YAML_KINDS.encode()] + [p.read_bytes() for folder in ("catalog/entries", "tests/fixtures/catalog/entries")
                                     for p in sorted((ROOT / folder).glob("*.yaml"))]
    for raw in texts:
        built = parse_yaml(raw, "entry.yaml").data
        expected = plain(yaml.load(raw, Loader=yaml.CSafeLoader))
        assert repr(built) == repr(expected)
    kinds = parse_yaml(YAML_KINDS.encode(), "kinds.yaml").data
    assert kinds["date"] == "2024-01-02" and kinds["count"] == 31 and kinds["yes_word"] is True
