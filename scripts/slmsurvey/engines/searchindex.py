"""The site's search index: Pagefind, written to site/pagefind/.

Pagefind splits the index into fragments that a reader's browser downloads only when it searches,
and only those a query needs; Material's own search downloads the whole index (43 MB at 10,000
works) on every page load. Pages are indexed where main.html marks `data-pagefind-body`, which it
leaves out on pages whose front matter says `search: exclude: true` (the long listings); pages
without the mark are not sent, as Pagefind would skip them.

Pagefind runs as a service (`pagefind --service`) beside the build: the hook hands it each page as
MkDocs finishes it, so Pagefind indexes on the machine's other core while MkDocs renders the rest, and
the end of the build only waits for the index files to be written. The service reads and answers
base64-encoded JSON messages, each ended by a comma. Its own Python client (`pagefind.service`)
reads one answer per tenth of a second, 17 minutes for 10,000 pages, so this module speaks the
protocol itself: one thread writes the requests (MkDocs' own), one reads the answers.
"""
from __future__ import annotations

import base64
import json
import pathlib
import shutil
import subprocess
import threading

from slmsurvey.problems import SurveyError
from slmsurvey.write import inside

FOLDER = "pagefind"
BODY = "data-pagefind-body"
# Not words of the page: heading permalinks (¶) and Material's edit/view buttons. Nor are tables,
# code (an entry's BibTeX) and the references' data: a result's excerpt is the text around the words
# found, and from a table it ran cells together ("NameKindParameters / sizeBase model"). What readers
# search a work by is in its page's prose too: title, authors, venue, summary and what it releases.
IGNORED = (".headerlink", ".md-content__button", "table", "pre", ".highlight", ".survey-refs")
CONFIG = {"force_language": "en", "exclude_selectors": list(IGNORED)}


class SearchIndex:
    """One Pagefind index, fed page by page: `add` each built page, then `write` the index once."""

    def __init__(self) -> None:
        import pagefind_bin

        try:
            self._process = subprocess.Popen([str(pagefind_bin.get_executable()), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            raise SurveyError(f"search index: cannot start pagefind ({exc})") from None
        self._awaited: set[int] = set()  # the requests whose answers `_ask` waits for
        self._answers: dict[int, dict] = {}
        self._errors: list[str] = []  # what went wrong with requests nobody waits for (AddFile)
        self._unread = b""
        self._arrived = threading.Condition()
        self._sent = 0
        self._reader = threading.Thread(target=self._read_answers, name="pagefind-answers", daemon=True)
        self._reader.start()
        self._index = self._ask({"type": "NewIndex", "config": CONFIG})["index_id"]

    def add(self, html: str, path: str) -> None:
        """Index a built page, `path` being its file in the site ('entries/x/index.html')."""
        if BODY in html:
            self._send({"type": "AddFile", "index_id": self._index, "file_path": path, "url": None,
                        "file_contents": html})

    def write(self, site: pathlib.Path) -> None:
        """Write the index into site/FOLDER (replacing what was there) once every page sent is
        indexed, and stop the service; SurveyError with Pagefind's own words if it failed on any page.

        Pagefind hands the files over in its answer, and they are written here. Its own WriteFiles
        answers while its last writes are still under way, and stopping the service then leaves
        files cut short, one build in several (Pagefind/pagefind#1271; fixed after 1.5.2, the
        latest release)."""
        try:
            files = self._ask({"type": "GetFiles", "index_id": self._index})["files"]
            if self._errors:
                raise SurveyError("search index: pagefind failed: " + "; ".join(self._errors[:5]))
        finally:
            self.close()
        folder = (site / FOLDER).resolve()
        try:
            shutil.rmtree(folder, ignore_errors=True)
            for file in files:
                path = inside(folder, file["path"])
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(base64.b64decode(file["content"]))
        except ValueError as exc:
            raise SurveyError(f"search index: pagefind named a file outside {FOLDER}/ ({exc})") from None
        except OSError as exc:
            raise SurveyError(f"search index: cannot write {exc.filename}: {exc.strerror}") from None

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._reader.join(timeout=30)

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8")
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
        except (BrokenPipeError, ValueError):
            raise SurveyError(f"search index: pagefind stopped{self._last_words()}") from None
        return self._sent

    def _ask(self, payload: dict) -> dict:
        """Send a request and wait for its answer (answers come in order, so every request before it
        has been answered too)."""
        self._awaited.add(self._sent + 1)  # before the answer can arrive
        number = self._send(payload)
        self._process.stdin.flush()
        with self._arrived:
            self._arrived.wait_for(lambda: number in self._answers or not self._reader.is_alive())
        answer = self._answers.pop(number, None)
        if answer is None:
            raise SurveyError(f"search index: pagefind stopped{self._last_words()}")
        if answer.get("type") == "Error":
            raise SurveyError(f"search index: pagefind failed: {answer.get('message')}")
        return answer

    def _read_answers(self) -> None:
        pending = b""
        while chunk := self._process.stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for message in messages:
                self._receive(message)
        self._unread = pending
        with self._arrived:
            self._arrived.notify_all()

    def _receive(self, message: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(message))
        except ValueError:  # not a message: something the binary printed
            self._errors.append(message.decode("utf-8", "replace").strip())
            return
        number, payload = answer.get("message_id"), answer.get("payload") or {}
        with self._arrived:
            if number in self._awaited:
                self._answers[number] = payload
                self._arrived.notify_all()
            elif payload.get("type") == "Error":
                self._errors.append(str(payload.get("message")))

    def _last_words(self) -> str:
        words = self._unread.decode("utf-8", "replace").strip()
        return f": {words}" if words else ""
