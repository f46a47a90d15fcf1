"""Models a person can take out of the app: a folder with the Keras file, its LiteRT conversion and
a TensorFlow SavedModel (Keras' own ``model.export``), the model card as JSON and a README with a
loading snippet that works.

``export_digit_model_job`` needs TensorFlow: the app runs it in its worker (``in_worker``), the CLI
in its own process. The folder is built beside its destination and moved there in one step; an
existing destination is never replaced unless the caller says so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from engine.core.cache import sha256_file
from engine.core.errors import CacheError
from engine.core.i18n import t
from engine.core.staged_folder import staged_folder
from engine.core.tasks import Progress, Task

KERAS_NAME, TFLITE_NAME, SAVED_MODEL_NAME = "digits.keras", "digits.tflite", "saved_model"
CARD_NAME, README_NAME = "model-card.json", "README.txt"

DIGITS_README = """DeepMine Workbench digit model ({arch})
=======================================

Input: float32 images of shape (N, 28, 28), white ink (1.0) on black (0.0), the digit centred as in MNIST.
Output: (N, 10) probabilities of the digits 0-9. What it learned from and how well it does: {card}.

Keras (safe mode: the file cannot run code):

    import keras, numpy as np
    model = keras.saving.load_model("{keras}", safe_mode=True)
    x = np.zeros((1, 28, 28), np.float32)
    print(model.predict(x).argmax(axis=1))

LiteRT / TensorFlow Lite (pip install ai-edge-litert; no TensorFlow needed):

    from ai_edge_litert.interpreter import Interpreter
    import numpy as np
    it = Interpreter(model_path="{tflite}"); it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], np.zeros((1, 28, 28), np.float32))
    it.invoke(); print(it.get_tensor(it.get_output_details()[0]["index"]).argmax(axis=1))

TensorFlow SavedModel (also for TensorFlow Serving, TF.js and other converters):

    import tensorflow as tf, numpy as np
    model = tf.saved_model.load("{saved}")
    print(model.serve(np.zeros((1, 28, 28), np.float32)).numpy().argmax(axis=1))
"""


def export_digit_model_job(keras_path: str, tflite_path: str, card: dict[str, Any], out_dir: str,
                           overwrite: bool = False) -> Task[list[str]]:
    """Write the exported folder; returns the names of what it holds."""
    from engine.core import tf_runtime

    out = Path(out_dir)
    with staged_folder(out_dir, overwrite, inputs=(keras_path, tflite_path)) as staging:
        yield Progress(0.1, t("Copying the Keras and LiteRT files…"), "stage")
        shutil.copyfile(keras_path, staging / KERAS_NAME)
        shutil.copyfile(tflite_path, staging / TFLITE_NAME)
        yield Progress(0.3, t("Writing the TensorFlow SavedModel…"), "stage")
        keras = tf_runtime.keras()
        try:
            model = keras.saving.load_model(keras_path, compile=False, safe_mode=True)
        except Exception as exc:  # noqa: BLE001 — any failure to load is a damaged file
            raise CacheError("The model file {name} cannot be read ({reason}).", name=Path(keras_path).name,
                             reason=exc) from exc
        model.export(str(staging / SAVED_MODEL_NAME), format="tf_saved_model", verbose=False)
        files = {KERAS_NAME: sha256_file(staging / KERAS_NAME), TFLITE_NAME: sha256_file(staging / TFLITE_NAME)}
        full_card = dict(card) | {"exported_files": files, "input": {"shape": [None, 28, 28], "dtype": "float32",
                                                                     "range": "0 (background) to 1 (ink)"},
                                  "output": {"shape": [None, 10], "meaning": "probability of each digit 0-9"}}
        (staging / CARD_NAME).write_text(json.dumps(full_card, indent=2, ensure_ascii=False, default=str),
                                         encoding="utf-8")
        (staging / README_NAME).write_text(DIGITS_README.format(
            arch=str(card.get("arch", "?")).upper(), card=CARD_NAME, keras=KERAS_NAME, tflite=TFLITE_NAME,
            saved=SAVED_MODEL_NAME), encoding="utf-8")
        yield Progress(0.95, t("Finishing {path}…", path=out.name), "stage")
    return sorted(p.name for p in out.iterdir())
