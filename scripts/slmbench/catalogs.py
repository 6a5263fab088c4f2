"""Benchmark catalogs cloned from the real entries, so that every page carries what real pages carry.

Clone `n` of a real entry keeps all its fields (long author lists, artifacts, corrections, notices,
summaries) and changes only what must stay unique across the catalog or would be wrong twice: the
key, the title (validator: one title per work), the DOI and the arXiv id; its `added` date is spread
back over the years (ten works a day), so /news/ and the feed see a catalog that grew over time.
The first copies are the real entries themselves.
"""
from __future__ import annotations

import copy
import datetime
import pathlib
import re
import shutil
from typing import Any

import yaml

from slmsandbox.project import Project, make_project

from . import ROOT

ADDED_PER_DAY = 10


def real_entries(root: pathlib.Path = ROOT) -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((root / "catalog" / "entries").glob("*.yaml"))]


def cloned_entries(count: int, originals: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """`count` valid catalog entries: the real ones, then numbered clones of them in turn."""
    originals = originals or real_entries()
    arxiv_ids = {entry["arxiv"] for entry in originals if "arxiv" in entry}
    entries = []
    for index in range(count):
        original = originals[index % len(originals)]
        copy_number = index // len(originals)
        entries.append(original if copy_number == 0 else _clone(original, copy_number, index, arxiv_ids))
    return _results_of_present_models(entries)


def _results_of_present_models(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A catalog smaller than the real one keeps only the results about models it holds."""
    present = {a["id"] for e in entries for a in e.get("artifacts", []) if "id" in a}
    kept = []
    for entry in entries:
        results = [r for r in entry.get("results", []) if r["model"] in present]
        if len(results) != len(entry.get("results", [])):
            entry = {k: v for k, v in entry.items() if k != "results"} | ({"results": results} if results else {})
        kept.append(entry)
    return kept


def write_registry(entries: list[dict[str, Any]], catalog: pathlib.Path, root: pathlib.Path = ROOT) -> None:
    """The real registry of benchmarks into `catalog`, naming only the introducing works it holds."""
    registry = yaml.safe_load((root / "catalog" / "benchmarks.yaml").read_text(encoding="utf-8"))
    keys = {entry["key"] for entry in entries}
    for benchmark in registry["benchmarks"]:
        if benchmark.get("introduced_by") not in keys:
            benchmark.pop("introduced_by", None)
    (catalog / "benchmarks.yaml").write_text(yaml.dump(registry, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
                                             encoding="utf-8")


def _clone(original: dict[str, Any], number: int, index: int, arxiv_ids: set[str]) -> dict[str, Any]:
    entry = copy.deepcopy(original)
    entry["key"] = f"{original['key']}-{number}"
    entry["title"] = f"{original['title']} (replication {number})"
    if "doi" in entry:
        entry["doi"] = f"{entry['doi']}.r{number}"
    if "arxiv" in entry:
        # A well-formed new-style id of the same month, unique in the catalog.
        serial = index * 7919
        while (arxiv := f"{original['arxiv'][:4]}.{serial % 100000:05d}") in arxiv_ids:
            serial += 1
        arxiv_ids.add(arxiv)
        entry["arxiv"] = arxiv
    links = entry.get("links", {})
    for field in ("arxiv", "doi"):  # the paper link names the clone's own identifier, as the validator asks
        if field in original and isinstance(links.get("paper"), str):
            links["paper"] = re.sub(re.escape(original[field]), entry[field], links["paper"], flags=re.IGNORECASE)
    for artifact in entry.get("artifacts", []):  # unique in the catalog; the clone's results keep naming
        if "id" in artifact:                     # the real models, which every cloned catalog holds
            artifact["id"] = f"{artifact['id']}-r{number}"
    added = datetime.date.fromisoformat(str(original["added"])) - datetime.timedelta(days=index // ADDED_PER_DAY)
    entry["added"] = added.isoformat()
    for update in entry.get("updates", []):  # an update is never older than the work's addition
        update["date"] = max(datetime.date.fromisoformat(str(update["date"])), added).isoformat()
    return entry


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    """No anchors or aliases (the loader refuses them), even where clones share an object."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def entry_yaml(entry: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=../schema/entry.schema.json\n"
    # One line per scalar (no folding), so that the preview benchmark can retitle a work by its title line.
    return header + yaml.dump(entry, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 16)


def write_catalog(entries: list[dict[str, Any]], folder: pathlib.Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        (folder / f"{entry['key']}.yaml").write_text(entry_yaml(entry), encoding="utf-8")


def bench_project(root: pathlib.Path, count: int, environment: dict | None = None) -> Project:
    """A project holding `count` cloned works and the real catalog's list of unverified works."""
    project = make_project(root, environment=environment)
    entries = cloned_entries(count)
    write_catalog(entries, project.entries)
    write_registry(entries, project.catalog)
    shutil.copy(ROOT / "catalog" / "unverified.yaml", project.catalog / "unverified.yaml")
    return project
