"""The links between the site's paths (slmsurvey.paths): the fast relative path is posixpath's."""
from __future__ import annotations

import itertools
import posixpath

from slmsurvey import paths


def test_relative_path_is_posixpaths_relpath_for_every_pair_of_site_paths():
    pages = [paths.HOME, paths.SECTIONS, paths.BROWSE, paths.ALL_BIB, paths.entry_page("a-2024-x"),
             paths.entry_bib("a-2024-x"), paths.section_page("datasets"), paths.facet_page("task"),
             paths.topic_page("year", "2024"), paths.topic_page("task", "qa"), paths.plot("sizes"),
             "sections/datasets/page-2.md", "topics/task/qa/page-3.md", "entries/a-2024-x/index.md"]
    places = pages + [paths.url(page) for page in pages] + ["", ".", "entries", "entries/", "topics/task"]
    for target, start in itertools.product(places, repeat=2):
        assert paths.relative_path(target, start) == posixpath.relpath(target or ".", start or "."), (target, start)
