"""Plain result records of a comparison: one ``CompareCell`` per (task, model, size).

Data only (numbers and strings), so the GUI can draw them, the cache can store them as JSON and
the report can read them without knowing how a model was trained.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from engine.compare.presets import ComparePreset

# The metric of each task's cells. "houses" is Boston (the comparison's table half by default), "table" a
# person's own table: MSE when its target is a number to predict, accuracy when it is a class.
METRICS = {"digits": ("accuracy",), "houses": ("mse",), "table": ("mse", "accuracy")}
TABLE_TASKS = ("houses", "table")


def fmt_mse(value: float) -> str:
    """An MSE of any table readable at its own scale: 12,345 · 12.35 · 0.0123."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3g}"


@dataclass
class CompareCell:
    """One model trained on one training-set size of one task, and what it cost."""

    task: str  # "digits" | "houses" (Boston) | "table" (the person's table)
    model: str  # "tree" | "forest" | "boosting" | "mlp" | "cnn"
    size: int  # training digits, or training rows per CV fold
    score: float  # digits: accuracy on the held-out set; houses: cross-validated MSE; table: CV MSE or accuracy
    metric: str  # "accuracy" | "mse"
    train_seconds: float  # one training run (houses: the mean over the CV fits)
    predict_ms: float  # prediction time per item, in batches over the held-out set
    size_bytes: int  # the trained model saved (.keras, skops or pickle)
    explanation: str  # "rule_path" | "feature_importances" | "saliency"
    score_std: float = 0.0  # houses: spread of the MSE over folds and repeats
    fits: int = 1  # models trained for this cell (houses: folds × repeats)
    details: dict[str, float] = field(default_factory=dict)  # depth, leaves, parameters, epochs, r2, f1_macro, …
    folds: str = ""  # fingerprint of the (training, held-out) rows of every fit: equal = the very same folds
    key: str = ""  # cache key
    cached: bool = False  # read from the cache in this run, not trained

    @property
    def higher_is_better(self) -> bool:
        return self.metric == "accuracy"

    def better_than(self, other: "CompareCell") -> bool:
        return self.score > other.score if self.higher_is_better else self.score < other.score

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> "CompareCell":
        """Validate as well as convert: a damaged cache entry raises instead of drawing nonsense."""
        names = {f.name for f in fields(CompareCell)}
        cell = CompareCell(**{k: v for k, v in raw.items() if k in names})
        if cell.task not in METRICS or cell.metric not in METRICS[cell.task] or not isinstance(cell.model, str):
            raise ValueError("wrong task or metric")
        numbers = (cell.score, cell.train_seconds, cell.predict_ms, cell.score_std)
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in numbers):
            raise ValueError("a number is missing or not finite")
        if not isinstance(cell.size, int) or cell.size <= 0 or not isinstance(cell.size_bytes, int):
            raise ValueError("bad size")
        if not isinstance(cell.details, dict) or not isinstance(cell.explanation, str) \
                or not isinstance(cell.folds, str):
            raise ValueError("bad details")
        return cell


@dataclass
class TableInfo:
    """The person's table a comparison's table half ran on (None on a result = Boston)."""

    name: str
    target: str
    task: str  # "regression" | "classification"
    metric: str  # the cells' score: "mse" | "accuracy"
    rows_read: int  # rows in the table
    rows_used: int  # rows the comparison cross-validated (with a target; sampled above the size limit)
    features: list[str] = field(default_factory=list)  # the models' input columns
    classes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # leakage, rows left out, sampling (in the run's language)
    fingerprint: str = ""  # the table's content and the role choice: what the cells' cache keys hold

    @property
    def label(self) -> str:
        return f"{self.name} → {self.target}"

    @property
    def higher_is_better(self) -> bool:
        return self.metric == "accuracy"


@dataclass
class CompareResult:
    """Every cell of one run plus what it was run on."""

    preset: ComparePreset
    cells: list[CompareCell]
    digits_source: str = ""  # the training digits' label
    digits_test_source: str = ""  # the test set's label; "" = a fixed split held out of the training data
    digits_available: int = 0  # training digits there were
    digits_test_size: int = 0
    houses_source: str = ""
    houses_rows: int = 0
    houses_full_size: int = 0  # rows in a full training fold
    seconds: float = 0.0  # wall time of the run
    versions: dict[str, str] = field(default_factory=dict)
    complete: bool = True  # False when some cells failed or the list was built from a partial run
    table: TableInfo | None = None  # the person's table the table half ran on; None = Boston

    @property
    def table_task(self) -> str:
        """The task key of the table half: "table" (a person's table) or "houses" (Boston)."""
        if self.table is not None or any(c.task == "table" for c in self.cells):
            return "table"
        return "houses"

    def models(self, task: str) -> list[str]:
        seen: list[str] = []
        for c in self.cells:
            if c.task == task and c.model not in seen:
                seen.append(c.model)
        return seen

    def sizes(self, task: str) -> list[int]:
        return sorted({c.size for c in self.cells if c.task == task})

    def curve(self, task: str, model: str) -> list[CompareCell]:
        """One model's cells by size: a learning curve."""
        return sorted((c for c in self.cells if c.task == task and c.model == model), key=lambda c: c.size)

    def cell(self, task: str, model: str, size: int) -> CompareCell | None:
        return next((c for c in self.cells if (c.task, c.model, c.size) == (task, model, size)), None)

    def largest(self, task: str, model: str) -> CompareCell | None:
        curve = self.curve(task, model)
        return curve[-1] if curve else None

    def to_dict(self) -> dict[str, Any]:
        """The measurements as JSON-ready data (``readings.result_with_readings`` adds the sentences)."""
        return asdict(self)
