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
    """The default model the app would use: cached by an earlier benchmark, else trained now."""
    from engine.digits.models import load_or_train_default

    return load_or_train_default(source="offline", allow_download=False)


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
