"""Training a digit model as a task: a generator that yields ``Progress`` every few batches and
returns the trained ``DigitModel``. Whoever iterates it (GUI worker, CLI, test) cancels by
stopping; the loop is Keras' ``train_on_batch``, so a cancel takes effect within one batch.
"""

from __future__ import annotations

import time
from dataclasses import asdict

import numpy as np

from engine.core import tf_runtime
from engine.core.cache import make_key
from engine.core.i18n import t
from engine.core.results import DigitModelInfo, Provenance
from engine.core.tasks import CancelToken, Progress, ProgressFn, Task, no_progress, run_task
from engine.core.versions import library_versions
from engine.digits.mnist import MnistData, fingerprint
from engine.digits.models import (ARCHS, CACHE_KIND, DigitModel, DigitParams, arch_label, build_cnn, build_mlp,
                                  evaluate, inference_function)

REPORT_EVERY_S = 0.1


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


def _training_arrays(data: MnistData, params: DigitParams, extra, rng):
    order = rng.permutation(len(data))  # the offline sample is sorted by label
    x, y = data.x[order], data.y[order]
    n_val = int(round(len(y) * params.validation_split)) if params.validation_split > 0 else 0
    x_val, y_val, x_train, y_train = x[:n_val], y[:n_val], x[n_val:], y[n_val:]
    parts_x, parts_y = [x_train], [y_train]
    if extra is not None and len(extra[1]):
        reps = max(1, min(20, len(y_train) // (10 * len(extra[1]))))  # let a few samples count
        parts_x += [extra[0].astype(np.float32)] * reps
        parts_y += [extra[1].astype(np.int64)] * reps
    if params.typeset_copies > 0:  # flagged 1s, curved 9s: shapes MNIST lacks and people write
        from engine.digits.typeset import typeset_digits

        xs, ys = typeset_digits()
        parts_x += [xs] * params.typeset_copies
        parts_y += [ys] * params.typeset_copies
    x_train, y_train = np.concatenate(parts_x), np.concatenate(parts_y)
    perm = rng.permutation(len(y_train))
    return x_train[perm], y_train[perm], x_val, y_val


VALIDATION_CHUNK = 1024


def _validate(fn, x_val: np.ndarray, y_val: np.ndarray, epoch: int, epochs: int) -> Task[dict[str, float]]:
    """Validation loss and accuracy, a chunk at a time so a cancel is heard between chunks."""
    eps = 1e-7
    loss_sum, correct = 0.0, 0
    for start in range(0, len(y_val), VALIDATION_CHUNK):
        probs = fn(np.asarray(x_val[start:start + VALIDATION_CHUNK], np.float32)).numpy()
        y = y_val[start:start + VALIDATION_CHUNK]
        loss_sum += float(-np.log(np.clip(probs[np.arange(len(y)), y], eps, 1.0)).sum())
        correct += int((probs.argmax(axis=1) == y).sum())
        yield Progress(None, t("Epoch {epoch}/{epochs}: checking on the held-out digits…", epoch=epoch + 1,
                               epochs=epochs), "validate")
    return {"val_loss": loss_sum / len(y_val), "val_accuracy": correct / len(y_val)}


def train_digit_task(data: MnistData, params: DigitParams | None = None, *, eval_data: MnistData | None = None,
                     extra: tuple[np.ndarray, np.ndarray] | None = None,
                     initial: DigitModel | None = None) -> Task[DigitModel]:
    """Train on ``data`` (+ ``extra`` samples, e.g. the person's handwriting) and evaluate.

    Evaluation uses ``eval_data`` when given, else the held-out validation split.
    ``initial`` continues from an existing model's weights (fine-tuning).
    Progress: stage "batch" (fraction, data epoch/batch/eta_seconds/loss/samples_per_second) and
    stage "epoch" (data: epoch, loss, accuracy, val_loss, val_accuracy).
    """
    params = params or DigitParams.default()
    if params.arch not in ARCHS:
        raise ValueError(f"unknown architecture {params.arch!r}")
    yield Progress(None, t("Loading TensorFlow…"), "stage")
    keras = tf_runtime.keras()
    tf = tf_runtime.tf()
    keras.utils.set_random_seed(params.seed)
    x_train, y_train, x_val, y_val = _training_arrays(data, params, extra, np.random.default_rng(params.seed))

    model = build_cnn(params) if params.arch == "cnn" else build_mlp(params)
    if initial is not None and initial.info.arch == params.arch:
        model.set_weights(initial.keras_model.get_weights())
    # Every batch has one shape (the remainder is dropped; the order changes each epoch, so no digit is
    # left out for good): a differently shaped last batch made Keras retrace mid-epoch, a second-long
    # stretch in which Cancel could not be heard.
    batch_size = max(1, min(params.batch_size, len(y_train)))
    steps = max(1, len(y_train) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(params.learning_rate, max(1, steps * params.epochs),
                                                      alpha=0.05) if params.arch == "cnn" else params.learning_rate
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(y_train), seed=params.seed)
    # One endless iterator (reshuffled each pass) read ``steps`` batches per epoch: reaching the end of a
    # tf.data iterator and opening the next took seconds on a busy machine, with no chance to cancel.
    dataset = dataset.repeat().batch(batch_size, drop_remainder=True)
    if params.augment:
        dataset = dataset.map(_augmenter(params.seed), num_parallel_calls=1)
    batches = iter(dataset.prefetch(2))

    validate = inference_function(model)  # Keras' evaluate traced at the first epoch's end, uncancellable
    yield Progress(0.0, t("Training the {arch}…", arch=arch_label(params.arch)), "stage")
    started = time.monotonic()
    history: list[dict[str, float]] = []
    last = 0.0
    seen = 0
    for epoch in range(params.epochs):
        model.reset_metrics()
        logs: dict[str, float] = {}
        for batch in range(steps):
            xb, yb = next(batches)
            logs = model.train_on_batch(xb, yb, return_dict=True)
            seen += int(xb.shape[0])
            now = time.monotonic()
            if now - last >= REPORT_EVERY_S or batch + 1 == steps:
                last = now
                fraction = (epoch * steps + batch + 1) / (params.epochs * steps)
                elapsed = now - started
                yield Progress(fraction, t("Epoch {epoch}/{epochs}, batch {batch}/{steps}", epoch=epoch + 1,
                                           epochs=params.epochs, batch=batch + 1, steps=steps), "batch",
                               {"epoch": epoch + 1, "batch": batch + 1, "loss": float(logs.get("loss", np.nan)),
                                "eta_seconds": elapsed / fraction * (1 - fraction) if fraction > 0 else None,
                                "samples_per_second": seen / elapsed if elapsed > 0 else None})
        metrics = {k: float(v) for k, v in logs.items()}
        if len(y_val):
            metrics.update((yield from _validate(validate, x_val, y_val, epoch, params.epochs)))
        metrics["epoch"] = epoch + 1
        history.append(metrics)
        yield Progress((epoch + 1) / params.epochs,
                       t("Epoch {epoch}/{epochs} done: accuracy {acc:.3f}, validation accuracy {val:.3f}",
                         epoch=epoch + 1, epochs=params.epochs, acc=metrics.get("accuracy", 0.0),
                         val=metrics.get("val_accuracy", 0.0)), "epoch", metrics)
    train_seconds = time.monotonic() - started

    prov = data.provenance
    if extra is not None and len(extra[1]):
        prov = Provenance(prov.source, t("{label} + {n} of your own samples", label=prov.label, n=len(extra[1])),
                          prov.n_samples + len(extra[1]), fingerprint(np.concatenate([data.x, extra[0]]),
                                                                       np.concatenate([data.y, extra[1]])), prov.path)
    from datetime import datetime, timezone

    info = DigitModelInfo(arch=params.arch, params=asdict(params), train_provenance=prov, history=history,
                          evaluation=None, seed=params.seed, train_seconds=train_seconds, versions=library_versions(),
                          created=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    result = DigitModel(model, info)
    yield Progress(1.0, t("Evaluating…"), "stage")
    if eval_data is not None:
        info.evaluation = evaluate(result, eval_data)
    elif len(y_val):
        held = MnistData(x_val, y_val, Provenance(prov.source, t("held-out {pct}% of {label}",
                                                                    pct=round(params.validation_split * 100),
                                                                    label=prov.label), len(y_val),
                                                  fingerprint(x_val, y_val)))
        info.evaluation = evaluate(result, held)
    info.cache_key = make_key(CACHE_KIND, prov.sha256, asdict(params))
    return result


def train_digit_model(data: MnistData, params: DigitParams | None = None, *, progress: ProgressFn = no_progress,
                      token: CancelToken | None = None, **kwargs) -> DigitModel:
    """``train_digit_task`` driven to the end on this thread (scripts, tests, benchmarks)."""
    return run_task(train_digit_task(data, params, **kwargs), progress, token)


def fine_tune_task(model: DigitModel, base: MnistData, samples: tuple[np.ndarray, np.ndarray], *,
                   epochs: int = 4) -> Task[tuple[DigitModel, float, float]]:
    """Retrain on MNIST + the person's samples; returns (new model, accuracy on samples before, after)."""
    x, y = samples
    before = float((model.predict_proba(x).argmax(axis=1) == y).mean())
    params = DigitParams(**{**model.info.params, "epochs": epochs,
                            "learning_rate": min(5e-4, float(model.info.params.get("learning_rate", 1e-3)))})
    tuned = yield from train_digit_task(base, params, extra=(x, y), initial=model)
    after = float((tuned.predict_proba(x).argmax(axis=1) == y).mean())
    return tuned, before, after
