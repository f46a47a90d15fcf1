"""The Compare workspace's event-loop lag: a 10 ms timer measures its own lateness while the
quick comparison runs from an empty cache in the real window (offscreen)."""

from __future__ import annotations

import os
import tempfile
import time

from bench.common import LagMeter, percentiles, wait_until


def run(results: dict) -> None:
    from gui.common.app import create_app
    from gui.main_window import MainWindow, WindowOptions

    os.environ["DEEPMINE_HOME"] = tempfile.mkdtemp(prefix="deepmine-compare-gui-")  # an empty cell cache
    app = create_app()
    window = MainWindow(options=WindowOptions(modal_errors=False))
    window.resize(1280, 800)
    window.show()
    window.start_background_work()  # as at launch: TensorFlow is imported and the digit model loaded first
    wait_until(app, window.isDigitModelReady, 300)
    window.tabs.setCurrentWidget(window.compare_tab)
    tab = window.compare_tab
    meter = LagMeter()
    worst: list[tuple[float, str]] = [(0.0, "")]

    def note_worst() -> None:  # what the window was showing when it stalled longest: where to look
        if meter.lags and meter.lags[-1] > worst[0][0]:
            worst[0] = (meter.lags[-1], tab.status.text())

    meter.timer.timeout.connect(note_worst)
    done: list[bool] = []
    tab.comparisonFinished.connect(lambda: done.append(True))
    started = time.monotonic()
    tab.preset.setCurrentIndex(tab.preset.findData("quick"))  # as a person chooses it
    tab.run()
    meter.start()
    wait_until(app, lambda: bool(done), 1200)
    lags = meter.stop()
    results["compare.gui.seconds"] = round(time.monotonic() - started, 1)
    p99, = percentiles(lags, 99)
    results["compare.gui.event_loop_lag_ms.p99"] = p99
    results["compare.gui.event_loop_lag_ms.max"] = round(max(lags), 1) if lags else None
    results["compare.gui.event_loop_lag_ms.over_150"] = sum(lag > 150 for lag in lags)
    results["compare.gui.worst_stall_during"] = worst[0][1]
    window.close()
