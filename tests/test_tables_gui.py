"""The Tables workspace driven through its widgets by their objectNames, against the real engine:
open the messy table from File → Open table…, choose the target, mine, read the CV rows and the leak."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QTableWidget

from engine.tables.settings import MineSettings, ModelSizes
from helpers import SMALL_HOUSES, offline_digits
from test_tables_cli import BAD_LINE, write_messy_table

SMALL_TREES = MineSettings(models=("tree", "forest", "boosting"), sizes=ModelSizes(n_trees=10, boosting_iter=20))


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow, WindowOptions

    w = MainWindow(options=WindowOptions(digits=offline_digits(), houses=SMALL_HOUSES, tables=SMALL_TREES,
                                         modal_errors=False))
    qtbot.addWidget(w)
    if getattr(w, "projects", None) is not None:  # the close prompt's public hook: the test's work is not kept
        w.projects.unsaved_prompt = lambda: "discard"
    w.tabs.setCurrentWidget(w.tables_tab)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_open_choose_target_mine_and_see_the_leak(qtbot, window, tmp_path, monkeypatch) -> None:
    path = write_messy_table(tmp_path / "房价.csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    tab = window.tables_tab
    action = window.findChild(QAction, "openTableAction")
    assert action is not None and action.shortcut() == QKeySequence("Ctrl+O")
    with qtbot.waitSignal(tab.tableOpened, timeout=60_000):
        action.trigger()
    assert f"line {BAD_LINE}, 面积: 'abc'" in tab.status.text(), "the changed cell is named where it is"

    combo = window.findChild(QComboBox, "targetColumnCombo")
    combo.setCurrentText("价格")
    roles = window.findChild(QTableWidget, "columnRolesTable")
    by_name = {roles.item(i, 0).text(): i for i in range(roles.rowCount())}
    assert roles.cellWidget(by_name["学号"], 2).currentData() == "ignored"
    assert "ID-like" in roles.item(by_name["学号"], 3).text()
    assert roles.item(by_name["价格"], 2).text() == "target"

    qtbot.mouseClick(window.findChild(QPushButton, "mineButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.workspace.result is not None or "failed" in tab.status.text(), timeout=300_000)
    assert tab.workspace.result is not None, tab.status.text()
    cv = window.findChild(QTableWidget, "tableCvTable")
    assert cv.rowCount() == 3
    headers = [cv.horizontalHeaderItem(j).text() for j in range(cv.columnCount())]
    assert headers[1:] == ["mse", "mae", "r2"]
    assert any("★" in cv.item(i, 0).text() for i in range(3))
    warning = window.findChild(QLabel, "leakageWarning")
    assert warning.isVisibleTo(tab) and "价格副本" in warning.text() and "left out" in warning.text()
    assert window.session.tables and window.session.tables[-1].result.target == "价格"

    tab.findChild(QPushButton, "explainRowButton").click()  # on a page not in front
    assert "→" in tab.findChild(QLabel, "tableRulePath").text()
    assert tab.findChild(QComboBox, "feature_城市") is not None, "the form is generated from the table's columns"
    tab.findChild(QPushButton, "predictTableButton").click()
    assert tab.findChild(QLabel, "tablePrediction").text().startswith("价格: ")


def test_a_broken_file_is_refused_in_the_workspace(qtbot, window, tmp_path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    tab = window.tables_tab
    with qtbot.waitSignal(tab.fileError, timeout=30_000) as blocker:
        tab.open_path(str(path))
    assert "Line 3 of broken.csv" in blocker.args[0]
    assert not window.findChild(QPushButton, "mineButton").isEnabled()
