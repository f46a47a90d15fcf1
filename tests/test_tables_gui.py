"""The Tables workspace driven through its widgets by their objectNames, against the real engine:
open the messy table from File → Open table… (or by dropping it onto the window), choose the target, mine,
read the CV rows (in people's words, in English and Chinese) and the leak; "what if" on a number and on a
category, the depth lab, "keep the top k features"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QSpinBox, QTableWidget

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
    assert tab.progress.value() == 100, "the bar ends full once the table is read and profiled"
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
    assert headers[1:] == ["mean squared error", "mean absolute error", "R² (variance explained)"]
    assert any("★" in cv.item(i, 0).text() for i in range(3))
    warning = window.findChild(QLabel, "leakageWarning")
    assert warning.isVisibleTo(tab) and "价格副本" in warning.text() and "left out" in warning.text()
    assert window.session.tables and window.session.tables[-1].result.target == "价格"

    tab.findChild(QPushButton, "explainRowButton").click()  # on a page not in front
    assert "→" in tab.findChild(QLabel, "tableRulePath").text()
    assert tab.findChild(QComboBox, "feature_城市") is not None, "the form is generated from the table's columns"
    tab.findChild(QPushButton, "predictTableButton").click()
    assert tab.findChild(QLabel, "tablePrediction").text().startswith("价格: ")


def _roles_by_name(tab) -> dict[str, tuple[str, str]]:
    """Each column's role (as the combo or the cell says) and its "why", as on screen."""
    table = tab.findChild(QTableWidget, "columnRolesTable")
    out = {}
    for i in range(table.rowCount()):
        combo = table.cellWidget(i, 2)
        role = combo.currentData() if isinstance(combo, QComboBox) else table.item(i, 2).text()
        out[table.item(i, 0).text()] = (role, table.item(i, 3).text())
    return out


def test_a_leaking_column_is_shown_left_out_and_can_be_kept(qtbot, window, tmp_path) -> None:
    tab = window.tables_tab
    _mine(qtbot, tab, write_messy_table(tmp_path / "房价.csv"), "价格")
    role, why = _roles_by_name(tab)["价格副本"]
    assert role == "ignored", "the mining found the copy of the target: the roles page says it is left out"
    score = tab.workspace.result.leaks[0].score
    assert why.startswith("target leakage") and why.endswith(f"— R² (variance explained) {score:.3f}"), why
    assert tab.current_choice().keep == []

    roles = tab.findChild(QTableWidget, "columnRolesTable")
    copy_role = tab.findChild(QComboBox, "role_价格副本")
    copy_role.setCurrentIndex(copy_role.findData("feature"))
    assert _roles_by_name(tab)["价格副本"][1].startswith("kept on purpose — target leakage")
    city = tab.findChild(QComboBox, "role_城市")
    city.setCurrentIndex(city.findData("ignored"))
    assert _roles_by_name(tab)["城市"] == ("ignored", "left out by you")
    choice = tab.current_choice()
    assert choice.keep == ["价格副本"] and choice.ignore == ["城市"]
    city.setCurrentIndex(city.findData("feature"))
    assert _roles_by_name(tab)["城市"] == ("feature", "") and tab.current_choice().ignore == []

    with qtbot.waitSignal(tab.mined, timeout=300_000):
        qtbot.mouseClick(tab.mine_button, Qt.MouseButton.LeftButton)
    result = tab.workspace.result
    assert "价格副本" in result.roles.features and [f.kept for f in result.leaks] == [True]
    warning = window.findChild(QLabel, "leakageWarning").text()
    assert "价格副本" in warning and "kept on purpose" in warning
    role, why = _roles_by_name(tab)["价格副本"]
    assert role == "feature" and why.startswith("kept on purpose"), "the second mining kept it, and says so"
    assert roles.rowCount() == 6 and tab.current_choice().keep == ["价格副本"]

    tab.target_combo.setCurrentText("面积")  # a copy of 价格 is no leak of 面积: no flag from the last mining
    assert _roles_by_name(tab)["价格副本"] == ("feature", "")


