"""The shell a person meets first: the `deepmine` entry point, the main window, its menus."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtGui import QAction


def run_deepmine(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gui.launcher", *args],
                          capture_output=True, text=True, timeout=120)


def test_help_lists_commands_without_loading_qt_or_tensorflow() -> None:
    code = ("import sys; from gui.launcher import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as e:\n    rc = e.code\n"
            "print('LOADED', 'PySide6' in sys.modules, 'tensorflow' in sys.modules, rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "usage: deepmine" in out.stdout
    assert "LOADED False False 0" in out.stdout


def test_unknown_command_fails_with_one_clear_line() -> None:
    result = run_deepmine("frobnicate")
    assert result.returncode != 0
    assert "invalid choice" in result.stderr


@pytest.mark.parametrize("args", [[], ["-v"], ["--lang", "en", "-v"], ["--lang=en"], ["gui"]])
def test_language_and_verbosity_alone_open_the_window(args) -> None:
    """Without a display the window's path answers in one line (exit 2), not the CLI's help."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "gui.launcher", *args], capture_output=True, text=True,
                            timeout=120, env=dict(env, DEEPMINE_LANG="en"))
    assert result.returncode == 2 and result.stdout == "", result.stderr[-2000:]
    assert result.stderr.startswith("deepmine: no display to open the window on") and result.stderr.count("\n") == 1


def test_main_window_offers_export_and_language_menu(qtbot) -> None:
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    export = window.findChild(QAction, "exportReportAction")
    assert export is not None
    assert export.shortcut().toString() == "Ctrl+E"
    assert window.findChild(QAction, "language_en") is not None
    assert window.findChild(QAction, "language_zh_CN") is not None
    assert window.isDigitModelReady() is False


def test_language_choice_persists(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from gui.common.i18n import preferred_language
    from gui.main_window import MainWindow

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.No)
    window = MainWindow()
    qtbot.addWidget(window)
    window.findChild(QAction, "language_zh_CN").trigger()
    assert asked, "the person is told the language applies after a restart"
    assert preferred_language() == "zh_CN"


def test_closing_the_window_stops_background_tasks_at_their_next_step(qtbot) -> None:
    """Closing cancels each workspace's task: each stops at its next step (counted in steps, not seconds)."""
    from engine.core.tasks import Progress
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    closing = threading.Event()
    steps_after_close = {"digits": 0, "houses": 0}
    stopped: list[str] = []

    def busy(name: str):  # a task that only stops when it is cancelled
        try:
            while True:
                yield Progress(None, "busy", "step")
                if closing.is_set():
                    steps_after_close[name] += 1
                time.sleep(0.01)
        finally:
            stopped.append(name)

    progress: list[Progress] = []
    window.digit_tab.tasks.start("training", busy, "digits", on_progress=progress.append)
    window.house_tab.tasks.start("training", busy, "houses")
    qtbot.waitUntil(lambda: bool(progress), timeout=5000)
    closing.set()
    window.close()
    qtbot.waitUntil(lambda: sorted(stopped) == ["digits", "houses"], timeout=10_000)
    assert max(steps_after_close.values()) <= 1, steps_after_close


def test_the_dangling_worker_guard_sees_a_task_still_running(qtbot, started_workers) -> None:
    """tests/conftest.py fails a test that leaves a worker running: it must see one."""
    from gui.common.tasks import TaskOwner

    release = threading.Event()
    owner = TaskOwner()
    done: list[int] = []
    owner.start("waiting", lambda: release.wait(10) and 1, on_done=done.append)
    assert [w for w in started_workers.running() if "test_app_shell.py" in w], started_workers.running()
    release.set()
    qtbot.waitUntil(lambda: done == [1], timeout=10_000)
    qtbot.waitUntil(lambda: not started_workers.running(), timeout=10_000)
