"""The digit workspace's tasks as the app runs them: LiteRT in the window's process, every
TensorFlow step in the worker (``engine.worker``). Nothing here imports TensorFlow.

Start-up uses the person's chosen model or the shipped one straight from its ``.tflite``, so the
canvas answers within about a second of launch; only when no model can be loaded does the worker
train one. Each task returns a ``LiteDigitModel`` ready for the canvas.
"""

from __future__ import annotations

from engine.core.errors import DeepMineError
from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.digits import worker_jobs
from engine.digits.lite import LiteDigitModel, ModelFiles, latest_cached, shipped_files
from engine.digits.models import DigitParams
from engine.digits.service import DigitSettings, _choice, open_cache_task, remember_choice
from engine.worker import in_worker


def _notice(message: str) -> Progress:
    return Progress(None, message, "notice")


def startup_task(settings: DigitSettings = DigitSettings()) -> Task[LiteDigitModel]:
    """The person's trained model if they chose it, else the shipped CNN; train only if neither loads."""
    cache, problems = yield from open_cache_task()
    if _choice() == "trained":
        yield Progress(None, t("Looking for a trained model…"), "stage")
        cached = latest_cached(cache)
        for message in problems:
            yield _notice(message)
        if cached is not None:
            try:
                if cached.tflite_path is None:
                    files = yield from in_worker(worker_jobs.convert_job, cached.keras_path, cached.info)
                else:
                    files = ModelFiles(cached.keras_path, cached.tflite_path, cached.info)
                return LiteDigitModel(files)
            except DeepMineError as exc:
                yield _notice(t("{reason} Using the shipped model instead.", reason=exc))
    try:
        return LiteDigitModel(shipped_files("cnn", settings.shipped_root))
    except DeepMineError as exc:
        yield _notice(t("{reason} Training a model instead.", reason=exc))
    return (yield from train_task(settings.fallback_params or DigitParams.default(), settings))


def train_task(params: DigitParams, settings: DigitSettings = DigitSettings(), path: str | None = None,
               samples: int | None = None) -> Task[LiteDigitModel]:
    """Training from the panel: in the worker; the canvas switches once the conversion is made."""
    files = yield from in_worker(worker_jobs.train_job, params, settings, path, samples)
    return LiteDigitModel(files)


def fine_tune_task(files: ModelFiles, settings: DigitSettings = DigitSettings()) -> Task[tuple]:
    """Fine-tune on the person's corrections; returns (model, before, after, n samples)."""
    tuned, before, after, n = yield from in_worker(worker_jobs.fine_tune_job, files, settings)
    return LiteDigitModel(tuned), before, after, n


def use_shipped_task(settings: DigitSettings = DigitSettings()) -> Task[LiteDigitModel]:
    """Go back to the shipped model (the person's trained models stay in the cache)."""
    yield Progress(None, t("Loading the shipped model…"), "stage")
    model = LiteDigitModel(shipped_files("cnn", settings.shipped_root))
    remember_choice("shipped")
    return model


def fine_tune_pen_task() -> Task:
    """Fine-tune the pen-path network on the person's corrections with strokes, in the worker; the
    window then loads the new ``.tflite`` (``OnlineRecogniser.load_for_app`` prefers it)."""
    from engine.digits.online_model import fine_tune_online_task

    return (yield from in_worker(fine_tune_online_task))


def saliency_task(keras_path: str, image28) -> Task:
    """The saliency map of the model in use for one drawing, from the worker."""
    return (yield from in_worker(worker_jobs.saliency_job, keras_path, image28))


def warm_task(keras_path: str) -> Task[bool]:
    """Have the worker load the model in use (and TensorFlow) before the first map is asked for."""
    return (yield from in_worker(worker_jobs.warm_job, keras_path))


# -- the handwriting set and images: small file tasks the window runs off its thread ----------------
def list_samples() -> list:
    from engine.digits.user_samples import UserSamples

    return UserSamples().list()


def add_sample(image28, label: int, strokes=None) -> str:  # noqa: ANN001 — a 28×28 array, pen strokes
    from engine.digits.user_samples import UserSamples

    return UserSamples().add(image28, label, strokes=strokes)


def delete_samples(paths: list[str]) -> list:
    from engine.digits.user_samples import UserSamples

    store = UserSamples()
    for p in paths:
        store.delete(p)
    return store.list()


def load_online(shipped_root=None):  # noqa: ANN001, ANN201 — (OnlineRecogniser | None, notices)
    from engine.digits.online_recogniser import OnlineRecogniser

    return OnlineRecogniser.load_for_app(shipped_root)


def read_image(path: str):  # noqa: ANN201 — a 28×28 float array
    from engine.digits.preprocess import load_image_file

    return load_image_file(path)
