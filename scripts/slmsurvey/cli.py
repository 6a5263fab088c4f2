"""Command line: `slmsurvey validate | render | build`. Thin: it prints problems and exit codes."""
from __future__ import annotations

import logging
import os
import pathlib
import shutil
import sys
import time

import click

from . import sitefolder
from .build import read_catalog
from .engines import ENGINES, build_with_zensical
from .locations import NoProject, Paths
from .problems import CatalogInvalid, SurveyError



def project_paths() -> Paths:
    """The project around the current folder (the nearest mkdocs.yml up from it)."""
    try:
        return Paths.find()
    except NoProject as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@click.group()
def main() -> None:
    """Build the 'Small Language Models in Healthcare' survey site from catalog/."""


@main.command("validate")
@click.option("--catalog", "catalog_dir", type=click.Path(file_okay=False, path_type=pathlib.Path),
              callback=lambda context, option, value: value or project_paths().catalog,
              help="Catalog folder, checked against its own schema/  [default: the project's]")
def validate_command(catalog_dir: pathlib.Path) -> None:
    """Check every catalog file; print one line per problem."""
    started = time.perf_counter()
    catalog = _read_or_exit(catalog_dir, checking=True)
    click.echo(f"catalog OK: {len(catalog.entries)} entries in {len(catalog.sections)} sections "
               f"({time.perf_counter() - started:.2f} s)")


@main.command("build")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=pathlib.Path),
              default=None, help="The project's mkdocs.yml  [default: the nearest one up from here]")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=pathlib.Path), default=None,
              help="Output folder (default: site/ beside mkdocs.yml).")
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True,
              help="MkDocs with Material, or Zensical (its successor; search is then Zensical's own).")
