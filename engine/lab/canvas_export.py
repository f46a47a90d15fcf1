"""A lab network on the Digits canvas ("Try it on my drawing"): worker jobs that keep the trained
Keras model as a file and convert it to LiteRT for the window.

The worker forgets a job's Keras objects when the job ends, so the lab's Run job itself saves the
trained network (``lab_run_task``: ``train_network_task`` plus a ``.keras`` file under
``data_home()/lab-models``); converting it (~0.7 s) happens only when the person asks
(``canvas_files_job``), and returns the ``ModelFiles`` the Digits workspace loads with LiteRT.
Everything returned is plain data: paths, numbers, dataclasses.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.core.errors import CacheError
from engine.core.i18n import t
from engine.core.paths import data_home
from engine.core.results import DigitEvaluation, DigitModelInfo, Provenance
from engine.core.tasks import Progress, Task
from engine.core.versions import library_versions
from engine.digits.lite import ModelFiles, converted, record_conversion, tflite_path_for
from engine.lab.recipe import lab_data, recipe_from_dict

MODELS_FOLDER = "lab-models"
KEEP_FILES = 6  # lab networks kept on disk: the last few runs, not every one ever trained


def lab_models_dir() -> Path:
    return data_home() / MODELS_FOLDER


def lab_run_task(recipe: dict[str, Any], source: str = "auto", keep_model: bool = True) -> Task[dict[str, Any]]:
    """The lab's Run button: ``train_network_task``'s result, plus ``keras_path`` (the trained network
    saved for the canvas) when ``keep_model`` and the run did not diverge."""
    from engine.lab.recipe import fit_recipe

    checked = recipe_from_dict(recipe)
    data = lab_data(checked.train_size, source, checked.seed)
    result = yield from fit_recipe(checked, data, diagnostics=True)
    model = result.pop("_model", None)
    result["data_label"] = data.label
    result["keras_path"] = None
    if keep_model and model is not None and not result["diverged"]:
        yield Progress(None, t("Keeping the trained network for your drawings…"), "stage")
        result["keras_path"] = str(_save(model))
    return result


def _save(model: Any) -> Path:
    from engine.core.atomic import atomic_path

    folder = lab_models_dir()
    path = folder / f"lab-{datetime.now():%Y%m%d-%H%M%S-%f}.keras"
    try:
        with atomic_path(path, suffix=".keras") as tmp:
            model.save(tmp)
    except OSError as exc:
        raise CacheError("Could not save the model to {path}: {reason}", path=path, reason=exc.strerror or exc) \
            from exc
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    """Only the newest few networks stay (with their conversions)."""
    for old in sorted(folder.glob("lab-*.keras"))[:-KEEP_FILES]:
        for path in (old, tflite_path_for(old), old.with_suffix(".tflite.json")):
            path.unlink(missing_ok=True)


def model_info(run: dict[str, Any], keras_path: str) -> DigitModelInfo:
    """How the Digits workspace describes a lab network: its data, its curves, its held-out test."""
    recipe = run["recipe"]
    evaluation = None
    if run.get("confusion") is not None:
        import numpy as np

        cm = np.asarray(run["confusion"], dtype=float)
        predicted, true = cm.sum(axis=0), cm.sum(axis=1)
        diag = np.diag(cm)
        last = run["history"][-1] if run.get("history") else {}
        evaluation = DigitEvaluation(
            accuracy=float(run["val_accuracy"]), loss=float(last.get("val_loss", float("nan"))),
            precision=[float(d / p) if p else 0.0 for d, p in zip(diag, predicted)],
            recall=[float(d / n) if n else 0.0 for d, n in zip(diag, true)],
            confusion=[[int(v) for v in row] for row in run["confusion"]], n_samples=int(run["val_size"]),
            source_label=t("the lab's {n} held-out digits", n=run["val_size"]))
    params = {"network": recipe["network"]["name"], "layers": len(recipe["network"]["layers"]),
              "parameters": run.get("params"), "loss": recipe["loss"], "optimizer": recipe["optimizer"],
              "learning_rate": recipe["learning_rate"], "epochs": recipe["epochs"],
              "batch_size": recipe["batch_size"], "augment": recipe["augment"]}
    provenance = Provenance("lab", run.get("data_label", ""), int(run.get("train_size", 0)), "", None)
    return DigitModelInfo(arch="lab", params=params, train_provenance=provenance, history=list(run.get("history", [])),
                          evaluation=evaluation, seed=int(recipe.get("seed", 0)),
                          train_seconds=float(run.get("seconds", 0.0)), versions=library_versions(),
                          cache_key=Path(keras_path).stem, created=datetime.now().astimezone().isoformat())


def canvas_files_job(keras_path: str, run: dict[str, Any]) -> ModelFiles:
    """The saved lab network as LiteRT (converted once; a rerun reuses the checked conversion)."""
    from engine.core import tf_runtime
    from engine.core.litert import export_litert

    started = time.perf_counter()
    path = Path(keras_path)
    if not path.is_file() or path.resolve().parent != lab_models_dir().resolve():
        raise CacheError("The lab network {name} is no longer on disk; run it again.", name=path.name)
    tflite = converted(path)
    if tflite is None:
        keras = tf_runtime.keras()
        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as exc:  # noqa: BLE001 — any failure to load is a damaged file
            raise CacheError("The model file {name} cannot be read ({reason}).", name=path.name, reason=exc) from exc
        tflite = export_litert(model, tflite_path_for(path))
        record_conversion(path, tflite)
    info = model_info(run, keras_path)
    info.params["conversion_seconds"] = round(time.perf_counter() - started, 2)
    return ModelFiles(str(path), str(tflite), info)
