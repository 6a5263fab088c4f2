"""What the hook adds to Material's templates: the navigation rendered once for the pages it shows alike.

Material renders its whole navigation (partials/nav.html) on every page, at a cost that grows with the
navigation, not with the page. On a page outside the navigation (an entry, a topic: mkdocs.yml's
`not_in_nav`) no item is active, and its links are relative to the page's address: two such pages in
one folder (entries/a/, entries/b/) get the same navigation, so 10,000 entry pages can share one
rendering. `site_overrides/partials/nav.html` asks `nav_key` whether a page can share, and
`survey_once` for the rendering; it includes Material's own partial, which it shadows, by the name
`material/partials/nav.html`.

MkDocs only: Zensical runs no hooks, and draws its own navigation (engines.MKDOCS_ONLY).
"""
from __future__ import annotations

import pathlib

import jinja2

MATERIAL = "material"  # the prefix under which Material's own templates stay reachable


def extend(env: jinja2.Environment) -> jinja2.Environment:
    """Material's environment, with its own templates under MATERIAL/ and `survey_once`, and the
    templates compiled once per process (`mkdocs serve` makes a new environment for every build)."""
    import material.templates

    templates = pathlib.Path(material.templates.__file__).parent
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({MATERIAL: jinja2.FileSystemLoader(templates)})])
    env.bytecode_cache = _COMPILED
    env.globals["survey_once"] = Fragments()
    env.globals["nav_key"] = nav_key
    return env


def nav_key(page, nav) -> str | None:
    """The folder of a page outside the navigation, which every page there shares its navigation with;
    None for a page in it, or one with navigation pages under its own address (its links differ)."""
    if page is None or page in nav.pages or any(item.url.startswith(page.url) for item in nav.pages):
        return None
    return page.url.rstrip("/").rpartition("/")[0]


class Fragments:
    """`{% call survey_once(*key) %}...{% endcall %}`: the block rendered the first time its key is
    asked for, then the same text again. One instance per build (on_env), so no edit is missed."""

    def __init__(self) -> None:
        self._rendered: dict[tuple, str] = {}

    def __call__(self, *key, caller) -> str:
        if key not in self._rendered:
            self._rendered[key] = caller()
        return self._rendered[key]


class _InMemory(jinja2.BytecodeCache):
    """Compiled templates kept in memory. Jinja files each under the template's name and a checksum of
    its source, so an edited override is compiled again. Compiling Material's templates took a
    second of every rebuild of the preview."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _InMemory()
