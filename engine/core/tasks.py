"""Background jobs with progress, cancel and error reporting, shared by the GUI and the CLI.

A job is a plain function ``fn(*args, progress=..., token=..., **kwargs)``. It reports
through ``progress(Progress(...))`` and checks ``token.check()`` often (a Keras callback does
so every batch), so a cancel takes effect within a second. Callbacks run on the worker
thread: the GUI turns them into queued Qt signals (``gui/workers.py``), the CLI prints them.
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
            if on_progress is not None:
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


class Job:
    """A running or finished job: status, result or error, cancel and wait."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.token = CancelToken()
        self.status = "pending"  # pending → running → done | failed | cancelled
        self.result: Any = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self._finished = threading.Event()
        self.thread: threading.Thread | None = None

    def cancel(self) -> None:
        self.token.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """True once the job has ended (in any way) within ``timeout`` seconds."""
        return self._finished.wait(timeout)

    @property
    def done(self) -> bool:
        return self._finished.is_set()


class JobRunner:
    """Runs jobs on daemon threads; a job that ignores cancel can never block process exit."""

    def __init__(self) -> None:
        self._jobs: list[Job] = []
        self._lock = threading.Lock()

    def submit(
        self,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        on_progress: ProgressFn | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Job:
        job = Job(name)
        report = on_progress or no_progress

        def run() -> None:
            job.status = "running"
            try:
                result = fn(*args, progress=report, token=job.token, **kwargs)
            except Cancelled:
                job.status = "cancelled"
                _safe_call(on_cancelled)
            except BaseException as exc:  # noqa: BLE001 — reported, never swallowed
                job.status, job.error = "failed", exc
                log.exception("job %s failed", name)
                _safe_call(on_error, exc)
            else:
                if job.token.cancelled:
                    job.status = "cancelled"
                    _safe_call(on_cancelled)
                else:
                    job.status, job.result = "done", result
                    _safe_call(on_done, result)
            finally:
                job._finished.set()
                with self._lock:
                    if job in self._jobs:
                        self._jobs.remove(job)

        job.thread = threading.Thread(target=run, name=f"deepmine-{name}", daemon=True)
        with self._lock:
            self._jobs.append(job)
        job.thread.start()
        return job

    def active(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)

    def shutdown(self, timeout: float = 2.5) -> bool:
        """Cancel every job and wait up to ``timeout`` seconds in all; True if all ended."""
        jobs = self.active()
        for job in jobs:
            job.cancel()
        deadline = time.monotonic() + timeout
        return all(job.wait(max(0.0, deadline - time.monotonic())) for job in jobs)


def run_inline(fn: Callable[..., Any], *args: Any, progress: ProgressFn | None = None, **kwargs: Any) -> Any:
    """Run a job function on the calling thread (CLI, tests), with a fresh token."""
    return fn(*args, progress=progress or no_progress, token=CancelToken(), **kwargs)


def _safe_call(callback: Callable[..., None] | None, *args: Any) -> None:
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:  # a broken listener must not kill the worker thread silently
        log.exception("job callback failed")
