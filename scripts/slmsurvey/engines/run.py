"""The engines that turn docs/ into the site: MkDocs with Material (the default), and Zensical,
Material's announced successor (Material reaches its end of life on 2027-05-05).

Both build from the same mkdocs.yml and the same generated docs/. What differs:
- MkDocs runs our hook (`hook.py`), which renders the catalog before each build and indexes the
  built site with Pagefind after it. Zensical runs no MkDocs hooks, so `build_with_zensical` renders
  the catalog itself and leaves search to Zensical's own.
- The theme overrides that put Pagefind into Material's search dialog, and the one that renders the
  navigation once for many pages with the hook's help (MKDOCS_ONLY), are left out for Zensical, whose
  header, search and navigation are its own; every other override serves both.
- Zensical reads no `!relative` tag (PyYAML's MkDocs extension): the config it reads is mkdocs.yml
  with that tag written out as the project's folder, `!!python/name:` as the dotted name and the hook
  left out, in a temporary file beside mkdocs.yml (Zensical wants docs/ and the site inside the config
  file's folder).
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from typing import Any

import yaml

from slmsurvey.build import generate, read_catalog, write_site_files
from slmsurvey.engines import sitefolder
from slmsurvey.locations import Paths
from slmsurvey.problems import SurveyError

ENGINES = ("mkdocs", "zensical")
MKDOCS_ONLY = ("partials/header.html", "partials/search.html", "partials/nav.html")


def build_site(paths: Paths, site_dir: pathlib.Path, engine: str = "mkdocs",
               config_file: pathlib.Path | None = None) -> None:
    """Check the catalog, then build the site with `engine` (`mkdocs build --strict` by default) in a
    staging folder that replaces `site_dir` only when the build succeeded, so an existing site is
    never left half-written. Raises CatalogInvalid (nothing was built), or SurveyError in the engine's
    words or saying what could not be written."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    sitefolder.recover(site_dir)  # first: a swap killed half-way left the old site aside
    read_catalog(paths.catalog)
    staging = sitefolder.staging_folder(site_dir)
    try:
        if engine == "zensical":
            build_with_zensical(paths, staging)
        else:
            build(load_config(str(config_file or paths.config), site_dir=str(staging), strict=True))
        sitefolder.swap_in(staging, site_dir)
    except MkDocsException as exc:
        raise SurveyError(str(exc)) from None
    except OSError as exc:
        raise SurveyError(f"could not write the site ({exc.strerror}: {exc.filename}); {site_dir} was left as "
                          "it was") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_config(path: pathlib.Path, relative: str | None = None) -> dict[str, Any]:
    """mkdocs.yml as plain data. Its `!relative` tags read as `relative` (a folder), other tags as None,
    and a `!!python/name:` as the dotted name, the form Zensical's config takes (SuperFences' formatter)."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: relative if suffix == "relative" else None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=Loader) or {}


def site_settings(config: Mapping[str, Any]) -> dict[str, str]:
    """What the templates need to know of the site, from mkdocs.yml (or MkDocs' config)."""
    return {
        "url": config.get("site_url") or "",
        "repo_url": (config.get("repo_url") or "").rstrip("/"),
        "edit_uri": (config.get("extra") or {}).get("source_edit_uri", "edit/main/"),
    }


def build_with_zensical(paths: Paths, site_dir: pathlib.Path) -> None:
    """Render the catalog into docs/ and build the site into `site_dir` (inside the project) with
    Zensical, strictly; raise SurveyError with Zensical's own words when it fails."""
    config = read_config(paths.config, relative=str(paths.root))
    generated = generate(paths, site_settings(config))
    config.pop("hooks", None)
    with tempfile.TemporaryDirectory(prefix="slmsurvey-zensical-") as scratch:
        overrides = pathlib.Path(scratch) / "overrides"
        theme = dict(config.get("theme") or {})
        if theme.get("custom_dir"):
            shutil.copytree(paths.root / theme["custom_dir"], overrides)
            for name in MKDOCS_ONLY:
                (overrides / name).unlink(missing_ok=True)
            theme["custom_dir"] = str(overrides)
        config.update(theme=theme, site_dir=str(site_dir.resolve()))
        handle, written = tempfile.mkstemp(dir=paths.root, prefix=".zensical-", suffix=".yml")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                yaml.safe_dump(config, stream, sort_keys=False, allow_unicode=True)
            result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", written],
                                    cwd=paths.root, capture_output=True, text=True)
        finally:
            pathlib.Path(written).unlink(missing_ok=True)
    if result.returncode != 0:
        raise SurveyError(f"zensical build failed:\n{(result.stderr or result.stdout).strip()}")
    write_site_files(generated, site_dir)
