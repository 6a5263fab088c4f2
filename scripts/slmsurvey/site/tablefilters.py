"""What the filterable tables (/browse/, /models/, /datasets/) filter on, from one place: each row's
values, which its template writes as data attributes, and the choices each filter offers, made from
the same values, so that no choice is offered that finds nothing and every row answers to the
choices. The page script (assets/js/filters.js) knows none of this: a control's `data-filter` names
the row attribute it reads.

A row of /browse/ is a work; a row of /models/ or /datasets/ is one model or dataset of a work. Size,
licence and access are properties of each model or dataset: a work's row has every value its
artifacts have, a model's row only its own.
"""
from __future__ import annotations

import collections
import dataclasses
import itertools
import re
from typing import Iterable

from slmsurvey.catalog.model import ACCESS_TIERS, SIZE_BANDS, Artifact, Entry, Facet
from slmsurvey.text.textrules import fold

# The filters that are not facets of the taxonomy, named as in the page's query (?licence=mit): the
# taxonomy may not use these names for a facet (model.RESERVED_FACET_IDS).
SIZE, LICENCE, ACCESS = "size", "licence", "access"


@dataclasses.dataclass(frozen=True)
class Choice:
    value: str  # as in the rows' attribute and the page's query
    label: str
    count: int  # rows with it


@dataclasses.dataclass(frozen=True)
class Choices:
    """The choices of a table's filters, each only with values some row has."""
    size: tuple[Choice, ...]
    licence: tuple[Choice, ...]
    access: tuple[Choice, ...]
    facets: tuple[tuple[Facet, tuple[Choice, ...]], ...]
    years: tuple[int, int] | None  # the first and last year of the rows


Row = tuple[Entry, Artifact | None]  # a work (in /browse/) or one of its models or datasets


def licence_value(licence: str) -> str:
    """A licence as a filter value: its text folded to [a-z0-9-] ('CC-BY-NC-4.0' -> 'cc-by-nc-4-0').
    Licences are written as their sources state them, so each distinct text is a choice of its own."""
    return re.sub(r"[^a-z0-9]+", "-", fold(licence)).strip("-")


def _artifacts(row: Row) -> tuple[Artifact, ...]:
    entry, artifact = row
    return (artifact,) if artifact is not None else entry.artifacts


def _sizes(row: Row) -> tuple[str, ...]:
    entry, artifact = row
    if artifact is None:
        return entry.size_bands
    return (artifact.size_band,) if artifact.size_band else ()


def _licences(row: Row) -> dict[str, str]:
    return {licence_value(a.license): a.license for a in _artifacts(row) if a.license}


def _access(row: Row) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.access for a in _artifacts(row) if a.access))


def row_values(row: Row, facets: tuple[Facet, ...]) -> tuple[tuple[str, str], ...]:
    """(name, space-separated values) for each data attribute of the row: what the filters compare."""
    entry, _ = row
    alert = entry.alert
    values = [("key", entry.key), ("year", str(entry.year)), ("section", " ".join(entry.sections)),
              ("status", f"alert {alert.kind}" if alert else "none"), (SIZE, " ".join(_sizes(row))),
              (LICENCE, " ".join(_licences(row))), (ACCESS, " ".join(_access(row)))]
    values += [(facet.id, " ".join(entry.values_of(facet.id))) for facet in facets]
    return tuple(values)


# What some rows add to the choices' counts: one item per row and value it has, as (SIZE, band),
# (ACCESS, tier), (LICENCE, value, label), (_FACET, facet id, value) and (_YEAR, year).
Tally = tuple[tuple, ...]
_FACET, _YEAR = "facet", "year"


def tally(rows: Iterable[Row], facets: tuple[Facet, ...]) -> Tally:
    """What `rows` (a work's own, in /models/ its models) add to the choices of their table: the
    renderer keeps each work's while the work is unchanged, so that an edit counts the choices of
    10,000 works from what it kept (`choices_of`) instead of from every row's values again."""
    items: list[tuple] = []
    for row in rows:
        entry, _ = row
        items += [(SIZE, band) for band in _sizes(row)]
        items += [(ACCESS, tier) for tier in _access(row)]
        items += [(LICENCE, value, label) for value, label in _licences(row).items()]
        items += [(_FACET, facet.id, v) for facet in facets for v in entry.values_of(facet.id)]
        items.append((_YEAR, entry.year))
    return tuple(items)


def choices(rows: tuple[Row, ...], facets: tuple[Facet, ...]) -> Choices:
    """The choices the filters of a table of `rows` offer."""
    return choices_of([tally(rows, facets)], facets)


def choices_of(tallies: Iterable[Tally], facets: tuple[Facet, ...]) -> Choices:
    """The choices the filters of a table offer, from the tallies of its rows in the table's order:
    in the vocabulary's order, licences by how many rows have them (each labelled as its first row
    writes it)."""
    counted = collections.Counter(itertools.chain.from_iterable(tallies))
    licences: collections.Counter[str] = collections.Counter()
    labels: dict[str, str] = {}
    for item, count in counted.items():  # in the order the rows first have them
        if item[0] == LICENCE:
            licences[item[1]] += count
            labels.setdefault(item[1], item[2])
    years = sorted(item[1] for item in counted if item[0] == _YEAR)
    return Choices(
        size=tuple(Choice(band, label, counted[SIZE, band]) for band, label, _ in SIZE_BANDS if counted[SIZE, band]),
        licence=tuple(Choice(v, labels[v], n) for v, n in sorted(licences.items(),
                                                                  key=lambda item: (-item[1], labels[item[0]]))),
        access=tuple(Choice(tier, label, counted[ACCESS, tier]) for tier, label in ACCESS_TIERS.items()
                     if counted[ACCESS, tier]),
        facets=tuple((facet, tuple(Choice(v, label, counted[_FACET, facet.id, v])
                                   for v, label in facet.values.items() if counted[_FACET, facet.id, v]))
                     for facet in facets),
        years=(years[0], years[-1]) if years else None,
    )
