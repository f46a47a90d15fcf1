"""The one Keras training loop: the digit workspace, fine-tuning, the lab and Compare all train here.

``model.fit`` cannot yield, and ``train_on_batch`` costs ~3 ms of Python per batch — more than a
whole batch of a small MLP. A ``ChunkTrainer`` compiles *k batches per call* into one
``tf.function`` (``GradientTape`` + the optimizer as given; k is tuned so a call takes ~0.15 s) and
``fit_task`` yields ``Progress`` between calls: a cancel (closing the generator) takes effect after
the chunk under way. A loss that turns NaN or infinite ends the run at once with ``diverged=True``
and one sentence saying at which batch, never an exception. Everything ``fit_task`` yields or
returns is plain data (floats, lists, dicts), so it crosses the worker process boundary.
TensorFlow is imported only when a trainer is built.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.core import tf_runtime
from engine.core.i18n import t
from engine.core.tasks import Progress, Task

CALL_SECONDS = 0.15  # target duration of one compiled call: the longest a cancel waits
MAX_STEPS_PER_CALL = 256
PREDICT_CHUNK = 1024
PROBE_SAMPLES = 256  # inputs pushed through the layers at epoch ends for activation diagnostics
HISTOGRAM_BINS = 24
LOSSES = ("sparse_ce", "mse_onehot", "mse")  # cross-entropy, MSE on one-hot classes, MSE regression


@dataclass(frozen=True)
class FitConfig:
    """How to train: passes, batch size, stopping rules and what to measure on the way."""

    epochs: int = 1
    batch_size: int = 32
    seed: int = 0
    clipnorm: float | None = None  # clip the global gradient norm of each batch to this
    early_stopping_patience: int | None = None  # epochs without improvement before stopping
    min_delta: float = 1e-7
    restore_best: bool = True  # with early stopping: end with the best epoch's weights
    diagnostics: bool = False  # weight/activation histograms and dead ReLUs at epoch ends


@dataclass
class FitResult:
    """What a run measured. ``diverged`` runs end early with ``reason`` saying why."""

    history: list[dict[str, float]] = field(default_factory=list)  # per epoch: loss, accuracy, val_*
    layer_names: list[str] = field(default_factory=list)  # the layers whose gradients were tracked
    gradient_norms: list[dict[str, Any]] = field(default_factory=list)  # per chunk: {"batch", "norms"}
    epoch_diagnostics: list[dict[str, Any]] = field(default_factory=list)  # histograms, dead ReLU share
    diverged: bool = False
    diverged_batch: int | None = None  # 1-based over the whole run
    reason: str = ""
    stopped_early: bool = False
    best_epoch: int | None = None
    epochs_run: int = 0
    batches_run: int = 0
    compute_seconds: float = 0.0  # time spent training, not time suspended at a yield

    @property
    def final(self) -> dict[str, float]:
        return self.history[-1] if self.history else {}


def _kernel_layers(model: Any) -> list[Any]:
    return [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]


class ChunkTrainer:
    """A model, its optimizer and two compiled functions: train k batches, predict a batch.

    ``augment`` maps a batch of inputs to an augmented batch inside the compiled call (TensorFlow
    ops only). With ``track_gradients`` each call also returns the gradient norm of every layer
    with a kernel (Dense, Conv2D), measured before clipping.
    """

    def __init__(self, model: Any, optimizer: Any, loss: str, x_shape: tuple[int, ...], *,
                 clipnorm: float | None = None, augment: Callable[[Any], Any] | None = None,
                 track_gradients: bool = False) -> None:
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}")
        tf = tf_runtime.tf()
        keras = tf_runtime.keras()
        logging.getLogger("tensorflow").setLevel(logging.ERROR)  # per-model functions: retracing notices are noise
        self.model, self.optimizer, self.loss = model, optimizer, loss
        self.classifier = loss != "mse"
        self.steps_per_call = 1
        variables = list(model.trainable_variables)
        optimizer.build(variables)
        tracked = _kernel_layers(model) if track_gradients else []
        self.layer_names = [layer.name for layer in tracked]
        index = {id(v): i for i, v in enumerate(variables)}
        groups = [[index[id(v)] for v in layer.trainable_variables if id(v) in index] for layer in tracked]
        y_dtype = tf.int64 if self.classifier else tf.float32

        def batch_loss(y, p):
            if loss == "sparse_ce":
                return tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, p))
            if loss == "mse_onehot":
                return tf.reduce_mean(tf.square(tf.one_hot(y, tf.shape(p)[-1]) - p))
            return tf.reduce_mean(tf.square(y - tf.reshape(p, [-1])))

        @tf.function(input_signature=[tf.TensorSpec([None, None, *x_shape], tf.float32),
                                      tf.TensorSpec([None, None], y_dtype)])
        def run(xs, ys):
            k = tf.shape(xs)[0]
            losses = tf.TensorArray(tf.float32, size=k)
            correct = tf.TensorArray(tf.float32, size=k)
            norms = tf.TensorArray(tf.float32, size=k, element_shape=[len(groups)])
            for i in tf.range(k):
                x = xs[i] if augment is None else augment(xs[i])
                with tf.GradientTape() as tape:
                    p = model(x, training=True)
                    value = batch_loss(ys[i], p)
                    total = value + tf.add_n(model.losses) if model.losses else value
                grads = tape.gradient(total, variables)
                grads = [tf.zeros_like(v) if g is None else g for g, v in zip(grads, variables)]
                norms = norms.write(i, tf.stack([tf.linalg.global_norm([grads[j] for j in g]) for g in groups])
                                    if groups else tf.zeros([0]))
                if clipnorm:
                    grads, _ = tf.clip_by_global_norm(grads, clipnorm)
                optimizer.apply_gradients(zip(grads, variables))
                losses = losses.write(i, value)
                hits = (tf.reduce_sum(tf.cast(tf.equal(tf.argmax(p, -1), ys[i]), tf.float32))
                        if self.classifier else tf.constant(0.0))
                correct = correct.write(i, hits)
            return losses.stack(), correct.stack(), norms.stack()

        @tf.function(input_signature=[tf.TensorSpec([None, *x_shape], tf.float32)])
        def predict(x):
            return model(x, training=False)

        self._run, self._predict = run, predict

    def run(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Train on ``xs[i], ys[i]`` for each i; (loss per batch, correct per batch, norms per batch)."""
        losses, correct, norms = self._run(xs, ys)
        return losses.numpy(), correct.numpy(), norms.numpy()

    def predict(self, x: np.ndarray, batch: int = PREDICT_CHUNK) -> np.ndarray:
        x = np.asarray(x, np.float32)
        out = [self._predict(x[i:i + batch]).numpy() for i in range(0, len(x), batch)]
        return np.concatenate(out) if out else np.zeros((0, 1), np.float32)


