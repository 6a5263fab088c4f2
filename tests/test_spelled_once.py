"""One rule in one place: the site's paths live in slmsurvey.urls and the identifiers' URLs in
slmsurvey.identifiers. These tests fail when a template, the theme, the page script or a module of
the generator spells one of them itself, which is how links escape the checks (issue 12) and how a
rule ends up changed in one place and not the other (issue 23)."""
from __future__ import annotations

import ast
import inspect
import re

from helpers import ROOT
from slmsurvey import urls

PACKAGE = ROOT / "scripts" / "slmsurvey"
OWN_CODE = [*sorted((ROOT / "templates").glob("*.j2")),
            *sorted(p for p in (ROOT / "site_overrides").rglob("*") if p.suffix in (".html", ".js", ".css")
                    and "vendor" not in p.parts),
            *sorted(PACKAGE.rglob("*.py"))]


def _site_names() -> tuple[set[str], set[str]]:
    """The folders and the root files of the site, read from slmsurvey.urls itself."""
    constants = [value for name, value in vars(urls).items() if name.isupper() and isinstance(value, str)
                 and "." in value]
    made = [function("x") for name, function in vars(urls).items()
            if inspect.isfunction(function) and function.__module__ == urls.__name__
            and list(inspect.signature(function).parameters) in (["key"], ["section"], ["facet"], ["name"])
            and name != "tag"]
    made = [path for path in made if isinstance(path, str)] + [urls.topic_page("x", "y")]
    folders = {path.split("/")[0] for path in constants + made if "/" in path}
    files = {path for path in constants if "/" not in path}
    return folders, files


def _site_path_pattern() -> re.Pattern:
    folders, files = _site_names()
    pages = {name.removesuffix(".md") for name in files if name.endswith(".md") and name != urls.HOME}
    return re.compile(rf"(?<![\w/.-])(\.\./)*({'|'.join(sorted(folders))})/"
                      rf"|(?<![\w/.-])({'|'.join(re.escape(f) for f in sorted(files))})(?![\w.])"
                      rf"|[\"'(](\.\./)*({'|'.join(sorted(pages))})/")


# The theme's head links the feed itself: site_overrides/main.html is rendered by MkDocs and by
# Zensical, which runs no hooks, so it cannot ask slmsurvey.urls (test_feed_link_is_the_feed checks it).
ALLOWED = {("main.html", "'feed.xml'")}
_COMMENTS = re.compile(r"\{#.*?#\}|/\*.*?\*/|<!--.*?-->|(?<![:\\])//[^\n]*", re.S)


def _code(file) -> list[tuple[int, str]]:
    """(line, text) of what a file does, not what its comments say: a module's string literals but its
    docstrings; a template, page or script without its comments."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".py":
        tree = ast.parse(text)
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        return [(node.lineno, node.value) for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    blanked = _COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return [(number, line) for number, line in enumerate(blanked.splitlines(), 1)
            if not line.startswith("edit_path:")]


def _spellings(pattern: re.Pattern, files, skip=()) -> list[str]:
    found = []
    for file in files:
        if file.name in skip:
            continue
        for number, line in _code(file):
            found += [f"{file.relative_to(ROOT)}:{number}: {match.group()}" for match in pattern.finditer(line)
                      if not any(file.name == name and text in line for name, text in ALLOWED)]
    return found


def test_the_guard_knows_every_folder_and_page_of_the_site():
    folders, files = _site_names()
    assert folders == {"entries", "bib", "sections", "topics", "assets", "data", "results"}
    assert {"index.md", "browse.md", "news.md", "feed.xml", "contributing.md"} <= files


def test_no_template_script_or_module_spells_a_site_path():
    pattern = _site_path_pattern()
    assert _spellings(pattern, OWN_CODE, skip={"urls.py"}) == []
    for written_by_hand in ('<a href="../entries/{{ e.key }}/">', "[Browse](browse.md)", "[feed](feed.xml)",
                            'href="news/"', "'topics/' + facet"):
        assert pattern.search(written_by_hand), written_by_hand


IDENTIFIER_URL = re.compile(r"doi\.org/|arxiv\.org/(abs|pdf|html)|pubmed\.ncbi|ncbi\.nlm\.nih\.gov/pmc")


def test_no_template_script_or_module_spells_an_identifier_url():
    assert _spellings(IDENTIFIER_URL, OWN_CODE, skip={"identifiers.py"}) == []


def test_feed_link_is_the_feed(built_fixture_site):
    home = built_fixture_site.page("")
    link = re.search(r'<link rel="alternate feed" type="application/atom\+xml"[^>]*href="([^"]+)"', home).group(1)
    assert link.endswith(urls.FEED) and (built_fixture_site.site / urls.FEED).is_file()


def test_the_access_tiers_the_tables_filter_on_are_the_schemas():
    """model.ACCESS_TIERS labels the schema's `access` values: a tier added to one and not the other
    would be a row no filter finds, or a choice with no label."""
    import json

    from slmsurvey.catalog.model import ACCESS_TIERS

    schema = json.loads((ROOT / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "access" in node and isinstance(node["access"], dict) and "enum" in node["access"]:
                found.append(node["access"]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert found == [list(ACCESS_TIERS)]
