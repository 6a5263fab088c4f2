"""Where the generator's pages and downloads live under docs/, and so under the site: DESIGN.md's URL
contract, in one place. Templates build every link with it (`path` for the target, `to` for the way
there from the page being rendered); tests/test_build.py fails if a template writes a site path itself.

A folder's own page is its `index.md` (`sections/index.md` is /sections/), so `index` is reserved:
no key, section id or facet value may take it, nor a name Windows keeps for a device (the validator
refuses them with `unusable_name`).
"""
from __future__ import annotations

import posixpath
from collections.abc import Collection

from slmsurvey.problems import TemplateMistake

INDEX = "index"
RESERVED_NAMES = (INDEX,)
# Windows opens a device, not a file, for these names with any extension (aux.yaml, con/): Git for
# Windows cannot check out a repository holding one.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})


def unusable_name(name: str) -> str | None:
    """Why `name` cannot be a key, section id or facet value (each names a file and a folder), or None."""
    if name in RESERVED_NAMES:
        return "the name is reserved for the page that lists a folder; choose another"
    if name.lower() in WINDOWS_DEVICES:
        return "Windows keeps the name for a device, so Git for Windows could not check the file out; choose another"
    return None

HOME = f"{INDEX}.md"
SECTIONS = f"sections/{INDEX}.md"
TOPICS = f"topics/{INDEX}.md"
BROWSE, MODELS, DATASETS = "browse.md", "models.md", "datasets.md"
NEWS, CORRECTIONS, FEED = "news.md", "corrections.md", "feed.xml"
CONTRIBUTING = "contributing.md"  # hand-written
HAND_WRITTEN = (CONTRIBUTING,)  # the hand-written pages of docs/ that generated pages link to
ALL_BIB = "bib/all.bib"
DUMP, CSL_JSON, RIS = "data/catalog.json", "data/catalog.csl.json", "data/catalog.ris"
RESULTS = f"results/{INDEX}.md"
RESULTS_CSV = "data/results.csv"
BROWSE_TEXT = "data/browse-text.json"  # what /browse/'s text box searches, fetched when a reader types


# Atom ids are tag URIs (RFC 4151), so that an entry keeps its id if the site moves.
_TAG_AUTHORITY = "tag:slm-healthcare.github.io,2026:"


def tag(name: str) -> str:
    """An Atom id: the feed's ('survey'), a work's ('entries/luo-2022-biogpt'), an update's."""
    return _TAG_AUTHORITY + name


def entry_page(key: str) -> str:
    return f"entries/{key}.md"


def entry_bib(key: str) -> str:
    return f"bib/entries/{key}.bib"


def straight_to_site(path: str) -> bool:
    """Whether a generated file skips docs/ and is written into the built site by the hook: one per
    work, and no page's Markdown links to it, so MkDocs would only list, check and copy it, on every
    build (10,000 files at 10,000 works)."""
    return path.startswith(("bib/entries/", "data/model-index/", "data/every-eval-ever/"))


def section_page(section: str) -> str:
    return f"sections/{section}.md"


def section_bib(section: str) -> str:
    return f"bib/sections/{section}.bib"


def topic_bib(facet: str, value: str) -> str:
    return f"bib/topics/{facet}/{value}.bib"


def facet_page(facet: str) -> str:
    return f"topics/{facet}/{INDEX}.md"


def topic_page(facet: str, value: str) -> str:
    return f"topics/{facet}/{value}.md"


def model_index(model: str) -> str:
    """A model's reported results as the `model-index` block of a Hugging Face model card."""
    return f"data/model-index/{model}.yaml"


def eval_record(reporter: str, model: str) -> str:
    """An Every Eval Ever record: what one work reports about one model."""
    return f"data/every-eval-ever/{reporter}/{model}.json"


def results_page(benchmark: str) -> str:
    """Every reported number on one benchmark variant."""
    return f"results/{benchmark}.md"


def plot(name: str) -> str:
    return f"assets/plots/{name}.svg"


def table_rows(name: str) -> str:
    """Every row of a table split into pages (/models/, /datasets/), for its first page's filters."""
    return f"data/{name}-rows.json"


def csl_style(name: str) -> str:
    return f"assets/csl/{name}"


def script(name: str) -> str:
    """The page script of one feature ('sort', 'filters', 'references' ...: site_overrides/assets/js/),
    which a page that has the feature lists in its front matter (`scripts`, read by main.html)."""
    return f"assets/js/{name}.js"


def row_records(name: str) -> str:
    """Every work's record in one export format ('bibtex', 'ris', 'csl') by key, with how the full file
    joins them (slmsurvey.exports.joining): what a table's download buttons fetch, only when a reader asks."""
    return f"data/records/{name}.json"


def url(target: str) -> str:
    """The site URL (relative to the site root) of a path under docs/: a page is a folder."""
    if target == HOME or target.endswith(f"/{HOME}"):
        return target.removesuffix(HOME)
    return target.removesuffix(".md") + "/" if target.endswith(".md") else target


def absolute(target: str, site_url: str) -> str:
    """The full address of a path under docs/ on the published site."""
    return site_url.rstrip("/") + "/" + url(target)


def relative_path(target: str, start: str) -> str:
    """`posixpath.relpath` for two paths relative to one folder ('a/b', 'a/c/', '.', ''), without its
    `abspath`, which asks the system for the current folder: a site of 10,000 works makes 250,000 links."""
    there, here = _parts(target), _parts(start)
    common = 0
    while common < len(there) and common < len(here) and there[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part and part != "."]


class BrokenLink(TemplateMistake):
    """A template links to a path that the site does not have."""


class Links:
    """The way from one page under docs/ to any other path, for the page's template (`to`).

    Given the paths the site will have (`site`), every link is checked against them: MkDocs checks
    the Markdown links of a page, but not those inside HTML (prerendered blocks, raw tags)."""

    def __init__(self, page: str, site: Collection[str] | None = None):
        self.page = page
        self.site = site

    def md(self, target: str) -> str:
        """A Markdown link, which MkDocs checks and turns into the target's URL."""
        self._check(target)
        return relative_path(target, posixpath.dirname(self.page))

    def html(self, target: str) -> str:
        """A link for HTML, which MkDocs leaves alone: relative to the page's URL."""
        self._check(target)
        here, there = url(self.page) or ".", url(target) or "."
        relative = relative_path(there, here)
        return relative + "/" if there.endswith("/") or there == "." else relative

    @property
    def html_root(self) -> str:
        """The HTML way back to the site's root from the page's URL ('', '../', '../../' ...)."""
        return "../" * url(self.page).count("/")

    def _check(self, target: str) -> None:
        if self.site is not None and target not in self.site and target not in HAND_WRITTEN:
            raise BrokenLink(f"{self.page} would link to {target}, which is not a page or file of the site")