def epoch_batches(n: int, batch: int, rng: np.random.Generator) -> np.ndarray:
    """One epoch as a (steps, batch) index array. Every batch has one shape (one compiled graph, no
    retracing mid-epoch); the remainder is dropped, and the order changes each epoch, so no sample
    is left out for good."""
    b = max(1, min(batch, n))
    perm = rng.permutation(n)
    steps = max(1, n // b)
    return perm[:steps * b].reshape(steps, b)


def loss_and_accuracy(loss: str, probs: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """The loss (and accuracy, for a classifier) of predictions, as the training loop computes it."""
    if loss == "mse":
        return {"loss": float(np.mean((probs.reshape(-1) - y) ** 2))}
    if loss == "sparse_ce":
        value = float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-7, 1.0))))
    else:
        value = float(np.mean((np.eye(probs.shape[1], dtype=np.float32)[y] - probs) ** 2))
    return {"loss": value, "accuracy": float(np.mean(probs.argmax(axis=1) == y))}


def _validate(trainer: ChunkTrainer, x_val: np.ndarray, y_val: np.ndarray, epoch: int,
              epochs: int) -> Task[dict[str, float]]:
    """Validation a chunk at a time, so a cancel is heard between chunks."""
    parts = []
    for start in range(0, len(y_val), PREDICT_CHUNK):
        parts.append(trainer.predict(x_val[start:start + PREDICT_CHUNK]))
        yield Progress(None, t("Epoch {epoch}/{epochs}: checking on the held-out data…", epoch=epoch, epochs=epochs),
                       "validate")
    measured = loss_and_accuracy(trainer.loss, np.concatenate(parts), y_val)
    return {f"val_{k}": v for k, v in measured.items()}


