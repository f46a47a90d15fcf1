"""GUI figures for the digit workspace, measured on the real window (offscreen):
canvas accuracy on replayed pen strokes, release → label latency, event-loop lag while the
CNN trains, and start-up times of a fresh process."""

from __future__ import annotations

import sys
import time

from bench.common import pendigits, percentiles, startup_probe, wait_until

LAG_SECONDS = 40.0  # how long the event loop is watched while the CNN trains


def wait_for_label(app, tab, timeout: float = 5.0) -> bool:
    deadline = time.perf_counter() + timeout
    while tab.shown_request_id < tab._request_id:
        app.processEvents()
        if time.perf_counter() > deadline:
            return False
    return True


def open_window():
    from gui.common.app import create_app
    from gui.main_window import MainWindow

    app = create_app()
    window = MainWindow()
    window.digit_tab.default_source = "offline"
    window.digit_tab.allow_download = False
    window.resize(1280, 800)
    window.show()
    window.start_background_work()
    if not wait_until(app, window.isDigitModelReady, 900):
        raise RuntimeError("no digit model became ready")
    return app, window


def replay(app, window, digits) -> tuple[float, list[float]]:
    from gui.common.automation import draw_strokes

    tab = window.digit_tab
    correct, latencies = 0, []
    for d in digits:
        tab.canvas.clear()
        draw_strokes(tab.canvas, d.strokes)
        started = time.perf_counter()  # the release was the last event delivered
        if not wait_for_label(app, tab):
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        text = tab.prediction.text()
        if text[:1] == str(d.label):
            correct += 1
    return correct / max(1, len(digits)), latencies


def event_loop_lag(app, window) -> list[float]:
    """A 10 ms timer measures its own lateness while the default CNN trains (then is cancelled)."""
    from PySide6.QtCore import QTimer

    from engine.digits.models import DigitParams

    tab = window.digit_tab
    lags: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lags.append(max(0.0, (now - last[0]) * 1000 - 10))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    tab.start_training(DigitParams.default("cnn"), "offline", None)
    deadline = time.monotonic() + 120
    while not tab.panel.status.text().startswith("Epoch") and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    last[0] = time.perf_counter()
    timer.start()
    end = time.monotonic() + LAG_SECONDS
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    tab.cancel_training()
    while tab._training is not None and time.monotonic() < end + 10:
        app.processEvents()
        time.sleep(0.01)
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
        results["gui.canvas_count"] = len(digits)
        results["gui.canvas_latency_ms.p50"], results["gui.canvas_latency_ms.p95"] = percentiles(latencies, 50, 95)
    lags = event_loop_lag(app, window)
    results["gui.event_loop_lag_ms.p99"] = percentiles(lags, 99)[0]
    results["gui.event_loop_lag_ms.max"] = round(max(lags), 1)
    window.close()
    app.processEvents()

    # a fresh process finds the cached model saved above (or by the digits benchmark)
    cold = startup_times()  # the first start after training: OS file cache partly cold
    results["gui.window_shown_seconds.first_start"] = cold.get("window_shown")
    results["gui.first_prediction_seconds.first_start"] = cold.get("digit_model_ready")
    figures = startup_times()
    results["gui.window_shown_seconds"] = figures.get("window_shown")
    results["gui.first_prediction_seconds"] = figures.get("digit_model_ready")
