"""Live recognition off the GUI thread.

Drawing produces requests faster than they matter: only the newest canvas is worth
predicting, so one worker thread keeps a single pending slot and drops older requests.
TensorFlow then never runs on the GUI thread, even while training keeps every core busy.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal



class LivePredictor(QObject):
    """``request(id, canvas)`` → ``predicted(id, DigitPrediction)`` (queued to the GUI thread)."""

    predicted = Signal(int, object)
    saliencyReady = Signal(int, object)  # (id, (28, 28) array in [0, 1])
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._model: Any = None
        self._pending: tuple[int, np.ndarray, bool] | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="digit-predictor", daemon=True)
        self._thread.start()

    def set_model(self, model: Any) -> None:
        with self._cond:
            self._model = model

    def request(self, request_id: int, canvas: np.ndarray, want_saliency: bool = False) -> None:
        with self._cond:
            self._pending = (request_id, canvas, want_saliency)
            self._cond.notify()

    def stop(self, timeout: float = 1.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(timeout)

    def _loop(self) -> None:
        from engine.digits.preprocess import preprocess_canvas  # SciPy: imported here, off the GUI thread

        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                request_id, canvas, want_saliency = self._pending
                self._pending = None
                model = self._model
            if model is None:
                continue
            try:
                image28 = preprocess_canvas(canvas)
                prediction = model.predict(image28)
                self.predicted.emit(request_id, prediction)
                if want_saliency and image28 is not None:
                    with self._cond:
                        newer = self._pending is not None
                    if not newer:  # a newer drawing makes this map stale: skip the costly gradient
                        self.saliencyReady.emit(request_id, model.saliency(image28))
            except Exception as exc:  # a broken model must not kill live recognition silently
                self.failed.emit(request_id, str(exc))
