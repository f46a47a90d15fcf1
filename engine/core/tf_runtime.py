"""Lazy TensorFlow/Keras import: ~5 s here, so never at module import and never on the GUI thread."""

from __future__ import annotations

import os
import threading
from types import ModuleType

_lock = threading.Lock()
_keras: ModuleType | None = None


def keras() -> ModuleType:
    """Import Keras (TensorFlow backend) once, with quiet logs and the machine's cores."""
    global _keras
    with _lock:
        if _keras is None:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            os.environ.setdefault("KERAS_BACKEND", "tensorflow")
            import tensorflow as tf

            cores = os.cpu_count() or 2
            try:
                tf.config.threading.set_intra_op_parallelism_threads(cores)
                tf.config.threading.set_inter_op_parallelism_threads(min(2, cores))
            except RuntimeError:  # already initialised by someone else: keep their settings
                pass
            import keras as _k

            _keras = _k
            freeze_long_lived_objects()
        return _keras


def freeze_long_lived_objects() -> None:
    """Take everything alive now out of the cycle collector's reach (``gc.freeze``).

    TensorFlow's import leaves ~170,000 long-lived objects; every full collection then walked
    them all — 245 ms here, holding the interpreter lock — and froze the window for that long,
    every few seconds while plots were drawn. Objects freed later by reference counting are
    freed as usual; only cycles among what is alive now are never collected.
    """
    import gc

    gc.freeze()


def tf() -> ModuleType:
    keras()
    import tensorflow

    return tensorflow


def is_loaded() -> bool:
    return _keras is not None
