"""Digit jobs that need TensorFlow. They run in the app's worker process (``engine.worker``) and
return files and plain data, never Keras objects: the window loads the ``.tflite`` they wrote.

The worker keeps the Keras models it has loaded, keyed by file, so a saliency map after the first
costs a few milliseconds, not a model load.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine.core.cache import ModelCache
from engine.core.errors import CacheError
from engine.core.i18n import t
from engine.core.paths import data_home
from engine.core.results import DigitModelInfo
from engine.core.tasks import Progress, Task
from engine.digits.lite import CACHE_KIND, ModelFiles, converted, record_conversion, tflite_path_for
from engine.digits.models import DigitModel, DigitParams
from engine.digits.service import DigitSettings

_loaded: dict[str, DigitModel] = {}
_loaded_lock = threading.Lock()
KEEP_LOADED = 4  # models kept in the worker: the one in use, a training's result, a lab network…


def _model(keras_path: str, info: DigitModelInfo | None = None) -> DigitModel:
    from engine.core import tf_runtime

    with _loaded_lock:
        model = _loaded.get(keras_path)
        if model is not None:
            return model
    keras = tf_runtime.keras()
    try:
        keras_model = keras.saving.load_model(keras_path, compile=False, safe_mode=True)
    except Exception as exc:  # noqa: BLE001 — any failure to load is a damaged or missing file
        raise CacheError("The model file {name} cannot be read ({reason}).", name=Path(keras_path).name,
                         reason=exc) from exc
    model = DigitModel(keras_model, info or _placeholder_info())
    _keep(keras_path, model)
    return model


def _keep(keras_path: str, model: DigitModel) -> None:
    with _loaded_lock:
        _loaded[keras_path] = model
        while len(_loaded) > KEEP_LOADED:
            _loaded.pop(next(iter(_loaded)))


def _placeholder_info() -> DigitModelInfo:
    from engine.core.results import Provenance

    return DigitModelInfo(arch="?", params={}, train_provenance=Provenance("?", "?", 0, "", None), history=[],
                          evaluation=None, seed=0, train_seconds=0.0, versions={})


def saliency_job(keras_path: str, image28: np.ndarray) -> np.ndarray:
    """Where the network looked for this drawing: |∂ winning logit / ∂ input| in [0, 1]."""
    return _model(keras_path).saliency(image28)


def warm_job(keras_path: str) -> bool:
    """Load the model in use and trace its saliency once, so the first map follows at once."""
    _model(keras_path).saliency(np.zeros((28, 28), np.float32))
    return True


def _files_for(model: DigitModel) -> Task[ModelFiles]:
    """Convert a trained model for the window (LiteRT), beside its cached Keras file."""
    from engine.core.litert import export_litert

    yield Progress(None, t("Preparing the model for live recognition…"), "stage")
    key = model.info.cache_key or "unsaved"
    keras_path = ModelCache().model_path(CACHE_KIND, key, ".keras")
    if not keras_path.is_file():  # the cache could not take it: keep it for this session
        keras_path = data_home() / "unsaved-models" / f"{CACHE_KIND}-{key}.keras"
        try:
            keras_path.parent.mkdir(parents=True, exist_ok=True)
            model.keras_model.save(keras_path)
        except OSError as exc:
            raise CacheError("Could not save the model to {path}: {reason}", path=keras_path,
                             reason=exc.strerror or exc) from exc
    tflite = converted(keras_path)
    if tflite is None:
        tflite = export_litert(model.keras_model, tflite_path_for(keras_path))
        record_conversion(keras_path, tflite)
    _keep(str(keras_path), model)
    return ModelFiles(str(keras_path), str(tflite), model.info)


def train_job(params: DigitParams, settings: DigitSettings, path: str | None = None,
              samples: int | None = None) -> Task[ModelFiles]:
    """The training panel's and the start-up fallback's training: fit, cache, convert."""
    from engine.digits.service import train_and_save_task

    model = yield from train_and_save_task(params, settings, path, samples)
    return (yield from _files_for(model))


def fine_tune_job(files: ModelFiles, settings: DigitSettings) -> Task[tuple[ModelFiles, float, float, int]]:
    """Fine-tune the model in use on the person's corrections; returns (files, before, after, n)."""
    from engine.digits.service import fine_tune_on_samples_task

    base = _model(files.keras_path, files.info)
    base = DigitModel(base.keras_model, replace(files.info))
    tuned, before, after, n = yield from fine_tune_on_samples_task(base, settings)
    return (yield from _files_for(tuned)), before, after, n


def convert_job(keras_path: str, info: DigitModelInfo) -> ModelFiles:
    """A cached model made before models were converted: convert it now."""
    from engine.core.litert import export_litert

    model = _model(keras_path, info)
    tflite = export_litert(model.keras_model, tflite_path_for(keras_path))
    record_conversion(keras_path, tflite)
    return ModelFiles(keras_path, str(tflite), info)
