"""What `mkdocs serve --dirty` (make serve) adds to a build, so that an edit rebuilds what it changed
and no more, and a mistake never takes the preview down:

- the generator keeps what it read, checked, rendered and wrote (`memory.Memory`) and rewrites only
  the generated files whose text changed; MkDocs' dirty build then rebuilds only the pages whose
  Markdown is newer than their HTML;
- a change to mkdocs.yml or to the theme's overrides, which every page depends on, empties the
  preview's site folder first, so that every page is built again (`start_build`);
- MkDocs is handed only the pages a dirty build builds (`hand_over`);
- a page that no longer exists (a work removed or renamed) is removed from the preview (`prune`);
- what the preview keeps is left out of Python's full collections, and each build's garbage is
  collected while the preview waits for the next edit (`rendered`, `built`);
- only the hand-written pages of docs/ are watched, through the system's change notifications (`watch`);
- a catalog or template the build refuses is reported, and the last version that built stays
  served (`keeps_serving`);
- requests and MkDocs' dirty-build notice are not counted as the build's warnings (the log filters).
"""
from __future__ import annotations

import gc
import hashlib
import logging
import pathlib
import threading

from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import clean_directory

from slmsurvey.engines.run import read_config, site_settings
from slmsurvey.engines.watching import FoldersNotified
from slmsurvey.memory import Memory, Written
from slmsurvey.write import MANIFEST, generated_paths

# Not under "mkdocs": a strict build counts every error logged there and then aborts.
_log = logging.getLogger("slmsurvey.engines.preview")

COLLECT_AFTER_BUILD = 1.0  # seconds: MkDocs returns from the build within milliseconds of on_post_build


