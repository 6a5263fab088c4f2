"""What `mkdocs serve` keeps from one build to the next, so that an edit costs what it changes.

One mechanism serves every stage: `Kept`, values by key, each stored with what it was made from (its
*given*) and reused while the key is given the same again; all of them forgotten when the *context*
they all depend on changes. The loader keeps each entry file's Document by the file's signature, the
validator each verdict by its Document, the renderer each page by what the page is given (`RenderMemo`)
and the writer each file's text (`Written`). `Memory` holds them all for one preview.

Nothing kept changes what is built: a build given the memory of earlier builds writes exactly what a
build without one writes (tests/test_incremental.py edits a catalog and compares).
"""
from __future__ import annotations

import dataclasses
import operator
from typing import Any, Callable, Generic, Hashable, Iterable, Sequence, TypeVar

from slmsurvey.parallel import parallel_map

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

_NOTHING = object()  # the context before the first call: equal to no context


def equal(old: Any, new: Any) -> bool:
    """The test of sameness for values made from immutable records: identity first, then equality."""
    return old is new or old == new


class Kept(Generic[K, V]):
    """Values by key, each reused while its key is given what it was made from (compared by `same`;
    a given of None is never kept), all forgotten when the context changes."""

    def __init__(self, same: Callable[[Any, Any], bool] = equal) -> None:
        self._same = same
        self._context: Any = _NOTHING
        self._items: dict[K, tuple[Any, V]] = {}
        self.reused = 0  # values the last `each` reused
        self.changes = 0  # how often what it holds changed (cache.kept_between_runs saves it only then)

    def depends_on(self, context: Any) -> bool:
        """Forget everything unless `context` equals the last one; return whether everything was forgotten."""
        if self._context is not _NOTHING and equal(self._context, context):
            return False
        self._items.clear()
        self._context = context
        self.changes += 1
        return True

    def holds(self, key: K, given: Any) -> bool:
        hit = self._items.get(key)
        return given is not None and hit is not None and self._same(hit[0], given)

    def value(self, key: K) -> V:
        return self._items[key][1]

    def keep(self, key: K, given: Any, value: V) -> V:
        if given is not None:
            self._items[key] = (given, value)
            self.changes += 1
        return value

    def made(self, key: K, given: Any, make: Callable[[], V]) -> V:
        """The value kept for `key` if it was made from `given`, else make() (and keep it)."""
        return self.value(key) if self.holds(key, given) else self.keep(key, given, make())

    def each(self, items: Sequence[T], key: Callable[[T], K], given: Callable[[T], Any],
             make: Callable[[T], V]) -> list[V]:
        """make(item) for every item (in parallel), reusing what was made from the same given last time;
        the keys of other items are forgotten."""
        # `holds` and `value` spelled out: at 10,000 works an edit asks this of 200,000 items.
        stored, same = self._items, self._same
        keys = [key(i) for i in items]
        givens = [given(i) for i in items]
        values: list[Any] = []
        missing: list[int] = []
        for index, (k, g) in enumerate(zip(keys, givens)):
            hit = stored.get(k)
            if g is not None and hit is not None and (hit[0] is g or same(hit[0], g)):
                values.append(hit[1])
            else:
                values.append(_NOTHING)
                missing.append(index)
        for index, value in zip(missing, parallel_map(make, [items[index] for index in missing])):
            values[index] = self.keep(keys[index], givens[index], value)
        self.keep_only(keys)
        self.reused = len(items) - len(missing)
        return values

    def keep_only(self, keys: Iterable[K]) -> None:
        for key in self._items.keys() - set(keys):  # a set difference: no Python loop unless some go
            del self._items[key]
            self.changes += 1

    def forget(self, key: K) -> None:
        if self._items.pop(key, None) is not None:
            self.changes += 1

    def keys(self) -> set[K]:
        return set(self._items)


def by_key(item: Any) -> str:
    return item.key


