"""A built site served as GitHub Pages serves it, on a thread: under its site_url path, gzipped.

The benchmark's measurements (Lighthouse, the first search) and the tests' browser, link and page
checks read the site through it. Lighthouse against an uncompressed `python -m http.server` measures
a host nobody reads the site on; GitHub Pages, where the site is deployed, gzips HTML, CSS,
JavaScript, JSON, XML and SVG and sends `Cache-Control: max-age=600`.

`running` is the thread and the port alone, for a handler of one's own (the tests' stand-ins for
arXiv, Crossref and the links they check).
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import pathlib
import threading
import urllib.parse
from collections.abc import Callable, Iterator

COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".csl", ".bib", ".ris", ".txt")


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    compress = True
    gzipped: dict[tuple[pathlib.Path, int | None], bytes]

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        url_path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if not url_path.startswith(self.prefix):
            return self._send(404, self._not_found(), "text/html")
        path = pathlib.Path(self.directory, url_path[len(self.prefix):])
        if path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = path / "index.html"
        if not path.is_file() or not path.resolve().is_relative_to(pathlib.Path(self.directory).resolve()):
            return self._send(404, self._not_found(), "text/html")
        return self._send(200, path, self.guess_type(str(path)))

    def _not_found(self) -> pathlib.Path:
        return pathlib.Path(self.directory, "404.html")

    def _send(self, status: int, path: pathlib.Path, content_type: str):
        data = path.read_bytes() if path.is_file() else b"not found"
        self.send_response(status)
        if self.compress and path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            version = (path, path.stat().st_mtime_ns) if path.is_file() else (path, None)  # a site built again
            if version not in self.gzipped:
                self.gzipped[version] = gzip.compress(data, compresslevel=6, mtime=0)
            data = self.gzipped[version]
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(data)


@contextlib.contextmanager
def running(handler: Callable[..., http.server.BaseHTTPRequestHandler], port: int = 0) -> Iterator[str]:
    """Answer HTTP on 127.0.0.1:PORT (a free port by default) with `handler`, from a thread; yields
    http://127.0.0.1:PORT. Stopping takes at most a twentieth of a second (serve_forever's poll)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serving(site: pathlib.Path, prefix: str = "/survey/", port: int = 0, compress: bool = True) -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:PORT{prefix} from a thread; yields that base URL."""
    handler = type("Handler", (_Handler,), {"prefix": prefix, "gzipped": {}, "compress": compress})
    with running(functools.partial(handler, directory=str(site)), port) as origin:
        yield origin + prefix
