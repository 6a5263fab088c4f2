"""Lighthouse 12 with its default (mobile) settings, three runs per page, medians reported.

    .venv/bin/python -m slmbench.lighthouse [--site site] [--runs 3] [--entry KEY] [PATH ...]

Measures the built site (`make site` first) as GitHub Pages serves it (gzip, under /survey/; see
serve.py), and, in the same run, a plain Material for MkDocs page built from our about.md with no
configuration but the theme, as the floor to compare against. Needs Node.js with npm (installs
lighthouse@12 into ~/.cache/slmsurvey-lighthouse on first use) and Debian's chromium.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

from slmsandbox.pages import serving

from . import ROOT

CACHE = pathlib.Path(os.environ.get("LIGHTHOUSE_HOME", pathlib.Path.home() / ".cache" / "slmsurvey-lighthouse"))
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"LCP": "largest-contentful-paint", "FCP": "first-contentful-paint", "TBT": "total-blocking-time",
           "CLS": "cumulative-layout-shift"}
DEFAULT_ENTRY = "tran-2024-bioinstruct"
PLAIN = "(plain Material page)"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def lighthouse() -> str:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                        "lighthouse@12"], check=True, stdout=subprocess.DEVNULL)
    return str(binary)


def run_once(binary: str, url: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        out = pathlib.Path(scratch, "report.json")
        subprocess.run(
            [binary, url, "--quiet", "--output=json", f"--output-path={out}",
             "--only-categories=" + ",".join(CATEGORIES),
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
            env={**os.environ, "CHROME_PATH": CHROME},
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        return json.loads(out.read_text(encoding="utf-8"))


def summarise(reports: list[dict]) -> dict:
    """Median of each score and metric over the runs, plus the audits that cost points in any run."""
    def score(report, category):
        return round((report["categories"][category]["score"] or 0) * 100)

    result = {c: statistics.median(score(r, c) for r in reports) for c in CATEGORIES}
    result["runs"] = [score(r, "performance") for r in reports]
    for name, audit in METRICS.items():
        result[name] = statistics.median(r["audits"][audit]["numericValue"] for r in reports)
    result["failing"] = sorted({
        f"{category}: {ref['id']}" for r in reports for category in CATEGORIES[1:]
        for ref in r["categories"][category]["auditRefs"]
        if ref["weight"] and (r["audits"][ref["id"]]["score"] or 0) < 1
        and r["audits"][ref["id"]]["score"] is not None})
    return result


def plain_site(scratch: pathlib.Path) -> pathlib.Path:
    """A one-page Material site: what the theme costs before we add anything."""
    (scratch / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "about.md", scratch / "docs" / "index.md")
    (scratch / "mkdocs.yml").write_text("site_name: Plain Material\nsite_url: https://example.org/survey/\n"
                                        "theme:\n  name: material\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(scratch / "mkdocs.yml")],
                   check=True)
    return scratch / "site"


def table(rows: dict[str, dict]) -> str:
    lines = ["| page | performance (runs) | LCP | FCP | TBT | CLS | accessibility | best practices | SEO |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for page, r in rows.items():
        lines.append(f"| {page} | {r['performance']:g} ({', '.join(map(str, r['runs']))}) | "
                     f"{r['LCP'] / 1000:.1f} s | {r['FCP'] / 1000:.1f} s | {r['TBT']:.0f} ms | {r['CLS']:.3f} | "
                     f"{r['accessibility']:g} | {r['best-practices']:g} | {r['seo']:g} |")
        lines += [f"|   ↳ {failing} | | | | | | | | |" for failing in r["failing"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=pathlib.Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entry", default=DEFAULT_ENTRY)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain Material page")
    parser.add_argument("--no-gzip", action="store_true", help="serve uncompressed, as `python -m http.server`")
    parser.add_argument("paths", nargs="*",
                        help="site paths (default: home, an entry, browse/, models/, a results page)")
    args = parser.parse_args(argv)
    paths = args.paths or ["", f"entries/{args.entry}/", "browse/", "models/", "results/medqa-usmle-4/"]
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site: run `make site` first")
    binary = lighthouse()
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        sites = [(args.site, paths)] + ([] if args.no_plain else [(plain_site(pathlib.Path(scratch)), [PLAIN])])
        for site, site_paths in sites:
            with serving(site, compress=not args.no_gzip) as base:
                for path in site_paths:
                    url, name = (base, PLAIN) if path == PLAIN else (base + path, "/" + path)
                    rows[name] = summarise([run_once(binary, url) for _ in range(args.runs)])
                    print(f"{url}: performance {rows[name]['runs']}", file=sys.stderr)
    print(f"Lighthouse 12, default mobile settings (simulated slow 4G, 4x CPU slowdown), "
          f"median of {args.runs} runs, " + ("uncompressed" if args.no_gzip else "gzip as on GitHub Pages") + ":\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
