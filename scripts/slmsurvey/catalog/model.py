"""The validated catalog as immutable records. Built only from data that passed validation."""
from __future__ import annotations

import dataclasses
import functools
from typing import Any

from slmsurvey import identifiers
from slmsurvey.text.casing import Segment, title_segments
from slmsurvey.text.textrules import fold

SIZE_BANDS = (  # (id, label, upper bound in parameters, exclusive)
    ("under-1b", "< 1B", 1e9),
    ("1b-5b", "1B – 5B", 5e9 + 1),
    ("5b-10b", "5B – 10B", 10e9 + 1),
    ("over-10b", "> 10B", float("inf")),
)


# The access tiers of a model or dataset: entry.schema.json's `access` (a test checks the two agree).
ACCESS_TIERS = {"open": "Open", "registration": "Registration", "credentialed": "Credentialed"}


def _band(parameters: int) -> str:
    return next(band for band, _label, bound in SIZE_BANDS if parameters < bound)


_WORK_TYPES = {"journal": "journal-article", "conference": "conference-paper", "workshop": "conference-paper",
               "book-chapter": "book-chapter", "preprint": "preprint"}


@dataclasses.dataclass(frozen=True)
class Person:
    family: str
    given: str = ""
    suffix: str = ""
    literal: str = ""

    @classmethod
    def parse(cls, value: str | dict[str, str]) -> Person:
        """'Family, Given', 'Family, Jr, Given' or {literal: 'Organisation'}."""
        if isinstance(value, dict):
            return cls(family=value["literal"], literal=value["literal"])
        parts = [part.strip() for part in value.split(",")]
        if len(parts) == 3:
            return cls(family=parts[0], suffix=parts[1], given=parts[2])
        if len(parts) == 2:
            return cls(family=parts[0], given=parts[1])
        return cls(family=parts[0])

    @property
    def name(self) -> str:
        """As a reader writes it: 'Renqian Luo'."""
        if self.literal:
            return self.literal
        name = f"{self.given} {self.family}".strip()
        return f"{name}, {self.suffix}" if self.suffix else name


@dataclasses.dataclass(frozen=True)
class Artifact:
    name: str
    kind: str
    id: str = ""  # stable, unique in the catalog: what a result names
    parameters: int | None = None
    base_model: str = ""
    size: str = ""
    license: str = ""
    access: str = ""
    url: str = ""

    @property
    def parameters_label(self) -> str:
        return format_parameters(self.parameters) if self.parameters else ""

    @property
    def size_band(self) -> str:
        """The SIZE_BANDS id its parameter count falls in; '' when no source states the count."""
        return _band(self.parameters) if self.parameters else ""


@dataclasses.dataclass(frozen=True)
class Result:
    """A benchmark number as a work prints it (the entry it sits in reports it)."""
    model: str  # an artifact id, of this entry or another
    benchmark: str  # a Benchmark id
    value: str  # as printed
    setting: str  # a Setting id
    source: str  # the version it is printed in
    locator: str  # where in that version
    shots: int | None = None
    cell: str = ""
    note: str = ""

    @property
    def number(self) -> float:
        return float(self.value)


@dataclasses.dataclass(frozen=True)
class Setting:
    id: str
    label: str
    group: str  # prompted | fine-tuned | unknown: numbers are compared within one group only
    shots: bool = False  # a result in this setting says its number of examples


@dataclasses.dataclass(frozen=True)
class Benchmark:
    """A benchmark variant of catalog/benchmarks.yaml: what makes two reported numbers comparable."""
    id: str
    name: str
    family: str
    metric: str
    description: str
    sources: tuple[str, ...]
    introduced_by: str = ""
    split: str = ""
    items: int | None = None
    options: int | None = None
    unit: str = "%"
    range: tuple[float, float] = (0.0, 100.0)
    column: bool = False  # a column of /models/

    @property
    def chance(self) -> float | None:
        """The score of guessing, for multiple choice reported in %."""
        return round(100 / self.options, 1) if self.options and self.unit == "%" else None


@dataclasses.dataclass(frozen=True)
class Correction:
    field: str
    list_said: str
    correct: str
    source: str


