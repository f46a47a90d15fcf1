"""The model card (JSON) and README of an exported table model: what it learned from and how well it
did, the columns it expects and how to feed them, each written from the mining result itself.

The README's code blocks (indented by four spaces after a line ending in ":") are generated from
the card, with a row of typical values (what the imputers fill in) and a row of missing cells, and
tests run them as they are.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import datetime
from importlib import metadata
from typing import Any

import numpy as np

from engine.core.i18n import N_, t
from engine.core.versions import library_versions
from engine.tables.mining import MineResult
from engine.tables.roles import CLASSIFICATION, DATE_PARTS, model_frame, reason_text
from engine.tables.settings import model_label

CARD_FORMAT, CARD_VERSION = "deepmine-table-model", 1
MAX_LISTED_CATEGORIES = 50
SOURCE_KEYS = ("path", "format", "sha256", "size", "encoding", "delimiter", "decimal", "sheet", "example")


def _clean(value: Any) -> Any:
    """JSON-safe: NaN/inf → None, NumPy scalars → Python."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _fitted_values(pipe: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(column → the value its imputer fills in, category column → the categories its encoder knows)."""
    filled, categories = {}, {}
    for step, transformer, columns in pipe.named_steps["clean"].transformers_:
        if not len(columns) or not hasattr(transformer, "named_steps"):
            continue
        for column, value in zip(columns, transformer.named_steps["impute"].statistics_):
            filled[str(column)] = _clean(value)
        encoder = transformer.named_steps.get("ordinal") or transformer.named_steps.get("one_hot")
        if step == "cat" and encoder is not None:
            for column, cats in zip(columns, encoder.categories_):
                categories[str(column)] = [str(c) for c in cats]
    return filled, categories


def _date_parts(result: MineResult, table: Any) -> dict[str, tuple[str, str]]:
    """Model input column → (the date column it comes from, the part)."""
    out = {}
    for feature in result.roles.features:
        is_date = (table.kinds.get(feature) == "date") if table is not None else \
            f"{feature}.year" in result.input_columns and feature not in result.input_columns
        if is_date:
            for part in DATE_PARTS:
                out[f"{feature}.{part}"] = (feature, part)
    return out


def _inputs(result: MineResult, pipe: Any, kinds: dict[str, str], table: Any) -> list[dict[str, Any]]:
    filled, categories = _fitted_values(pipe)
    parts = _date_parts(result, table)
    frame = model_frame(table.frame, table.kinds, result.roles.features) if table is not None else None
    inputs = []
    for column, kind in kinds.items():
        entry: dict[str, Any] = {"column": column, "kind": kind,
                                 "dtype": "float64" if kind == "number" else "object (str)",
                                 "missing": "NaN" if kind == "number" else "None",
                                 "imputed_with": filled.get(column)}
        if column in parts:
            entry["kind"] = "date part"
            entry["from_column"], entry["part"] = parts[column]
            if parts[column][1] == "weekday":
                entry["note"] = "Monday = 0 … Sunday = 6"
        if kind == "category":
            known = categories.get(column, [])
            entry["categories"] = known[:MAX_LISTED_CATEGORIES]
            entry["categories_count"] = len(known)
        elif frame is not None and column in frame:
            values = frame[column].to_numpy(dtype=np.float64)
            if np.isfinite(values).any():
                entry["observed_min"], entry["observed_max"] = _clean(np.nanmin(values)), _clean(np.nanmax(values))
        inputs.append(entry)
    return inputs


def _cleaning(result: MineResult, pipe: Any, kinds: dict[str, str], name: str) -> dict[str, Any]:
    filled, _ = _fitted_values(pipe)
    network = name == "mlp"
    return {
        "rows_read": result.rows_read, "rows_used": result.rows_used,
        "rows_without_target_dropped": result.dropped_target,
        "rows_with_missing_features_dropped": result.dropped_missing,
        "missing_values": result.settings.impute,
        "imputed": [{"column": c, "cells": n, "filled_with": filled.get(c),
                     "strategy": "median" if kinds.get(c) == "number" else "most frequent"}
                    for c, n in result.imputed.items() if c in kinds],
        "categories": "one-hot (rare ones share one column)" if network else "ordinal codes (unknown = -1)",
        "numbers_scaled": network,
        "outliers_flagged_kept": dict(result.outliers),
        "top_k": result.settings.top_k,
        "selected_columns": list(kinds) if result.settings.top_k else None,
    }


