"""The digit workspace driven as a person would: real mouse events on the real canvas,
a tiny real model (an MLP trained for one epoch), the real training panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QProgressBar, QPushButton, QToolButton

from gui.common.automation import SEVEN, draw_strokes
from helpers import ONE, TINY, install_models, window_options


def make_window(qtbot, shipped_root: Path | None = None):
    from gui.main_window import MainWindow

    window = MainWindow(options=window_options(TINY, shipped_root))
    qtbot.addWidget(window)
    window.show()
    return window


def ready_window(qtbot, tiny_models: Path):
    """The window with the person's saved tiny model loaded (no training, no houses)."""
    install_models(tiny_models)
    window = make_window(qtbot)
    with qtbot.waitSignal(window.digit_tab.tasks.idle, timeout=60_000):  # loaded, and the loading task ended
        window.digit_tab.start_background_work()
    assert window.isDigitModelReady()
    return window


def label_text(window) -> str:
    return window.findChild(QLabel, "digitPrediction").text()


def draw_and_wait(qtbot, tab, strokes, timeout: int = 10_000) -> None:
    """Draw; return once the prediction of the finished drawing is on screen."""
    with qtbot.waitSignal(tab.predictionShown, timeout=timeout):
        draw_strokes(tab.canvas, strokes)


@pytest.mark.slow
def test_first_run_without_a_shipped_model_trains_in_background_then_recognises(qtbot,
                                                                                 no_shipped_models) -> None:
    window = make_window(qtbot, shipped_root=no_shipped_models)
    tab = window.digit_tab
    canvas = window.findChild(type(tab.canvas), "digitCanvas")
    shown = qtbot.waitSignal(tab.predictionShown, timeout=120_000)  # listens from now on; waited on below
    with qtbot.waitSignal(tab.trainingStarted, timeout=90_000):
        tab.start_background_work()
        assert not window.isDigitModelReady()
        draw_strokes(canvas, SEVEN)  # drawing before the model exists: told, never guessed
        assert label_text(window) == ""
        assert "not ready" in window.findChild(QLabel, "digitWarning").text()
    assert not shown.signal_triggered
    shown.wait()  # the drawing made while training is recognised once the model arrives
    assert window.isDigitModelReady()
    assert label_text(window)[:1].isdigit()

    from engine.digits.preprocess import preprocess_canvas

    expected = tab.model.predict(preprocess_canvas(canvas.render_array())).digit
    assert label_text(window).startswith(str(expected))
    assert len(window.session.digits) == 1
    assert window.session.digits[0].digit == expected
    assert window.session.digit_model is tab.model.info
    status = window.findChild(QLabel, "digitModelStatus").text()
    assert "missing" in status and "Training a model instead" in status, "the person is told why it trained"


def test_clear_undo_and_blank_canvas(qtbot, tiny_models) -> None:
    window = ready_window(qtbot, tiny_models)
    tab = window.digit_tab
    canvas = tab.canvas
    assert label_text(window) == "", "a blank canvas shows no digit"
    draw_and_wait(qtbot, tab, ONE)
    assert label_text(window)[:1].isdigit()

    qtbot.mouseClick(window.findChild(QPushButton, "clearCanvasButton"), Qt.MouseButton.LeftButton)
    assert canvas.is_blank()
    assert label_text(window) == ""

    draw_strokes(canvas, ONE)
    draw_and_wait(qtbot, tab, [[(0.3, 0.5), (0.7, 0.5)]])
    assert label_text(window)[:1].isdigit()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes) == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.is_blank()
    qtbot.waitUntil(lambda: label_text(window) == "", timeout=2000)

    draw_and_wait(qtbot, tab, ONE)
    assert label_text(window)[:1].isdigit()
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_blank() and label_text(window) == ""


def test_the_saved_model_is_used_without_retraining(qtbot, tiny_models) -> None:
    install_models(tiny_models)
    window = make_window(qtbot)
    tab = window.digit_tab
    trainings: list[bool] = []
    tab.trainingStarted.connect(lambda: trainings.append(True))
    with qtbot.waitSignal(window.digitModelReady, timeout=60_000):
        tab.start_background_work()
    assert tab.model.info.from_cache and tab.model.info.card is None
    assert "loaded from your saved models" in window.findChild(QLabel, "digitModelStatus").text()
    assert trainings == [], "no training ran"
    assert window.findChild(QToolButton, "useShippedModelButton").isVisibleTo(window), \
        "the person can go back to the shipped model"


