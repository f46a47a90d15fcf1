"""Keeping Python's cycle collector from freezing the window.

A full collection walks every object the collector tracks while holding the interpreter lock;
with TensorFlow in the window's process (no longer: it lives in the worker) that took 245 ms, and
a figure render's burst of short-lived objects still triggers full passes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while a burst of short-lived objects exists (e.g. a figure being rendered),
    so they are not promoted to the oldest generation and never trigger a full pass."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
