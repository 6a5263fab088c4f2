"""Facet indexes and related works, computed once per build from the catalog.

Typed facets come from the taxonomy; `year` and `size` are derived from each entry's data.

Material's tags plugin is not used for these pages: it lists every tag on one page, while the site
promises one stable URL per facet value (/topics/<facet>/<value>/), needs derived facets, and must
build without MkDocs plugins so that the generated Markdown also builds with Zensical.
"""
from __future__ import annotations

import collections
import dataclasses
import math

from . import paths
from .parallel import parallel_map
from .model import SIZE_BANDS, Catalog, Entry

DERIVED = {"year": "Year", "size": "Model size"}
RELATED_COUNT = 5
_CANDIDATE_VALUES = 3  # the rarest facet values of an entry that propose related works
_CANDIDATES_PER_VALUE = 60


@dataclasses.dataclass(frozen=True)
class Topic:
    facet: str
    facet_label: str
    value: str
    label: str
    entries: tuple[Entry, ...]

    @property
    def path(self) -> str:
        return paths.topic_page(self.facet, self.value)


def facet_values(entry: Entry) -> list[tuple[str, str]]:
    """Every (facet, value) pair of an entry, typed and derived."""
    pairs = [(facet, value) for facet, values in entry.facets.items() for value in values]
    pairs.append(("year", str(entry.year)))
    if entry.size_band:
        pairs.append(("size", entry.size_band))
    return pairs


def topics(catalog: Catalog) -> dict[str, list[Topic]]:
    """Facet id -> its topics (values with at least one work), in vocabulary order."""
    members: dict[tuple[str, str], list[Entry]] = collections.defaultdict(list)
    for entry in catalog.entries:
        for pair in facet_values(entry):
            members[pair].append(entry)
    result: dict[str, list[Topic]] = {}
    for facet in catalog.facets:
        result[facet.id] = [Topic(facet.id, facet.label, value, label, tuple(members[(facet.id, value)]))
                            for value, label in facet.values.items() if members[(facet.id, value)]]
    years = sorted({int(v) for f, v in members if f == "year"}, reverse=True)
    result["year"] = [Topic("year", DERIVED["year"], str(y), str(y), tuple(members[("year", str(y))])) for y in years]
    result["size"] = [Topic("size", DERIVED["size"], band, label, tuple(members[("size", band)]))
                      for band, label, _ in SIZE_BANDS if members[("size", band)]]
    return result


def related(catalog: Catalog) -> dict[str, tuple[Entry, ...]]:
    """Key -> up to five works sharing the most (and the rarest) facet values, sections or base models.

    Candidates come only from an entry's rarest values, so the cost stays linear in the catalog size.
    """
    features = {e.key: set(facet_values(e)) | {("section", s) for s in e.sections} |
                {("base", a.base_model.lower()) for a in e.models if a.base_model} for e in catalog.entries}
    postings: dict[tuple[str, str], list[Entry]] = collections.defaultdict(list)
    for entry in catalog.entries:
        for feature in features[entry.key]:
            postings[feature].append(entry)
    weight = {feature: math.log(1 + len(catalog.entries) / len(posted)) for feature, posted in postings.items()}

    def most_related(entry: Entry) -> tuple[str, ...]:
        mine = features[entry.key]
        shared = [f for f in mine if len(postings[f]) > 1]
        rarest = sorted(shared, key=lambda f: (len(postings[f]), f))[:_CANDIDATE_VALUES]
        candidates = {c.key: c for f in rarest for c in postings[f][:_CANDIDATES_PER_VALUE] if c.key != entry.key}
        # fsum is exact, so a score does not depend on set order (which PYTHONHASHSEED changes).
        scored = sorted(candidates.values(),
                        key=lambda c: (-math.fsum(weight[f] for f in mine & features[c.key]), c.key))
        return tuple(c.key for c in scored[:RELATED_COUNT])

    by_key = {e.key: e for e in catalog.entries}
    keys = parallel_map(most_related, catalog.entries)  # keys, not entries: less to send back
    return {e.key: tuple(by_key[k] for k in related) for e, related in zip(catalog.entries, keys)}
