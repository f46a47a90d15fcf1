"""Compare's networks, trained by the app's one Keras loop (``engine.core.keras_fit``).

A ``StepTrainer`` is a ``ChunkTrainer`` (k batches per compiled call, k tuned so a call takes
~0.15 s) that can be reset to fresh weights without retracing; ``train_epochs`` and
``fit_early_stopping`` drive ``fit_task`` and turn its progress into the fraction done, so a
comparison yields between calls and Compare measures the same training the workspace uses.
TensorFlow is imported only when one is built.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np

from engine.core import tf_runtime
from engine.core.keras_fit import ChunkTrainer, FitConfig, FitResult, epoch_batches, fit_task
from engine.core.tasks import Task


class StepTrainer(ChunkTrainer):
    """A ``ChunkTrainer`` plus what Compare measures: fresh weights, parameter count, file size."""

    def run_mean(self, xs: np.ndarray, ys: np.ndarray) -> float:
        """Train on ``xs[i], ys[i]`` for each i (k batches of equal size); the mean loss."""
        return float(np.mean(self.run(xs, ys)[0]))

    def reset(self, seed: int) -> None:
        """Fresh Glorot weights and a fresh optimizer state, keeping the compiled functions:
        tracing a new model costs ~1 s, more than fitting the house MLP once."""
        rng = np.random.default_rng(seed)
        for layer in self.model.layers:
            kernel = getattr(layer, "kernel", None)
            if kernel is None:
                continue
            fan_in, fan_out = int(np.prod(kernel.shape[:-1])), int(kernel.shape[-1])
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            kernel.assign(rng.uniform(-limit, limit, kernel.shape).astype(np.float32))
            if getattr(layer, "bias", None) is not None:
                layer.bias.assign(np.zeros(layer.bias.shape, np.float32))
        for var in self.optimizer.variables:
            if "learning_rate" not in var.path:
                var.assign(np.zeros(var.shape, var.dtype))

    def n_params(self) -> int:
        return int(self.model.count_params())

    def saved_bytes(self) -> int:
        """Size of the model as a ``.keras`` file: written to a temp dir, measured, deleted."""
        with tempfile.TemporaryDirectory(prefix="deepmine-compare-") as tmp:
            path = Path(tmp) / "model.keras"
            with warnings.catch_warnings():  # Keras' own NumPy 2 copy-keyword notice, once per save
                warnings.simplefilter("ignore", DeprecationWarning)
                self.model.save(path)
            return os.path.getsize(path)


def batch_index(n: int, batch: int, rng: np.random.Generator) -> np.ndarray:
    """One epoch as a (steps, batch) index array, as the training loop draws it."""
    return epoch_batches(n, batch, rng)


def _drive(work: Task[FitResult]) -> Generator[float, None, FitResult]:
    """``fit_task``'s progress as the fraction done (what a comparison cell yields)."""
    while True:
        try:
            progress = next(work)
        except StopIteration as stop:
            return stop.value
        if progress.stage == "batch" and progress.fraction is not None:
            yield progress.fraction


def train_epochs(trainer: StepTrainer, x: np.ndarray, y: np.ndarray, epochs: int, batch: int,
                 rng: np.random.Generator) -> Generator[float, None, float]:
    """Train ``epochs`` passes, yielding the fraction done after each compiled call; returns
    the compute seconds (time spent suspended at a yield is not counted)."""
    fitted = yield from _drive(fit_task(trainer, x, y, FitConfig(epochs=epochs, batch_size=batch), rng=rng))
    return fitted.compute_seconds


def fit_early_stopping(trainer: StepTrainer, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
                       *, max_epochs: int, patience: int, batch: int, rng: np.random.Generator
                       ) -> Generator[float, None, tuple[float, int]]:
    """Epochs until the validation MSE stops improving for ``patience`` epochs; the best weights
    are restored. Yields the fraction of ``max_epochs`` done; returns (compute seconds, epochs)."""
    config = FitConfig(epochs=max_epochs, batch_size=batch, early_stopping_patience=patience)
    fitted = yield from _drive(fit_task(trainer, x, y, config, x_val=x_val, y_val=y_val, rng=rng))
    return fitted.compute_seconds, fitted.epochs_run


# --- the networks -------------------------------------------------------------------------------
def digit_trainer(arch: str, n_train: int, epochs: int, seed: int) -> tuple[StepTrainer, int]:
    """The workspace's own seed MLP or small CNN with its optimizer; returns (trainer, batch size).

    Same hyper-parameters as the digit workspace (``DigitParams.default``), without the
    augmentation, which is a training-pipeline extra of that workspace and not part of the model.
    """
    from engine.digits.models import DigitParams, build_cnn, build_mlp

    keras = tf_runtime.keras()
    params = DigitParams.default(arch)
    keras.utils.set_random_seed(seed)
    model = build_cnn(params) if arch == "cnn" else build_mlp(params)
    steps = max(1, -(-n_train // params.batch_size) * epochs)
    lr = keras.optimizers.schedules.CosineDecay(params.learning_rate, steps, alpha=0.05) if arch == "cnn" \
        else params.learning_rate
    return StepTrainer(model, keras.optimizers.Adam(lr), "sparse_ce", (28, 28)), params.batch_size


def house_trainer(n_features: int, seed: int) -> StepTrainer:
    """A small regressor for standardised inputs: 64 → 32 → 1, Adam."""
    keras = tf_runtime.keras()
    keras.utils.set_random_seed(seed)
    L = keras.layers
    model = keras.Sequential([keras.Input((n_features,)), L.Dense(64, activation="relu"),
                              L.Dense(32, activation="relu"), L.Dense(1)], name="house_mlp")
    return StepTrainer(model, keras.optimizers.Adam(3e-3), "mse", (n_features,))


def table_trainer(n_features: int, n_classes: int, seed: int) -> StepTrainer:
    """The house network for any table: 64 → 32 → 1 (MSE) for a number, → one softmax output per
    class (cross-entropy) for a class. Inputs are the Tables' network cleaning (scaled, one-hot)."""
    if n_classes < 2:
        return house_trainer(n_features, seed)
    keras = tf_runtime.keras()
    keras.utils.set_random_seed(seed)
    L = keras.layers
    model = keras.Sequential([keras.Input((n_features,)), L.Dense(64, activation="relu"),
                              L.Dense(32, activation="relu"), L.Dense(n_classes, activation="softmax")],
                             name="table_mlp")
    return StepTrainer(model, keras.optimizers.Adam(3e-3), "sparse_ce", (n_features,))


def timed_fit(fit: Generator[float, None, tuple[float, int]], clock: Any, epochs: list[int]
              ) -> Generator[float, None, None]:
    """Drive ``fit_early_stopping``: yields its fractions; at the end adds its compute seconds to
    ``clock.seconds`` and its epochs to ``epochs`` (every network cell accounts the same way)."""
    seconds, used = yield from fit
    clock.seconds += seconds
    epochs.append(used)
