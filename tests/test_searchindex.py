"""The search index (slmsurvey.searchindex): Pagefind's service fed page by page."""
from __future__ import annotations

import json
import pathlib

import pytest

from slmsurvey.problems import SurveyError
from slmsurvey.searchindex import FOLDER, SearchIndex

PAGE = ('<html lang="en"><head><title>{title}</title></head><body><nav>Navigation words</nav>'
        '<div {mark}><h1>{title}</h1><p>{text}</p></div></body></html>')


def test_pages_with_the_mark_are_indexed_and_the_others_left_out(tmp_path: pathlib.Path):
    index = SearchIndex()
    for number in range(300):  # more answers than a pipe holds unread
        index.add(PAGE.format(title=f"Work {number}", mark="data-pagefind-body", text="tinyllama " * 50),
                  f"entries/w{number}/index.html")
    index.add(PAGE.format(title="A listing", mark="", text="tinyllama"), "topics/x/index.html")
    index.write(tmp_path)
    entry = json.loads((tmp_path / FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 300
    assert len(list((tmp_path / FOLDER / "fragment").iterdir())) == 300


def test_a_service_that_stops_is_reported_not_waited_for(tmp_path: pathlib.Path):
    index = SearchIndex()
    index.add(PAGE.format(title="Work", mark="data-pagefind-body", text="words"), "entries/w/index.html")
    index._process.kill()
    index._process.wait()
    with pytest.raises(SurveyError, match="search index: pagefind stopped"):
        for number in range(2000):  # writes fail once the pipe is gone
            index.add(PAGE.format(title="Work", mark="data-pagefind-body", text="words"), f"e/{number}.html")
        index.write(tmp_path)
    assert not (tmp_path / FOLDER).exists()