def table_model_card(result: MineResult, table_name: str, name: str, pipe: Any, kinds: dict[str, str], *,
                     table: Any = None, files: dict[str, str], trusted: list[str], onnx_name: str | None,
                     onnx_signature: dict[str, Any], onnx_reason: str) -> dict[str, Any]:
    """Everything a person needs to know to trust and to use the exported model."""
    source = dict(table.source) if table is not None else {}
    versions = dict(library_versions())
    for dist in ("skops", "skl2onnx", "onnx"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    dates = {column for column, _ in _date_parts(result, table).values()}
    feature_kinds = {f: "date" if f in dates else kinds.get(f, "not selected (top k)") for f in result.roles.features}
    metric = "balanced_accuracy" if result.task == CLASSIFICATION else "mse"
    return {
        "format": CARD_FORMAT, "format_version": CARD_VERSION,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "table": {"name": table_name, "rows": result.rows_read,
                  "source": {k: source[k] for k in SOURCE_KEYS if k in source}},
        "target": result.target, "task": result.task,
        "classes": [str(c) for c in pipe.classes_] if result.task == CLASSIFICATION else None,
        "model": {"name": name, "label": model_label(name), "class": type(pipe.named_steps["model"]).__name__,
                  "recommended": result.best, "recommended_reason": result.best_reason,
                  "sizes": asdict(result.settings.sizes)},
        "inputs": _inputs(result, pipe, kinds, table),
        "features": feature_kinds,
        "ignored": [{"column": c, "code": r, "reason": reason_text(r)} for c, r in result.roles.ignored],
        "leakage": [{"column": f.column, "score": _clean(f.score), "metric": f.metric, "kept": f.kept}
                    for f in result.leaks],
        "cleaning": _cleaning(result, pipe, kinds, name),
        "cross_validation": {"folds": result.settings.folds, "rows": result.cv_rows, "recommended_by": metric,
                             "mean": {m: {k: _clean(v) for k, v in s.items()} for m, s in result.cv.items()},
                             "std": {m: {k: _clean(v) for k, v in s.items()} for m, s in result.cv_std.items()}},
        "exported": name,
        "files": files,
        "skops": {"file": f"{name}.skops", "trusted_types": trusted},
        "onnx": {"file": onnx_name, **(onnx_signature or {}), "reason_missing": onnx_reason or None},
        "versions": versions,
        "notices": list(result.notices),
    }


def _literal(value: Any, kind: str) -> str:
    if kind != "category":
        return "float('nan')" if value is None else repr(float(f"{float(value):.6g}"))
    return repr(str(value)) if value is not None else "None"


# the README's words for the card's kinds and date parts (the card keeps the plain keys)
KIND_WORDS = {"number": N_("number"), "category": N_("category"), "date part": N_("date part"), "year": N_("year"),
              "month": N_("month"), "weekday": N_("weekday")}


def readme_text(card: dict[str, Any]) -> str:
    """The README: what the model is, the columns it expects, and loading code that runs as written."""
    inputs = card["inputs"]
    classify = card["task"] == CLASSIFICATION
    lines = [t("DeepMine Workbench table model: {model} predicting {target} ({task}) from the table {table}.",
               model=card["model"]["label"], target=card["target"], task=t(card["task"]), table=card["table"]["name"]),
             "=" * 72, "",
             t("The model card ({card}) holds the cross-validated scores of every mined model, the cleaning steps "
               "with their counts, the column roles, leakage flags and library versions.", card="model-card.json"), "",
             t("Input columns (a pandas DataFrame for skops; numbers as float64 with NaN for a missing cell, "
               "categories as object with None for a missing cell):")]
    for entry in inputs:
        extra = ""
        if entry.get("from_column"):
            part = t(KIND_WORDS.get(entry["part"], entry["part"]))
            extra = " " + t("({part} of the date column {column})", part=part, column=entry["from_column"])
        kind_words = t(KIND_WORDS.get(entry["kind"], entry["kind"]))
        lines.append(f"  - {entry['column']}: {kind_words}{extra}")
    lines += ["", t("scikit-learn + skops (pip install scikit-learn skops; DeepMine is not needed):"), "",
              "    import pandas as pd",
              "    import skops.io as sio", "",
              f"    trusted = {card['skops']['trusted_types']!r}  # only scikit-learn's own types",
              f"    model = sio.load({card['skops']['file']!r}, trusted=trusted)",
              "    rows = pd.DataFrame({"]
    for entry in inputs:
        kind = "number" if entry["kind"] != "category" else "category"
        dtype = '"float64"' if kind == "number" else "object"
        lines.append(f"        {entry['column']!r}: pd.Series([{_literal(entry['imputed_with'], kind)}, "
                     f"{_literal(None, kind)}], dtype={dtype}),")
    lines += ["    })", "    print(model.predict(rows))"]
    if classify:
        lines.append("    print(model.classes_, model.predict_proba(rows))")
    onnx = card["onnx"]
    lines.append("")
    if onnx.get("file"):
        lines += [t("ONNX (pip install onnxruntime): one input per column, shape (N, 1), float32 with NaN or "
                    "strings with \"\" for a missing cell:"), "",
                  "    import numpy as np",
                  "    import onnxruntime as ort", "",
                  f"    session = ort.InferenceSession({onnx['file']!r}, providers=[\"CPUExecutionProvider\"])",
                  "    feeds = {"]
        by_column = {e["column"]: e for e in inputs}
        for spec in onnx["inputs"]:
            value = by_column[spec["column"]]["imputed_with"]
            if spec["type"] == "float":
                array = f"np.array([[{_literal(value, 'number')}], [np.nan]], dtype=np.float32)"
            else:
                array = f"np.array([[{_literal(value, 'category')}], [\"\"]], dtype=object)"
            lines.append(f"        {spec['name']!r}: {array},  # {spec['column']}")
        lines.append("    }")
        if classify:
            lines += ["    label, probabilities = session.run(None, feeds)",
                      "    print(label, probabilities)  # probabilities in the order of the card's \"classes\""]
        else:
            lines += ["    (prediction,) = session.run(None, feeds)", "    print(prediction[:, 0])"]
    else:
        lines.append(t("No ONNX file: {reason}", reason=onnx.get("reason_missing") or "-"))
    return "\n".join(lines) + "\n"


def readme_code_blocks(text: str) -> list[str]:
    """The README's code blocks, as they would be copied (for tests and for the curious)."""
    blocks, current, inside = [], [], False
    for line in text.splitlines():
        if line.startswith("    ") or (inside and not line.strip()):
            inside = True
            current.append(line[4:])
        elif inside:
            blocks.append("\n".join(current).strip() + "\n")
            current, inside = [], False
    if current:
        blocks.append("\n".join(current).strip() + "\n")
    return blocks