# Editorial notices, most serious first; all but a correction put a warning wherever the work is listed.
NOTICE_LABELS = {
    "retraction": "Retracted",
    "partial-retraction": "Partially retracted",
    "withdrawal": "Withdrawn",
    "removal": "Removed",
    "expression-of-concern": "Expression of concern",
    "correction": "Corrected",
}


@dataclasses.dataclass(frozen=True)
class Notice:
    kind: str
    date: str
    url: str
    source: str = ""

    @property
    def label(self) -> str:
        return NOTICE_LABELS[self.kind]

    @property
    def alerts(self) -> bool:
        return self.kind != "correction"


@dataclasses.dataclass(frozen=True)
class Update:
    """A change made to an entry after it was added (`refresh --write` records them)."""
    date: str
    field: str
    was: str
    now: str
    source: str


@dataclasses.dataclass(frozen=True)
class Venue:
    name: str
    kind: str
    short: str = ""
    publisher: str = ""
    editors: tuple[Person, ...] = ()
    series: str = ""
    address: str = ""


PRIVATE = "private"  # field metadata: kept out of the public data dump (datadump.py says why)


@dataclasses.dataclass(frozen=True)
class Entry:
    key: str
    file: str = dataclasses.field(metadata={PRIVATE: True})
    title: str
    authors: tuple[Person, ...]
    year: int
    venue: Venue
    links: dict[str, str]
    sections: tuple[str, ...]
    facets: dict[str, tuple[str, ...]]
    summary: str
    added: str
    sources: tuple[str, ...]
    month: int | None = None
    more_authors: bool = False
    origin: bool = False  # the survey paper this site grew from
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    arxiv: str = ""
    arxiv_class: str = ""
    pmid: str = ""
    artifacts: tuple[Artifact, ...] = ()
    corrections: tuple[Correction, ...] = ()
    notices: tuple[Notice, ...] = ()
    updates: tuple[Update, ...] = ()
    results: tuple[Result, ...] = ()
    # The title as runs, each marked with whether citation styles must keep its case (casing.py),
    # found with the catalog's protected words.
    title_runs: tuple[Segment, ...] = dataclasses.field(default=(), repr=False, metadata={PRIVATE: True})

    @classmethod
    def from_data(cls, data: dict[str, Any], file: str, protected_words: frozenset[str]) -> Entry:
        venue = dict(data["venue"])
        venue["editors"] = tuple(Person.parse(p) for p in venue.get("editors", ()))
        return cls(
            key=data["key"],
            file=file,
            title=data["title"].strip(),
            title_runs=tuple(title_segments(data["title"].strip(), protected_words)),
            authors=tuple(Person.parse(p) for p in data["authors"]),
            year=data["year"],
            month=data.get("month"),
            more_authors=data.get("more_authors", False),
            origin=data.get("origin", False),
            venue=Venue(**venue),
            volume=data.get("volume", ""),
            issue=data.get("issue", ""),
            pages=data.get("pages", ""),
            doi=data.get("doi", ""),
            arxiv=data.get("arxiv", ""),
            arxiv_class=data.get("arxiv_class", ""),
            pmid=data.get("pmid", ""),
            links=dict(data["links"]),
            sections=tuple(data["sections"]),
            facets={name: tuple(values) for name, values in data["facets"].items()},
            artifacts=tuple(Artifact(**a) for a in data.get("artifacts", ())),
            summary=" ".join(data["summary"].split()),
            added=data["added"],
            sources=tuple(data["sources"]),
            corrections=tuple(Correction(**c) for c in data.get("corrections", ())),
            notices=tuple(Notice(**n) for n in data.get("notices", ())),
            updates=tuple(Update(**u) for u in data.get("updates", ())),
            results=tuple(Result(**r) for r in data.get("results", ())),
        )

    @property
    def alert_note(self) -> str:
        """The warning every export carries as a note: 'Retracted (notice of 2025-06-02: https://...)'."""
        alert = self.alert
        return f"{alert.label} (notice of {alert.date}: {alert.url})" if alert else ""

    @property
    def alert(self) -> Notice | None:
        """The most serious notice that readers must see wherever the work is listed, if any."""
        serious = [n for n in self.notices if n.alerts]
        return min(serious, key=lambda n: list(NOTICE_LABELS).index(n.kind)) if serious else None

    @property
    def short_authors(self) -> str:
        """'Luo et al.', 'Jin and Dhingra' or 'Luo'."""
        names = [p.literal or p.family for p in self.authors]
        if len(names) > 2 or self.more_authors:
            return f"{names[0]} et al."
        return " and ".join(names)

    @property
    def search_text(self) -> str:
        """What /browse/'s text box finds a work by: title, every author, venue, identifiers, artifacts
        and summary, folded (textrules.fold; assets/js/filters.js folds the query the same way, so
        "muller" finds Müller)."""
        parts = [self.title, *(p.name for p in self.authors), self.venue.name, self.venue.short or "", self.doi,
                 self.arxiv, self.pmid, *(a.name for a in self.artifacts), self.summary]
        return fold(" ".join(p for p in parts if p))

    @property
    def models(self) -> tuple[Artifact, ...]:
        return tuple(a for a in self.artifacts if a.kind == "model")

    @property
    def datasets(self) -> tuple[Artifact, ...]:
        return tuple(a for a in self.artifacts if a.kind == "dataset")

    @property
    def max_parameters(self) -> int | None:
        counts = [a.parameters for a in self.models if a.parameters]
        return max(counts) if counts else None

    def values_of(self, facet_id: str) -> tuple[str, ...]:
        """The entry's value ids of a facet, tagged or derived."""
        if facet_id == "year":
            return (str(self.year),)
        if facet_id == "size":
            return self.size_bands
        return self.facets.get(facet_id, ())

    @property
    def size_band(self) -> str:
        """The parameter-size band of the largest released model (catalog.json's `size_band`)."""
        largest = self.max_parameters
        return _band(largest) if largest is not None else ""

    @property
    def size_bands(self) -> tuple[str, ...]:
        """Derived facet: every size band a released model falls in, smallest first. Size is a property
        of each model: a work releasing Meditron-7B and Meditron-70B is under 5B – 10B and > 10B."""
        bands = {a.size_band for a in self.models if a.parameters}
        return tuple(band for band, _label, _bound in SIZE_BANDS if band in bands)

    @property
    def size_labels(self) -> tuple[str, ...]:
        """The sizes of the released models, each once, smallest first ('7B, 70B', not '7B, 7B, 70B')."""
        models = sorted((a for a in self.models if a.parameters), key=lambda a: a.parameters)
        return tuple(dict.fromkeys(a.parameters_label for a in models))

    @property
    def work_type(self) -> str:
        """What the work is, for the citation formats to name in their own vocabulary.

        The venue's kind, except that a web page releasing a model is a model card and one
        releasing only data is a dataset.
        """
        if self.venue.kind == "web":
            return "model" if self.models else "dataset" if self.datasets else "webpage"
        return _WORK_TYPES[self.venue.kind]

    @property
    def cited_issue(self) -> str:
        """The issue number, where every citation format can carry it: a journal article's, beside
        its volume. Alone, styles print a dangling '(1)'; BibTeX's proceedings and Zotero's
        conference papers have no issue at all."""
        return self.issue if self.volume and self.work_type == "journal-article" else ""

    @property
    def page_range(self) -> tuple[str, str]:
        """(first page, last page); the last is empty for a single page or article number."""
        first, _, last = self.pages.replace("--", "-").partition("-")
        return first, last

    @property
    def doi_url(self) -> str:
        return identifiers.doi_url(self.doi) if self.doi else ""

    @property
    def arxiv_url(self) -> str:
        return identifiers.arxiv_url(self.arxiv) if self.arxiv else ""

    @property
    def pmid_url(self) -> str:
        return identifiers.pubmed_url(self.pmid) if self.pmid else ""

    @property
    def main_url(self) -> str:
        return self.links.get("paper") or self.doi_url or self.arxiv_url or next(iter(self.links.values()))


