"""Digit models: the seed "classic MLP" and the default small CNN with augmentation.

Model code follows the Keras examples: hyper-parameters named up front, layers read top to
bottom. Augmentation lives in the training input pipeline, not in the saved model, so the
saved ``.keras`` file holds only standard layers and loads in Keras safe mode.
Live prediction goes through a compiled ``tf.function`` (≈2.5 ms), not ``model.predict``
(≈70 ms per call here).
"""

from __future__ import annotations

import base64
import math
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from engine.core import tf_runtime
from engine.core.cache import ModelCache, make_key
from engine.core.errors import CacheError, Cancelled, DataError, InputError
from engine.core.i18n import t
from engine.core.tasks import CancelToken, Progress, ProgressFn, no_progress
from engine.digits.mnist import MnistData, fingerprint, load_training_data
from engine.core.results import DigitEvaluation, DigitModelInfo, DigitPrediction, Misclassified, Provenance
from engine.core.versions import library_versions

ARCHS = ("cnn", "mlp")
CACHE_KIND = "digits"
LOW_CONFIDENCE = 0.6
MAX_MISCLASSIFIED = 60
# What a training may be asked for (the CLI's options, the training panel's fields): beyond these a
# run is a mistake (``--epochs 1e20``) or a model that learns nothing (``--learning-rate 1e30``).
LIMITS = {"epochs": (1, 1000), "batch_size": (1, 65536), "learning_rate": (0.0, 1.0), "dropout": (0.0, 0.95),
          "seed": (0, 2**32 - 1), "validation_split": (0.0, 0.5), "typeset_copies": (0, 20)}


@dataclass(frozen=True)
class DigitParams:
    arch: str = "cnn"
    epochs: int = 15
    batch_size: int = 64
    learning_rate: float = 2e-3
    dropout: float = 0.3
    augment: bool = True
    seed: int = 0
    validation_split: float = 0.1
    typeset_copies: int = 3  # copies of the typeset digits added to training (engine.digits.typeset)

    @staticmethod
    def default(arch: str = "cnn") -> "DigitParams":
        if arch == "mlp":  # the seed model, as it was: Adam, 10 epochs, batch 32, no extras
            return DigitParams(arch="mlp", epochs=10, batch_size=32, learning_rate=1e-3, dropout=0.0, augment=False,
                               typeset_copies=0)
        return DigitParams()

    def problems(self) -> dict[str, InputError]:
        """Each unusable field and why (empty when all are fine), checked before any work starts."""
        found: dict[str, InputError] = {}
        if self.arch not in ARCHS:
            found["arch"] = InputError("The network type must be {choices}, not {value}.", choices=" or ".join(ARCHS),
                                       value=self.arch)
        for name in ("epochs", "batch_size", "seed", "typeset_copies"):
            value, (low, high) = getattr(self, name), LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                found[name] = InputError("{field} must be a whole number from {low} to {high}, not {value}.",
                                         field=name, low=f"{low:,}", high=f"{high:,}", value=value)
        lr_low, lr_high = LIMITS["learning_rate"]
        if not _finite(self.learning_rate) or not lr_low < self.learning_rate <= lr_high:
            found["learning_rate"] = InputError("The learning rate must be greater than 0 and at most {high}, not "
                                                "{value}.", high=f"{lr_high:g}", value=self.learning_rate)
        for name in ("dropout", "validation_split"):
            value, (low, high) = getattr(self, name), LIMITS[name]
            if not _finite(value) or not low <= value <= high:
                found[name] = InputError("{field} must be a number from {low} to {high}, not {value}.", field=name,
                                         low=f"{low:g}", high=f"{high:g}", value=value)
        return found

    def check(self) -> "DigitParams":
        """These parameters, or ``InputError`` naming the first unusable one."""
        for error in self.problems().values():
            raise error
        return self


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def weights_problem(keras_model: Any) -> str | None:
    """Why these weights cannot give an answer (NaN or infinite numbers, as after a diverged
    training); None when they are all finite."""
    bad = sum(int((~np.isfinite(np.asarray(w, dtype=np.float64))).sum()) for w in keras_model.get_weights())
    if bad:
        return t("{n} of its weights are not finite numbers (NaN or infinity), as when a training diverges", n=bad)
    return None


