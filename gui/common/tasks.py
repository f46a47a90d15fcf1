"""Qt bridge for engine jobs: worker-thread callbacks become queued signals on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from engine.core.tasks import Job, JobRunner, Progress


class JobSignals(QObject):
    """Emitted from the worker thread; Qt queues them to receivers living on the GUI thread."""

    progress = Signal(object)  # engine.core.tasks.Progress
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

    A signal emitted before anything is connected to it is lost, and a fast job (reading a
    CSV header) can finish before the caller's next line connects its slots. So the worker
    holds every emission until the GUI event loop has turned once after this call, which
    is after the caller's synchronous ``connect`` calls.
    """
    signals = JobSignals(parent)
    connected = threading.Event()
    QTimer.singleShot(0, signals, connected.set)

    def emit(signal, *values: Any) -> None:
        connected.wait(timeout=10.0)
        signal.emit(*values)

    def on_progress(p: Progress) -> None:
        emit(signals.progress, p)

    def on_done(result: Any) -> None:
        emit(signals.finished, result)
        signals.ended.emit()

    def on_error(exc: BaseException) -> None:
        emit(signals.failed, exc)
        signals.ended.emit()

    def on_cancelled() -> None:
        emit(signals.cancelled)
        signals.ended.emit()

    job = runner.submit(name, fn, *args, on_progress=on_progress, on_done=on_done,
                        on_error=on_error, on_cancelled=on_cancelled, **kwargs)
    return QtJob(job, signals)
