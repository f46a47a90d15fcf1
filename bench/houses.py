"""House engine figures: 5-fold cross-validated MSE per model and the one the app recommends."""

from __future__ import annotations

import time

import numpy as np

from bench.common import percentiles


def run(results: dict) -> None:
    from engine.houses.boston import load_boston
    from engine.houses.models import HouseParams, train_house_models

    data = load_boston()
    started = time.monotonic()
    models = train_house_models(data, HouseParams())
    results["houses.train_seconds"] = round(time.monotonic() - started, 2)
    for score in models.info.cv:
        results[f"houses.cv5_mse.{score.model}"] = round(score.mse, 2)
        results[f"houses.cv5_r2.{score.model}"] = round(score.r2, 3)
    results["houses.recommended"] = models.info.recommended
    results["houses.cv5_mse"] = round(min(s.mse for s in models.info.cv), 2)

    medians = data.medians()
    rng = np.random.default_rng(0)
    times = []
    for i in range(300):
        inputs = dict(medians, RM=float(rng.uniform(4, 8.5)), LSTAT=float(rng.uniform(2, 30)))
        started = time.perf_counter()
        pred = models.predict(inputs)
        models.explain(pred)
        times.append((time.perf_counter() - started) * 1000)
    results["houses.engine_predict_ms.p50"], results["houses.engine_predict_ms.p95"] = percentiles(times[10:], 50, 95)
