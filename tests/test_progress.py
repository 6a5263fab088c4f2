"""Progress of a long run (`refresh`, `discover`): rewritten in place on a terminal, a line now and then in a log."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

from helpers import FIXTURES, NO_NETWORK, new_catalog
from slmsurvey.contribute import fetch
from slmsurvey.contribute.progress import Progress, duration


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_one_line_says_done_total_and_time_left_and_is_cleared_at_the_end():
    clock, stream = _Clock(), io.StringIO()
    progress = Progress("refresh", 4, "works", stream=stream, clock=clock, interactive=True)
    for seconds in (30, 30, 40):
        clock.now += seconds
        progress.step()
    clock.now += 20
    progress.step()
    progress.finish()
    assert stream.getvalue() == (
        "\rrefresh: 1/4 works, about 1 min 30 s left"
        "\rrefresh: 2/4 works, about 1 min 00 s left"
        "\rrefresh: 3/4 works, about 33 s left      "  # blanks what the longer line left
        "\rrefresh: 4/4 works, done in 2 min 00 s"
        "\r" + " " * 38 + "\r")


def test_in_a_log_a_line_every_n_steps_or_every_half_minute_and_at_the_end():
    clock, stream = _Clock(), io.StringIO()
    progress = Progress("discover", 7, "queries", stream=stream, clock=clock, interactive=False, every=3,
                        interval=30.0)
    for seconds in (1, 1, 1, 40, 1, 1, 1):  # the fourth step takes 40 s
        clock.now += seconds
        progress.step()
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "discover: 3/7 queries, about 4 s left",  # every 3 steps
        "discover: 4/7 queries, about 32 s left",  # 30 s since the last line
        "discover: 7/7 queries, done in 46 s",  # the end
    ]


def test_nothing_is_said_before_the_first_step():
    stream = io.StringIO()
    Progress("refresh", 5, stream=stream, interactive=True).finish()
    Progress("refresh", 5, stream=stream, interactive=False).finish()
    assert stream.getvalue() == ""


def test_a_stream_that_is_not_a_terminal_gets_whole_lines():
    assert Progress("x", 1, stream=io.StringIO()).interactive is False


def test_durations_read_as_people_say_them():
    assert [duration(s) for s in (0, 44.6, 60, 185, 3725)] == ["0 s", "45 s", "1 min 00 s", "3 min 05 s",
                                                               "1 h 02 min"]


def test_refresh_says_how_far_it_has_come_in_a_log(tmp_path):
    catalog = new_catalog(tmp_path / "catalog")
    (catalog / "entries").rmdir()
    shutil.copytree(FIXTURES / "refresh" / "entries", catalog / "entries")
    env = {**os.environ, "PYTHONPATH": str(NO_NETWORK), fetch.RECORDED_ENV: str(FIXTURES / "refresh" / "recorded")}
    result = subprocess.run([sys.executable, "-m", "slmsurvey", "refresh", "--catalog", str(catalog)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("refresh: ")] == \
        [line for line in result.stderr.splitlines() if line.startswith("refresh: 6/6 works, done in ")] != []
