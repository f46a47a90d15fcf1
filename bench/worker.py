"""Figures of the TensorFlow-free window: LiteRT against Keras on the official test set, LiteRT's
speed per digit, the command line's time to an answer, and the worker's memory over trainings."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import mnist_test, percentiles

TRAININGS = 10  # tiny trainings in one worker, to see whether its memory keeps growing


def litert_against_keras(results: dict) -> None:
    from engine.core import tf_runtime
    from engine.digits.lite import LiteDigitModel, shipped_files

    test = mnist_test()
    if test is None:
        results["digits.litert_max_abs_diff"] = "skipped: ../shared/data is absent"
        return
    keras = tf_runtime.keras()
    for arch in ("cnn", "mlp"):
        files = shipped_files(arch)
        lite = LiteDigitModel(files)
        net = keras.saving.load_model(files.keras_path, compile=False, safe_mode=True)
        p_lite = lite.predict_proba(test.x)
        p_keras = np.concatenate([net(test.x[i:i + 1000], training=False).numpy() for i in range(0, len(test.y), 1000)])
        results[f"digits.litert_max_abs_diff.{arch}"] = float(np.abs(p_lite - p_keras).max())
        results[f"digits.litert_test_accuracy.{arch}"] = round(float((p_lite.argmax(1) == test.y).mean()), 4)
        results[f"digits.keras_test_accuracy.{arch}"] = round(float((p_keras.argmax(1) == test.y).mean()), 4)
        one = []
        for image in test.x[:500]:
            started = time.perf_counter()
            lite.predict(image)
            one.append((time.perf_counter() - started) * 1000)
        results[f"digits.litert_ms_per_digit.{arch}.p95"] = percentiles(one, 95)[0]
    results["digits.litert_max_abs_diff"] = max(results["digits.litert_max_abs_diff.cnn"],
                                                results["digits.litert_max_abs_diff.mlp"])


def cli_predict_digit(results: dict) -> None:
    """Process start → answer for ``deepmine predict-digit`` on one image (best of three)."""
    from PIL import Image

    from engine.digits.typeset import typeset_digits

    images, labels = typeset_digits()
    folder = Path(tempfile.mkdtemp(prefix="deepmine-bench-cli-"))
    path = folder / "seven.png"
    seven = images[int(np.flatnonzero(labels == 7)[0])]
    Image.fromarray((255 - seven * 255).astype(np.uint8)).resize((140, 140)).save(path)
    env = dict(os.environ, DEEPMINE_HOME=str(folder / "home"))
    times, answer = [], ""
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "gui.launcher", "predict-digit", str(path)], env=env,
                              capture_output=True, text=True, timeout=300)
        times.append(time.perf_counter() - started)
        answer = done.stdout.strip()
    results["cli.predict_digit_seconds"] = round(min(times), 3)
    results["cli.predict_digit_answer"] = answer


def worker_memory(results: dict) -> None:
    """RSS of the worker after each of ``TRAININGS`` one-epoch trainings on 1,000 digits."""
    from engine.core.tasks import run_task
    from engine.digits import worker_jobs
    from engine.digits.models import DigitParams
    from engine.digits.service import DigitSettings
    from engine.worker import app_worker, in_worker

    params = DigitParams(arch="mlp", epochs=1, augment=False, typeset_copies=0, dropout=0.0)
    settings = DigitSettings("offline", allow_download=False)
    rss = []
    for _ in range(TRAININGS):
        run_task(in_worker(worker_jobs.train_job, params, settings, None, 1000))
        rss.append(_rss_mb(app_worker().pid))
    results["worker.rss_mb.after_first_training"] = rss[0]
    results["worker.rss_mb.after_10_trainings"] = rss[-1]
    results["worker.rss_growth_mb.trainings_2_to_10"] = round(rss[-1] - rss[1], 1)


def _rss_mb(pid: int | None) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run(results: dict) -> None:
    litert_against_keras(results)
    cli_predict_digit(results)
    worker_memory(results)
