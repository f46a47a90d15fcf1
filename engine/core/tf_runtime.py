"""Lazy TensorFlow/Keras import: ~5 s here, so never at module import and never on the GUI thread."""

from __future__ import annotations

import os
import threading
from types import ModuleType

from engine.core.heap import freeze_long_lived_objects

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
            freeze_long_lived_objects()  # ~170,000 objects TensorFlow keeps for good
        return _keras


def tf() -> ModuleType:
    keras()
    import tensorflow

    return tensorflow


def is_loaded() -> bool:
    return _keras is not None
