"""`make serve` (mkdocs serve with our hook): an edit shows after one build, the preview starts from
the files `make site` renders, and a request for a missing page during a rebuild does not stop it."""
from __future__ import annotations

import posixpath
import re
import threading
import time
import urllib.error
import urllib.request

import pytest

from helpers import ROOT, Project, snapshot
from slmbench.preview import SERVE_OPTIONS, edit_title, serving

pytestmark = [pytest.mark.server]


def test_an_edited_title_shows_after_one_build(project: Project):
    with serving(project, timeout=300) as server:
        assert len(server.builds) == 1  # starting the preview builds once
        edits = [edit_title(project, server, timeout=300) for _ in range(2)]
        started = sum("Building documentation..." in line for line in server.log)
    assert [edit["builds"] for edit in edits] == [1, 1], "the generator's own writes into docs/ started another build"
    # Each edit and each restore: every build that started is counted as it ends, also one that took
    # as long as an earlier one (MkDocs logs "Documentation built in 0.41 seconds" once).
    assert len(server.builds) == started == 5


def _navigation(page: str) -> list[str]:
    primary = page[page.index("md-nav--primary"):]
    primary = primary[:primary.index('class="md-content"')]
    return re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', primary, re.S)


def test_the_navigation_stays_whole_after_an_edit(project: Project):
    """A dirty rebuild builds the pages an edit changed and reads no other; their navigation names
    every page as the first build's did (an item whose title came from its page read "None" after
    any edit, until a restart)."""
    with serving(project, timeout=300) as server:
        before = _navigation(server.get("browse/"))
        edit_title(project, server, timeout=300)
        after = _navigation(server.get("browse/"))
    assert "About the survey" in before and after == before


def test_the_preview_renders_what_the_build_rendered(project: Project):
    """`mkdocs serve` uses its own address as site_url; the generated files keep the published one."""
    project.build()
    built = snapshot(project.docs)
    with serving(project, timeout=300) as server:
        log = "\n".join(server.log)
    assert snapshot(project.docs) == built
    assert ", 0 written, 0 pruned" in log


def test_a_dirty_rebuild_links_the_pages_it_leaves_alone_and_keeps_the_sitemap(project: Project):
    """An edit's build hands MkDocs only the pages it builds (preview.Preview.hand_over): the pages it
    rebuilds link to the others as before, those stay served as they were, the sitemap still lists
    every page, and the log neither notes each link to a page left alone nor warns of dirty builds."""
    with serving(project, timeout=300) as server:
        sitemap, about = server.get("sitemap.xml"), _served(server.get("about/"))
        edit = edit_title(project, server, timeout=300)
        work = server.get(f"entries/{edit['key']}/")
        topic = re.search(r'href="\.\./\.\./(topics/[a-z0-9-]+/[a-z0-9-]+/)"', work).group(1)
        page = server.get(topic)  # page 1 lists the edited work: rebuilt
        links = re.findall(r'href="([^"#:]+/)"', page)
        assert any(link.startswith("../") for link in links), "the topic page links to no other page"
        unreachable = [link for link in links if server.get(_resolve(topic, link)) is None]
        after_sitemap, after_about = server.get("sitemap.xml"), _served(server.get("about/"))
        log = "\n".join(server.log)
    assert not unreachable, f"{topic} links to pages the preview does not serve: {unreachable}"
    assert sitemap.count("<loc>") == len(list(project.docs.rglob("*.md")))
    assert after_sitemap == sitemap and after_about == about
    assert "excluded from the built site" not in log and "Aborted" not in log, log
    assert "'dirty' build" not in log, "MkDocs' warning that a dirty build leaves links out of date (not here)"


def _served(page: str) -> str:
    """A page as served, without the script `mkdocs serve` adds, which names the build it comes from."""
    return re.sub(r"reload\(\d+, \d+\)", "reload()", page)


def _resolve(page: str, link: str) -> str:
    """A relative link of the page at `page` (a path under the site) as a path under the site."""
    return posixpath.normpath(posixpath.join(page, link)).lstrip("./") + "/"


