"""The light part of the Tables engine: model names and sizes, mining settings, and the example list. Nothing here imports pandas or scikit-learn (~3 s), so the window can name them
at start-up; the heavy modules are imported by the tasks themselves, off the GUI thread."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from engine.core.i18n import N_, t

MODEL_NAMES = ("tree", "forest", "boosting", "mlp")
TREE_MODELS = ("tree", "forest", "boosting")
MODEL_LABEL_IDS = {"tree": N_("Decision tree"), "forest": N_("Random forest"), "boosting": N_("Gradient boosting"),
                   "mlp": N_("Neural network (Keras MLP)")}
CV_MAX_ROWS = 20_000  # above, cross-validation samples this many rows (the final models learn from all)
# Size rules for large tables, each told to the person as a notice when it applies (``mining.size_notices``).
# Each tree of the forest draws half the rows, at most FOREST_MAX_SAMPLES: below 2 × that nothing changes.
FOREST_MAX_SAMPLES = 20_000
LARGE_TABLE_ROWS = 50_000  # above, the final forest grows at most LARGE_TABLE_TREES trees
LARGE_TABLE_TREES = 50
FIT_JOBS = max(1, min(2, os.cpu_count() or 1))  # the forest's threads: the two cores the app is made for


# The file names a table may have (engine.tables.reading's formats): the window accepts these when dropped.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".dat", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet", ".pq")
# The cross-validation's metrics in people's words (the keys stay the JSON's and the CLI's).
METRIC_LABEL_IDS = {"mse": N_("mean squared error"), "mae": N_("mean absolute error"),
                    "r2": N_("R² (variance explained)"),
                    "accuracy": N_("accuracy"), "balanced_accuracy": N_("balanced accuracy"),
                    "f1_macro": N_("macro F1"), "roc_auc": N_("ROC AUC")}
LOWER_IS_BETTER = ("mse", "mae")


def model_label(name: str) -> str:
    return t(MODEL_LABEL_IDS.get(name, name))


def metric_label(key: str) -> str:
    return t(METRIC_LABEL_IDS.get(key, key))


@dataclass(frozen=True)
class ModelSizes:
    """How big the models are; tests pass small but real ones."""

    tree_depth: int | None = 6
    tree_min_leaf: int = 2
    n_trees: int = 100
    forest_min_leaf: int = 2
    boosting_iter: int = 200
    mlp_epochs: int = 400  # at most: early stopping ends most runs far sooner
    mlp_hidden: tuple[int, ...] = (32, 16)
    mlp_max_rows: int = 5000  # the network trains on at most this many rows per fit (sampled)


@dataclass(frozen=True)
class MineSettings:
    models: tuple[str, ...] = MODEL_NAMES
    sizes: ModelSizes = field(default_factory=ModelSizes)
    impute: str = "median"  # or "drop": rows with a missing feature are left out (and counted)
    top_k: int | None = None  # keep only the k columns with the most mutual information (chosen per fold)
    folds: int = 5
    cv_max_rows: int = CV_MAX_ROWS


@dataclass(frozen=True)
class Example:
    key: str
    label_id: str
    target: str
    offline: bool = True

    @property
    def label(self) -> str:
        return t(self.label_id)


EXAMPLES: tuple[Example, ...] = (
    Example("boston", N_("Boston housing (regression: MEDV, median home value)"), "MEDV"),
    Example("diabetes", N_("Diabetes progression (regression, scikit-learn)"), "target"),
    Example("wine", N_("Wine cultivars (classification, scikit-learn)"), "cultivar"),
    Example("breast_cancer", N_("Breast cancer diagnosis (classification, scikit-learn)"), "diagnosis"),
    Example("california", N_("California housing (regression; downloaded once, then cached)"), "MedHouseVal",
            offline=False),
)
