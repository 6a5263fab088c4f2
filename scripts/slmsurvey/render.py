"""Render a validated Catalog into site files: one pure function, `render_site`.

It returns `{path relative to docs/: content}` and touches no disk except to read templates.
Escaping is presentation, so it lives in template filters (see `textfilters`).
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import pathlib
import traceback
from typing import Callable

import jinja2
from markupsafe import Markup

from . import citation, paths, plots, textfilters, topics
from .bibtex import write_bibtex
from .csljson import csl_json, reference_record, to_csl
from .datadump import write_dump
from .model import Catalog
from .parallel import parallel_map
from .ris import write_ris
from .problems import SurveyError, TemplateMistake

class PathClash(SurveyError):
    """Two pages would be written to one path, or a path would leave the site."""


class TemplateFailed(SurveyError):
    """A template does not parse or fails while rendering: 'templates/entry.md.j2:12: message'."""


@contextlib.contextmanager
def _template_errors():
    """Name the template and line of a Jinja error instead of a traceback (`mkdocs serve` shows one
    for any other exception). Raised where the error happens, so a forked worker sends back the text."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = f"{_shown_path(exc.filename or exc.name)}:{exc.lineno}"
        raise TemplateFailed(f"{where}: {exc.message.rstrip('.')}") from None
    except (jinja2.TemplateError, TemplateMistake) as exc:
        # Jinja maps its frames to template lines: the innermost one is where the template failed.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where = f"{_shown_path(frames[-1].filename)}:{frames[-1].lineno}" if frames else "a template"
        message = str(exc) if isinstance(exc, TemplateMistake) else exc.message
        raise TemplateFailed(f"{where}: {message or type(exc).__name__}") from None


def _shown_path(filename: str | None) -> str:
    if not filename:
        return "a template"
    path = pathlib.Path(filename).resolve()
    return path.relative_to(pathlib.Path.cwd()).as_posix() if pathlib.Path.cwd() in path.parents else str(path)


