"""`make bench`: build catalogs of 1,000 and 10,000 works cloned from the real entries, and a plain
MkDocs + Material site of as many pages of the same median Markdown size, in the same run; report
the ratio, the phases of each build, peak memory, the site's weight and edit-to-preview time, checked
against the targets of issue 11 (DESIGN.md, "Speed and size"). A script, not a test.

    .venv/bin/python -m slmbench                          # 1,000 and 10,000
    .venv/bin/python -m slmbench --sizes 300,1000         # quicker
    .venv/bin/python -m slmbench --keep /tmp/bench        # keep the projects and sites
    .venv/bin/python -m slmbench --sizes 10000 --profile  # plus cProfile of the generator
    .venv/bin/python -m slmbench --no-preview             # without `mkdocs serve` edit timing
    .venv/bin/python -m slmbench --plain-bytes 7668       # plain pages of a size of your choosing

Lighthouse (`python -m slmbench.lighthouse`) and the first search (`python -m slmbench.searchtime`)
have their own commands.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import sys
import tempfile
import time
from typing import Any

from .catalogs import bench_project
from .figures import site_figures
from .phases import run_phase
from .plain import make_plain_site, median_markdown_size
from .preview import EDITED, edit_to_preview
from .report import size, table

DEFAULT_SIZES = (1_000, 10_000)


def say(message: str) -> None:
    print(message, flush=True)


def bench_size(works: int, base: pathlib.Path, profile: bool, preview: bool, repeat: int,
               plain_bytes: int | None = None) -> dict[str, Any]:
    say(f"\n== {works:,} works ==")
    started = time.perf_counter()
    project = bench_project(base / f"project-{works}", works)
    catalog_bytes = sum(p.stat().st_size for p in project.entries.iterdir())
    say(f"catalog: {works:,} files cloned from the real entries, {size(catalog_bytes)}, "
        f"in {time.perf_counter() - started:.1f} s -> {project.root}")
    result: dict[str, Any] = {"works": works, "catalog_bytes": catalog_bytes}
    result["validate"] = v = run_phase("validate", project.root)
    say(f"validation  {v['seconds']:7.2f} s  (load {v['load']:.2f} + validate {v['validate']:.2f})")
    run_phase("validate-again", project.root)  # the first run: it fills the cache (XDG_CACHE_HOME: base)
    result["validate_again"] = a = run_phase("validate-again", project.root)
    say(f"validation again {a['seconds']:7.2f} s  (what the last run kept, read back from the user's cache)")
    result["render"] = r = run_phase("render", project.root)
    say(f"rendering   {r['seconds']:7.2f} s  ({r['files']:,} files, {size(r['bytes'])})")

    builds, plains = [], []
    plain_root = base / f"plain-{works}"
    for _ in range(repeat):  # alternated, so that a busy moment of the machine hits both alike
        project.reset_docs()  # a cold build: the generator writes every file
        shutil.rmtree(project.site, ignore_errors=True)
        builds.append(run_phase("build", project.root))
        if not plain_root.exists():
            pages = sum(1 for _ in project.docs.rglob("*.md"))
            median = plain_bytes or median_markdown_size(project.docs)
            make_plain_site(plain_root, pages, median)
            result["plain_pages"], result["median_markdown"] = pages, median
        shutil.rmtree(plain_root / "site", ignore_errors=True)
        plains.append(run_phase("build", plain_root))
    result["build"] = b = min(builds, key=lambda run: run["seconds"])
    result["plain"] = p = min(plains, key=lambda run: run["seconds"])
    b["peak_kb"] = max(run["peak_kb"] for run in builds)
    p["peak_kb"] = max(run["peak_kb"] for run in plains)
    b["cpu_min"], p["cpu_min"] = min(run["cpu"] for run in builds), min(run["cpu"] for run in plains)
    b["ratio"] = b["seconds"] / p["seconds"]
    # Each of our builds against the plain one right after it: on a machine whose speed drifts (a
    # shared host), the pairs show the spread that the two fastest runs hide.
    b["pair_ratios"] = [ours["seconds"] / plain["seconds"] for ours, plain in zip(builds, plains)]
    for name, run in (("our build", b), ("plain build", p)):
        say(f"{name:<11} {run['seconds']:7.1f} s  (generator {run['generator']:.1f}, Markdown {run['markdown']:.1f}, "
            f"theme {run['theme']:.1f}, search {run['search']:.1f}, other {run['other']:.1f})  "
            f"peak {run['peak_kb'] / 1024:.0f} MB")
    say(f"ratio       {b['ratio']:.2f}x  (plain: {result['plain_pages']:,} pages of {result['median_markdown']:,} B, "
        f"{'as asked' if plain_bytes else 'the median of ours'}); run by run "
        + ", ".join(f"{ratio:.2f}x" for ratio in b["pair_ratios"]))
    say(f"CPU time    ours {b['cpu_min']:.1f} s, plain {p['cpu_min']:.1f} s: {b['cpu_min'] / p['cpu_min']:.2f}x "
        "(ours runs on both cores, so more CPU than wall time)")
    result["site"] = s = site_figures(project.site, works)
    result["plain_site"] = site_figures(plain_root / "site", works)
    say(f"site        {size(s['bytes'])}, {s['pages']:,} pages; largest but /browse/: {s['largest_limited'][0]} "
        f"{size(s['largest_limited'][1])}; /browse/ {size(s['browse_bytes'])}, "
        f"{s['browse_gzip_per_work']:.0f} B per work gzipped; Pagefind {size(s['pagefind_bytes'])}; "
        f"plain site's search_index.json {size(result['plain_site']['search_index_bytes'])}")
    if preview:
        result["preview"] = e = edit_to_preview(project)
        say(f"preview     `mkdocs serve` ready in {e['startup']:.1f} s ({e['startup_builds']} builds); " + "; ".join(
            f"{name} work's edited title shown in {e[name]['seconds']:.1f} s (median of "
            + ", ".join(f"{s:.1f}" for s in e[name]["all_seconds"]) + f"; {e[name]['builds']} builds, "
            f"{e[name]['written']} files rewritten)" for name in EDITED))
    if profile:
        project.reset_docs()
        result["profile"] = prof = run_phase("profile", project.root)
        say(f"\ncProfile of the generator ({prof['seconds']:.1f} s; stats in {prof['stats_file']}):")
        say(prof["tottime"])
        say(prof["cumulative"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated catalog sizes (default: %(default)s)")
    parser.add_argument("--keep", type=pathlib.Path, metavar="DIR",
                        help="build the projects in DIR (created, must be empty) and keep them")
    parser.add_argument("--profile", action="store_true", help="also profile the generator at the largest size")
    parser.add_argument("--no-preview", dest="preview", action="store_false",
                        help="skip the `mkdocs serve` edit-to-preview timing")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="build ours and the plain site N times each, alternately, keeping the fastest")
    parser.add_argument("--plain-bytes", type=int, metavar="B",
                        help="give the plain site's pages B bytes of Markdown instead of the median of ours "
                             "(ours hand MkDocs some HTML ready-made, which takes more bytes than Markdown)")
    options = parser.parse_args(argv)
    try:
        sizes = sorted({int(part.replace("_", "")) for part in options.sizes.split(",") if part.strip()})
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, not {options.sizes!r}")
    if not sizes or sizes[0] < 1 or options.repeat < 1:
        parser.error("--sizes and --repeat need positive numbers")
    if options.keep:
        options.keep.mkdir(parents=True, exist_ok=True)
        if any(options.keep.iterdir()):
            parser.error(f"--keep {options.keep}: the folder is not empty")
        base, cleanup = options.keep.resolve(), None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="slmsurvey-bench-")
        base = pathlib.Path(cleanup.name)
    os.environ["XDG_CACHE_HOME"] = str(base / "cache")  # slmsurvey.cache: the runs' own, not the user's
    say(f"Benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}; sizes "
        f"{', '.join(f'{n:,}' for n in sizes)}; projects in {base}; load average {_load()} at the start")
    started = time.perf_counter()
    try:
        results = [bench_size(works, base, options.profile and index == len(sizes) - 1, options.preview,
                              options.repeat, options.plain_bytes) for index, works in enumerate(sizes)]
        rendered, failed = table(results)
        say(f"\n## Benchmark ({time.perf_counter() - started:.0f} s in all; load average {_load()} at the end)"
            f"\n\n{rendered}\n")
        say("Targets not met: " + "; ".join(failed) if failed else "All targets met.")
    except RuntimeError as exc:
        say(f"\nbenchmark stopped: {exc}")
        return 2
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    return 1 if failed else 0


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


if __name__ == "__main__":
    sys.exit(main())
