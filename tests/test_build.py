"""The built site: pages at the stable URLs, holding what the catalog says, safely and reproducibly."""
from __future__ import annotations

import html
import json
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

from helpers import FIXTURES, ROOT, Project, make_project, snapshot

FIXTURE_CATALOG = FIXTURES / "catalog"

HOSTILE = FIXTURES / "hostile" / "evil-2024-script.yaml"


def test_site_has_home_sections_and_entries(built_fixture_site: Project):
    site = built_fixture_site.site
    assert (site / "index.html").is_file()
    taxonomy = yaml.safe_load((ROOT / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"))
    for section in taxonomy["sections"]:
        assert (site / "sections" / section["id"] / "index.html").is_file(), section["id"]
    for key in ("mueller-2023-tinymed", "qa-2024-medbench", "chatbot-2025-mindful"):
        assert (site / "entries" / key / "index.html").is_file(), key


def test_entry_page_shows_what_the_catalog_says(built_fixture_site: Project):
    page = built_fixture_site.page("entries/mueller-2023-tinymed")
    assert "<title>TinyMed: A 1.1B Parameter Model for Clinical Notes &amp; Discharge Summaries" in page
    assert "Jürgen Müller, Åsa Ødegård, José García-López" in page
    assert '<a href="https://doi.org/10.9999/jici.2023.0042">10.9999/jici.2023.0042</a>' in page
    assert "Journal of Imaginary Clinical Informatics</em>, 12(3): 101-115, 2023" in page
    assert '<a href="../../sections/quantization/">Quantization</a>' in page
    assert ">TinyMed-1.1B</a></td>" in page and "<td>1.1B</td>" in page
    # The correction recorded in the entry is shown, tracking parameter and all.
    assert "https://example.org/jici/2023/0042?utm_source=list" in page


def test_edit_button_opens_the_yaml_file_not_generated_markdown(built_fixture_site: Project):
    page = built_fixture_site.page("entries/qa-2024-medbench")
    edit = re.search(r'<a href="([^"]+)" title="Edit this page"', page).group(1)
    assert edit == "https://github.com/slm-healthcare/survey/edit/main/catalog/entries/qa-2024-medbench.yaml"
    section = built_fixture_site.page("sections/datasets")
    assert "/edit/main/catalog/taxonomy.yaml" in section
    about = built_fixture_site.page("about")
    assert "/edit/main/docs/about.md" in about


def test_section_page_lists_its_works_newest_first(built_fixture_site: Project):
    page = built_fixture_site.page("sections/quantization")
    mindful = page.index("Mindful: a quantized LLaMA chatbot")
    tinymed = page.index("TinyMed: A 1.1B Parameter Model")
    assert mindful < tinymed
    assert "Müller et al." in page and "3.2B" in page
    assert "MedBench-QA" not in page


def test_entry_pages_stay_out_of_the_navigation(built_fixture_site: Project):
    home = built_fixture_site.page("")
    start = home.index('<nav class="md-nav md-nav--primary"')
    nav = home[start:home.index('<div class="md-content"', start)]
    assert "entries/" not in nav
    assert "sections/quantization/" in nav


def test_navigation_lists_every_taxonomy_section():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    taxonomy = yaml.safe_load((ROOT / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"))
    listed = [s for s in re.findall(r"sections/([a-z0-9-]+)\.md", config) if s != "index"]
    assert listed == [s["id"] for s in taxonomy["sections"]]


def test_hostile_text_shows_literally_and_never_runs(tmp_path: pathlib.Path):
    project = make_project(tmp_path / "project", entries=[HOSTILE])
    project.build()
    page = project.page("entries/evil-2024-script")
    body = page[page.index('<article'):page.index('</article>')]
    # Nothing became markup, a link or an evaluated template...
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "javascript:" not in re.sub(r">[^<]*<", "><", body)  # only in text, never in a tag
    assert "<em>bold</em>" not in body and "<i>Injection</i>" not in body
    assert "<b>Mallory</b>" not in body and ">49<" not in body
    assert 'href="https://evil.example"' not in body
    # ...and every character is shown as written.
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    for fragment in ("<script>alert('title')</script>", "[click](javascript:alert(1))", "*bold*",
                     "{{ 7*7 }}", "{% if x %}", "\\input{/etc/passwd}", "<b>Mallory</b>",
                     "Proceedings of <i>Injection</i> & Friends", "<img src=x onerror=alert('artifact')>",
                     "[a link](https://evil.example)", "`code`", "| pipes |", "\\write18{rm -rf /}",
                     "{{ config }}"):
        assert fragment in text, fragment
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert html.unescape(title).startswith("<script>alert('title')</script> [click]")
    assert "href=\"https://example.org/evil?a=1&amp;b=&#39;x&#39;\"" in page


def test_two_builds_are_byte_identical(tmp_path: pathlib.Path):
    first = make_project(tmp_path / "one")
    second = make_project(tmp_path / "two", entries=sorted((FIXTURES / "catalog" / "entries").glob("*.yaml"),
                                                           reverse=True))
    first.build()
    second.build()
    assert snapshot(first.site) == snapshot(second.site)
    assert snapshot(first.docs) == snapshot(second.docs)


def test_invalid_catalog_leaves_site_and_docs_unchanged(project: Project):
    project.build()
    site_before, docs_before = snapshot(project.site), snapshot(project.docs)
    bad = project.entries / "qa-2024-medbench.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("sections: [datasets]", "sections: [dataset]"),
                   encoding="utf-8")
    result = project.run("build")
    assert result.returncode == 1
    assert "catalog/entries/qa-2024-medbench.yaml:16: sections.0: unknown section 'dataset'; " \
           "did you mean 'datasets'?" in result.stderr
    assert snapshot(project.site) == site_before
    assert snapshot(project.docs) == docs_before


def test_removed_entry_is_pruned_and_hand_written_pages_kept(project: Project):
    project.build()
    (project.entries / "vault-2025-chestnotes.yaml").unlink()
    project.build()
    assert not (project.docs / "entries" / "vault-2025-chestnotes.md").exists()
    assert not (project.site / "entries" / "vault-2025-chestnotes").exists()
    assert (project.docs / "about.md").is_file() and (project.site / "about" / "index.html").is_file()


def test_mkdocs_strict_fails_on_a_broken_link(project: Project):
    (project.docs / "about.md").write_text("# About\n\nSee [nowhere](missing.md).\n", encoding="utf-8")
    result = project.run("build")
    assert result.returncode == 1
    assert "missing.md" in result.stderr
    assert not project.site.exists()
    assert not list(project.root.glob(".site-*")), "the staging folder was left behind"


def test_every_generated_file_is_git_ignored(built_fixture_site: Project):
    """Nothing generated is committed: every file the generator writes into docs/ (its own list,
    docs/.generated.json) is ignored by the repository's .gitignore, as is site/."""
    git = shutil.which("git")
    if not git:
        pytest.skip("git is not installed")
    generated = json.loads((built_fixture_site.docs / ".generated.json").read_text(encoding="utf-8"))
    paths = [f"docs/{path}" for path in generated] + ["docs/.generated.json", "site/index.html"]
    assert any(path.startswith("docs/results/") for path in paths)
    result = subprocess.run([git, "check-ignore", "--no-index", "--stdin", "-v", "-n"], cwd=ROOT, text=True,
                            input="\n".join(paths), capture_output=True)
    unignored = [line.split("\t")[1] for line in result.stdout.splitlines() if line.startswith("::\t")]
    assert unignored == []


def test_entry_pages_carry_citation_meta_tags(built_fixture_site: Project):
    page = built_fixture_site.page("entries/mueller-2023-tinymed")
    tags = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', page)
    assert tags[:4] == [
        ("citation_title", "TinyMed: A 1.1B Parameter Model for Clinical Notes &amp; Discharge Summaries"),
        ("citation_author", "Müller, Jürgen"), ("citation_author", "Ødegård, Åsa"),
        ("citation_author", "García-López, José")]
    assert ("citation_publication_date", "2023/05") in tags
    assert ("citation_journal_title", "Journal of Imaginary Clinical Informatics") in tags
    assert ("citation_doi", "10.9999/jici.2023.0042") in tags and ("citation_arxiv_id", "2301.00001") in tags
    chapter = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">',
                              built_fixture_site.page("entries/okafor-2023-healthbot")))
    assert chapter["citation_inbook_title"] == "Imaginary Advances in AI for Health Care"
    assert chapter["citation_firstpage"] == "45" and chapter["citation_lastpage"] == "67"


def test_search_indexes_entries_but_not_listing_pages(built_fixture_site: Project):
    site = built_fixture_site.site
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search").exists()  # Material's whole-site index is not built
    indexed = {"", "entries/cardmaker-2024-tinycare", "sections/quantization", "about", "contributing"}
    left_out = {"browse", "models", "datasets", "topics", "topics/domain/mental-health", "news"}
    for path in indexed | left_out:
        assert (built_fixture_site.page(path).count("data-pagefind-body") == 1) == (path in indexed), path
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(list(site.glob("**/index.html"))) - len(
        [p for p in site.glob("**/index.html") if "data-pagefind-body" not in p.read_text(encoding="utf-8")])


def test_header_override_differs_from_materials_only_in_search():
    """site_overrides/partials/header.html is Material's, so a Material upgrade must show up here."""
    import material

    theirs = (pathlib.Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text()
    ours = (ROOT / "site_overrides" / "partials" / "header.html").read_text()
    strip = re.compile(r"\{#-.*?-#\}\n?|\s+", re.S)
    search_block = re.compile(r'\{% if "material/search" in config\.plugins %\}.*?\{% endif %\}\s*\{% endif %\}', re.S)
    their_rest = strip.sub("", search_block.sub("SEARCH", theirs))
    our_search = '<labelclass="md-header__buttonmd-icon"for="__search"title="{{lang.t(\'search\')}}">'
    our_rest = strip.sub("", ours)
    assert our_search in our_rest
    start = our_rest.index(our_search)
    end = our_rest.index('{%include"partials/search.html"%}') + len('{%include"partials/search.html"%}')
    assert our_rest[:start] + "SEARCH" + our_rest[end:] == their_rest


def test_downloads_are_at_the_stable_paths(built_fixture_site: Project):
    site = built_fixture_site.site
    for path in ("bib/all.bib", "bib/sections/quantization.bib", "bib/entries/qa-2024-medbench.bib",
                 "data/catalog.json", "data/catalog.csl.json", "data/catalog.ris"):
        assert (site / path).is_file(), path
    section = (site / "bib" / "sections" / "quantization.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@\w+\{([^,]+),", section, re.M) == ["chatbot-2025-mindful", "mueller-2023-tinymed"]
    dump = json.loads((site / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert dump["license"]["id"] == "CC-BY-4.0" and len(dump["entries"]) == 6


@pytest.mark.parametrize("name, whole", [("bibtex", "bib/all.bib"), ("ris", "data/catalog.ris"),
                                         ("csl", "data/catalog.csl.json")])
def test_the_rows_a_table_downloads_are_the_full_files_records(name, whole, built_fixture_site: Project):
    """A table's download buttons join records from an index (slmsurvey.exports.joining): every work's record
    as the full file writes it, and the full file's way of joining them, so that every record joined
    in the file's order is the file, byte for byte, and one record alone is that work's."""
    from slmsurvey import urls

    site = built_fixture_site.site
    index = json.loads((site / urls.row_records(name)).read_text(encoding="utf-8"))
    full = (site / whole).read_text(encoding="utf-8")
    records = index["records"]
    assert len(records) == 6
    assert index["before"] + index["between"].join(records.values()) + index["after"] == full
    assert index["name"].startswith("slm-healthcare-selection.") and "/" in index["type"]
    if name == "bibtex":
        assert records["qa-2024-medbench"] == (site / "bib/entries/qa-2024-medbench.bib").read_text(encoding="utf-8")


def test_news_lists_additions_newest_first(built_fixture_site: Project):
    page = built_fixture_site.page("news")
    dates = re.findall(r'<h2 id="[^"]*">(\d{4}-\d{2}-\d{2})', page)
    assert dates == ["2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20"]
    day = page.split(">2026-11-22")[1].split("<h2")[0]
    assert day.count('href="../entries/') == 2 and "Updated:" not in day


def test_news_lists_updates_to_existing_works(built_fixture_site: Project):
    page = built_fixture_site.page("news")
    day = page.split(">2026-11-25")[1].split("<h2")[0]
    assert "Added:" not in day and "<p>Updated:</p>" in day
    assert '<strong class="survey-alert survey-alert--retraction">Retracted</strong> <a href="../entries/okafor' in day
    assert "<strong>notice</strong>: now <q>Retracted: https://doi.org/10.9999/9781234567890.retraction</q>" in day
    pages = page.split(">2026-11-24")[1].split("<h2")[0]
    # Two changes to one work on one date are one item, each change on its own line.
    updated = pages.split("<p>Updated:</p>")[1]
    assert updated.count("<li>") == 1 and updated.count('href="../entries/mueller-2023-tinymed/"') == 1
    assert "<br><strong>pages</strong>: was <q>101-114</q>, now <q>101-115</q>" in updated
    assert "<br><strong>issue</strong>: was <q>2</q>, now <q>3</q>" in updated
    # Feed autodiscovery reads rel as a list of words; Material's sitemap fetch needs exactly "alternate".
    links = re.findall(r'<link rel="([^"]+)" type="application/atom\+xml"[^>]* href="([^"]+)"', page)
    assert [("alternate" in rel.split() and rel != "alternate", href) for rel, href in links] == [(True, "../feed.xml")]


def test_atom_feed_is_valid_and_names_every_entry(built_fixture_site: Project):
    import xml.etree.ElementTree as ElementTree

    import feedparser

    text = (built_fixture_site.site / "feed.xml").read_text(encoding="utf-8")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2026-11-25T00:00:00Z"
    added = [entry for entry in feed.entries if "/updates/" not in entry.id]
    keys = [entry.link.rstrip("/").rsplit("/", 1)[1] for entry in added]
    assert keys[0] == "okafor-2023-healthbot" and keys[-1] == "mueller-2023-tinymed"
    assert sorted(keys) == sorted(p.stem for p in (FIXTURE_CATALOG / "entries").glob("*.yaml"))
    # RFC 4287: a feed and each entry carry exactly one id, title and updated; ids are unique.
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(text.encode("utf-8"))
    for element in [root, *root.findall(f"{atom}entry")]:
        assert [len(element.findall(f"{atom}{name}")) for name in ("id", "title", "updated")] == [1, 1, 1]
    ids = [e.findtext(f"{atom}id") for e in root.findall(f"{atom}entry")]
    assert len(set(ids)) == len(ids)
    tinymed = next(e for e in added if e.link.endswith("mueller-2023-tinymed/"))
    assert tinymed.title == "TinyMed: A 1.1B Parameter Model for Clinical Notes & Discharge Summaries"
    assert tinymed.authors[0]["name"] == "Jürgen Müller"


def test_feed_names_retractions_and_lists_updates(built_fixture_site: Project):
    import feedparser

    feed = feedparser.parse((built_fixture_site.site / "feed.xml").read_text(encoding="utf-8"))
    newest, second = feed.entries[:2]
    assert newest.id == "tag:slm-healthcare.github.io,2026:entries/okafor-2023-healthbot/updates/2026-11-25"
    assert newest.title.startswith("Updated (notice): [Retracted] HealthBot")
    assert newest.updated == "2026-11-25T00:00:00Z"
    assert second.id.endswith("entries/mueller-2023-tinymed/updates/2026-11-24")  # one entry per work and day
    assert second.title.startswith("Updated (pages, issue): TinyMed")
    assert second.summary == 'Pages: was "101-114", now "101-115". Issue: was "2", now "3".'
    assert [link.href for link in second.links if link.rel == "related"] == [
        "https://api.crossref.org/works/10.9999/jici.2023.0042", "https://example.org/jici/2023/0042"]
    added = next(e for e in feed.entries if e.id.endswith("entries/okafor-2023-healthbot"))
    assert added.title.startswith("[Retracted] HealthBot")
    notice = "https://doi.org/10.9999/9781234567890.retraction"
    assert added.summary.startswith(f"Retracted (notice of 2026-10-02: {notice}). ")


def test_a_retraction_shows_on_its_page_and_in_every_list(built_fixture_site: Project):
    page = built_fixture_site.page("entries/okafor-2023-healthbot")
    banner = page.split('<div class="admonition danger">')[1].split("</div>")[0]
    assert '<p class="admonition-title">Retracted</p>' in banner
    assert "This work was retracted (2026-10-02)." in banner
    assert '<a href="https://doi.org/10.9999/9781234567890.retraction">Read the notice</a>' in banner
    alert = '<strong class="survey-alert survey-alert--retraction">Retracted</strong>'
    for listing, times in (("sections/slms-100m-5b", 1), ("topics/domain/general-medicine", 1), ("browse", 1),
                           ("news", 2)):  # news: added, and updated
        assert built_fixture_site.page(listing).count(alert) == times, listing
    assert 'data-key="okafor-2023-healthbot" data-year="2023"' in built_fixture_site.page("browse")
    assert built_fixture_site.page("entries/mueller-2023-tinymed").count("survey-alert") == 0


def test_an_entry_page_lists_its_changes(built_fixture_site: Project):
    page = built_fixture_site.page("entries/mueller-2023-tinymed")
    changes = page.split('id="changes-since-it-was-added"')[1].split("<h2")[0]
    assert "2026-11-24, <strong>pages</strong>: was <q>101-114</q>, now <q>101-115</q>" in changes
    assert '<a href="https://api.crossref.org/works/10.9999/jici.2023.0042">source</a>' in changes


def test_no_two_pages_share_a_path_and_none_leaves_the_site():
    import pytest

    from slmsurvey.site.render import PathClash, _claim

    claimed: set[str] = set()
    _claim(claimed, "entries/a.md")
    for bad, message in [("entries/a.md", "two pages would be written to 'entries/a.md'"),
                         ("../outside.md", "refusing to write outside the site: '../outside.md'"),
                         ("/etc/passwd", "refusing to write outside the site: '/etc/passwd'")]:
        with pytest.raises(PathClash, match=re.escape(message)):
            _claim(claimed, bad)


def test_tables_read_the_taxonomy_labels_that_topic_pages_read(built_fixture_site: Project):
    """The browse, models and datasets tables printed slugs ('clinical records') where topic pages
    print the taxonomy's labels ('Clinical records (EHR)'); 21 of 73 values read differently."""
    taxonomy = yaml.safe_load((ROOT / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"))
    labels = {facet["label"]: sorted(facet["values"].values(), key=len, reverse=True)
              for facet in taxonomy["facets"].values()}
    checked = 0
    for page in ("browse", "models", "datasets"):
        table = built_fixture_site.page(page).split('<table class="survey-table')[1].split("</table>")[0]
        headings = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
        columns = [i for i, heading in enumerate(headings) if heading in labels]
        assert len(columns) >= 2, (page, headings)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1], re.S):
            cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for column in columns:
                rest = cells[column]
                for label in labels[headings[column]]:
                    rest = rest.replace(label, "")
                assert rest.replace(", ", "") == "", (page, headings[column], cells[column])
                checked += bool(cells[column])
    assert checked > 10


def test_each_works_bib_file_skips_docs_and_reaches_the_site(built_fixture_site):
    """MkDocs would only list, check and copy them (paths.straight_to_site): the hook writes them."""
    assert not (built_fixture_site.docs / "bib" / "entries").exists()
    bib = (built_fixture_site.site / "bib" / "entries" / "qa-2024-medbench.bib").read_text(encoding="utf-8")
    assert bib.startswith("@") and "qa-2024-medbench" in bib


def test_the_survey_paper_is_credited_on_the_home_page_and_cited_first(project):
    entry = project.entries / "qa-2024-medbench.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("\nsummary:", "\norigin: true\nsummary:", 1),
                     encoding="utf-8")
    project.build()
    home = project.page("")
    assert re.search(r'The site grew from the survey <a href="entries/qa-2024-medbench/"><em>MedBench', home)
    cite = html.unescape(re.sub(r"<[^>]+>", "", home.split('id="how-to-cite-this-survey"')[1]))
    assert cite.index("@inproceedings{qa-2024-medbench,") < cite.index("@misc{slm-healthcare-survey,")


def test_only_one_work_is_the_survey_paper(project):
    for name in ("qa-2024-medbench.yaml", "mueller-2023-tinymed.yaml"):
        entry = project.entries / name
        entry.write_text(entry.read_text(encoding="utf-8").replace("\nsummary:", "\norigin: true\nsummary:", 1),
                         encoding="utf-8")
    result = project.run("validate")
    assert result.returncode == 1
    assert re.search(r"qa-2024-medbench\.yaml:\d+: origin: only one work is the survey's origin, and "
                     r"catalog/entries/mueller-2023-tinymed\.yaml is", result.stdout + result.stderr)


def test_every_edit_button_opens_a_file_of_the_repository(built_fixture_site: Project):
    """"Edit this page" opens the file a contributor edits (an entry's YAML, the taxonomy, a template,
    a hand-written page), never generated Markdown, which is git-ignored (a 404 on GitHub); a page
    made from many works by a template says so in the button's title."""
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.splitlines())
    fixtures = {f"catalog/entries/{p.name}" for p in (FIXTURES / "catalog" / "entries").glob("*.yaml")}
    pages = sorted(built_fixture_site.site.rglob("index.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        button = re.search(r'<a href="https://github\.com/[^/]+/[^/]+/edit/main/([^"]+)" '
                           r'title="([^"]+)"[^>]*rel="edit"', text)
        assert button, page
        target, title = html.unescape(button.group(1)), html.unescape(button.group(2))
        assert target in tracked or target in fixtures, (page, target)
        if target.startswith("templates/") and target.endswith(("browse.md.j2", "news.md.j2", "corrections.md.j2")):
            assert "catalog/entries/" in title, (page, title)
    assert len(pages) > 40


def test_corrections_name_fields_as_a_reader_would(built_fixture_site: Project):
    page = built_fixture_site.page("corrections")
    assert "<strong>Paper link</strong>: the list said" in page and "links.paper" not in page


def test_topic_pages_offer_their_bibtex_and_say_how_they_differ_from_sections(built_fixture_site: Project):
    import bibtexparser

    page = built_fixture_site.page("topics/domain/mental-health")
    assert 'href="../../../bib/topics/domain/mental-health.bib"' in page and "the survey's chapters" in page
    library = bibtexparser.parse_string(
        (built_fixture_site.site / "bib" / "topics" / "domain" / "mental-health.bib").read_text(encoding="utf-8"))
    assert [e.key for e in library.entries] == ["chatbot-2025-mindful"]
    assert "cut across the sections" in built_fixture_site.page("sections/quantization")