def test_a_broken_file_is_refused_in_the_workspace(qtbot, window, tmp_path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    tab = window.tables_tab
    with qtbot.waitSignal(tab.fileError, timeout=30_000) as blocker:
        tab.open_path(str(path))
    assert "Line 3 of broken.csv" in blocker.args[0]
    assert not window.findChild(QPushButton, "mineButton").isEnabled()


def _mine(qtbot, tab, path, target: str) -> None:
    with qtbot.waitSignal(tab.tableOpened, timeout=60_000):
        tab.open_path(str(path))
    tab.target_combo.setCurrentText(target)
    with qtbot.waitSignal(tab.mined, timeout=300_000):
        qtbot.mouseClick(tab.mine_button, Qt.MouseButton.LeftButton)
    assert tab.workspace.result is not None and tab.progress.value() == 100


def _sweep(qtbot, tab, feature: str):
    combo = tab.findChild(QComboBox, "whatIfFeatureCombo")
    combo.setCurrentIndex(combo.findData(feature))
    with qtbot.waitSignal(tab.whatIfShown, timeout=60_000):
        combo.activated.emit(combo.currentIndex())
    tab.pages.setCurrentWidget(tab.explain_page)  # drawn when shown
    qtbot.waitUntil(lambda: bool(tab.explain_page.what_if_plot.figure.axes))
    return tab.explain_page.shown, tab.explain_page.what_if_plot.figure.axes[0]


def test_what_if_on_a_number_and_on_a_category(qtbot, window, tmp_path) -> None:
    tab = window.tables_tab
    _mine(qtbot, tab, write_messy_table(tmp_path / "房价.csv"), "价格")
    assert tab.models_page.confusion_plot.isHidden(), "a regression has no confusion matrix"
    tab.explain_page.row_spin.setValue(3)
    sweep, ax = _sweep(qtbot, tab, "面积")
    assert sweep.numeric and len(sweep.xs) == 40 and sweep.column == "面积"
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 40]
    assert len(lines) == 3, "the recommended model and the two others, each a curve over the range"
    assert "Row 3" in ax.get_title() and "面积" in ax.get_title()
    rising = sweep.curves[sweep.best]
    assert rising[-1] > rising[0], "a larger flat costs more: the sweep shows it"
    sweep, ax = _sweep(qtbot, tab, "城市")
    assert not sweep.numeric and sorted(sweep.xs) == ["上海", "北京", "广州"]
    assert [t.get_text() for t in ax.get_xticklabels()] == sweep.xs, "one point per city"
    assert sweep.current in sweep.xs

    rows = tmp_path / "new.csv"  # batch prediction: a flat on Mars of a million m² is predicted, and flagged
    rows.write_text("学号,城市,面积,日期\n9001,北京,100.5,2021-05-06\n9003,火星,1000000,2021-06-07\n", encoding="utf-8")
    tab.batch(str(rows), str(tmp_path / "predicted.csv"))
    qtbot.waitUntil(lambda: "Predicted 2 rows" in tab.form.result.text(), timeout=60_000)
    text = tab.form.result.text()
    assert "面积: 1 value(s) outside the range" in text and "城市: 1 value(s) the models never saw (火星)" in text


