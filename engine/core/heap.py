"""Keeping Python's cycle collector from freezing the window.

A full collection walks every object the collector tracks while holding the interpreter lock:
245 ms here once TensorFlow was imported, and the window stalled for that long every few
seconds while plots were drawn (measured in the Compare workspace).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_long_lived_objects() -> None:
    """Take everything alive now out of the collector's reach (``gc.freeze``): call after big
    imports. Objects freed later by reference counting are freed as usual; only cycles among
    what is alive now are never collected."""
    gc.freeze()


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
