"""What a reader gets from a built page, written out so that two builds can be compared as text.

A page's `<title>`, its `<meta>` tags and its article, serialized with attributes sorted, entities
resolved and whitespace collapsed (dropped next to block-level tags, where a browser shows none). Two
pages with the same canonical text show the same thing, whether their HTML came from Markdown or from
a template: `tests/golden/pages/` holds the fixture site's pages this way (test_golden_pages.py).
"""
from __future__ import annotations

import html
import pathlib
import re

import lxml.html

BLOCK = ("address article aside blockquote body caption col colgroup dd details dialog div dl dt fieldset "
         "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav noscript ol p pre script "
         "section summary table tbody td tfoot th thead tr ul").split()
VOID = {"br", "hr", "img", "input", "meta", "link", "col", "source", "wbr"}
_AROUND_BLOCK = re.compile(r"\s*(</?(?:%s)\b[^>]*>)\s*" % "|".join(BLOCK))


def canonical(page: str) -> str:
    """The canonical text of a built page: its title and meta tags, then its article."""
    tree = lxml.html.document_fromstring(page)
    head = [_serialize(el) for el in tree.iter("title", "meta")]
    articles = tree.find_class("md-content__inner")
    body = _serialize(articles[0]) if articles else ""
    return "\n".join(head) + "\n\n" + _AROUND_BLOCK.sub(r"\n\1\n", body).replace("\n\n", "\n").strip() + "\n"


def _serialize(element) -> str:
    if not isinstance(element.tag, str):  # a comment or processing instruction: nothing a reader sees
        return _text(element.tail)
    attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in sorted(element.attrib.items()))
    inner = _text(element.text) + "".join(_serialize(child) for child in element)
    closing = "" if element.tag in VOID else f"</{element.tag}>"
    return f"<{element.tag}{attributes}>{inner}{closing}{_text(element.tail)}"


def _text(text: str | None) -> str:
    return html.escape(re.sub(r"\s+", " ", text), quote=False) if text else ""


def site_pages(site: pathlib.Path) -> dict[str, str]:
    """Every HTML page of a built site with an article, by its path in the site, as canonical text."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "md-content__inner" in text:
            pages[path.relative_to(site).as_posix()] = canonical(text)
    return pages
