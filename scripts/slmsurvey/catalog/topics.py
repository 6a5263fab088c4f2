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

from slmsurvey import urls
from slmsurvey.catalog.model import Catalog, Entry, Taxonomy
from slmsurvey.parallel import parallel_map

RELATED_COUNT = 5
_CANDIDATE_VALUES = 3  # the rarest facet values of an entry that propose related works
_CANDIDATES_PER_VALUE = 60


@dataclasses.dataclass(frozen=True)
class Topic:
    facet: str
    facet_label: str
    value: str
    label: str
    # A topic's pages show the works of their own page (render.Listing) and how many there are in all:
    # compared by count, a page is kept while its own works are unchanged (memo.RenderMemo).
    entries: tuple[Entry, ...] = dataclasses.field(compare=False)
    count: int = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "count", len(self.entries))

    @property
    def path(self) -> str:
        return urls.topic_page(self.facet, self.value)


def facet_values(taxonomy: Taxonomy, entry: Entry) -> list[tuple[str, str]]:
    """Every (facet, value) pair of an entry, tagged and derived."""
    return [(facet.id, value) for facet in taxonomy.all_facets for value in entry.values_of(facet.id)]


def topics(catalog: Catalog) -> dict[str, list[Topic]]:
    """Facet id -> its topics (values with at least one work), in vocabulary order."""
    members: dict[tuple[str, str], list[Entry]] = collections.defaultdict(list)
    for entry in catalog.entries:
        for pair in facet_values(catalog, entry):
            members[pair].append(entry)
    return {facet.id: [Topic(facet.id, facet.label, value, label, tuple(members[(facet.id, value)]))
                       for value, label in facet.values.items() if members[(facet.id, value)]]
            for facet in catalog.all_facets}


def related(catalog: Catalog, keys: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[Entry, ...]]:
    """Key -> up to five works sharing the most (and the rarest) facet values, sections or base models;
    `keys` are `related_keys(features(catalog))`, if found already."""
    by_key = {e.key: e for e in catalog.entries}
    keys = related_keys(features(catalog)) if keys is None else keys
    return {key: tuple(by_key[k] for k in related) for key, related in keys.items()}


def features(catalog: Catalog) -> dict[str, frozenset[tuple[str, str]]]:
    """Key -> what relates a work to others (`feature_set`), in the catalog's order."""
    return {e.key: feature_set(catalog, e) for e in catalog.entries}


def feature_set(taxonomy: Taxonomy, entry: Entry) -> frozenset[tuple[str, str]]:
    """What relates a work to others: its facet values, sections and base models."""
    return frozenset(facet_values(taxonomy, entry)) | {("section", s) for s in entry.sections} | \
        {("base", a.base_model.lower()) for a in entry.models if a.base_model}


def related_keys(features: dict[str, frozenset[tuple[str, str]]]) -> dict[str, tuple[str, ...]]:
    """`related`, by key. Candidates come only from a work's rarest values, so the cost stays linear
    in the catalog's size."""
    postings: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for key, mine in features.items():
        for feature in mine:
            postings[feature].append(key)
    weight = {feature: math.log(1 + len(features) / len(posted)) for feature, posted in postings.items()}

    def most_related(key: str) -> tuple[str, ...]:
        mine = features[key]
        shared = [f for f in mine if len(postings[f]) > 1]
        rarest = sorted(shared, key=lambda f: (len(postings[f]), f))[:_CANDIDATE_VALUES]
        candidates = {c for f in rarest for c in postings[f][:_CANDIDATES_PER_VALUE] if c != key}
        # fsum is exact, so a score does not depend on set order (which PYTHONHASHSEED changes).
        scored = sorted(candidates, key=lambda c: (-math.fsum(weight[f] for f in mine & features[c]), c))
        return tuple(scored[:RELATED_COUNT])

    return dict(zip(features, parallel_map(most_related, list(features))))