def test_requests_for_missing_pages_during_a_rebuild_do_not_abort_it(project: Project):
    """mkdocs serve logs a 404 as a warning, which a strict build counts (mkdocs/mkdocs#2557). A path
    outside the site's /survey/ is answered at once, even while a build runs, as browsers ask for
    /favicon.ico."""
    with serving(project, timeout=300) as server:
        stop = threading.Event()
        missing = server.base.removesuffix("survey/") + "favicon-that-is-not-there.ico"

        def ask_for_missing_pages():
            while not stop.is_set():
                try:
                    urllib.request.urlopen(missing, timeout=10)
                except (urllib.error.URLError, OSError):
                    pass
                stop.wait(0.02)

        asker = threading.Thread(target=ask_for_missing_pages)
        asker.start()
        try:
            edit = edit_title(project, server, timeout=300)
        finally:
            stop.set()
            asker.join()
        log = "\n".join(server.log)
    assert edit["builds"] == 1
    assert "Aborted" not in log and "favicon-that-is-not-there.ico" in log


def test_bad_input_is_named_in_the_preview_without_a_traceback(project: Project):
    """A catalog problem or a broken template is named with its file, line and field, the preview
    keeps serving the last version that built, and fixing the file renders again (issue 12)."""
    entry = project.entries / "qa-2024-medbench.yaml"
    template = project.root / "templates" / "entry.md.j2"
    good_entry, good_template = entry.read_text(encoding="utf-8"), template.read_text(encoding="utf-8")
    with serving(project, timeout=300) as server:
        entry.write_text(good_entry.replace("title: ", "title: 'Unbalanced \\\\{ ' # ", 1), encoding="utf-8")
        _wait_for(server, "catalog/entries/qa-2024-medbench.yaml:3: title: has unbalanced braces")
        _wait_for(server, "the catalog has 1 problem; nothing was written; the preview shows the last version "
                          "that built until this is fixed")
        assert "MedBench-QA" in (server.get("entries/qa-2024-medbench/") or "")

        entry.write_text(good_entry, encoding="utf-8")
        template.write_text(good_template + "{{ entry.no_such_field }}\n", encoding="utf-8")
        line = good_template.count("\n") + 1
        _wait_for(server, f"templates/entry.md.j2:{line}: 'slmsurvey.catalog.model.Entry object' has no attribute "
                          "'no_such_field'; nothing was written")
        template.write_text(good_template.replace("{% if", "{% iff", 1), encoding="utf-8")
        line = good_template[:good_template.index("{% if")].count("\n") + 1
        _wait_for(server, f"templates/entry.md.j2:{line}: Encountered unknown tag 'iff'")

        rendered = sum("Catalog rendered" in line for line in server.log)
        template.write_text(good_template, encoding="utf-8")
        _wait_for(server, "Catalog rendered", count=rendered + 1)
        log = "\n".join(server.log)
    assert "Traceback" not in log and "Aborted" not in log, log


def _wait_for(server, text: str, count: int = 1, timeout: float = 300) -> None:
    deadline = time.perf_counter() + timeout
    while sum(text in line for line in server.log) < count:
        if time.perf_counter() > deadline:
            raise AssertionError(f"{text!r} not in the log:\n" + "\n".join(server.log[-30:]))
        time.sleep(0.2)


def test_schema_and_protected_word_edits_show_without_a_restart(project: Project):
    words = project.catalog / "protected-words.txt"
    schema = project.catalog / "schema" / "entry.schema.json"
    good_schema = schema.read_text(encoding="utf-8")
    with serving(project, timeout=300) as server:
        assert "A Benchmark of" in (server.get("entries/qa-2024-medbench/") or "")
        words.write_text(words.read_text(encoding="utf-8") + "Benchmark\n", encoding="utf-8")
        deadline = time.perf_counter() + 300
        while "A {Benchmark} of" not in (server.get("entries/qa-2024-medbench/") or ""):
            assert time.perf_counter() < deadline, "the protected word did not show:\n" + "\n".join(server.log[-20:])
            time.sleep(0.2)

        schema.write_text(good_schema.replace('"maxLength": 400', '"maxLength": 40', 1), encoding="utf-8")
        _wait_for(server, "qa-2024-medbench.yaml:3: title: is too long (64 characters; at most 40)")
        rendered = sum("Catalog rendered" in line for line in server.log)
        schema.write_text(good_schema, encoding="utf-8")
        _wait_for(server, "Catalog rendered", count=rendered + 1)


