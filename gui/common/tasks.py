"""One task owner per workspace: engine tasks run on superqt workers, one per kind at a time.

Orange's ``ConcurrentMixin`` rule, on superqt's ``WorkerBase``: starting a task of a kind cancels
the running one of that kind and starts the new one only after the old has ended (so trainings
never pile up on two cores); a superseded task's progress and result never reach a widget; any
exception ends its task and frees its kind; warnings raised in a task reach ``warned``; ``idle``
says nothing is running.

Each owner runs its workers on its own thread pool, sized for its kinds: a workspace's relays to
the TensorFlow worker (which only wait) never make another workspace's live recognition queue,
and ``shutdown`` waits for this owner's workers only.

Engine tasks are generators (``engine.core.tasks.Task``): cancel = the worker stops at the next
``yield`` and closes the generator. Short plain functions (reading a file) run too; a cancelled
one finishes but its result is dropped.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from superqt.utils import WorkerBase

from engine.core.errors import Cancelled
from engine.core.tasks import HEARTBEAT

log = logging.getLogger(__name__)
Handler = Callable[..., Any] | None
POOL_THREADS = 6  # kinds that may run at once in one workspace (training, prediction, saliency, files…)


class TaskSignals(QObject):
    """What a task worker reports (superqt's base signals plus a generator's)."""

    started = Signal()
    finished = Signal()
    _finished = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    warned = Signal(tuple)
    yielded = Signal(object)
    aborted = Signal()


class TaskWorker(WorkerBase):
    """Runs a task (generator) or a plain function; closes the generator when it stops, so the
    task's ``finally`` blocks run on the worker thread at once. An exception of any type, even a
    ``RuntimeError``, is raised out of ``work`` and so reaches ``errored`` and then ``finished``."""

    def __init__(self, func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        super().__init__(SignalsClass=TaskSignals)
        self._call = partial(func, *args, **kwargs)
        self._generator = inspect.isgeneratorfunction(_unwrap(func))
        self.ended = threading.Event()

    def run(self) -> None:
        """superqt's ``run``; a worker still finishing while the app exits finds its signal object
        deleted by Qt's teardown, and there is no one left to tell."""
        try:
            super().run()
        except RuntimeError as exc:
            if "deleted" not in str(exc):
                raise
            log.debug("a task ended after its window: %s", exc)

    def work(self) -> Any:
        call, self._call = self._call, None  # hold no model or data once running
        try:
            if not self._generator:
                result = call()
            else:
                result = self._drive(call())
            if isinstance(result, BaseException):  # superqt treats a returned exception as a failure
                raise TypeError(f"a task returned an exception object: {result!r}")
            return result
        finally:
            self.ended.set()

    def _drive(self, gen: Any) -> Any:
        try:
            while True:
                if self.abort_requested:
                    self.signals.aborted.emit()
                    return None
                try:
                    value = next(gen)
                except StopIteration as stop:
                    return stop.value
                self.signals.yielded.emit(value)
        finally:
            gen.close()


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
    warned = Signal(str)  # a warning raised inside a task, as one line

    def __init__(self, parent: QObject | None = None, threads: int = POOL_THREADS) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._workers: dict[str, tuple[TaskWorker, _Request]] = {}
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
        """Cancel everything and wait (bounded) for this owner's own workers; True if all ended."""
        self._closed = True
        self._pending.clear()
        workers = [worker for worker, _ in self._workers.values()]
        for worker, request in list(self._workers.values()):
            request.cancelled = True
            worker.quit()
        ended = self._pool.waitForDone(msecs)
        return ended and all(worker.ended.is_set() for worker in workers)

    # -- internals -----------------------------------------------------------------------
    def _launch(self, kind: str, request: _Request) -> None:
        worker = TaskWorker(request.func, request.args, request.kwargs)
        self._workers[kind] = (worker, request)
        serial = request.serial
        # Slots are bound to this long-lived owner with plain values: no reference cycle through the
        # worker, so a finished worker and its signal object are freed as soon as it is dropped.
        worker.yielded.connect(partial(self._yielded, kind, serial))
        worker.aborted.connect(partial(self._aborted, kind, serial))
        worker.returned.connect(partial(self._returned, kind, serial))
        worker.errored.connect(partial(self._errored, kind, serial))
        worker.warned.connect(partial(self._warned, kind))
        worker.finished.connect(partial(self._finished, kind, serial))
        self.runningChanged.emit(kind, True)
        self._pool.start(worker)

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

    def _warned(self, kind: str, showwarning_args: tuple) -> None:
        message = str(showwarning_args[0]) if showwarning_args else ""
        log.warning("task %s: %s", kind, message)
        self.warned.emit(message)

    def _aborted(self, kind: str, serial: int) -> None:
        entry = self._workers.get(kind)
        if entry is not None and entry[1].serial == serial and kind not in self._pending:
            _call(entry[1].on_cancelled)

    def _finished(self, kind: str, serial: int) -> None:
        entry = self._workers.get(kind)
        if entry is None or entry[1].serial != serial:
            return
        del self._workers[kind]
        _call(entry[1].on_ended)
        pending = self._pending.pop(kind, None)
        if pending is not None and not self._closed:
            self._launch(kind, pending)
            return
        self.runningChanged.emit(kind, False)
        if not self._workers:
            self.idle.emit()


def _unwrap(func: Callable[..., Any]) -> Callable[..., Any]:
    while isinstance(func, partial):
        func = func.func
    return func


def _call(handler: Handler, *args: Any) -> None:
    if handler is not None:
        handler(*args)
