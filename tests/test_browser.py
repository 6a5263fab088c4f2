"""The built site in a real browser: Debian Chromium driven by Playwright, served on 127.0.0.1.

The tests that take `engine_site` (and `engine_server`, `engine_watched`) run on the site as each
engine builds it: MkDocs with Material, and Zensical, Material's successor (`make site ENGINE=zensical`);
the others read what only the MkDocs build has (Pagefind's search dialog) or need one engine only.
"""
from __future__ import annotations

import json
import pathlib
import re
import urllib.parse

import pytest

from helpers import IN_CI, NO_NETWORK, Project, Watched, make_project

pytestmark = [pytest.mark.browser]


PAGES = {"home": "", "section": "sections/quantization/", "entry": "entries/mueller-2023-tinymed/",
         "browse": "browse/", "models": "models/", "datasets": "datasets/", "topic": "topics/domain/mental-health/",
         "retracted": "entries/okafor-2023-healthbot/", "news": "news/", "results": "results/medbench-qa-4/"}
# The other kinds of page, for the layout and accessibility checks at both widths.
EVERY_KIND = {**PAGES, "sections": "sections/", "topics": "topics/", "facet": "topics/domain/",
              "benchmarks": "results/", "corrections": "corrections/", "about": "about/", "method": "method/",
              "contributing": "contributing/"}


@pytest.fixture(scope="module")
def server(built_fixture_site: Project, serve) -> str:
    """The MkDocs build of the fixture catalog, served."""
    return serve(built_fixture_site.site)


@pytest.fixture(scope="module", params=["mkdocs", pytest.param("zensical", marks=pytest.mark.server)])
def engine_site(request) -> Project:
    """The fixture catalog as each engine builds it."""
    return request.getfixturevalue({"mkdocs": "built_fixture_site", "zensical": "zensical_fixture_site"}[request.param])


@pytest.fixture(scope="module")
def engine_server(engine_site: Project, serve) -> str:
    return serve(engine_site.site)


@pytest.fixture
def watched(browser, server):
    watcher = Watched(browser, server)
    yield watcher
    watcher.close()


@pytest.fixture
def engine_watched(browser, engine_server):
    watcher = Watched(browser, engine_server)
    yield watcher
    watcher.close()


def _rows(page) -> int:
    return page.locator("#survey-browse tbody tr:not([hidden])").count()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_console_error_and_no_foreign_request(name, engine_watched, engine_server):
    engine_watched.page.goto(engine_server + PAGES[name], wait_until="networkidle")
    assert engine_watched.foreign == []
    assert engine_watched.errors == []


# What a page load may download: the page, the theme's and our stylesheets and scripts, the page's
# own images. Search (pagefind/), the sitemap and the export files wait until a reader asks.
PAGE_LOAD = re.compile(r"(assets/stylesheets/[\w.]+\.css|assets/javascripts/bundle\.\w+\.min\.js|"
                       r"assets/survey\.css|assets/js/[\w-]+\.js|assets/plots/[\w-]+\.svg|"
                       r"assets/images/favicon\.png)$")
# Our scripts, each loaded by the pages that have its feature (the page's markup, before any script
# runs): search and Material's markup fixes on every page.
FEATURES = {"sort": "table[data-sortable]", "filters": ".survey-filters[data-table]",
            "references": "details.survey-refs", "rowfilter": "select[data-filter-rows]"}
EVERY_PAGE = {"search", "material-fixes"}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_load_downloads_only_the_page_and_its_assets(name, browser, server):
    page = browser.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url[len(server):]))
    page.goto(server + PAGES[name], wait_until="networkidle")
    page.wait_for_timeout(300)
    page.close()
    assert requested[0] == PAGES[name]
    assert [path for path in requested[1:] if not PAGE_LOAD.search(path)] == []


