"""The house workspace's operations, without Qt: training on Boston or an imported CSV, the
depth curve, CSV import and batch pricing. GUI, CLI and benchmarks share these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.core.tasks import Progress, Task
from engine.core.i18n import t
from engine.houses.boston import HouseData, load_boston
from engine.houses.models import HouseModels, HouseParams, depth_curve_task, train_house_models_task


@dataclass(frozen=True)
class HouseSettings:
    """Model sizes the workspace trains with; tests pass small but real ensembles."""

    model_options: dict[str, Any] = field(default_factory=dict)  # e.g. {"n_trees": 20, "boosting_iter": 60}

    def params(self, **lab: Any) -> HouseParams:
        return HouseParams(**{**self.model_options, **lab})


def train_task(data: HouseData | None, params: HouseParams) -> Task[tuple[HouseData, HouseModels]]:
    """Train on ``data`` (Boston when None): returns the data and the fitted models."""
    if data is None:
        yield Progress(None, t("Loading the Boston data…"), "stage")
        data = load_boston()
    models = yield from train_house_models_task(data, params)
    return data, models


def depth_curve(data: HouseData, params: HouseParams) -> Task[list[dict[str, float]]]:
    return (yield from depth_curve_task(data, range(1, 16), params=params))
