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


def _augmenter(seed: int):
    """Shifts, rotations, scale and stroke-width variation, applied per batch while training."""
    keras = tf_runtime.keras()
    tf = tf_runtime.tf()
    geometric = keras.Sequential([
        keras.layers.RandomRotation(0.05, fill_mode="constant", seed=seed),
        keras.layers.RandomZoom((-0.15, 0.1), fill_mode="constant", seed=seed + 1),
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=seed + 2),
    ])
    rng = tf.random.Generator.from_seed(seed + 3)

    def augment(x, y):
        img = tf.expand_dims(x, -1)
        img = geometric(img, training=True)
        # Stroke width: per image, thicken (max-pool), thin (min-pool) or keep.
        choice = rng.uniform([tf.shape(img)[0], 1, 1, 1])
        thick = tf.nn.max_pool2d(img, 2, 1, "SAME")
        thin = -tf.nn.max_pool2d(-img, 2, 1, "SAME")
        img = tf.where(choice < 0.25, thick, tf.where(choice > 0.85, thin, img))
        return tf.squeeze(img, -1), y

    return augment


# --- the trained model ------------------------------------------------------------------
class DigitModel:
    """A trained network plus what is known about it, with the fast inference path."""

    def __init__(self, keras_model: Any, info: DigitModelInfo) -> None:
        self.keras_model = keras_model
        self.info = info
        tf = tf_runtime.tf()
        self._infer = tf.function(lambda x: keras_model(x, training=False),
                                  input_signature=[tf.TensorSpec([None, 28, 28], tf.float32)])
        self._infer(tf.zeros([1, 28, 28], tf.float32))  # trace once now, not on the first drawing
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
        peak = float(grad.max())
        return (grad / peak if peak > 0 else grad).astype(np.float32)


