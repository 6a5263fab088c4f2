"""The floor to compare our build with: a plain MkDocs + Material site of as many pages, each of the
median Markdown size of ours.

Plain means what a new Material site is: the theme with its defaults and MkDocs' default plugin
(search), prose pages (our hand-written about and method pages, links unwrapped, repeated to the
size), and a short nav with the other pages out of it, as ours keeps its entry pages out of the nav.
"""
from __future__ import annotations

import pathlib
import re
import statistics

from . import ROOT

CONFIG = """site_name: Plain Material
site_url: https://example.org/plain/
theme:
  name: material
not_in_nav: |
  /pages/
"""


def median_markdown_size(docs: pathlib.Path) -> int:
    return int(statistics.median(p.stat().st_size for p in docs.rglob("*.md")))


def prose() -> list[str]:
    """Paragraphs and headings of our hand-written pages, with links reduced to their text."""
    text = "\n\n".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("about.md", "method.md"))
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return [block.strip() for block in text.split("\n\n") if block.strip() and not block.startswith("# ")]


def page_text(number: int, size: int, blocks: list[str]) -> str:
    parts, length, index = [f"# Page {number}"], 0, number
    while length < size:
        block = blocks[index % len(blocks)]
        parts.append(block)
        length += len(block.encode("utf-8")) + 2
        index += 1
    return "\n\n".join(parts) + "\n"


def make_plain_site(root: pathlib.Path, pages: int, size: int) -> pathlib.Path:
    """A project folder at `root` with `pages` Markdown pages of about `size` bytes; returns its config."""
    docs = root / "docs"
    (docs / "pages").mkdir(parents=True)
    blocks = prose()
    (docs / "index.md").write_text(page_text(0, size, blocks), encoding="utf-8")
    for number in range(1, pages):
        (docs / "pages" / f"page-{number}.md").write_text(page_text(number, size, blocks), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return config
