"""Digit engine figures: MNIST test accuracy and training time per model trained on the offline
sample, accuracy on real pen strokes, and the latency of one canvas → label prediction with the
model the app uses (the shipped CNN)."""

from __future__ import annotations

import time

import numpy as np

from bench.common import mnist_test, pendigits, percentiles


def run(results: dict) -> None:
    from engine.digits.mnist import load_offline_sample
    from engine.digits.models import DigitParams, evaluate
    from engine.digits.pendigits import render_like_canvas
    from engine.digits.preprocess import preprocess_canvas
    from engine.digits.service import load_shipped_model
    from engine.digits.shipped import weights_path
    from engine.digits.training import train_digit_model

    # Training from the panel on the offline sample (what a person without MNIST can do). The
    # models are not saved: the GUI benchmarks measure the app's default, the shipped CNN.
    data = load_offline_sample()
    test = mnist_test()
    models = {}
    for arch in ("mlp", "cnn"):
        started = time.monotonic()
        model = train_digit_model(data, DigitParams.default(arch))
        results[f"digits.train_seconds.{arch}"] = round(time.monotonic() - started, 1)
        models[arch] = model
        if test is not None:
            results[f"digits.mnist_test_accuracy.{arch}"] = round(evaluate(model, test).accuracy, 4)
    model = models["cnn"]  # never trained on pen strokes: every writer below is unseen
    shipped = load_shipped_model("cnn") if weights_path("cnn").exists() else None

    pen = pendigits()
    if pen is None:
        results["digits.pen_accuracy"] = "skipped: ../shared/data is absent"
        return
    canvases = [render_like_canvas(d.strokes) for d in pen]
    labels = np.array([d.label for d in pen])
    inputs = [preprocess_canvas(c) for c in canvases]
    blank = [i for i, x in enumerate(inputs) if x is None]
    stack = np.stack([x if x is not None else np.zeros((28, 28), np.float32) for x in inputs])
    predicted = model.predict_proba(stack).argmax(axis=1)
    predicted[blank] = -1
    results["digits.pen_accuracy"] = round(float((predicted == labels).mean()), 4)
    results["digits.pen_count"] = len(labels)
    others = {"mlp": models["mlp"]}
    if shipped is not None:  # the shipped CNN learned from these writers: a seen-writer figure
        others["shipped_cnn_seen_writers"] = shipped
    for name, other in others.items():
        p = other.predict_proba(stack).argmax(axis=1)
        p[blank] = -1
        results[f"digits.pen_accuracy.{name}"] = round(float((p == labels).mean()), 4)

    live = shipped or model  # canvas → digit with the model the app uses
    times = []
    for canvas in canvases[:500]:
        started = time.perf_counter()
        live.predict(preprocess_canvas(canvas))
        times.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(times[20:], 50, 95)
    results["digits.predict_latency_ms.p50"] = p50
    results["digits.predict_latency_ms.p95"] = p95
