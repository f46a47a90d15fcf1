"""The digit workspace driven as a person would: real mouse events on the real canvas,
a tiny real model (an MLP trained for one epoch), the real training panel."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QProgressBar, QPushButton

from engine.digits.models import DigitParams
from gui.common.automation import SEVEN, draw_strokes

TINY = DigitParams(arch="mlp", epochs=1, batch_size=64, learning_rate=2e-3, dropout=0.0, augment=False)
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]


@pytest.fixture(scope="session")
def cached_tiny_model(tmp_path_factory) -> Path:
    """A models folder holding one tiny trained MLP, copied into each test's data dir."""
    from engine.core.cache import ModelCache
    from engine.digits.models import save_digit_model, train_digit_model
    from engine.digits.mnist import load_offline_sample

    root = tmp_path_factory.mktemp("tiny_model") / "models"
    model = train_digit_model(load_offline_sample(), TINY)
    save_digit_model(model, ModelCache(root=root))
    return root


def make_window(qtbot, params: DigitParams = TINY):
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.digit_tab.default_params = params
    window.digit_tab.default_source = "offline"
    window.digit_tab.allow_download = False
    window.show()
    return window


def ready_window(qtbot, cached_tiny_model: Path, deepmine_home: Path):
    from engine.core.paths import models_dir

    shutil.copytree(cached_tiny_model, models_dir(), dirs_exist_ok=True)
    window = make_window(qtbot)
    with qtbot.waitSignal(window.digitModelReady, timeout=60_000):
        window.start_background_work()
    return window


def label_text(window) -> str:
    return window.findChild(QLabel, "digitPrediction").text()


def test_first_run_trains_in_background_then_recognises_a_drawing(qtbot) -> None:
    window = make_window(qtbot)
    canvas = window.findChild(type(window.digit_tab.canvas), "digitCanvas")
    window.start_background_work()
    assert not window.isDigitModelReady()
    draw_strokes(canvas, SEVEN)  # drawing before the model exists: told, never guessed
    assert label_text(window) == ""
    assert "not ready" in window.findChild(QLabel, "digitWarning").text()
    with qtbot.waitSignal(window.digitModelReady, timeout=90_000):
        pass
    assert window.isDigitModelReady()
    # the drawing made while training is recognised once the model arrives
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)

    from engine.digits.preprocess import preprocess_canvas

    expected = window.digit_tab.model.predict(preprocess_canvas(canvas.render_array())).digit
    assert label_text(window).startswith(str(expected))
    assert len(window.session.digits) == 1
    assert window.session.digits[0].digit == expected
    assert window.session.digit_model is window.digit_tab.model.info


def test_clear_undo_and_blank_canvas(qtbot, cached_tiny_model, deepmine_home) -> None:
    window = ready_window(qtbot, cached_tiny_model, deepmine_home)
    canvas = window.digit_tab.canvas
    assert label_text(window) == "", "a blank canvas shows no digit"
    draw_strokes(canvas, ONE)
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)

    qtbot.mouseClick(window.findChild(QPushButton, "clearCanvasButton"), Qt.MouseButton.LeftButton)
    assert canvas.is_blank()
    assert label_text(window) == ""

    draw_strokes(canvas, ONE)
    draw_strokes(canvas, [[(0.3, 0.5), (0.7, 0.5)]])
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes) == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.is_blank()
    qtbot.waitUntil(lambda: label_text(window) == "", timeout=2000)

    draw_strokes(canvas, ONE)
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_blank() and label_text(window) == ""


def test_cached_model_is_used_without_retraining(qtbot, cached_tiny_model, deepmine_home) -> None:
    window = ready_window(qtbot, cached_tiny_model, deepmine_home)
    info = window.digit_tab.model.info
    assert info.from_cache
    assert "cache" in window.findChild(QLabel, "digitModelStatus").text()