# --- model definitions -----------------------------------------------------------------
def build_mlp(params: DigitParams):
    keras = tf_runtime.keras()
    layers = [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(128, activation="relu")]
    if params.dropout > 0:
        layers.append(keras.layers.Dropout(params.dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    return keras.Sequential(layers, name="classic_mlp")


def build_cnn(params: DigitParams):
    """A small CNN sized for two CPU cores: ~5 M multiply-adds per digit (the earlier
    32-32-64-64 stack cost ~18 M and trained 4.7× slower here for no accuracy the canvas needed)."""
    keras = tf_runtime.keras()
    L = keras.layers
    return keras.Sequential([
        keras.Input((28, 28)),
        L.Reshape((28, 28, 1)),
        L.Conv2D(32, 5, padding="same", activation="relu"),
        L.MaxPooling2D(),
        L.Conv2D(64, 3, padding="same", activation="relu"),
        L.MaxPooling2D(),
        L.Conv2D(64, 3, activation="relu"),
        L.Flatten(),
        L.Dropout(params.dropout),
        L.Dense(128, activation="relu"),
        L.Dropout(params.dropout),
        L.Dense(10, activation="softmax"),
    ], name="small_cnn")


# --- the trained model ------------------------------------------------------------------
def inference_function(keras_model: Any):
    """Probabilities for a batch of 28×28 images through one compiled function, traced now (not on
    the first drawing, nor at the first epoch's end while training)."""
    tf = tf_runtime.tf()
    fn = tf.function(lambda x: keras_model(x, training=False),
                     input_signature=[tf.TensorSpec([None, 28, 28], tf.float32)])
    fn(tf.zeros([1, 28, 28], tf.float32))
    return fn


class DigitModel:
    """A trained network plus what is known about it, with the fast inference path."""

    def __init__(self, keras_model: Any, info: DigitModelInfo) -> None:
        problem = weights_problem(keras_model)
        if problem is not None:  # a model that answers NaN is never used (nor saved): say so once, here
            raise DataError("The trained model cannot be used: {reason}. Train again with a smaller learning "
                            "rate.", reason=problem)
        self.keras_model = keras_model
        self.info = info
        self._infer = inference_function(keras_model)
        # The saliency graph is traced on first use, after the first prediction is on screen: tracing
        # it here made every start 0.2–0.3 s later. (Tracing on a reused Qt pool thread once crashed
        # TensorFlow; the cause was fixed where it was, gui/common/tasks.py, _pin_thread_state.)
        self._gradient = None

    def predict_proba(self, images: np.ndarray, batch: int = 1024) -> np.ndarray:
        images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28)
        out = [self._infer(images[i:i + batch]).numpy() for i in range(0, len(images), batch)]
        return np.concatenate(out) if out else np.zeros((0, 10), np.float32)

    def predict(self, image28: np.ndarray | None) -> DigitPrediction:
        """The digit for one preprocessed image; a blank canvas (None) is "no digit", never a guess."""
        if image28 is None:
            return DigitPrediction(None, 0.0, np.zeros(10, np.float32), None)
        probs = self._infer(np.asarray(image28, np.float32).reshape(1, 28, 28)).numpy()[0]
        if not np.isfinite(probs).all():
            raise DataError("The model gave no usable answer for this drawing (its output is not a number).")
        digit = int(probs.argmax())
        confidence = float(probs[digit])
        return DigitPrediction(digit, confidence, probs, image28, confidence < LOW_CONFIDENCE)

    def saliency(self, image28: np.ndarray) -> np.ndarray:
        """|∂ logit(winning class) / ∂ input|, scaled to [0, 1]: where the network looked."""
        if self._gradient is None:  # compiled once: ~2 ms per map instead of ~20 ms eagerly
            self._gradient = saliency_gradient(self.keras_model)
        grad = np.abs(self._gradient(np.asarray(image28, np.float32).reshape(1, 28, 28)).numpy()[0])
        grad = np.nan_to_num(grad)
        peak = float(grad.max())
        return (grad / peak if peak > 0 else grad).astype(np.float32)


def saliency_gradient(keras_model: Any):
    """A compiled ∂ winning logit / ∂ input for one (1, 28, 28) image of a network whose last layer
    is Dense(10, softmax): the logit, not its probability, since a confident softmax is flat
    (gradient ≈ 0 everywhere) and would show noise instead of strokes."""
    tf = tf_runtime.tf()
    *body, head = keras_model.layers

    @tf.function(input_signature=[tf.TensorSpec([1, 28, 28], tf.float32)])
    def gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            h = x
            for layer in body:
                h = layer(h, training=False)
            top = tf.reduce_max((tf.matmul(h, head.kernel) + head.bias)[0])
        return tape.gradient(top, x)

    return gradient


def arch_label(arch: str) -> str:
    return t("convolutional network (CNN)") if arch == "cnn" else t("classic MLP (the seed model)")


def evaluate(model: DigitModel, data: MnistData) -> DigitEvaluation:
    """Accuracy, loss, per-class precision/recall, confusion matrix and the worst mistakes."""
    probs = model.predict_proba(data.x)
    pred = probs.argmax(axis=1)
    y = data.y
    eps = 1e-7
    loss = float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], eps, 1.0))))
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (y, pred), 1)
    tp = np.diag(confusion).astype(float)
    precision = np.divide(tp, confusion.sum(axis=0), out=np.zeros(10), where=confusion.sum(axis=0) > 0)
    recall = np.divide(tp, confusion.sum(axis=1), out=np.zeros(10), where=confusion.sum(axis=1) > 0)
    wrong = np.flatnonzero(pred != y)
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]])][:MAX_MISCLASSIFIED]
    mistakes = [Misclassified(data.x[i].astype(np.float32), int(y[i]), int(pred[i]), float(probs[i, pred[i]]), int(i))
                for i in wrong]
    return DigitEvaluation(accuracy=float((pred == y).mean()), loss=loss, precision=precision.tolist(),
                           recall=recall.tolist(), confusion=confusion.tolist(), n_samples=len(y),
                           source_label=data.provenance.label, misclassified=mistakes)


