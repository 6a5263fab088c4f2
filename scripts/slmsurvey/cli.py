"""The command line, `slmsurvey <command>`: the one way in, for people, the Makefile and the workflows.

Thin: each command maps its options onto one library call and prints what comes back. The library
raises a `SurveyError` and never ends the process; `reported` turns the error into one line on stderr
(after the catalog's problems, one a line) and the exit code, the same for every command:

    0  done
    1  a problem: the catalog or an input is wrong, a check failed (a dead link; README.md or
       CONTRIBUTING.md out of date under --check), nothing could be written
    2  offline: a service (arXiv, Crossref, Europe PMC) could not be reached at all; click's own
       usage errors (an unknown option) also exit 2
"""
from __future__ import annotations

import contextlib
import datetime
import logging
import os
import pathlib
import sys
import time
from collections.abc import Iterator
from typing import NoReturn

import click

from slmsurvey.build import read_catalog
from slmsurvey.cache import kept_between_runs
from slmsurvey.contribute import fetch
from slmsurvey.engines.run import ENGINES
from slmsurvey.locations import Paths
from slmsurvey.problems import CatalogInvalid, SurveyError

EXIT_PROBLEM = 1
EXIT_OFFLINE = 2


def fail(error: SurveyError, then: str = "") -> NoReturn:
    """Say what went wrong in one line on stderr, and exit with its code (the table above).

    `then` follows the message of a catalog with problems or of a service that did not answer: what
    the command left undone ('nothing was written') or what to do first. Other errors are a mistake
    in what was asked, and their message says it all.
    """
    if isinstance(error, CatalogInvalid):
        click.echo(error.report(), err=True)
    message = error.counted if isinstance(error, CatalogInvalid) else str(error)
    if then and isinstance(error, (CatalogInvalid, fetch.FetchError)):
        message += f"; {then}"
    offline = isinstance(error, fetch.Offline)
    click.echo(f"{'offline' if offline else 'error'}: {message}", err=True)
    sys.exit(EXIT_OFFLINE if offline else EXIT_PROBLEM)


@contextlib.contextmanager
def reported(then: str = "") -> Iterator[None]:
    """Run the block; a project error raised in it ends the command through `fail`."""
    try:
        yield
    except SurveyError as error:
        fail(error, then)


def project_paths() -> Paths:
    """The project around the current folder (the nearest mkdocs.yml up from it)."""
    with reported():
        return Paths.find()


def _catalog_or_project(context, option, value: pathlib.Path | None) -> pathlib.Path:
    return value or project_paths().catalog


def _root_or_project(context, option, value: pathlib.Path | None) -> Paths:
    return Paths.of(value) if value else project_paths()


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


_CATALOG_OPTION = click.option("--catalog", "catalog_dir", type=click.Path(file_okay=False, path_type=pathlib.Path),
                               callback=_catalog_or_project, help="Catalog folder  [default: the project's]")
_ROOT_OPTION = click.option("--root", "paths", type=click.Path(file_okay=False, path_type=pathlib.Path),
                            callback=_root_or_project,
                            help="Project folder holding mkdocs.yml and catalog/  [default: the nearest up from here]")


@click.group()
def main() -> None:
    """Build the 'Small Language Models in Healthcare' survey site from catalog/.

    Exit status: 0 done, 1 a problem (said on stderr), 2 offline (a service could not be reached).
    """


# Building the site ------------------------------------------------------------------------------

@main.command("validate")
@click.option("--catalog", "catalog_dir", type=click.Path(file_okay=False, path_type=pathlib.Path),
              callback=_catalog_or_project,
              help="Catalog folder, checked against its own schema/  [default: the project's]")
def validate_command(catalog_dir: pathlib.Path) -> None:
    """Check every catalog file; print one line per problem."""
    started = time.perf_counter()
    with reported(), kept_between_runs(catalog_dir) as memory:
        catalog = read_catalog(catalog_dir, memory)
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
    from slmsurvey.engines.run import build_site

    paths = Paths.of(config_file.parent) if config_file else project_paths()
    site_dir = (site_dir or paths.root / "site").resolve()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    started = time.perf_counter()
    with reported(then="nothing was written"):
        build_site(paths, site_dir, engine, config_file)
    click.echo(f"site built in {site_dir} ({time.perf_counter() - started:.1f} s)")


