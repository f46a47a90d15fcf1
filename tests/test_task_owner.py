"""The task owner every workspace runs its work under (gui/common/tasks.py), with tiny tasks and
no TensorFlow: one task per kind, a replaced task's results never reach the widgets, errors and
cancels reach their handlers, finished workers are freed, and shutting down is bounded."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref

import pytest

from engine.core.errors import Cancelled
from engine.core.tasks import Progress
from gui.common.tasks import TaskOwner

WAIT_MS = 10_000


@pytest.fixture
def owner(qtbot):
    o = TaskOwner()
    yield o
    assert o.shutdown(WAIT_MS)


class Log:
    """Handler calls and worker-side events, in the order they happened."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self._lock = threading.Lock()

    def add(self, what: str, value: object = None) -> None:
        with self._lock:
            self.events.append((what, value))

    def handlers(self, name: str) -> dict:
        return dict(on_progress=lambda p: self.add("progress", (name, p.message)),
                    on_done=lambda r: self.add("done", r), on_error=lambda e: self.add("error", (name, e)),
                    on_cancelled=lambda: self.add("cancelled", name), on_ended=lambda: self.add("ended", name))

    def of(self, what: str) -> list[object]:
        return [v for w, v in self.events if w == what]


def until_stopped(log: Log, name: str):
    """A generator task that runs until it is stopped (as a long training does)."""
    log.add("start", name)
    try:
        i = 0
        while True:
            i += 1
            yield Progress(None, name, "tick", {"i": i})
            time.sleep(0.002)
    finally:
        log.add("end", name)


def gated(log: Log, name: str, gate: threading.Event, steps: int = 3):
    """A generator task that waits for ``gate`` before it reports and returns ``name``."""
    log.add("start", name)
    try:
        gate.wait(WAIT_MS / 1000)
        for i in range(steps):
            yield Progress(i / steps, name, "step")
        return name
    finally:
        log.add("end", name)


def test_a_new_task_of_a_kind_starts_only_after_the_old_one_ended(qtbot, owner) -> None:
    log = Log()
    owner.start("train", until_stopped, log, "old", **log.handlers("old"))
    qtbot.waitUntil(lambda: ("progress", ("old", "old")) in log.events, timeout=WAIT_MS)
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.start("train", gated, log, "new", _set_event(), **log.handlers("new"))
        assert owner.running_kinds() == ["train"], "one kind, one task: the new one waits"
    worker_side = [(w, v) for w, v in log.events if w in ("start", "end")]
    assert worker_side == [("start", "old"), ("end", "old"), ("start", "new"), ("end", "new")]
    assert log.of("done") == ["new"]
    assert log.of("cancelled") == [], "a replaced task is not reported as cancelled by the person"
    assert log.of("ended") == ["old", "new"]
    assert not owner.is_running()


def test_a_superseded_task_never_delivers_progress_or_a_result(qtbot, owner) -> None:
    log = Log()
    first_gate, second_gate = threading.Event(), threading.Event()
    owner.start("predict", gated, log, "stale", first_gate, **log.handlers("stale"))
    owner.start("predict", gated, log, "fresh", second_gate, **log.handlers("fresh"))
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        first_gate.set()
        second_gate.set()
    assert log.of("done") == ["fresh"]
    assert {name for name, _ in log.of("progress")} == {"fresh"}
    assert len(log.of("progress")) == 3


def test_a_superseded_plain_function_result_is_dropped(qtbot, owner) -> None:
    gate = threading.Event()
    results: list[str] = []

    def slow_read(value: str) -> str:
        gate.wait(WAIT_MS / 1000)
        return value

    owner.start("files", slow_read, "old file", on_done=results.append)
    owner.start("files", slow_read, "new file", on_done=results.append)
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        gate.set()
    assert results == ["new file"]


