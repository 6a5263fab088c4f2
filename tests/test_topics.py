"""Facet indexes and related works, from the fixture catalog."""
from __future__ import annotations

import pytest

from helpers import ROOT, make_project
from regenerate_golden import fixture_catalog
from slmsurvey.catalog import topics


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    return fixture_catalog(tmp_path_factory.mktemp("topics"))


def test_topics_cover_typed_and_derived_facets(catalog):
    by_facet = topics.topics(catalog)
    assert list(by_facet) == ["domain", "modality", "task", "technique", "year", "size"]
    mental = next(t for t in by_facet["domain"] if t.value == "mental-health")
    assert [e.key for e in mental.entries] == ["chatbot-2025-mindful"]
    assert [t.value for t in by_facet["year"]] == ["2025", "2024", "2023"]
    sizes = {t.value: [e.key for e in t.entries] for t in by_facet["size"]}
    assert sizes == {"1b-5b": ["cardmaker-2024-tinycare", "chatbot-2025-mindful", "mueller-2023-tinymed"]}


def test_related_works_share_rare_features_and_never_include_the_entry(catalog):
    related = topics.related(catalog)
    for key, others in related.items():
        assert key not in [o.key for o in others]
        assert len(others) <= topics.RELATED_COUNT
    # Both quantized models: the quantization technique and section are what they share.
    assert related["chatbot-2025-mindful"][0].key == "mueller-2023-tinymed"
    # A work whose own rarest features are unique still gets related works through shared ones.
    assert related["okafor-2023-healthbot"]


def test_related_works_do_not_depend_on_the_hash_seed():
    """Builds are reproducible: set order (which PYTHONHASHSEED changes) must not reorder ties."""
    import os
    import subprocess
    import sys

    script = ("import pathlib; from slmsurvey.build import read_catalog; from slmsurvey.catalog.topics import related; "
              f"r = related(read_catalog(pathlib.Path({str(ROOT / 'catalog')!r}))); "
              "print({k: [e.key for e in v] for k, v in sorted(r.items())})")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1


def test_size_is_a_property_of_each_model(tmp_path):
    """A work is under every size band its models fall in (Meditron-7B is in 5B – 10B although its work
    also releases a 70B model); its size cell names each size once, smallest first."""
    project = make_project(tmp_path / "project")
    path = project.entries / "mueller-2023-tinymed.yaml"
    more = "".join(f"  - name: TinyMed-{name}\n    kind: model\n    parameters: {count}\n"
                   for name, count in (("70B", 70_000_000_000), ("350M", 350_000_000), ("1.1B-chat", 1_100_000_000)))
    path.write_text(path.read_text(encoding="utf-8").replace("summary: >-\n", more + "summary: >-\n", 1),
                    encoding="utf-8")
    project.build()
    for band in ("under-1b", "1b-5b", "over-10b"):
        assert "entries/mueller-2023-tinymed/" in project.page(f"topics/size/{band}"), band
    assert not (project.site / "topics" / "size" / "5b-10b").exists()  # no model of that size
    row = next(r for r in project.page("browse").split("<tr ") if 'data-key="mueller-2023-tinymed"' in r)
    assert 'data-size="under-1b 1b-5b over-10b"' in row
    assert '<td data-value="70000000000">350M, 1.1B, 70B</td>' in row