@pytest.mark.parametrize("name", list(EVERY_KIND))
def test_a_page_loads_the_scripts_of_its_features_and_no_other(name, browser, server):
    context = browser.new_context(java_script_enabled=False)
    markup = context.new_page()
    markup.goto(server + EVERY_KIND[name])
    features = {script for script, selector in FEATURES.items() if markup.locator(selector).count()}
    context.close()
    page = browser.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + EVERY_KIND[name], wait_until="networkidle")
    page.close()
    loaded = {m.group(1) for url in requested if (m := re.search(r"/assets/js/([\w-]+)\.js$", url))}
    assert loaded == EVERY_PAGE | features
    if name == "entry":
        assert "references" in loaded and "filters" not in loaded
    if name == "browse":
        assert {"filters", "sort"} <= loaded and "references" not in loaded


def _search(page, query: str):
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    first = page.locator("#survey-search-results .md-search-result__item a").first
    first.wait_for(timeout=15000)
    return first


def test_search_finds_an_entry_by_model_name(watched, server):
    page = watched.page
    page.goto(server + "sections/quantization/", wait_until="networkidle")
    result = _search(page, "TinyCare")
    assert result.get_attribute("href") == "/entries/cardmaker-2024-tinycare/"
    assert re.fullmatch(r"\d+ matching documents?",
                        page.locator("#survey-search-results .md-search-result__meta").inner_text())
    assert page.locator("#__search").is_checked()  # the dialog is open
    result.click()
    page.wait_for_url(server + "entries/cardmaker-2024-tinycare/")
    assert watched.errors == [] and watched.foreign == []


