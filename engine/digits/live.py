"""Live recognition as a task: the newest drawing's prediction, through LiteRT in this process.

Run under a task owner, a newer drawing supersedes this one. The saliency map is a separate
job for the TensorFlow worker (``engine.digits.app_tasks.saliency_task``): the prediction never
waits for it.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from engine.core.results import DigitPrediction
from engine.core.tasks import Progress, Task


class Recogniser(Protocol):
    def predict(self, image28: np.ndarray | None) -> DigitPrediction: ...


def recognise_task(model: Recogniser, canvas: np.ndarray) -> Task[DigitPrediction]:
    """Yields stage "prediction" (data["prediction"]: DigitPrediction) and returns it."""
    from engine.digits.preprocess import preprocess_canvas  # SciPy: imported here, off the GUI thread

    prediction = model.predict(preprocess_canvas(canvas))
    yield Progress(None, "", "prediction", {"prediction": prediction})
    return prediction
