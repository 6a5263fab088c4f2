"""README.md's list of every work by section, generated from the catalog between two markers.

Contributors never edit the list: `make readme` (and the workflow on main) rewrites the text between
`<!-- catalog:start -->` and `<!-- catalog:end -->` and leaves the rest of README.md alone:

    slmsurvey readme [--check] [--root DIR]
"""
from __future__ import annotations

import html
import pathlib
import re

from slmsurvey.build import read_catalog
from slmsurvey.catalog.model import Catalog, Entry, Unverified
from slmsurvey.locations import Paths
from slmsurvey.problems import SurveyError
from slmsurvey.text.textfilters import plain
from slmsurvey.urls import absolute, entry_page

START, END = "<!-- catalog:start -->", "<!-- catalog:end -->"
HEADING = "## The survey"
GENERATED = "Generated from catalog/ by `make readme`. Do not edit: edit catalog/entries/."
DEFAULT_SITE = "https://slm-healthcare.github.io/survey/"
LINK_LABELS = {"code": "code", "model": "model", "dataset": "dataset", "project": "project", "pdf": "PDF"}


def catalog_markdown(catalog: Catalog, site_url: str = DEFAULT_SITE) -> str:
    """The block between the markers (markers included): groups, sections, one line per work."""
    site_url = site_url.rstrip("/") + "/"
    intro = (f"{len(catalog.entries)} works in {len(catalog.sections)} sections. Browse, filter and cite "
             f"them on [the survey's site]({site_url}); each line links the paper, then its page with the "
             "BibTeX.")
    lines = [START, f"<!-- {GENERATED} -->", "", intro]
    group = None
    for section in catalog.sections:
        if section.group != group:
            group = section.group
            lines += ["", f"### {_md(group)}"]
        entries = sorted(catalog.in_section(section.id), key=lambda e: (-e.year, e.key))
        lines += ["", f"#### {_md(section.title)}", ""]
        lines += [entry_line(e, site_url) for e in entries] or ["*No works yet.*"]
        lines += [_unverified_line(u) for u in catalog.unverified_in(section.id)]
    return "\n".join(lines + ["", END])


def entry_line(entry: Entry, site_url: str) -> str:
    """'- [Title](paper) — Luo et al., 2022 · *Brief. Bioinform.* · 347M · [code](…) · [page](…)'."""
    title = f"[{_md(plain(entry.title))}]({_url(entry.main_url)})"
    parts = [f"- {title} — {_md(entry.short_authors)}, {entry.year}",
             f"*{_md(plain(entry.venue.short or entry.venue.name))}*"]
    sizes = [model.parameters_label for model in entry.models if model.parameters]
    if sizes:
        parts.append(", ".join(dict.fromkeys(sizes)))
    parts += [f"[{label}]({_url(entry.links[kind])})" for kind, label in LINK_LABELS.items()
              if kind in entry.links and entry.links[kind] != entry.main_url]
    parts.append(f"[page]({absolute(entry_page(entry.key), site_url)})")
    return " · ".join(parts)


def _unverified_line(work: Unverified) -> str:
    return f"- [{_md(plain(work.title))}]({_url(work.url)}) — *listed in the survey, not yet verified*"


def _md(text: str) -> str:
    """Plain text in a GitHub Markdown line: no markup, no HTML."""
    text = re.sub(r"([\\`*_\[\]|])", r"\\\1", " ".join(text.split()))
    return html.escape(text, quote=False)


def _url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def replace_block(text: str, block: str, start: str = START, end: str = END, heading: str = HEADING) -> str:
    """`text` with the block between the markers replaced; markers added at the end under `heading`."""
    has_start, has_end = start in text, end in text
    if has_start != has_end or (has_start and text.index(start) > text.index(end)):
        raise SurveyError(f"README.md must hold both {start} and {end}, in that order")
    if not has_start:
        return text.rstrip("\n") + f"\n\n{heading}\n\n{block}\n"
    before, rest = text.split(start, 1)
    return before + block + rest.split(end, 1)[1]


def site_url(mkdocs_yml: pathlib.Path) -> str:
    match = re.search(r"^site_url:\s*(\S+)", mkdocs_yml.read_text(encoding="utf-8"), re.MULTILINE) \
        if mkdocs_yml.is_file() else None
    return match.group(1) if match else DEFAULT_SITE


class OutOfDate(SurveyError):
    """`--check`: a generated block is not what the catalog gives; nothing was written."""


def refresh(paths: Paths) -> tuple[str, str]:
    """README.md's text now and as it should be."""
    readme = paths.root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    block = catalog_markdown(read_catalog(paths.catalog), site_url(paths.config))
    return text, replace_block(text, block)


def update(paths: Paths, check: bool = False) -> str:
    """Regenerate README.md's list of works (with `check`, only compare: OutOfDate if it differs); say what was done."""
    return rewrite(paths.root / "README.md", *refresh(paths), "the list of works", check)


def rewrite(file: pathlib.Path, old: str, new: str, what: str, check: bool) -> str:
    """Write `new` over `file` unless it holds it already, or with `check` raise OutOfDate; one line saying which."""
    if old == new:
        return f"{file.name}: {what} is up to date"
    if check:
        raise OutOfDate(f"{file.name}: {what} is out of date with catalog/: run `make readme`")
    file.write_text(new, encoding="utf-8")
    return f"{file.name}: {what} was regenerated from catalog/"
