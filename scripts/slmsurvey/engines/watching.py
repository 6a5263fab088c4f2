"""The preview's file watcher: folders are watched through the operating system's change
notifications, single files by polling, as MkDocs does.

MkDocs' `LiveReloadServer` polls every watched path twice a second. With 10,000 works in catalog/,
each poll lists and stats 10,000 files (45 ms, most of it holding the interpreter lock while a build
runs), and an edit waits a quarter of a second on average before it is seen. A notification is
immediate and costs nothing between edits. Single files (mkdocs.yml, the hand-written pages) are
still polled: an editor that saves by renaming a new file over the old one would leave a
notification watch on a file that no longer exists.
"""
from __future__ import annotations

import logging
import os

from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.hooks.slmsurvey")

# Only changes: the notification watchers also report files being opened and read, which the
# generator does to every catalog file, and every event starts a rebuild.
CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]


class FoldersNotified:
    """Stands in for `LiveReloadServer.observer`: `schedule` sends a folder to the platform's
    notification observer and anything else, or a folder that cannot be watched that way, to the
    server's polling observer."""

    def __init__(self, polling):
        self.polling = polling
        self.notified = Observer()
        # Started now, so that a watch that cannot be set up (inotify's limits, a file system
        # without notifications) fails in `schedule`, where it can fall back, and not in a thread.
        self.notified.start()

    def schedule(self, handler, path, *, recursive: bool = False):
        if os.path.isdir(path):
            try:
                return self.notified, self.notified.schedule(handler, path, recursive=recursive,
                                                             event_filter=CHANGES)
            except OSError as error:
                log.info("Watching %s by polling: %s", path, error)
        return self.polling, self.polling.schedule(handler, path, recursive=recursive)

    def unschedule(self, watch) -> None:
        observer, watch = watch if isinstance(watch, tuple) else (self.polling, watch)
        observer.unschedule(watch)

    def start(self) -> None:
        self.polling.start()

    def stop(self) -> None:
        self.notified.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        self.notified.join(timeout)
        if self.polling.is_alive():
            self.polling.join(timeout)
