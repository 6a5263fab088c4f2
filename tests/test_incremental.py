"""What `mkdocs serve` keeps between builds (memory.Memory) never changes what is built: after every
kind of edit, a render given the earlier renders' memory returns exactly what a render from nothing
returns; and an edit of one work renders and writes only what shows that work."""
from __future__ import annotations

import re

import pytest
import yaml

from helpers import HAND_WRITTEN_DOCS, snapshot
from slmbench.catalogs import bench_project, entry_yaml
from slmsurvey.build import generate, read_catalog
from slmsurvey.locations import Paths
from slmsurvey.memory import Memory
from slmsurvey.problems import CatalogInvalid
from slmsurvey.site.render import TemplateFailed, render_site

SITE = {"url": "https://example.org/survey/", "repo_url": "https://example.org/repo", "edit_uri": "edit/main/"}
WORKS = 240  # enough for paged section, topic and table pages


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return bench_project(tmp_path_factory.mktemp("incremental") / "project", WORKS)


def render(project, memory: Memory | None = None) -> dict[str, str]:
    memory = memory or Memory()
    return render_site(read_catalog(project.catalog, memory), SITE, project.root / "templates", memory.rendered)


def _entry(project, key: str) -> dict:
    return yaml.safe_load((project.entries / f"{key}.yaml").read_text(encoding="utf-8"))


def _save(project, entry: dict, key: str | None = None) -> None:
    (project.entries / f"{key or entry['key']}.yaml").write_text(entry_yaml(entry), encoding="utf-8")


def _first(project) -> str:
    return min(project.entries.glob("*.yaml")).stem


def retitle(project):
    entry = _entry(project, _first(project))
    _save(project, {**entry, "title": entry["title"] + " (retitled)"})


def move_to_another_domain(project):
    entry = _entry(project, _first(project))
    domains = ["oncology"] if entry["facets"].get("domain") != ["oncology"] else ["radiology"]
    _save(project, {**entry, "facets": {**entry["facets"], "domain": domains}})


def change_year(project):  # the derived year facet gains a value: every page's taxonomy changes
    entry = _entry(project, _first(project))
    # a year no work has (the first work is among the newest); the key keeps its year (keys.py)
    _save(project, {**entry, "year": entry["year"] + 1})


def add_a_work(project):
    entry = {k: v for k, v in _entry(project, _first(project)).items() if k not in ("doi", "arxiv")}
    _save(project, {**entry, "key": "zz-2025-added", "title": "An added work", "year": 2025,
                    "authors": [{"literal": "ZZ"}]})


def remove_a_work(project):
    (project.entries / "zz-2025-added.yaml").unlink()


def rename_a_work(project):
    old = _first(project)
    entry = _entry(project, old)
    (project.entries / f"{old}.yaml").unlink()
    _save(project, {**entry, "key": "aaa-" + old.split("-", 1)[1], "authors": [{"literal": "AAA"}, *entry["authors"]]})


def edit_the_taxonomy(project):
    path = project.catalog / "taxonomy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Oncology", "Oncology and haematology"), encoding="utf-8")


def edit_a_template(project):
    path = project.root / "templates" / "section.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")


def edit_the_protected_words(project):
    path = project.catalog / "protected-words.txt"
    path.write_text(path.read_text(encoding="utf-8") + "Benchmark\n", encoding="utf-8")


def same_size_edit(project):  # only the times and inode tell this file changed
    path = project.entries / f"{_first(project)}.yaml"
    text = path.read_text(encoding="utf-8")
    key_year = int(_first(project).split("-")[1])  # the year moves within what the key allows (keys.py)
    def moved(match) -> str:
        year = int(match.group(1))
        return f"year: {year + 1 if year == key_year else year - 1}"
    edited = re.sub(r"(?m)^year: (\d{4})$", moved, text, count=1)
    assert len(edited) == len(text) and edited != text
    path.write_text(edited, encoding="utf-8")


def change_a_reported_number(project):  # another work's model shows a new range on /models/
    path = next(p for p in sorted(project.entries.glob("*.yaml")) if "\nresults:" in p.read_text(encoding="utf-8"))
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = entry["results"][0]
    value = float(first["value"])
    first["value"] = f"{value - 0.5 if value >= 1 else value / 2:g}"
    first.pop("cell", None)
    _save(project, entry, path.stem)


