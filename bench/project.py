"""Project files: save and open times and the file's size for a project with a trained CNN, 300
handwriting samples (image + strokes) and 300 drawings, and whether everything matches after
opening it in a fresh data folder (``project.roundtrip_identical``). The Tables part is not in
projects yet, so the 50,000-row table of the issue is not in it (``project.table_rows`` says 0)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

SAMPLES = 300


def _trained_model():
    from engine.core.litert import export_litert
    from engine.digits.lite import ModelFiles, record_conversion, tflite_path_for
    from engine.digits.mnist import load_offline_sample
    from engine.digits.models import DigitParams, save_digit_model
    from engine.digits.training import train_digit_model
    from engine.core.cache import ModelCache

    data = load_offline_sample()
    model = train_digit_model(data, DigitParams(arch="cnn", epochs=1, augment=False, typeset_copies=0))
    save_digit_model(model)
    keras_path = ModelCache().model_path("digits", model.info.cache_key, ".keras")
    tflite = export_litert(model.keras_model, tflite_path_for(keras_path))
    record_conversion(keras_path, tflite)
    return ModelFiles(str(keras_path), str(tflite), model.info), data


def run(results: dict) -> None:
    from engine.compare.presets import get_preset
    from engine.compare.results import CompareCell, CompareResult
    from engine.core.session import DrawnDigit, Session
    from engine.core.tasks import run_task
    from engine.digits.lite import LiteDigitModel
    from engine.digits.user_samples import UserSamples
    from engine.project.files import apply_to_session, open_project_task, save_project_task
    from engine.project.part import ProjectContext
    from engine.workbench import project_parts

    first = Path(tempfile.mkdtemp(prefix="deepmine-bench-project-a-"))
    os.environ["DEEPMINE_HOME"] = str(first)
    files, data = _trained_model()
    model = LiteDigitModel(files)
    images = data.x[:SAMPLES].astype(np.float32)
    session = Session()
    session.digit_model = files.info
    store = UserSamples()
    for i, image in enumerate(images):
        p = model.predict(image)
        session.add_digit(DrawnDigit(p.input28, p.digit, p.confidence, [float(v) for v in p.probabilities]))
        store.add(image, int(data.y[i]), strokes=[[[0.3, 0.2 + 0.001 * i], [0.5, 0.5], [0.6, 0.9]]])
    session.compare = CompareResult(get_preset("tiny"), [
        CompareCell("digits", "tree", 100, 0.7, "accuracy", 0.2, 0.01, 1000, "rule_path", key="k")])
    before = model.predict_proba(np.stack([d.image28 for d in session.digits]))
    kept = len(store.list())  # two samples stored in the same second may share a name: count what is there
    path = first / "bench.deepmine"
    start = time.perf_counter()
    saved = run_task(save_project_task(session, project_parts(), path,
                                       context=ProjectContext({"digit_model_files": files})))
    results["project.save_seconds"] = round(time.perf_counter() - start, 3)
    results["project.size_mb"] = round(saved.size_bytes / 1e6, 2)
    results["project.entries"] = len(saved.manifest.entries)
    results["project.table_rows"] = 0  # the Tables part is not in projects yet

    second = Path(tempfile.mkdtemp(prefix="deepmine-bench-project-b-"))
    os.environ["DEEPMINE_HOME"] = str(second)
    start = time.perf_counter()
    opened = run_task(open_project_task(path, project_parts()))
    restored = Session()
    apply_to_session(restored, opened)
    results["project.open_seconds"] = round(time.perf_counter() - start, 3)
    after = opened.objects()["digit_model"].predict_proba(np.stack([d.image28 for d in restored.digits]))
    identical = (np.array_equal(before, after) and len(UserSamples().list()) == kept
                 and restored.compare.to_dict() == session.compare.to_dict())
    results["project.roundtrip_identical"] = int(identical)
