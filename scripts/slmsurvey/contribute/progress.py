"""How far a long run has come, for the person or the log that waits on it (`refresh`, `discover`).

At a few hundred works and the services' polite pauses (arXiv asks for three seconds between
requests), a run takes minutes. On a terminal one line is rewritten in place: done, total and the
time left. Anywhere else (a CI log, a file) a rewritten line would pile up as noise, so a whole line
is printed every `every` steps or `interval` seconds, whichever comes first. Nothing is printed
before the first step is done, so a run that stops at once says only why.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO


class Progress:
    def __init__(self, what: str, total: int, unit: str = "", stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic, interactive: bool | None = None,
                 every: int = 25, interval: float = 30.0):
        self.what, self.total, self.unit = what, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.interactive = _is_terminal(self.stream) if interactive is None else interactive
        self.every, self.interval = every, interval
        self.done = 0
        self.started = clock()
        self._printed_at = self.started
        self._printed_done = 0
        self._width = 0  # of the line last written in place, to blank what a shorter one leaves

    def step(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if self.interactive:
            self._rewrite(self.line(now))
        elif self.done - self._printed_done >= self.every or now - self._printed_at >= self.interval \
                or (self.done >= self.total > self._printed_done):
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()
            self._printed_at, self._printed_done = now, self.done

    def finish(self) -> None:
        """Clear the line written in place, so that what the command prints next starts clean."""
        if self.interactive and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def line(self, now: float) -> str:
        """'refresh: 40/200 works, about 2 min 10 s left'."""
        unit = f" {self.unit}" if self.unit else ""
        text = f"{self.what}: {self.done}/{self.total}{unit}"
        if self.done >= self.total:
            return f"{text}, done in {duration(now - self.started)}"
        if self.done:
            left = (now - self.started) / self.done * (self.total - self.done)
            text += f", about {duration(left)} left"
        return text

    def _rewrite(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self._width = len(text)


def duration(seconds: float) -> str:
    """'45 s', '3 min 05 s', '1 h 02 min'."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
