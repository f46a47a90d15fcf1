"""Live recognition as a task: the newest drawing's prediction, then (if wanted) its saliency.

Run under a task owner, a newer drawing supersedes this one at its next ``yield``, so a stale
drawing never costs the saliency gradient.
"""

from __future__ import annotations

import numpy as np

from engine.core.tasks import Progress, Task
from engine.digits.models import DigitModel


def recognise_task(model: DigitModel, canvas: np.ndarray, want_saliency: bool = False) -> Task[None]:
    """Yields stage "prediction" (data["prediction"]: DigitPrediction) then stage "saliency"
    (data["saliency"]: (28, 28) in [0, 1]) when asked for and a digit was found."""
    from engine.digits.preprocess import preprocess_canvas  # SciPy: imported here, off the GUI thread

    image28 = preprocess_canvas(canvas)
    prediction = model.predict(image28)
    yield Progress(None, "", "prediction", {"prediction": prediction})
    if want_saliency and image28 is not None:
        yield Progress(None, "", "saliency", {"saliency": model.saliency(image28)})