def itself(item: T) -> T:
    return item


Job = tuple[str, Hashable | None, Callable[[], str]]  # path, what the page is given (None: always render), producer


class RenderMemo:
    """What one render keeps for the next: each page by what it is given, each work's values (its
    BibTeX record, CSL record, the line that lists it) by the work, and values derived from many works
    by their inputs. A page is rendered again when anything it is given differs (the catalog's records
    are immutable, so compared by value), or when what every page depends on (the site's settings, the
    taxonomy, the templates' text: `start`) or the set of the site's paths (its links were checked
    against them) differs."""

    def __init__(self) -> None:
        self._context: Any = _NOTHING
        self._pages = Kept[str, str]()
        self._per_entry: dict[str, Kept[str, Any]] = {}
        self._derived = Kept[str, Any]()
        self._derived_now: set[str] = set()  # the names this render asked for; `pages` forgets the others
        self.kept = self.keepable = 0  # pages the last `pages` call kept from the one before, of those it could

    def start(self, context: Any) -> None:
        """Keep what earlier renders made only if `context`, which every page depends on, is unchanged."""
        if self._context is _NOTHING or not equal(self._context, context):
            self.__init__()
            self._context = context

    def per_entry(self, kind: str, entries: Sequence, make: Callable[[Any], Any]) -> dict[str, Any]:
        """key -> make(entry) for every entry, made again only for entries that differ from last time."""
        values = self.store(kind).each(entries, by_key, itself, make)
        return {e.key: value for e, value in zip(entries, values)}

    def store(self, kind: str, entries: Sequence | None = None) -> Kept[str, Any]:
        """The store of a per-work value (`kind`), holding none but `entries`' when they are given
        (render.EntryFragments fills one while pages render)."""
        kept = self._per_entry.setdefault(kind, Kept())
        if entries is not None:
            kept.keep_only(e.key for e in entries)
        return kept

    def derived(self, name: str, inputs: Any, make: Callable[[], Any]) -> Any:
        """make(), again only when `inputs` differ from last time."""
        self._derived_now.add(name)
        return self._derived.made(name, inputs, make)

    def pages(self, jobs: Iterable[Job], produce: Callable[[Job], str], site: set[str]) -> dict[str, str]:
        """{path: text} for every job: kept when the page is given what it was given last time and
        the site has the same paths (`site`: a page's links were checked against them), produced
        otherwise (in parallel). The last call of a render: what it did not derive is forgotten."""
        jobs = list(jobs)
        self._derived.keep_only(self._derived_now)
        self._derived_now = set()
        self._pages.depends_on(frozenset(site))
        texts = self._pages.each(jobs, operator.itemgetter(0), operator.itemgetter(1), produce)
        self.keepable = sum(given is not None for _, given, _ in jobs)
        self.kept = self._pages.reused
        return {path: text for (path, _, _), text in zip(jobs, texts)}


@dataclasses.dataclass
class Written:
    """What `write.write_tree` wrote into one folder: each file's text, and the paths of the last call
    that finished (None while a call runs: one that dies leaves the folder to be checked again)."""
    texts: Kept[str, None] = dataclasses.field(default_factory=Kept)
    paths: frozenset[str] | None = None


@dataclasses.dataclass
class Memory:
    """Everything the preview keeps between builds: the files as last read and checked, the pages as
    last rendered, the files as last written into docs/ and into the built site."""
    read: Kept = dataclasses.field(default_factory=Kept)  # catalog file -> (Document, problems), by signature
    # entry file -> (problems, Entry), by its Document: the loader's own object while the file is unchanged
    checked: Kept = dataclasses.field(default_factory=lambda: Kept(same=operator.is_))
    rendered: RenderMemo = dataclasses.field(default_factory=RenderMemo)
    written: Written = dataclasses.field(default_factory=Written)
    written_to_site: Written = dataclasses.field(default_factory=Written)
