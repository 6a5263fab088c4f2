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
