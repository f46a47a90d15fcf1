"""One task owner per workspace: engine tasks run on superqt workers, one per kind at a time.

Orange's ``ConcurrentMixin`` rule, on napari's worker: starting a task of a kind cancels the
running one of that kind and starts the new one only after the old has ended (so trainings never
pile up on two cores); a superseded task's progress and result never reach a widget; workers are
dropped when they end (their signal objects go with them); ``idle`` says nothing is running.

Engine tasks are generators (``engine.core.tasks.Task``): cancel = the worker stops at the next
``yield`` and closes the generator. Short plain functions (reading a file) run too; a cancelled
one finishes but its result is dropped.
"""

from __future__ import annotations

import ctypes
import inspect
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from superqt.utils import FunctionWorker, GeneratorWorker, WorkerBase

from engine.core.errors import Cancelled
from engine.core.tasks import HEARTBEAT

log = logging.getLogger(__name__)
Handler = Callable[..., Any] | None
WORKER_STACK_BYTES = 64 * 1024 * 1024  # Qt's pool threads get the platform default (8 MB or less)
MIN_POOL_THREADS = 8  # Qt's default is the core count (2 here): live prediction must never queue behind trainings


_pinned_threads: set[int] = set()
_pin_lock = threading.Lock()


def _pin_thread_state() -> None:
    """Keep this pool thread's Python thread state for the life of the thread.

    Qt's pool threads are not Python threads: each run enters and leaves Python, and on leaving
    Python deletes the thread state, thread-locals included. TensorFlow keeps per-thread graph
    state in C++ keyed by the OS thread; when the thread was reused, that state pointed at freed
    Python graphs and tracing a model crashed the process (segfault). One extra, never released
    ``PyGILState_Ensure`` keeps the thread state alive, as for a thread Python started itself.
    """
    ident = threading.get_ident()
    with _pin_lock:
        if ident in _pinned_threads:
            return
        _pinned_threads.add(ident)
    ctypes.pythonapi.PyGILState_Ensure()


class ClosingGeneratorWorker(GeneratorWorker):
    """A generator worker that closes its generator when it stops, so the task's ``finally``
    blocks run on the worker thread at once, not whenever the garbage collector gets to it."""

    def work(self):  # noqa: ANN201 — superqt's signature
        _pin_thread_state()
        try:
            return super().work()
        finally:
            self._gen.close()


class PinnedFunctionWorker(FunctionWorker):
    def work(self):  # noqa: ANN201 — superqt's signature
        _pin_thread_state()
        return super().work()


@dataclass
class _Request:
    func: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    on_progress: Handler = None
    on_done: Handler = None
    on_error: Handler = None
    on_cancelled: Handler = None
    on_ended: Handler = None
    serial: int = 0
    cancelled: bool = field(default=False)


