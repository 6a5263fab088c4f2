"""The benchmark's Markdown table, checked against the targets of issue 11 (DESIGN.md, "Speed and size")."""
from __future__ import annotations

from typing import Any

from .figures import BROWSE_GZIP_PER_WORK, PAGE_LIMIT

PLAIN_RATIO = 1.3              # our `make site` against a plain Material site of as many pages
PREVIEW_SECONDS = 3.0          # an edited title on its page, its section and /browse/ under `make serve`
VALIDATION_SECONDS_AT_10K = 3.0


def size(count: int | None) -> str:
    if count is None:
        return "n/a"
    for unit, divisor in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= divisor:
            return f"{count / divisor:.1f} {unit}"
    return f"{count} B"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**FAIL**")


def _phases(run: dict) -> str:
    return (f"{run['seconds']:.1f} s (generator {run['generator']:.1f}, Markdown {run['markdown']:.1f}, "
            f"theme {run['theme']:.1f}, search {run['search']:.1f}, other {run['other']:.1f})")


def table(results: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The Markdown table of all figures, and the targets that were not met."""
    head = "| Figure | " + " | ".join(f"{r['works']:,} works" for r in results) + " | Target | Result |"
    rows = [head, "|" + " --- |" * (len(results) + 3)]
    failed: list[str] = []

    def row(label: str, cells: list[str], target: str = "", ok: bool | None | str = "") -> None:
        verdict = ok if isinstance(ok, str) else _verdict(ok)
        if verdict.endswith("FAIL**"):
            failed.append(label)
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {target} | {verdict} |")

    at_10k = [r for r in results if r["works"] == 10_000]
    row("Validation (load + validate)", [f"{r['validate']['seconds']:.2f} s" for r in results],
        f"< {VALIDATION_SECONDS_AT_10K:.0f} s at 10,000",
        at_10k[0]["validate"]["seconds"] < VALIDATION_SECONDS_AT_10K if at_10k else None)
    if all("validate_again" in r for r in results):
        row("Validation again (`slmsurvey validate` reading what its last run kept in the user's cache)",
            [f"{r['validate_again']['seconds']:.2f} s" for r in results])
    row("Rendering (load + validate + render_site)", [f"{r['render']['seconds']:.2f} s" for r in results])
    row("`make site` (ours), by phase", [_phases(r["build"]) for r in results])
    row("Plain Material site, by phase", [_phases(r["plain"]) for r in results])
    row("Plain site: pages × median Markdown", [f"{r['plain_pages']:,} × {r['median_markdown']:,} B" for r in results])
    row("Ours / plain (run by run)", [f"{r['build']['ratio']:.2f}x (" + ", ".join(
        f"{ratio:.2f}" for ratio in r["build"].get("pair_ratios", ())) + ")" for r in results], f"≤ {PLAIN_RATIO}x",
        all(r["build"]["ratio"] <= PLAIN_RATIO for r in results))
    row("CPU time, ours / plain (fastest runs)", [f"{r['build']['cpu_min']:.1f} / {r['plain']['cpu_min']:.1f} s"
                                                  for r in results])
    row("Peak memory, ours / plain", [f"{r['build']['peak_kb'] / 1024:.0f} / {r['plain']['peak_kb'] / 1024:.0f} MB"
                                      for r in results])
    row("HTML pages / site size", [f"{r['site']['pages']:,} / {size(r['site']['bytes'])}" for r in results])
    row("Largest page but /browse/", [f"{size(r['site']['largest_limited'][1])} `{r['site']['largest_limited'][0]}`"
                                      + (f" ({r['site']['pages_over_limit']} over)" if r["site"]["pages_over_limit"]
                                         else "") for r in results],
        f"≤ {PAGE_LIMIT // 1000} KB", all(r["site"]["largest_limited"][1] <= PAGE_LIMIT for r in results))
    row("/browse/ gzipped per work", [f"{r['site']['browse_gzip_per_work']:.0f} B ({size(r['site']['browse_bytes'])}"
                                      " before gzip)" for r in results],
        f"< {BROWSE_GZIP_PER_WORK} B", all(r["site"]["browse_gzip_per_work"] < BROWSE_GZIP_PER_WORK for r in results))
    row("Search index: ours (Pagefind, fetched in fragments) / plain's search_index.json (every page load)",
        [f"{size(r['site']['pagefind_bytes'])} in {r['site']['pagefind_files']:,} files / "
         f"{size(r['plain_site']['search_index_bytes'])}" for r in results])
    if all("preview" in r for r in results):
        row("`make serve`: ready (builds)", [f"{r['preview']['startup']:.1f} s ({r['preview']['startup_builds']})"
                                            for r in results])
        for name in ("typical", "newest"):
            row(f"`make serve`: edited title of the {name} work on its page, section, /browse/ "
                "(builds; files rewritten)",
                [f"{r['preview'][name]['seconds']:.1f} s ({r['preview'][name]['builds']}; "
                 f"{r['preview'][name]['written']})" for r in results],
                f"≤ {PREVIEW_SECONDS:.0f} s", all(r["preview"][name]["seconds"] <= PREVIEW_SECONDS for r in results))
    return "\n".join(rows), failed
