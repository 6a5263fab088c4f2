"""Valid but hostile catalog text shows literally everywhere and never runs: HTML, browser, BibTeX, JSON."""
from __future__ import annotations

import functools
import json
import re
import subprocess

import pytest

from helpers import FIXTURES, Project, make_project, require_tool

HOSTILE = FIXTURES / "hostile" / "evil-2024-script.yaml"
TITLE = ("<script>alert('title')</script> [click](javascript:alert(1)) *bold* {{ 7*7 }} {% if x %} \\input{/etc/passwd}"
         " script")  # its last word, and the first author's "Evil", make the key evil-2024-script (keys.py)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Project:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", entries=[HOSTILE])
    project.build()
    return project


def test_json_dump_keeps_the_text_exactly(hostile_site: Project):
    dump = json.loads((hostile_site.site / "data" / "catalog.json").read_text(encoding="utf-8"))
    entry = dump["entries"][0]
    assert entry["title"] == TITLE
    assert entry["venue"]["name"] == "Proceedings of <i>Injection</i> & Friends"


def test_atom_feed_keeps_the_text_exactly(hostile_site: Project):
    import feedparser

    feed = feedparser.parse((hostile_site.site / "feed.xml").read_bytes())
    assert not feed.bozo
    # feedparser sanitizes HTML it finds in text; the XML itself must carry the characters escaped.
    raw = (hostile_site.site / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in raw
    assert "{{ 7*7 }} {% if x %}" in raw
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in raw


@pytest.mark.tex
def test_bibtex_escapes_every_command_and_compiles_to_the_literal_text(hostile_site: Project, tmp_path):
    bib = (hostile_site.site / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "\\input{" not in bib and "\\write18" not in bib
    assert r"\textbackslash{}input\{/etc/passwd\}" in bib
    for tool in ("pdflatex", "bibtex", "pdftotext"):
        require_tool(tool)
    (tmp_path / "all.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\\begin{document}\\nocite{*}"
                                      "\\bibliographystyle{plain}\\bibliography{all}\\end{document}\n")
    run = functools.partial(subprocess.run, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc"]
    assert run(latex).returncode == 0
    assert "Warning--" not in run(["bibtex", "doc"]).stdout
    assert run(latex).returncode == 0 and run(latex).returncode == 0
    text = " ".join(run(["pdftotext", "doc.pdf", "-"]).stdout.split())
    for fragment in ("\\input{/etc/passwd}", "{{ 7*7 }}", "{% if x %}", "Injection</i> & Friends"):
        assert fragment in text
    assert "root:" not in text  # /etc/passwd was never read


def test_hostile_page_runs_no_script_and_requests_nothing_outside(hostile_site: Project, browser, serve):
    dialogs, foreign, errors = [], [], []
    base = serve(hostile_site.site)
    origin = base.rstrip("/")
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: (foreign.append(r.request.url), r.abort()) if not
               r.request.url.startswith((origin, "data:", "blob:")) else r.continue_())
    for path in ("/entries/evil-2024-script/", "/browse/", "/sections/prompt-engineering/", "/models/", "/"):
        page.goto(origin + path, wait_until="networkidle")
        assert page.evaluate("window.__pwned === undefined")
    page.goto(origin + "/entries/evil-2024-script/", wait_until="networkidle")
    heading = page.locator("article h1").inner_text()
    page.locator("#formatted-references summary").click()  # citeproc-js formats the hostile record
    page.wait_for_selector(".survey-refs__style", timeout=15000)
    references = page.locator(".survey-refs__text").all_inner_texts()
    assert page.evaluate("window.__pwned === undefined")
    page.locator("input.md-search__input").click()  # Pagefind's excerpts of the hostile page
    page.keyboard.type("alert title")
    page.wait_for_selector("#survey-search-results .md-search-result__item", timeout=15000)
    page.wait_for_timeout(500)
    found = page.locator("#survey-search-results .md-search-result__item").first.inner_text()
    marks = page.locator("#survey-search-results mark").all_inner_texts()
    assert page.evaluate("window.__pwned === undefined")
    context.close()
    assert dialogs == [] and errors == [] and foreign == []
    assert heading.startswith("<script>alert('title')</script> [click](javascript:alert(1)) *bold*")
    assert re.search(r"\{\{ 7\*7 \}\}", heading)
    assert found.startswith("<script>alert('title')</script>")
    assert marks and all("alert" in m.lower() or "title" in m.lower() for m in marks)  # whole words, as text
    # Shown as text (the styles make the quotes typographic), never run.
    assert len(references) == 3 and all("<script>alert(" in text and "</script>" in text for text in references)
