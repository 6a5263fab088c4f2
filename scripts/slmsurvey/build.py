"""The whole generator in one call: load -> validate -> render -> write.

Nothing is written unless the catalog is valid; an invalid catalog raises CatalogInvalid.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import pathlib

from .load import load_catalog
from .model import Catalog
from .locations import Paths
from .memo import RenderMemo
from .paths import straight_to_site
from .render import render_site
from .validate import validate
from .write import write_tree


@dataclasses.dataclass
class Session:
    """What `mkdocs serve` keeps from one build to the next, so that an edit costs what it changes: the
    files as last read and checked, the pages as last rendered, the files as last written. A build
    given the session of earlier builds writes exactly what a build without one writes."""
    read: dict = dataclasses.field(default_factory=dict)  # load_catalog's `kept`
    checked: dict = dataclasses.field(default_factory=dict)  # validate's `kept`
    rendered: RenderMemo = dataclasses.field(default_factory=RenderMemo)
    written: dict = dataclasses.field(default_factory=dict)  # write_tree's `written`, for docs/
    written_to_site: dict = dataclasses.field(default_factory=dict)  # and for the site's own files


@dataclasses.dataclass(frozen=True)
class Generated:
    changes: dict[str, int]  # counts: total, written, pruned (docs/), kept, pages (memo.RenderMemo)
    site_files: dict[str, str]  # what goes straight into the built site (paths.straight_to_site)


def read_catalog(catalog: pathlib.Path, session: Session | None = None) -> Catalog:
    """Load and validate the catalog folder; raise CatalogInvalid with every problem."""
    session = session or Session()
    with _no_cyclic_gc():
        return validate(load_catalog(catalog, kept=session.read), kept=session.checked)


def generate(paths: Paths, site: dict, session: Session | None = None) -> Generated:
    """Render the project's catalog through its templates into its docs/; return what changed, and
    the files to write into the built site once it is built (`write_site_files`)."""
    session = session or Session()
    with _no_cyclic_gc():
        catalog = read_catalog(paths.catalog, session)
        files = render_site(catalog, site, paths.templates, session.rendered)
        docs = {path: text for path, text in files.items() if not straight_to_site(path)}
        changes = write_tree(docs, paths.docs, session.written)
    return Generated({**changes, "total": len(files), "kept": session.rendered.kept,
                      "pages": session.rendered.keepable},
                     {path: text for path, text in files.items() if straight_to_site(path)})


def write_site_files(generated: Generated, site_dir: pathlib.Path, session: Session | None = None) -> None:
    """Write the generated files that skip docs/ into the built site."""
    write_tree(generated.site_files, site_dir, None if session is None else session.written_to_site, manifest=False)


@contextlib.contextmanager
def _no_cyclic_gc():
    """The generator allocates millions of objects, none in reference cycles, and keeps the catalog alive
    throughout: the cyclic collector would only rescan it again and again (10-20% of the time at 10,000
    works). Reference counting still frees everything; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
