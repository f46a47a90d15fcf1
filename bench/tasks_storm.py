"""Task-owner figures (architecture issue): threads during a start/cancel training storm, and Qt
objects left behind by a thousand live house-price edits."""

from __future__ import annotations

import gc
import os
import time

from bench.common import wait_until

STORM = 20
EDITS = 1000


def os_threads() -> int:
    """Every thread of this process (Python, Qt's pool, TensorFlow's), as the OS counts them."""
    return len(os.listdir("/proc/self/task"))


def live_worker_signals() -> int:
    from superqt.utils._qthreading import WorkerBaseSignals

    return sum(isinstance(o, WorkerBaseSignals) for o in gc.get_objects())


def run(results: dict) -> None:
    from PySide6.QtCore import QObject, QThreadPool

    from engine.digits.models import DigitParams
    from engine.digits.service import DigitSettings
    from engine.houses.service import HouseSettings
    from gui.common.app import create_app
    from gui.main_window import MainWindow, WindowOptions

    tiny = DigitParams(arch="mlp", epochs=3, batch_size=64, dropout=0.0, augment=False, typeset_copies=0)
    app = create_app()
    window = MainWindow(options=WindowOptions(digits=DigitSettings("offline", False, tiny),
                                              houses=HouseSettings({"n_trees": 20, "boosting_iter": 60}),
                                              modal_errors=False))
    window.show()
    window.start_background_work()
    wait_until(app, window.isDigitModelReady, 300)
    house = window.house_tab
    house.start_background_work()
    wait_until(app, lambda: house.models is not None, 120)
    tab = window.digit_tab
    # warm-up: one training so TensorFlow's own thread pools exist before the baseline
    tab.start_training(tiny, "offline", None, 1000)
    wait_until(app, lambda: not tab.tasks.is_running("training"), 120)
    wait_until(app, lambda: QThreadPool.globalInstance().activeThreadCount() == 0, 10)
    baseline = os_threads()
    peak = baseline
    for _ in range(STORM):
        tab.start_training(tiny, "offline", None, 2000)
        for _ in range(5):
            app.processEvents()
            peak = max(peak, os_threads())
        tab.cancel_training()
        app.processEvents()
        peak = max(peak, os_threads())
    deadline = time.monotonic() + 60
    while tab.tasks.is_running() and time.monotonic() < deadline:
        app.processEvents()
        peak = max(peak, os_threads())
        time.sleep(0.002)
    results["gui.threads.max_during_retrain_storm_over_baseline"] = peak - baseline
    results["gui.threads.baseline"] = baseline

    rm = house.inputs["RM"]
    wait_until(app, lambda: not house.tasks.is_running(), 60)
    for _ in range(5):
        app.processEvents()
    gc.collect()
    before_objects = len(window.findChildren(QObject))
    before_signals = live_worker_signals()
    for i in range(EDITS):
        rm.setValue(5.0 + (i % 30) / 10)
        app.processEvents()
    wait_until(app, lambda: not house.tasks.is_running(), 60)
    for _ in range(20):
        app.processEvents()
    gc.collect()
    leaked = (len(window.findChildren(QObject)) - before_objects) + (live_worker_signals() - before_signals)
    results["gui.qobjects_leaked_per_1000_edits"] = round(leaked * 1000 / EDITS, 1)
    window.close()
