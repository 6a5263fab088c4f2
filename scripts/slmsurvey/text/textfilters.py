"""Template filters that make catalog text safe where it lands: Markdown, HTML, front matter.

Catalog text comes from strangers' pull requests, so every field is treated as plain text: it can
never become markup, a link, or a template instruction.
"""
from __future__ import annotations

import functools
import html
import json
import re

from markupsafe import Markup

from slmsurvey.text.casing import PROTECTED_GROUP
from slmsurvey.text.prerendered import prerendered

# Python-Markdown's backslash escapes (plus '|' for tables). Any other character is literal there.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def markdown_text(value: object) -> Markup:
    """Catalog text as shown on a Markdown line: protecting braces dropped (`plain`), HTML-escaped,
    Markdown punctuation backslash-escaped, one line."""
    return _markdown_text(str(value))


@functools.lru_cache(maxsize=65536)  # a title or name is escaped once, though listed on many pages
def _markdown_text(value: str) -> Markup:
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(_one_line(value), quote=True)))


def html_text(value: object) -> str:
    """Catalog text as shown in a template's HTML: what `md` shows, on one line, left for Jinja's
    autoescape to escape (a prerendered block reaches the reader as the template wrote it)."""
    return _one_line(str(value))


@functools.lru_cache(maxsize=65536)  # a title or name is shown once per page, on many pages
def _one_line(value: str) -> str:
    return " ".join(plain(value).split())


def front_matter(value: object) -> Markup:
    """A YAML front-matter value (JSON is YAML) that is already HTML-escaped.

    MkDocs themes insert `page.meta.title` and `description` into HTML without escaping.
    """
    return Markup(json.dumps(html.escape(" ".join(str(value).split()), quote=True), ensure_ascii=False))


def plain(value: object) -> str:
    """Catalog text as readers and reference managers see it, the way TeX prints it.

    Braces that protect capitals in BibTeX ('{BioGPT}') are not shown; the rule is the BibTeX
    writer's (`casing.PROTECTED_GROUP`): '{{ x }}', '{% y %}' and '\\input{file}' are not protecting
    groups and stay exactly as written. A spaced '--' or '---' is the dash TeX makes of it.
    """
    return typographic_dashes(PROTECTED_GROUP.sub(r"\1", str(value)))


_SPACED_DASH = re.compile(r"(?<=\s)-{2,3}(?=\s)")


def typographic_dashes(text: str) -> str:
    """'MedAlpaca -- An ...' -> 'MedAlpaca – An ...' (and '---' -> '—'), as BibTeX prints them."""
    return _SPACED_DASH.sub(lambda dash: "—" if len(dash.group()) == 3 else "–", text)


def json_text(value: object) -> Markup:
    """JSON inside an HTML <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def verbatim(value: str) -> Markup:
    """Text for a fenced code block: the Markdown highlighter escapes it, so Jinja must not."""
    return Markup(value)


def front_matter_pairs(pairs: list[tuple[str, str]]) -> Markup:
    """A front-matter list of [name, content] pairs, HTML-escaped for a theme that does not escape."""
    escaped = [[name, html.escape(" ".join(value.split()), quote=True)] for name, value in pairs]
    return Markup(json.dumps(escaped, ensure_ascii=False))


FILTERS = {
    "fm_pairs": front_matter_pairs,
    "verbatim": verbatim,
    "md": markdown_text,
    "text": html_text,
    "prerendered": prerendered,
    "fm": lambda value: front_matter(plain(value)),
    "plain": plain,
    "json_text": json_text,
}
