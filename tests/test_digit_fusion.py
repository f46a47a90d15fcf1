"""The canvas reads how a digit was written as well as how it looks: a drawing with strokes is
answered by the picture network (CNN) and the pen-path network together; a loaded image, which has
no strokes, by the CNN alone; a damaged pen-path model is refused with a message, never run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QLabel

from gui.common.automation import SEVEN, draw_strokes
from helpers import TINY, window_options

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "models"


def started(qtbot, shipped_root: Path | None = None):
    from gui.main_window import MainWindow

    window = MainWindow(options=window_options(TINY, shipped_root))
    qtbot.addWidget(window)
    window.show()
    tab = window.digit_tab
    with qtbot.waitSignal(tab.penModelLoaded, timeout=60_000) as pen, \
            qtbot.waitSignal(tab.modelReady, timeout=60_000):
        tab.start_background_work()
    return window, tab, pen.args[0]


def test_a_drawing_is_answered_by_both_networks_and_its_path_shown(qtbot) -> None:
    window, tab, pen_loaded = started(qtbot)
    assert pen_loaded
    with qtbot.waitSignal(tab.predictionShown, timeout=10_000):
        draw_strokes(tab.canvas, SEVEN)
    assert window.findChild(QLabel, "digitPrediction").text().startswith("7")
    line = window.findChild(QLabel, "answeredBy").text()
    assert "both networks" in line and "pen-path network read 7" in line, line
    qtbot.waitUntil(tab.path_view.has_path, timeout=10_000)
    assert tab.path_view.grab().toImage().pixelColor(0, 0).isValid()


def test_a_loaded_image_is_read_by_the_picture_network_alone(qtbot) -> None:
    _window, tab, _ = started(qtbot)
    seven = np.zeros((28, 28), np.float32)
    seven[6, 8:21] = 1.0
    for row in range(7, 23):
        seven[row, 20 - (row - 7) // 2] = 1.0
    with qtbot.waitSignal(tab.predictionShown, timeout=10_000):
        tab.load_digit(seven)
    assert "alone" in tab.answered_by.text() and "image" in tab.answered_by.text()
    assert not tab.path_view.has_path(), "the pen-path network was not asked"


def test_a_damaged_pen_path_model_is_refused_and_the_cnn_answers_alone(qtbot, tmp_path) -> None:
    shipped = tmp_path / "models"
    shutil.copytree(ASSETS, shipped)
    tflite = shipped / "digits-online.tflite"
    tflite.write_bytes(tflite.read_bytes()[:-100])  # cut short
    messages: list[str] = []
    from gui.main_window import MainWindow

    window = MainWindow(options=window_options(TINY, shipped))
    qtbot.addWidget(window)
    window.digit_tab.statusMessage.connect(messages.append)
    with qtbot.waitSignal(window.digit_tab.penModelLoaded, timeout=60_000) as pen:
        window.digit_tab.start_background_work()
    assert pen.args == [False]
    assert any("digits-online.tflite" in m for m in messages), messages
    tab = window.digit_tab
    qtbot.waitUntil(window.isDigitModelReady, timeout=60_000)
    with qtbot.waitSignal(tab.predictionShown, timeout=10_000):
        draw_strokes(tab.canvas, SEVEN)
    assert "alone" in tab.answered_by.text()


def test_a_correction_keeps_its_strokes_beside_the_picture(qtbot, deepmine_home) -> None:
    _window, tab, _ = started(qtbot)
    with qtbot.waitSignal(tab.predictionShown, timeout=10_000):
        draw_strokes(tab.canvas, SEVEN)
    with qtbot.waitSignal(tab.statusMessage, timeout=10_000):
        tab.correct(7)
    kept = list(deepmine_home.rglob("7-*.strokes.json"))
    assert len(kept) == 1
    strokes = json.loads(kept[0].read_text(encoding="utf-8"))["strokes"]
    assert len(strokes) == len(SEVEN[0]) // len(SEVEN[0]) and len(strokes[0]) >= 2, "the pen's path was saved"