# --- cache ------------------------------------------------------------------------------
def _info_to_meta(info: DigitModelInfo) -> dict[str, Any]:
    meta = asdict(replace(info, evaluation=None))
    if info.evaluation is not None:
        ev = asdict(replace(info.evaluation, misclassified=[]))
        ev["misclassified"] = [
            {"image": base64.b64encode(np.round(m.image28 * 255).astype(np.uint8).tobytes()).decode("ascii"),
             "true_label": m.true_label, "predicted": m.predicted, "confidence": m.confidence, "index": m.index}
            for m in info.evaluation.misclassified]
        meta["evaluation"] = ev
    return {"info": meta}


def _info_from_meta(meta: dict[str, Any]) -> DigitModelInfo:
    raw = dict(meta["info"])
    raw["train_provenance"] = Provenance(**raw["train_provenance"])
    ev = raw.get("evaluation")
    if ev:
        mistakes = [Misclassified(np.frombuffer(base64.b64decode(m["image"]), np.uint8).reshape(28, 28)
                                  .astype(np.float32) / 255.0, m["true_label"], m["predicted"], m["confidence"],
                                  m["index"]) for m in ev.pop("misclassified", [])]
        raw["evaluation"] = DigitEvaluation(**ev, misclassified=mistakes)
    info = DigitModelInfo(**raw)
    info.from_cache = True
    return info


def _read_keras(path: Path):
    keras = tf_runtime.keras()
    keras_model = keras.saving.load_model(path, compile=False, safe_mode=True)
    problem = weights_problem(keras_model)
    if problem is not None:  # the cache sets such an entry aside and uses another model
        raise ValueError(problem)
    return keras_model


def evaluation_problem(info: DigitModelInfo) -> str | None:
    """Why a model's recorded evaluation shows it is broken (a NaN loss or accuracy); None if fine."""
    ev = info.evaluation
    if ev is not None and not (_finite(ev.accuracy) and _finite(ev.loss)):
        return t("its evaluation is not a number (accuracy {acc}, loss {loss})", acc=ev.accuracy, loss=ev.loss)
    return None


def save_digit_model(model: DigitModel, cache: ModelCache | None = None) -> dict[str, Any]:
    """Store the model and its info in the cache (atomic; the metadata is written last).

    A model whose evaluation or weights are not numbers is refused: once cached it would be
    the person's model at every start, answering NaN.
    """
    cache = cache or ModelCache()
    info = model.info
    problem = evaluation_problem(info) or weights_problem(model.keras_model)
    if problem is not None:
        raise CacheError("The model was not saved: {reason}.", reason=problem)
    key = info.cache_key or make_key(CACHE_KIND, info.train_provenance.sha256, info.params)
    info.cache_key = key
    return cache.store(CACHE_KIND, key, ".keras", lambda tmp: model.keras_model.save(tmp), _info_to_meta(info))


def load_latest_digit_model(cache: ModelCache | None = None) -> DigitModel | None:
    """The newest usable cached model, or None. A damaged entry is reported and set aside, and the
    next newest is tried."""
    cache = cache or ModelCache()
    skipped: set[str] = set()
    while True:
        hit = cache.latest(CACHE_KIND, _read_keras, accept=lambda meta: meta.get("key") not in skipped)
        if hit is None:
            return None
        key = str(hit.meta.get("key", ""))
        stem = f"{CACHE_KIND}-{key}"
        try:
            info = _info_from_meta(hit.meta)
            problem = evaluation_problem(info)
        except (KeyError, TypeError, ValueError) as exc:
            problem = t("its description of the model is damaged ({reason})", reason=exc)
        if problem is None:
            return DigitModel(hit.model, info)
        skipped.add(key)
        cache.report_damaged(f"{stem}.json", problem, stem)
