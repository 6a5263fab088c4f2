"""MkDocs hook: render the catalog into docs/ before every build (and every `mkdocs serve` reload),
hand each built page to the search index as MkDocs writes it, and write the files that go straight
into the built site once it is built.

Each handler adapts MkDocs to `build.generate`, `searchindex.SearchIndex` or `theme.extend`; what
`mkdocs serve` adds (kept memory, dirty builds, pruning, watching) is `preview.Preview`'s.
"""
from __future__ import annotations

import logging
import pathlib

from mkdocs.exceptions import Abort

from slmsurvey.build import Generated, generate, write_site_files
from slmsurvey.engines.preview import Preview
from slmsurvey.engines.run import site_settings
from slmsurvey.engines.searchindex import SearchIndex
from slmsurvey.engines.theme import extend
from slmsurvey.locations import Paths
from slmsurvey.problems import CatalogInvalid, SurveyError
from slmsurvey.write import WriteFailed

log = logging.getLogger("mkdocs.hooks.slmsurvey")

_preview: Preview | None = None  # in `mkdocs serve` only
_generated: Generated | None = None  # the last render, whose site files on_post_build writes
_search: SearchIndex | None = None  # the index of the build under way, fed page by page


def on_startup(command, dirty) -> None:
    global _preview
    _preview = Preview(dirty) if command == "serve" else None


def on_pre_build(config) -> None:
    every_page = _preview.start_build(config) if _preview else True
    _render(config)
    if every_page:  # after rendering: the forked render workers must not inherit its reader thread
        _open_search_index()


def on_files(files, config):
    if _preview:
        _preview.prune(files, config)
        _preview.hand_over(files, config)
    return files


def on_env(env, config, files):
    return extend(env)


def on_post_page(output, page, config) -> None:
    if _search is not None:
        _search.add(output, page.file.dest_uri)


def on_post_build(config) -> None:
    global _search
    if _preview:
        _preview.built()
    if _generated is not None:
        try:
            write_site_files(_generated, pathlib.Path(config.site_dir), _preview and _preview.site_memory())
        except WriteFailed as exc:
            _refuse(exc)
    search, _search = _search, None
    if search is not None:  # else it could not start, and on_pre_build said so
        try:
            search.write(pathlib.Path(config.site_dir))
        except SurveyError as exc:
            _refuse(exc, "the search index was not updated")


def on_build_error(error) -> None:
    _close_search_index()


def on_serve(server, config, builder):
    return _preview.watch(server, config) if _preview else server


def _render(config) -> None:
    global _generated
    paths = Paths.of(pathlib.Path(config.config_file_path).parent, docs=pathlib.Path(config.docs_dir))
    settings = _preview.settings(config) if _preview else site_settings(config)
    try:
        _generated = generate(paths, settings, _preview and _preview.memory)
    except WriteFailed as exc:
        return _refuse(exc)
    except SurveyError as exc:
        return _refuse(exc, "nothing was written")
    if _preview:
        _preview.rendered(_generated.changes)
    log.info("Catalog rendered: %(total)d files (%(kept)d of %(pages)d pages kept from the last build), "
             "%(written)d written, %(pruned)d pruned", _generated.changes)


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


def _refuse(exc: SurveyError, consequence: str = "") -> None:
    """Report what the build refused, naming file, line and field, and stop it (unless the preview
    keeps serving the last version that built)."""
    problems = [str(p) for p in exc.problems] if isinstance(exc, CatalogInvalid) else []
    message = f"{exc}; {consequence}" if consequence and not problems else str(exc)
    if _preview and _preview.keeps_serving(problems, message):
        return
    for line in problems:
        log.error(line)
    raise Abort(message)