# --- training ---------------------------------------------------------------------------
def _progress_callback(progress: ProgressFn, token: CancelToken, epochs: int, steps: int):
    keras = tf_runtime.keras()

    class Report(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.epoch = 0
            self.start = time.monotonic()
            self.last = 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            token.check()  # raises Cancelled: fit() stops within one batch
            now = time.monotonic()
            if now - self.last < 0.1 and batch + 1 < steps:
                return
            self.last = now
            done = self.epoch * steps + batch + 1
            fraction = done / (epochs * steps)
            elapsed = now - self.start
            eta = elapsed / fraction * (1 - fraction) if fraction > 0 else None
            progress(Progress(fraction, t("Epoch {epoch}/{epochs}, batch {batch}/{steps}", epoch=self.epoch + 1,
                                          epochs=epochs, batch=batch + 1, steps=steps), "batch",
                              {"epoch": self.epoch + 1, "batch": batch + 1, "eta_seconds": eta,
                               "loss": float((logs or {}).get("loss", float("nan")))}))

        def on_epoch_end(self, epoch, logs=None):
            metrics = {k: float(v) for k, v in (logs or {}).items()}
            metrics["epoch"] = epoch + 1
            progress(Progress((epoch + 1) / epochs, t("Epoch {epoch}/{epochs} done: accuracy {acc:.3f}, "
                                                      "validation accuracy {val:.3f}", epoch=epoch + 1, epochs=epochs,
                                                      acc=metrics.get("accuracy", 0.0),
                                                      val=metrics.get("val_accuracy", 0.0)), "epoch", metrics))

    return Report()


def train_digit_model(data: MnistData, params: DigitParams | None = None, *, progress: ProgressFn = no_progress,
                      token: CancelToken | None = None, eval_data: MnistData | None = None,
                      extra: tuple[np.ndarray, np.ndarray] | None = None,
                      initial: "DigitModel | None" = None) -> DigitModel:
    """Train on ``data`` (+ ``extra`` samples, e.g. the person's handwriting) and evaluate.

    Evaluation uses ``eval_data`` when given, else the held-out validation split.
    ``initial`` continues from an existing model's weights (fine-tuning).
    """
    params = params or DigitParams.default()
    if params.arch not in ARCHS:
        raise ValueError(f"unknown architecture {params.arch!r}")
    token = token or CancelToken()
    progress(Progress(None, t("Loading TensorFlow…"), "stage"))
    keras = tf_runtime.keras()
    tf = tf_runtime.tf()
    token.check()
    keras.utils.set_random_seed(params.seed)
    rng = np.random.default_rng(params.seed)
    order = rng.permutation(len(data))  # the offline sample is sorted by label
    x, y = data.x[order], data.y[order]
    n_val = int(round(len(y) * params.validation_split)) if params.validation_split > 0 else 0
    x_val, y_val = x[:n_val], y[:n_val]
    x_train, y_train = x[n_val:], y[n_val:]
    if extra is not None and len(extra[1]):
        reps = max(1, min(20, len(y_train) // (10 * len(extra[1]))))  # let a few samples count
        x_train = np.concatenate([x_train] + [extra[0].astype(np.float32)] * reps)
        y_train = np.concatenate([y_train] + [extra[1].astype(np.int64)] * reps)
        perm = rng.permutation(len(y_train))
        x_train, y_train = x_train[perm], y_train[perm]

    if params.typeset_copies > 0:  # flagged 1s, curved 9s: shapes MNIST lacks and people write
        from engine.digits.typeset import typeset_digits

        xs, ys = typeset_digits()
        x_train = np.concatenate([x_train] + [xs] * params.typeset_copies)
        y_train = np.concatenate([y_train] + [ys] * params.typeset_copies)
        perm = rng.permutation(len(y_train))
        x_train, y_train = x_train[perm], y_train[perm]

    model = build_cnn(params) if params.arch == "cnn" else build_mlp(params)
    if initial is not None and initial.info.arch == params.arch:
        model.set_weights(initial.keras_model.get_weights())
    steps = int(np.ceil(len(y_train) / params.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(params.learning_rate, max(1, steps * params.epochs),
                                                      alpha=0.05) if params.arch == "cnn" else params.learning_rate
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(y_train), seed=params.seed)
    train_ds = train_ds.batch(params.batch_size)
    if params.augment:
        train_ds = train_ds.map(_augmenter(params.seed), num_parallel_calls=1)
    train_ds = train_ds.prefetch(2)
    val = (x_val, y_val) if n_val else None

    started = time.monotonic()
    progress(Progress(0.0, t("Training the {arch}…", arch=arch_label(params.arch)), "stage"))
    fit = model.fit(train_ds, epochs=params.epochs, validation_data=val, verbose=0,
                    callbacks=[_progress_callback(progress, token, params.epochs, steps)])
    train_seconds = time.monotonic() - started
    token.check()
    history = [{k: float(v[i]) for k, v in fit.history.items()} | {"epoch": i + 1}
               for i in range(len(next(iter(fit.history.values()), [])))]

    prov = data.provenance
    if extra is not None and len(extra[1]):
        prov = Provenance(prov.source, t("{label} + {n} of your own samples", label=prov.label, n=len(extra[1])),
                          prov.n_samples + len(extra[1]), fingerprint(np.concatenate([data.x, extra[0]]),
                                                                       np.concatenate([data.y, extra[1]])), prov.path)
    info = DigitModelInfo(arch=params.arch, params=asdict(params), train_provenance=prov, history=history,
                          evaluation=None, seed=params.seed, train_seconds=train_seconds, versions=library_versions(),
                          created=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    result = DigitModel(model, info)
    progress(Progress(1.0, t("Evaluating…"), "stage"))
    if eval_data is not None:
        info.evaluation = evaluate(result, eval_data)
    elif n_val:
        held = MnistData(x_val, y_val, Provenance(prov.source, t("held-out {pct}% of {label}",
                                                                    pct=round(params.validation_split * 100),
                                                                    label=prov.label), n_val,
                                                  fingerprint(x_val, y_val)))
        info.evaluation = evaluate(result, held)
    info.cache_key = make_key(CACHE_KIND, prov.sha256, asdict(params))
    return result


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


def load_or_train_default(*, progress: ProgressFn = no_progress, token: CancelToken | None = None,
                          params: DigitParams | None = None, source: str = "auto",
                          cache: ModelCache | None = None, allow_download: bool = True) -> DigitModel:
    """What the app does at start: the cached model if there is one, else train and cache the default."""
    token = token or CancelToken()
    cache = cache or ModelCache(on_problem=lambda message: progress(Progress(None, message, "notice")))
    try:
        cache.clean_orphans()  # remains of a process killed while saving
    except CacheError as exc:
        progress(Progress(None, str(exc), "notice"))
    progress(Progress(None, t("Loading TensorFlow…"), "stage"))
    tf_runtime.keras()
    token.check()
    progress(Progress(None, t("Looking for a trained model…"), "stage"))
    model = load_latest_digit_model(cache)
    if model is not None:
        return model
    data = load_training_data(source, progress=progress, token=token, allow_download=allow_download)
    if data.notice:
        progress(Progress(None, data.notice, "notice"))
    if params is None:  # the full MNIST is 12× the sample: fewer passes keep first-run training in minutes
        base = DigitParams.default()
        params = replace(base, epochs=max(2, round(base.epochs * min(1.0, 5000 / max(len(data), 1)))))
    model = train_digit_model(data, params, progress=progress, token=token)
    try:
        save_digit_model(model, cache)
    except Exception as exc:  # an unwritable cache must not cost the person the trained model
        progress(Progress(None, t("The model works but could not be saved: {reason}", reason=exc), "notice"))
    return model


def fine_tune(model: DigitModel, base: MnistData, samples: tuple[np.ndarray, np.ndarray], *,
              progress: ProgressFn = no_progress, token: CancelToken | None = None,
              epochs: int = 4) -> tuple[DigitModel, float, float]:
    """Retrain on MNIST + the person's samples; returns (new model, accuracy on samples before, after)."""
    x, y = samples
    if len(y) == 0:
        raise Cancelled()
    before = float((model.predict_proba(x).argmax(axis=1) == y).mean())
    params = DigitParams(**{**model.info.params, "epochs": epochs,
                            "learning_rate": min(5e-4, float(model.info.params.get("learning_rate", 1e-3)))})
    tuned = train_digit_model(base, params, progress=progress, token=token, extra=(x, y), initial=model)
    after = float((tuned.predict_proba(x).argmax(axis=1) == y).mean())
    return tuned, before, after
