"""Helpers shared by the benchmark modules."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def percentiles(values: list[float], *qs: float) -> list[float]:
    return [round(float(np.percentile(values, q)), 2) for q in qs]


def shared_data() -> Path | None:
    from engine.core.paths import shared_data_dir

    return shared_data_dir()


def mnist_test():
    """The official MNIST test set from ../shared/data, or None without it."""
    from engine.digits.mnist import load_idx_pair

    root = shared_data()
    if root is None:
        return None
    folder = root / "mnist-test"
    return load_idx_pair(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")


def pendigits(limit: int | None = None):
    from engine.digits.pendigits import read_pendigits

    root = shared_data()
    if root is None:
        return None
    return read_pendigits(root / "pendigits" / "pendigits-orig.tra", limit)


def default_digit_model():
    """The model the app starts with: the person's saved one if they chose it, else the shipped
    model (trained now only if neither loads)."""
    from engine.core.tasks import run_task
    from engine.digits.service import DigitSettings, startup_model_task

    return run_task(startup_model_task(DigitSettings("offline", allow_download=False)))


def startup_probe(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Start the app with ``--startup-probe``: seconds from spawn to window shown / model ready."""
    import os
    import subprocess
    import time

    env = dict(env or os.environ, DEEPMINE_PROBE_T0=repr(time.time()))
    out = subprocess.run([*command, "--startup-probe"], env=env, capture_output=True, text=True, timeout=300)
    figures = {}
    for line in out.stdout.splitlines():
        if line.startswith("probe "):
            _, event, seconds = line.split()
            figures[event] = round(float(seconds), 2)
    return figures


class LagMeter:
    """A 10 ms Qt timer that records how late each tick fires: the event loop's lag, in ms."""

    def __init__(self) -> None:
        import time

        from PySide6.QtCore import QTimer

        self.lags: list[float] = []
        self._clock = time.perf_counter
        self._last = self._clock()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = self._clock()
        self.lags.append(max(0.0, (now - self._last) * 1000 - 10))
        self._last = now

    def start(self) -> None:
        self._last = self._clock()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.lags


class SignalCount:
    """Counts a Qt signal's emissions, so a benchmark can wait for the next one without
    reading a widget's private state (e.g. ``DigitTab.predictionShown``)."""

    def __init__(self, signal) -> None:
        self.count = 0
        signal.connect(self._emitted)

    def _emitted(self, *_args) -> None:
        self.count += 1

    def wait_beyond(self, app, count: int, timeout: float) -> bool:
        """Process events until more than ``count`` emissions were seen (busy: latencies are in ms)."""
        import time

        deadline = time.perf_counter() + timeout
        while self.count <= count:
            app.processEvents()
            if time.perf_counter() > deadline:
                return False
        return True


def wait_until(app, condition, timeout: float) -> bool:
    """Run the event loop until ``condition()`` or the timeout; True when it became true."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.005)
    return True
