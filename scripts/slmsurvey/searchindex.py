"""The site's search index: Pagefind over the built HTML, written to site/pagefind/.

Pagefind splits the index into fragments that a reader's browser downloads only when it searches,
and only those a query needs; Material's own search downloads the whole index (43 MB at 10,000
works) on every page load. Pages are indexed where main.html marks `data-pagefind-body`, which it
leaves out on pages whose front matter says `search: exclude: true` (the long listings).
"""
from __future__ import annotations

import pathlib
import subprocess

from .problems import SurveyError

FOLDER = "pagefind"
# Not words of the page: heading permalinks (¶) and Material's edit/view buttons.
IGNORED = (".headerlink", ".md-content__button")


def index_site(site: pathlib.Path) -> None:
    """Index the built site in place; raise SurveyError with Pagefind's own words when it fails."""
    import pagefind_bin

    result = subprocess.run(
        [str(pagefind_bin.get_executable()), "--site", str(site), "--output-subdir", FOLDER,
         "--force-language", "en", "--exclude-selectors", ", ".join(IGNORED), "--quiet"],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise SurveyError(f"search index: pagefind failed on {site}:\n{(result.stderr or result.stdout).strip()}")
