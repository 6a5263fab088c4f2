"""The search index (slmsurvey.engines.searchindex): Pagefind's service fed page by page."""
from __future__ import annotations

import json
import pathlib

import pytest

from slmsurvey.engines.searchindex import FOLDER, SearchIndex
from slmsurvey.problems import SurveyError

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


def test_the_written_index_is_whole_as_pagefinds_own_command_writes_it(tmp_path: pathlib.Path):
    """Pagefind's service used to answer before its last writes landed, and stopping it then cut
    files short (Pagefind/pagefind#1271): a build in several shipped a truncated wasm or script.
    Every file but those named after the index's hash is byte for byte what `pagefind --site` writes
    for the same pages (its command line waits for its writes)."""
    import subprocess

    import pagefind_bin

    from slmsurvey.engines.searchindex import IGNORED

    site = tmp_path / "site"
    index = SearchIndex()
    for number in range(200):
        html = PAGE.format(title=f"Work {number}", mark="data-pagefind-body", text=f"tinyllama w{number} " * 500)
        page = site / "entries" / f"w{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(html, encoding="utf-8")
        index.add(html, f"entries/w{number}/index.html")
    index.write(tmp_path / "ours")
    command = [str(pagefind_bin.get_executable()), "--site", str(site), "--output-path", str(tmp_path / "cli"),
               "--force-language", "en", "--exclude-selectors", ",".join(IGNORED)]
    subprocess.run(command, check=True, capture_output=True)

    def files(folder: pathlib.Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    ours, theirs = files(tmp_path / "ours" / FOLDER), files(tmp_path / "cli")
    hashed = ("index/", "pagefind.en_", "pagefind-entry.json")  # named after the index's hash
    assert {name: data for name, data in ours.items() if not name.startswith(hashed)} == \
           {name: data for name, data in theirs.items() if not name.startswith(hashed)}
    assert len(ours) == len(theirs) > 200
    entry = json.loads(ours["pagefind-entry.json"])
    assert f"pagefind.{entry['languages']['en']['hash']}.pf_meta" in ours


def test_a_file_named_outside_the_index_folder_is_refused(tmp_path: pathlib.Path):
    index = SearchIndex()
    index._ask = lambda payload: {"files": [{"path": "../escaped.js", "content": ""}]}
    with pytest.raises(SurveyError, match=r"pagefind named a file outside pagefind/ .*'\.\./escaped\.js'"):
        index.write(tmp_path / "site")
    assert not (tmp_path / "escaped.js").exists()
