"""Digit models as the window uses them: LiteRT inference, no TensorFlow in this process.

A ``LiteDigitModel`` answers the canvas in ~0.2 ms from a ``.tflite`` file and knows where its
Keras file is, so the TensorFlow worker can compute saliency maps and fine-tune it. Shipped
models carry their ``.tflite`` beside the ``.keras`` (sha256 of both in the card); a model the
person trains is converted by the worker before the canvas switches to it and cached beside its
Keras file with a small sidecar that ties the two together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.core.atomic import atomic_write_text
from engine.core.cache import ModelCache, sha256_file
from engine.core.errors import CacheError, DataError
from engine.core.i18n import t
from engine.core.results import DigitModelInfo, DigitPrediction, Provenance
from engine.digits import shipped

LOW_CONFIDENCE = 0.6  # as engine.digits.models: below it the canvas says "not a clear digit"
CACHE_KIND = "digits"


@dataclass(frozen=True)
class ModelFiles:
    """What crosses from the worker to the window after a training: the files and the model's info."""

    keras_path: str
    tflite_path: str
    info: DigitModelInfo


class LiteDigitModel:
    """A trained digit network run by LiteRT, with what is known about it."""

    def __init__(self, files: ModelFiles) -> None:
        from engine.core.litert import LiteModel

        self.files = files
        self.info = files.info
        self.keras_path = files.keras_path
        try:
            self._lite = LiteModel(files.tflite_path)
        except (ValueError, RuntimeError, OSError) as exc:
            raise CacheError("The model file {name} cannot be read ({reason}).", name=Path(files.tflite_path).name,
                             reason=exc) from exc

    def predict_proba(self, images: np.ndarray, batch: int = 1024) -> np.ndarray:
        images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28)
        out = [self._lite.run(images[i:i + batch]) for i in range(0, len(images), batch)]
        return np.concatenate(out) if out else np.zeros((0, 10), np.float32)

    def predict(self, image28: np.ndarray | None) -> DigitPrediction:
        """The digit for one preprocessed image; a blank canvas (None) is "no digit", never a guess."""
        if image28 is None:
            return DigitPrediction(None, 0.0, np.zeros(10, np.float32), None)
        probs = self._lite.run(np.asarray(image28, np.float32).reshape(1, 28, 28))[0]
        if not np.all(np.isfinite(probs)):
            raise DataError("The digit model gives no usable answer (its output is not a number); "
                            "use the shipped model or train again.")
        digit = int(probs.argmax())
        confidence = float(probs[digit])
        return DigitPrediction(digit, confidence, probs, image28, confidence < LOW_CONFIDENCE)


# --- shipped models -----------------------------------------------------------------------
def shipped_files(arch: str = "cnn", root: Path | None = None) -> ModelFiles:
    """The shipped model's files after checking both against its card; ``DataError`` naming the
    file and the problem otherwise."""
    keras_path, card = shipped.verified_weights(arch, root)
    tflite = keras_path.with_suffix(".tflite")
    expected = (card.get("files") or {}).get(tflite.name)
    if not tflite.exists():
        raise DataError("The shipped model {name} is missing.", name=str(tflite))
    if not isinstance(expected, str) or sha256_file(tflite) != expected:
        raise DataError("The shipped model {name} is damaged (its checksum does not match its card).",
                        name=tflite.name)
    return ModelFiles(str(keras_path), str(tflite), shipped_info(arch, card))


def shipped_info(arch: str, card: dict) -> DigitModelInfo:
    """What the card says of a shipped model, as the workspace and the report show it."""
    data = card.get("training_data", {})
    prov = Provenance("shipped", shipped.data_label(card), int(data.get("n_samples", 0)),
                      str(card.get("weights_sha256", "")), None)  # the weights' checksum identifies the model
    return DigitModelInfo(arch=arch, params=dict(card.get("hyper_parameters", {})), train_provenance=prov,
                          history=[], evaluation=None, seed=int(card.get("seed", 0)),
                          train_seconds=float(card.get("train_seconds", 0)), versions=dict(card.get("versions", {})),
                          cache_key=f"shipped-{arch}", created=str(card.get("created", "")), card=card)


# --- the person's cached models -------------------------------------------------------------
def sidecar_path(keras_path: str | Path) -> Path:
    return Path(keras_path).with_suffix(".tflite.json")


def tflite_path_for(keras_path: str | Path) -> Path:
    return Path(keras_path).with_suffix(".tflite")


def record_conversion(keras_path: str | Path, tflite_path: str | Path) -> None:
    """Tie a conversion to the exact Keras file it came from (written last, atomically)."""
    atomic_write_text(sidecar_path(keras_path), json.dumps({
        "keras_sha256": sha256_file(keras_path), "tflite_sha256": sha256_file(tflite_path),
        "tflite_file": Path(tflite_path).name}, indent=2))


def converted(keras_path: str | Path) -> Path | None:
    """The ``.tflite`` made from exactly this Keras file, or None (missing, stale or damaged)."""
    try:
        meta = json.loads(sidecar_path(keras_path).read_text(encoding="utf-8"))
        tflite = Path(keras_path).with_name(str(meta["tflite_file"]))
        if meta["keras_sha256"] == sha256_file(keras_path) and meta["tflite_sha256"] == sha256_file(tflite):
            return tflite
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


@dataclass(frozen=True)
class CachedModel:
    """The person's newest usable trained model: its Keras file and info, and its conversion if made."""

    keras_path: str
    info: DigitModelInfo
    tflite_path: str | None


def latest_cached(cache: ModelCache | None = None) -> CachedModel | None:
    """The newest cached digit model (checksum checked by the cache, no TensorFlow needed)."""
    from engine.digits.models import _info_from_meta  # the cache's own metadata reader

    cache = cache or ModelCache()
    hit = cache.latest(CACHE_KIND, lambda path: path)
    if hit is None:
        return None
    try:
        info = _info_from_meta(hit.meta)
    except (KeyError, TypeError, ValueError) as exc:
        cache.on_problem(t("The cached digit model's description is damaged ({reason}); it will be rebuilt.",
                           reason=exc))
        return None
    tflite = converted(hit.model)
    return CachedModel(str(hit.model), info, str(tflite) if tflite else None)
