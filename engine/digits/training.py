"""Training a digit model as a task: a generator that yields ``Progress`` between compiled chunks of
batches and returns the trained ``DigitModel``. Whoever iterates it (worker, CLI, test) cancels by
stopping; the loop is the shared one (``engine.core.keras_fit``), so a cancel takes effect after
the chunk under way (~0.15 s). A run whose loss turns NaN stops there with one clear line
(``DataError``): a diverged model is never returned, saved or used.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from engine.core import tf_runtime
from engine.core.cache import make_key
from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.keras_fit import ChunkTrainer, FitConfig, fit_task
from engine.core.results import DigitModelInfo, Provenance
from engine.core.tasks import CancelToken, Progress, ProgressFn, Task, no_progress, run_task
from engine.core.versions import library_versions
from engine.digits.mnist import MnistData, fingerprint
from engine.digits.models import ARCHS, CACHE_KIND, DigitModel, DigitParams, arch_label, build_cnn, build_mlp, evaluate


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

    def augment(x):
        img = tf.expand_dims(x, -1)
        img = geometric(img, training=True)
        # Stroke width: per image, thicken (max-pool), thin (min-pool) or keep.
        choice = rng.uniform([tf.shape(img)[0], 1, 1, 1])
        thick = tf.nn.max_pool2d(img, 2, 1, "SAME")
        thin = -tf.nn.max_pool2d(-img, 2, 1, "SAME")
        img = tf.where(choice < 0.25, thick, tf.where(choice > 0.85, thin, img))
        return tf.squeeze(img, -1)

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
    keras.utils.set_random_seed(params.seed)
    x_train, y_train, x_val, y_val = _training_arrays(data, params, extra, np.random.default_rng(params.seed))

    model = build_cnn(params) if params.arch == "cnn" else build_mlp(params)
    if initial is not None and initial.info.arch == params.arch:
        model.set_weights(initial.keras_model.get_weights())
    batch_size = max(1, min(params.batch_size, len(y_train)))
    steps = max(1, len(y_train) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(params.learning_rate, max(1, steps * params.epochs),
                                                      alpha=0.05) if params.arch == "cnn" else params.learning_rate
    trainer = ChunkTrainer(model, keras.optimizers.Adam(schedule), "sparse_ce", (28, 28),
                           augment=_augmenter(params.seed) if params.augment else None)
    yield Progress(0.0, t("Training the {arch}…", arch=arch_label(params.arch)), "stage")
    fitted = yield from fit_task(trainer, x_train, y_train, FitConfig(epochs=params.epochs, batch_size=batch_size,
                                                                      seed=params.seed),
                                 x_val=x_val, y_val=y_val, rng=np.random.default_rng(params.seed + 1))
    if fitted.diverged:
        raise DataError("Training stopped: {reason} The model was not kept.", reason=fitted.reason)
    history = fitted.history
    train_seconds = fitted.compute_seconds

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
