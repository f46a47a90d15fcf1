"""A task run in a child process, seen by its caller as an ordinary task (generator).

Why: a task on a thread shares the interpreter lock with the window. scikit-learn and
TensorFlow hold that lock in C code for up to a second and a half at a time (measured in the
Compare workspace while forests and networks trained), and the window froze for as long. In a
child process the heavy work cannot hold the window's lock at all; the parent's generator only
waits on a queue (lock released) and yields what the child reports.

The child is *spawned* (a fresh interpreter: forking a process that runs Qt and TensorFlow
threads is unsafe), so ``func``, its arguments, its progress and its result must pickle. A packaged
app must call ``multiprocessing.freeze_support()`` first thing (``gui/launcher.py`` does).
Cancel = close the generator, as for any task: the child is told to stop at its next ``yield``
and is terminated if it has not within ``STOP_GRACE_S``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue as queue_module
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from engine.core.errors import Cancelled, DeepMineError
from engine.core.i18n import get_language, set_language
from engine.core.tasks import HEARTBEAT, Progress, Task

log = logging.getLogger(__name__)
T = TypeVar("T")
HEARTBEAT_S = 0.2  # with nothing from the child for this long, a heartbeat lets the consumer cancel
STOP_GRACE_S = 3.0


def in_child_process(func: Callable[..., Task[T]], *args: Any, **kwargs: Any) -> Task[T]:
    """``func(*args, **kwargs)`` run to its end in a spawned child; its progress is yielded here.

    Between the child's reports it yields ``Progress(stage=HEARTBEAT)`` every ``HEARTBEAT_S`` so a
    consumer that cancels between yields is heard; consumers skip heartbeats.
    """
    ctx = multiprocessing.get_context("spawn")
    reports = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=_child_main, args=(func, args, kwargs, reports, stop, get_language()),
                        name=f"deepmine-{getattr(func, '__name__', 'task')}")
    # Not a daemon: scikit-learn's parallel loops (joblib) fall back to one core inside a daemon.
    # The child stops by itself if this process goes away (see _child_main).
    child.start()
    try:
        while True:
            try:
                kind, value = reports.get(timeout=HEARTBEAT_S)
            except queue_module.Empty:
                if not child.is_alive():
                    raise DeepMineError("The background process ended unexpectedly (exit code {code}).",
                                        code=child.exitcode) from None
                yield Progress(None, "", HEARTBEAT)
                continue
            if kind == "progress":
                yield value
            elif kind == "done":
                return value
            else:
                raise value
    finally:
        stop.set()
        child.join(STOP_GRACE_S)
        if child.is_alive():
            log.warning("the child process did not stop within %.0f s; terminating it", STOP_GRACE_S)
            child.terminate()
            child.join(STOP_GRACE_S)
        reports.close()
        reports.cancel_join_thread()


def _child_main(func: Callable[..., Task[Any]], args: tuple, kwargs: dict, reports: Any, stop: Any,
                lang: str) -> None:
    set_language(lang)
    parent = os.getppid()
    task = None
    try:
        task = func(*args, **kwargs)
        while not stop.is_set() and os.getppid() == parent:  # an orphan stops at its next step
            try:
                step = next(task)
            except StopIteration as end:
                _send(reports, "done", end.value)
                return
            _send(reports, "progress", step)
    except BaseException as exc:  # noqa: BLE001 — every failure goes back to the parent, which raises it
        _send(reports, "error", exc)
    finally:
        if task is not None:
            task.close()
        reports.close()
        reports.join_thread()  # everything sent has reached the pipe before the process ends
        # Leave at once: an ordinary interpreter exit waits seconds on TensorFlow's thread pools,
        # and the parent joins this process before it hands the result on. Nothing is left to
        # write (the task closed; caches are written atomically as they go).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _send(reports: Any, kind: str, value: Any) -> None:
    """Checked here that it pickles: the queue pickles in a feeder thread, where a failure is lost
    silently and the parent would wait for a report that never comes. (Only this private pipe is
    ever unpickled; nothing read from a file is.)"""
    try:
        pickle.dumps(value)
    except Exception as exc:  # noqa: BLE001
        if isinstance(value, Progress):  # the message still goes; the data that would not pickle does not
            value = Progress(value.fraction, value.message, value.stage)
        else:
            kind = "error"
            value = RuntimeError(str(value) if isinstance(value, BaseException)
                                 else f"the result could not be sent back: {exc}")
    reports.put((kind, value))
