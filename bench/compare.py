"""Compare engine figures: the quick preset cold (empty cache), the full preset on the full MNIST.

``python -m bench compare``. Each run gets an empty cell cache of its own, so the seconds are
real training time. The full preset needs ``../shared/data/mnist-train`` and ``mnist-test``
(60,000 training and 10,000 test digits) and takes long on two cores; without them its
figures say why they were skipped and the accuracies come from the quick run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

DIGIT_MODELS = ("tree", "forest", "boosting", "mlp", "cnn")
HOUSE_MODELS = ("tree", "forest", "boosting", "mlp")


def _timed_run(preset: str, cache_dir: Path, **data):
    from engine.compare.cache import CellCache
    from engine.compare.runner import run_compare
    from engine.core.tasks import run_task

    started = time.monotonic()

    def show(p) -> None:  # a long run says where it is: one line per finished cell
        if p.stage == "cell":
            print(f"[compare {preset} {time.monotonic() - started:6.0f} s] {p.message}", file=sys.stderr, flush=True)

    result = run_task(run_compare(preset, cache=CellCache(cache_dir), **data), show)
    return result, round(time.monotonic() - started, 1)


def _full_mnist():
    """(train, test) from ../shared/data, or a reason string when absent."""
    from bench.common import shared_data
    from engine.digits.mnist import load_idx_pair, load_mnist_file

    root = shared_data()
    if root is None:
        return "skipped: ../shared/data is absent"
    train_dir, test_dir = root / "mnist-train", root / "mnist-test"
    if not train_dir.is_dir() or not test_dir.is_dir():
        return "skipped: ../shared/data lacks mnist-train or mnist-test"
    test = load_idx_pair(test_dir / "t10k-images-idx3-ubyte.gz", test_dir / "t10k-labels-idx1-ubyte.gz")
    return load_mnist_file(train_dir), test


def run(results: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="deepmine-compare-bench-") as tmp:
        quick, results["compare.quick_seconds"] = _timed_run("quick", Path(tmp) / "quick")
        full = None
        mnist = _full_mnist()
        if isinstance(mnist, str):
            results["compare.full_seconds"] = mnist
        else:
            train, test = mnist
            full, results["compare.full_seconds"] = _timed_run("full", Path(tmp) / "full", digits_data=train,
                                                                digits_test=test)
    source = full or quick
    results["compare.figures_from"] = "full" if full else "quick (the full preset did not run)"
    results["compare.digits.largest_size"] = max(source.sizes("digits"), default=0)
    for model in DIGIT_MODELS:
        cell = source.largest("digits", model)
        results[f"compare.digits.{model}.accuracy"] = round(cell.score, 4) if cell else "missing"
        if cell:
            results[f"compare.digits.{model}.train_seconds"] = round(cell.train_seconds, 2)
    for model in HOUSE_MODELS:
        cell = source.largest("houses", model)
        results[f"compare.houses.{model}.cv_mse"] = round(cell.score, 2) if cell else "missing"
    from engine.compare.readings import compare_readings

    for reading in compare_readings(source, "en"):
        results[f"compare.reading.{reading.dimension}"] = reading.text