def test_idle_and_running_changed_follow_the_tasks(qtbot, owner) -> None:
    changes: list[tuple[str, bool]] = []
    owner.runningChanged.connect(lambda kind, running: changes.append((kind, running)))
    gate = threading.Event()
    log = Log()
    owner.start("a", gated, log, "a", gate)
    owner.start("b", gated, log, "b", gate)
    assert owner.is_running() and owner.is_running("a") and owner.running_kinds() == ["a", "b"]
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        gate.set()
    assert sorted(changes) == [("a", False), ("a", True), ("b", False), ("b", True)]
    assert changes.index(("a", True)) < changes.index(("a", False))
    assert not owner.is_running() and owner.running_kinds() == []


def test_an_error_in_a_plain_function_reaches_on_error(qtbot, owner) -> None:
    log = Log()

    def broken() -> None:
        raise ValueError("boom")

    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.start("files", broken, **log.handlers("broken"))
    (name, exc), = log.of("error")
    assert name == "broken" and isinstance(exc, ValueError) and str(exc) == "boom"
    assert log.of("done") == [] and log.of("cancelled") == []
    assert log.of("ended") == ["broken"]


def test_an_error_in_a_task_reaches_on_error(qtbot, owner) -> None:
    log = Log()

    def fails_halfway():
        yield Progress(0.5, "half", "step")
        raise OSError("disk gone")

    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.start("train", fails_halfway, **log.handlers("t"))
    assert [type(e) for _, e in log.of("error")] == [OSError]
    assert log.of("progress") == [("t", "half")]


def test_a_task_that_raises_cancelled_reports_cancelled_not_an_error(qtbot, owner) -> None:
    log = Log()

    def stops():
        yield Progress(None, "working", "step")
        raise Cancelled()

    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.start("train", stops, **log.handlers("t"))
    assert log.of("cancelled") == ["t"]
    assert log.of("error") == [] and log.of("done") == []


def test_cancel_stops_a_running_task_at_its_next_step(qtbot, owner) -> None:
    log = Log()
    owner.start("train", until_stopped, log, "long", **log.handlers("long"))
    qtbot.waitUntil(lambda: bool(log.of("progress")), timeout=WAIT_MS)
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.cancel("train")
    assert log.of("cancelled") == ["long"]
    assert log.of("done") == [] and log.of("error") == []
    assert ("end", "long") in log.events, "the task's clean-up ran"
    assert log.of("ended") == ["long"]


def test_cancel_also_drops_a_waiting_task(qtbot, owner) -> None:
    log = Log()
    owner.start("train", until_stopped, log, "running", **log.handlers("running"))
    owner.start("train", gated, log, "waiting", threading.Event(), **log.handlers("waiting"))
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.cancel("train")
    assert ("start", "waiting") not in log.events, "the waiting task never started"
    assert log.of("done") == []
    assert sorted(log.of("ended")) == ["running", "waiting"]


class Payload:
    """Stands for what a task holds: a model, an image, a dataset."""


def holds(payload: Payload, log: Log):
    log.add("start", "holds")
    yield Progress(None, "working", "step")
    return "done"


class StartedRunnables:
    """Every runnable a thread pool starts, recorded through Qt's public ``QThreadPool.start``
    (napari's way of watching workers without private fields)."""

    def __init__(self, monkeypatch) -> None:
        from PySide6.QtCore import QThreadPool

        self.refs: list[weakref.ref] = []
        real = QThreadPool.start

        def start(pool, runnable, *args):
            self.refs.append(weakref.ref(runnable))
            return real(pool, runnable, *args)

        monkeypatch.setattr(QThreadPool, "start", start)


def run_one_at_a_time(qtbot, owner: TaskOwner, n: int, started: StartedRunnables) -> tuple[list, list]:
    """``n`` tasks, generator and plain function in turn, each holding a payload; weakrefs to
    the workers and to the payloads once all have ended."""
    log = Log()
    payloads = []
    for i in range(n):
        payload = Payload()
        payloads.append(weakref.ref(payload))
        with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
            if i % 2:
                owner.start("files", lambda p: "plain result", payload, on_done=lambda r: log.add("done", r))
            else:
                owner.start("train", holds, payload, log, on_done=lambda r: log.add("done", r))
        del payload
    assert len(log.of("done")) == n and len(started.refs) == n
    gc.collect()
    return started.refs, payloads


