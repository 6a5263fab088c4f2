"""The preview's watcher (`slmsurvey.engines.watching`): folders are seen through change notifications, at
once and without polling; reading a file is not a change; single files, and folders that cannot be
watched that way, are polled as MkDocs does."""
from __future__ import annotations

import os
import pathlib
import threading
import time

import pytest
from watchdog.events import FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from slmsurvey.engines import watching


class Seen(FileSystemEventHandler):
    def __init__(self):
        self.changed = threading.Event()
        self.paths: list[str] = []

    def on_any_event(self, event):
        if not event.is_directory:
            self.paths += [event.src_path] + ([event.dest_path] if event.dest_path else [])
            self.changed.set()


def watched_entry(folder: pathlib.Path, observer) -> tuple[pathlib.Path, Seen]:
    """An entry file in folder/entries/, and what the observer reports of `folder` from now on."""
    entry = folder / "entries" / "a.yaml"
    entry.parent.mkdir()
    entry.write_text("title: A\n")
    seen = Seen()
    observer.schedule(seen, str(folder), recursive=True)
    return entry, seen


@pytest.fixture
def observer():
    # The polling observer is never started here: whatever is seen was seen by notification.
    observer = watching.FoldersNotified(PollingObserver(timeout=0.5))
    yield observer
    observer.stop()
    observer.join(5)


def test_a_change_in_a_folder_is_seen_by_notification(tmp_path: pathlib.Path, observer):
    entry, seen = watched_entry(tmp_path, observer)
    entry.write_text("title: B\n")
    assert seen.changed.wait(5), "an edit in a watched folder was not seen"
    assert str(entry) in seen.paths


def test_a_save_that_renames_a_new_file_over_the_old_one_is_seen(tmp_path: pathlib.Path, observer):
    entry, seen = watched_entry(tmp_path, observer)
    saved = entry.with_name(".a.yaml.swp")
    saved.write_text("title: B\n")
    os.replace(saved, entry)
    deadline = time.monotonic() + 5
    while str(entry) not in seen.paths and time.monotonic() < deadline:
        time.sleep(0.05)
    assert str(entry) in seen.paths


def test_reading_files_is_not_a_change(tmp_path: pathlib.Path, observer):
    """The generator reads every catalog file, and every event the server hears starts a build."""
    entry, seen = watched_entry(tmp_path, observer)
    for _ in range(3):
        entry.read_text()
    assert not seen.changed.wait(1), f"reading a file was reported as {seen.paths}"


def test_single_files_are_polled_and_every_watch_can_be_removed(tmp_path: pathlib.Path, observer):
    page = tmp_path / "about.md"
    page.write_text("# About\n")
    folder = observer.schedule(Seen(), str(tmp_path), recursive=True)
    file = observer.schedule(Seen(), str(page), recursive=False)
    assert file[0] is observer.polling and folder[0] is observer.notified
    observer.unschedule(folder)
    observer.unschedule(file)
    assert not observer.notified.emitters and not observer.polling.emitters


def test_a_watch_scheduled_before_the_swap_is_removed_from_the_polling_observer(tmp_path: pathlib.Path):
    """MkDocs watches docs/ and mkdocs.yml before the hook's on_serve puts this observer in place."""
    polling = PollingObserver(timeout=0.5)
    earlier = polling.schedule(Seen(), str(tmp_path), recursive=True)
    observer = watching.FoldersNotified(polling)
    try:
        observer.unschedule(earlier)
        assert not polling.emitters
    finally:
        observer.stop()
        observer.join(5)


def test_a_folder_that_cannot_be_watched_by_notification_is_polled(tmp_path: pathlib.Path, monkeypatch, caplog):
    class Refusing:
        def start(self):
            pass

        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watching, "Observer", Refusing)
    polling = PollingObserver(timeout=0.1)
    observer = watching.FoldersNotified(polling)
    seen = Seen()
    with caplog.at_level("INFO", logger="mkdocs.hooks.slmsurvey"):
        watch = observer.schedule(seen, str(tmp_path), recursive=True)
    assert watch[0] is polling
    assert f"Watching {tmp_path} by polling: [Errno 28] inotify watch limit reached" in caplog.text
    polling.start()
    try:
        (tmp_path / "a.yaml").write_text("title: A\n")
        assert seen.changed.wait(5)
    finally:
        polling.stop()
        polling.join(5)
