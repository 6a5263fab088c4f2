"""What a built site weighs: pages, the largest ones, /browse/ gzipped, the search index."""
from __future__ import annotations

import gzip
import pathlib
from typing import Any

PAGE_LIMIT = 300_000        # bytes of HTML, any page but /browse/ (issue 11)
BROWSE_GZIP_PER_WORK = 600  # bytes


def site_figures(site: pathlib.Path, works: int) -> dict[str, Any]:
    sizes = {p.relative_to(site).as_posix(): p.stat() for p in site.rglob("*") if p.is_file()}
    pages = {path: stat.st_size for path, stat in sizes.items() if path.endswith(".html")}
    limited = {path: size for path, size in pages.items() if path != "browse/index.html"}
    over = sorted((p for p, s in limited.items() if s > PAGE_LIMIT), key=lambda p: -limited[p])
    browse = site / "browse" / "index.html"
    browse_gzip = len(gzip.compress(browse.read_bytes(), compresslevel=6, mtime=0)) if browse.is_file() else None
    material_index = sizes.get("search/search_index.json")
    pagefind = [stat.st_size for path, stat in sizes.items() if path.startswith("pagefind/")]
    return {
        "files": len(sizes),
        "bytes": sum(stat.st_size for stat in sizes.values()),
        "pages": len(pages),
        "largest_page": _largest(pages),
        "largest_limited": _largest(limited),
        "pages_over_limit": len(over),
        "examples_over_limit": [(_url(p), limited[p]) for p in over[:5]],
        "browse_bytes": pages.get("browse/index.html"),
        "browse_gzip": browse_gzip,
        "browse_gzip_per_work": browse_gzip / works if browse_gzip is not None else None,
        "search_index_bytes": material_index.st_size if material_index else None,
        "pagefind_bytes": sum(pagefind) if pagefind else None,
        "pagefind_files": len(pagefind),
    }


def _largest(pages: dict[str, int]) -> tuple[str, int]:
    path, size = max(pages.items(), key=lambda item: item[1], default=("", 0))
    return _url(path), size


def _url(path: str) -> str:
    return "/" + path.removesuffix("index.html") if path else ""
