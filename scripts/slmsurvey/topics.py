"""Facet indexes and related works, computed once per build from the catalog.

Typed facets come from the taxonomy; `year` and `size` are derived from each entry's data
(`model.derived_facets`); both kinds are ordinary `Facet`s here.

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
from .model import Catalog, Entry

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


def facet_values(catalog: Catalog, entry: Entry) -> list[tuple[str, str]]:
    """Every (facet, value) pair of an entry, tagged and derived."""
    return [(facet.id, value) for facet in catalog.all_facets for value in entry.values_of(facet.id)]


def topics(catalog: Catalog) -> dict[str, list[Topic]]:
    """Facet id -> its topics (values with at least one work), in vocabulary order."""
    members: dict[tuple[str, str], list[Entry]] = collections.defaultdict(list)
    for entry in catalog.entries:
        for pair in facet_values(catalog, entry):
            members[pair].append(entry)
    return {facet.id: [Topic(facet.id, facet.label, value, label, tuple(members[(facet.id, value)]))
                       for value, label in facet.values.items() if members[(facet.id, value)]]
            for facet in catalog.all_facets}


def related(catalog: Catalog) -> dict[str, tuple[Entry, ...]]:
    """Key -> up to five works sharing the most (and the rarest) facet values, sections or base models.

    Candidates come only from an entry's rarest values, so the cost stays linear in the catalog size.
    """
    features = {e.key: set(facet_values(catalog, e)) | {("section", s) for s in e.sections} |
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