# Generated parts of README.md and CONTRIBUTING.md (`make readme`) --------------------------------

@main.command("readme")
@_ROOT_OPTION
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if the list is out of date.")
def readme_command(paths: Paths, check: bool) -> None:
    """Regenerate the list of works in README.md from catalog/."""
    from slmsurvey.maintain import readme

    with reported(then="nothing was written"):
        click.echo(readme.update(paths, check))


@main.command("field-reference")
@_ROOT_OPTION
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if the reference is out of date.")
def field_reference_command(paths: Paths, check: bool) -> None:
    """Regenerate the field reference in CONTRIBUTING.md from the JSON Schema and the taxonomy."""
    from slmsurvey.maintain import schemadoc

    with reported():
        click.echo(schemadoc.update(paths, check))


# Contributor commands (issue 6; import: issue 4) ------------------------------------------------

@main.command("new")
@click.argument("identifiers", nargs=-1, required=True, metavar="ARXIV_ID_OR_DOI...")
@_CATALOG_OPTION
def new_command(identifiers: tuple[str, ...], catalog_dir: pathlib.Path) -> None:
    """Start catalog/entries/<key>.yaml from an arXiv id or a DOI (or several), then validate it.

    Fills what the arXiv API or Crossref knows; offline it writes a skeleton. A .bib file is
    `slmsurvey import-bib`'s.
    """
    from slmsurvey.contribute.newentry import start_entries

    with reported():
        _print_outcome(start_entries(identifiers, catalog_dir))


@main.command("import-bib")
@click.argument("bib_file", type=click.Path(dir_okay=False, exists=True, path_type=pathlib.Path))
@_CATALOG_OPTION
def import_bib_command(bib_file: pathlib.Path, catalog_dir: pathlib.Path) -> None:
    """Write catalog entries from a .bib file; refuse works whose DOI or arXiv id is already in."""
    from slmsurvey.contribute.importbib import import_bib

    with reported():
        _print_outcome(import_bib(bib_file, catalog_dir))


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
        sys.exit(EXIT_PROBLEM)


# Keeping the catalog true (issue 13) ------------------------------------------------------------

def _services_options(command: str):
    """--contact, --max-requests, --today and --record, which `refresh` and `discover` share."""
    options = [
        click.option("--contact", envvar="SLMSURVEY_CONTACT", default="", metavar="EMAIL",
                     help="Contact address for the User-Agent, as Crossref asks [env SLMSURVEY_CONTACT]."),
        click.option("--max-requests", default=1000, show_default=True, help="Stop asking after this many requests."),
        click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
                     help="The run's day (tests)."),
        click.option("--record", "record_dir", type=click.Path(file_okay=False, path_type=pathlib.Path),
                     default=None, help="Save every answer in this new folder, to replay the run offline "
                                        f"(SLMSURVEY_RECORDED=FOLDER slmsurvey {command})."),
    ]

    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


def _client(contact: str, max_requests: int, record_dir: pathlib.Path | None) -> fetch.Client:
    return fetch.Client(contact=contact, max_requests=max_requests, record=record_dir)


def _report_option(what: str):
    return click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=pathlib.Path),
                        default=None, help=f"Also write the {what} as Markdown (a pull request's description).")


