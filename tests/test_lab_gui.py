"""The Lab workspace driven through its widgets: the layer list sizes the network live, a broken
network cannot run, tiny real runs in the TensorFlow worker fill the look inside and the test,
Cancel stops a run, a NaN loss ends with its one-line explanation, lessons lock their controls and
a hostile lesson is refused; the trained network reaches the Digits canvas."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListWidget, QPushButton, QSpinBox

from engine.core.session import Session

RUN_TIMEOUT_MS = 240_000  # the worker imports TensorFlow once per test session (~10-30 s on a busy machine)


@pytest.fixture
def lab(qtbot):
    from gui.lab.workspace import LabTab

    tab = LabTab(Session(), source="offline", experiment_size="tiny")
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    yield tab
    tab.shutdown(5000)


def click(qtbot, tab, name: str) -> None:
    qtbot.mouseClick(tab.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def small_recipe(tab, *, units: int = 32, epochs: int = 1, train_size: int = 300) -> None:
    """The classic MLP with ``units`` hidden units, on a few hundred digits."""
    tab.findChild(QListWidget, "labLayerList").setCurrentRow(1)
    tab.findChild(QSpinBox, "labLayerUnits").setValue(units)
    tab.findChild(QSpinBox, "labEpochs").setValue(epochs)
    tab.findChild(QSpinBox, "labTrainSize").setValue(train_size)


def size_text(tab) -> str:
    return tab.findChild(QLabel, "labNetworkSize").text()


def test_editing_the_layer_list_updates_the_parameter_count(qtbot, lab) -> None:
    layers = lab.findChild(QListWidget, "labLayerList")
    assert layers.count() == 2 and size_text(lab).startswith("101,770 parameters"), "the classic MLP: 784 → 128 → 10"
    layers.setCurrentRow(1)
    lab.findChild(QSpinBox, "labLayerUnits").setValue(64)
    assert size_text(lab).startswith("50,890 parameters"), "784·64+64 + 64·10+10"
    assert "64 units" in layers.item(1).text()
    click(qtbot, lab, "labAddLayerButton")  # a Dense 64 below the selected layer
    assert layers.count() == 3 and size_text(lab).startswith("55,050 parameters")
    click(qtbot, lab, "labRemoveLayerButton")
    assert layers.count() == 2 and size_text(lab).startswith("50,890 parameters")
    lab.findChild(QComboBox, "labPresetCombo").setCurrentIndex(1)
    lab.steps.apply_preset("default_cnn")
    assert layers.count() == 9 and "multiply-adds" in size_text(lab)
    assert lab.findChild(QPushButton, "labRunButton").isEnabled()


def test_an_invalid_layer_disables_run_with_a_message(qtbot, lab) -> None:
    layers = lab.findChild(QListWidget, "labLayerList")
    run = lab.findChild(QPushButton, "labRunButton")
    problem = lab.findChild(QLabel, "labNetworkProblem")
    layers.setCurrentRow(1)  # after the Dense layer…
    add_kind = lab.findChild(QComboBox, "labAddLayerKind")
    add_kind.setCurrentIndex(add_kind.findData("Conv2D"))
    click(qtbot, lab, "labAddLayerButton")  # …a convolution has no image left to work on
    assert not run.isEnabled()
    assert problem.isVisibleTo(lab) and "needs an image" in problem.text() and "\n" not in problem.text()
    assert "Cannot run" in lab.status.text()
    click(qtbot, lab, "labRemoveLayerButton")
    assert run.isEnabled() and not problem.isVisibleTo(lab)
    units = lab.findChild(QSpinBox, "labLayerUnits")
    add_kind.setCurrentIndex(add_kind.findData("Dense"))
    layers.setCurrentRow(1)
    units.setValue(4096)
    for _ in range(2):  # three Dense 4096 layers: ~37 million parameters, more than the lab allows
        click(qtbot, lab, "labAddLayerButton")
        units.setValue(4096)
    assert not run.isEnabled() and "parameters" in problem.text() and "at most" in problem.text()


def test_a_tiny_real_run_fills_the_gradient_plot_and_the_results(qtbot, lab) -> None:
    small_recipe(lab)
    with qtbot.waitSignal(lab.runEnded, timeout=RUN_TIMEOUT_MS) as ended:
        click(qtbot, lab, "labRunButton")
    assert ended.args == ["done"], lab.status.text()
    qtbot.waitUntil(lambda: [panel.lines for panel in lab.inside.gradients.drawn] == [2], timeout=20_000)
    assert lab.findChild(object, "labGradientPlot") is lab.inside.gradients
    assert lab.findChild(QLabel, "labTestAccuracy").text().startswith("Held-out accuracy")
    run = lab.session.lab["runs"][-1]
    assert run["train_size"] == 300 and run["val_accuracy"] > 0.1 and np.sum(run["confusion"]) == 1000
    assert lab.inside.history and "Dead ReLUs:" in lab.findChild(QLabel, "labDeadRelu").text()
    assert "points" in lab.inside.gap.format()
    from engine.lab.report_section import lab_section
    from engine.report.model import Heading

    headings = [b.text for b in lab_section(lab.session, "en").blocks if isinstance(b, Heading)]
    assert "The network" in headings, "the run reaches the report's Lab section"
    # "Try it on my drawing": the worker converts the network, the window loads it with LiteRT
    with qtbot.waitSignal(lab.canvasModelReady, timeout=120_000) as ready:
        click(qtbot, lab, "labTryOnCanvasButton")
    model = ready.args[0]
    probs = model.predict_proba(np.zeros((2, 28, 28), np.float32))
    assert probs.shape == (2, 10) and np.allclose(probs.sum(axis=1), 1, atol=1e-4)
    assert model.info.arch == "lab" and model.info.evaluation.n_samples == 1000


def test_cancel_stops_a_run(qtbot, lab) -> None:
    small_recipe(lab, epochs=200, train_size=2000)
    run, cancel = lab.findChild(QPushButton, "labRunButton"), lab.findChild(QPushButton, "labCancelButton")
    click(qtbot, lab, "labRunButton")
    assert not run.isEnabled() and cancel.isEnabled()
    qtbot.waitUntil(lambda: len(lab.inside.grad_points) >= 1, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(lab.runEnded, timeout=60_000) as ended:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert ended.args == ["cancelled"]
    qtbot.waitUntil(run.isEnabled, timeout=10_000)
    assert not cancel.isEnabled() and lab.session.lab is None, "a cancelled run is not recorded"


def test_a_nan_run_ends_with_the_explanation(qtbot, lab) -> None:
    small_recipe(lab, units=256, epochs=5)
    lab.findChild(QSpinBox, "labBatchSize").setValue(32)
    init = lab.findChild(QComboBox, "labLayerInitializer")
    init.setCurrentIndex(init.findData("he_normal"))
    for _ in range(2):  # three ReLU layers of 256, He-initialised …
        click(qtbot, lab, "labAddLayerButton")
        lab.findChild(QSpinBox, "labLayerUnits").setValue(256)
        init.setCurrentIndex(init.findData("he_normal"))
    optimizer = lab.findChild(QComboBox, "labOptimizer")
    optimizer.setCurrentIndex(optimizer.findData("sgd"))
    lab.steps.learning_rate.setValue(5.0)  # … and plain SGD at a learning rate far too high
    assert lab.findChild(QListWidget, "labLayerList").count() == 4
    with qtbot.waitSignal(lab.runEnded, timeout=RUN_TIMEOUT_MS) as ended:
        click(qtbot, lab, "labRunButton")
    assert ended.args == ["diverged"], lab.status.text()
    notice = lab.findChild(QLabel, "labDivergedNotice")
    assert notice.isVisibleTo(lab) and notice.text().startswith("The loss exploded") and "\n" not in notice.text()
    assert "too high" in notice.text() and lab.status.text() == notice.text()
    assert lab.findChild(QLabel, "labTestAccuracy").text().startswith("No test: the training diverged")
    assert not lab.findChild(QPushButton, "labTryOnCanvasButton").isEnabled()
    assert lab.findChild(QPushButton, "labRunButton").isEnabled()


def test_opening_a_lesson_locks_its_controls(qtbot, lab) -> None:
    from engine.lab.lessons import lessons_dir

    path = lessons_dir() / "02-exploding-gradients.json"
    with qtbot.waitSignal(lab.lessonOpened, timeout=10_000):
        lab.open_lesson(str(path))
    lesson = lab.lesson
    assert {"network", "loss", "optimizer", "train_size"} <= lesson.locked
    assert not lab.findChild(QPushButton, "labAddLayerButton").isEnabled(), "the network is locked"
    assert not lab.findChild(QComboBox, "labLoss").isEnabled()
    assert not lab.findChild(QSpinBox, "labTrainSize").isEnabled()
    assert lab.findChild(QSpinBox, "labEpochs").isEnabled(), "what the lesson leaves open stays open"
    assert not lab.findChild(QCheckBox, "labAugment").isVisibleTo(lab), "hidden controls are hidden"
    assert lab.steps.learning_rate.value() == 1.0 and lab.findChild(QListWidget, "labLayerList").count() > 1
    banner = lab.findChild(QLabel, "labLessonText")
    assert banner.isVisibleTo(lab) and lesson.text("instructions", "en")[:40] in banner.text()
    assert lab.findChild(QComboBox, "labExperimentCombo").currentData() == "exploding"
    click(qtbot, lab, "labLeaveLessonButton")
    assert lab.findChild(QComboBox, "labLoss").isEnabled() and lab.findChild(QCheckBox, "labAugment").isVisibleTo(lab)


@pytest.mark.parametrize("preset, expected", [
    ({"network": {"layers": [{"kind": "Transformer", "units": 8}]}}, "unknown layer"),
    ({"network": {"layers": [{"kind": "Dense", "units": 10 ** 9}]}}, "units must be"),
    ({"network": {"layers": [{"kind": "Conv2D", "filters": 512, "kernel_size": 7}] * 12}}, "multiply-adds"),
    ({"network": {"layers": [{"kind": "Dense", "units": 4096}] * 12}}, "parameters"),
])
def test_a_hostile_lesson_is_refused_with_one_line(qtbot, lab, tmp_path, preset, expected) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"format": 1, "id": "hostile", "title": {"en": "x"}, "instructions": {"en": "y"},
                                "preset": preset, "locked": ["loss"]}), encoding="utf-8")
    with qtbot.waitSignal(lab.statusMessage, timeout=10_000) as refused:
        lab.open_lesson(str(path))
    message = refused.args[0]
    assert message.startswith("Lesson not opened: hostile.json") and expected in message and "\n" not in message
    assert lab.lesson is None and not lab.findChild(QLabel, "labLessonText").isVisibleTo(lab)
    assert lab.findChild(QComboBox, "labLoss").isEnabled()


def test_the_window_has_the_lab_tab_and_the_lesson_action(qtbot) -> None:
    from PySide6.QtGui import QAction

    from gui.main_window import MainWindow, WindowOptions

    window = MainWindow(options=WindowOptions(modal_errors=False))
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Lab — inside a network" in titles
    action = window.findChild(QAction, "openLessonAction")
    assert action is not None and action in window.menuBar().actions()[0].menu().actions()
    assert window.lab_tab.findChild(QComboBox, "labExperimentCombo").count() == 4
