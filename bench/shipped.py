"""Figures for the shipped digit models (issue: ready at first launch).

Official-test accuracy recomputed from the shipped weights; writer-disjoint pen accuracy as
measured by ``make models`` (read from the card: five extra trainings are not re-run here);
in-app training speed on the full MNIST; one fold's model in the real app with its held-out
writers replayed on the canvas; launch → first prediction on an empty data folder.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import mnist_test, pendigits, shared_data, startup_probe, wait_until

SPEED_SECONDS = 25.0  # how long in-app training runs for the samples-per-second figure


def run(results: dict) -> None:
    from engine.digits import shipped
    from engine.digits.models import evaluate
    from engine.digits.service import load_shipped_model

    test = mnist_test()
    for arch in ("cnn", "mlp"):
        card = shipped.read_card(arch)
        model = load_shipped_model(arch)
        if test is not None:
            results[f"digits.full.mnist_test_accuracy.{arch}"] = round(evaluate(model, test).accuracy, 4)
        results[f"digits.full.card_test_accuracy.{arch}"] = card.get("mnist_test_accuracy")
        results[f"digits.full.train_seconds.{arch}"] = card.get("train_seconds")
    pen = shipped.read_card("cnn").get("pen_accuracy", {})
    results["digits.full.pen_accuracy.writer_cv"] = pen.get("writer_cv")
    results["digits.full.pen_accuracy.worst_writer"] = pen.get("worst_writer")
    results["digits.full.pen_accuracy.folds_done"] = pen.get("folds_done")
    results["digits.full.pen_accuracy.n_scored"] = pen.get("n_scored")
    _training_speed(results)
    _heldout_canvas(results)
    _first_start(results)


def _training_speed(results: dict) -> None:
    """Samples per second of the app's own training task on the full MNIST, default CNN."""
    from engine.digits.mnist import load_mnist_file
    from engine.digits.models import DigitParams
    from engine.digits.training import train_digit_task

    root = shared_data()
    if root is None:
        results["digits.full.samples_per_second"] = "skipped: ../shared/data is absent"
        return
    data = load_mnist_file(root / "mnist-train")
    task = train_digit_task(data, DigitParams())
    speed, started = None, None
    for p in task:
        if p.stage == "batch":
            started = started or time.monotonic()
            speed = p.data.get("samples_per_second")
            if time.monotonic() - started > SPEED_SECONDS:
                break
    task.close()
    results["digits.full.samples_per_second"] = round(speed, 1) if speed else None


def _heldout_canvas(results: dict) -> None:
    """One fold's model in the real app; that fold's (unseen) writers drawn with the mouse."""
    fold = Path("build/models/fold1.keras")
    digits = pendigits()
    if digits is None or not fold.exists():
        results["gui.canvas_accuracy.heldout"] = "skipped: needs ../shared/data and build/models (make models)"
        return
    from engine.digits.pendigits import render_like_canvas
    from engine.digits.preprocess import preprocess_canvas
    from engine.digits.shipped import sha256_file
    from engine.digits.service import DigitSettings
    from gui.common.app import create_app
    from gui.common.automation import draw_strokes
    from gui.main_window import MainWindow, WindowOptions

    held = set(json.loads(Path("build/models/fold1.json").read_text())["held_out_writers"])
    chosen = [d for d in digits if d.writer in held]
    root = Path(tempfile.mkdtemp(prefix="deepmine-fold-"))
    shutil.copy(fold, root / "digits-cnn.keras")
    (root / "digits-cnn.card.json").write_text(json.dumps({"arch": "cnn", "weights_sha256": sha256_file(fold),
                                                           "training_data": {"label": "fold 1", "n_samples": 0}}))
    app = create_app()
    window = MainWindow(options=WindowOptions(digits=DigitSettings("offline", False, shipped_root=root)))
    window.resize(1280, 800)
    window.show()
    window.start_background_work()
    if not wait_until(app, window.isDigitModelReady, 300):
        raise RuntimeError("the fold model did not load")
    tab = window.digit_tab
    shown: list[int] = []
    tab.predictionShown.connect(shown.append)
    correct = 0
    for d in chosen:
        tab.canvas.clear()
        before = shown[-1] if shown else 0
        draw_strokes(tab.canvas, d.strokes)  # the release requests the final prediction
        wait_until(app, lambda: bool(shown) and shown[-1] > before and not tab.tasks.is_running("prediction"), 5)
        correct += tab.prediction.text()[:1] == str(d.label)
    engine = tab.model.predict_proba(np.stack([
        x if (x := preprocess_canvas(render_like_canvas(d.strokes))) is not None else np.zeros((28, 28), np.float32)
        for d in chosen])).argmax(axis=1)
    results["gui.canvas_accuracy.heldout"] = round(correct / max(1, len(chosen)), 4)
    results["gui.canvas_accuracy.heldout_engine_path"] = round(float((engine == [d.label for d in chosen]).mean()), 4)
    results["gui.canvas_accuracy.heldout_count"] = len(chosen)
    window.close()
    shutil.rmtree(root, ignore_errors=True)


def _first_start(results: dict) -> None:
    """Launch with an empty data folder → the canvas can predict (the shipped model, no training)."""
    times = []
    for _ in range(2):  # the first launch also warms the OS file cache
        home = tempfile.mkdtemp(prefix="deepmine-first-start-")
        probe = startup_probe([sys.executable, "-m", "gui"], dict(os.environ, QT_QPA_PLATFORM="offscreen",
                                                                 DEEPMINE_HOME=home))
        times.append(probe.get("digit_model_ready"))
        shutil.rmtree(home, ignore_errors=True)
    results["gui.first_prediction_seconds.first_start"] = times[-1]
    results["gui.first_prediction_seconds.first_start_cold"] = times[0]