def test_what_finished_tasks_held_is_freed(qtbot, owner, monkeypatch) -> None:
    """A finished task must not keep its model or data alive (PySide may keep a finished
    runnable's small Python wrapper; it holds nothing of the task)."""
    workers, payloads = run_one_at_a_time(qtbot, owner, 6, StartedRunnables(monkeypatch))
    assert len(workers) == 6, "every task ran on this owner's pool"
    assert [ref() is None for ref in payloads] == [True] * 6, "what each task held is freed with it"


def crash_with(error: BaseException):
    yield Progress(None, "about to fail", "step")
    raise error


@pytest.mark.parametrize("error", [RuntimeError("boom"), RecursionError("deep"), NotImplementedError("later")],
                         ids=["RuntimeError", "RecursionError", "NotImplementedError"])
def test_any_exception_ends_its_task_and_frees_its_kind(qtbot, owner, error) -> None:
    """superqt's GeneratorWorker returns without ``finished`` on a RuntimeError: a kind that raised
    one stayed "running" for ever and every later start of it queued behind a dead worker."""
    log = Log()
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.start("compare", crash_with, error, **log.handlers("first"))
    assert [type(e) for _, e in log.of("error")] == [type(error)]
    assert not owner.is_running("compare")
    with qtbot.waitSignal(owner.idle, timeout=WAIT_MS):
        owner.start("compare", holds, Payload(), log, on_done=lambda r: log.add("done", r))
    assert log.of("done") == ["done"], "the next task of that kind ran"


def test_shutdown_waits_for_its_own_workers_only(qtbot) -> None:
    """Closing a dialog while the window trains must not wait for the training."""
    busy, dialog = TaskOwner(), TaskOwner()
    stuck = threading.Event()
    running = threading.Event()

    def ignores_cancel() -> None:
        running.set()
        stuck.wait(WAIT_MS / 1000)

    busy.start("training", ignores_cancel)
    qtbot.waitUntil(running.is_set, timeout=WAIT_MS)
    dialog.start("export", lambda: "written")
    assert dialog.shutdown(WAIT_MS) is True, "the dialog's own work ended"
    assert busy.is_running("training"), "while the other owner's task still runs"
    stuck.set()
    assert busy.shutdown(WAIT_MS) is True


def warns(message: str):
    import warnings

    warnings.warn(message, UserWarning, stacklevel=1)
    yield Progress(None, "warned", "step")
    return "done"


def test_a_warning_raised_in_a_task_reaches_the_owner(qtbot, owner) -> None:
    with qtbot.waitSignal(owner.warned, timeout=WAIT_MS) as seen:
        owner.start("cv", warns, "3 rows of the target are missing and were dropped")
    assert seen.args == ["3 rows of the target are missing and were dropped"]
    qtbot.waitUntil(lambda: not owner.is_running(), timeout=WAIT_MS)


def _set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


def test_shutdown_is_bounded_even_when_a_function_cannot_stop(qtbot) -> None:
    owner = TaskOwner()
    stuck = threading.Event()
    log = Log()
    owner.start("files", lambda: stuck.wait(WAIT_MS / 1000))  # a library call that ignores cancel
    owner.start("train", until_stopped, log, "long")
    qtbot.waitUntil(lambda: ("start", "long") in log.events, timeout=WAIT_MS)
    assert owner.shutdown(300) is False, "the stuck function is still running"
    assert ("end", "long") in log.events, "the cancellable task stopped within the bound"
    owner.start("train", until_stopped, log, "after")  # a closed owner starts nothing
    stuck.set()
    assert owner.shutdown(WAIT_MS) is True
    assert ("start", "after") not in log.events