@dataclasses.dataclass(frozen=True)
class Section:
    id: str
    title: str
    group: str
    description: str


@dataclasses.dataclass(frozen=True)
class Facet:
    id: str
    label: str
    values: dict[str, str]  # value id -> label, in taxonomy order
    derived: bool = False  # computed from each entry's data (`Entry.values_of`), not tagged by hand
    columns: tuple[str, ...] = ()  # the tables showing it as a column (TABLES)

    def labels(self, values) -> list[str]:
        """What readers see for these value ids: the taxonomy's labels, everywhere."""
        return [self.values[value] for value in values]


DERIVED_FACETS = {"year": "Year", "size": "Model size"}

TABLES = ("browse", "models", "datasets")  # the tables a facet can be a column of (taxonomy `columns`)

# Names a taxonomy facet cannot take: the derived facets, and the other filters of /browse/, whose
# state is kept in the page's query (`?section=...&from=2024`) and in each row's data attributes.
BROWSE_FILTERS = ("q", "section", "status", "from", "to", "key", "licence", "access")
RESERVED_FACET_IDS = (*DERIVED_FACETS, *BROWSE_FILTERS)


def derived_facets(entries) -> tuple[Facet, ...]:
    """Year (newest first) and model size band (smallest first), with the values the entries have."""
    years = sorted({e.year for e in entries}, reverse=True)
    return (Facet("year", DERIVED_FACETS["year"], {str(y): str(y) for y in years}, derived=True),
            Facet("size", DERIVED_FACETS["size"], {band: label for band, label, _ in SIZE_BANDS}, derived=True))


