"""The measured phases, each run in a fresh process so that its peak memory is its own.

    validate   load + validate
    render     load + validate + render_site (nothing written)
    build      `mkdocs build --strict`, timed inside: our generator (the pre_build hook), Python-Markdown
               (Page.render), the theme (rendering main.html and writing each page), search (the
               search plugin's per-page indexing and its post_build; for us handing each page to
               Pagefind in post_page, and waiting for its index in post_build)
    profile    cProfile of the generator as the hook runs it

Peak memory is `ru_maxrss` of RUSAGE_CHILDREN, read by a small wrapper process whose only child is the
phase: `python -m slmbench.phases _measure python -m slmbench.phases PHASE PROJECT`; so is the CPU time
of the phase and every process it started (forked renderers, Pagefind), which a busy shared host
stretches less than wall time.
"""
from __future__ import annotations

import collections
import json
import os
import pathlib
import re
import subprocess
import sys
import time
from typing import Any

from slmsandbox.project import SOURCE_DATE_EPOCH

from . import ROOT

RESULT_MARK = "BENCHMARK-RESULT "


def _site_settings(project: pathlib.Path) -> dict:
    from mkdocs.config import load_config

    from slmsurvey.engines.run import site_settings

    return site_settings(load_config(str(project / "mkdocs.yml")))


def validate_phase(project: pathlib.Path, render: bool = False) -> dict[str, Any]:
    from slmsurvey.catalog.load import load_catalog
    from slmsurvey.catalog.validate import validate
    from slmsurvey.site.render import render_site

    site = _site_settings(project) if render else {}
    started = time.perf_counter()
    loaded = load_catalog(project / "catalog")
    loaded_at = time.perf_counter()
    catalog = validate(loaded)
    validated_at = time.perf_counter()
    result = {"entries": len(catalog.entries), "load": loaded_at - started, "validate": validated_at - loaded_at,
              "seconds": validated_at - started}
    if render:
        files = render_site(catalog, site, project / "templates")
        finished = time.perf_counter()
        result.update(render=finished - validated_at, seconds=finished - started, files=len(files),
                      bytes=sum(len(text.encode("utf-8")) for text in files.values()))
    return result


def build_phase(project: pathlib.Path) -> dict[str, Any]:
    """`mkdocs build --strict` of `project`, with the time of each part of it."""
    import mkdocs.commands.build as build_module
    import mkdocs.plugins
    import mkdocs.structure.pages
    from mkdocs.__main__ import cli

    import slmsurvey.engines.hook

    spent: dict[str, float] = collections.defaultdict(float)

    def timed(owner, name: str, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label(args, kwargs) if callable(label) else label] += time.perf_counter() - started
        setattr(owner, name, wrapper)

    timed(mkdocs.plugins.PluginCollection, "run_event", lambda args, kwargs: "event:" + args[1])
    timed(slmsurvey.engines.hook, "write_site_files", "site files")  # the generator's, in post_build
    timed(mkdocs.structure.pages.Page, "render", "markdown")
    timed(build_module, "_build_page", "pages")
    started = time.perf_counter()
    try:
        cli.main(["build", "--strict", "--quiet", "--config-file", str(project / "mkdocs.yml"),
                  "--site-dir", str(project / "site")], prog_name="mkdocs", standalone_mode=False)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops
        return {"error": f"{type(exc).__name__}: {exc}"}
    seconds = time.perf_counter() - started
    search = spent["event:page_context"] + spent["event:post_page"] + spent["event:post_build"] - spent["site files"]
    theme = spent["pages"] - spent["event:page_context"] - spent["event:post_page"]
    parts = {"generator": spent["event:pre_build"] + spent["site files"], "markdown": spent["markdown"],
             "theme": theme, "search": search}
    parts["other"] = seconds - sum(parts.values())
    return {"seconds": seconds, **parts}


def profile_phase(project: pathlib.Path) -> dict[str, Any]:
    """cProfile of the generator as the hook runs it: load + validate + render + write, cold docs/."""
    import cProfile
    import io
    import pstats

    from slmsurvey.build import generate
    from slmsurvey.locations import Paths

    site = _site_settings(project)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    generate(Paths.of(project), site)
    profiler.disable()
    seconds = time.perf_counter() - started
    profiler.dump_stats(str(project / "generator.prof"))
    reports = {}
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(25)
        reports[order] = _shorten_paths(stream.getvalue())
    return {"seconds": seconds, **reports, "stats_file": str(project / "generator.prof")}


def _shorten_paths(text: str) -> str:
    text = text.replace(str(ROOT) + "/", "")
    return re.sub(r"\S*/site-packages/", "", re.sub(r"\S*/lib/python3\.\d+/", "", text))


def validate_again_phase(project: pathlib.Path) -> dict[str, Any]:
    """`slmsurvey validate` run again, as a contributor does: what the last run kept in the user's cache
    (slmsurvey.cache) read back, every file's signature compared, the cross-entry checks run."""
    from slmsurvey.build import read_catalog
    from slmsurvey.cache import kept_between_runs

    started = time.perf_counter()
    with kept_between_runs(project / "catalog") as memory:
        catalog = read_catalog(project / "catalog", memory)
    return {"entries": len(catalog.entries), "seconds": time.perf_counter() - started}


PHASES = {"validate": validate_phase, "validate-again": validate_again_phase,
          "render": lambda project: validate_phase(project, render=True),
          "build": build_phase, "profile": profile_phase}


def measure(arguments: list[str]) -> None:
    """Wrapper process: run one phase as its only child; report its wall time and peak memory."""
    import resource

    started = time.perf_counter()
    completed = subprocess.run(arguments, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the phase and every process it started
    peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # kilobytes on Linux; seconds
    print(json.dumps({"wall": wall, "peak_kb": peak_kb, "cpu": cpu, "returncode": completed.returncode,
                      "stdout": completed.stdout, "stderr": completed.stderr}))


def run_phase(name: str, project: pathlib.Path) -> dict[str, Any]:
    """Run phase `name` on `project` in a fresh process under the measuring wrapper; its figures."""
    child = [sys.executable, "-m", "slmbench.phases", name, str(project)]
    wrapper = [sys.executable, "-m", "slmbench.phases", "_measure", *child]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": "0"}
    # Flush what earlier phases wrote: the kernel throttles a writer while much is left to write
    # back, and a build of 10,000 works writes 700 MB, which would slow whichever phase came next.
    os.sync()
    completed = subprocess.run(wrapper, capture_output=True, text=True, cwd=project, env=env)
    if completed.returncode != 0:
        raise RuntimeError(f"the measuring wrapper failed:\n{completed.stderr[-4000:]}")
    outer = json.loads(completed.stdout.strip().splitlines()[-1])
    marked = [line for line in outer["stdout"].splitlines() if line.startswith(RESULT_MARK)]
    if outer["returncode"] != 0 or not marked:
        raise RuntimeError(f"phase {name!r} failed (exit {outer['returncode']}):\n"
                           f"{outer['stderr'][-4000:]}{outer['stdout'][-2000:]}")
    result = json.loads(marked[-1][len(RESULT_MARK):])
    if "error" in result:
        raise RuntimeError(f"phase {name!r} failed: {result['error']}\n{outer['stderr'][-4000:]}")
    result.update(wall=outer["wall"], peak_kb=outer["peak_kb"], cpu=outer["cpu"])
    return result


if __name__ == "__main__":
    if sys.argv[1] == "_measure":
        measure(sys.argv[2:])
    else:
        print(RESULT_MARK + json.dumps(PHASES[sys.argv[1]](pathlib.Path(sys.argv[2]))), flush=True)
