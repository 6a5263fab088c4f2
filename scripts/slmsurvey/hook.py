"""MkDocs hook: render the catalog into docs/ before every build (and every `mkdocs serve` reload),
and hand each built page to the search index as MkDocs writes it.

As thin as a MkDocs event handler: it only adapts MkDocs' config to `build.generate`,
`searchindex.SearchIndex` and `theme.extend`, and keeps `mkdocs serve` from rebuilding for its own sake.
"""
from __future__ import annotations

import logging
import pathlib

from mkdocs.exceptions import Abort

from .build import generate
from .engines import read_config, site_settings
from .locations import Paths
from .problems import CatalogInvalid, SurveyError
from .searchindex import SearchIndex
from .theme import extend
from .write import MANIFEST, WriteFailed, generated_paths

log = logging.getLogger("mkdocs.hooks.slmsurvey")
_serving = False


def settings(config) -> dict:
    """The site's settings; in `mkdocs serve`, with site_url as mkdocs.yml sets it: serve replaces it by
    its own address, and the generated files (feed, citation tags, data dump) would then differ from
    the build's and be rewritten."""
    if _serving:
        return site_settings({**config, "site_url": read_config(pathlib.Path(config.config_file_path)).get("site_url")})
    return site_settings(config)


def on_startup(command, dirty) -> None:
    global _serving
    _serving = command == "serve"
    if _serving:
        logging.getLogger("mkdocs.livereload").addFilter(_RequestsAreNotBuildWarnings())
        _preview_log.handlers = [h for h in logging.getLogger("mkdocs").handlers
                                 if h.name == "MkDocsStreamHandler"]
        _preview_log.propagate = False


def on_pre_build(config) -> None:
    _render(config)
    _open_search_index()  # after rendering: the forked render workers must not inherit its reader thread


def _render(config) -> None:
    global _rendered
    paths = Paths.of(pathlib.Path(config.config_file_path).parent, docs=pathlib.Path(config.docs_dir))
    try:
        changes = generate(paths, settings(config))
    except WriteFailed as exc:
        _refuse(exc)
        return
    except SurveyError as exc:
        _refuse(exc, "nothing was written")
        return
    _rendered = True
    log.info("Catalog rendered: %(total)d files, %(written)d written, %(pruned)d pruned", changes)


def on_env(env, config, files):
    return extend(env)


def on_post_page(output, page, config) -> None:
    if _search is not None:
        _search.add(output, page.file.dest_uri)


def on_post_build(config) -> None:
    global _search
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
    and a new hand-written page is seen after a restart."""
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