def test_training_from_the_panel_shows_progress_results_and_mistakes(qtbot, cached_tiny_model,
                                                                     deepmine_home) -> None:
    window = ready_window(qtbot, cached_tiny_model, deepmine_home)
    tab = window.digit_tab
    old = tab.model
    tab.panel.arch.setCurrentIndex(tab.panel.arch.findData("mlp"))
    tab.panel.epochs.setValue(2)
    seen: list[int] = []
    bar = window.findChild(QProgressBar, "trainingProgress")
    bar.valueChanged.connect(seen.append)
    with qtbot.waitSignal(window.digitModelReady, timeout=90_000):
        qtbot.mouseClick(window.findChild(QPushButton, "trainDigitsButton"), Qt.MouseButton.LeftButton)
        assert not window.findChild(QPushButton, "trainDigitsButton").isEnabled()
        assert window.findChild(QPushButton, "cancelTrainingButton").isEnabled()
    assert tab.model is not old
    assert bar.value() == 100 and any(0 < v < 100 for v in seen), "progress moved through the run"
    assert len(tab.model.info.history) == 2
    assert "Test accuracy" in window.findChild(QLabel, "testAccuracy").text()
    qtbot.waitUntil(lambda: window.findChild(QPushButton, "trainDigitsButton").isEnabled(), timeout=5000)

    gallery = window.findChild(QListWidget, "misclassifiedGallery")
    assert gallery.count() > 0, "a one-epoch MLP gets some held-out digits wrong"
    item = gallery.item(0)
    rect = gallery.visualItemRect(item)
    gallery.scrollToItem(item)
    qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not tab.canvas.is_blank()
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)
    wrong = tab.model.info.evaluation.misclassified[0]
    assert label_text(window).startswith(str(wrong.predicted)), "the same model gives the same answer"


def test_cancel_mid_training_keeps_the_previous_model(qtbot, cached_tiny_model, deepmine_home) -> None:
    window = ready_window(qtbot, cached_tiny_model, deepmine_home)
    tab = window.digit_tab
    old = tab.model
    tab.panel.arch.setCurrentIndex(tab.panel.arch.findData("cnn"))
    tab.panel.epochs.setValue(30)
    bar = window.findChild(QProgressBar, "trainingProgress")
    qtbot.mouseClick(window.findChild(QPushButton, "trainDigitsButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.panel.status.text().startswith("Epoch"), timeout=60_000)
    qtbot.mouseClick(window.findChild(QPushButton, "cancelTrainingButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QPushButton, "trainDigitsButton").isEnabled(), timeout=5000)
    assert bar.value() < 100
    assert tab.model is old
    assert "cancelled" in tab.panel.status.text()
    draw_strokes(tab.canvas, ONE)
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)


def test_correction_saves_the_drawing_to_my_handwriting(qtbot, cached_tiny_model, deepmine_home) -> None:
    from engine.digits.user_samples import UserSamples

    window = ready_window(qtbot, cached_tiny_model, deepmine_home)
    tab = window.digit_tab
    draw_strokes(tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=5000)
    button = window.findChild(type(tab.correct_button), "correctDigitButton")
    assert button.isEnabled()
    next(a for a in button.menu().actions() if a.objectName() == "correctAs3").trigger()
    samples = window.findChild(QListWidget, "handwritingSamples")
    qtbot.waitUntil(lambda: samples.count() == 1, timeout=5000)
    saved = UserSamples().list()
    assert [s.label for s in saved] == [3]
    assert np.allclose(saved[0].image28, tab._last.input28, atol=1 / 255)
    assert window.session.digits[-1].corrected_label == 3
    assert tab.fine_tune_button.isEnabled()

    samples.item(0).setSelected(True)
    qtbot.mouseClick(window.findChild(QPushButton, "deleteSamplesButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: samples.count() == 0, timeout=5000)
    assert UserSamples().list() == []


def test_opening_an_image_file_recognises_it_and_a_bad_file_is_explained(qtbot, cached_tiny_model,
                                                                          deepmine_home, tmp_path) -> None:
    from PIL import Image

    from engine.digits.mnist import load_offline_sample

    window = ready_window(qtbot, cached_tiny_model, deepmine_home)
    tab = window.digit_tab
    data = load_offline_sample()
    path = tmp_path / "digit.png"
    Image.fromarray((255 - data.x[0] * 255).astype(np.uint8)).resize((140, 140)).save(path)  # dark ink on white
    tab.open_image(str(path))
    qtbot.waitUntil(lambda: label_text(window)[:1].isdigit(), timeout=10_000)

    bad = tmp_path / "not-an-image.png"
    bad.write_text("hello")
    tab.open_image(str(bad))
    qtbot.waitUntil(lambda: "Could not open the image" in window.findChild(QLabel, "digitWarning").text(),
                    timeout=10_000)
