"""Render a validated Catalog into site files: one pure function, `render_site`.

It returns `{path relative to docs/: content}` and touches no disk except to read templates.
Escaping is presentation, so it lives in template filters (see `textfilters`).
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import json
import pathlib
import traceback
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from slmsurvey import urls
from slmsurvey.catalog import results, topics
from slmsurvey.catalog.model import Catalog
from slmsurvey.exports import bibtex, citation, csljson, evalrecords, ris
from slmsurvey.exports.bibtex import write_bibtex
from slmsurvey.exports.csljson import csl_line, join_lines, reference_record, to_csl
from slmsurvey.exports.datadump import record_line, write_dump
from slmsurvey.exports.joining import index_item
from slmsurvey.exports.resultscsv import write_results_csv
from slmsurvey.exports.ris import to_ris
from slmsurvey.memory import Job, Kept, RenderMemo
from slmsurvey.problems import SurveyError, TemplateMistake
from slmsurvey.site import plots, tablefilters
from slmsurvey.text import textfilters


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
    env.globals["path"] = urls  # where pages live; each page also gets `to`, the way there from it
    env.globals["filtering"] = tablefilters  # what the tables' filters compare
    return env


# The templates that see every work of the catalog (its list, counts, topics and plots): they are
# rendered on every build. Every other template sees `catalog` as its Taxonomy only and is rendered
# again only when what it is given changes (memory.RenderMemo); one that reads more than the taxonomy
# fails with the line that does, until it is listed here.
WHOLE_CATALOG = frozenset({"home.md.j2", "sections.md.j2", "topics.md.j2", "browse.md.j2", "results.md.j2"})


def render_site(catalog: Catalog, site: dict, templates: pathlib.Path,
                memo: RenderMemo | None = None) -> dict[str, str]:
    """Everything the generator contributes to docs/, as {relative path: text}, from the templates
    in the folder `templates`; `memo` holds what earlier renders made, which the result never depends on."""
    memo = memo or RenderMemo()
    with _template_errors():
        memo.start((site, catalog.taxonomy, _sources(templates)))
        return _render_site(catalog, site, environment(templates), memo)


def _sources(templates: pathlib.Path) -> tuple[tuple[str, str], ...]:
    return tuple((p.name, p.read_text(encoding="utf-8")) for p in sorted(templates.glob("*.j2")))


def _render_site(catalog: Catalog, site: dict, env: jinja2.Environment, memo: RenderMemo) -> dict[str, str]:
    bib = memo.per_entry("bibtex", catalog.entries, _one_record)
    csl = memo.per_entry("csl", catalog.entries, to_csl)  # file and pages
    references = memo.per_entry("reference", catalog.entries, lambda e: reference_record(csl[e.key]))
    features = memo.per_entry("features", catalog.entries, functools.partial(topics.feature_set, catalog.taxonomy))
    related = topics.related(catalog, memo.derived("related", features, lambda: topics.related_keys(features)))
    by_facet = topics.topics(catalog)
    reported = results.reports(catalog)
    per_benchmark, per_model = results.by_benchmark(reported), results.by_model(reported)
    shared = {"site": site, "cite": citation,
              "line": EntryFragments(env, "line", memo.store("line", catalog.entries)),
              "listed": EntryFragments(env, "listed", memo.store("listed", catalog.entries)),
              "row": EntryFragments(env, "browse_row", memo.store("browse_row", catalog.entries))}
    contexts = {
        True: {**shared, "catalog": catalog, "newest_first": _newest_first(catalog.entries),
               "counts": _counts(catalog), "topics": by_facet,
               "reported": reported, "by_benchmark": per_benchmark, "by_model": per_model,
               "result_counts": results.counts(reported, per_benchmark),
               "plots": {"per_year": plots.works_per_year(catalog), "sizes": plots.model_sizes(catalog)}},
        False: {**shared, "catalog": catalog.taxonomy},
    }
    # Every path of the site, claimed before any page is produced: the pages' links are checked against it.
    claimed: set[str] = set()
    jobs = _pages(catalog, env, contexts, bib, references, related, by_facet, claimed, memo) + \
        _downloads(catalog, site, bib, csl, memo, reported, per_model, by_facet)
    for path, _, _ in jobs:
        _claim(claimed, path)
    return memo.pages(jobs, _produce, claimed)


def _one_record(entry) -> str:
    return write_bibtex([entry])


def _produce(job: Job) -> str:
    with _template_errors():
        return job[2]()


class EntryFragments:
    """A per-work fragment of `_macros.j2` (`line`: one line of a list of works; `listed`: that line with
    the work's summary; `browse_row`), rendered
    once however many pages show it, and kept for the next build while the work is unchanged.

    Pages sit at different depths, so the fragment is rendered with a placeholder for the way back to
    the site's root (`Links.html_root`); NUL can stand in because the validator refuses control
    characters in catalog text. The link needs no check: it leads to the work's own page. Other
    arguments (`browse_row`'s taxonomy and columns) are the same for every work; when they change,
    every fragment is rendered again.
    """
    _ROOT = "\x00"

    def __init__(self, env: jinja2.Environment, macro: str, kept: Kept[str, str]):
        macros = env.get_template("_macros.j2")
        self._macro = getattr(macros.module, macro, None)
        if self._macro is None:
            raise TemplateFailed(f"{_shown_path(macros.filename)}: has no macro {macro!r}, "
                                 "which every list of works uses")
        self._kept = kept  # key -> text, by the work; all forgotten when the other arguments change

    def __call__(self, entry, root: str, *arguments) -> Markup:
        self._kept.depends_on(arguments)
        return Markup(self._text(entry, arguments).replace(self._ROOT, root))

    def many(self, entries, root: str, *arguments) -> Markup:
        """The fragments of `entries`, each on a line of its own."""
        self._kept.depends_on(arguments)
        return Markup("".join(self._text(entry, arguments) + "\n" for entry in entries).replace(self._ROOT, root))

    def _text(self, entry, arguments: tuple) -> str:
        return self._kept.made(entry.key, entry, lambda: str(self._macro(entry, self._ROOT, *arguments)))


def _pages(catalog: Catalog, env: jinja2.Environment, contexts: dict[bool, dict], bib: dict[str, str],
           references: dict[str, dict], related: dict, by_facet: dict, site: set[str],
           memo: RenderMemo) -> list[Job]:
    reported, by_benchmark, per_model = (contexts[True][name] for name in ("reported", "by_benchmark", "by_model"))
    per_reporter = results.by_reporter(reported)
    def page(path: str, template: str, **given) -> Job:
        whole = template in WHOLE_CATALOG
        context = contexts[whole]
        # each call site names the same arguments in the same order: no need to sort them
        return (path, None if whole else (template, tuple(given.items())),
                lambda: env.get_template(template).render(**context, to=urls.Links(path, site), **given))

    def listed(template: str, lists: list[Listing], **given) -> list[Job]:
        return [page(listing.path, template, listing=listing, **given) for listing in lists]

    origin = catalog.origin
    pages = [page(urls.HOME, "home.md.j2", origin=origin, origin_bibtex=bib[origin.key] if origin else ""),
             page(urls.SECTIONS, "sections.md.j2")]
    corrected = tuple(e for e in catalog.entries if e.corrections)
    pages += listed("corrections.md.j2", paginate(urls.CORRECTIONS, corrected))
    for s in catalog.sections:
        pages += [page(listing.path, "section.md.j2", section=s, listing=listing, total=len(listing.all),
                       unverified=catalog.unverified_in(s.id) if listing.number == 1 else ())
                  for listing in paginate(urls.section_page(s.id), _newest_first(catalog.in_section(s.id)))]
    feed = history(catalog, FEED_LIMIT)
    pages += [page(urls.entry_page(e.key), "entry.md.j2", entry=e, bibtex=bib[e.key], related=related[e.key],
                   csl=references[e.key], released=results.released(per_model, e, catalog.benchmarks),
                   reported=per_reporter.get(e.key, ()))
              for e in catalog.entries]
    pages.append(page(urls.RESULTS, "results.md.j2"))
    for b in catalog.benchmarks:
        if b.id not in by_benchmark:
            continue
        drawn = memo.derived(f"plot/{b.id}", by_benchmark[b.id], functools.partial(plots.results, by_benchmark[b.id]))
        pages += _plot_files(f"results-{b.id}", drawn or ())
        pages += listed("benchmark.md.j2", paginate(urls.results_page(b.id), by_benchmark[b.id], RESULTS_PAGE_SIZE),
                        benchmark=b, introduced=catalog.by_key.get(b.introduced_by), drawn=drawn,
                        counts=contexts[True]["result_counts"][b.id])
    pages.append(page(urls.TOPICS, "topics.md.j2"))
    for facet, values in by_facet.items():
        pages.append(page(urls.facet_page(facet), "facet.md.j2", facet=facet, values=tuple(values)))
        for t in values:
            pages += listed("topic.md.j2", paginate(t.path, _newest_first(t.entries)), topic=t)
    for kind, path in (("models", urls.MODELS), ("datasets", urls.DATASETS)):
        rows = tuple((e, a) for e in catalog.entries for a in getattr(e, kind))
        columns = tuple(b for b in catalog.benchmarks if b.column)
        extra = {"benchmarks": columns, "spreads": results.spreads(per_model)} if kind == "models" else {}
        lists = paginate(path, rows, TABLE_PAGE_SIZE)
        choices = _choices(catalog, memo, kind, lambda e, kind=kind: [(e, a) for a in getattr(e, kind)])
        pages += listed(f"{kind}.md.j2", lists, choices=choices, **extra)
        if len(lists) > 1:
            pages.append(_every_row(env, kind, path, rows, catalog.taxonomy, extra, memo))
    per_year, sizes = contexts[True]["plots"]["per_year"], contexts[True]["plots"]["sizes"]
    pages += [
        page(urls.BROWSE, "browse.md.j2",
             choices=_choices(catalog, memo, "browse", lambda e: [(e, None)])),
        page(urls.NEWS, "news.md.j2", days=tuple(history(catalog, NEWS_LIMIT)), limit=NEWS_LIMIT),
        page(urls.FEED, "feed.xml.j2", days=tuple(feed), updated=feed[0].date if feed else "1970-01-01"),
    ]
    return pages + _plot_files("works-per-year", per_year.drawings) + _plot_files("model-sizes", sizes.drawings)


def _choices(catalog: Catalog, memo: RenderMemo, table: str,
             rows_of: Callable[[Any], list[tablefilters.Row]]) -> tablefilters.Choices:
    """The choices of a table's filters, from each work's rows (`rows_of`), counted from what the memo
    kept of the works that did not change."""
    facets = catalog.facets
    tallies = memo.per_entry(f"tally/{table}", catalog.entries, lambda e: tablefilters.tally(rows_of(e), facets))
    return tablefilters.choices_of(tallies.values(), facets)


def _plot_files(name: str, drawings: tuple[plots.Drawing, ...]) -> list[Job]:
    return [_ready(urls.plot(name + d.frame.suffix), d.svg) for d in drawings]


def _ready(path: str, text: str) -> Job:
    """The job of a file whose text is already made (and kept by the memo while unchanged): the page
    memo keeps it as given, so that an edit neither produces it again nor sends it through a worker."""
    return (path, ("ready", text), functools.partial(str, text))


@dataclasses.dataclass(frozen=True)
class _RowsOf:
    """One work's rows of a table, with what else they show: made again only when one of them differs."""
    key: str
    entry: Any
    shown: tuple  # the table's other arguments: taxonomy, and for /models/ the columns and this work's spreads


def _every_row(env: jinja2.Environment, kind: str, first: str, rows: tuple, taxonomy, extra: dict,
               memo: RenderMemo) -> Job:
    """The file of every row of a table split into pages (urls.table_rows): the first page's filters
    fetch it when a reader filters, so that they filter every row, not only that page's. The rows are
    the page's own macro, with links made for the first page; each work's are kept while it and what
    its rows show are unchanged (at 10,000 works, every row again is a second per edit)."""
    macro = getattr(env.get_template("_macros.j2").module, f"{kind[:-1]}_row")
    base = urls.Links(first).html_root
    benchmarks, spreads = extra.get("benchmarks", ()), extra.get("spreads", {})
    works = tuple({e.key: e for e, _ in rows}.values())

    def shown(entry) -> tuple:
        return (taxonomy, benchmarks, tuple((a.id, spreads.get(a.id)) for a in getattr(entry, kind)))

    def rows_of(item: _RowsOf) -> str:
        return "".join(str(macro(item.entry, a, base, taxonomy, *extra.values())) + "\n"
                       for a in getattr(item.entry, kind))

    made = memo.per_entry(f"rows/{kind}", [_RowsOf(e.key, e, shown(e)) for e in works], rows_of)
    return (urls.table_rows(kind), None,
            lambda: json.dumps({"rows": "".join(made[e.key] for e in works)}, ensure_ascii=False))


# The files a table's download buttons take the rows shown from (urls.row_records, by the buttons'
# name of the format): each format's records, which its full file joins, and the name and media type
# of the file a download makes.
ROW_DOWNLOADS = {"bibtex": (bibtex.join_records, "slm-healthcare-selection.bib", bibtex.MEDIA_TYPE),
                 "ris": (ris.join_records, "slm-healthcare-selection.ris", ris.MEDIA_TYPE),
                 "csl": (join_lines, "slm-healthcare-selection.json", csljson.MEDIA_TYPE)}


def _downloads(catalog: Catalog, site: dict, bib: dict[str, str], csl: dict[str, dict],
               memo: RenderMemo, reported: tuple, per_model: dict, by_facet: dict) -> list[Job]:
    """Citation files at the stable paths; one record per work, joined for sections and all."""
    def joined(entries) -> Callable[[], str]:
        return lambda: bibtex.join_records(bib[e.key] for e in entries)

    csl_lines = memo.per_entry("csl-line", catalog.entries, lambda e: csl_line(csl[e.key]))
    ris_records = memo.per_entry("ris", catalog.entries, to_ris)
    dump = memo.per_entry("dump", catalog.entries, functools.partial(record_line, site_url=site.get("url", "")))
    search = memo.per_entry("search-text", catalog.entries,
                            lambda e: json.dumps(e.key) + ":" + json.dumps(e.search_text, ensure_ascii=False))
    ready = [_ready(urls.entry_bib(e.key), bib[e.key]) for e in catalog.entries]
    files = []
    # The files of many works, kept by the memo while their works' records are the same objects:
    # joined anew on every edit, a topic's file for each value of every facet is most of the catalog.
    listed = [(urls.section_bib(s.id), catalog.in_section(s.id)) for s in catalog.sections]
    listed += [(urls.topic_bib(t.facet, t.value), t.entries) for topics in by_facet.values() for t in topics]
    kept = [(path, ("bibtex", tuple(bib[e.key] for e in entries)), joined(entries)) for path, entries in listed]
    files += [
        (urls.ALL_BIB, joined(catalog.entries)),
        (urls.CSL_JSON, lambda: join_lines(csl_lines[e.key] for e in catalog.entries)),
        (urls.RIS, lambda: ris.join_records(ris_records[e.key] for e in catalog.entries)),
        (urls.DUMP, lambda: write_dump(catalog, site.get("url", ""), [dump[e.key] for e in catalog.entries])),
        (urls.BROWSE_TEXT, lambda: "{" + ",".join(search[e.key] for e in catalog.entries) + "}"),
    ]
    # The same records by key, each kept as it goes into its index while its work is unchanged.
    formats = {"bibtex": bib, "ris": ris_records, "csl": csl_lines}
    indexed = memo.per_entry("row-records", catalog.entries,
                             lambda e: {name: index_item(e.key, records[e.key]) for name, records in formats.items()})
    for name, (join, download, media_type) in ROW_DOWNLOADS.items():
        files.append((urls.row_records(name), functools.partial(
            join.index, [indexed[e.key][name] for e in catalog.entries], download, media_type)))
    if reported:
        table = memo.derived("results.csv", (reported, site.get("url", "")),
                             functools.partial(write_results_csv, reported, site.get("url", "")))
        ready.append(_ready(urls.RESULTS_CSV, table))
    # Made here, in this process, and kept by the memo while a model's numbers are the same: thousands
    # of numbers about one model take a second to write, and the preview must not pay it per edit.
    for model_id, per in per_model.items():
        rows = tuple(r for rows in per.values() for r in rows)
        text = memo.derived(f"model-index/{model_id}", rows, functools.partial(evalrecords.model_index, rows[0].model,
                                                                               rows))
        ready.append(_ready(urls.model_index(model_id), text))
    for (reporter, model_id), rows in results.by_reporter_and_model(reported).items():
        text = memo.derived(f"eval-record/{reporter}/{model_id}", (rows, site.get("url", "")),
                            functools.partial(evalrecords.eval_record, rows, site.get("url", "")))
        ready.append(_ready(urls.eval_record(reporter, model_id), text))
    ready += [_ready(urls.csl_style(name), xml) for name, xml in citation.style_files().items()]
    return kept + ready + [(path, None, producer) for path, producer in files]


# Items per page of a long list, so that no page but /browse/ outgrows a phone however large the
# catalog grows (issue 11: 300 KB of HTML at 10,000 works): works per section, topic or corrections
# page, and rows per page of the models and datasets tables.
PAGE_SIZE = 100
TABLE_PAGE_SIZE = 250  # a row carries its filters' values (tablefilters.row_values): about 1 KB of HTML
RESULTS_PAGE_SIZE = 250  # numbers per page of a benchmark variant (about 800 B of HTML each)


@dataclasses.dataclass(frozen=True)
class Listing:
    """One page of a long list whose first page is `first` (a path under docs/, 'sections/x.md'):
    then 'sections/x/page-2.md', 'sections/x/page-3.md' ..."""
    first: str
    number: int
    count: int
    entries: tuple  # the items of this page: works, or (work, artifact) rows
    all: tuple = dataclasses.field(compare=False)  # pages show only what they are given besides
    size: int = PAGE_SIZE

    @property
    def path(self) -> str:
        return self.page_path(self.number)

    def page_path(self, number: int) -> str:
        return self.first if number == 1 else f"{self.first.removesuffix('.md')}/page-{number}.md"

    def link(self, number: int) -> str:
        """The HTML link from this page to page `number` of the same list."""
        return urls.Links(self.path).html(self.page_path(number))

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
    updated: tuple  # (entry, its updates of that date), by title: a version of record is one item, not three


def history(catalog: Catalog, limit: int) -> list[Day]:
    """The newest `limit` additions and updated works, grouped by date, newest first."""
    events = [(e.added, "added", e, ()) for e in catalog.entries]
    for entry in catalog.entries:
        changes: dict[str, list] = collections.defaultdict(list)
        for update in entry.updates:
            changes[update.date].append(update)
        events += [(date, "updated", entry, tuple(updates)) for date, updates in changes.items()]
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
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if path.startswith("/") or ".." in parts or not parts:
        raise PathClash(f"refusing to write outside the site: {path!r}")
    if path in claimed:
        raise PathClash(f"two pages would be written to {path!r}")
    claimed.add(path)
