"""The six steps of a lab run as one validated record, the digits it trains on, and the run itself.

``LabRecipe`` holds data (training-set size, normalisation, augmentation), model (a
``NetworkSpec``), loss, optimiser (+ clipping) and training (epochs, batch size); the test is the
fixed held-out digits. ``train_network_task`` is a module-level task with plain arguments and a
plain result, so it runs in the TensorFlow worker unchanged.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from engine.core.errors import InputError
from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.lab.spec import NetworkSpec, classic_mlp, network_from_dict

LOSSES = {"cross_entropy": "sparse_ce", "mse": "mse_onehot"}
OPTIMIZER_NAMES = ("sgd", "momentum", "rmsprop", "adam")
VALIDATION_SIZE = 1000
HOLDOUT_SEED = 20240
LIMITS = {"learning_rate": (1e-6, 100.0), "clipnorm": (1e-4, 1e4), "epochs": (1, 200), "batch_size": (1, 4096),
          "train_size": (50, 60_000), "early_stopping": (1, 50), "seed": (0, 2**31 - 1)}
INTEGERS = ("epochs", "batch_size", "train_size", "early_stopping", "seed")


@dataclass(frozen=True)
class LabRecipe:
    network: NetworkSpec = field(default_factory=classic_mlp)
    loss: str = "cross_entropy"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    clipnorm: float | None = None
    epochs: int = 5
    batch_size: int = 64
    train_size: int = 2000
    normalize: bool = True  # pixels in [0, 1]; off: the raw 0–255
    augment: bool = False
    early_stopping: int | None = None  # patience in epochs on the validation loss
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"network": self.network.to_dict(), "loss": self.loss, "optimizer": self.optimizer,
                "learning_rate": self.learning_rate, "clipnorm": self.clipnorm, "epochs": self.epochs,
                "batch_size": self.batch_size, "train_size": self.train_size, "normalize": self.normalize,
                "augment": self.augment, "early_stopping": self.early_stopping, "seed": self.seed}


RECIPE_FIELDS = tuple(LabRecipe().to_dict())


def recipe_from_dict(raw: Any, base: LabRecipe | None = None) -> LabRecipe:
    """A recipe from JSON (missing fields from ``base``), or ``InputError`` naming the first bad field."""
    if not isinstance(raw, Mapping):
        raise InputError("The lab settings must be an object of named values.")
    unknown = sorted(set(raw) - set(RECIPE_FIELDS))
    if unknown:
        raise InputError("Unknown lab setting {name}; the settings are {names}.", name=str(unknown[0])[:40],
                         names=", ".join(RECIPE_FIELDS))
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "network":
            values[name] = network_from_dict(value)
        elif name == "loss":
            if value not in LOSSES:
                raise InputError("The loss must be {choices}, not {value}.", choices=", ".join(LOSSES),
                                 value=str(value)[:40])
            values[name] = value
        elif name == "optimizer":
            if value not in OPTIMIZER_NAMES:
                raise InputError("The optimiser must be {choices}, not {value}.", choices=", ".join(OPTIMIZER_NAMES),
                                 value=str(value)[:40])
            values[name] = value
        elif name in ("normalize", "augment"):
            if not isinstance(value, bool):
                raise InputError("{field} must be true or false, not {value}.", field=name, value=str(value)[:40])
            values[name] = value
        elif value is None and name in ("clipnorm", "early_stopping"):
            values[name] = None
        else:
            values[name] = _number(name, value)
    return replace(base or LabRecipe(), **values)


def _number(name: str, value: Any) -> float:
    low, high = LIMITS[name]
    integer = name in INTEGERS
    ok = (isinstance(value, int) if integer else isinstance(value, (int, float))) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not low <= value <= high:
        raise InputError("{field} must be {what} from {low:g} to {high:g}, not {value}.", field=name,
                         what=t("a whole number") if integer else t("a number"), low=low, high=high, value=str(value)[:40])
    return value


# --- the digits -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabData:
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    fingerprint: str  # of the whole source, plus the split
    label: str


@lru_cache(maxsize=2)
def _source(source: str) -> Any:
    """The offline 5,000-digit sample, or the full MNIST when the app has it (never downloaded here)."""
    from engine.digits.mnist import load_training_data

    return load_training_data("offline" if source == "offline" else "auto", allow_download=False)


def lab_data(train_size: int, source: str = "auto", seed: int = 0) -> LabData:
    """A fixed 1,000 held-out digits (whatever the seed) and the first ``train_size`` of the rest."""
    data = _source(source)
    order = np.random.default_rng(HOLDOUT_SEED).permutation(len(data))
    val, rest = order[:VALIDATION_SIZE], order[VALIDATION_SIZE:]
    rest = rest[np.random.default_rng(seed).permutation(len(rest))]
    train = rest[:train_size]
    return LabData(data.x[train], data.y[train].astype(np.int64), data.x[val], data.y[val].astype(np.int64),
                   f"{data.provenance.sha256}|lab:{HOLDOUT_SEED}:{VALIDATION_SIZE}:{seed}", data.provenance.label)


# --- one run ----------------------------------------------------------------------------------------
def fit_recipe(recipe: LabRecipe, data: LabData, *, diagnostics: bool = False) -> Task[dict[str, Any]]:
    """Build, train and measure one recipe; the result is plain data (the model stays behind, in
    ``result["_model"]``, for the caller in this process to use or drop)."""
    from engine.core import tf_runtime
    from engine.core.keras_fit import ChunkTrainer, FitConfig, fit_task
    from engine.lab.build import build_augmenter, build_network, build_optimizer

    yield Progress(None, t("Loading TensorFlow…"), "stage")
    keras = tf_runtime.keras()
    keras.utils.set_random_seed(recipe.seed)
    scale = 1.0 if recipe.normalize else 255.0
    n = min(recipe.train_size, len(data.y_train))
    x, y = data.x_train[:n] * scale, data.y_train[:n]
    x_val = data.x_val * scale
    model = build_network(recipe.network, recipe.seed)
    first = next((layer for layer in model.layers if getattr(layer, "kernel", None) is not None), None)
    first_before = np.asarray(first.kernel).copy() if first is not None else None
    trainer = ChunkTrainer(model, build_optimizer(recipe.optimizer, recipe.learning_rate), LOSSES[recipe.loss],
                           (28, 28), clipnorm=recipe.clipnorm,
                           augment=build_augmenter(recipe.seed) if recipe.augment else None, track_gradients=True)
    config = FitConfig(epochs=recipe.epochs, batch_size=recipe.batch_size, seed=recipe.seed, clipnorm=recipe.clipnorm,
                       early_stopping_patience=recipe.early_stopping, diagnostics=diagnostics)
    started = time.perf_counter()
    fitted = yield from fit_task(trainer, x, y, config, x_val=x_val, y_val=data.y_val)
    out: dict[str, Any] = {"recipe": recipe.to_dict(), "params": recipe.network.params, "macs": recipe.network.macs,
                           "diverged": fitted.diverged, "reason": fitted.reason, "diverged_batch": fitted.diverged_batch,
                           "history": fitted.history, "layer_names": fitted.layer_names,
                           "gradient_norms": fitted.gradient_norms, "epoch_diagnostics": fitted.epoch_diagnostics,
                           "epochs_run": fitted.epochs_run, "stopped_early": fitted.stopped_early,
                           "best_epoch": fitted.best_epoch, "train_size": n, "val_size": len(data.y_val)}
    out["grad_ratio_first_last"] = gradient_ratio(fitted.gradient_norms)
    if first_before is not None:
        after = np.asarray(first.kernel)
        change = float(np.linalg.norm(after - first_before) / max(np.linalg.norm(first_before), 1e-12))
        out["first_layer_weight_change"] = change if math.isfinite(change) else None
    if fitted.diverged:
        out.update(train_accuracy=None, val_accuracy=None, confusion=None)
    else:
        yield Progress(None, t("Measuring the trained network…"), "stage")
        train_probs, val_probs = trainer.predict(x), trainer.predict(x_val)
        val_pred = val_probs.argmax(axis=1)
        confusion = np.zeros((10, 10), np.int64)
        np.add.at(confusion, (data.y_val, val_pred), 1)
        out.update(train_accuracy=float(np.mean(train_probs.argmax(axis=1) == y)),
                   val_accuracy=float(np.mean(val_pred == data.y_val)), confusion=confusion.tolist())
    out["seconds"] = time.perf_counter() - started
    out["_model"] = model
    return out


def gradient_ratio(gradient_norms: list[dict[str, Any]]) -> float | None:
    """Mean gradient norm of the first weighted layer over that of the last, over the whole run."""
    if not gradient_norms or not gradient_norms[0]["norms"]:
        return None
    norms = np.array([g["norms"] for g in gradient_norms], dtype=np.float64)
    norms = norms[np.isfinite(norms).all(axis=1)]
    if not len(norms):
        return None
    first, last = float(norms[:, 0].mean()), float(norms[:, -1].mean())
    return first / last if last > 0 else None


def train_network_task(recipe: dict[str, Any], source: str = "auto") -> Task[dict[str, Any]]:
    """The lab's Run button: the person's recipe (JSON form), trained with every diagnostic on."""
    checked = recipe_from_dict(recipe)
    data = lab_data(checked.train_size, source, checked.seed)
    result = yield from fit_recipe(checked, data, diagnostics=True)
    result.pop("_model", None)
    result["data_label"] = data.label
    return result
