"""HTML that the generated pages hand to MkDocs ready-made.

Python-Markdown's inline processing is the costliest step of a build (DESIGN.md, "Speed and size"):
the tables and lists of links that our templates write would be parsed again, pattern by pattern, on
every page. So a template writes them in HTML, inside `{% filter prerendered %}`, which wraps them in a
fenced block of pymdownx.superfences' custom fence FENCE (mkdocs.yml names `fence` as its formatter).
SuperFences finds the fence in one pass over the lines and stashes the HTML as it is: no HTML parsing,
no inline patterns. Headings stay Markdown, so the table of contents and permalinks are MkDocs' own.

MkDocs checks no link inside such a block, so templates write those links with `to.html`, which
checks that the target is a page of the site (`paths.Links`).
"""
from __future__ import annotations

import re

from markupsafe import Markup

from slmsurvey.problems import TemplateMistake

FENCE = "survey-html"
_TILDES = re.compile(r"^[ \t]*(~+)", re.MULTILINE)
_QUOTED = re.compile(r"^[ \t]*>", re.MULTILINE)
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def fence(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """SuperFences' formatter for FENCE blocks: the HTML exactly as the template wrote it."""
    return source


def prerendered(html: str) -> Markup:
    """HTML written by a template, as a fenced block that Python-Markdown hands through unchanged.

    It must start with a block-level tag: Python-Markdown puts the stashed HTML of a block in place of
    the paragraph it stood in only then (anything else would land inside a <p>). The fence is longer
    than any run of tildes that starts a line of the HTML, so no catalog text can close it; a line
    that starts with '>' would read as a block quote and end it (autoescape writes text's '>' as &gt;).
    Line breaks between tags become spaces, which HTML shows alike (the templates write no <pre>):
    SuperFences handles a fenced block line by line, and a page's blocks then take a few lines.
    """
    text = str(html).strip()
    if not text:
        return Markup("")
    if not text.startswith("<"):
        raise TemplateMistake(f"prerendered HTML must start with a block-level tag, not {text[:40]!r}")
    if _QUOTED.search(text):
        raise TemplateMistake("prerendered HTML has a line that starts with '>': write each tag on one line")
    text = _BETWEEN_TAGS.sub("> <", text)
    fence_line = "~" * max(3, 1 + max((len(run) for run in _TILDES.findall(text)), default=0))
    return Markup(f"{fence_line}{FENCE}\n{text}\n{fence_line}\n")
