"""The benchmark's synthetic catalog is one the validator accepts, so `make bench` measures real work."""
from __future__ import annotations

import importlib.util
import pathlib
import shutil

from conftest import ROOT
from slmsurvey.load import load_catalog
from slmsurvey.model import normalize_title
from slmsurvey.validate import validate


def _benchmark_module():
    spec = importlib.util.spec_from_file_location("slmsurvey_benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


benchmark = _benchmark_module()


def _catalog(tmp_path: pathlib.Path, count: int) -> tuple[list[dict], pathlib.Path]:
    entries = benchmark.synthetic_entries(count, benchmark.read_taxonomy())
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    shutil.copy(ROOT / "catalog" / "taxonomy.yaml", catalog / "taxonomy.yaml")
    benchmark.write_catalog(entries, catalog / "entries")
    return entries, catalog


def test_synthetic_catalog_passes_the_validator(tmp_path: pathlib.Path):
    entries, folder = _catalog(tmp_path, 50)
    loaded = load_catalog(folder)
    assert loaded.problems == ()
    catalog = validate(loaded)  # raises CatalogInvalid, listing every problem, if any
    assert len(catalog.entries) == 50
    assert sorted(e.key for e in catalog.entries) == sorted(e["key"] for e in entries)


def test_synthetic_titles_dois_and_arxiv_ids_are_unique(tmp_path: pathlib.Path):
    entries, _ = _catalog(tmp_path, 50)
    titles = [normalize_title(e["title"]) for e in entries]
    assert len(set(titles)) == len(titles)
    dois = [e["doi"].lower() for e in entries if "doi" in e]
    assert dois and len(set(dois)) == len(dois)
    arxiv = [e["arxiv"] for e in entries if "arxiv" in e]
    assert arxiv and len(set(arxiv)) == len(arxiv)


def test_synthetic_catalog_is_realistic_and_deterministic():
    taxonomy = benchmark.read_taxonomy()
    entries = benchmark.synthetic_entries(50, taxonomy)
    assert entries == benchmark.synthetic_entries(50, taxonomy)
    assert all(3 <= len(e["authors"]) <= 12 for e in entries)
    assert all(1 <= len(e["sections"]) <= 3 for e in entries)
    assert any(a.get("parameters") for e in entries for a in e.get("artifacts", ()))
    facet_values = {name: set(f["values"]) for name, f in taxonomy["facets"].items()}
    assert all(set(values) <= facet_values[name] for e in entries for name, values in e["facets"].items())


def test_long_lists_are_split_into_linked_pages(tmp_path: pathlib.Path):
    """230 works in one section: three pages of at most 100, numbered on, linked both ways, and
    `mkdocs build --strict` (run by project.build) finds every link between them."""
    import re

    from conftest import make_project

    entries = benchmark.synthetic_entries(230, benchmark.read_taxonomy())
    for entry in entries:
        entry["sections"] = ["pruning"]
        entry["facets"]["modality"] = ["text"]
    project = make_project(tmp_path / "project", entries=[])
    benchmark.write_catalog(entries, project.catalog / "entries")
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


def test_parallel_rendering_gives_the_serial_output(tmp_path: pathlib.Path, monkeypatch):
    """Large catalogs render in forked workers; the site must be byte-for-byte the serial one."""
    import os

    from slmsurvey import parallel
    from slmsurvey.render import render_site

    entries, folder = _catalog(tmp_path, 120)
    catalog = validate(load_catalog(folder))
    site = {"url": "https://example.org/", "repo_url": "https://example.org/repo", "edit_uri": "edit/main/"}
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = render_site(catalog, site)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    assert render_site(catalog, site) == serial
    if len(os.sched_getaffinity(0)) > 1:
        assert len(set(parallel.parallel_map(lambda _: os.getpid(), range(8)))) > 1  # it really forked


def test_parallel_validation_reports_what_serial_does(tmp_path: pathlib.Path, monkeypatch):
    import pytest

    from slmsurvey import parallel
    from slmsurvey.problems import CatalogInvalid

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


def test_model_size_plot_labels_few_models_and_sums_up_many(tmp_path: pathlib.Path):
    """Up to 60 models, every point is labelled and the table lists each model; beyond, the labels would
    only overlap, so the table sums up each year (and the SVG stays small)."""
    from slmsurvey import plots

    _, folder = _catalog(tmp_path, 300)
    many = validate(load_catalog(folder))
    svg, header, rows = plots.model_sizes(many)
    assert header == ["Year", "Models", "Smallest", "Median", "Largest"]
    models = [a for e in many.entries for a in e.models if a.parameters]
    assert len(models) > plots.MAX_LABELLED and sum(row[1] for row in rows) == len(models)
    assert 'class="label"' not in svg and len(svg) < 200 * len(models)

    from regenerate_golden import fixture_catalog

    svg, header, rows = plots.model_sizes(fixture_catalog(tmp_path / "fixture"))
    assert header == ["Model", "Parameters", "Year"]
    assert svg.count('class="label"') == len({(row[2], row[1]) for row in rows}) > 0