@main.command("refresh")
@_CATALOG_OPTION
@click.option("--write", is_flag=True, help="Edit the entry files with what the services state with certainty.")
@click.option("--only", "keys", multiple=True, metavar="KEY", help="Check only this entry (repeatable).")
@_services_options("refresh")
@_report_option("findings")
def refresh_command(catalog_dir: pathlib.Path, write: bool, keys: tuple[str, ...], contact: str,
                    max_requests: int, today, record_dir: pathlib.Path | None,
                    report_file: pathlib.Path | None) -> None:
    """Ask arXiv and Crossref about every work; print one line per difference, with its source.

    Reports versions of record the catalog lacks, changed titles and author lists, new DOIs,
    retractions and other notices, and differences in year, volume, issue or pages. With --write,
    the findings the services state with certainty are written into the entry files (old values
    recorded under `updates`, the evidence under `sources`); near matches are only reported.
    """
    from slmsurvey.contribute import refresh

    if not contact and not os.environ.get(fetch.RECORDED_ENV):
        click.echo("note: no contact address (--contact or SLMSURVEY_CONTACT); Crossref asks for one", err=True)
    with reported(then="nothing was checked"):
        outcome = refresh.run(catalog_dir, _client(contact, max_requests, record_dir), keys, write, _day(today))
    for finding in outcome.report.findings:
        click.echo(finding.line())
    for line in outcome.report.errors:
        click.echo(line, err=True)
    if outcome.refused:
        fail(outcome.refused)
    _conclude(outcome, report_file)


def _conclude(outcome, report_file: pathlib.Path | None) -> None:
    """How refresh and discover end: the files written, the summary, and the report for a pull request."""
    for path in outcome.written or ():
        click.echo(f"wrote {path}")
    click.echo(outcome.summary())
    if report_file:
        report_file.write_text(outcome.markdown(), encoding="utf-8")


# Finding new works (issue 14) --------------------------------------------------------------------

@main.command("discover")
@_CATALOG_OPTION
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Ask for works from this day  [default: `since` in catalog/discover.yaml, the last run's day]")
@click.option("--write", is_flag=True, help="Move `since` to today and list the new candidates in "
                                            "catalog/triage.yaml as pending.")
@_services_options("discover")
@_report_option("candidates")
def discover_command(catalog_dir: pathlib.Path, since, write: bool, contact: str, max_requests: int, today,
                     record_dir: pathlib.Path | None, report_file: pathlib.Path | None) -> None:
    """Ask arXiv and Europe PMC for works in the survey's scope since the last run; print the new candidates.

    The queries and the last run's day are in catalog/discover.yaml. A work the catalog holds (arXiv
    id, DOI or title) or that catalog/triage.yaml rejects is not proposed; with --write, the new
    candidates are added to catalog/triage.yaml as pending, for a person to keep or reject.
    """
    from slmsurvey.contribute import discover

    with reported(then="fix it first (`slmsurvey validate`)"):
        setup = discover.read_setup(catalog_dir)
    with reported(then="nothing was written"):
        outcome = discover.run(catalog_dir, setup, _client(contact, max_requests, record_dir), _day(since),
                               _day(today), write)
    for candidate in outcome.discovery.candidates:
        click.echo(candidate.line())
    _conclude(outcome, report_file)


# Maintenance (issue 9) ---------------------------------------------------------------------------

@main.command("linkcheck")
@_CATALOG_OPTION
@click.option("--report", type=click.Path(dir_okay=False, path_type=pathlib.Path), default=None,
              help="Write the Markdown report of dead links here (only when there are some).")
@click.option("--recorded", "recorded_file", default=None,
              type=click.Path(dir_okay=False, exists=True, path_type=pathlib.Path),
              help="Answer from a JSON file of recorded answers instead of the network.")
@click.option("--workers", type=click.IntRange(1, 32), default=8, show_default=True)
def linkcheck_command(catalog_dir: pathlib.Path, report: pathlib.Path | None, recorded_file: pathlib.Path | None,
                      workers: int) -> None:
    """Check every external link of the catalog; exit 1 if one is confirmed dead (404 or 410)."""
    from slmsurvey.maintain import linkcheck

    with reported():
        check = linkcheck.run(catalog_dir, recorded_file, workers)
    for line in check.dead_lines():
        click.echo(line)
    click.echo(check.summary())
    if check.dead:
        if report:
            report.write_text(check.markdown(), encoding="utf-8")
        sys.exit(EXIT_PROBLEM)
