"""Qt bridge for engine jobs: worker-thread callbacks become queued signals on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from engine.jobs import Job, JobRunner, Progress


class JobSignals(QObject):
    """Emitted from the worker thread; Qt queues them to receivers living on the GUI thread."""

    progress = Signal(object)  # engine.jobs.Progress
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # the exception
    cancelled = Signal()
    ended = Signal()  # after any of the three above


class QtJob:
    """A running engine job plus its signals. Keep a reference while it runs."""

    def __init__(self, job: Job, signals: JobSignals) -> None:
        self.job = job
        self.signals = signals

    def cancel(self) -> None:
        self.job.cancel()

    @property
    def done(self) -> bool:
        return self.job.done


def start_job(runner: JobRunner, name: str, fn: Callable[..., Any], *args: Any,
              parent: QObject | None = None, **kwargs: Any) -> QtJob:
    """Run ``fn(*args, progress=, token=, **kwargs)`` in the background; connect to ``.signals``.

    Connect before the job can end: the signals object is created here, and the thread
    starts at once, but queued delivery means slots connected right after this call
    still receive every signal (they are delivered by the GUI event loop).
    """
    signals = JobSignals(parent)

    def on_progress(p: Progress) -> None:
        signals.progress.emit(p)

    def on_done(result: Any) -> None:
        signals.finished.emit(result)
        signals.ended.emit()

    def on_error(exc: BaseException) -> None:
        signals.failed.emit(exc)
        signals.ended.emit()

    def on_cancelled() -> None:
        signals.cancelled.emit()
        signals.ended.emit()

    job = runner.submit(name, fn, *args, on_progress=on_progress, on_done=on_done,
                        on_error=on_error, on_cancelled=on_cancelled, **kwargs)
    return QtJob(job, signals)