def test_make_serve_runs_the_preview_the_benchmark_and_these_tests_measure():
    recipe = next(line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
                  if "mkdocs serve" in line)
    assert all(option in recipe.split() for option in SERVE_OPTIONS), recipe


def test_make_serve_on_a_busy_port_says_so_in_one_line():
    import shutil
    import socket
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(["make", "-s", "serve", f"PORT={port}"], cwd=ROOT, capture_output=True, text=True,
                                timeout=120)
    assert result.returncode != 0
    assert result.stdout.strip() == f"error: port {port} is in use (another preview?); try: make serve PORT={port + 1}"
    assert "Traceback" not in result.stderr


def test_a_theme_change_rebuilds_every_page_of_the_dirty_preview(project: Project):
    """A dirty build rebuilds only pages whose Markdown changed; an override of the theme changes
    every page, so the preview builds them all again."""
    main = project.root / "site_overrides" / "main.html"
    with serving(project, timeout=300) as server:
        assert "survey-theme-edited" not in (server.get("entries/qa-2024-medbench/") or "")
        text = main.read_text(encoding="utf-8")
        main.write_text(text.replace("{% block extrahead %}", "{% block extrahead %}<!-- survey-theme-edited -->", 1),
                        encoding="utf-8")
        for url in ("", "entries/qa-2024-medbench/", "topics/year/2024/", "about/"):
            _wait_until(server, url, lambda page: "survey-theme-edited" in page)
        log = "\n".join(server.log)
    assert "Traceback" not in log and "Aborted" not in log, log


def test_a_removed_work_leaves_the_preview(project: Project):
    entry = project.entries / "vault-2025-chestnotes.yaml"
    with serving(project, timeout=300) as server:
        assert "ChestNotes" in (server.get("entries/vault-2025-chestnotes/") or "")
        entry.unlink()
        deadline = time.perf_counter() + 300
        while server.get("entries/vault-2025-chestnotes/") is not None:
            assert time.perf_counter() < deadline, "the removed work's page stayed:\n" + "\n".join(server.log[-30:])
            time.sleep(0.2)
        assert server.get("bib/entries/vault-2025-chestnotes.bib") is None
        assert "vault-2025-chestnotes" not in (server.get("browse/") or "vault-2025-chestnotes")


def _wait_until(server, url: str, shown, timeout: float = 300) -> None:
    deadline = time.perf_counter() + timeout
    while not shown(server.get(url) or ""):
        if time.perf_counter() > deadline:
            raise AssertionError(f"{url} did not change:\n" + "\n".join(server.log[-30:]))
        time.sleep(0.2)


def test_the_preview_frees_what_each_build_made_while_it_waits_for_the_next_edit(project: Project, monkeypatch):
    """A build's pages are garbage in reference cycles once it returns, and its configuration once the
    next build has loaded its own (MkDocs' config options point at the latest). The preview collects
    them while it waits (preview.Preview.built), not during the next edit's build, and freezes out
    of collections only what a whole render made (preview.Preview.rendered), so that no later
    configuration is kept for ever."""
    import gc
    import weakref

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    from slmsurvey.engines import hook, preview

    def preview_build() -> list[weakref.ref]:
        config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(project.root / "preview"))
        build(config, serve_url=config.site_url, dirty=True)
        return [weakref.ref(config)] + [weakref.ref(o) for o in gc.get_objects() if isinstance(o, Page)]

    monkeypatch.chdir(project.root)
    hook.on_startup(command="serve", dirty=True)
    try:
        first = preview_build()[1:]  # the first render is frozen with the configuration it ran under
        second = preview_build()
        assert len(first) > 50 and len(second) > 50
        preview_build()
        deadline = time.monotonic() + preview.COLLECT_AFTER_BUILD + 10
        while any(ref() is not None for ref in first + second) and time.monotonic() < deadline:
            time.sleep(0.1)
        kept = [type(ref()).__name__ for ref in first + second if ref() is not None]
        assert not kept, f"{kept[:5]} of earlier builds outlived the third by {preview.COLLECT_AFTER_BUILD + 10} s"
    finally:
        hook.on_startup(command="build", dirty=False)
        gc.unfreeze()
