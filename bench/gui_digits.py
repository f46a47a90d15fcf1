"""GUI figures for the digit workspace, measured on the real window (offscreen) with the model
the app starts with (the shipped CNN): canvas accuracy on replayed pen strokes, release →
label latency, event-loop lag while the CNN trains, and start-up times of a fresh process."""

from __future__ import annotations

import sys
import time

from bench.common import LagMeter, SignalCount, pendigits, percentiles, startup_probe, wait_until

LAG_SECONDS = 40.0  # how long the event loop is watched while the CNN trains


def prediction_counter(window) -> SignalCount:
    """Counts ``predictionShown``: emitted once the label shows the newest drawing's digit (a
    replaced drawing's prediction never reaches the label)."""
    return SignalCount(window.digit_tab.predictionShown)


def draw_and_wait(app, window, shown: SignalCount, strokes, timeout: float = 5.0) -> float | None:
    """Clear, draw, and wait for the drawing's prediction; ms from the release to the label, or None."""
    from gui.common.automation import draw_strokes

    tab = window.digit_tab
    tab.canvas.clear()
    before = shown.count
    draw_strokes(tab.canvas, strokes)
    started = time.perf_counter()  # the release was the last event delivered
    if not shown.wait_beyond(app, before, timeout):
        return None
    return (time.perf_counter() - started) * 1000


def open_window():
    from engine.digits.service import DigitSettings
    from gui.common.app import create_app
    from gui.main_window import MainWindow, WindowOptions

    app = create_app()
    window = MainWindow(options=WindowOptions(digits=DigitSettings("offline", allow_download=False)))
    window.resize(1280, 800)
    window.show()
    window.start_background_work()
    if not wait_until(app, window.isDigitModelReady, 900):
        raise RuntimeError("no digit model became ready")
    return app, window


def replay(app, window, digits) -> tuple[float, list[float]]:
    tab = window.digit_tab
    shown = prediction_counter(window)
    correct, latencies = 0, []
    for d in digits:
        latency = draw_and_wait(app, window, shown, d.strokes)
        if latency is None:
            continue
        latencies.append(latency)
        if tab.prediction.text()[:1] == str(d.label):
            correct += 1
    return correct / max(1, len(digits)), latencies


def saliency_delays(app, window, strokes_list) -> list[float]:
    """ms from a drawing's prediction on screen to its saliency map on screen (the worker warm)."""
    from gui.common.automation import draw_strokes

    tab = window.digit_tab
    predicted, mapped = SignalCount(tab.predictionShown), SignalCount(tab.saliencyShown)
    before = mapped.count
    draw_strokes(tab.canvas, strokes_list[0])  # warms the worker: TensorFlow and the model's gradient
    mapped.wait_beyond(app, before, 300)
    delays = []
    for strokes in strokes_list:
        tab.canvas.clear()
        before_p, before_m = predicted.count, mapped.count
        draw_strokes(tab.canvas, strokes)
        if not predicted.wait_beyond(app, before_p, 10):
            continue
        shown = time.perf_counter()
        if mapped.wait_beyond(app, before_m, 10):
            delays.append((time.perf_counter() - shown) * 1000)
    return delays


def event_loop_lag(app, window) -> list[float]:
    """A 10 ms timer measures its own lateness while the default CNN trains (then is cancelled)."""
    from engine.digits.models import DigitParams

    tab = window.digit_tab
    meter = LagMeter()
    started = SignalCount(tab.trainingStarted)
    tab.start_training(DigitParams.default("cnn"), "offline", None)
    wait_until(app, lambda: started.count > 0, 120)
    meter.start()
    end = time.monotonic() + LAG_SECONDS
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    lags = meter.stop()
    tab.cancel_training()
    wait_until(app, lambda: not tab.tasks.is_running("training"), 10)
    return lags


def startup_times() -> dict[str, float]:
    return startup_probe([sys.executable, "-m", "gui"])


def run(results: dict) -> None:
    digits = pendigits()
    app, window = open_window()
    if digits is None:
        results["gui.canvas_accuracy"] = "skipped: ../shared/data is absent"
    else:
        accuracy, latencies = replay(app, window, digits)
        results["gui.canvas_accuracy"] = round(accuracy, 4)
        if window.digit_tab.model.info.card is not None:
            results["gui.canvas_accuracy.note"] = ("the shipped CNN learned from these 30 writers; unseen writers: "
                                                   "gui.canvas_accuracy.heldout")
        results["gui.canvas_count"] = len(digits)
        results["gui.canvas_latency_ms.p50"], results["gui.canvas_latency_ms.p95"] = percentiles(latencies, 50, 95)
    from gui.common.automation import SEVEN

    delays = saliency_delays(app, window, [d.strokes for d in digits[:300]] if digits else [SEVEN] * 100)
    results["gui.saliency_after_prediction_ms.p50"], results["gui.saliency_after_prediction_ms.p95"] = \
        percentiles(delays, 50, 95)
    results["gui.saliency_after_prediction_count"] = len(delays)
    lags = event_loop_lag(app, window)
    results["gui.event_loop_lag_ms.p99"] = percentiles(lags, 99)[0]
    results["gui.event_loop_lag_ms.max"] = round(max(lags), 1)
    window.close()
    app.processEvents()

    # a fresh process in the same data dir loads the shipped model (the training above was
    # cancelled). bench/shipped measures the start on an empty data dir (".first_start").
    cold = startup_times()  # the first start after the training: OS file cache partly cold
    results["gui.window_shown_seconds.after_training"] = cold.get("window_shown")
    results["gui.first_prediction_seconds.after_training"] = cold.get("digit_model_ready")
    figures = startup_times()
    results["gui.window_shown_seconds"] = figures.get("window_shown")
    results["gui.first_prediction_seconds"] = figures.get("digit_model_ready")
