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


def startup_probe(command: list[str], env: dict[str, str] | None = None, timeout: float = 300) -> dict[str, float]:
    """Seconds from spawning the app (``command``, run with ``-v``) to each start-up milestone it
    logs (``start-up: window shown`` → ``window_shown``, ``workspaces_shown``, ``digit_model_ready``),
    timed here as the lines arrive; the app is ended once its digit model is ready."""
    import os
    import queue
    import subprocess
    import threading
    import time

    lines: "queue.Queue[tuple[float, str | None]]" = queue.Queue()
    started = time.monotonic()
    proc = subprocess.Popen([*command, "-v"], env=dict(env or os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)

    def read() -> None:
        for line in proc.stderr:
            lines.put((time.monotonic(), line))
        lines.put((time.monotonic(), None))

    threading.Thread(target=read, daemon=True).start()
    figures: dict[str, float] = {}
    deadline = started + timeout
    try:
        while "digit_model_ready" not in figures:
            try:
                at, line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            if "start-up: " in line:
                event = line.split("start-up: ", 1)[1].strip().replace(" ", "_")
                figures.setdefault(event, round(at - started, 2))
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
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
