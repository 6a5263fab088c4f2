"""MkDocs hook: render the catalog into docs/ before every build (and every `mkdocs serve` reload),
and hand each built page to the search index as MkDocs writes it.

As thin as a MkDocs event handler: it only adapts MkDocs' config to `build.generate`,
`searchindex.SearchIndex` and `theme.extend`, keeps `mkdocs serve` from rebuilding for its own sake,
and makes `mkdocs serve --dirty` (make serve) rebuild what an edit changed and no more:
- the generator keeps what it read, checked, rendered and wrote (`build.Session`), and rewrites only
  the generated files whose text changed; MkDocs' dirty build then rebuilds only the pages whose
  Markdown is newer than their HTML;
- a change to mkdocs.yml or to the theme's overrides, which every page depends on, empties the
  preview's site folder first, so that every page is built again;
- the search index is built by the builds that build every page; the others leave it as it was;
- a page that no longer exists (a work removed or renamed) is removed from the preview.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import pathlib
import threading

from mkdocs.exceptions import Abort
from mkdocs.utils import clean_directory

from .build import Generated, Session, generate, write_site_files
from .engines import read_config, site_settings
from .locations import Paths
from .problems import CatalogInvalid, SurveyError
from .searchindex import SearchIndex
from .theme import extend
from .watching import FoldersNotified
from .write import MANIFEST, WriteFailed, generated_paths

log = logging.getLogger("mkdocs.hooks.slmsurvey")


def settings(config) -> dict:
    """The site's settings; in `mkdocs serve`, with site_url as mkdocs.yml sets it: serve replaces it by
    its own address, and the generated files (feed, citation tags, data dump) would then differ from
    the build's and be rewritten."""
    if _serving:
        return site_settings({**config, "site_url": read_config(pathlib.Path(config.config_file_path)).get("site_url")})
    return site_settings(config)


def on_startup(command, dirty) -> None:
    global _serving, _dirty, _session
    _serving = command == "serve"
    _dirty = _serving and dirty
    _session = Session() if _serving else None
    if _serving:
        logging.getLogger("mkdocs.livereload").addFilter(_RequestsAreNotBuildWarnings())
        _preview_log.handlers = [h for h in logging.getLogger("mkdocs").handlers
                                 if h.name == "MkDocsStreamHandler"]
        _preview_log.propagate = False
    if _dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildsAreWhole())


def on_pre_build(config) -> None:
    full = _start_dirty_build(config) if _dirty else True
    _render(config)
    if full:  # after rendering: the forked render workers must not inherit its reader thread
        _open_search_index()


def _start_dirty_build(config) -> bool:
    """Whether this dirty build builds every page: the first, and any after a change to what every
    page is made with (mkdocs.yml, the theme's overrides), for which it empties the site folder."""
    global _made_with
    made_with = _fingerprint(pathlib.Path(config.config_file_path), pathlib.Path(config.theme.custom_dir or "."))
    if made_with == _made_with:
        return False
    if _made_with is not None:
        clean_directory(config.site_dir)
        _session.written_to_site.clear()
    _made_with = made_with
    return True


