"""The whole generator in one call: load -> validate -> render -> write.

Nothing is written unless the catalog is valid; an invalid catalog raises CatalogInvalid.
"""
from __future__ import annotations

import contextlib
import gc
import pathlib

from .load import load_catalog
from .model import Catalog
from .locations import Paths
from .render import render_site
from .validate import validate
from .write import write_tree


def read_catalog(catalog: pathlib.Path) -> Catalog:
    """Load and validate the catalog folder; raise CatalogInvalid with every problem."""
    with _no_cyclic_gc():
        return validate(load_catalog(catalog))


def generate(paths: Paths, site: dict) -> dict[str, int]:
    """Render the project's catalog through its templates into its docs/; return what changed."""
    with _no_cyclic_gc():
        catalog = read_catalog(paths.catalog)
        return write_tree(render_site(catalog, site, paths.templates), paths.docs)


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
