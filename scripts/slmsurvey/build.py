"""The whole generator in one call: load -> validate -> render -> write.

Nothing is written unless the catalog is valid; an invalid catalog raises CatalogInvalid.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import pathlib

from slmsurvey.catalog.load import load_catalog
from slmsurvey.catalog.model import Catalog
from slmsurvey.catalog.validate import validate
from slmsurvey.locations import Paths
from slmsurvey.memory import Memory
from slmsurvey.site.render import render_site
from slmsurvey.urls import straight_to_site
from slmsurvey.write import write_tree


@dataclasses.dataclass(frozen=True)
class Generated:
    changes: dict[str, int]  # counts: total, written, pruned (docs/), kept, pages (memory.RenderMemo)
    site_files: dict[str, str]  # what goes straight into the built site (paths.straight_to_site)


def read_catalog(catalog: pathlib.Path, memory: Memory | None = None) -> Catalog:
    """Load and validate the catalog folder; raise CatalogInvalid with every problem."""
    memory = memory or Memory()
    with _no_cyclic_gc():
        return validate(load_catalog(catalog, kept=memory.read), kept=memory.checked)


def generate(paths: Paths, site: dict, memory: Memory | None = None) -> Generated:
    """Render the project's catalog through its templates into its docs/; return what changed, and
    the files to write into the built site once it is built (`write_site_files`)."""
    memory = memory or Memory()
    with _no_cyclic_gc():
        catalog = read_catalog(paths.catalog, memory)
        files = render_site(catalog, site, paths.templates, memory.rendered)
        docs = {path: text for path, text in files.items() if not straight_to_site(path)}
        changes = write_tree(docs, paths.docs, memory.written)
    return Generated({**changes, "total": len(files), "kept": memory.rendered.kept,
                      "pages": memory.rendered.keepable},
                     {path: text for path, text in files.items() if straight_to_site(path)})


def write_site_files(generated: Generated, site_dir: pathlib.Path, memory: Memory | None = None) -> None:
    """Write the generated files that skip docs/ into the built site."""
    write_tree(generated.site_files, site_dir, None if memory is None else memory.written_to_site, manifest=False)


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