@dataclasses.dataclass(frozen=True)
class Unverified:
    """A work the original list names whose metadata could not be verified: no citation is made."""

    title: str
    sections: tuple[str, ...]
    url: str
    note: str


@dataclasses.dataclass(frozen=True)
class Taxonomy:
    """What a page may know of the catalog besides the works it is given: sections, facets (the
    derived ones with the values the works have) and the unverified works. Pages that see only this
    are re-rendered only when what they are given changes (render.WHOLE_CATALOG)."""
    sections: tuple[Section, ...]
    facets: tuple[Facet, ...]
    unverified: tuple[Unverified, ...] = ()
    derived: tuple[Facet, ...] = ()  # derived_facets(entries)

    def unverified_in(self, section_id: str) -> tuple[Unverified, ...]:
        return tuple(u for u in self.unverified if section_id in u.sections)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def facet(self, facet_id: str) -> Facet:
        return next(f for f in self.all_facets if f.id == facet_id)

    def columns(self, table: str) -> tuple[Facet, ...]:
        """The facets shown as columns of a table (one of TABLES), in taxonomy order."""
        return tuple(f for f in self.facets if table in f.columns)

    @property
    def all_facets(self) -> tuple[Facet, ...]:
        """The taxonomy's facets, then the derived ones (year, model size)."""
        return self.facets + self.derived


@dataclasses.dataclass(frozen=True, kw_only=True)
class Catalog(Taxonomy):
    entries: tuple[Entry, ...]  # sorted by key
    benchmarks: tuple[Benchmark, ...] = ()  # catalog/benchmarks.yaml, in its order
    settings: tuple[Setting, ...] = ()

    @functools.cached_property
    def by_key(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries}

    @functools.cached_property
    def origin(self) -> Entry | None:
        """The survey paper the site grew from, if the catalog holds it (`origin: true`)."""
        return next((e for e in self.entries if e.origin), None)

    def in_section(self, section_id: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if section_id in e.sections)

    @functools.cached_property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy(self.sections, self.facets, self.unverified, self.derived)


def format_parameters(count: int) -> str:
    """1100000000 -> '1.1B', 347000000 -> '347M'; a count that rounds up to the next unit takes it
    (999,950,000 -> '1B', not '1000M')."""
    units = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
    for larger, (divisor, unit) in zip(((0, ""),) + units, units):
        if count >= divisor:
            text = _scaled(count, divisor)
            return _scaled(count, larger[0]) + larger[1] if text == "1000" and larger[0] else text + unit
    return str(count)


def _scaled(count: int, divisor: float) -> str:
    return f"{count / divisor:.1f}".removesuffix(".0") if count < 10 * divisor else f"{count / divisor:.0f}"
