"""Where the generator's pages live under docs/, and so under the site: DESIGN.md's URL contract.

A folder's own page is its `index.md` (`sections/index.md` is /sections/), so `index` is reserved:
no key, section id or facet value may take it (the validator refuses it from RESERVED_NAMES).
"""
from __future__ import annotations

INDEX = "index"
RESERVED_NAMES = (INDEX,)


def entry_page(key: str) -> str:
    return f"entries/{key}.md"


def section_page(section: str) -> str:
    return f"sections/{section}.md"


def facet_page(facet: str) -> str:
    return f"topics/{facet}/{INDEX}.md"


def topic_page(facet: str, value: str) -> str:
    return f"topics/{facet}/{value}.md"
