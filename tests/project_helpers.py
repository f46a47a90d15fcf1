"""Shared by the project tests and bench/project.py: a person's own tiny model ready for the canvas
(Keras file in the cache and its LiteRT conversion), drawings in a session, and hand-made zips."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np


def own_model_files(models: Path | None = None):
    """The person's trained model (copied from ``models`` when given) with its ``.tflite`` made here."""
    from engine.core import tf_runtime
    from engine.core.litert import export_litert
    from engine.digits.lite import ModelFiles, latest_cached, record_conversion, tflite_path_for

    if models is not None:
        from helpers import install_models

        install_models(models)
    cached = latest_cached()
    assert cached is not None, "a trained model is in the cache"
    keras_model = tf_runtime.keras().saving.load_model(cached.keras_path, compile=False, safe_mode=True)
    tflite = export_litert(keras_model, tflite_path_for(cached.keras_path))
    record_conversion(cached.keras_path, tflite)
    return ModelFiles(cached.keras_path, str(tflite), cached.info)


def drawings(n: int = 8) -> np.ndarray:
    from engine.digits.mnist import load_offline_sample

    return load_offline_sample().x[:n].astype(np.float32)


def record_drawings(session, model, images: np.ndarray) -> None:
    from engine.core.session import DrawnDigit

    for image in images:
        p = model.predict(image)
        session.add_digit(DrawnDigit(p.input28, p.digit, p.confidence, [float(v) for v in p.probabilities]))


def hand_made_project(path: Path, entries: dict[str, bytes], *, manifest: dict | None = None,
                      unlisted: dict[str, bytes] | None = None, infos: list[tuple[zipfile.ZipInfo, bytes]] = ()) -> Path:
    """A zip with a manifest listing ``entries`` truthfully (``manifest`` fields override), plus
    ``unlisted`` entries and raw ``infos`` the manifest does not list."""
    listed = {name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in entries.items()}
    body = {"format": "deepmine-project", "format_version": 1, "app_version": "0.1.0", "created": "2026-01-01T00:00:00",
            "modified": "2026-01-01T00:00:00", "language": "en", "name": path.stem, "parts": {}, "entries": listed}
    body.update(manifest or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(body))
        for name, data in {**entries, **(unlisted or {})}.items():
            zf.writestr(name, data)
        for info, data in infos:
            zf.writestr(info, data)
    return path