class TaskOwner(QObject):
    """Runs a workspace's tasks; ``start(kind, task_fn, *args, on_done=…)`` replaces that kind's task."""

    idle = Signal()
    runningChanged = Signal(str, bool)  # (kind, running)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), MIN_POOL_THREADS))
        if pool.stackSize() < WORKER_STACK_BYTES:  # TensorFlow's graph tracing recurses deeply
            pool.setStackSize(WORKER_STACK_BYTES)
        self._workers: dict[str, tuple[WorkerBase, _Request]] = {}
        self._pending: dict[str, _Request] = {}
        self._serial = 0
        self._closed = False

    # -- public --------------------------------------------------------------------------
    def start(self, kind: str, func: Callable[..., Any], *args: Any, on_progress: Handler = None,
              on_done: Handler = None, on_error: Handler = None, on_cancelled: Handler = None,
              on_ended: Handler = None, **kwargs: Any) -> None:
        """Run ``func(*args, **kwargs)``; a running task of the same kind is cancelled first."""
        if self._closed:
            return
        self._serial += 1
        request = _Request(func, args, kwargs, on_progress, on_done, on_error, on_cancelled, on_ended, self._serial)
        if kind in self._workers:
            superseded = self._pending.pop(kind, None)
            if superseded is not None:
                _call(superseded.on_ended)
            self._pending[kind] = request
            self._workers[kind][0].quit()
            return
        self._launch(kind, request)

    def cancel(self, kind: str) -> None:
        """Stop that kind's task at its next step; its ``on_cancelled`` runs when it has stopped."""
        pending = self._pending.pop(kind, None)
        if pending is not None:
            _call(pending.on_ended)
        running = self._workers.get(kind)
        if running is not None:
            running[1].cancelled = True
            running[0].quit()

    def is_running(self, kind: str | None = None) -> bool:
        return bool(self._workers) if kind is None else (kind in self._workers or kind in self._pending)

    def running_kinds(self) -> list[str]:
        return sorted(set(self._workers) | set(self._pending))

    def shutdown(self, msecs: int = 3000) -> bool:
        """Cancel everything and wait (bounded) for the workers; True if all ended in time."""
        self._closed = True
        self._pending.clear()
        for worker, request in list(self._workers.values()):
            request.cancelled = True
            worker.quit()
        return QThreadPool.globalInstance().waitForDone(msecs)

    # -- internals -----------------------------------------------------------------------
    def _launch(self, kind: str, request: _Request) -> None:
        cls = ClosingGeneratorWorker if inspect.isgeneratorfunction(_unwrap(request.func)) else PinnedFunctionWorker
        worker = cls(request.func, *request.args, **request.kwargs)
        self._workers[kind] = (worker, request)
        serial = request.serial
        # Slots are bound to this long-lived owner with plain values: no reference cycle through the
        # worker, so a finished worker and its signal object are freed as soon as superqt drops it.
        if cls is ClosingGeneratorWorker:
            worker.yielded.connect(partial(self._yielded, kind, serial))
            worker.aborted.connect(partial(self._aborted, kind, serial))
        worker.returned.connect(partial(self._returned, kind, serial))
        worker.errored.connect(partial(self._errored, kind, serial))
        worker.finished.connect(partial(self._finished, kind, serial))
        self.runningChanged.emit(kind, True)
        worker.start()

    def _current(self, kind: str, serial: int) -> _Request | None:
        """The request if it is still the live one of its kind (not superseded, not cancelled)."""
        entry = self._workers.get(kind)
        if entry is None or entry[1].serial != serial or kind in self._pending or entry[1].cancelled:
            return None
        return entry[1]

    def _yielded(self, kind: str, serial: int, value: Any) -> None:
        if getattr(value, "stage", None) == HEARTBEAT:
            return
        request = self._current(kind, serial)
        if request is not None:
            _call(request.on_progress, value)

    def _returned(self, kind: str, serial: int, value: Any) -> None:
        request = self._current(kind, serial)
        if request is not None:
            _call(request.on_done, value)

    def _errored(self, kind: str, serial: int, exc: BaseException) -> None:
        entry = self._workers.get(kind)
        if entry is None or entry[1].serial != serial:
            return
        request = entry[1]
        if isinstance(exc, Cancelled) or request.cancelled:
            _call(request.on_cancelled)
        elif kind not in self._pending:
            if request.on_error is None:
                log.error("task %s failed: %s", kind, exc)
            _call(request.on_error, exc)

    def _aborted(self, kind: str, serial: int) -> None:
        entry = self._workers.get(kind)
        if entry is not None and entry[1].serial == serial and kind not in self._pending:
            _call(entry[1].on_cancelled)

    def _finished(self, kind: str, serial: int) -> None:
        entry = self._workers.get(kind)
        if entry is None or entry[1].serial != serial:
            return
        del self._workers[kind]
        _release(entry[0])
        _call(entry[1].on_ended)
        pending = self._pending.pop(kind, None)
        if pending is not None and not self._closed:
            self._launch(kind, pending)
            return
        self.runningChanged.emit(kind, False)
        if not self._workers:
            self.idle.emit()


def _release(worker: WorkerBase) -> None:
    """Drop what a finished worker holds (its function, arguments, generator): PySide may keep the
    Python side of a finished QRunnable alive, and it must not keep models or data alive with it."""
    for name in ("_func", "_args", "_kwargs", "_gen"):
        if hasattr(worker, name):
            try:
                setattr(worker, name, None)
            except AttributeError:
                pass


def _unwrap(func: Callable[..., Any]) -> Callable[..., Any]:
    while isinstance(func, partial):
        func = func.func
    return func


def _call(handler: Handler, *args: Any) -> None:
    if handler is not None:
        handler(*args)
