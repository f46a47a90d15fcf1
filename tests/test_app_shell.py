"""The shell a person meets first: the `deepmine` entry point, the main window, its menus."""

from __future__ import annotations

import subprocess
import sys
import time

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


def test_closing_the_window_stops_background_tasks_quickly(qtbot) -> None:
    from engine.core.tasks import Progress
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    stopped: list[float] = []

    def busy():  # a task that only stops when it is cancelled
        try:
            while True:
                yield Progress(None, "busy", "step")
                time.sleep(0.05)
        finally:
            stopped.append(time.monotonic())

    progress: list[Progress] = []
    window.digit_tab.tasks.start("training", busy, on_progress=progress.append)
    window.house_tab.tasks.start("training", busy)
    qtbot.waitUntil(lambda: bool(progress), timeout=5000)
    t0 = time.monotonic()
    window.close()
    assert len(stopped) == 2, "closing waited for both workspaces' tasks to stop"
    assert max(stopped) - t0 < 3.0