class Preview:
    def __init__(self, dirty: bool) -> None:
        self.memory = Memory()
        self.dirty = dirty
        self.shown = False  # a build has rendered: from then on a refused build leaves the last one served
        self.partial = False  # the build under way is a dirty one that builds only what changed
        self._made_with: str | None = None  # _fingerprint at the last dirty build that built every page
        self._built: set[str] = set()  # the site's files at the last build
        logging.getLogger("mkdocs.livereload").addFilter(_RequestsAreNotBuildWarnings())
        _log.handlers = [h for h in logging.getLogger("mkdocs").handlers if h.name == "MkDocsStreamHandler"]
        _log.propagate = False
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildsAreWhole())
            logging.getLogger("mkdocs.structure.pages").addFilter(_LinksToPagesNotBuilt(self))

    def settings(self, config) -> dict:
        """The site's settings, with site_url as mkdocs.yml sets it: serve replaces it by its own
        address, and the generated files (feed, citation tags, data dump) would then differ from the
        build's and be rewritten."""
        return site_settings({**config, "site_url": read_config(pathlib.Path(config.config_file_path)).get("site_url")})

    def start_build(self, config) -> bool:
        """Whether this build builds every page: any but a dirty build; in a dirty one, the first, and
        any after a change to what every page is made with (mkdocs.yml, the theme's overrides), for
        which it empties the site folder."""
        self.partial = False
        if not self.dirty:
            return True
        made_with = _fingerprint(pathlib.Path(config.config_file_path), pathlib.Path(config.theme.custom_dir or "."))
        if made_with == self._made_with:
            self.partial = True
            return False
        if self._made_with is not None:
            clean_directory(config.site_dir)
            self.memory.written_to_site = Written()
        self._made_with = made_with
        return True

    def hand_over(self, files, config) -> None:
        """In a dirty build that does not build every page, hand MkDocs only the pages it builds: those
        whose Markdown is newer than their HTML, and those of the navigation, which every built page
        shows. Handed all 11,000 pages at 10,000 works, MkDocs makes an object for each (and its URLs)
        and checks each for changes twice: 0.4 s of every edit. The others are marked excluded, which
        a preview neither reads nor writes (MkDocs leaves their HTML as it is); a built page's links
        to them are made as to any page (`_LinksToPagesNotBuilt`). The sitemap, which lists every
        page, stays as the last build of every page wrote it."""
        if not self.partial:
            return
        in_nav = _nav_paths(config.nav) if config.nav is not None else None
        for file in files.documentation_pages():
            shown_in_nav = file.src_uri in in_nav if in_nav is not None else file.inclusion.is_in_nav()
            if not shown_in_nav and not file.is_modified():
                file.inclusion = InclusionLevel.EXCLUDED
        config.theme.static_templates.discard("sitemap.xml")

    def prune(self, files, config) -> None:
        """In a dirty preview, remove the built pages and files that no longer have a source."""
        built = {file.dest_uri for file in files}
        if self.dirty and self._built:
            site = pathlib.Path(config.site_dir)
            for gone in sorted(self._built - built):
                (site / gone).unlink(missing_ok=True)
        self._built = built

    def site_memory(self) -> Memory | None:
        """What the writer of the site's own files may keep: a full build empties the site folder."""
        return self.memory if self.dirty else None

    def rendered(self, changes: dict[str, int]) -> None:
        """What the preview keeps (a catalog, its pages) lives as long as the preview, and Python's full
        collections scanned all of it, again and again during every build (0.3 s of a 2.5 s rebuild at
        10,000 works, and as much again of variation). After a render that made most pages anew (the
        first, or after a template or taxonomy change), collect what is garbage, then freeze what is
        left, which later collections leave alone; what dies of it is freed by reference counting.
        Freezing after every render would also freeze each build's MkDocs configuration, which is
        garbage in reference cycles once the next build has loaded its own, and never collected."""
        self.shown = True
        if changes["kept"] < changes["pages"] / 2:
            gc.collect()
            gc.freeze()

    def built(self) -> None:
        """Once a build has returned, the pages MkDocs built are garbage in reference cycles, which only
        a full collection frees: after the first build, 11,000 pages at 10,000 works, which the first
        edit's rebuild then spent 0.7 s collecting. Collect them while the preview waits for an edit."""
        timer = threading.Timer(COLLECT_AFTER_BUILD, gc.collect)
        timer.daemon = True
        timer.start()

    def keeps_serving(self, problems: list[str], message: str) -> bool:
        """Once the preview has shown the site, report what a build refused and keep serving the last
        version that built: MkDocs would print a traceback for the abort and hold every request until
        the file is fixed. Before that, the build stops as any build does."""
        if not self.shown:
            return False
        for line in problems:
            _log.error(line)
        _log.error("%s; the preview shows the last version that built until this is fixed", message)
        return True

    def watch(self, server, config):
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


def _nav_paths(nav) -> set[str]:
    """The pages mkdocs.yml's nav names (`- Title: path.md`, nested in sections)."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return set().union(*(_nav_paths(item) for item in items))


def _fingerprint(config_file: pathlib.Path, overrides: pathlib.Path) -> str:
    digest = hashlib.sha256(config_file.read_bytes())
    for path in sorted(overrides.rglob("*")) if overrides.is_dir() else ():
        if path.is_file():
            digest.update(path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
    is written out in mkdocs.yml, whose every change rebuilds every page (`Preview.start_build`), and a
    generated page that shows a changed work is itself rewritten, so rebuilt. Links of unchanged pages
    to removed ones are not checked again in the preview; `make site` checks every link. So the
    warning is not logged (made a DEBUG record, MkDocs' console handler would still print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and "'dirty' build" in str(record.msg))


class _LinksToPagesNotBuilt(logging.Filter):
    """MkDocs notes each link to a page marked excluded, which the pages a partial build leaves
    alone are (`Preview.hand_over`): in the preview that is every link to them, and none is a
    problem, so they are not logged (as `_DirtyBuildsAreWhole`'s warning is not). Only while such a
    build runs; `make site` builds every page and logs any link to a page it excludes."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.preview.partial and "which is excluded from the built site" in str(record.msg))