EDITS = [retitle, move_to_another_domain, change_year, add_a_work, remove_a_work, rename_a_work,
         edit_the_taxonomy, edit_a_template, edit_the_protected_words, same_size_edit, change_a_reported_number]


@pytest.mark.parametrize("rows_per_table_page", [None, 40])  # 40: /models/ in pages, with its file of every row
def test_after_every_kind_of_edit_the_kept_session_renders_what_a_fresh_render_does(project, rows_per_table_page,
                                                                                    monkeypatch):
    if rows_per_table_page:
        monkeypatch.setattr("slmsurvey.site.render.TABLE_PAGE_SIZE", rows_per_table_page)
    session = Memory()
    render(project, session)
    for edit in EDITS:
        edit(project)
        kept, fresh = render(project, session), render(project)
        differ = sorted(p for p in kept.keys() | fresh.keys() if kept.get(p) != fresh.get(p))
        assert not differ, f"after {edit.__name__}, the kept session renders differently: {differ[:5]}"


def test_an_invalid_edit_then_its_fix_renders_what_a_fresh_render_does(project):
    session = Memory()
    render(project, session)
    path = project.entries / f"{_first(project)}.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("\nyear: ", "\nyear: nineteen # ", 1), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as refused:
        render(project, session)
    assert [f"{p.file}:{p.field}" for p in refused.value.problems] == [f"catalog/entries/{path.name}:year"]
    entry = yaml.safe_load(good)
    path.write_text(entry_yaml({**entry, "title": "Fixed " + entry["title"]}), encoding="utf-8")
    assert render(project, session) == render(project)


def test_a_retitled_work_renders_and_writes_only_what_shows_it(project, tmp_path):
    session = Memory()
    paths = Paths.of(project.root)
    first = generate(paths, SITE, session).changes
    retitle(project)
    second = generate(paths, SITE, session).changes
    # The work's page, the pages that list it or link it as related, /browse/, the news and the
    # downloads: a few dozen of the site's files, not the rest.
    assert second["total"] == first["total"]
    assert second["kept"] > 0.9 * second["pages"], second
    assert 5 < second["written"] < 0.1 * second["total"], second
    assert generate(paths, SITE, session).changes["written"] == 0


def test_a_template_that_reads_every_work_must_say_so(project, tmp_path):
    """Templates outside render.WHOLE_CATALOG see only the taxonomy, so that they can be kept while
    what they are given is unchanged; reading the list of works fails with the line that does."""
    templates = tmp_path / "templates"
    templates.mkdir()
    for source in (project.root / "templates").glob("*.j2"):
        (templates / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    section = templates / "section.md.j2"
    text = section.read_text(encoding="utf-8")
    section.write_text(text + "{{ catalog.entries|length }}\n", encoding="utf-8")
    with pytest.raises(TemplateFailed, match=rf"section\.md\.j2:{text.count(chr(10)) + 1}: .*'entries'"):
        render_site(read_catalog(project.catalog), SITE, templates)


def test_a_macro_every_list_uses_cannot_go_missing_unnoticed(project, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    for source in (project.root / "templates").glob("*.j2"):
        text = source.read_text(encoding="utf-8")
        (templates / source.name).write_text(text.replace("macro browse_row(", "macro browse_rows("), encoding="utf-8")
    with pytest.raises(TemplateFailed, match=r"_macros\.j2: has no macro 'browse_row'"):
        render_site(read_catalog(project.catalog), SITE, templates)


def test_docs_written_through_a_session_hold_what_a_fresh_build_writes(project, tmp_path):
    session = Memory()
    kept, fresh = Paths.of(project.root), Paths.of(project.root, docs=tmp_path / "docs")
    generate(kept, SITE, session)
    for edit in (add_a_work, retitle, rename_a_work, remove_a_work):
        edit(project)
        generate(kept, SITE, session)
    generate(fresh, SITE)
    assert snapshot(kept.docs) == snapshot(fresh.docs) | {
        name: data for name, data in snapshot(kept.docs).items() if name in HAND_WRITTEN_DOCS}
