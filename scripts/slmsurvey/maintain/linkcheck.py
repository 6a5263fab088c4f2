"""Check the catalog's external links; report only the confirmed dead ones (HTTP 404 or 410).

403 and 429 are bot walls, 5xx answers and timeouts are passing trouble: they count as "unknown",
never as dead. A 404/410 answer to HEAD is confirmed with GET, since some servers answer HEAD wrongly.
The scheduled workflow turns the Markdown report into a GitHub issue.

    slmsurvey linkcheck [--catalog DIR] [--report FILE] [--recorded FILE.json]

Exit status 1 when a dead link was found. Tests pass `--recorded` (answers per URL and method) and
never use the network.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import pathlib
import urllib.error
import urllib.request
from collections.abc import Callable

from slmsurvey.catalog.load import load_catalog, text_fields
from slmsurvey.catalog.validate import is_link, link_fields
from slmsurvey.locations import ENTRY_SCHEMA
from slmsurvey.problems import SurveyError

DEAD = frozenset({404, 410})
NO_HEAD = frozenset({400, 405, 501})  # servers that do not handle HEAD: ask with GET instead
USER_AGENT = "slmsurvey-linkcheck/0.1 (+https://github.com/slm-healthcare/survey)"
TIMEOUT = 20.0

Request = Callable[[str, str], int]  # (method, url) -> HTTP status; OSError when there is no answer


@dataclasses.dataclass(frozen=True)
class Result:
    url: str
    status: int | None  # None: no answer
    dead: bool
    detail: str = ""

    @property
    def fine(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


def collect_links(catalog_dir: pathlib.Path) -> dict[str, list[str]]:
    """Every http(s) address in catalog/entries/, with where it occurs: 'file:line field'."""
    found: dict[str, list[str]] = {}
    loaded = load_catalog(catalog_dir)
    if ENTRY_SCHEMA not in loaded.schemas:  # it says which fields are links
        raise SurveyError(next(str(p) for p in loaded.problems if ENTRY_SCHEMA in p.file))
    fields = link_fields(loaded.schemas[ENTRY_SCHEMA])
    for document in loaded.entries:
        for path, value in text_fields(document.data):
            if is_link(path, fields) and value.startswith(("http://", "https://")) and " " not in value:
                field = ".".join(str(part) for part in path)
                found.setdefault(value, []).append(f"{document.file}:{document.line_of(path)} {field}")
    return dict(sorted(found.items()))


def check_link(url: str, request: Request) -> Result:
    """HEAD, then GET where HEAD is refused or says 404/410; dead only when GET says 404/410 too."""
    try:
        status = request("HEAD", url)
        if status in DEAD or status in NO_HEAD:
            status = request("GET", url)
    except OSError as exc:
        return Result(url, None, False, f"no answer ({exc})")
    return Result(url, status, status in DEAD)


def check_all(urls: list[str], request: Request, workers: int = 8) -> list[Result]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return sorted(pool.map(lambda url: check_link(url, request), urls), key=lambda r: r.url)


def http_status(method: str, url: str, timeout: float = TIMEOUT) -> int:
    """The status of a real request (redirects followed); OSError when there is no answer."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def recorded(path: pathlib.Path) -> Request:
    """Answers from a JSON file {url: {"HEAD": 404, "GET": 404}}; "timeout" or a missing url: no answer."""
    answers = json.loads(path.read_text(encoding="utf-8"))

    def request(method: str, url: str) -> int:
        answer = answers.get(url, {}).get(method, "timeout")
        if not isinstance(answer, int):
            raise TimeoutError(f"no recorded answer to {method} {url}")
        return answer
    return request


def report_markdown(results: list[Result], where: dict[str, list[str]]) -> str:
    """The issue body: each dead link, its answer, and the file, line and field that hold it."""
    dead = [r for r in results if r.dead]
    unknown = [r for r in results if not r.dead and not r.fine]
    intro = (f"The link check found {len(dead)} dead link(s): each answered HTTP 404 or 410 to HEAD and "
             "again to GET. For each one, find the new address (or an archived copy) and fix the entry's "
             "YAML file.")
    lines = [intro, "", "| link | answer | where |", "| --- | --- | --- |"]
    for result in dead:
        places = "<br>".join(f"`{place}`" for place in where.get(result.url, []))
        lines.append(f"| <{result.url}> | {result.status} | {places} |")
    lines += ["", (f"{len(results)} links checked; {len(unknown)} gave no clear answer (403 and 429 bot "
                   "walls, server errors, timeouts) and are not reported as dead.")]
    return "\n".join(lines) + "\n"


def summary(results: list[Result]) -> str:
    dead = sum(r.dead for r in results)
    fine = sum(r.fine for r in results)
    return (f"checked {len(results)} links: {dead} dead (404/410, confirmed), "
            f"{len(results) - dead - fine} unknown (403, 429, other errors, no answer), {fine} fine")


@dataclasses.dataclass(frozen=True)
class Check:
    """A run: each link's result, and where the catalog holds each link."""

    results: list[Result]
    where: dict[str, list[str]]

    @property
    def dead(self) -> list[Result]:
        return [r for r in self.results if r.dead]

    def dead_lines(self) -> list[str]:
        return [f"dead ({r.status}): {r.url} in {', '.join(self.where[r.url])}" for r in self.dead]

    def summary(self) -> str:
        return summary(self.results)

    def markdown(self) -> str:
        return report_markdown(self.results, self.where)


def run(catalog_dir: pathlib.Path, recorded_file: pathlib.Path | None = None, workers: int = 8) -> Check:
    """Check every external link of the catalog, on the network or from a file of recorded answers."""
    where = collect_links(catalog_dir)
    request = recorded(recorded_file) if recorded_file else http_status
    return Check(check_all(list(where), request, workers), where)
