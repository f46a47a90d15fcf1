"""Lazy TensorFlow/Keras import: ~5 s here, so never at module import and never on the GUI thread.

Every TensorFlow import of the app goes through ``keras()``, in any process (the CLI, the
worker), so this is where its native start-up logs are silenced: the environment its C++ code
reads is set first, and what it still writes to fd 2 while loading is filtered
(``engine.core.native_quiet``). ``TF_ENABLE_ONEDNN_OPTS`` is left alone: turning oneDNN off would
silence its notice too, but changes which kernels run (and their float rounding).
"""

from __future__ import annotations

import os
import threading
from types import ModuleType

from engine.core.native_quiet import VERBOSE_ENV, quiet_native_stderr

# Read by TensorFlow's C++ code when it loads; without them it logs every INFO line too.
QUIET_NATIVE_LOGS = {"TF_CPP_MIN_LOG_LEVEL": "3", "GLOG_minloglevel": "3", "ABSL_MIN_LOG_LEVEL": "3",
                     "TF_CPP_MIN_VLOG_LEVEL": "0", "GRPC_VERBOSITY": "ERROR"}

_lock = threading.Lock()
_keras: ModuleType | None = None


def keras() -> ModuleType:
    """Import Keras (TensorFlow backend) once, with quiet logs and the machine's cores."""
    global _keras
    with _lock:
        if _keras is None:
            if os.environ.get(VERBOSE_ENV) != "1":  # `deepmine -v` shows them
                os.environ.update(QUIET_NATIVE_LOGS)  # a stray TF_CPP_MIN_LOG_LEVEL=0 must not undo it
            os.environ.setdefault("KERAS_BACKEND", "tensorflow")
            with quiet_native_stderr():  # absl's pre-init warning and oneDNN's notice ignore the levels
                import tensorflow as tf

                cores = os.cpu_count() or 2
                try:
                    tf.config.threading.set_intra_op_parallelism_threads(cores)
                    tf.config.threading.set_inter_op_parallelism_threads(min(2, cores))
                except RuntimeError:  # already initialised by someone else: keep their settings
                    pass
                import keras as _k

            _keras = _k
        return _keras


def tf() -> ModuleType:
    keras()
    import tensorflow

    return tensorflow


def is_loaded() -> bool:
    return _keras is not None
