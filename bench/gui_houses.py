"""House GUI figure: input change → housePrediction updated, measured on the real window."""

from __future__ import annotations

import time

import numpy as np

from bench.common import SignalCount, percentiles, wait_until


def run(results: dict) -> None:
    from PySide6.QtWidgets import QApplication, QDoubleSpinBox

    from gui.common.app import create_app
    from gui.main_window import MainWindow, WindowOptions

    app = create_app()
    window = MainWindow(options=WindowOptions(modal_errors=False))  # the app's model sizes; no modal boxes
    window.resize(1280, 800)
    window.show()
    window.tabs.setCurrentWidget(window.house_tab)
    tab = window.house_tab
    ready = SignalCount(tab.modelsReady)
    tab.start_background_work()
    if not wait_until(app, lambda: ready.count > 0, 300):
        raise RuntimeError("the house models did not become ready")
    shown: list[float] = []
    tab.predictionShown.connect(lambda: shown.append(time.perf_counter()))
    rm = window.findChild(QDoubleSpinBox, "feature_RM")
    lstat = window.findChild(QDoubleSpinBox, "feature_LSTAT")
    rng = np.random.default_rng(0)
    latencies = []
    for i in range(400):
        before = len(shown)
        widget = rm if i % 2 else lstat
        value = float(rng.uniform(4, 8.5)) if widget is rm else float(rng.uniform(2, 30))
        started = time.perf_counter()
        widget.setValue(value)  # what typing or the arrows do: valueChanged
        while len(shown) == before and time.perf_counter() - started < 2:
            QApplication.processEvents()
        if len(shown) > before:
            latencies.append((shown[-1] - started) * 1000)
        # let the background forest/boosting answer arrive, as between a person's keystrokes
        end = time.perf_counter() + 0.01
        while time.perf_counter() < end:
            QApplication.processEvents()
    results["houses.predict_latency_ms.p50"], results["houses.predict_latency_ms.p95"] = \
        percentiles(latencies[10:], 50, 95)
    results["houses.predict_latency_count"] = len(latencies)
    window.close()
    app.processEvents()
