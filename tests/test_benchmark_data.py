"""The benchmark's catalogs, cloned from the real entries, are ones the validator accepts, so that
`make bench` measures real work; and its plain site is the size it claims."""
from __future__ import annotations

import os
import pathlib
import statistics
import subprocess
import sys

from helpers import ROOT, make_project, new_catalog
from slmbench.catalogs import cloned_entries, real_entries, write_catalog, write_registry
from slmbench.plain import make_plain_site, median_markdown_size
from slmsurvey.catalog.load import load_catalog
from slmsurvey.catalog.validate import validate
from slmsurvey.text.textrules import normalize_title


def _catalog(tmp_path: pathlib.Path, count: int) -> tuple[list[dict], pathlib.Path]:
    entries = cloned_entries(count)
    catalog = new_catalog(tmp_path / "catalog")
    write_catalog(entries, catalog / "entries")
    write_registry(entries, catalog)
    return entries, catalog


def test_cloned_catalog_passes_the_validator(tmp_path: pathlib.Path):
    entries, folder = _catalog(tmp_path, 3 * len(real_entries()) + 5)
    loaded = load_catalog(folder)
    assert loaded.problems == ()
    catalog = validate(loaded)  # raises CatalogInvalid, listing every problem, if any
    assert sorted(e.key for e in catalog.entries) == sorted(e["key"] for e in entries)


def test_clones_keep_every_field_of_the_real_entries_but_the_unique_ones(tmp_path: pathlib.Path):
    real = real_entries()
    entries = cloned_entries(2 * len(real) + 1)
    assert entries == cloned_entries(2 * len(real) + 1)  # deterministic
    assert entries[:len(real)] == real
    for original, clone in zip(real, entries[len(real):2 * len(real)]):
        changed = {field for field in original if original[field] != clone[field]}
        assert changed <= {"key", "title", "doi", "arxiv", "links", "added", "updates", "artifacts"}  # links: paper
        assert {"key", "title", "added"} <= changed and set(clone) == set(original)
    for field, normalize in (("title", normalize_title), ("doi", str.lower), ("arxiv", str)):
        values = [normalize(e[field]) for e in entries if field in e]
        assert len(set(values)) == len(values), field
    added = [e["added"] for e in entries]
    assert len(set(added)) > len(real) // 10  # spread over time, not all on the day the real ones came


def test_plain_site_has_as_many_pages_of_the_median_size(tmp_path: pathlib.Path):
    docs = tmp_path / "ours"
    (docs / "sub").mkdir(parents=True)
    for number, size in enumerate((900, 4_000, 7_000, 12_000, 50_000)):
        (docs / ("sub" if number % 2 else ".") / f"p{number}.md").write_text("x" * size)
    median = median_markdown_size(docs)
    assert median == 7_000
    make_plain_site(tmp_path / "plain", 5, median)
    sizes = [p.stat().st_size for p in (tmp_path / "plain" / "docs").rglob("*.md")]
    assert len(sizes) == 5 and all(median <= s < median + 1_500 for s in sizes)
    assert abs(statistics.median(sizes) - median) < 1_500


def test_long_lists_are_split_into_linked_pages(tmp_path: pathlib.Path):
    """230 works in one section: three pages of at most 100, numbered on, linked both ways, and
    `mkdocs build --strict` (run by project.build) finds every link between them. The corrections
    page is paged the same way, the models table by 250 rows."""
    import re


    entries = cloned_entries(230)
    for entry in entries:
        entry["sections"] = ["pruning"]
        entry["facets"]["modality"] = ["text"]
        entry["corrections"] = [{"field": "year", "list_said": "2001", "correct": str(entry["year"]),
                                 "source": entry["sources"][0]}]
        entry["artifacts"] = [{"name": f"{entry['key']}-m{n}", "kind": "model", "parameters": 10**8 * (n + 1)}
                              for n in range(3)]  # 690 rows in the models table
        entry.pop("results", None)  # about models this catalog no longer holds
    project = make_project(tmp_path / "project", entries=[])
    write_catalog(entries, project.catalog / "entries")
    project.build()

    first = project.page("sections/pruning")
    second = project.page("sections/pruning/page-2")
    third = project.page("sections/pruning/page-3")
    assert not (project.site / "sections" / "pruning" / "page-4").exists()
    items = [re.findall(r'<li><a href="[./]*entries/([a-z0-9-]+)/"', page) for page in (first, second, third)]
    assert [len(keys) for keys in items] == [100, 100, 30]
    newest_first = sorted(entries, key=lambda e: (-e["year"], e["key"]))
    assert items[0] + items[1] + items[2] == [e["key"] for e in newest_first]
    assert '<ol start="101">' in second and '<ol start="201">' in third
    assert "Page 2 of 3" in second and 'aria-current="page">2<' in second
    assert 'href="page-2/"' in first and 'href="../page-3/"' in second and 'href="../../"' in third
    assert "230 works" in first and "<title>Pruning (page 2)" in second
    topic = project.page("topics/modality/text")
    assert 'href="page-2/"' in topic and (project.site / "topics/modality/text/page-3/index.html").is_file()

    corrections = [project.page("corrections")] + [project.page(f"corrections/page-{n}") for n in (2, 3)]
    assert [page.count("<h2 ") for page in corrections] == [100, 100, 30]
    assert "<title>Corrections to the original list (page 3)" in corrections[2]
    assert 'href="../../entries/' in corrections[1] and 'href="../page-3/"' in corrections[1]
    models = [project.page("models"), project.page("models/page-2"), project.page("models/page-3")]
    assert not (project.site / "models" / "page-4").exists()
    rows = [re.findall(r'<td><a href="([./]+)entries/([a-z0-9-]+)/">', page) for page in models]
    assert [len(r) for r in rows] == [250, 250, 190]
    assert {up for up, _ in rows[0]} == {"../"} and {up for up, _ in rows[1]} == {"../../"}
    assert "Page 1 of 3" in models[0] and 'data-rows="../data/models-rows.json"' in models[0]
    assert "the filters of" in models[1] and 'id="survey-filters"' not in models[1]
    import json
    every = json.loads((project.site / "data" / "models-rows.json").read_text(encoding="utf-8"))["rows"]
    assert every.count("<tr ") == 690 and set(re.findall(r'<td><a href="([./]+)entries/', every)) == {"../"}
    assert (project.site / "datasets" / "index.html").is_file() and not (project.site / "datasets" / "page-2").exists()


