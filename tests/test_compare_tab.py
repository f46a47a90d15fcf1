"""The Compare workspace driven through its contract widgets, on a tiny real comparison."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QPushButton, QTableWidget

from engine.compare.presets import TINY


def open_compare(qtbot):
    from gui.main_window import MainWindow, WindowOptions

    window = MainWindow(options=WindowOptions(modal_errors=False))
    qtbot.addWidget(window)
    window.tabs.setCurrentWidget(window.compare_tab)
    window.show()
    return window, window.compare_tab


def test_a_tiny_run_fills_the_table_curves_and_readings(qtbot) -> None:
    window, tab = open_compare(qtbot)
    table = window.findChild(QTableWidget, "compareTable")
    with qtbot.waitSignal(tab.comparisonFinished, timeout=300_000):
        tab.run(TINY)
    result = window.session.compare
    assert result is not None and result.complete
    assert table.rowCount() == len(result.cells) > 0
    shown = {tuple(table.item(r, c).text() for c in (0, 1, 2)) for r in range(table.rowCount())}
    assert len(shown) == len(result.cells), "one row per model and size"
    assert window.findChild(QProgressBar, "compareProgress").value() == 100
    summary = window.findChild(QTableWidget, "compareSummary")
    assert summary.rowCount() == 4, "data type, data needed, computing cost, explainability"
    def curves_of_every_model() -> bool:  # the figure renders off the GUI thread, just after the run
        return [panel.lines for panel in tab.curves.drawn] == [len(result.models("digits")),
                                                              len(result.models("houses"))]

    qtbot.waitUntil(curves_of_every_model, timeout=20_000)
    assert not tab.curves.grab().toImage().isNull()
    qtbot.waitUntil(window.findChild(QPushButton, "compareRunButton").isEnabled, timeout=10_000)
    assert not window.findChild(QPushButton, "compareCancelButton").isEnabled()


def test_cancel_keeps_finished_cells_and_a_rerun_reuses_them(qtbot) -> None:
    window, tab = open_compare(qtbot)
    table = window.findChild(QTableWidget, "compareTable")
    cancel = window.findChild(QPushButton, "compareCancelButton")
    run = window.findChild(QPushButton, "compareRunButton")
    tab.run(TINY)
    qtbot.waitUntil(lambda: table.rowCount() >= 1, timeout=300_000)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(run.isEnabled, timeout=60_000)
    kept = table.rowCount()
    assert kept >= 1 and window.session.compare is None, "a cancelled run is not reported as complete"
    with qtbot.waitSignal(tab.comparisonFinished, timeout=300_000):
        tab.run(TINY)
    cached = [c for c in window.session.compare.cells if c.cached]
    assert len(cached) >= kept, "the cells finished before the cancel come from the cache"
