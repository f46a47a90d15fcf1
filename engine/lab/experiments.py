"""The four guided experiments: the article's problems made to happen, and its fixes, measured.

Each is a module-level task (``run_experiment_task``) with plain arguments and a plain-dict result,
so it runs in the TensorFlow worker; each is cancellable between compiled chunks and cached by its
settings. Sizes are chosen to finish in well under 60 s on two cores; ``"tiny"`` is for tests.
What the results *say* is written by ``engine.lab.readings`` from these numbers.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import numpy as np

from engine.core.errors import InputError
from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.core.versions import library_versions
from engine.lab.cache import ExperimentCache, experiment_key
from engine.lab.recipe import LabData, LabRecipe, fit_recipe, lab_data
from engine.lab.spec import classic_mlp, mlp

EXPERIMENTS = ("vanishing", "exploding", "overfitting", "explainability")
SIZES = ("full", "tiny")
GRADIENT_POINTS = 120  # gradient-norm samples kept per variant for the plot and the report

SETTINGS: dict[str, dict[str, dict[str, Any]]] = {
    "vanishing": {"full": {"train_size": 2000, "depth": 8, "width": 64, "epochs": 5, "lr": 0.1},
                  "tiny": {"train_size": 300, "depth": 8, "width": 32, "epochs": 2, "lr": 0.1}},
    "exploding": {"full": {"train_size": 2000, "depth": 4, "width": 256, "epochs": 3, "lr": 1.0, "clipnorm": 1.0,
                           "small_lr": 0.01},
                  "tiny": {"train_size": 300, "depth": 4, "width": 128, "epochs": 2, "lr": 1.0, "clipnorm": 1.0,
                           "small_lr": 0.01}},
    "overfitting": {"full": {"train_size": 300, "more_data": 3000, "width": 256, "epochs": 40, "dropout": 0.5,
                             "l2": 1e-3, "patience": 3},
                    "tiny": {"train_size": 200, "more_data": 800, "width": 128, "epochs": 12, "dropout": 0.5,
                             "l2": 1e-3, "patience": 2}},
    "explainability": {"full": {"train_size": 3000, "epochs": 3, "tree_depth": 12},
                       "tiny": {"train_size": 300, "epochs": 1, "tree_depth": 8}},
}
OVERFIT_FIXES = ("none", "dropout", "augment", "l2", "early_stop", "more_data")


def experiment_settings(name: str, size: str = "full") -> dict[str, Any]:
    if name not in EXPERIMENTS:
        raise InputError("Unknown experiment {name}; the lab has {names}.", name=str(name)[:40],
                         names=", ".join(EXPERIMENTS))
    if size not in SIZES:
        raise InputError("The experiment size must be {choices}, not {value}.", choices=" or ".join(SIZES),
                         value=str(size)[:40])
    return dict(SETTINGS[name][size])


def _variants(name: str, s: dict[str, Any]) -> list[tuple[str, LabRecipe]]:
    if name == "vanishing":  # the same deep MLP and plain SGD; only the activation (and BN) change
        base = LabRecipe(optimizer="sgd", learning_rate=s["lr"], epochs=s["epochs"], batch_size=32,
                         train_size=s["train_size"])
        widths = [s["width"]] * s["depth"]
        return [("sigmoid", replace(base, network=mlp(widths, "sigmoid", name="deep_sigmoid"))),
                ("relu", replace(base, network=mlp(widths, "relu", initializer="he_normal", name="deep_relu"))),
                ("sigmoid_bn", replace(base, network=mlp(widths, "sigmoid", batch_norm=True, name="deep_sigmoid_bn")))]
    if name == "exploding":  # plain SGD at a rate far too high; the same with clipping; a smaller rate
        net = mlp([s["width"]] * s["depth"], "relu", initializer="he_normal", name="relu_mlp")
        base = LabRecipe(network=net, optimizer="sgd", learning_rate=s["lr"], epochs=s["epochs"], batch_size=32,
                         train_size=s["train_size"])
        return [("plain", base), ("clipped", replace(base, clipnorm=s["clipnorm"])),
                ("smaller_lr", replace(base, learning_rate=s["small_lr"]))]
    if name == "overfitting":  # a large MLP on a few hundred digits, then each cure alone
        widths = [s["width"], s["width"]]
        base = LabRecipe(network=mlp(widths, name="big_mlp"), optimizer="adam", learning_rate=1e-3,
                         epochs=s["epochs"], batch_size=32, train_size=s["train_size"])
        return [("none", base), ("dropout", replace(base, network=mlp(widths, dropout=s["dropout"], name="big_mlp"))),
                ("augment", replace(base, augment=True)),
                ("l2", replace(base, network=mlp(widths, l2=s["l2"], name="big_mlp"))),
                ("early_stop", replace(base, early_stopping=s["patience"])),
                ("more_data", replace(base, train_size=s["more_data"]))]
    return [("network", LabRecipe(network=classic_mlp(), epochs=s["epochs"], batch_size=32,
                                  train_size=s["train_size"]))]


def _plain(value: Any) -> Any:
    """JSON-safe: non-finite floats become None, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def _thin(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(points) <= GRADIENT_POINTS:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, GRADIENT_POINTS).round().astype(int))
    return [points[i] for i in keep]


