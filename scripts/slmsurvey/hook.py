"""MkDocs hook: render the catalog into docs/ before every build (and every `mkdocs serve` reload).

As thin as a MkDocs event handler: it only adapts MkDocs' config to `build.generate`.
"""
from __future__ import annotations

import logging
import pathlib

from mkdocs.exceptions import Abort

from .build import generate
from .problems import CatalogInvalid, SurveyError
from .searchindex import index_site

log = logging.getLogger("mkdocs.hooks.slmsurvey")


def site_settings(config) -> dict:
    return {
        "url": config.site_url or "",
        "repo_url": (config.repo_url or "").rstrip("/"),
        "edit_uri": config.extra.get("source_edit_uri", "edit/main/"),
    }


def on_pre_build(config) -> None:
    root = pathlib.Path(config.config_file_path).resolve().parent
    try:
        changes = generate(root / "catalog", pathlib.Path(config.docs_dir), site_settings(config),
                           root / "templates")
    except CatalogInvalid as exc:
        for problem in exc.problems:
            log.error(str(problem))
        raise Abort(str(exc)) from None
    log.info("Catalog rendered: %(total)d files, %(written)d written, %(pruned)d pruned", changes)


def on_post_build(config) -> None:
    try:
        index_site(pathlib.Path(config.site_dir))
    except SurveyError as exc:
        raise Abort(str(exc)) from None
