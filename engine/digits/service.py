"""The digit workspace's state and operations, without Qt: which model is in use, where it came
from, and the tasks that load, train, fine-tune and save it. The GUI, the CLI and the benchmarks
all go through here, so train-and-save exists once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from engine.core import tf_runtime
from engine.core.atomic import atomic_write_text
from engine.core.cache import ModelCache
from engine.core.errors import CacheError, DeepMineError, InputError
from engine.core.i18n import t
from engine.core.paths import data_home
from engine.core.results import DigitModelInfo
from engine.core.tasks import Progress, Task
from engine.digits import shipped
from engine.digits.mnist import MnistData, load_training_data
from engine.digits.models import DigitModel, DigitParams, load_latest_digit_model, save_digit_model
from engine.digits.training import fine_tune_task, train_digit_task
from engine.digits.user_samples import UserSamples

CHOICE_FILE = "digit-model.json"  # {"use": "shipped" | "trained"}


@dataclass(frozen=True)
class DigitSettings:
    """How the workspace finds data and models; tests pass their own (tiny, offline)."""

    source: str = "auto"  # "auto" | "offline" | "file"
    allow_download: bool = True
    fallback_params: DigitParams | None = None  # when no model can be loaded at all
    shipped_root: Path | None = None  # None: the app's assets/models


def _notice(message: str) -> Progress:
    return Progress(None, message, "notice")


def _choice() -> str:
    try:
        return json.loads((data_home() / CHOICE_FILE).read_text(encoding="utf-8")).get("use", "trained")
    except (OSError, ValueError, AttributeError):
        return "trained"


def remember_choice(use: str) -> None:
    """Which model the app starts with next time: the shipped one, or the person's latest."""
    try:
        atomic_write_text(data_home() / CHOICE_FILE, json.dumps({"use": use}))
    except OSError:
        pass  # an unwritable data dir: the choice holds for this run only


def load_shipped_model(arch: str = "cnn", root: Path | None = None) -> DigitModel:
    """The shipped model, checked against its card; ``DataError`` with the reason when damaged."""
    keras = tf_runtime.keras()
    path, card = shipped.verified_weights(arch, root)
    try:
        keras_model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # noqa: BLE001 — any failure to load is reported as a damaged file
        raise CacheError("The shipped model {name} cannot be loaded ({reason}).", name=path.name, reason=exc) from exc
    from engine.digits.lite import shipped_info

    return DigitModel(keras_model, shipped_info(arch, card))


def open_cache_task() -> Task[tuple[ModelCache, list[str]]]:
    """The model cache as start-up uses it: remains of a killed save cleaned (said), and a list that
    collects each repair the cache makes while models are looked up, for the caller to report."""
    cache = ModelCache()
    problems: list[str] = []
    cache.on_problem = problems.append
    try:
        cache.clean_orphans()  # remains of a process killed while saving
    except CacheError as exc:
        yield _notice(str(exc))
    return cache, problems


def startup_model_task(settings: DigitSettings = DigitSettings()) -> Task[DigitModel]:
    """What the app does at start: the person's trained model if they chose it, else the shipped
    model; only when neither loads, train one (and say why)."""
    cache, problems = yield from open_cache_task()
    yield Progress(None, t("Loading TensorFlow…"), "stage")
    tf_runtime.keras()
    if _choice() == "trained":
        yield Progress(None, t("Looking for a trained model…"), "stage")
        model = load_latest_digit_model(cache)
        for message in problems:
            yield _notice(message)
        if model is not None:
            return model
    try:
        return load_shipped_model("cnn", settings.shipped_root)
    except DeepMineError as exc:
        yield _notice(t("{reason} Training a model instead.", reason=exc))
    return (yield from train_and_save_task(settings.fallback_params or DigitParams.default(), settings))


def load_data_task(settings: DigitSettings, path: str | None = None, samples: int | None = None) -> Task[MnistData]:
    yield Progress(None, t("Loading the training data…"), "stage")
    notices: list[Progress] = []
    data = load_training_data(settings.source if settings.source in ("offline", "file") else "auto", path,
                              progress=lambda p: notices.append(p) if p.stage == "notice" else None,
                              allow_download=settings.allow_download)
    yield from notices
    if data.notice:
        yield _notice(data.notice)
    if samples is not None and samples < len(data):
        data = data.subset(samples, seed=0)
    return data


def save_or_notify(model: DigitModel) -> Task[None]:
    """Cache a freshly trained model; if the cache cannot take it, say so and keep the model."""
    try:
        save_digit_model(model)
    except Exception as exc:  # noqa: BLE001 — an unwritable cache must not cost the person the trained model
        yield _notice(t("The model works but could not be saved: {reason}", reason=exc))
    remember_choice("trained")


def train_and_save_task(params: DigitParams, settings: DigitSettings = DigitSettings(), path: str | None = None,
                        samples: int | None = None) -> Task[DigitModel]:
    """Training from the panel or the CLI: data, fit, evaluate, cache."""
    data = yield from load_data_task(settings, path, samples)
    yield Progress(None, t("Training on {data}: {n} digits.", data=t(data.provenance.label), n=len(data)), "data",
                   {"label": data.provenance.label, "n": len(data)})
    model = yield from train_digit_task(data, params)
    yield from save_or_notify(model)
    return model


def fine_tune_on_samples_task(model: DigitModel, settings: DigitSettings = DigitSettings()) -> Task[tuple]:
    """Fine-tune on the person's saved corrections; returns (model, before, after, n samples)."""
    samples = UserSamples().arrays()
    if len(samples[1]) == 0:
        raise InputError("Save a few corrected digits first: fine-tuning learns from them.")
    base = yield from load_data_task(DigitSettings("auto", False))
    base = base.subset(min(len(base), 5000), seed=1)
    tuned, before, after = yield from fine_tune_task(model, base, samples)
    yield from save_or_notify(tuned)
    return tuned, before, after, len(samples[1])


def use_shipped_task(settings: DigitSettings = DigitSettings()) -> Task[DigitModel]:
    """Go back to the shipped model (the person's trained models stay in the cache)."""
    yield Progress(None, t("Loading the shipped model…"), "stage")
    model = load_shipped_model("cnn", settings.shipped_root)
    remember_choice("shipped")
    return model


def describe(info: DigitModelInfo) -> str:
    """One line of provenance: which data, how many digits, which test accuracy."""
    if info.card is not None:
        return shipped.card_summary(info.card)
    ev = info.evaluation
    acc = t(", test accuracy {acc:.1%} ({source})", acc=ev.accuracy, source=ev.source_label) if ev else ""
    return t("{arch} trained on {data} ({n} digits){acc}", arch=info.arch.upper(), data=t(info.train_provenance.label),
             n=info.train_provenance.n_samples, acc=acc)
