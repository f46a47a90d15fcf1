"""Figures for the pen-path (online) recogniser and its fusion with the CNN (issue 25).

Writer-disjoint on the 30 pen writers: the out-of-fold probabilities ``make models`` kept in
``build/online-cv/oof.npz`` (each fold's models never saw its 6 writers) are re-scored here, the
fusion weight re-chosen by nested CV; without that file the online card's figures are reported.
Latency: the shipped LiteRT model reading one drawing, and the occlusion view, in this process.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from bench.common import pendigits, percentiles

OOF = Path("build/online-cv/oof.npz")
PREFIX = "digits.pen"


def run(results: dict) -> None:
    from engine.digits import shipped

    if not shipped.card_path(shipped.ONLINE).exists():
        results[f"{PREFIX}.error"] = "assets/models/digits-online.* is not built (`make models`)"
        return
    card = shipped.read_card(shipped.ONLINE)
    if OOF.exists():
        _from_out_of_fold(results)
    else:
        figures = card["fusion"]["figures"]
        for key, value in figures.items():
            results[f"{PREFIX}.{key}"] = value
        results[f"{PREFIX}.source"] = "online card (build/online-cv/oof.npz absent)"
    results[f"{PREFIX}.fusion_weight.shipped"] = card["fusion"]["weight"]
    results[f"{PREFIX}.shipped_cnn_card.writer_cv"] = shipped.read_card("cnn").get("pen_accuracy", {}).get("writer_cv")
    results[f"{PREFIX}.shipped_cnn_card.worst_writer"] = shipped.read_card("cnn").get("pen_accuracy", {}).get(
        "worst_writer")
    _latency(results)


def _from_out_of_fold(results: dict) -> None:
    from engine.digits.build_online import fusion_figures

    with np.load(OOF, allow_pickle=False) as saved:
        data = {k: saved[k] for k in saved.files}
    labels, writers = data["labels"], data["writers"]
    folds = data["fold_writers"].tolist()
    results[f"{PREFIX}.source"] = f"{OOF} (writer-disjoint out-of-fold probabilities, 5 folds of 6 writers)"
    # the headline is what the shipped recogniser does: online test-time augmentation, one CNN picture
    variants = {"": ("probs", "probs_tta"), "no_tta.": ("probs", "probs"),
                "cnn_pen_width_tta.": ("probs_tta", "probs"), "both_tta.": ("probs_tta", "probs_tta")}
    for prefix, (cnn_key, online_key) in variants.items():
        fig = fusion_figures(data[f"cnn_{cnn_key}"], data[f"online_{online_key}"], labels, writers, folds)
        for model in ("cnn", "online", "fused"):
            results[f"{PREFIX}.{prefix}writer_cv.{model}"] = fig[model]["accuracy"]
            results[f"{PREFIX}.{prefix}worst_writer.{model}"] = fig[model]["worst_writer"]
        results[f"{PREFIX}.{prefix}fused_ge_best_every_fold"] = fig["fused_at_least_better_alone_every_fold"]
        results[f"{PREFIX}.{prefix}fusion_weight.all_folds"] = fig["weight"]
        if not prefix:
            results[f"{PREFIX}.fold_accuracy"] = {m: fig[m]["fold_accuracy"] for m in ("cnn", "online", "fused")}
            results[f"{PREFIX}.nested_weights"] = fig["nested_weights"]
            results[f"{PREFIX}.where_not"] = fig["where_not"]


def _latency(results: dict) -> None:
    """Milliseconds for one drawing through LiteRT (the window's path), and for the point view."""
    from engine.digits.online_recogniser import OnlineRecogniser

    online = OnlineRecogniser.from_shipped()
    digits = pendigits(200)
    drawings = [d.strokes for d in digits] if digits else [[[(0.28, 0.22), (0.72, 0.22), (0.44, 0.8)]]] * 50
    predict, view = [], []
    for strokes in drawings:
        start = time.perf_counter()
        online.predict_strokes(strokes)
        predict.append((time.perf_counter() - start) * 1000)
    for strokes in drawings[:50]:
        start = time.perf_counter()
        online.point_importance(strokes)
        view.append((time.perf_counter() - start) * 1000)
    results["digits.online.predict_ms.p50"], results["digits.online.predict_ms.p95"] = percentiles(predict, 50, 95)
    results["digits.online.importance_ms.p50"], results["digits.online.importance_ms.p95"] = percentiles(view, 50, 95)
