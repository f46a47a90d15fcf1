"""Digit models: the seed "classic MLP" and the default small CNN with augmentation.

Model code follows the Keras examples: hyper-parameters named up front, layers read top to
bottom. Augmentation lives in the training input pipeline, not in the saved model, so the
saved ``.keras`` file holds only standard layers and loads in Keras safe mode.
Live prediction goes through a compiled ``tf.function`` (≈2.5 ms), not ``model.predict``
(≈70 ms per call here).
"""

from __future__ import annotations

import base64
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from engine.core import tf_runtime
from engine.core.cache import ModelCache, make_key
from engine.core.errors import CacheError, Cancelled
from engine.core.i18n import t
from engine.core.tasks import CancelToken, Progress, ProgressFn, no_progress
from engine.digits.mnist import MnistData, fingerprint, load_training_data
from engine.core.results import DigitEvaluation, DigitModelInfo, DigitPrediction, Misclassified, Provenance
from engine.core.versions import library_versions

ARCHS = ("cnn", "mlp")
CACHE_KIND = "digits"
LOW_CONFIDENCE = 0.6
MAX_MISCLASSIFIED = 60


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
        digit = int(probs.argmax())
        confidence = float(probs[digit])
        return DigitPrediction(digit, confidence, probs, image28, confidence < LOW_CONFIDENCE)

    def saliency(self, image28: np.ndarray) -> np.ndarray:
        """|∂ logit(winning class) / ∂ input|, scaled to [0, 1]: where the network looked."""
        tf = tf_runtime.tf()
        if self._gradient is None:  # compiled once: ~2 ms per map instead of ~20 ms eagerly
            keras_model = self.keras_model

            *body, head = keras_model.layers  # the last layer is Dense(10, softmax)

            @tf.function(input_signature=[tf.TensorSpec([1, 28, 28], tf.float32)])
            def gradient(x):
                with tf.GradientTape() as tape:
                    tape.watch(x)
                    h = x
                    for layer in body:
                        h = layer(h, training=False)
                    # the winning class's logit, not its probability: a confident softmax is
                    # flat (gradient ≈ 0 everywhere), which would show noise instead of strokes
                    logits = tf.matmul(h, head.kernel) + head.bias
                    top = tf.reduce_max(logits[0])
                return tape.gradient(top, x)

            self._gradient = gradient
        grad = np.abs(self._gradient(np.asarray(image28, np.float32).reshape(1, 28, 28)).numpy()[0])
        grad = np.nan_to_num(grad)
        peak = float(grad.max())
        return (grad / peak if peak > 0 else grad).astype(np.float32)


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
    return keras.saving.load_model(path, compile=False, safe_mode=True)


def save_digit_model(model: DigitModel, cache: ModelCache | None = None) -> dict[str, Any]:
    """Store the model and its info in the cache (atomic; the metadata is written last)."""
    cache = cache or ModelCache()
    info = model.info
    key = info.cache_key or make_key(CACHE_KIND, info.train_provenance.sha256, info.params)
    info.cache_key = key
    return cache.store(CACHE_KIND, key, ".keras", lambda tmp: model.keras_model.save(tmp), _info_to_meta(info))


def load_latest_digit_model(cache: ModelCache | None = None) -> DigitModel | None:
    """The newest usable cached model, or None. A damaged entry is reported and removed."""
    cache = cache or ModelCache()
    hit = cache.latest(CACHE_KIND, _read_keras)
    if hit is None:
        return None
    try:
        info = _info_from_meta(hit.meta)
    except (KeyError, TypeError, ValueError) as exc:
        cache.on_problem(t("The cached digit model's description is damaged ({reason}); it will be rebuilt.",
                           reason=exc))
        cache.remove(CACHE_KIND, hit.meta.get("key", ""))
        return None
    return DigitModel(hit.model, info)
