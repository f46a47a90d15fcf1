"""What the Lab's views read of a saved run or guided experiment, checked before it reaches them.

A project from someone else may hold anything in ``session.lab``: a run whose accuracy is text or
whose confusion matrix is ragged would raise in a widget or a figure drawn later. Each field the
views read must be of its kind when it is there (a field they read unconditionally must be there);
fields they do not read pass as they are. ``run_problem`` / ``experiment_problem`` return the first
mismatch in a few words (to go inside a sentence naming the record), or None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.core.i18n import t

MAX_POINTS = 1_000_000  # epochs, gradient points, variants or rules in one record
MAX_SIDE = 100  # a confusion matrix's classes, a digit image's side


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or test(value)


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


def _list_of(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list) and len(value) <= MAX_POINTS and all(test(v) for v in value)


def _epoch(value: Any) -> bool:
    return isinstance(value, dict) and all(_optional(_number)(v) for k, v in value.items() if k != "diagnostics")


def _gradient_point(value: Any) -> bool:
    return isinstance(value, dict) and _whole(value.get("batch")) and _list_of(_number)(value.get("norms"))


def _matrix(value: Any, side: int | None = None, whole: bool = False) -> bool:
    """A 2-D grid of numbers (a list of rows or an array), square when ``side`` is 0."""
    try:
        grid = np.asarray(value)
    except (ValueError, TypeError):  # ragged rows
        return False
    if grid.ndim != 2 or grid.dtype.kind not in ("iu" if whole else "iuf") or not 0 < grid.shape[0] <= MAX_SIDE:
        return False
    if isinstance(value, list) and not all(isinstance(row, list) and all(_number(v) for v in row) for row in value):
        return False  # numbers only (not True/False, not text that NumPy would read as numbers)
    return grid.shape[1] == grid.shape[0] if side == 0 else grid.shape[1] <= MAX_SIDE


def _confusion(value: Any) -> bool:
    return _matrix(value, side=0, whole=True) and bool((np.asarray(value) >= 0).all())


def _rule(value: Any) -> bool:
    return isinstance(value, dict) and _number(value.get("col")) and _number(value.get("row")) and \
        _flag(value.get("goes_left"))


# field → its test; "!" before a name: the views read it whenever the record is shown (it must be there)
RUN_FIELDS: dict[str, Callable[[Any], bool]] = {
    "recipe": lambda v: isinstance(v, dict), "history": _list_of(_epoch), "gradient_norms": _list_of(_gradient_point),
    "diverged": _flag, "reason": _text, "diverged_batch": _optional(_whole), "val_accuracy": _optional(_number),
    "train_accuracy": _optional(_number), "seconds": _number, "params": _whole, "val_size": _whole,
    "train_size": _whole, "confusion": _optional(_confusion), "keras_path": _optional(_text),
    "layer_names": _list_of(_text), "epochs_run": _whole, "stopped_early": _flag, "best_epoch": _optional(_whole),
    "grad_ratio_first_last": _optional(_number), "first_layer_weight_change": _optional(_number),
}
TESTED_RUN = ("val_accuracy", "train_accuracy", "val_size", "params", "seconds")  # shown together
VARIANT_FIELDS: dict[str, Callable[[Any], bool]] = {
    "!name": _text, "!diverged": _flag, "!train_accuracy": _optional(_number), "!val_accuracy": _optional(_number),
    "!gap": _optional(_number), "!grad_ratio_first_last": _optional(_number), "!seconds": _number,
    "!train_size": _whole, "reason": _text, "diverged_batch": _optional(_whole),
    "first_layer_weight_change": _optional(_number),
}
DETAIL_FIELDS: dict[str, Callable[[Any], bool]] = {
    "!image": _matrix, "!saliency": _matrix, "!rules": _list_of(_rule), "!label": _whole,
    "!network_prediction": _whole, "!tree_prediction": _whole, "!saliency_ms": _number, "!path_ms": _number,
}


def _missing(name: str) -> str:
    return t("{field} is missing", field=name)


def _wrong(name: str) -> str:
    return t("{field} is not what the lab writes there", field=name)


def _fields_problem(record: Any, fields: dict[str, Callable[[Any], bool]]) -> str | None:
    if not isinstance(record, dict):
        return t("it is not a record")
    for spec, test in fields.items():
        name = spec.lstrip("!")
        if name not in record:
            if spec.startswith("!"):
                return _missing(name)
            continue
        if not test(record[name]):
            return _wrong(name)
    return None


def run_problem(run: Any) -> str | None:
    """Why the Lab could not show ``run`` (one of ``session.lab["runs"]``), or None."""
    problem = _fields_problem(run, RUN_FIELDS)
    if problem is None and run.get("val_accuracy") is not None:
        missing = [name for name in TESTED_RUN if run.get(name) is None]
        problem = _missing(missing[0]) if missing else None
    if problem is None and run.get("diverged") and "reason" not in run:
        problem = _missing("reason")
    return problem


def experiment_problem(name: Any, result: Any) -> str | None:
    """Why the Lab could not show the guided experiment ``result`` kept under ``name``, or None."""
    from engine.lab.experiments import EXPERIMENTS

    if name not in EXPERIMENTS or not isinstance(result, dict) or result.get("experiment") != name:
        return t("it is not one of the lab's experiments")
    variants = result.get("variants", [])
    if not isinstance(variants, list) or len(variants) > MAX_POINTS:
        return _wrong("variants")
    for variant in variants:
        problem = _fields_problem(variant, VARIANT_FIELDS)
        if problem:
            return problem
    details = result.get("details")
    if name == "explainability" and details:
        problem = _fields_problem(details, DETAIL_FIELDS)
        if problem:
            return problem
    if "settings" in result and not isinstance(result["settings"], dict):
        return _wrong("settings")
    return None

