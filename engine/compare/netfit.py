"""Training Keras networks in compiled chunks of batches, so a comparison can yield between them.

``model.fit`` cannot yield, and ``train_on_batch`` costs ~3 ms of Python per batch here — more
than a whole batch of the house MLP. A ``StepTrainer`` runs k batches per call inside one
``tf.function`` (k chosen so a call takes ~0.15 s), and the caller yields between calls: cancel
then takes effect within a fraction of a second. TensorFlow is imported only when one is built.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np

from engine.core import tf_runtime

CALL_SECONDS = 0.15  # target duration of one compiled call


class StepTrainer:
    """A model, its optimizer and two compiled functions: train k batches, predict a batch."""

    def __init__(self, model: Any, optimizer: Any, loss: str, x_shape: tuple[int, ...]) -> None:
        tf = tf_runtime.tf()
        keras = tf_runtime.keras()
        # every cell builds its own functions, as intended: TF's "retracing" warning is noise here
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
        self.model, self.optimizer, self.loss = model, optimizer, loss
        variables = model.trainable_variables
        optimizer.build(variables)
        y_dtype = tf.int64 if loss == "sparse_ce" else tf.float32

        def batch_loss(y, p):
            if loss == "sparse_ce":
                return tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, p))
            return tf.reduce_mean(tf.square(y - tf.reshape(p, [-1])))

        @tf.function(input_signature=[tf.TensorSpec([None, None, *x_shape], tf.float32),
                                      tf.TensorSpec([None, None], y_dtype)])
        def run(xs, ys):
            total = tf.constant(0.0)
            for i in tf.range(tf.shape(xs)[0]):
                with tf.GradientTape() as tape:
                    value = batch_loss(ys[i], model(xs[i], training=True))
                optimizer.apply_gradients(zip(tape.gradient(value, variables), variables))
                total += value
            return total / tf.cast(tf.shape(xs)[0], tf.float32)

        @tf.function(input_signature=[tf.TensorSpec([None, *x_shape], tf.float32)])
        def predict(x):
            return model(x, training=False)

        self._run, self._predict = run, predict
        self.steps_per_call = 1

    def run(self, xs: np.ndarray, ys: np.ndarray) -> float:
        """Train on ``xs[i], ys[i]`` for each i (k batches of equal size); the mean loss."""
        return float(self._run(xs, ys))

    def predict(self, x: np.ndarray, batch: int = 1024) -> np.ndarray:
        x = np.asarray(x, np.float32)
        out = [self._predict(x[i:i + batch]).numpy() for i in range(0, len(x), batch)]
        return np.concatenate(out)

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
    """One epoch as a (steps, batch) index array; the last batch is filled up with random
    repeats so every batch has the same shape (one compiled graph, no retracing)."""
    b = min(batch, n)
    steps = -(-n // b)
    perm = rng.permutation(n)
    if steps * b > n:
        perm = np.concatenate([perm, rng.choice(n, steps * b - n, replace=False)])
    return perm.reshape(steps, b)


def train_epochs(trainer: StepTrainer, x: np.ndarray, y: np.ndarray, epochs: int, batch: int,
                 rng: np.random.Generator) -> Generator[float, None, float]:
    """Train ``epochs`` passes, yielding the fraction done after each compiled call; returns
    the compute seconds (time spent suspended at a yield is not counted)."""
    steps = -(-len(y) // min(batch, len(y)))
    total, done, seconds = epochs * steps, 0, 0.0
    for _ in range(epochs):
        idx = batch_index(len(y), batch, rng)
        s = 0
        while s < steps:
            k = min(trainer.steps_per_call, steps - s)
            started = time.perf_counter()
            trainer.run(x[idx[s:s + k]], y[idx[s:s + k]])
            spent = time.perf_counter() - started
            seconds += spent
            if spent > 0 and k == trainer.steps_per_call:  # aim the next calls at CALL_SECONDS
                trainer.steps_per_call = int(np.clip(k * CALL_SECONDS / spent, 1, 256))
            s += k
            done += k
            yield done / total
    return seconds


def fit_early_stopping(trainer: StepTrainer, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
                       *, max_epochs: int, patience: int, batch: int, rng: np.random.Generator
                       ) -> Generator[float, None, tuple[float, int]]:
    """Epochs until the validation MSE stops improving for ``patience`` epochs; the best weights
    are restored. Yields the fraction of ``max_epochs`` done; returns (compute seconds, epochs)."""
    best, best_weights, wait, seconds, epoch = np.inf, None, 0, 0.0, 0
    for epoch in range(1, max_epochs + 1):
        started = time.perf_counter()
        idx = batch_index(len(y), batch, rng)
        trainer.run(x[idx], y[idx])
        val = float(np.mean((trainer.predict(x_val)[:, 0] - y_val) ** 2))
        if val < best - 1e-7:
            best, best_weights, wait = val, trainer.model.get_weights(), 0
        else:
            wait += 1
        seconds += time.perf_counter() - started
        if wait >= patience:
            break
        yield epoch / max_epochs
    if best_weights is not None:
        started = time.perf_counter()
        trainer.model.set_weights(best_weights)
        seconds += time.perf_counter() - started
    return seconds, epoch


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
