"""A whole session in the real window, run as its own process by tests/test_window_process.py:
draw, see the prediction and its saliency, train, correct and fine-tune, compare, export a report.
Prints one JSON line with what it saw, including whether this process imported TensorFlow."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from engine.compare.presets import TINY as TINY_COMPARE
from engine.workbench import write_workbench_report
from gui.common.app import create_app, finish
from gui.common.automation import SEVEN, draw_strokes
from gui.main_window import MainWindow
from tests.helpers import TINY, window_options

STEP_MS = 300_000


def wait_for(signal, what: str) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: (print(json.dumps({"timeout": what}), flush=True), finish(3), sys.exit(3)))
    signal.connect(loop.quit)
    timer.start(STEP_MS)
    loop.exec()
    timer.stop()
    signal.disconnect(loop.quit)


def main() -> int:
    home = Path(sys.argv[1])
    app = create_app()
    window = MainWindow(options=window_options())
    window.projects.unsaved_prompt = lambda: "discard"  # a script: nobody to answer "save your work?"
    window.projects.recovery_prompt = lambda offer: False
    tab = window.digit_tab
    seen: dict[str, object] = {}
    window.show()
    window.start_background_work()
    if not window.isDigitModelReady():
        wait_for(window.digitModelReady, "the shipped model")
    seen["model"] = "shipped" if tab.model.info.card is not None else "other"

    draw_strokes(tab.canvas, SEVEN)
    wait_for(tab.saliencyShown, "the saliency map")
    seen["prediction"] = tab.prediction.text()
    seen["saliency"] = tab.seen.has_saliency()

    tab.start_training(replace(TINY, epochs=1), "offline", None, 600)
    wait_for(tab.modelReady, "the trained model")
    seen["trained"] = tab.model.info.card is None

    tab.correct(7)
    qt_wait(app, lambda: tab.samples_page.samples.count() > 0)
    tab.start_fine_tune()
    wait_for(tab.modelReady, "the fine-tuned model")
    seen["fine_tuned"] = "own samples" in tab.model.info.train_provenance.label

    tab.canvas.clear()
    draw_strokes(tab.canvas, SEVEN)
    wait_for(tab.saliencyShown, "the fine-tuned model's saliency map")
    seen["prediction_after"] = tab.prediction.text()

    compare = window.compare_tab
    compare.run(replace(TINY_COMPARE, name="session"))
    wait_for(compare.comparisonFinished, "the comparison")
    seen["compare_cells"] = len(window.session.compare.cells)

    for name in ("session.pdf", "session.html"):
        write_workbench_report(window.session, home / name)
    seen["reports"] = sorted(p.name for p in home.glob("session.*"))
    seen["tensorflow_in_window"] = "tensorflow" in sys.modules
    seen["keras_in_window"] = "keras" in sys.modules
    print(json.dumps(seen), flush=True)
    window.close()
    return finish(0)


def qt_wait(app, condition) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start(20)
    loop.exec()
    timer.stop()


if __name__ == "__main__":
    sys.exit(main())