@pytest.mark.slow
def test_training_from_the_panel_shows_progress_results_and_mistakes(qtbot, tiny_models) -> None:
    window = ready_window(qtbot, tiny_models)
    tab = window.digit_tab
    old = tab.model
    tab.panel.arch.setCurrentIndex(tab.panel.arch.findData("mlp"))
    tab.panel.epochs.setValue(2)
    seen: list[int] = []
    bar = window.findChild(QProgressBar, "trainingProgress")
    bar.valueChanged.connect(seen.append)
    with qtbot.waitSignal(window.digitModelReady, timeout=120_000):
        qtbot.mouseClick(window.findChild(QPushButton, "trainDigitsButton"), Qt.MouseButton.LeftButton)
        assert not window.findChild(QPushButton, "trainDigitsButton").isEnabled()
        assert window.findChild(QPushButton, "cancelTrainingButton").isEnabled()
    assert tab.model is not old
    assert bar.value() == 100 and any(0 < v < 100 for v in seen), "progress moved through the run"
    assert len(tab.model.info.history) == 2
    assert "Test accuracy" in window.findChild(QLabel, "testAccuracy").text()
    qtbot.waitUntil(lambda: window.findChild(QPushButton, "trainDigitsButton").isEnabled(), timeout=5000)

    gallery = window.findChild(QListWidget, "misclassifiedGallery")
    assert gallery.count() > 0, "a two-epoch MLP gets some held-out digits wrong"
    item = gallery.item(0)
    gallery.scrollToItem(item)
    rect = gallery.visualItemRect(item)
    with qtbot.waitSignal(tab.predictionShown, timeout=10_000):
        qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not tab.canvas.is_blank()
    wrong = tab.model.info.evaluation.misclassified[0]
    assert label_text(window).startswith(str(wrong.predicted)), "the same model gives the same answer"


def test_cancel_mid_training_keeps_the_previous_model(qtbot, tiny_models) -> None:
    window = ready_window(qtbot, tiny_models)
    tab = window.digit_tab
    old = tab.model
    tab.panel.arch.setCurrentIndex(tab.panel.arch.findData("mlp"))
    tab.panel.epochs.setValue(30)
    bar = window.findChild(QProgressBar, "trainingProgress")
    start = window.findChild(QPushButton, "trainDigitsButton")
    with qtbot.waitSignal(tab.trainingStarted, timeout=120_000):
        qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.tasks.idle, timeout=10_000):
        qtbot.mouseClick(window.findChild(QPushButton, "cancelTrainingButton"), Qt.MouseButton.LeftButton)
    assert start.isEnabled()
    assert bar.value() < 100
    assert tab.model is old
    assert "cancelled" in tab.panel.status.text() and "previous model is still in use" in tab.panel.status.text()
    draw_and_wait(qtbot, tab, ONE)
    assert label_text(window)[:1].isdigit()


def test_correction_saves_the_drawing_to_my_handwriting(qtbot, tiny_models) -> None:
    from engine.digits.user_samples import UserSamples

    window = ready_window(qtbot, tiny_models)
    tab = window.digit_tab
    draw_and_wait(qtbot, tab, SEVEN)
    assert label_text(window)[:1].isdigit()
    button = window.findChild(type(tab.correct_button), "correctDigitButton")
    assert button.isEnabled()
    next(a for a in button.menu().actions() if a.objectName() == "correctAs3").trigger()
    samples = window.findChild(QListWidget, "handwritingSamples")
    qtbot.waitUntil(lambda: samples.count() == 1, timeout=5000)
    saved = UserSamples().list()
    assert [s.label for s in saved] == [3]
    drawn = window.session.digits[-1]
    assert np.allclose(saved[0].image28, drawn.image28, atol=1 / 255), "what the network saw is what is kept"
    assert drawn.corrected_label == 3
    assert "saved as a 3" in window.findChild(QLabel, "digitWarning").text()
    assert tab.fine_tune_button.isEnabled()

    samples.item(0).setSelected(True)
    qtbot.mouseClick(window.findChild(QPushButton, "deleteSamplesButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: samples.count() == 0, timeout=5000)
    assert UserSamples().list() == []


def test_opening_an_image_file_recognises_it_and_a_bad_file_is_explained(qtbot, tiny_models, tmp_path) -> None:
    from PIL import Image

    from engine.digits.mnist import load_offline_sample

    window = ready_window(qtbot, tiny_models)
    tab = window.digit_tab
    data = load_offline_sample()
    path = tmp_path / "digit.png"
    Image.fromarray((255 - data.x[0] * 255).astype(np.uint8)).resize((140, 140)).save(path)  # dark ink on white
    with qtbot.waitSignal(tab.predictionShown, timeout=10_000):
        tab.open_image(str(path))
    assert label_text(window)[:1].isdigit()

    bad = tmp_path / "not-an-image.png"
    bad.write_text("hello")
    tab.open_image(str(bad))
    qtbot.waitUntil(lambda: "Could not open the image" in window.findChild(QLabel, "digitWarning").text(),
                    timeout=10_000)
