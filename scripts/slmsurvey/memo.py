"""What one render keeps for the next, so that `mkdocs serve` re-renders only what an edit changed.

A page is rendered again when anything it is given differs from last time (compared by value: the
catalog's records are immutable), or when what every page depends on differs (the site's settings,
the taxonomy, the set of the site's paths, the templates' text): then nothing is kept. Values made
for each work (its BibTeX record, CSL record, the line that lists it) are kept per work, and made
again only for works that differ.

Nothing here changes what is rendered: a render given the memo of earlier renders returns exactly
what a render without one returns (tests/test_incremental.py edits a catalog and compares).
"""
from __future__ import annotations

from typing import Any, Callable, Hashable, Iterable, Sequence

from .parallel import parallel_map

Job = tuple[str, Hashable | None, Callable[[], str]]  # path, what the page is given (None: always render), producer


class RenderMemo:
    def __init__(self) -> None:
        self._context: Any = None
        self._pages: dict[str, tuple[Any, str]] = {}  # path -> (what it was given, text)
        self._per_entry: dict[str, dict[str, tuple[Any, Any]]] = {}  # kind -> key -> (entry, value)
        self._derived: dict[str, tuple[Any, Any]] = {}  # name -> (inputs, value)
        self._paths: set[str] = set()  # the site's paths, which every page's links were checked against
        self.kept = self.keepable = 0  # pages the last `pages` call kept from the one before, of those it could

    def start(self, context: Any) -> None:
        """Keep what earlier renders made only if `context`, which every page depends on, is unchanged."""
        if context != self._context:
            self.__init__()
            self._context = context

    def per_entry(self, kind: str, entries: Sequence, make: Callable[[Any], Any]) -> dict[str, Any]:
        """key -> make(entry) for every entry, made again only for entries that differ from last time."""
        kept = self._per_entry.setdefault(kind, {})
        missing = [e for e in entries if (hit := kept.get(e.key)) is None or not _same(hit[0], e)]
        for entry, value in zip(missing, parallel_map(make, missing)):
            kept[entry.key] = (entry, value)
        _forget_all_but(kept, {e.key for e in entries})
        return {e.key: kept[e.key][1] for e in entries}

    def fragments(self, kind: str, entries: Sequence) -> dict[Any, tuple[Any, Any]]:
        """The store of a per-work fragment filled while pages render (render.EntryFragments), holding
        none but `entries`' (and, under None, what the store keeps besides)."""
        kept = self._per_entry.setdefault(kind, {})
        _forget_all_but(kept, {e.key for e in entries} | {None})
        return kept

    def derived(self, name: str, inputs: Any, make: Callable[[], Any]) -> Any:
        """make(), again only when `inputs` differ from last time."""
        hit = self._derived.get(name)
        if hit is None or not _same(hit[0], inputs):
            hit = self._derived[name] = (inputs, make())
        return hit[1]

    def pages(self, jobs: Iterable[Job], produce: Callable[[Job], str], site: set[str]) -> dict[str, str]:
        """{path: text} for every job: kept when the page is given what it was given last time and
        the site has the same paths (`site`: a page's links were checked against them), produced
        otherwise (in parallel)."""
        jobs = list(jobs)
        if site != self._paths:
            self._pages.clear()
            self._paths = set(site)
        texts: dict[str, str | None] = {}
        missing = []
        for job in jobs:
            path, given, _ = job
            hit = self._pages.get(path)
            if given is not None and hit is not None and _same(hit[0], given):
                texts[path] = hit[1]
            else:
                texts[path] = None
                missing.append(job)
        for (path, given, _), text in zip(missing, parallel_map(produce, missing)):
            texts[path] = text
            if given is not None:
                self._pages[path] = (given, text)
        _forget_all_but(self._pages, texts.keys())
        self.keepable = sum(given is not None for _, given, _ in jobs)
        self.kept = len(jobs) - len(missing)
        return texts  # type: ignore[return-value]


def _forget_all_but(kept: dict, keys) -> None:
    for key in kept.keys() - keys:
        del kept[key]


def _same(old: Any, new: Any) -> bool:
    return old is new or old == new
