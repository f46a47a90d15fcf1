"""A mining result as a project keeps it, and the models rebuilt from it: nothing fitted is unpickled.

The scikit-learn models are retrained on the table's rows with the stored settings (the same code as
mining: ``mining.final_models_task``). The Keras network is not retrained (that needs TensorFlow and
would not give the same weights): its learned weights are stored as plain arrays, its cleaning
(imputer, scaler, one-hot) is refitted on the same rows, and it predicts with NumPy as always.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.core.errors import DataError
from engine.core.tasks import Task
from engine.tables.mining import Prepared, final_models_task, prepare
from engine.tables.pipeline import make_pipeline
from engine.tables.profile import ColumnProfile, profile_table
from engine.tables.roles import CLASSIFICATION, RoleChoice, suggest_roles
from engine.tables.settings import MineSettings
from engine.tables.table import Table

NETWORK = "mlp"


@dataclass
class RestoredMining:
    """A mining a project brought back: the table as opened, the person's role choice, the result."""

    opened: Any  # engine.tables.service.OpenedTable
    choice: RoleChoice
    entry: Any  # engine.tables.service.MinedTable


def network_state(pipe: Any) -> dict[str, Any]:
    """What the fitted network learned, as plain arrays and numbers."""
    model = pipe.named_steps["model"]
    state: dict[str, Any] = {"weights": [np.asarray(w, dtype=np.float32) for w in model.weights_],
                             "n_features_in": int(model.n_features_in_)}
    if model.task == CLASSIFICATION:
        state["classes"] = [str(c) for c in model.classes_]
    else:
        state["y_mean"], state["y_std"] = float(model.y_mean_), float(model.y_std_)
    return state


def _network(prepared: Prepared, settings: MineSettings, state: dict[str, Any]) -> Any:
    task = prepared.roles.task
    y_all = prepared.y.astype(str) if task == CLASSIFICATION else prepared.y
    pipe = make_pipeline(NETWORK, task, settings.sizes, settings.top_k, settings.impute, rows=len(y_all),
                         final=True)
    cleaned = pipe[:-1].fit(prepared.X, y_all)
    width = cleaned.transform(prepared.X.iloc[:1]).shape[1]
    weights = [np.asarray(w, dtype=np.float32) for w in state["weights"]]
    if (width != int(state["n_features_in"]) or len(weights) < 2 or len(weights) % 2
            or weights[0].ndim != 2 or weights[0].shape[0] != width):
        raise DataError("The stored network does not fit the table's columns any more; mine the table again.")
    model = pipe.named_steps["model"]
    model.weights_, model.n_features_in_ = weights, width
    if task == CLASSIFICATION:
        model.classes_ = np.asarray([str(c) for c in state["classes"]], dtype=object)
    else:
        model.y_mean_, model.y_std_ = float(state["y_mean"]), float(state["y_std"])
    return pipe


def refit_task(table: Table, choice: RoleChoice, settings: MineSettings, network: dict[str, Any] | None = None,
               profiles: list[ColumnProfile] | None = None) -> Task[tuple[Prepared, dict[str, Any]]]:
    """The rows and columns as mining prepared them, and the final models rebuilt on them."""
    profiles = profiles or profile_table(table)
    roles = suggest_roles(table, profiles, choice.target, choice.task, tuple(choice.ignore), tuple(choice.keep))
    prepared = prepare(table, roles, settings.impute)
    trees = tuple(m for m in settings.models if m != NETWORK)
    models = yield from final_models_task(prepared, settings, 0.1, 0.95, trees)
    if NETWORK in settings.models and network is not None:
        models[NETWORK] = _network(prepared, settings, network)
    return prepared, {m: models[m] for m in settings.models if m in models}
