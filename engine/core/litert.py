"""LiteRT (TensorFlow Lite) inference without TensorFlow: ~0.1 s to import, ~0.15 ms per digit.

The window's process never imports TensorFlow; live recognition and the CLI's predictions run
``.tflite`` files converted from the Keras models (``keras_model.export(path, format="litert")``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np


class LiteModel:
    """One ``.tflite`` model with a single float32 input and output; thread-safe ``run``."""

    def __init__(self, path: str | os.PathLike[str], num_threads: int = 1) -> None:
        from ai_edge_litert.interpreter import Interpreter

        from engine.core.native_quiet import quiet_native_stderr

        self.path = Path(path)
        # The first allocation applies the XNNPACK delegate, whose C++ code prints "INFO: Created
        # TensorFlow Lite XNNPACK delegate for CPU." on stderr: done here, with that line filtered.
        with quiet_native_stderr():
            self._interpreter = Interpreter(model_path=str(self.path), num_threads=num_threads)
            self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]
        self._output = self._interpreter.get_output_details()[0]
        self._shape = tuple(int(d) for d in self._input["shape_signature"])  # -1 = any size
        self._batch = -1
        self._lock = threading.Lock()

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self._shape

    def run(self, x: np.ndarray) -> np.ndarray:
        """The model's output for a batch ``x`` (first axis = batch)."""
        x = np.ascontiguousarray(x, dtype=np.float32)
        with self._lock:
            if x.shape[0] != self._batch:
                self._interpreter.resize_tensor_input(self._input["index"], list(x.shape))
                self._interpreter.allocate_tensors()
                self._batch = x.shape[0]
            self._interpreter.set_tensor(self._input["index"], x)
            self._interpreter.invoke()
            return np.array(self._interpreter.get_tensor(self._output["index"]))


def export_litert(keras_model: object, path: str | os.PathLike[str]) -> Path:
    """Convert a Keras model to ``path`` (.tflite), atomically. Needs TensorFlow: worker only."""
    from engine.core.atomic import atomic_path

    path = Path(path)
    with atomic_path(path, suffix=".tflite") as tmp:
        keras_model.export(str(tmp), format="litert", verbose=False)  # type: ignore[attr-defined]
    return path