@functools.cache
def environment(templates: pathlib.Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(textfilters.FILTERS)
    env.globals["path"] = paths  # where pages live; each page also gets `to`, the way there from it
    return env


def render_site(catalog: Catalog, site: dict, templates: pathlib.Path) -> dict[str, str]:
    """Everything the generator contributes to docs/, as {relative path: text}, from the templates
    in the folder `templates`."""
    with _template_errors():
        return _render_site(catalog, site, environment(templates))


def _render_site(catalog: Catalog, site: dict, env: jinja2.Environment) -> dict[str, str]:
    bib = dict(zip((e.key for e in catalog.entries), parallel_map(_one_record, catalog.entries)))
    csl = dict(zip((e.key for e in catalog.entries), parallel_map(to_csl, catalog.entries)))  # file and pages
    by_facet = topics.topics(catalog)
    context = {"catalog": catalog, "site": site, "counts": _counts(catalog), "cite": citation,
               "line": EntryLines(env),
               "topics": by_facet,
               "plots": {"per_year": plots.works_per_year(catalog), "sizes": plots.model_sizes(catalog)}}
    # Every path of the site, claimed before any page is produced: the pages' links are checked against it.
    claimed: set[str] = set()
    jobs = _pages(catalog, env, context, bib, csl, claimed) + _downloads(catalog, site, bib, csl)
    for path, _ in jobs:
        _claim(claimed, path)
    return dict(zip((path for path, _ in jobs), parallel_map(_produce, jobs)))


def _one_record(entry) -> str:
    return write_bibtex([entry])


def _produce(job: tuple[str, Callable[[], str]]) -> str:
    with _template_errors():
        return job[1]()


Producer = Callable[[], str]


class EntryLines:
    """The one-line summary of a work (`_macros.j2` `line`), rendered once however many lists show it.

    Lists sit at different depths, so the line is rendered with a placeholder for the way back to the
    site's root (`Links.html_root`); NUL can stand in because the validator refuses control characters
    in catalog text. The link needs no check: it leads to the work's own page.
    """
    _ROOT = "\x00"

    def __init__(self, env: jinja2.Environment):
        self._macro = env.get_template("_macros.j2").module.line
        self._lines: dict[str, str] = {}

    def __call__(self, entry, root: str) -> Markup:
        line = self._lines.get(entry.key)
        if line is None:
            line = self._lines[entry.key] = str(self._macro(entry, self._ROOT))
        return Markup(line.replace(self._ROOT, root))


def _pages(catalog: Catalog, env: jinja2.Environment, context: dict, bib: dict[str, str],
           csl: dict[str, dict], site: set[str]) -> list[tuple[str, Producer]]:
    def page(path: str, template: str, **extra) -> tuple[str, Producer]:
        return path, lambda: env.get_template(template).render(**context, to=paths.Links(path, site), **extra)

    def listed(template: str, lists: list[Listing], **extra) -> list[tuple[str, Producer]]:
        return [page(listing.path, template, listing=listing, **extra) for listing in lists]

    pages = [page(paths.HOME, "home.md.j2"), page(paths.SECTIONS, "sections.md.j2")]
    corrected = tuple(e for e in catalog.entries if e.corrections)
    pages += listed("corrections.md.j2", paginate(paths.CORRECTIONS, corrected))
    for s in catalog.sections:
        pages += [page(listing.path, "section.md.j2", section=s, listing=listing, total=len(listing.all),
                       unverified=catalog.unverified_in(s.id) if listing.number == 1 else ())
                  for listing in paginate(paths.section_page(s.id), _newest_first(catalog.in_section(s.id)))]
    related = topics.related(catalog)
    feed = history(catalog, FEED_LIMIT)
    pages += [page(paths.entry_page(e.key), "entry.md.j2", entry=e, bibtex=bib[e.key], related=related[e.key],
                   csl=reference_record(csl[e.key]))
              for e in catalog.entries]
    pages.append(page(paths.TOPICS, "topics.md.j2"))
    for facet, values in context["topics"].items():
        pages.append(page(paths.facet_page(facet), "facet.md.j2", facet=facet, values=values))
        for t in values:
            pages += listed("topic.md.j2", paginate(t.path, _newest_first(t.entries)), topic=t)
    for kind, path in (("models", paths.MODELS), ("datasets", paths.DATASETS)):
        rows = tuple((e, a) for e in catalog.entries for a in getattr(e, kind))
        pages += listed(f"{kind}.md.j2", paginate(path, rows, TABLE_PAGE_SIZE))
    pages += [
        page(paths.BROWSE, "browse.md.j2"),
        page(paths.NEWS, "news.md.j2", days=history(catalog, NEWS_LIMIT), limit=NEWS_LIMIT),
        page(paths.FEED, "feed.xml.j2", days=feed, updated=feed[0].date if feed else "1970-01-01"),
        (paths.plot("works-per-year"), lambda: context["plots"]["per_year"][0]),
        (paths.plot("model-sizes"), lambda: context["plots"]["sizes"][0]),
    ]
    return pages


def _downloads(catalog: Catalog, site: dict, bib: dict[str, str],
               csl: dict[str, dict]) -> list[tuple[str, Producer]]:
    """Citation files at the stable paths; one BibTeX record per entry, joined for sections and all."""
    def joined(entries) -> Producer:
        return lambda: "\n".join(bib[e.key] for e in entries)

    files = [(paths.entry_bib(e.key), functools.partial(bib.get, e.key)) for e in catalog.entries]
    files += [(paths.section_bib(s.id), joined(catalog.in_section(s.id))) for s in catalog.sections]
    files += [
        (paths.ALL_BIB, joined(catalog.entries)),
        (paths.CSL_JSON, lambda: csl_json(csl.values())),
        (paths.RIS, lambda: write_ris(catalog.entries)),
        (paths.DUMP, lambda: write_dump(catalog, site.get("url", ""))),
    ]
    files += [(paths.csl_style(name), functools.partial(str, xml)) for name, xml in citation.style_files().items()]
    return files


# Items per page of a long list, so that no page but /browse/ outgrows a phone however large the
# catalog grows (issue 11: 300 KB of HTML at 10,000 works): works per section, topic or corrections
# page, and rows per page of the models and datasets tables.
PAGE_SIZE = 100
TABLE_PAGE_SIZE = 500


@dataclasses.dataclass(frozen=True)
class Listing:
    """One page of a long list whose first page is `first` (a path under docs/, 'sections/x.md'):
    then 'sections/x/page-2.md', 'sections/x/page-3.md' ..."""
    first: str
    number: int
    count: int
    entries: tuple  # the items of this page: works, or (work, artifact) rows
    all: tuple
    size: int = PAGE_SIZE

    @property
    def path(self) -> str:
        return self.page_path(self.number)

    def page_path(self, number: int) -> str:
        return self.first if number == 1 else f"{self.first.removesuffix('.md')}/page-{number}.md"

    def link(self, number: int) -> str:
        """The HTML link from this page to page `number` of the same list."""
        return paths.Links(self.path).html(self.page_path(number))

    @property
    def first_ordinal(self) -> int:
        return (self.number - 1) * self.size + 1


def paginate(first: str, entries: tuple, size: int = PAGE_SIZE) -> list[Listing]:
    chunks = [entries[start:start + size] for start in range(0, len(entries), size)] or [()]
    return [Listing(first, number, len(chunks), chunk, entries, size) for number, chunk in enumerate(chunks, 1)]


def _newest_first(entries) -> tuple:
    return tuple(sorted(entries, key=lambda e: (-e.year, e.key)))


NEWS_LIMIT, FEED_LIMIT = 200, 100  # the newest events on /news/ and in the feed; /browse/ has every work


@dataclasses.dataclass(frozen=True)
class Day:
    """What happened to the catalog on one date: works added, and changes to works already in it."""
    date: str
    added: tuple  # entries, by title
    updated: tuple  # (entry, Update), by title


def history(catalog: Catalog, limit: int) -> list[Day]:
    """The newest `limit` additions and updates, grouped by date, newest first."""
    events = [(e.added, "added", e, None) for e in catalog.entries]
    events += [(u.date, "updated", e, u) for e in catalog.entries for u in e.updates]
    newest = sorted(events, key=lambda ev: (ev[0], ev[1] == "added", ev[2].title.casefold(), ev[2].key),
                    reverse=True)[:limit]
    by_date: dict[str, list] = collections.defaultdict(list)
    for event in newest:
        by_date[event[0]].append(event)
    order = lambda ev: (ev[2].title.casefold(), ev[2].key)  # noqa: E731
    return [Day(date, tuple(ev[2] for ev in sorted(by_date[date], key=order) if ev[1] == "added"),
                tuple((ev[2], ev[3]) for ev in sorted(by_date[date], key=order) if ev[1] == "updated"))
            for date in sorted(by_date, reverse=True)]


def _counts(catalog: Catalog) -> dict[str, int]:
    counts = collections.Counter(section for entry in catalog.entries for section in entry.sections)
    return {section.id: counts[section.id] for section in catalog.sections}


def _claim(claimed: set[str], path: str) -> None:
    parts = pathlib.PurePosixPath(path).parts
    if path.startswith("/") or ".." in parts or not parts:
        raise PathClash(f"refusing to write outside the site: {path!r}")
    if path in claimed:
        raise PathClash(f"two pages would be written to {path!r}")
    claimed.add(path)
