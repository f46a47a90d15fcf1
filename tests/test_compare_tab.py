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


def _write_marks(path, n: int = 150, seed: int = 0):
    """A small classification table of our own: students' marks and whether they passed."""
    import numpy as np

    rng = np.random.default_rng(seed)
    hours, absences = rng.uniform(0, 10, n), rng.integers(0, 15, n)
    group = rng.choice(["A", "B", "C"], n)
    passed = np.where(hours * 1.2 - absences * 0.4 + (group == "A") + rng.normal(0, 1, n) > 3, "yes", "no")
    lines = ["hours,absences,group,passed"] + [f"{h:.2f},{a},{g},{p}" for h, a, g, p in
                                                zip(hours, absences, group, passed)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_table_half_runs_on_the_table_open_in_tables(qtbot, tmp_path) -> None:
    import dataclasses

    from PySide6.QtWidgets import QComboBox

    window, tab = open_compare(qtbot)
    choice = window.findChild(QComboBox, "compareTableCombo")
    assert choice.currentText() == "Boston houses"
    assert not choice.model().item(1).isEnabled(), "no table is open yet"
    assert not tab.choose_open_table()

    tables = window.tables_tab
    with qtbot.waitSignal(tables.tableOpened, timeout=60_000):
        tables.open_path(str(_write_marks(tmp_path / "marks.csv")))
    window.findChild(QComboBox, "targetColumnCombo").setCurrentText("passed")
    assert choice.model().item(1).isEnabled()
    assert choice.itemText(1) == "The table open in Tables: marks.csv → passed"
    assert tab.choose_open_table() and choice.currentIndex() == 1

    with qtbot.waitSignal(tab.comparisonFinished, timeout=300_000):
        tab.run(dataclasses.replace(TINY, name="tiny-table", digit_models=()))
    result = window.session.compare
    assert result.table is not None and result.table.label == "marks.csv → passed"
    assert result.table.metric == "accuracy" and {c.task for c in result.cells} == {"table"}
    table = window.findChild(QTableWidget, "compareTable")
    assert table.rowCount() == len(result.cells) == 8
    assert {table.item(r, 0).text() for r in range(table.rowCount())} == {"marks.csv → passed"}
    boston = dataclasses.replace(result, table=None, cells=[dataclasses.replace(c, task="houses", metric="mse")
                                                            for c in result.cells])
    tab.show_result(boston)  # a reopened project's run with as many cells: its own rows, not the last run's
    assert table.rowCount() == 8 and "marks.csv" not in table.item(0, 0).text()
    assert choice.currentText() == "Boston houses", "Boston's run: the choice says Boston"
    tab.show_result(result)
    assert choice.currentIndex() == 1, "a run on the table open in Tables: the choice names that table"
    assert "The results shown are of the table" not in tab.status.text()
    summary = window.findChild(QTableWidget, "compareSummary")
    assert summary.horizontalHeaderItem(2).text() == "marks.csv → passed, measured"
    assert "marks.csv → passed" in summary.item(0, 3).text() and "accuracy" in summary.item(0, 3).text()

    with qtbot.waitSignal(tables.tableOpened, timeout=60_000):  # another table: the choice follows it
        tables.open_path(str(_write_marks(tmp_path / "other.csv", seed=1)))
    window.findChild(QComboBox, "targetColumnCombo").setCurrentText("passed")
    tab.refresh_table_choice()
    assert choice.itemText(1) == "The table open in Tables: other.csv → passed"
    qtbot.waitUntil(window.findChild(QPushButton, "compareRunButton").isEnabled, timeout=10_000)
    tab.show_result(result)  # marks.csv's run while other.csv is open: Boston chosen, the status names marks.csv
    assert choice.currentText() == "Boston houses"
    assert "The results shown are of the table marks.csv → passed" in tab.status.text()

    window.projects.unsaved_prompt = lambda: "discard"  # the close prompt's public hook: nothing here is kept
    window.projects.new_project()  # File → New project: nothing of the comparison or of the table stays
    assert window.session.compare is None and table.rowCount() == 0 and summary.rowCount() == 0
    assert summary.horizontalHeaderItem(2).text() == "Houses (table), measured"
    assert tab.status.text().startswith("Runs decision trees") and tab.progress.value() == 0
    assert choice.currentText() == "Boston houses" and not choice.model().item(1).isEnabled()
    assert choice.itemText(1) == "The table open in Tables (open one and choose its target)"
    qtbot.waitUntil(lambda: bool(tab.curves.drawn) and all(panel.lines == 0 for panel in tab.curves.drawn),
                    timeout=20_000)
