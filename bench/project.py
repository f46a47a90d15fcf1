"""Project files, for the project of issue 23: a trained CNN (one epoch on the offline sample), 300
handwriting samples (image + strokes), 300 drawings, a Compare result and a 50,000-row table made here
(numbers, a category, missing cells) mined with the app's own mining (tree, forest and boosting at
the app's default sizes; the Keras network is left out), the table embedded.

- ``project.save_seconds``, ``project.size_mb``: File → Save of that project (``size_mb_referenced``:
  the same with the table kept by reference instead);
- ``project.open_seconds``: opening it in a fresh data folder, the table's models retrained included
  (most of it: no fitted model is stored; ``project.mine_seconds`` is the first mining, for scale);
- ``project.roundtrip_identical``: 1 when, after that open, every digit prediction on the same
  drawings, the samples, the table (every cell), its CV scores and its models' predictions on every
  row, and the Compare results are the same as before saving.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

SAMPLES = 300
TABLE_ROWS = 50_000
BENCH_SIZES: dict = {}  # ModelSizes' overrides: none, the app's defaults (about 35 s to mine on two cores)


def _trained_model():
    from engine.core.cache import ModelCache
    from engine.core.litert import export_litert
    from engine.digits.lite import ModelFiles, record_conversion, tflite_path_for
    from engine.digits.mnist import load_offline_sample
    from engine.digits.models import DigitParams, save_digit_model
    from engine.digits.training import train_digit_model

    data = load_offline_sample()
    model = train_digit_model(data, DigitParams(arch="cnn", epochs=1, augment=False, typeset_copies=0))
    save_digit_model(model)
    keras_path = ModelCache().model_path("digits", model.info.cache_key, ".keras")
    tflite = export_litert(model.keras_model, tflite_path_for(keras_path))
    record_conversion(keras_path, tflite)
    return ModelFiles(str(keras_path), str(tflite), model.info), data


def write_table(path: Path, rows: int = TABLE_ROWS, seed: int = 3) -> Path:
    """Flats: five numbers, a district (category), an id, the price to predict; 2–4 % of three columns empty."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    district = rng.choice(["north", "south", "east", "west", "centre"], rows)
    area, rooms, age = rng.uniform(20, 200, rows), rng.integers(1, 7, rows), rng.uniform(0, 80, rows)
    distance, floor = rng.gamma(2.0, 3.0, rows), rng.integers(0, 30, rows)
    bonus = pd.Series(district).map({"north": 20.0, "south": -10.0, "east": 0.0, "west": 5.0, "centre": 60.0})
    price = 2.5 * area + 10 * rooms - 0.8 * age - 4 * distance + 0.5 * floor + bonus.to_numpy() + rng.normal(0, 15, rows)
    frame = pd.DataFrame({"flat_id": np.arange(1, rows + 1), "district": district, "area_m2": area.round(1),
                          "rooms": rooms, "age_years": age.round(1), "distance_km": distance.round(2),
                          "floor": floor, "price_k": price.round(1)})
    for column, share in (("area_m2", 0.03), ("district", 0.02), ("age_years", 0.04)):
        frame.loc[rng.random(rows) < share, column] = None
    frame.to_csv(path, index=False)
    return path


def _mined_table(path: Path):
    """The table opened and mined as the Tables workspace does; returns its session entry."""
    from engine.core.tasks import run_task
    from engine.tables.mining import MineSettings, mine_task
    from engine.tables.roles import RoleChoice
    from engine.tables.service import TableWorkspace, open_table_task
    from engine.tables.settings import TREE_MODELS, ModelSizes

    workspace = TableWorkspace()
    opened = run_task(open_table_task(str(path)))
    workspace.set_opened(opened)
    settings = MineSettings(models=TREE_MODELS, sizes=ModelSizes(**BENCH_SIZES))
    result = run_task(mine_task(opened.table, RoleChoice("price_k"), settings, opened.profiles))
    return workspace.set_result(result)


def _table_predictions(entry) -> dict[str, list]:  # noqa: ANN001 — a MinedTable
    from engine.tables.explain import predict_frame
    from engine.tables.roles import model_frame

    table, result = entry.table, entry.result
    X = model_frame(table.frame, table.kinds, result.roles.features).reset_index(drop=True)
    return {name: predict_frame(result, X, name)[0].tolist() for name in result.models}


def _same_table(before, after) -> bool:  # noqa: ANN001 — MinedTable entries
    return (after.result.cv == before.result.cv and after.result.best == before.result.best
            and after.table.columns == before.table.columns and after.table.kinds == before.table.kinds
            and after.table.frame.equals(before.table.frame)
            and _table_predictions(after) == _table_predictions(before))


def run(results: dict) -> None:
    """The figures, in two fresh data folders removed afterwards (the next module keeps the bench's own)."""
    import shutil

    home = os.environ.get("DEEPMINE_HOME")
    folders = [Path(tempfile.mkdtemp(prefix=f"deepmine-bench-project-{side}-")) for side in "ab"]
    try:
        _measure(results, *folders)
    finally:
        if home is None:
            os.environ.pop("DEEPMINE_HOME", None)
        else:
            os.environ["DEEPMINE_HOME"] = home
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def _measure(results: dict, first: Path, second: Path) -> None:
    from engine.compare.presets import get_preset
    from engine.compare.results import CompareCell, CompareResult
    from engine.core.session import DrawnDigit, Session
    from engine.core.tasks import run_task
    from engine.digits.lite import LiteDigitModel
    from engine.digits.user_samples import UserSamples
    from engine.project.files import apply_to_session, open_project_task, save_project_task
    from engine.project.part import ProjectContext
    from engine.workbench import project_parts

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
    started = time.perf_counter()
    mined = _mined_table(write_table(first / "flats.csv"))
    results["project.mine_seconds"] = round(time.perf_counter() - started, 2)
    session.tables.append(mined)
    before = model.predict_proba(np.stack([d.image28 for d in session.digits]))
    kept = len(store.list())  # two samples stored in the same second may share a name: count what is there

    path = first / "bench.deepmine"
    started = time.perf_counter()
    saved = run_task(save_project_task(session, project_parts(), path,
                                       context=ProjectContext({"digit_model_files": files}, {"embed_tables": True})))
    results["project.save_seconds"] = round(time.perf_counter() - started, 3)
    results["project.size_mb"] = round(saved.size_bytes / 1e6, 2)
    results["project.entries"] = len(saved.manifest.entries)
    results["project.table_rows"] = mined.table.rows
    results["project.samples"] = kept
    referenced = run_task(save_project_task(session, project_parts(), first / "bench-referenced.deepmine",
                                            context=ProjectContext({"digit_model_files": files},
                                                                   {"embed_tables": False})))
    results["project.size_mb_referenced"] = round(referenced.size_bytes / 1e6, 2)

    os.environ["DEEPMINE_HOME"] = str(second)
    started = time.perf_counter()
    opened = run_task(open_project_task(path, project_parts()))
    restored = Session()
    apply_to_session(restored, opened)
    results["project.open_seconds"] = round(time.perf_counter() - started, 3)
    after = opened.objects()["digit_model"].predict_proba(np.stack([d.image28 for d in restored.digits]))
    checks = {"digits": np.array_equal(before, after), "samples": len(UserSamples().list()) == kept,
              "compare": restored.compare.to_dict() == session.compare.to_dict(),
              "table": len(restored.tables) == 1 and _same_table(mined, restored.tables[0])}
    results["project.roundtrip_identical"] = int(all(checks.values()))
    for name, same in checks.items():
        if not same:
            results[f"project.roundtrip_differs.{name}"] = 1