def test_parallel_rendering_gives_the_serial_output(tmp_path: pathlib.Path, monkeypatch):
    """Large catalogs render in forked workers; the site must be byte-for-byte the serial one."""
    import os

    from slmsurvey import parallel
    from slmsurvey.site.render import render_site

    monkeypatch.setattr(parallel, "single_threaded", lambda: True)  # whatever threads pytest runs
    entries, folder = _catalog(tmp_path, 120)
    catalog = validate(load_catalog(folder))
    site = {"url": "https://example.org/", "repo_url": "https://example.org/repo", "edit_uri": "edit/main/"}
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = render_site(catalog, site, ROOT / "templates")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    assert render_site(catalog, site, ROOT / "templates") == serial
    if len(os.sched_getaffinity(0)) > 1:
        assert len(set(parallel.parallel_map(lambda _: os.getpid(), range(8)))) > 1  # it really forked


def test_parallel_validation_reports_what_serial_does(tmp_path: pathlib.Path, monkeypatch):
    import pytest

    from slmsurvey import parallel
    from slmsurvey.problems import CatalogInvalid

    monkeypatch.setattr(parallel, "single_threaded", lambda: True)
    entries, folder = _catalog(tmp_path, 60)
    broken = sorted((folder / "entries").glob("*.yaml"))
    broken[3].write_text(broken[3].read_text(encoding="utf-8") + "sumary: a typo\n", encoding="utf-8")
    broken[40].write_text("key: [unclosed\n", encoding="utf-8")
    reports = []
    for threshold in (10**9, 0):
        monkeypatch.setattr(parallel, "PARALLEL_FROM", threshold)
        with pytest.raises(CatalogInvalid) as raised:
            validate(load_catalog(folder))
        reports.append([str(problem) for problem in raised.value.problems])
    assert reports[0] == reports[1] and len(reports[0]) == 2


def test_no_fork_while_other_threads_run():
    """As in `mkdocs serve`, whose server and file watcher are threads: the work runs in this process."""
    script = """
import os, threading
from slmsurvey import parallel
parallel.PARALLEL_FROM = 0
alone = set(parallel.parallel_map(lambda _: os.getpid(), range(8)))
stop = threading.Event()
threading.Thread(target=stop.wait).start()
shared = set(parallel.parallel_map(lambda _: os.getpid(), range(8)))
stop.set()
print(len(alone), shared == {os.getpid()})
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    processes_alone, stayed_in_process = result.stdout.split()
    assert stayed_in_process == "True", result.stderr
    if len(os.sched_getaffinity(0)) > 1:
        assert int(processes_alone) > 1  # without the thread, it did fork


def test_model_size_plot_labels_few_models_and_sums_up_many(tmp_path: pathlib.Path):
    """Up to 60 models, every point is labelled and the table lists each model; beyond, the labels would
    only overlap, so the table sums up each year (and the SVG stays small)."""
    from slmsurvey.site import plots

    _, folder = _catalog(tmp_path, 300)
    many = validate(load_catalog(folder))
    figure = plots.model_sizes(many)
    assert figure.header == ("Year", "Models", "Smallest", "Median", "Largest")
    models = [a for e in many.entries for a in e.models if a.parameters]
    assert len(models) > plots.MAX_LABELLED and sum(row[1] for row in figure.rows) == len(models)
    for drawing in figure.drawings:
        assert 'class="label"' not in drawing.svg and len(drawing.svg) < 200 * len(models)

    from regenerate_golden import fixture_catalog

    figure = plots.model_sizes(fixture_catalog(tmp_path / "fixture"))
    assert figure.header == ("Model", "Parameters", "Year")
    for drawing in figure.drawings:  # the fixture's few models all have room for their labels
        assert drawing.svg.count('class="label"') == len({(row[2], row[1]) for row in figure.rows}) > 0
