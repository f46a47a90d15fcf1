"""`deepmine mine TABLE --target COL` and `deepmine predict-table TABLE --target COL --csv IN --out OUT`.

Any table: read (every changed cell listed on stderr), roles suggested, leakage flagged before
training, 5-fold cross-validation of the models, the recommended model. Notices go to stderr;
``--json`` prints one object on stdout.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from engine.cli import output as out_helpers
from engine.core.i18n import t

MAX_LISTED = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mine", help=t("mine any table: roles, leakage check, cross-validated models"),
                       description=t("Open a table (CSV/TSV/TXT, Excel, Parquet), choose its target, and "
                                     "cross-validate a decision tree, a random forest, gradient boosting and a Keras "
                                     "MLP on it."))
    _common(p)
    p.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    p.set_defaults(handler=_mine)

    q = sub.add_parser("predict-table", help=t("mine a table, then predict every row of another file"),
                       description=t("Mine TABLE for COL, then write the recommended model's prediction for each "
                                     "row of IN (same columns) to OUT, keeping all of IN's columns."))
    _common(q)
    q.add_argument("--csv", type=Path, required=True, metavar="IN", help=t("the rows to predict (any table format)"))
    q.add_argument("--out", type=Path, required=True, metavar="OUT", help=t("where to write the predictions (.csv)"))
    q.add_argument("--force", action="store_true", help=t("replace the output file if it exists"))
    q.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    q.set_defaults(handler=_predict)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("table", type=Path, metavar="TABLE", help=t("the table file"))
    p.add_argument("--target", required=True, metavar="COL", help=t("the column to predict"))
    add_mining_options(p)


def add_mining_options(p: argparse.ArgumentParser) -> None:
    """How to read and mine the table (every option but TABLE and --target): mine, predict-table, export-model."""
    from engine.tables.settings import MODEL_NAMES  # no scikit-learn or pandas to build the parser

    p.add_argument("--task", choices=["regression", "classification"],
                   help=t("regression or classification (default: detected from the target)"))
    p.add_argument("--ignore", nargs="+", default=[], metavar="COL", help=t("columns to leave out"))
    p.add_argument("--keep", nargs="+", default=[], metavar="COL",
                   help=t("columns to keep even if flagged (leakage, ID-like, constant, free text)"))
    p.add_argument("--models", default=",".join(MODEL_NAMES),
                   help=t("comma-separated models (default: {models})", models=",".join(MODEL_NAMES)))
    p.add_argument("--impute", choices=["median", "drop"], default="median",
                   help=t("missing values: impute median / most frequent (default) or drop the rows"))
    p.add_argument("--top-k", type=int, metavar="K", help=t("keep only the K features with the most mutual "
                                                              "information (chosen inside each fold)"))
    p.add_argument("--decimal", choices=[".", ","], metavar="{.|,}",
                   help=t("the decimal mark of the file's numbers (default: detected)"))
    p.add_argument("--encoding", help=t("the text encoding (default: detected: UTF-8, UTF-16, GBK/GB18030)"))
    p.add_argument("--sheet", help=t("the spreadsheet sheet (default: the first)"))


def _read(args: argparse.Namespace, path: Path):  # noqa: ANN202
    from engine.tables.reading import ReadOptions, read_table

    sheet: Any = args.sheet
    if sheet is not None and sheet.isdigit():
        sheet = int(sheet)
    return read_table(path, ReadOptions(decimal=args.decimal, encoding=args.encoding, sheet=sheet))


def run_mining(args: argparse.Namespace):  # noqa: ANN201 — (Table, MineResult); shared by mine, predict-table, export-model
    from engine.core.errors import InputError
    from engine.core.tasks import run_task
    from engine.tables.mining import MineSettings, mine_task
    from engine.tables.roles import RoleChoice

    out = out_helpers
    models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    if args.top_k is not None and args.top_k < 1:
        raise InputError("--top-k must be at least 1, not {value}.", value=args.top_k)
    table = _read(args, args.table)
    _list_changes(table, out.notice)
    settings = MineSettings(models=models, impute=args.impute, top_k=args.top_k)
    choice = RoleChoice(args.target, args.task, list(args.ignore), list(args.keep))
    result = run_task(mine_task(table, choice, settings), out.terminal_progress())
    out.end_progress()
    for line in result.notices:
        out.notice(line)
    return table, result


def _list_changes(table, notice) -> None:  # noqa: ANN001
    if not table.changed_cells:
        return
    notice(t("{n} cell(s) of {name} were not taken as written:", n=table.changed_cells, name=table.name))
    for c in table.changes[:MAX_LISTED]:
        notice(t("  {label} {line}, {column}: {value!r} → {result} ({reason})", label=t(table.line_label),
                 line=c.line, column=c.column, value=c.value, result=c.result or t("missing"), reason=c.reason))
    if table.changed_cells > MAX_LISTED:
        notice(t("… and {n} more; --json lists every one.", n=table.changed_cells - MAX_LISTED))


def result_json(table, result) -> dict[str, Any]:  # noqa: ANN001
    """The ``mine --json`` object (keys fixed by the issue; extras after them)."""
    from engine.tables.explain import importances
    from engine.tables.roles import reason_text

    return {
        "task": result.task, "target": result.target, "rows_read": result.rows_read, "rows_used": result.rows_used,
        "features": list(result.roles.features),
        "ignored": [{"column": c, "reason": reason_text(r), "code": r} for c, r in result.roles.ignored],
        "leakage": [{"column": f.column, "score": f.score, "metric": f.metric, "kept": f.kept} for f in result.leaks],
        "cv": {m: {k: _clean(v) for k, v in scores.items()} for m, scores in result.cv.items()},
        "best": result.best, "best_reason": result.best_reason,
        "cv_rows": result.cv_rows, "dropped_missing_target": result.dropped_target,
        "dropped_missing_features": result.dropped_missing, "imputed": result.imputed, "outliers": result.outliers,
        "confusion": result.confusion, "classes": result.classes, "model_inputs": result.input_columns,
        "importances": {c: {k: _clean(v) for k, v in d.items()} for c, d in importances(result).items()},
        "changes": [{"line": c.line, "column": c.column, "value": c.value, "result": c.result, "reason": c.reason}
                    for c in table.changes],
        "change_counts": [{"column": c, "reason": r, "cells": n} for c, r, n in table.change_summary()],
        "source": table.source, "notices": result.notices,
    }


def _clean(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and not math.isfinite(value)) else value


def _mine(args: argparse.Namespace) -> int:
    from engine.tables.pipeline import model_label
    from engine.tables.roles import reason_text

    out = out_helpers
    table, result = run_mining(args)
    if args.json:
        out.print_json(result_json(table, result))
        return 0
    print(t("{name}: {task} of {target}; {used} of {read} rows used.", name=table.name, task=t(result.task),
            target=result.target, used=result.rows_used, read=result.rows_read))
    print(t("Features: {names}", names=", ".join(result.roles.features)))
    for column, reason in result.roles.ignored:
        print(t("  left out: {column} — {reason}", column=column, reason=reason_text(reason)))
    from engine.tables.settings import metric_label

    metrics = list(next(iter(result.cv.values())))
    print(f"{'':28}" + "".join(f"{metric_label(m)[:17]:>18}" for m in metrics))
    for name, scores in result.cv.items():
        mark = " *" if name == result.best else ""
        print(f"{model_label(name)[:28]:28}" + "".join(f"{scores[m]:18.4f}" for m in metrics) + mark)
    print(t("Recommended: {reason}", reason=result.best_reason))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from engine.core.output_paths import CSV_SUFFIXES, check_output
    from engine.tables.predict import batch_predict

    out = out_helpers
    check_output(args.out, inputs=(args.csv, args.table), force=args.force, allowed_suffixes=CSV_SUFFIXES)
    table, result = run_mining(args)
    batch = batch_predict(table, result, args.csv, args.out, force=args.force)
    if batch.changes:
        out.notice(t("{n} cell(s) of {name} were not taken as written:", n=sum(batch.change_counts.values()),
                     name=args.csv.name))
        for c in batch.changes[:MAX_LISTED]:
            out.notice(t("  {label} {line}, {column}: {value!r} → {result} ({reason})", label=t("line"), line=c.line,
                         column=c.column, value=c.value, result=c.result or t("missing"), reason=c.reason))
    for line in batch.unfamiliar:
        out.notice(line)
    if args.json:
        out.print_json({"rows": batch.rows, "output": batch.output, "model": batch.model, "best": result.best,
                        "task": result.task, "target": result.target,
                        "changes": [c.__dict__ for c in batch.changes], "unfamiliar": batch.unfamiliar})
    else:
        from engine.tables.pipeline import model_label as label

        print(t("Predicted {n} rows with {model} → {path}", n=batch.rows, model=label(batch.model), path=batch.output))
    return 0