def _histogram(values: np.ndarray) -> dict[str, list[float]]:
    values = values[np.isfinite(values)]
    if values.size == 0:
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
    return {"edges": edges.astype(float).tolist(), "counts": counts.astype(int).tolist()}


def layer_diagnostics(model: Any, probe: np.ndarray) -> dict[str, Any]:
    """Weight and activation histograms of every layer with a kernel, and the share of ReLU units
    that output zero for every probe input ("dead")."""
    layers, h = [], np.asarray(probe, np.float32)
    dead_units = relu_units = 0
    for layer in model.layers:
        h = layer(h, training=False)
        if getattr(layer, "kernel", None) is None:
            continue
        out = np.asarray(h)
        entry = {"layer": layer.name, "weights": _histogram(np.asarray(layer.kernel).ravel()),
                 "activations": _histogram(out.ravel())}
        if getattr(getattr(layer, "activation", None), "__name__", "") == "relu":
            peak = out.reshape(len(out), -1, out.shape[-1]).max(axis=(0, 1))  # per unit / channel
            dead = int((peak <= 0).sum())
            entry["dead_relu_share"] = dead / max(1, peak.size)
            dead_units, relu_units = dead_units + dead, relu_units + peak.size
        layers.append(entry)
    return {"layers": layers, "dead_relu_share": dead_units / relu_units if relu_units else None}


def _learning_rate(optimizer: Any) -> float | None:
    try:
        return float(np.asarray(optimizer.learning_rate))
    except (TypeError, ValueError, AttributeError):
        return None


def divergence_reason(batch: int, value: float, clipnorm: float | None, learning_rate: float | None,
                      largest_norm: float | None) -> str:
    """One sentence from what was measured: where the loss broke and the likely cause."""
    what = t("NaN") if np.isnan(value) else t("infinite")
    lr = t(" ({lr})", lr=f"{learning_rate:g}") if learning_rate is not None else ""
    if clipnorm:
        return t("The loss exploded (became {what}) at batch {batch} although gradients were clipped to {clip:g}: "
                 "the learning rate{lr} is too high.", what=what, batch=batch, clip=clipnorm, lr=lr)
    if largest_norm is not None:
        norm = f"{largest_norm:.3g}" if np.isfinite(largest_norm) else t("infinite")
        return t("The loss exploded (became {what}) at batch {batch}, largest gradient norm {norm}: learning rate"
                 "{lr} too high / no clipping.", what=what, batch=batch, norm=norm, lr=lr)
    return t("The loss exploded (became {what}) at batch {batch}: learning rate{lr} too high / no clipping.",
             what=what, batch=batch, lr=lr)


