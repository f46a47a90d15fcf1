"""The TensorFlow worker: every TensorFlow job of the app runs in one long-lived child process.

``in_worker(func, *args, **kwargs)`` is the one seam callers use: it returns an ordinary task
(generator) whose progress, result, errors and cancel are those of ``func(*args, **kwargs)`` run in
the worker. ``func`` must be a module-level function (a task or a plain function) and its
arguments, progress and result must pickle: they cross a process boundary.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from engine.core.errors import Cancelled, DeepMineError
from engine.core.tasks import HEARTBEAT, Progress, Task
from engine.worker.process import STOP_GRACE_S, WorkerProcess

T = TypeVar("T")
HEARTBEAT_S = 0.2  # with nothing from the worker for this long, a heartbeat lets the consumer cancel

_lock = threading.Lock()
_worker: WorkerProcess | None = None


class WorkerDied(DeepMineError):
    """The worker process ended in the middle of a job (a crash, or it was killed)."""


def app_worker() -> WorkerProcess:
    """The process-wide worker (started on first need)."""
    global _worker
    with _lock:
        if _worker is None:
            _worker = WorkerProcess()
        return _worker


def stop_worker(timeout: float = STOP_GRACE_S) -> None:
    """End the worker if one runs (the window's close, the end of a test session)."""
    with _lock:
        worker = _worker
    if worker is not None:
        worker.stop(timeout)


def in_worker(func: Callable[..., Task[T] | T], *args: Any, **kwargs: Any) -> Task[T]:
    """``func(*args, **kwargs)`` run in the TensorFlow worker, seen here as a task.

    Between the worker's reports it yields ``Progress(stage=HEARTBEAT)`` every ``HEARTBEAT_S`` so a
    consumer that cancels between yields is heard. Closing this generator cancels the job and waits
    (bounded) until it has stopped, so a following job of the same kind never overlaps it.
    """
    worker = app_worker()
    job = worker.submit(func, args, kwargs)
    ended = False
    try:
        while True:
            try:
                kind, value = job.reports.get(timeout=HEARTBEAT_S)
            except queue.Empty:
                yield Progress(None, "", HEARTBEAT)
                continue
            if kind == "progress":
                yield value
                continue
            ended = True
            if kind == "done":
                return value
            if kind == "cancelled":
                raise Cancelled()
            if kind == "died":
                raise WorkerDied("The TensorFlow worker process stopped unexpectedly (exit code {code}); "
                                 "it starts again for the next job.", code=value)
            raise value
    finally:
        if not ended:
            worker.cancel(job)
            _wait_for_end(job.reports, STOP_GRACE_S)
        worker.forget(job)


def _wait_for_end(reports: "queue.Queue[tuple[str, Any]]", timeout: float) -> None:
    """Let a cancelled job stop before its kind's next job starts (an unheard one runs on, unseen)."""
    import time

    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            kind, _ = reports.get(timeout=left)
        except queue.Empty:
            return
        if kind != "progress":
            return
