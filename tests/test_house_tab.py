"""The house workspace driven through its widgets, against the real engine."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QPushButton, QSpinBox, QWidget

from engine.houses.boston import FEATURES, TARGET, load_boston
from helpers import window_options


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow

    # small real ensembles (fast tests); file errors shown in the tab, no modal box
    w = MainWindow(options=window_options())
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.house_tab.modelsReady, timeout=60_000):
        w.house_tab.start_background_work()
    w.tabs.setCurrentWidget(w.house_tab)
    return w


def price_in(label: QLabel) -> float:
    return float(re.search(r"\d+\.\d", label.text()).group(0))


def type_into(qtbot, widget, value: str) -> None:
    widget.setFocus()
    widget.selectAll() if hasattr(widget, "selectAll") else None
    qtbot.keyClicks(widget.lineEdit(), value)
    qtbot.keyClick(widget.lineEdit(), Qt.Key.Key_Tab)


def test_typed_features_give_the_engines_price(qtbot, window) -> None:
    tab = window.house_tab
    rm = window.findChild(QDoubleSpinBox, "feature_RM")
    lstat = window.findChild(QDoubleSpinBox, "feature_LSTAT")
    chas = window.findChild(QComboBox, "feature_CHAS")
    assert rm is not None and lstat is not None and chas is not None
    for name in FEATURES:
        assert window.findChild(QWidget, f"feature_{name}").metaObject().className() in (
            "QDoubleSpinBox", "QSpinBox", "QComboBox", "DecimalSpinBox", "WholeSpinBox"), name  # gui.common.number_input
    rm.lineEdit().selectAll()
    type_into(qtbot, rm, "7.2")
    lstat.lineEdit().selectAll()
    type_into(qtbot, lstat, "4.5")
    chas.setCurrentIndex(chas.findData(1.0))
    qtbot.mouseClick(window.findChild(QPushButton, "predictHouseButton"), Qt.MouseButton.LeftButton)

    expected = tab.models.predict(tab.values())
    assert tab.values()["RM"] == pytest.approx(7.2) and tab.values()["LSTAT"] == pytest.approx(4.5)
    label = window.findChild(QLabel, "housePrediction")
    assert price_in(label) == pytest.approx(round(expected.price, 1))
    others = window.findChild(QLabel, "otherModelPrices").text()
    assert f"{expected.per_model['forest']:.1f}" in others and f"{expected.per_model['boosting']:.1f}" in others
    assert window.session.houses[-1].prediction.price == pytest.approx(expected.price)
    assert window.session.houses[-1].prediction.inputs["RM"] == pytest.approx(7.2)


def test_live_update_as_inputs_change(qtbot, window) -> None:
    tab = window.house_tab
    label = window.findChild(QLabel, "housePrediction")
    rm = window.findChild(QDoubleSpinBox, "feature_RM")
    rm.setValue(8.5)
    lstat = window.findChild(QDoubleSpinBox, "feature_LSTAT")
    lstat.setValue(2.0)
    qtbot.waitUntil(lambda: price_in(label) == pytest.approx(round(tab.models.predict(tab.values()).price, 1)),
                    timeout=2000)
    assert price_in(label) > 30, "a big house in a well-off area is expensive"


def test_out_of_range_inputs_are_accepted_but_flagged(qtbot, window) -> None:
    rm = window.findChild(QDoubleSpinBox, "feature_RM")
    warning = window.findChild(QLabel, "outOfRangeWarning")
    rm.setValue(20)
    qtbot.waitUntil(lambda: "RM" in warning.text(), timeout=2000)
    assert "never seen" in warning.text()
    assert rm.value() == 20 and rm.styleSheet()
    rm.setValue(6)
    qtbot.waitUntil(lambda: warning.text() == "", timeout=2000)


def test_explanation_follows_the_trees_own_decision_path(qtbot, window) -> None:
    tab = window.house_tab
    tab.load_row(10)
    pred = tab.last
    x = tab.models.row(tab.values())
    nodes = tab.models.tree.decision_path(x).indices
    assert [s.node_id for s in pred.path] + [pred.leaf_node] == list(nodes)
    tree = tab.models.tree.tree_
    text = window.findChild(QLabel, "houseExplanation").text()
    for step in pred.path:
        assert step.feature in text
    assert f"{float(tree.value[pred.leaf_node].ravel()[0]):.1f}" in text
    assert "true price" in window.findChild(QLabel, "housePrediction").text()
    assert window.session.houses[-1].true_price == pytest.approx(load_boston().y[9])


def test_depth_control_retrains_the_tree(qtbot, window) -> None:
    tab = window.house_tab
    before = tab.models
    depth = window.findChild(QSpinBox, "treeDepth")
    with qtbot.waitSignal(tab.modelsReady, timeout=60_000):
        depth.setValue(2)
    assert tab.models is not before
    assert tab.models.tree.get_depth() == 2
    assert tab.session.house_models.params["max_depth"] == 2
    assert len(window.findChild(QLabel, "houseExplanation").text().split(" and ")) <= 2


def write_boston_csv(path: Path, rows: slice = slice(None), header: list[str] | None = None) -> None:
    data = load_boston()
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header or (FEATURES + [TARGET]))
        for x, y in zip(data.X[rows], data.y[rows]):
            w.writerow([f"{v:g}" for v in x] + [f"{y:g}"])


def test_import_good_csv_trains_on_it(qtbot, window, tmp_path) -> None:
    tab = window.house_tab
    path = tmp_path / "houses.csv"
    write_boston_csv(path, slice(0, 300))
    with qtbot.waitSignal(tab.modelsReady, timeout=60_000):
        tab.import_csv(str(path))
    assert tab.models.info.provenance.n_samples == 300
    assert "houses.csv" in tab.models.info.provenance.label
    assert "300" in window.findChild(QLabel, "dataQuality").text()


def test_malformed_csv_is_refused_with_its_line_and_the_model_stays(qtbot, window, tmp_path) -> None:
    tab = window.house_tab
    before = tab.models
    path = tmp_path / "broken.csv"
    write_boston_csv(path, slice(0, 50))
    lines = path.read_text().splitlines()
    lines[7] = lines[7] + ",1,2,3"
    path.write_text("\n".join(lines) + "\n")
    with qtbot.waitSignal(tab.fileError, timeout=10_000) as refused:
        tab.import_csv(str(path))
    message = refused.args[0]
    assert "Line 8" in message and "broken.csv" in message
    assert tab.models is before
    assert "current model stays" in window.findChild(QLabel, "houseStatus").text()


def test_csv_with_missing_values_is_imputed_and_reported(qtbot, window, tmp_path) -> None:
    tab = window.house_tab
    path = tmp_path / "gaps.csv"
    write_boston_csv(path, slice(0, 200))
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[5] = ""  # RM missing
    cells[0] = "n/a"  # CRIM not a number
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with qtbot.waitSignal(tab.modelsReady, timeout=60_000):
        tab.import_csv(str(path))
    quality = tab.models.info.quality
    assert quality.missing.get("RM", 0) + quality.non_numeric.get("RM", 0) >= 1
    assert quality.non_numeric.get("CRIM", 0) + quality.missing.get("CRIM", 0) >= 1
    summary = window.findChild(QLabel, "dataQuality").text()
    assert "median" in summary


def test_csv_with_other_column_names_goes_through_the_mapping_dialog(qtbot, window, tmp_path, monkeypatch) -> None:
    from gui.houses.dialogs import ColumnMappingDialog

    tab = window.house_tab
    names = [f"col_{f.lower()}" for f in FEATURES] + ["price"]
    path = tmp_path / "renamed.csv"
    write_boston_csv(path, slice(0, 120), header=names)

    def exec_(dialog: ColumnMappingDialog) -> int:
        for feature, combo in dialog.combos.items():
            combo.setCurrentIndex(combo.findData("price" if feature == TARGET else f"col_{feature.lower()}"))
        return 1

    monkeypatch.setattr(ColumnMappingDialog, "exec", exec_)
    with qtbot.waitSignal(tab.modelsReady, timeout=60_000):
        tab.import_csv(str(path))
    assert tab.models.info.provenance.n_samples == 120


def test_batch_prediction_writes_a_correct_csv(qtbot, window, tmp_path) -> None:
    tab = window.house_tab
    source = tmp_path / "to-price.csv"
    write_boston_csv(source, slice(0, 25))
    out = tmp_path / "priced.csv"
    tab.batch_predict(str(source), str(out))
    status = window.findChild(QLabel, "houseStatus")
    qtbot.waitUntil(lambda: "Priced 25 houses" in status.text(), timeout=10_000)
    with open(out, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 25
    expected = tab.models.predict_rows(load_boston().X[:25])
    got = np.array([float(r["predicted_tree"]) for r in rows])
    assert np.allclose(got, expected["tree"], atol=0.01)
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir()), "no temp file left behind"


def test_training_without_b(qtbot, window) -> None:
    tab = window.house_tab
    assert "racist" in window.findChild(QLabel, "bColumnNote").text()
    with qtbot.waitSignal(tab.modelsReady, timeout=60_000):
        tab.drop_b.setChecked(True)
    assert "B" not in tab.models.features
    assert not window.findChild(QDoubleSpinBox, "feature_B").isEnabled()
    qtbot.mouseClick(window.findChild(QPushButton, "predictHouseButton"), Qt.MouseButton.LeftButton)
    assert "B" not in window.session.houses[-1].prediction.inputs


def test_models_trained_behind_another_workspace_are_drawn_when_it_comes_to_the_front(qtbot) -> None:
    from gui.main_window import MainWindow

    w = MainWindow(options=window_options())
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentWidget(w.compare_tab)
    with qtbot.waitSignal(w.house_tab.modelsReady, timeout=60_000):
        w.house_tab.start_background_work()
    tree = w.house_tab.tree_plot
    assert not any(ax.texts for ax in tree.figure.axes), "no 200 ms tree drawing behind the person's back"
    w.tabs.setCurrentWidget(w.house_tab)
    qtbot.waitUntil(lambda: any(ax.texts for ax in tree.figure.axes), timeout=10_000)
