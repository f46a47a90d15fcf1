"""Small things several test files share: a tiny real model's settings and the window options
tests start the app with (passed explicitly, never poked into the widgets afterwards)."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.digits.models import DigitParams
from engine.digits.service import DigitSettings
from engine.houses.service import HouseSettings

# A one-epoch MLP without augmentation: a real Keras model that trains in a few seconds.
TINY = DigitParams(arch="mlp", epochs=1, batch_size=64, learning_rate=2e-3, dropout=0.0, augment=False,
                   typeset_copies=0)
SMALL_HOUSES = HouseSettings(model_options={"n_trees": 20, "boosting_iter": 60})  # small real ensembles
ONE = [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]]  # a "1" in canvas unit coordinates


def offline_digits(params: DigitParams = TINY, shipped_root: Path | None = None) -> DigitSettings:
    """No network, the offline MNIST sample; ``params`` is what trains when no model loads."""
    return DigitSettings(source="offline", allow_download=False, fallback_params=params, shipped_root=shipped_root)


def window_options(params: DigitParams = TINY, shipped_root: Path | None = None):
    from gui.main_window import WindowOptions

    return WindowOptions(digits=offline_digits(params, shipped_root), houses=SMALL_HOUSES, modal_errors=False)


def install_models(models: Path) -> None:
    """Copy a prepared models folder into this test's data dir (the person's saved models)."""
    from engine.core.paths import models_dir

    shutil.copytree(models, models_dir(), dirs_exist_ok=True)