def _fingerprint(config_file: pathlib.Path, overrides: pathlib.Path) -> str:
    digest = hashlib.sha256(config_file.read_bytes())
    for path in sorted(overrides.rglob("*")) if overrides.is_dir() else ():
        if path.is_file():
            digest.update(path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _out_of_collections(changes: dict) -> None:
    """What the preview keeps (the session: a catalog, its pages) lives as long as the preview, and
    Python's full collections scanned all of it, again and again during every build (0.3 s of a 2.5 s
    rebuild at 10,000 works, and as much again of variation). After a render that made most pages
    anew (the first, or after a template or taxonomy change), collect what is garbage, then freeze
    what is left, which later collections leave alone; what dies of it is freed by reference counting.
    Freezing after every render would also freeze each build's MkDocs configuration, which is garbage
    in reference cycles once the next build has loaded its own, and never collected."""
    if changes["kept"] < changes["pages"] / 2:
        gc.collect()
        gc.freeze()


def _collect_when_idle() -> None:
    """Once a build has returned, the pages MkDocs built are garbage in reference cycles, which only
    a full collection frees: after the first build, 11,000 pages at 10,000 works, which the first
    edit's rebuild then spent 0.7 s collecting. Collect them while the preview waits for an edit."""
    timer = threading.Timer(COLLECT_AFTER_BUILD, gc.collect)
    timer.daemon = True
    timer.start()


COLLECT_AFTER_BUILD = 1.0  # seconds: MkDocs returns from the build within milliseconds of on_post_build


def on_files(files, config):
    """In a dirty preview, remove the built pages and files that no longer have a source."""
    global _built
    built = {file.dest_uri for file in files}
    if _dirty and _built:
        site = pathlib.Path(config.site_dir)
        for gone in sorted(_built - built):
            (site / gone).unlink(missing_ok=True)
    _built = built
    return files


def _render(config) -> None:
    global _rendered, _generated
    paths = Paths.of(pathlib.Path(config.config_file_path).parent, docs=pathlib.Path(config.docs_dir))
    try:
        _generated = generate(paths, settings(config), _session)
    except WriteFailed as exc:
        _refuse(exc)
        return
    except SurveyError as exc:
        _refuse(exc, "nothing was written")
        return
    _rendered = True
    if _serving:
        _out_of_collections(_generated.changes)
    log.info("Catalog rendered: %(total)d files (%(kept)d of %(pages)d pages kept from the last build), "
             "%(written)d written, %(pruned)d pruned",
             _generated.changes)


def on_env(env, config, files):
    return extend(env)


def on_post_page(output, page, config) -> None:
    if _search is not None:
        _search.add(output, page.file.dest_uri)


def on_post_build(config) -> None:
    global _search
    if _serving:
        _collect_when_idle()
    if _generated is not None:
        try:
            write_site_files(_generated, pathlib.Path(config.site_dir), _session if _dirty else None)
        except WriteFailed as exc:
            _refuse(exc)
    search, _search = _search, None
    if search is None:  # it could not start, and on_pre_build said so
        return
    try:
        search.write(pathlib.Path(config.site_dir))
    except SurveyError as exc:
        _refuse(exc, "the search index was not updated")


def on_build_error(error) -> None:
    _close_search_index()


_search: SearchIndex | None = None  # the index of the build under way, fed page by page


def _open_search_index() -> None:
    global _search
    _close_search_index()
    try:
        _search = SearchIndex()
    except SurveyError as exc:
        _refuse(exc, "the search index was not updated")


def _close_search_index() -> None:
    global _search
    if _search is not None:
        _search.close()
        _search = None


# Not under "mkdocs": a strict build counts every error logged there and then aborts.
_preview_log = logging.getLogger("slmsurvey.preview")
_rendered = False
_serving = _dirty = False
_session: Session | None = None  # what `mkdocs serve` keeps between builds
_generated: Generated | None = None  # the last render, whose site files on_post_build writes
_made_with: str | None = None  # _fingerprint at the last dirty build that built every page
_built: set[str] = set()  # the site's files at the last build


def _refuse(exc: SurveyError, consequence: str = "") -> None:
    """Report what the build refused, naming file, line and field, and stop it; but once the
    preview has shown the site, keep it serving the last version that built. MkDocs would print a
    traceback for the abort and hold every request until the file is fixed."""
    problems = [str(p) for p in exc.problems] if isinstance(exc, CatalogInvalid) else []
    message = f"{exc}; {consequence}" if consequence and not problems else str(exc)
    if _serving and _rendered:
        for line in problems:
            _preview_log.error(line)
        _preview_log.error("%s; the preview shows the last version that built until this is fixed", message)
        return
    for line in problems:
        log.error(line)
    raise Abort(message)


def on_serve(server, config, builder):
    """Watch the hand-written pages of docs/, not the generated ones: the generator's own writes would
    start a second build after every edit. catalog/ and templates/ are watched (mkdocs.yml: watch),
    through the system's change notifications (`watching`), and a new hand-written page is seen after
    a restart."""
    server.observer = FoldersNotified(server.observer)
    docs = pathlib.Path(config.docs_dir)
    generated = set(generated_paths(docs)) | {MANIFEST}
    server.unwatch(config.docs_dir)
    for path in sorted(docs.rglob("*")):
        if path.is_file() and path.relative_to(docs).as_posix() not in generated:
            server.watch(str(path), recursive=False)
    return server


class _RequestsAreNotBuildWarnings(logging.Filter):
    """`mkdocs serve` logs every request that is not a 200 as a warning, and a strict build counts
    every warning logged while it runs: a browser asking for a favicon or a renamed page during a
    rebuild would abort it and leave the preview stuck (mkdocs/mkdocs#2557). Requests are logged as
    information instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and '" code ' in str(record.msg):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class _DirtyBuildsAreWhole(logging.Filter):
    """MkDocs warns that a dirty build may leave the navigation and links of the pages it does not
    rebuild out of date, and a strict build counts the warning. Here they stay right: the navigation
    is written out in mkdocs.yml, whose every change rebuilds every page (`_start_dirty_build`), and a
    generated page that shows a changed work is itself rewritten, so rebuilt. Links of unchanged pages
    to removed ones are not checked again in the preview; `make site` checks every link."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and "'dirty' build" in str(record.msg):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True
