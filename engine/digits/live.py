"""Live recognition as a task: the newest drawing's prediction, through LiteRT in this process.

The picture network (CNN) reads the 28×28 image; when the drawing has pen strokes and the pen-path
network is loaded, both answer and their probabilities are fused (``engine.digits.online_recogniser``).
An image or a photo has no strokes and is read by the CNN alone. Run under a task owner, a newer
drawing supersedes this one. The saliency map is a separate job for the TensorFlow worker
(``engine.digits.app_tasks.saliency_task``): the prediction never waits for it.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from engine.core.results import DigitPrediction
from engine.core.tasks import Progress, Task

LOW_CONFIDENCE = 0.6  # as engine.digits.models


class Recogniser(Protocol):
    def predict(self, image28: np.ndarray | None) -> DigitPrediction: ...


def recognise_task(model: Recogniser, canvas: np.ndarray, strokes: Any = None, online: Any = None,
                   explain_path: bool = False) -> Task[DigitPrediction]:
    """Yields stage "prediction" (data: "prediction" DigitPrediction, "reading" FusedReading or None),
    then, when ``explain_path`` and the pen-path network answered, stage "path" (data["path"]:
    PathImportance). Returns the prediction."""
    from engine.digits.preprocess import preprocess_canvas  # SciPy: imported here, off the GUI thread

    prediction = model.predict(preprocess_canvas(canvas))
    reading = None
    if prediction.digit is not None and online is not None and strokes:
        from engine.digits.online_recogniser import read_drawing

        reading = read_drawing(prediction.probabilities, strokes, online)
        if reading.online_probabilities is not None:
            prediction = DigitPrediction(reading.digit, reading.confidence, reading.probabilities, prediction.input28,
                                         reading.confidence < LOW_CONFIDENCE)
    yield Progress(None, "", "prediction", {"prediction": prediction, "reading": reading})
    if explain_path and reading is not None and reading.online_probabilities is not None:
        yield Progress(None, "", "path", {"path": online.point_importance(strokes)})
    return prediction
