"""Keeping a comparison cancellable while uninterruptible work runs: a helper thread per step.

scikit-learn fits (and reading a sample, importing a library) cannot be interrupted. Run on a daemon
thread while the generator yields every ``YIELD_EVERY`` seconds, a cancel is answered at once and an
abandoned step just ends unseen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any

from engine.compare.results import CompareCell

YIELD_EVERY = 0.1  # seconds between progress reports while a cell trains


def in_thread(fn: Callable[[], Any]) -> Generator[None, None, Any]:
    """Run one uninterruptible call on a daemon thread and yield while it runs, so a cancel does not
    wait for it (a tree on 60,000 digits fits for ~20 s); an abandoned call just ends unseen."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 — re-raised on the generator's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="deepmine-compare-fit", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(YIELD_EVERY)
        yield None
    if "error" in box:
        raise box["error"]
    return box.get("value")


def threaded_cell(work: Generator[float, None, CompareCell]) -> Generator[float | None, None, CompareCell]:
    """Advance a scikit-learn cell one chunk at a time on a helper thread (see ``in_thread``)."""

    def advance() -> tuple[bool, Any]:
        try:
            return False, next(work)
        except StopIteration as stop:
            return True, stop.value

    fraction: float | None = 0.0
    while True:
        step = in_thread(advance)
        try:
            while True:
                next(step)
                yield fraction
        except StopIteration as finished:
            done, value = finished.value
        if done:
            return value
        fraction = value