def test_search_leaves_out_the_long_listings(watched, server):
    """Browse, models, datasets and topic pages repeat the entries' words; only the entries answer."""
    page = watched.page
    page.goto(server, wait_until="networkidle")
    _search(page, "mueller")
    page.wait_for_timeout(500)  # the debounce and every fragment
    hrefs = page.locator("#survey-search-results .md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert "/entries/mueller-2023-tinymed/" in hrefs
    assert not [h for h in hrefs if h.startswith(("/browse/", "/models/", "/datasets/", "/topics/", "/news/"))]


def test_search_opens_with_the_keyboard_and_moves_through_results(watched, server):
    page = watched.page
    page.goto(server + "about/", wait_until="networkidle")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("quantization")
    page.locator("#survey-search-results .md-search-result__item").first.wait_for(timeout=15000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("s")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url(re.compile(r".*/(entries|sections)/.*"))
    assert watched.errors == []


def test_browse_filters_by_chip_and_year_and_keeps_the_filter_in_the_url(engine_watched, engine_server):
    page = engine_watched.page
    page.goto(engine_server + "browse/", wait_until="networkidle")
    total = page.locator("#survey-browse tbody tr").count()
    assert _rows(page) == total == 6
    page.locator('.survey-chip[data-facet="domain"][data-value="general-medicine"]').click()
    assert _rows(page) == 3  # medbench, tinycare, healthbot
    page.locator("#f-from").fill("2024")
    assert _rows(page) == 2
    assert page.locator("#f-count").inner_text() == f"2 of {total} works"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"domain": ["general-medicine"], "from": ["2024"]}
    page.reload(wait_until="networkidle")
    assert _rows(page) == 2
    assert page.locator('.survey-chip[data-value="general-medicine"]').get_attribute("aria-pressed") == "true"
    assert page.locator("#f-from").input_value() == "2024"


@pytest.fixture(scope="module")
def large_server(tmp_path_factory, serve) -> str:
    """450 works cloned from the real entries (the benchmark's catalogs), built and served."""
    from slmbench.catalogs import bench_project

    project = bench_project(tmp_path_factory.mktemp("large") / "project", 450, {"PYTHONPATH": str(NO_NETWORK)})
    project.build()
    return serve(project.site)


def test_browse_lays_out_200_rows_at_a_time_and_downloads_every_match(browser, large_server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(large_server + "browse/", wait_until="networkidle")
    count, more = page.locator("#f-count"), page.locator("#f-more")
    assert _rows(page) == 200 and count.inner_text() == "450 works, the first 200 shown"
    assert more.inner_text() == "Show 200 more"
    more.click()
    assert _rows(page) == 400 and more.inner_text() == "Show 50 more"
    more.click()
    assert _rows(page) == 450 and more.is_hidden() and count.inner_text() == "450 works"

    page.locator("#f-to").fill("2024")  # a new filter starts again from the first 200 of its matches
    matched = int(re.match(r"(\d+) of 450 works", count.inner_text()).group(1))
    assert 200 < matched < 450 and _rows(page) == 200
    header = page.locator("#survey-browse th", has_text="Year")
    header.locator("button").click()  # sorting shows the first 200 of the new order
    years = [int(y) for y in page.locator("#survey-browse tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()]
    assert len(years) == 200 and years == sorted(years)
    with page.expect_download() as download:
        page.locator("#f-bib").click()
    keys = re.findall(r"^@\w+\{([^,]+),", pathlib.Path(download.value.path()).read_text(encoding="utf-8"), re.M)
    assert len(keys) == matched  # every match, not only the rows laid out
    context.close()


def test_browse_filters_retracted_works(engine_watched, engine_server):
    page = engine_watched.page
    page.goto(engine_server + "browse/?status=alert", wait_until="networkidle")
    assert _rows(page) == 1
    row = page.locator("#survey-browse tbody tr:not([hidden])")
    assert row.get_attribute("data-key") == "okafor-2023-healthbot"
    assert row.locator(".survey-alert").inner_text() == "Retracted"
    page.locator("#f-status").select_option("none")
    assert _rows(page) == 5
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"status": ["none"]}
    page.locator("#f-reset").click()
    assert _rows(page) == 6


def test_browse_sorts_by_year(engine_watched, engine_server):
    page = engine_watched.page
    page.goto(engine_server + "browse/", wait_until="networkidle")
    header = page.locator("#survey-browse th", has_text="Year")
    header.locator("button").click()
    years = [int(y) for y in page.locator("#survey-browse tbody tr td:nth-child(2)").all_inner_texts()]
    assert years == sorted(years) and header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    years = [int(y) for y in page.locator("#survey-browse tbody tr td:nth-child(2)").all_inner_texts()]
    assert years == sorted(years, reverse=True)


def test_browse_sorts_unknown_sizes_last_both_ways(watched, server):
    page = watched.page
    page.goto(server + "browse/", wait_until="networkidle")
    header = page.locator("#survey-browse th", has_text="Size")
    for _ in ("ascending", "descending"):
        header.locator("button").click()
        sizes = [v or None for v in page.locator("#survey-browse tbody tr td:nth-child(4)").evaluate_all(
            "cells => cells.map(c => c.dataset.value)")]
        known = [float(v) for v in sizes if v]
        assert None in sizes and sizes.index(None) == len(known), sizes  # every unknown after every known
        assert known == sorted(known, reverse=header.get_attribute("aria-sort") == "descending")


@pytest.mark.parametrize("button, keys_of", [
    ("#f-bib", lambda text: re.findall(r"^@\w+\{([^,]+),", text, re.M)),
    ("#f-ris", lambda text: re.findall(r"^ID  - (.+)$", text, re.M)),
    ("#f-csl", lambda text: [item["id"] for item in json.loads(text)]),
])
def test_browse_downloads_each_format_of_exactly_the_rows_shown(button, keys_of, engine_watched, engine_server,
                                                                engine_site):
    page = engine_watched.page
    page.goto(engine_server + "browse/?technique=quantization", wait_until="networkidle")
    shown = page.locator("#survey-browse tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert sorted(shown) == ["chatbot-2025-mindful", "mueller-2023-tinymed"]
    with page.expect_download() as download:
        page.locator(button).click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert keys_of(text) == shown
    # Each record exactly as the survey's own file writes it.
    whole = {"#f-bib": "bib/all.bib", "#f-ris": "data/catalog.ris", "#f-csl": "data/catalog.csl.json"}[button]
    full = (engine_site.site / whole).read_text(encoding="utf-8")
    if button == "#f-csl":
        by_id = {item["id"]: item for item in json.loads(full)}
        assert json.loads(text) == [by_id[key] for key in shown]
        assert {line.rstrip(",") for line in text.splitlines()} <= {line.rstrip(",") for line in full.splitlines()}
    else:
        for record in re.split(r"\n(?=@|TY  - )", text.strip()):
            assert record.strip() in full


@pytest.mark.parametrize("button, whole, keys_of", [
    ("#f-bib", "bib/all.bib", lambda text: re.findall(r"^@\w+\{([^,]+),", text, re.M)),
    ("#f-ris", "data/catalog.ris", lambda text: re.findall(r"^ID  - (.+)$", text, re.M)),
    ("#f-csl", "data/catalog.csl.json", lambda text: [item["id"] for item in json.loads(text)]),
])
def test_browse_downloads_every_row_as_the_full_file_byte_for_byte(button, whole, keys_of, watched, server,
                                                                   built_fixture_site):
    """Every row of /browse/, put in the order of the survey's own file, downloads that file itself:
    the records and the way they are joined are the full file's."""
    full = (built_fixture_site.site / whole).read_bytes()
    order = keys_of(full.decode("utf-8"))
    page = watched.page
    page.goto(server + "browse/", wait_until="networkidle")
    page.evaluate("""(order) => {
        const body = document.querySelector('#survey-browse tbody');
        const rows = [...body.rows];
        order.forEach(key => body.appendChild(rows.find(r => r.dataset.key === key)));
    }""", order)
    page.locator("#f-from").dispatch_event("input")  # the filters take the rows again, in their new order
    assert _shown_keys(page, "survey-browse") == order
    with page.expect_download() as download:
        page.locator(button).click()
    assert pathlib.Path(download.value.path()).read_bytes() == full
    assert watched.errors == [] and watched.foreign == []


def test_entry_page_formats_references_only_when_asked(browser, engine_server):
    watcher = Watched(browser, engine_server, permissions=["clipboard-read", "clipboard-write"])
    page, requested = watcher.page, []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(engine_server + "entries/mueller-2023-tinymed/", wait_until="networkidle")
    assert not [url for url in requested if "/csl/" in url or "citeproc" in url]  # nothing until opened
    page.locator("#formatted-references summary").click()
    page.wait_for_selector(".survey-refs__style", timeout=15000)
    labels = page.locator(".survey-refs__label").all_inner_texts()
    texts = dict(zip(labels, page.locator(".survey-refs__text").all_inner_texts()))
    assert labels == ["AMA", "Vancouver (NLM)", "APA"]
    assert texts["APA"].startswith("Müller, J., Ødegård, Å., & García-López, J. (2023). TinyMed: A 1.1B Parameter")
    assert "Journal of Imaginary Clinical Informatics, 12(3), 101–115. https://doi.org/10.9999/jici.2023.0042" \
        in texts["APA"]
    assert texts["Vancouver (NLM)"].startswith("Müller J, Ødegård Å, García-López J. TinyMed")  # no "1." before it
    assert "2023;12(3):101-115" in texts["AMA"] and "2301.00001" not in " ".join(texts.values())
    page.get_by_role("button", name="Copy the APA reference").click()
    page.wait_for_function("document.querySelectorAll('.survey-refs__copy')[2].textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == texts["APA"]
    assert watcher.errors == [] and watcher.foreign == []
    watcher.close()


def test_without_javascript_the_whole_table_shows(browser, engine_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(engine_server + "browse/")
    assert page.locator("#survey-browse tbody tr").count() == 6
    assert not page.locator("#survey-filters").is_visible()
    context.close()


def test_copy_button_puts_bibtex_on_the_clipboard(browser, server):
    watcher = Watched(browser, server, permissions=["clipboard-read", "clipboard-write"])
    page = watcher.page
    page.goto(server + "entries/mueller-2023-tinymed/", wait_until="networkidle")
    block = page.locator(".highlight", has_text="@article{mueller-2023-tinymed")
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@article{mueller-2023-tinymed,")
    assert "pages         = {101--115}" in copied
    watcher.close()


def test_entry_page_links_its_sections_topics_and_yaml(engine_watched, engine_server):
    page = engine_watched.page
    page.goto(engine_server + "entries/mueller-2023-tinymed/", wait_until="networkidle")
    page.get_by_role("link", name="Clinical records (EHR)").click()
    page.wait_for_url("**/topics/domain/clinical-records/")
    page.wait_for_load_state()
    assert page.locator("article").get_by_role("link", name=re.compile("TinyMed")).count() == 1


def _axe_violations(page) -> list:
    """axe-core's violations on the page as it is now: each rule's id and its first three elements."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright") if not IN_CI else __import__(
        "axe_playwright_python.sync_playwright", fromlist=["Axe"])
    results = axe_module.Axe().run(page)
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]


@pytest.mark.parametrize("name", ["home", "section", "entry", "browse", "models", "datasets", "topic", "retracted",
                                  "news", "results"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(name, scheme, browser, engine_server):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(engine_server + PAGES[name], wait_until="networkidle")
    violations = _axe_violations(page)
    context.close()
    assert violations == []


def test_axe_finds_no_violations_in_the_opened_references(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + PAGES["entry"], wait_until="networkidle")
    page.locator("#formatted-references summary").click()
    page.wait_for_selector(".survey-refs__style", timeout=15000)
    violations = _axe_violations(page)
    context.close()
    assert violations == []


@pytest.mark.parametrize(("viewport", "scheme"), [({"width": 1280, "height": 800}, "light"),
                                                  ({"width": 390, "height": 844}, "dark")])
def test_axe_finds_no_violations_in_the_search_results(viewport, scheme, browser, server):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.goto(server + PAGES["entry"], wait_until="networkidle")
    if viewport["width"] < 600:  # on a phone the box opens from the header's magnifier
        page.locator("label.md-header__button[for=__search]").click()
    _search(page, "quantization")
    violations = _axe_violations(page)
    context.close()
    assert violations == []


def test_browse_on_a_phone_shows_works_on_the_first_screen_and_how_many_filters_are_set(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "browse/?domain=general-medicine&from=2024", wait_until="networkidle")
    first_row = page.locator("#survey-browse tbody tr:not([hidden])").first
    assert first_row.bounding_box()["y"] < 844
    assert page.locator("#f-panel summary").inner_text() == "Filters (2 active)"
    assert not page.locator("#f-panel").evaluate("d => d.open")
    page.locator("#f-panel summary").click()
    page.locator('.survey-chip[data-value="general-medicine"]').click()  # off again
    assert page.locator("#f-active").inner_text() == "(1 active)"
    context.close()


@pytest.mark.parametrize("name", ["models", "datasets", "browse", "entry", "results"])
@pytest.mark.parametrize("width", [390, 1280])
def test_wide_tables_scroll_in_their_own_box_and_the_page_does_not(name, width, browser, server):
    """A table wider than the screen pans inside its box: the page itself (and its header) never
    scrolls sideways."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(server + PAGES[name], wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = page.locator(".survey-scroll")
    assert boxes.count() >= 1
    for box in boxes.all():
        assert box.get_attribute("role") == "region" and box.get_attribute("tabindex") == "0"
        assert box.get_attribute("aria-label")
        assert box.bounding_box()["x"] + box.bounding_box()["width"] <= width
    if width == 390 and name != "entry":
        wide = page.locator(".survey-scroll table").first
        assert wide.evaluate("t => t.scrollWidth > t.parentElement.clientWidth"), "the table fits: nothing to test"
    context.close()


def test_on_a_phone_a_models_name_stays_beside_its_licence(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "models/", wait_until="networkidle")
    box = page.locator(".survey-scroll").first
    headings = box.locator("thead th")
    names = [h.inner_text() for h in headings.all()]
    # scroll the Licence column to just right of the first column, as a reader's swipe would
    box.evaluate("(b, i) => { const th = b.querySelectorAll('thead th'); "
                 "b.scrollLeft = th[i].offsetLeft - th[0].offsetWidth; }", names.index("Licence"))
    assert box.evaluate("b => b.scrollLeft") > 0
    model, licence = headings.nth(0).bounding_box(), headings.nth(names.index("Licence")).bounding_box()
    assert 0 <= model["x"] and model["x"] + model["width"] <= 390
    assert 0 <= licence["x"] and licence["x"] + licence["width"] <= 390
    assert model["x"] + model["width"] <= licence["x"] + 1  # side by side, not on top of each other
    context.close()


@pytest.mark.parametrize("name", list(EVERY_KIND))
def test_axe_finds_no_violations_on_a_phone(name, browser, server):
    """On a 390 px screen the tables scroll in their boxes and the filters fold: axe again."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + EVERY_KIND[name], wait_until="networkidle")
    violations = _axe_violations(page)
    context.close()
    assert violations == []


@pytest.mark.parametrize("name", ["entry", "results", "models"])
def test_links_in_text_and_tables_are_underlined(name, browser, server):
    """Colour is not a link's only mark where it sits among text (WCAG 1.4.1; Lighthouse's axe found
    the entry page's caption link "model-index for its card" with colour alone)."""
    page = browser.new_page()
    page.goto(server + PAGES[name], wait_until="networkidle")
    bare = page.evaluate("""() => [...document.querySelectorAll(
        '.md-content :is(p, li, td, caption) a:not(.md-button):not(.survey-badge):not(.headerlink)')]
        .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline')).map(a => a.textContent)""")
    page.close()
    assert bare == []


def test_browse_says_when_a_year_range_cannot_be_read(browser, server):
    page = browser.new_page()
    page.goto(server + "browse/?from=24", wait_until="networkidle")
    total = page.locator("#survey-browse tbody tr").count()
    count = page.locator("#f-count").inner_text()
    assert count.startswith(f"{total} works;") and "“24” is not a year" in count  # and no filter applied
    page.goto(server + "browse/?from=2025&to=2023", wait_until="networkidle")
    assert "from 2025 to 2023 runs backwards" in page.locator("#f-count").inner_text()
    page.close()


def test_on_a_phone_the_count_stays_in_view_and_controls_are_big_enough_to_tap(browser, large_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(large_server + "browse/?domain=general-medicine", wait_until="networkidle")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    sticky = page.locator("#f-count-sticky")
    assert sticky.is_hidden() and page.locator("#f-count").is_visible()  # one count while it is in view
    page.locator("#survey-browse tbody tr:not([hidden])").nth(40).scroll_into_view_if_needed()
    sticky.wait_for(state="visible", timeout=5000)  # when the observer sees the count leave the screen
    box = sticky.bounding_box()
    assert box and 0 <= box["y"] < 120, box  # under the header, while the list has scrolled
    assert sticky.inner_text() == page.locator("#f-count").inner_text() != ""
    page.locator("#f-panel summary").click()
    controls = ".survey-chip, #f-panel summary, .survey-filters :is(select, input, .md-button), .survey-sort"
    small = page.evaluate("""(controls) => [...document.querySelectorAll(controls)]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().height < 44)
        .map(e => e.outerHTML.slice(0, 80))""", controls)
    context.close()
    assert small == []


def test_browse_text_search_finds_any_author_identifier_and_summary_word(browser, server):
    """The row shows the first author; the text box also finds a third author (without her accents),
    an arXiv id and a word of the summary, from data/browse-text.json, fetched when a reader types."""
    page = browser.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(server + "browse/", wait_until="networkidle")
    assert not any(url.endswith("browse-text.json") for url in fetched)  # not on page load
    for query in ("garcia-lopez", "2301.00001", "laptops"):
        page.fill("#f-text", query)
        page.wait_for_function("document.querySelector('#f-count').textContent.startsWith('1 of ')")
        shown = page.locator("#survey-browse tbody tr:not([hidden])")
        assert shown.count() == 1 and shown.first.get_attribute("data-key") == "mueller-2023-tinymed", query
    page.goto(server + "browse/?q=%C3%98deg%C3%A5rd", wait_until="networkidle")  # Ødegård, from the address
    page.wait_for_function("document.querySelector('#f-count').textContent.startsWith('1 of ')")
    page.close()


def _shown_keys(page, table: str) -> list[str]:
    return page.locator(f"#{table} tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.dataset.key)")


def test_models_filter_by_licence_access_and_facet_with_the_state_in_the_url(watched, server):
    page = watched.page
    page.goto(server + "models/", wait_until="networkidle")
    assert page.locator("#f-count").inner_text() == "3 models"
    page.select_option("#f-access", "registration")
    assert _shown_keys(page, "survey-models") == ["chatbot-2025-mindful"]
    assert page.locator("#f-count").inner_text() == "1 of 3 models"
    page.select_option("#f-access", "")
    page.select_option("#f-licence", label="Apache-2.0 (2)")
    assert sorted(_shown_keys(page, "survey-models")) == ["cardmaker-2024-tinycare", "mueller-2023-tinymed"]
    page.locator('.survey-chip[data-facet="technique"][data-value="quantization"]').click()
    assert _shown_keys(page, "survey-models") == ["mueller-2023-tinymed"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"licence": ["apache-2-0"], "technique": ["quantization"]}
    page.reload(wait_until="networkidle")
    assert _shown_keys(page, "survey-models") == ["mueller-2023-tinymed"]
    assert page.locator("#f-licence").input_value() == "apache-2-0"
    with page.expect_download() as download:
        page.locator("#f-bib").click()
    text = pathlib.Path(download.value.path()).read_text(encoding="utf-8")
    assert re.findall(r"^@\w+\{([^,]+),", text, re.M) == ["mueller-2023-tinymed"]


def test_models_size_filter_counts_each_model_and_datasets_filter_by_access(watched, server):
    page = watched.page
    page.goto(server + "models/?size=1b-5b", wait_until="networkidle")
    assert len(_shown_keys(page, "survey-models")) == 3
    page.goto(server + "datasets/?access=credentialed", wait_until="networkidle")
    assert _shown_keys(page, "survey-datasets") == ["qa-2024-medbench"]
    assert page.locator("#survey-datasets tbody tr:not([hidden]) td").last.inner_text().startswith("Qa")
    assert "Credentialed" in page.locator("#survey-datasets tbody tr:not([hidden])").inner_text()


def test_browse_filters_by_licence_and_access_of_any_artifact(watched, server):
    page = watched.page
    page.goto(server + "browse/?licence=apache-2-0", wait_until="networkidle")
    assert sorted(_shown_keys(page, "survey-browse")) == ["cardmaker-2024-tinycare", "mueller-2023-tinymed"]
    page.goto(server + "browse/?access=credentialed", wait_until="networkidle")
    assert _shown_keys(page, "survey-browse") == ["qa-2024-medbench"]
    options = page.locator("#f-licence option").all_inner_texts()
    assert options[0] == "Any licence" and "Apache-2.0 (2)" in options and len(options) == 4


@pytest.fixture(scope="module")
def paged_server(tmp_path_factory, serve) -> str:
    """The fixture catalog with two rows per page of /models/ and /datasets/ (tests/nonet)."""
    project = make_project(tmp_path_factory.mktemp("paged") / "project")
    project.environment["SLMSURVEY_TEST_TABLE_PAGE_SIZE"] = "2"
    project.build()
    return serve(project.site)


def test_a_table_split_into_pages_filters_and_sorts_every_row(browser, paged_server):
    watched = Watched(browser, paged_server)
    page = watched.page
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(paged_server + "models/", wait_until="networkidle")
    assert page.locator("#survey-models tbody tr").count() == 2 and page.locator(".survey-pager").is_visible()
    assert not any(url.endswith("models-rows.json") for url in fetched)  # not until a reader filters
    page.select_option("#f-access", "open")
    page.wait_for_function("document.querySelector('#f-count').textContent === '2 of 3 models'")
    assert sorted(_shown_keys(page, "survey-models")) == ["cardmaker-2024-tinycare", "mueller-2023-tinymed"]
    assert page.locator(".survey-pager").is_hidden()
    page.goto(paged_server + "models/", wait_until="networkidle")
    page.locator("#survey-models th", has_text="Year").locator("button").click()
    page.wait_for_function("document.querySelectorAll('#survey-models tbody tr').length === 3")
    years = page.locator("#survey-models tbody tr td:nth-last-child(2)").all_inner_texts()
    assert years == sorted(years) and len(years) == 3
    entry = page.locator("#survey-models tbody tr td:last-child a").first
    entry.click()
    page.wait_for_load_state("networkidle")
    assert "/entries/" in page.url and page.locator("h1").count() == 1  # the rows' links work from page 1
    page.goto(paged_server + "models/page-2/", wait_until="networkidle")
    assert page.locator("#survey-filters").count() == 0
    assert page.get_by_role("link", name="the first page").count() == 1
    assert watched.errors == [] and watched.foreign == []
    watched.close()


PLOTS = {"home": 2, "results": 1}  # pages with plots, and how many


@pytest.mark.parametrize("name", list(PLOTS))
@pytest.mark.parametrize("width", [390, 1280])
def test_plots_text_is_at_least_12_px_as_shown_and_no_two_labels_overlap(name, width, browser, server):
    """Each plot's smallest text, scaled as the screen shows the drawing the page picked for it; and,
    in that drawing, no two pieces of text on top of each other. The table beside it stays."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(server + PAGES[name], wait_until="networkidle")
    images = page.locator(".survey-plot img")
    assert images.count() == PLOTS[name]
    for image in images.all():
        image.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
        source, shown = image.evaluate("i => [i.currentSrc, i.getBoundingClientRect().width]")
        drawing = context.new_page()
        drawing.goto(source)
        drawn, smallest, overlaps = drawing.evaluate("""() => {
            const svg = document.documentElement, texts = [...svg.querySelectorAll('text')];
            const boxes = texts.map(t => t.getBBox());
            const overlaps = [];
            boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b, j) => {
                if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
                    overlaps.push([texts[i].textContent, texts[i + 1 + j].textContent]);
            }));
            return [svg.viewBox.baseVal.width,
                    Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))), overlaps];
        }""")
        drawing.close()
        assert shown <= drawn + 0.5  # never stretched wider than drawn
        assert smallest * shown / drawn >= 12, (source, smallest, shown, drawn)
        assert overlaps == [], (source, overlaps)
    assert page.locator(".survey-plot ~ details table, .survey-plot ~ .md-typeset__scrollwrap table, "
                        "figure.survey-plot ~ * table").count() >= PLOTS[name]
    context.close()


def test_search_excerpts_are_the_pages_prose_never_a_table_or_bibtex(watched, server):
    """A model's name is in its entry's table and BibTeX too; the excerpt comes from the sentence
    that names it. Words only BibTeX has find nothing."""
    page = watched.page
    page.goto(server, wait_until="networkidle")
    _search(page, "TinyMed")
    page.wait_for_timeout(500)
    excerpts = page.locator("#survey-search-results .md-search-result__article p").all_inner_texts()
    assert excerpts and excerpts[0].startswith("TinyMed: A 1.1B Parameter Model"), excerpts
    for excerpt in excerpts:
        assert "@" not in excerpt and "NameKind" not in excerpt and "={" not in excerpt, excerpt
    page.fill(".md-search__input", "primaryclass")  # a field of every arXiv work's BibTeX, and nowhere else
    page.wait_for_function("document.querySelector('#survey-search-results .md-search-result__meta')"
                           ".textContent.startsWith('No matching')", timeout=15000)


@pytest.mark.parametrize("name", list(EVERY_KIND))
@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_is_wider_than_the_screen(name, width, browser, server):
    """Every kind of page at a phone's and a laptop's width: nothing pans the page sideways, and where
    a table filters, its count of matching rows is on the first screen."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(server + EVERY_KIND[name], wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.evaluate("""(width) => [...document.querySelectorAll('.md-content *')]
        .filter(e => e.getClientRects().length
                     && !e.closest('.survey-scroll, .highlight, pre, .md-typeset__scrollwrap'))
        .filter(e => e.getBoundingClientRect().right > width + 1).map(e => e.tagName + '.' + e.className)""", width)
    assert wide == []
    if page.locator("#f-count").count():
        count = page.locator("#f-count").bounding_box()
        assert count and count["y"] + count["height"] <= 844, count
    context.close()


def test_on_a_laptop_the_count_is_on_the_first_screen_above_the_open_filters(browser, large_server):
    """With a full taxonomy's chips the open panel fills a laptop's screen: the count of matching works
    sits above it, so a click on a chip shows its effect without scrolling."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(large_server + "browse/", wait_until="networkidle")
    assert page.locator("#f-panel").get_attribute("open") is not None
    chip = page.locator(".survey-chip").last
    chip.click()
    count = page.locator("#f-count").bounding_box()
    assert count["y"] + count["height"] <= 900 and page.locator("#f-count").inner_text().endswith("works")
    assert count["y"] < chip.bounding_box()["y"]
    context.close()
