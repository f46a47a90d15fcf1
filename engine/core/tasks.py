"""Long work as tasks: generators that yield ``Progress`` and return their result.

The CLI and tests drive a task with ``run_task`` on their own thread; the GUI runs it on a
superqt worker under a workspace's ``TaskOwner`` (``gui/common/tasks.py``). Cancel = stop
iterating: the task ends at its next ``yield``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from engine.core.errors import Cancelled

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """One progress report. ``fraction`` is 0..1, or None when the length is unknown."""

    fraction: float | None = None
    message: str = ""
    stage: str = ""  # "batch", "epoch", "download", "cv", … — lets a GUI route data
    data: Mapping[str, Any] = field(default_factory=dict)  # e.g. epoch metrics, eta_seconds


ProgressFn = Callable[[Progress], None]
# A report with nothing in it, yielded only so the consumer gets a chance to cancel (a task that
# waits on something else, e.g. a child process); consumers skip it.
HEARTBEAT = "heartbeat"


def no_progress(_: Progress) -> None:
    """A progress sink for callers that do not care."""


T = TypeVar("T")
# Long work is a generator: it yields Progress and returns its result. The consumer cancels by
# no longer iterating (``close()``), so the work stops at its next ``yield``.
Task = Generator[Progress, None, T]


def run_task(task: Task[T], on_progress: ProgressFn | None = None, token: "CancelToken | None" = None) -> T:
    """Drive a task to its end on this thread (CLI, tests, benchmarks) and return its result.

    A cancelled ``token`` closes the task at its next ``yield`` and raises ``Cancelled``.
    """
    try:
        while True:
            if token is not None and token.cancelled:
                raise Cancelled()
            try:
                step = next(task)
            except StopIteration as stop:
                return stop.value
            if on_progress is not None and step.stage != HEARTBEAT:
                on_progress(step)
    finally:
        task.close()


class CancelToken:
    """Set by whoever wants the job to stop; the job calls ``check()`` at safe points."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if cancel was asked for."""
        if self._event.is_set():
            raise Cancelled()
