"""How long a reader's first search takes: from typing a query to the first result, in Chromium.

    .venv/bin/python -m slmbench.searchtime SITE [QUERY ...]

Each query gets a fresh browser context (nothing cached), loads the home page, opens the search box,
types the query at once and times until the first result shows; it also counts what the page load and
the search downloaded (as gzip sends it, see serve.py). Works for this site (Pagefind) and for a
Material site with its search plugin, whose results use the same markup.
"""
from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

from slmsandbox.pages import serving

from .lighthouse import CHROME

QUERIES = ("quantization", "mental health", "BioMistral")
RESULT = ".md-search-result__item"


def first_search(browser, base: str, query: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    received = {"load": 0, "search": 0}
    phase = ["load"]

    def count(response):
        try:
            size = int(response.headers.get("content-length") or 0)
        except ValueError:
            size = 0
        received[phase[0]] += size

    page.on("response", count)
    page.goto(base, wait_until="networkidle")
    phase[0] = "search"
    page.locator("input.md-search__input").click()
    started = time.perf_counter()
    page.keyboard.insert_text(query)
    try:
        page.locator(RESULT).first.wait_for(timeout=120_000)
        seconds, failure = time.perf_counter() - started, None
        page.wait_for_timeout(300)
    except Exception as exc:  # noqa: BLE001 - a crashed or stuck tab is a result too
        seconds, failure = None, str(exc).splitlines()[0]
    context.close()
    return {"seconds": seconds, "failure": failure, **received}


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=pathlib.Path)
    parser.add_argument("queries", nargs="*", default=list(QUERIES))
    args = parser.parse_args(argv)
    with serving(args.site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROME, args=["--no-sandbox"])
        runs = [(query, first_search(browser, base, query)) for query in args.queries]
        browser.close()
    for query, run in runs:
        shown = f"first result {run['seconds']:.2f} s" if run["failure"] is None else f"no result: {run['failure']}"
        print(f"{query!r}: {shown}; page load {run['load'] / 1e3:.0f} KB, search {run['search'] / 1e3:.0f} KB (gzip)")
    times = [run["seconds"] for _, run in runs if run["seconds"] is not None]
    print(f"median {statistics.median(times):.2f} s" if len(times) == len(runs) else
          f"{len(runs) - len(times)} of {len(runs)} searches gave no result")
    return 0 if len(times) == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
