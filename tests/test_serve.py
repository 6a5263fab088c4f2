"""`make serve` (mkdocs serve with our hook): an edit shows after one build, the preview starts from
the files `make site` renders, and a request for a missing page during a rebuild does not stop it."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request

from conftest import Project, snapshot
from slmbench.preview import edit_title, serving


def test_an_edited_title_shows_after_one_build(project: Project):
    with serving(project, timeout=300) as server:
        assert len(server.builds) == 1  # starting the preview builds once
        edit = edit_title(project, server, timeout=300)
    assert edit["builds"] == 1, "the generator's own writes into docs/ started another build"


def test_the_preview_renders_what_the_build_rendered(project: Project):
    """`mkdocs serve` uses its own address as site_url; the generated files keep the published one."""
    project.build()
    built = snapshot(project.docs)
    with serving(project, timeout=300) as server:
        log = "\n".join(server.log)
    assert snapshot(project.docs) == built
    assert ", 0 written, 0 pruned" in log


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
