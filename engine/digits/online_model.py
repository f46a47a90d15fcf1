"""The online recogniser's network: 1-D convolutions over the pen's path (``engine.digits.pen_path``).

Convolutions, not a GRU: a GRU converts to LiteRT only unrolled (7× slower per drawing, 3× the file)
and the path's order is already local in the sequence. Keras example style: hyper-parameters named
up front, layers read top to bottom. Augmentation is drawn afresh every epoch in NumPy (the saved
file holds only standard layers and loads in safe mode). Training runs in the TensorFlow worker.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from engine.core import tf_runtime
from engine.core.errors import CacheError, InputError
from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.digits.pen_path import FEATURES, POINTS, Strokes, augmented_features, batch_features

REPORT_EVERY_S = 0.2


@dataclass(frozen=True)
class OnlineParams:
    points: int = POINTS
    epochs: int = 40
    batch_size: int = 128
    learning_rate: float = 2e-3
    dropout: float = 0.3
    copies_per_epoch: int = 2  # augmented versions of every drawing in each epoch
    filters: tuple[int, int, int] = (48, 64, 96)
    seed: int = 0


def build_online(params: OnlineParams):
    """~1.2 M multiply-adds per drawing; x, y, dx, dy, stroke start in, 10 probabilities out."""
    keras = tf_runtime.keras()
    L = keras.layers
    f1, f2, f3 = params.filters
    inputs = keras.Input((params.points, FEATURES), name="pen_path")
    h = L.Conv1D(f1, 5, padding="same", activation="relu")(inputs)
    h = L.MaxPooling1D(2)(h)
    h = L.Conv1D(f2, 5, padding="same", activation="relu")(h)
    h = L.Conv1D(f2, 3, padding="same", activation="relu")(h)
    h = L.MaxPooling1D(2)(h)
    h = L.Conv1D(f3, 3, padding="same", activation="relu")(h)
    h = L.Conv1D(f3, 3, padding="same", activation="relu")(h)
    # where along the path a feature occurred matters (a 7's bar comes last, a 4's first): max over
    # time forgets it, so the flattened quarter-length sequence goes on to the dense layers too
    pooled = L.GlobalMaxPooling1D()(h)
    coarse = L.Flatten()(L.MaxPooling1D(4)(h))
    h = L.Concatenate()([pooled, coarse])
    h = L.Dropout(params.dropout)(h)
    h = L.Dense(128, activation="relu")(h)
    h = L.Dropout(params.dropout)(h)
    outputs = L.Dense(10, activation="softmax")(h)
    return keras.Model(inputs, outputs, name="online_conv1d")


def predict_keras(model, features: np.ndarray, batch: int = 1024) -> np.ndarray:
    """Probabilities from the Keras model (training side; the window uses LiteRT)."""
    out = [np.asarray(model(features[i:i + batch], training=False)) for i in range(0, len(features), batch)]
    return np.concatenate(out) if out else np.zeros((0, 10), np.float32)


def train_online_task(drawings: Sequence[Strokes], labels: np.ndarray, params: OnlineParams = OnlineParams(), *,
                      initial_weights: list[np.ndarray] | None = None, head_only: bool = False,
                      label: str = "") -> Task[object]:
    """Train (or, from ``initial_weights``, fine-tune) the online model; returns the Keras model.

    ``head_only`` trains the dense layers alone (the convolutions stay as they were): a person's few
    samples then adjust how the path's features are read without unlearning the features themselves.

    Progress: stage "batch" (fraction, data epoch/loss) and stage "epoch" (data epoch/loss/accuracy).
    A cancel is heard within one batch.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) != len(drawings) or not len(labels):
        raise ValueError("drawings and labels must be non-empty and of the same length")
    yield Progress(None, t("Loading TensorFlow…"), "stage")
    keras = tf_runtime.keras()
    keras.utils.set_random_seed(params.seed)
    model = build_online(params)
    if initial_weights is not None:
        model.set_weights(initial_weights)
    if head_only:
        for layer in model.layers:
            if isinstance(layer, keras.layers.Conv1D):
                layer.trainable = False
    n = len(labels) * params.copies_per_epoch
    batch_size = max(1, min(params.batch_size, n))
    steps = max(1, n // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(params.learning_rate, steps * params.epochs, alpha=0.02)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(params.seed)
    y_epoch = np.repeat(labels, params.copies_per_epoch)
    started = last = time.monotonic()
    name = label or t("the pen-path model")
    for epoch in range(params.epochs):
        x_epoch = augmented_features(drawings, params.copies_per_epoch, seed=int(rng.integers(2**31)),
                                     points=params.points)
        order = rng.permutation(n)
        model.reset_metrics()
        logs: dict = {}
        for batch in range(steps):
            pick = order[batch * batch_size:(batch + 1) * batch_size]
            logs = model.train_on_batch(x_epoch[pick], y_epoch[pick], return_dict=True)
            now = time.monotonic()
            if now - last >= REPORT_EVERY_S:
                last = now
                fraction = (epoch * steps + batch + 1) / (params.epochs * steps)
                yield Progress(fraction, t("Training {name}: epoch {epoch}/{epochs}", name=name, epoch=epoch + 1,
                                           epochs=params.epochs), "batch",
                               {"epoch": epoch + 1, "loss": float(logs.get("loss", np.nan))})
        metrics = {"epoch": epoch + 1, **{k: float(v) for k, v in logs.items()},
                   "seconds": round(time.monotonic() - started, 1)}
        yield Progress((epoch + 1) / params.epochs,
                       t("Training {name}: epoch {epoch}/{epochs} done, accuracy {acc:.3f}", name=name,
                         epoch=epoch + 1, epochs=params.epochs, acc=metrics.get("accuracy", 0.0)), "epoch", metrics)
    return model


def clean_features(drawings: Sequence[Strokes], points: int = POINTS) -> np.ndarray:
    """The un-augmented sequences: what the model reads at prediction time."""
    return batch_features(drawings, points)


# --- the person's handwriting ----------------------------------------------------------------
FINE_TUNE = OnlineParams(epochs=10, batch_size=32, learning_rate=1e-3, dropout=0.3)
FINE_TUNE_MIN_DRAWINGS_PER_EPOCH = 256  # a handful of samples is repeated (each copy augmented afresh)


@dataclass(frozen=True)
class OnlineFineTuneResult:
    """What crosses back from the worker: the files written and the accuracy on the samples."""

    keras_path: str
    tflite_path: str
    card_path: str
    n_samples: int
    accuracy_before: float
    accuracy_after: float
    loss_before: float  # mean log loss on the samples: moves even when a handful of answers do not
    loss_after: float


def fine_tune_online_task(samples_root: str | None = None, base_keras: str | None = None,
                          out_dir: str | None = None, seed: int = 0) -> Task[OnlineFineTuneResult]:
    """Fine-tune the pen-path model on the person's corrections that have strokes (TensorFlow worker).

    Starts from ``base_keras`` (default: the shipped model, checked against its card), trains the dense
    head on the samples (augmented afresh each epoch), writes ``.keras``, ``.tflite`` and a card with
    both checksums under the user data dir (``out_dir`` overrides), and returns their paths.
    """
    from engine.core.atomic import atomic_path, atomic_write_text
    from engine.core.cache import sha256_file
    from engine.core.litert import export_litert
    from engine.digits import shipped
    from engine.digits.online_recogniser import USER_STEM, user_model_dir
    from engine.digits.user_samples import UserSamples

    drawings, labels = UserSamples(Path(samples_root) if samples_root else None).stroke_samples()
    if not len(labels):
        raise InputError("Correct a few digits drawn on the canvas first: only corrections kept with their "
                         "strokes teach the pen-path model.")
    yield Progress(None, t("Loading TensorFlow…"), "stage")
    keras = tf_runtime.keras()
    card: dict = {}
    if base_keras is None:
        base_path, card = shipped.verified_weights(shipped.ONLINE)
    else:
        base_path = Path(base_keras)
    try:
        base = keras.saving.load_model(base_path, compile=False, safe_mode=True)
    except Exception as exc:  # noqa: BLE001 — any failure to load is reported as a damaged file
        raise CacheError("The model file {name} cannot be read ({reason}).", name=Path(base_path).name,
                         reason=exc) from exc
    points = int(base.input_shape[1])
    features = batch_features(drawings, points)
    before, loss_before = _sample_scores(predict_keras(base, features), labels)
    copies = max(1, -(-FINE_TUNE_MIN_DRAWINGS_PER_EPOCH // len(labels)))
    params = replace(FINE_TUNE, points=points, copies_per_epoch=copies, seed=seed,
                     filters=_filters_of(base, keras))
    model = yield from train_online_task(drawings, labels, params, initial_weights=base.get_weights(),
                                         head_only=True, label=t("the pen-path model on your handwriting"))
    after, loss_after = _sample_scores(predict_keras(model, features), labels)
    folder = Path(out_dir) if out_dir else user_model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    keras_file, lite_file = folder / f"{USER_STEM}.keras", folder / f"{USER_STEM}.tflite"
    with atomic_path(keras_file, suffix=".keras") as tmp:
        model.save(tmp)
    export_litert(model, lite_file)
    card_file = folder / f"{USER_STEM}.card.json"
    atomic_write_text(card_file, json.dumps({
        "arch": "online", "base_sha256": sha256_file(base_path), "n_samples": int(len(labels)),
        "accuracy_before": before, "accuracy_after": after, "hyper_parameters": asdict(params), "points": points,
        "fusion": {k: v for k, v in card.get("fusion", {}).items() if k in ("weight", "online_tta_copies")},
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "weights_file": keras_file.name, "tflite_file": lite_file.name,
        "files": {keras_file.name: sha256_file(keras_file), lite_file.name: sha256_file(lite_file)},
    }, indent=2))  # written last: it is what makes the new model count
    return OnlineFineTuneResult(str(keras_file), str(lite_file), str(card_file), int(len(labels)), before, after,
                                loss_before, loss_after)


def _sample_scores(probs: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    loss = -np.log(np.clip(probs[np.arange(len(labels)), labels], 1e-7, 1.0)).mean()
    return float((probs.argmax(axis=1) == labels).mean()), float(loss)


def _filters_of(model, keras) -> tuple[int, int, int]:
    """The filter counts of a saved model, so its weights fit the rebuilt network."""
    convs = [layer.filters for layer in model.layers if isinstance(layer, keras.layers.Conv1D)]
    return (convs[0], convs[1], convs[3]) if len(convs) == 5 else OnlineParams().filters
