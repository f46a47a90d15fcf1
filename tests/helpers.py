"""Small things several test files share: a tiny real model's settings and the window options
tests start the app with (passed explicitly, never poked into the widgets afterwards)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from engine.digits.models import DigitParams
from engine.digits.service import DigitSettings
from engine.houses.service import HouseSettings

# A one-epoch MLP without augmentation: a real Keras model that trains in a few seconds.
TINY = DigitParams(arch="mlp", epochs=1, batch_size=64, learning_rate=2e-3, dropout=0.0, augment=False,
                   typeset_copies=0)
SMALL_HOUSES = HouseSettings(model_options={"n_trees": 10, "boosting_iter": 30})  # small real ensembles
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]  # a "1" in canvas unit coordinates


def offline_digits(params: DigitParams = TINY, shipped_root: Path | None = None) -> DigitSettings:
    """No network, the offline MNIST sample; ``params`` is what trains when no model loads."""
    return DigitSettings(source="offline", allow_download=False, fallback_params=params, shipped_root=shipped_root)


def window_options(params: DigitParams = TINY, shipped_root: Path | None = None):
    from gui.main_window import WindowOptions

    return WindowOptions(digits=offline_digits(params, shipped_root), houses=SMALL_HOUSES, modal_errors=False)


def install_models(models: Path) -> None:
    """Copy a prepared models folder into this test's data dir (the person's saved models)."""
    from engine.core.paths import models_dir

    shutil.copytree(models, models_dir(), dirs_exist_ok=True)


ROOT = Path(__file__).resolve().parent.parent
FIRST_DRAWING = textwrap.dedent("""
    from PySide6.QtCore import QTimer
    from gui.common.app import create_app, finish
    from gui.common.automation import SEVEN, draw_strokes
    from gui.main_window import MainWindow

    app = create_app()
    window = MainWindow()
    window.projects.unsaved_prompt = lambda: "discard"
    window.projects.recovery_prompt = lambda offer: False
    tab = window.digit_tab
    shown = []
    tab.predictionShown.connect(lambda _request: shown.append(tab.prediction.text()))

    def idle():  # the drawing's prediction and its saliency map are done
        if shown:
            print("shown", shown[-1], tab.model.info.card is not None, flush=True)
            window.close()
            app.quit()

    tab.tasks.idle.connect(idle)
    window.digitModelReady.connect(lambda: draw_strokes(tab.canvas, SEVEN))
    QTimer.singleShot(180_000, app.quit)
    window.show()
    tab.start_background_work()
    finish(app.exec())
""")


def first_drawing_in_a_fresh_process(home: Path) -> subprocess.CompletedProcess[str]:
    """Start the app (default options) in a new process, draw a 7 once the model is ready and
    print ``shown <label text> <shipped?>`` when its prediction and saliency are done. A crash
    ends only that process."""
    env = dict(os.environ, DEEPMINE_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-X", "faulthandler", "-c", FIRST_DRAWING], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def crash_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The fatal error and the innermost frames of a crashed process' faulthandler dump."""
    return [line.strip() for line in result.stderr.splitlines()
            if "Fatal Python error" in line or 'File "/' in line][:12]