def fit_task(trainer: ChunkTrainer, x: np.ndarray, y: np.ndarray, config: FitConfig, *,
             x_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
             rng: np.random.Generator | None = None) -> Task[FitResult]:
    """Train ``trainer.model`` on (x, y) for ``config.epochs`` passes; the caller's progress and cancel.

    Progress: stage "batch" after every compiled call (fraction, data: epoch, batch, steps, loss,
    eta_seconds, samples_per_second, batches_done and, when tracked, grad_norms) and stage "epoch"
    (data: epoch, loss, accuracy, val_loss, val_accuracy, and diagnostics when asked for).
    """
    rng = rng if rng is not None else np.random.default_rng(config.seed)
    x = np.asarray(x, np.float32)
    y = np.asarray(y, np.int64 if trainer.classifier else np.float32)
    has_val = x_val is not None and y_val is not None and len(y_val) > 0
    if has_val:
        x_val = np.asarray(x_val, np.float32)
        y_val = np.asarray(y_val, np.int64 if trainer.classifier else np.float32)
    steps = max(1, len(y) // max(1, min(config.batch_size, len(y))))
    total = config.epochs * steps
    result = FitResult(layer_names=list(trainer.layer_names))
    monitor = "val_loss" if has_val else "loss"
    best, best_weights, wait = np.inf, None, 0
    probe = (x_val if has_val else x)[:PROBE_SAMPLES]
    lr = _learning_rate(trainer.optimizer)
    for epoch in range(1, config.epochs + 1):
        idx = epoch_batches(len(y), config.batch_size, rng)
        loss_sum = correct_sum = 0.0
        seen = s = 0
        while s < steps:
            k = min(trainer.steps_per_call, steps - s)
            started = time.perf_counter()
            losses, correct, norms = trainer.run(x[idx[s:s + k]], y[idx[s:s + k]])
            spent = time.perf_counter() - started
            result.compute_seconds += spent
            if spent > 0 and k == trainer.steps_per_call:  # aim the next calls at CALL_SECONDS
                trainer.steps_per_call = int(np.clip(k * CALL_SECONDS / spent, 1, MAX_STEPS_PER_CALL))
            bad = np.flatnonzero(~np.isfinite(losses))
            if bad.size:
                i = int(bad[0])
                result.diverged, result.diverged_batch = True, result.batches_run + i + 1
                seen_norms = norms[:i + 1]
                largest = (float(np.nan_to_num(seen_norms, nan=np.inf).max()) if seen_norms.size else None)
                result.reason = divergence_reason(result.diverged_batch, float(losses[i]), config.clipnorm, lr,
                                                  largest)
                result.batches_run += i + 1
                result.epochs_run = epoch
                yield Progress(result.batches_run / total, result.reason, "diverged",
                               {"batch": result.diverged_batch, "epoch": epoch, "reason": result.reason})
                return result
            result.batches_run += k
            s += k
            loss_sum += float(losses.sum())
            correct_sum += float(correct.sum())
            seen += k * idx.shape[1]
            data: dict[str, Any] = {"epoch": epoch, "batch": s, "steps": steps, "batches_done": result.batches_run,
                                    "loss": loss_sum / (s if s else 1)}
            if norms.size:
                mean_norms = norms.mean(axis=0).astype(float).tolist()
                result.gradient_norms.append({"batch": result.batches_run, "norms": mean_norms})
                data["grad_norms"] = mean_norms
            fraction = result.batches_run / total
            elapsed = result.compute_seconds
            data["eta_seconds"] = elapsed / fraction * (1 - fraction) if fraction > 0 else None
            data["samples_per_second"] = result.batches_run * idx.shape[1] / elapsed if elapsed > 0 else None
            yield Progress(fraction, t("Epoch {epoch}/{epochs}, batch {batch}/{steps}", epoch=epoch,
                                       epochs=config.epochs, batch=s, steps=steps), "batch", data)
        metrics: dict[str, float] = {"loss": loss_sum / steps}
        if trainer.classifier:
            metrics["accuracy"] = correct_sum / max(1, seen)
        if has_val:
            started = time.perf_counter()
            metrics.update((yield from _validate(trainer, x_val, y_val, epoch, config.epochs)))
            result.compute_seconds += time.perf_counter() - started
        metrics["epoch"] = epoch
        result.history.append(metrics)
        result.epochs_run = epoch
        epoch_data: dict[str, Any] = dict(metrics)
        if config.diagnostics:
            diag = layer_diagnostics(trainer.model, probe)
            diag["epoch"] = epoch
            result.epoch_diagnostics.append(diag)
            epoch_data["diagnostics"] = diag
        yield Progress(result.batches_run / total, _epoch_message(metrics, config.epochs), "epoch", epoch_data)
        if config.early_stopping_patience is not None:
            value = metrics[monitor]
            if value < best - config.min_delta:
                best, wait, result.best_epoch = value, 0, epoch
                best_weights = trainer.model.get_weights() if config.restore_best else None
            else:
                wait += 1
                if wait >= config.early_stopping_patience:
                    result.stopped_early = True
                    break
    if config.early_stopping_patience is not None and config.restore_best and best_weights is not None:
        started = time.perf_counter()
        trainer.model.set_weights(best_weights)
        result.compute_seconds += time.perf_counter() - started
    return result


def _epoch_message(metrics: dict[str, float], epochs: int) -> str:
    if "accuracy" in metrics:
        return t("Epoch {epoch}/{epochs} done: accuracy {acc:.3f}, validation accuracy {val:.3f}",
                 epoch=metrics["epoch"], epochs=epochs, acc=metrics["accuracy"], val=metrics.get("val_accuracy", 0.0))
    return t("Epoch {epoch}/{epochs} done: loss {loss:.4f}, validation loss {val:.4f}", epoch=metrics["epoch"],
             epochs=epochs, loss=metrics["loss"], val=metrics.get("val_loss", float("nan")))
