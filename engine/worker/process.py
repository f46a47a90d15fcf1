"""The app's TensorFlow worker: one long-lived spawned process that runs every TensorFlow job.

Why a process: TensorFlow takes seconds to import, owns ~400,000 Python objects and holds the
interpreter lock in C code; inside the window's process it delayed the first prediction, froze
the window while training and needed a set of thread workarounds. Here each job (a task, i.e. a
generator) runs on its own Python thread in the worker, so a saliency map need not wait for a
training; progress, result or error come back over one private pipe (nothing read from a file is
ever unpickled: only what this app's own worker sent).

The worker is *spawned*, never forked (the window runs Qt threads). It ends when told to, and by
itself when the window's process goes away (its end of the pipe closes).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from engine.core.i18n import get_language, set_language
from engine.core.tasks import HEARTBEAT, Progress

log = logging.getLogger(__name__)
STOP_GRACE_S = 3.0  # how long a closing window waits for the worker before ending it
# Environment a job depends on and that may change in the window's process after the worker
# started (tests give every test its own data folder): sent with every job.
JOB_ENVIRONMENT = ("DEEPMINE_HOME",)


@dataclass
class Job:
    """A job as the window sees it: its id and the queue its reports arrive on."""

    id: int
    reports: "queue.Queue[tuple[str, Any]]"
    generation: int


class WorkerProcess:
    """Starts the worker on first need (or ``start()``), restarts it after a crash, relays jobs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None
        self._jobs: dict[int, Job] = {}
        self._next_id = 0
        self._generation = 0  # which start of the worker a job belongs to
        self.starts = 0
        self._exit_hook = False

    # -- life --------------------------------------------------------------------------
    def start(self, warm: bool = True) -> None:
        """Start the worker now (in the background of the caller); ``warm`` imports TensorFlow there."""
        with self._lock:
            self._ensure_running()
            if warm:
                self._send(("warm",))

    def is_running(self) -> bool:
        with self._lock:
            return self._process is not None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None else None

    def stop(self, timeout: float = STOP_GRACE_S) -> None:
        """End the worker: it is told to stop, and ended if it has not within ``timeout``."""
        with self._lock:
            process, conn = self._process, self._conn
            self._process = self._conn = None
            if process is None:
                return
            try:
                conn.send(("stop",))
            except (OSError, ValueError):
                pass
        process.join(timeout)
        if process.is_alive():
            process.terminate()
            process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()

    def _ensure_running(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        ctx = multiprocessing.get_context("spawn")
        here, there = ctx.Pipe(duplex=True)
        process = ctx.Process(target=worker_main, args=(there, get_language()), name="deepmine-tensorflow")
        # Not a daemon: scikit-learn's parallel loops (joblib) run on one core inside a daemon.
        process.start()
        there.close()
        if not self._exit_hook:
            # Registered after the first start, so that it runs before multiprocessing's own exit
            # hook (registered at that start), which would wait for this non-daemon worker for ever.
            atexit.register(self.stop)
            self._exit_hook = True
        self._generation += 1
        self.starts += 1
        self._process, self._conn = process, here
        threading.Thread(target=self._read_reports, args=(here, process, self._generation),
                         name="deepmine-worker-reports", daemon=True).start()

    # -- jobs --------------------------------------------------------------------------
    def submit(self, func: Callable[..., Any], args: tuple, kwargs: dict) -> Job:
        """Send a job; its reports arrive on ``job.reports`` as (kind, value)."""
        with self._lock:
            self._ensure_running()
            self._next_id += 1
            job = Job(self._next_id, queue.Queue(), self._generation)
            self._jobs[job.id] = job
            env = {name: os.environ.get(name) for name in JOB_ENVIRONMENT}
            try:
                self._send(("run", job.id, func, args, kwargs, get_language(), env))
            except BaseException:
                del self._jobs[job.id]
                raise
        return job

    def cancel(self, job: Job) -> None:
        with self._lock:
            if job.generation == self._generation and job.id in self._jobs:
                try:
                    self._send(("cancel", job.id))
                except (OSError, ValueError):
                    pass

    def forget(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)

    def _send(self, message: tuple) -> None:
        self._conn.send(message)

    def _read_reports(self, conn: Any, process: Any, generation: int) -> None:
        while True:
            try:
                job_id, kind, value = conn.recv()
            except (EOFError, OSError):
                break
            except Exception as exc:  # noqa: BLE001 — a report that cannot be rebuilt fails its job only
                log.warning("a report from the worker could not be read: %s", exc)
                continue
            with self._lock:
                job = self._jobs.get(job_id)
            if job is not None:
                job.reports.put((kind, value))
        process.join(STOP_GRACE_S)
        code = process.exitcode
        with self._lock:
            orphans = [job for job in self._jobs.values() if job.generation == generation]
            if self._process is process:
                self._process = self._conn = None
        for job in orphans:
            job.reports.put(("died", code))


# --- the worker's side ---------------------------------------------------------------------
def worker_main(conn: Any, lang: str) -> None:
    """Runs in the worker: reads jobs until told to stop or the window's process is gone."""
    set_language(lang)
    _lower_priority()
    from engine.core import tf_runtime  # its keras() quiets TensorFlow's native logs before importing it
    send_lock = threading.Lock()
    stops: dict[int, threading.Event] = {}
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the window's process ended: so does its worker
            break
        op = message[0]
        if op == "run":
            _, job_id, func, args, kwargs, job_lang, env = message
            for name, value in env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            stop = stops[job_id] = threading.Event()
            threading.Thread(target=_run_job, args=(conn, send_lock, stops, job_id, func, args, kwargs, stop,
                                                    job_lang), name=f"deepmine-job-{job_id}", daemon=True).start()
        elif op == "cancel":
            event = stops.get(message[1])
            if event is not None:
                event.set()
        elif op == "warm":
            threading.Thread(target=tf_runtime.keras, name="deepmine-warm", daemon=True).start()
        elif op == "stop":
            break
    for event in list(stops.values()):
        event.set()


WORKER_NICENESS = 5  # below the window: on two cores a training must never starve the event loop


def _lower_priority() -> None:
    """The window's drawing and painting come first; the worker takes what the cores have left."""
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # Windows has no nice(); a refused change is harmless
        pass


def _run_job(conn: Any, send_lock: threading.Lock, stops: dict[int, threading.Event], job_id: int,
             func: Callable[..., Any], args: tuple, kwargs: dict, stop: threading.Event, lang: str) -> None:
    set_language(lang)
    task = None
    try:
        task = func(*args, **kwargs)
        if not isinstance(task, Iterator):  # a plain function: its value is the result
            _report(conn, send_lock, job_id, "done", task)
            return
        while True:
            if stop.is_set():
                task.close()
                _report(conn, send_lock, job_id, "cancelled", None)
                return
            try:
                step = next(task)
            except StopIteration as end:
                _report(conn, send_lock, job_id, "done", end.value)
                return
            if step.stage != HEARTBEAT:
                _report(conn, send_lock, job_id, "progress", step)
    except BaseException as exc:  # noqa: BLE001 — every failure goes back to the window, which raises it
        _report(conn, send_lock, job_id, "error", exc)
    finally:
        if task is not None and isinstance(task, Iterator):
            task.close()  # type: ignore[attr-defined]
        stops.pop(job_id, None)


def _report(conn: Any, send_lock: threading.Lock, job_id: int, kind: str, value: Any) -> None:
    """Send one report; what will not pickle is replaced by a message saying so (the window must
    never wait for a report that cannot come)."""
    try:
        payload = pickle.dumps((job_id, kind, value))
    except Exception as exc:  # noqa: BLE001
        if isinstance(value, Progress):  # the message still goes; the data that would not pickle does not
            value = Progress(value.fraction, value.message, value.stage)
        else:
            kind = "error"
            value = RuntimeError(str(value) if isinstance(value, BaseException)
                                 else f"the result could not be sent back: {exc}")
        payload = pickle.dumps((job_id, kind, value))
    with send_lock:
        try:
            conn.send_bytes(payload)
        except (OSError, ValueError):  # the window is gone
            pass
