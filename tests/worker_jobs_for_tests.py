"""Small real jobs for tests/test_worker.py: module level, so the spawned worker can import them."""

from __future__ import annotations

import os
import time
from pathlib import Path

from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.tasks import Progress


def count_to(n: int):
    """Reports each step in the current language; returns the child's pid and the sum."""
    total = 0
    for i in range(1, n + 1):
        total += i
        yield Progress(i / n, t("Cancelled."), "step", {"i": i})
    return os.getpid(), total


def fail_with_data_error(name: str):
    yield Progress(0.0, "starting", "step")
    raise DataError("{name} cannot be read as an MNIST IDX file ({reason}).", name=name, reason="bad magic")


def write_marks_forever(folder: str):
    """Appends a mark a second until stopped; a stopped task writes ``closed``."""
    marks = Path(folder)
    try:
        i = 0
        while True:
            (marks / f"mark-{i}").write_text("x")
            i += 1
            yield Progress(None, "marking", "step")
            time.sleep(0.05)
    finally:
        (marks / "closed").write_text("yes")


def silent_for(seconds: float):
    """Yields nothing for a while, as a child importing TensorFlow does."""
    time.sleep(seconds)
    yield Progress(1.0, "woke", "step")
    return "done"


def die_abruptly():
    yield Progress(0.0, "about to die", "step")
    os._exit(3)


def pid_and_home() -> tuple[int, str | None]:
    """A plain function job: which process ran it, with which data folder."""
    return os.getpid(), os.environ.get("DEEPMINE_HOME")


def unpicklable_result():
    yield Progress(0.5, "half way", "step")
    return lambda: "a lambda cannot cross a process boundary"