def _variant_record(name: str, run: dict[str, Any]) -> dict[str, Any]:
    tr, va = run.get("train_accuracy"), run.get("val_accuracy")
    return {"name": name, "train_accuracy": tr, "val_accuracy": va,
            "grad_ratio_first_last": run.get("grad_ratio_first_last"), "diverged": bool(run["diverged"]),
            "seconds": run["seconds"], "gap": (tr - va) if tr is not None and va is not None else None,
            "reason": run.get("reason", ""), "diverged_batch": run.get("diverged_batch"),
            "first_layer_weight_change": run.get("first_layer_weight_change"), "train_size": run["train_size"],
            "epochs_run": run["epochs_run"], "stopped_early": run["stopped_early"], "history": run["history"],
            "layer_names": run["layer_names"], "gradient_norms": _thin(run["gradient_norms"]),
            "recipe": run["recipe"], "params": run["params"]}


def run_experiment_task(name: str, size: str = "full", *, source: str = "auto", use_cache: bool = True,
                        cache_root: str | None = None) -> Task[dict[str, Any]]:
    """Run (or read from the cache) one guided experiment; the result is a plain, JSON-able dict:
    ``{"experiment", "size", "settings", "variants": [...], "details", "data_label", "seconds", "cached"}``.

    Progress: stage "batch" while a variant trains (data: the loop's, plus "variant"), stage
    "variant" when one is measured (data: "variant", the record).
    """
    settings = experiment_settings(name, size)
    yield Progress(0.0, t("Preparing the digits…"), "stage")
    data = lab_data(max(settings["train_size"], settings.get("more_data", 0)), source)
    cache = ExperimentCache(cache_root)
    key = experiment_key(name, data.fingerprint, settings)
    if use_cache and (hit := cache.get(key)) is not None:
        return hit | {"cached": True}
    started = time.perf_counter()
    variants = _variants(name, settings)
    records: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    for i, (variant, recipe) in enumerate(variants):
        work = fit_recipe(recipe, data, diagnostics=False)
        fraction = i / len(variants)
        try:
            while True:
                try:
                    progress = next(work)
                except StopIteration as stop:
                    run = stop.value
                    break
                if progress.fraction is not None:  # a stage without a fraction keeps the bar where it is
                    fraction = (i + progress.fraction) / len(variants)
                yield Progress(fraction, t("{experiment}: {variant} — {message}", experiment=name, variant=variant,
                                           message=progress.message), progress.stage,
                               {**progress.data, "variant": variant})
        finally:
            work.close()  # a cancel ends the variant's training too, not only this loop
        if name == "explainability":
            yield Progress((i + 0.95) / len(variants), t("Explaining one digit both ways…"), "stage")
            details, tree_record = _explain(run["_model"], data, settings)
            records.append(_variant_record(variant, run))
            records.append(tree_record)
        else:
            records.append(_variant_record(variant, run))
        yield Progress((i + 1) / len(variants), t("{experiment}: {variant} measured.", experiment=name,
                                                  variant=variant), "variant", {"variant": _plain(records[-1])})
    result = _plain({"experiment": name, "size": size, "settings": settings, "variants": records, "details": details,
                     "data_label": data.label, "seconds": time.perf_counter() - started, "key": key,
                     "versions": library_versions(), "cached": False})
    cache.put(key, result)
    return result


def _explain(model: Any, data: LabData, settings: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The network's saliency and a decision tree's rule path for the same held-out digit."""
    from sklearn.tree import DecisionTreeClassifier

    n = settings["train_size"]
    x_flat, x_val_flat = data.x_train[:n].reshape(n, -1), data.x_val.reshape(len(data.x_val), -1)
    started = time.perf_counter()
    tree = DecisionTreeClassifier(max_depth=settings["tree_depth"], random_state=0).fit(x_flat, data.y_train[:n])
    tree_fit = time.perf_counter() - started
    net_pred = model(data.x_val, training=False).numpy().argmax(axis=1)
    tree_pred = tree.predict(x_val_flat)
    both = np.flatnonzero((net_pred == data.y_val) & (tree_pred == data.y_val))
    index = int(both[0]) if both.size else 0
    from engine.digits.models import saliency_gradient  # the digit workspace's own saliency

    gradient = saliency_gradient(model)

    image = data.x_val[index:index + 1].astype(np.float32)
    gradient(image)  # traced outside the timing
    started = time.perf_counter()
    saliency = np.abs(gradient(image).numpy()[0])
    saliency_ms = (time.perf_counter() - started) * 1000
    saliency = saliency / saliency.max() if saliency.max() > 0 else saliency
    started = time.perf_counter()
    nodes = tree.decision_path(x_val_flat[index:index + 1]).indices
    path_ms = (time.perf_counter() - started) * 1000
    t_ = tree.tree_
    rules = [{"pixel": int(t_.feature[node]), "row": int(t_.feature[node]) // 28, "col": int(t_.feature[node]) % 28,
              "threshold": float(t_.threshold[node]), "value": float(x_val_flat[index, t_.feature[node]]),
              "goes_left": bool(x_val_flat[index, t_.feature[node]] <= t_.threshold[node])}
             for node in nodes if t_.children_left[node] != -1]
    tree_train = float(np.mean(tree.predict(x_flat) == data.y_train[:n]))
    details = {"index": index, "label": int(data.y_val[index]), "network_prediction": int(net_pred[index]),
               "tree_prediction": int(tree_pred[index]), "image": data.x_val[index].round(3).tolist(),
               "saliency": saliency.round(4).tolist(), "saliency_ms": saliency_ms, "rules": rules,
               "path_ms": path_ms, "tree_depth": int(tree.get_depth()), "tree_leaves": int(tree.get_n_leaves())}
    record = {"name": "tree", "train_accuracy": tree_train, "val_accuracy": float(np.mean(tree_pred == data.y_val)),
              "grad_ratio_first_last": None, "diverged": False, "seconds": tree_fit, "gap": None, "reason": "",
              "train_size": n, "history": [], "layer_names": [], "gradient_norms": []}
    record["gap"] = record["train_accuracy"] - record["val_accuracy"]
    return details, record