def test_depth_lab_and_top_k(qtbot, window, tmp_path) -> None:
    tab = window.tables_tab
    _mine(qtbot, tab, write_messy_table(tmp_path / "房价.csv"), "价格")
    tab.pages.setCurrentWidget(tab.depth_page)
    run = tab.findChild(QPushButton, "depthLabRunButton")
    assert run.isEnabled()
    with qtbot.waitSignal(tab.depthCurveShown, timeout=300_000):
        run.click()
    curve = tab.depth_page.curve
    assert [c["depth"] for c in curve] == list(range(1, 13))
    assert curve[-1]["train"] < curve[-1]["cv"], "the training folds' error below the held-out folds'"
    qtbot.waitUntil(lambda: bool(tab.depth_page.plot.figure.axes))
    ax = tab.depth_page.plot.figure.axes[0]
    assert sum(len(line.get_xdata()) == 12 for line in ax.get_lines()) == 2, "training and held-out curves"
    caption = tab.findChild(QLabel, "depthLabCaption").text()
    assert "Best held-out mean squared error" in caption and "At depth 6" in caption
    tab.findChild(QSpinBox, "tableTreeDepth").setValue(3)
    assert "At depth 3" in tab.findChild(QLabel, "depthLabCaption").text(), "the chosen depth, read off the curve"

    tab.findChild(QSpinBox, "topKSpin").setValue(1)
    with qtbot.waitSignal(tab.topKShown, timeout=300_000):
        tab.findChild(QPushButton, "topKButton").click()
    text = tab.findChild(QLabel, "topKResult").text()
    assert "top 1 of" in text and "mean squared error" in text and "instead of" in text

    tab.findChild(QPushButton, "predictTableButton").click()
    assert tab.findChild(QLabel, "tablePrediction").text().startswith("价格: ")

    window.projects.new_project()  # File → New project: the table and its results leave the screen with the session
    assert window.session.tables == [] and tab.findChild(QTableWidget, "tableCvTable").rowCount() == 0
    assert tab.findChild(QTableWidget, "columnRolesTable").rowCount() == 0 and not tab.mine_button.isEnabled()
    assert not tab.findChild(QPushButton, "exportTableModelButton").isEnabled()
    caption = tab.findChild(QLabel, "depthLabCaption").text()
    assert caption.startswith("Mine a table, then run the depth lab") and "Best held-out" not in caption
    assert tab.depth_page.curve == [] and not run.isEnabled()
    assert not any(ax.get_lines() for ax in tab.depth_page.plot.figure.axes), "no curve of the old table"
    assert tab.findChild(QComboBox, "feature_城市") is None, "no field of the old table's form stays"
    assert tab.findChild(QLabel, "tablePrediction").text() == ""
    assert not tab.findChild(QPushButton, "predictTableButton").isEnabled()


def test_a_table_dropped_anywhere_on_the_window_opens_in_tables(qtbot, window, tmp_path) -> None:
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    window.tabs.setCurrentWidget(window.digit_tab)
    path = write_messy_table(tmp_path / "房价.csv")

    def mime(p) -> QMimeData:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(p))])
        return data

    image = tmp_path / "digit.png"
    image.write_bytes(b"not checked here")
    image_mime = mime(image)  # held here: the event keeps only a pointer to it
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, image_mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted(), "an image is the digit canvas's to take, not the window's"
    table_mime = mime(path)
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, table_mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, table_mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.tables_tab.tableOpened, timeout=60_000):
        QApplication.sendEvent(window, drop)
    assert window.tabs.currentWidget() is window.tables_tab
    assert window.tables_tab.workspace.table.name.startswith("房价")


def test_metric_headers_and_example_names_in_chinese(qtbot) -> None:
    from engine.core.i18n import set_language
    from engine.core.session import Session
    from gui.tables.workspace import TablesTab

    set_language("zh_CN")  # the conftest sets English again for the next test
    tab = TablesTab(Session(), SMALL_TREES, modal_errors=False)
    qtbot.addWidget(tab)
    examples = {a.objectName(): a.text() for a in tab.examples_button.menu().actions()}
    assert examples["example_wine"] == "葡萄酒品种（分类，scikit-learn）"
    assert examples["example_boston"].startswith("波士顿房价")
    with qtbot.waitSignal(tab.tableOpened, timeout=60_000):
        tab.open_example("wine")
    with qtbot.waitSignal(tab.mined, timeout=300_000):
        tab.mine()
    headers = [tab.cv_table.horizontalHeaderItem(j).text() for j in range(1, tab.cv_table.columnCount())]
    assert headers == ["准确率", "平衡准确率", "宏平均 F1", "ROC 曲线下面积"]
    assert "balanced_accuracy" not in tab.models_page.recommended.text()
    # a classification shows the recommended model's confusion matrix: the three cultivars against each other
    page = tab.models_page
    assert not page.confusion_plot.isHidden()
    ax = page.confusion_plot.figure.axes[0]
    from engine.tables.settings import model_label

    assert len(ax.get_xticklabels()) == 3 and model_label(tab.workspace.result.best) in ax.get_title()
    matrix = ax.get_images()[0].get_array()
    assert matrix.shape == (3, 3) and int(matrix.sum()) == 178, "every wine once, out of fold"
    tab.shutdown()
