"""The whole generator in one call: load -> validate -> render -> write.

Nothing is written unless the catalog is valid; an invalid catalog raises CatalogInvalid.
"""
from __future__ import annotations

import pathlib

from .load import load_catalog
from .model import Catalog
from .render import TEMPLATES, render_site
from .validate import validate
from .write import write_tree


def read_catalog(root: pathlib.Path) -> Catalog:
    """Load and validate; raise CatalogInvalid with every problem."""
    return validate(load_catalog(root))


def generate(root: pathlib.Path, docs: pathlib.Path, site: dict,
             templates: pathlib.Path = TEMPLATES) -> dict[str, int]:
    """Render the catalog under `root` into `docs`; return what changed."""
    catalog = read_catalog(root)
    return write_tree(render_site(catalog, site, templates), docs)