def build_command(config_file: pathlib.Path | None, site_dir: pathlib.Path | None, engine: str) -> None:
    """Render the catalog and build the site with `mkdocs build --strict` (or Zensical, `--engine zensical`).

    The site is built in a temporary folder and swapped in only when the build succeeded, so an
    existing site/ is never left half-written.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    paths = Paths.of(config_file.parent) if config_file else project_paths()
    config_file = config_file or paths.config
    site_dir = (site_dir or paths.root / "site").resolve()
    sitefolder.recover(site_dir)  # first: a swap killed half-way left the old site aside
    _read_or_exit(paths.catalog)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    staging = sitefolder.staging_folder(site_dir)
    started = time.perf_counter()
    try:
        if engine == "zensical":
            build_with_zensical(paths, staging)
        else:
            build(load_config(str(config_file), site_dir=str(staging), strict=True))
        sitefolder.swap_in(staging, site_dir)
    except (MkDocsException, SurveyError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: could not write the site ({exc.strerror}: {exc.filename}); "
                   f"{site_dir} was left as it was", err=True)
        sys.exit(1)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    click.echo(f"site built in {site_dir} ({time.perf_counter() - started:.1f} s)")


def _read_or_exit(catalog_dir: pathlib.Path, checking: bool = False):
    """The catalog, or its problems and exit 1; `validate` only checks, so it does not say that nothing
    was written."""
    try:
        return read_catalog(catalog_dir)
    except CatalogInvalid as exc:
        click.echo(exc.report(), err=True)
        click.echo(f"error: {exc.counted if checking else exc}", err=True)
        sys.exit(1)


# Contributor commands (issue 6; import: issue 4) ------------------------------------------------

_CATALOG_OPTION = click.option("--catalog", "catalog_dir",
                               type=click.Path(file_okay=False, path_type=pathlib.Path),
                               callback=lambda context, option, value: value or project_paths().catalog,
                               help="Catalog folder  [default: the project's]")


@main.command("new")
@click.argument("source")
@_CATALOG_OPTION
def new_command(source: str, catalog_dir: pathlib.Path) -> None:
    """Start catalog/entries/<key>.yaml from an arXiv id, a DOI or a .bib file, then validate it.

    Fills what the arXiv API, Crossref or the .bib record knows; offline it writes a skeleton.
    """
    from .newentry import start_entries
    _print_outcome(_or_exit(lambda: start_entries(source, catalog_dir)))


@main.command("import-bib")
@click.argument("bib_file", type=click.Path(dir_okay=False, exists=True, path_type=pathlib.Path))
@_CATALOG_OPTION
def import_bib_command(bib_file: pathlib.Path, catalog_dir: pathlib.Path) -> None:
    """Write catalog entries from a .bib file; refuse works whose DOI or arXiv id is already in."""
    from .importbib import import_bib
    _print_outcome(_or_exit(lambda: import_bib(bib_file, catalog_dir)))


def _or_exit(action):
    try:
        return action()
    except SurveyError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _print_outcome(outcome) -> None:
    for line in outcome.errors:
        click.echo(f"error: {line}", err=True)
    for line in outcome.refused:
        click.echo(f"refused: {line}", err=True)
    for line in outcome.notes:
        click.echo(f"note: {line}", err=True)
    for path in outcome.written:
        click.echo(f"wrote {path}")
    for problem in outcome.problems:
        click.echo(str(problem))
    if outcome.problems:
        click.echo(f"{len(outcome.problems)} thing(s) to fill in or fix above; then run `make validate`")
    elif outcome.written:
        click.echo("the new entry is valid: check it against the paper, then run `make serve` to preview it")
    if outcome.other_problems:
        click.echo(f"({outcome.other_problems} problem(s) in other catalog files: run `make validate`)",
                   err=True)
    if not outcome.written:
        sys.exit(1)


# Keeping the catalog true (issue 13) ------------------------------------------------------------

@main.command("refresh")
@_CATALOG_OPTION
@click.option("--write", is_flag=True, help="Edit the entry files with what the services state with certainty.")
@click.option("--only", "keys", multiple=True, metavar="KEY", help="Check only this entry (repeatable).")
@click.option("--contact", envvar="SLMSURVEY_CONTACT", default="", metavar="EMAIL",
              help="Contact address for the User-Agent, as Crossref asks [env SLMSURVEY_CONTACT].")
@click.option("--max-requests", default=1000, show_default=True, help="Stop asking after this many requests.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="The date to record the updates under (tests).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=pathlib.Path), default=None,
              help="Also write the findings as Markdown (a pull request's description).")
@click.option("--record", "record_dir", type=click.Path(file_okay=False, path_type=pathlib.Path), default=None,
              help="Save every answer in this new folder, to replay the run offline "
                   "(SLMSURVEY_RECORDED=FOLDER slmsurvey refresh).")
def refresh_command(catalog_dir: pathlib.Path, write: bool, keys: tuple[str, ...], contact: str,
                    max_requests: int, today, report_file: pathlib.Path | None,
                    record_dir: pathlib.Path | None) -> None:
    """Ask arXiv and Crossref about every work; print one line per difference, with its source.

    Reports versions of record the catalog lacks, changed titles and author lists, new DOIs,
    retractions and other notices, and differences in year, volume, issue or pages. With --write,
    the findings the services state with certainty are written into the entry files (old values
    recorded under `updates`, the evidence under `sources`); near matches are only reported.
    """
    import datetime

    from . import fetch
    from .edit import apply
    from .progress import Progress
    from .refresh import Services, refresh
    from .reportfile import markdown_report

    catalog = _read_or_exit(catalog_dir)
    entries = [e for e in catalog.entries if not keys or e.key in keys]
    unknown = sorted(set(keys) - {e.key for e in entries})
    if unknown:
        click.echo(f"error: no entry {', '.join(unknown)} in {catalog_dir}", err=True)
        sys.exit(1)
    if record_dir:
        _or_exit(lambda: fetch.start_recording(record_dir))
    if not contact and not os.environ.get(fetch.RECORDED_ENV):
        click.echo("note: no contact address (--contact or SLMSURVEY_CONTACT); Crossref asks for one", err=True)
    services = Services(fetch.Client(contact=contact, max_requests=max_requests, record=record_dir))
    try:
        report = refresh(entries, services, Progress("refresh", len(entries), "works"))
    except fetch.Offline as exc:
        click.echo(f"offline: {exc}; nothing was checked", err=True)
        sys.exit(2)
    except SurveyError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    finally:
        if record_dir:
            _or_exit(lambda: fetch.finish_recording(record_dir, services.client.asked))
    for finding in report.findings:
        click.echo(finding.line())
    for line in report.errors:
        click.echo(line, err=True)
    written = []
    if write:
        written = _or_exit(lambda: apply(report.findings, catalog_dir, (today or datetime.datetime.now()).date()))
        for path in written:
            click.echo(f"wrote {path}")
    certain = sum(f.certain for f in report.findings)
    click.echo(f"{report.checked} of {len(entries)} works checked ({services.client.requests} requests): "
               f"{len(report.findings)} finding(s), {certain} certain"
               + (f", written to {len(written)} file(s)" if write else "; run with --write to apply them"
                  if certain else ""))
    if report_file:
        report_file.write_text(markdown_report(report, written), encoding="utf-8")


# Finding new works (issue 14) --------------------------------------------------------------------

@main.command("discover")
@_CATALOG_OPTION
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Ask for works from this day  [default: `since` in catalog/discover.yaml, the last run's day]")
@click.option("--write", is_flag=True, help="Move `since` to today and list the new candidates in "
                                            "catalog/triage.yaml as pending.")
@click.option("--contact", envvar="SLMSURVEY_CONTACT", default="", metavar="EMAIL",
              help="Contact address for the User-Agent [env SLMSURVEY_CONTACT].")
@click.option("--max-requests", default=1000, show_default=True, help="Stop asking after this many requests.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="The run's day (tests).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=pathlib.Path), default=None,
              help="Also write the candidates as Markdown (a pull request's description).")
@click.option("--record", "record_dir", type=click.Path(file_okay=False, path_type=pathlib.Path), default=None,
              help="Save every answer in this new folder, to replay the run offline "
                   "(SLMSURVEY_RECORDED=FOLDER slmsurvey discover).")
def discover_command(catalog_dir: pathlib.Path, since, write: bool, contact: str, max_requests: int, today,
                     report_file: pathlib.Path | None, record_dir: pathlib.Path | None) -> None:
    """Ask arXiv and Europe PMC for works in the survey's scope since the last run; print the new candidates.

    The queries and the last run's day are in catalog/discover.yaml. A work the catalog holds (arXiv
    id, DOI or title) or that catalog/triage.yaml rejects is not proposed; with --write, the new
    candidates are added to catalog/triage.yaml as pending, for a person to keep or reject.
    """
    import datetime

    from . import discover, fetch
    from .progress import Progress

    try:
        setup = discover.read_setup(catalog_dir)
    except CatalogInvalid as exc:
        click.echo(exc.report(), err=True)
        click.echo(f"error: {exc.counted}; fix it first (`slmsurvey validate`)", err=True)
        sys.exit(1)
    except SurveyError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    until = (today or datetime.datetime.now()).date()
    start = since.date() if since else setup.since
    if start > until:
        click.echo(f"error: the first day asked about, {start}, is after today, {until}", err=True)
        sys.exit(1)
    if record_dir:
        _or_exit(lambda: fetch.start_recording(record_dir))
    client = fetch.Client(contact=contact, max_requests=max_requests, record=record_dir)
    try:
        found = discover.search(setup, start, until, client, Progress("discover", len(setup.queries), "queries"))
    except fetch.Offline as exc:
        click.echo(f"offline: {exc}; nothing was written", err=True)
        sys.exit(2)
    except SurveyError as exc:
        click.echo(f"error: {exc}; nothing was written", err=True)
        sys.exit(1)
    finally:
        if record_dir:
            _or_exit(lambda: fetch.finish_recording(record_dir, client.asked, "discover"))
    result = discover.sort_out(found, setup, start, until)
    for candidate in result.candidates:
        click.echo(candidate.line())
    written = _or_exit(lambda: discover.write(catalog_dir, result)) if write else []
    for path in written:
        click.echo(f"wrote {path}")
    dropped = f", {result.dropped_text()}" if result.dropped else ""
    click.echo(f"{len(result.candidates)} new candidate(s) among {result.answers} work(s) found from {start} to "
               f"{until} ({client.requests} requests){dropped}"
               + ("" if write or not result.candidates else "; run with --write to list them in the triage file"))
    if report_file:
        report_file.write_text(discover.markdown_report(result, write), encoding="utf-8")


if __name__ == "__main__":
    main()
