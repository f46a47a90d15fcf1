"""`deepmine predict-house` and `deepmine train-houses`.

Everything the person gave — NAME=VALUE pairs, every cell of the CSV file, where the result
goes — is checked before the models are trained, so a mistake costs one line at once, not
a traceback after the training.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.core.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict-house", help=t("price a house (or a CSV of houses)"),
                       description=t("Price a house from NAME=VALUE pairs (missing features take the data set's "
                                     "median), or every house of a CSV file."))
    p.add_argument("values", nargs="*", metavar="NAME=VALUE", help=t("feature values, e.g. RM=6.5 LSTAT=4"))
    p.add_argument("--csv", type=Path, help=t("CSV file of houses to price"))
    p.add_argument("--out", type=Path,
                   help=t("where to write the priced CSV (.csv or .txt; default: <file>-priced.csv); it keeps every "
                          "column of the input and adds the prices"))
    p.add_argument("--force", action="store_true", help=t("replace the output file if it exists"))
    _number_options(p)
    p.add_argument("--max-depth", default="6", metavar="N", help=t("decision tree depth, 1 to 100 (default: 6)"))
    p.add_argument("--no-b", action="store_true", help=t("train without the B column"))
    p.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    p.set_defaults(handler=_predict)

    q = sub.add_parser("train-houses", help=t("train the house models and print the cross-validation table"))
    q.add_argument("--csv", type=Path, help=t("train on your own CSV instead of the Boston data"))
    _number_options(q)
    q.add_argument("--max-depth", default="6", metavar="N", help=t("decision tree depth, 1 to 100 (default: 6)"))
    q.add_argument("--no-b", action="store_true", help=t("train without the B column"))
    q.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    q.set_defaults(handler=_train)


def _number_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--decimal", choices=[".", ","], metavar="{.|,}",
                   help=t("the decimal mark of the CSV's numbers (default: detected from the file)"))
    p.add_argument("--fill", choices=["median"],
                   help=t("replace CSV cells that are not numbers by the column median and list each replacement "
                          "(default: refuse the file, naming the cell)"))


MAX_DEPTH = 100  # scikit-learn's trees take any int; past this it is a typing mistake (or an overflow)


def _max_depth(args: argparse.Namespace) -> int:
    from engine.cli.options import whole_number

    return whole_number("--max-depth", args.max_depth, 1, MAX_DEPTH)


def _train_models(args: argparse.Namespace, data):
    from engine.houses.models import HouseParams, train_house_models

    return train_house_models(data, HouseParams(max_depth=_max_depth(args), drop_b=args.no_b))


def _parse_values(values: list[str], no_b: bool = False) -> dict[str, float]:
    """NAME=VALUE items → checked values (``validate_house_values``), refused before any work."""
    from engine.core.errors import InputError
    from engine.houses.validation import split_pairs, validate_house_values

    given = validate_house_values(split_pairs(values))
    if no_b and "B" in given:
        raise InputError("B is given, but --no-b trains without it; leave one out.")
    return given


def _refuse_mixed_options(args: argparse.Namespace) -> None:
    from engine.core.errors import InputError

    if args.csv is not None and args.values:
        raise InputError("Give either --csv FILE or NAME=VALUE pairs, not both (the pairs would not be used: {pairs}).",
                         pairs=" ".join(args.values))
    if args.csv is None:
        for option, value in (("--out", args.out), ("--decimal", args.decimal), ("--fill", args.fill)):
            if value is not None:
                raise InputError("{option} only applies with --csv FILE.", option=option)


def _predict(args: argparse.Namespace) -> int:
    from engine.cli.output import notice, print_json
    from engine.houses.boston import load_boston

    _refuse_mixed_options(args)
    _max_depth(args)  # before any work
    if args.csv is not None:
        return _predict_csv(args)
    given = _parse_values(args.values, args.no_b)
    models = _train_models(args, load_boston())
    defaults = {f: v for f, v in models.medians.items() if f not in given}
    pred = models.predict({**models.medians, **given})
    explanation = models.explain(pred)
    if args.json:
        print_json({"price": pred.price, "per_model": pred.per_model, "error_bar": pred.error_bar,
                    "explanation": explanation, "path": [s.__dict__ for s in pred.path],
                    "out_of_range": list(pred.out_of_range), "defaults_used": defaults, "inputs": pred.inputs})
        return 0
    from engine.houses.models import model_label

    print(t("Predicted price: {price:.1f} (± {err:.1f}) thousand dollars", price=pred.price, err=pred.error_bar))
    for name, value in pred.per_model.items():
        print(f"  {model_label(name)}: {value:.1f}")
    print(t("Why: {explanation}", explanation=explanation))
    if pred.out_of_range:
        notice(t("Warning: outside the training data for {names} — the model has never seen a house like this.",
                 names=", ".join(pred.out_of_range)))
    if defaults:
        notice(t("Typical (median) values were used for {names}.", names=", ".join(defaults)))
    return 0


def _predict_csv(args: argparse.Namespace) -> int:
    from engine.cli.output import notice, print_json
    from engine.core.output_paths import CSV_SUFFIXES, check_output
    from engine.houses.boston import FEATURES, load_boston
    from engine.houses.csv_io import (outside_training_range, read_house_batch, repairs_path, write_house_batch,
                                      write_repairs)

    out = args.out or args.csv.with_name(args.csv.stem + "-priced.csv")
    check_output(out, inputs=(args.csv,), force=args.force, allowed_suffixes=CSV_SUFFIXES)
    _max_depth(args)
    features = [f for f in FEATURES if not (args.no_b and f == "B")]
    batch = read_house_batch(args.csv, features, decimal=args.decimal, fill=args.fill)
    boston = load_boston()
    outside = outside_training_range(batch, boston.ranges())
    notes_out = None
    if batch.repairs or outside:
        notes_out = check_output(repairs_path(out), inputs=(args.csv,), force=args.force)
    models = _train_models(args, boston)
    rows = write_house_batch(models, batch, out, outside)
    if notes_out is not None:
        write_repairs(batch.repairs, notes_out, outside)
    if batch.repairs:
        _list_repairs(batch, notes_out, notice)
    if outside:
        _list_outside(batch, outside, notes_out, notice)
    if args.json:
        print_json({"rows": rows, "output": str(out), "decimal": batch.decimal,
                    "repairs": [r.__dict__ for r in batch.repairs],
                    "outside_training_range": [o.__dict__ for o in outside],
                    "repairs_file": str(notes_out) if notes_out else None})
    else:
        print(t("Priced {n} houses → {path}", n=rows, path=out))
    return 0


def _list_outside(batch, outside, path: Path, notice) -> None:
    """Rows the models never saw the like of: how many, the first ones, and where the full list is."""
    from engine.houses.csv_io import MAX_LISTED

    lines = sorted({o.line for o in outside})
    notice(t("Warning: {n} of {total} house(s) in {name} are outside the training data (lines {lines}); the models "
             "have never seen such houses, so treat their prices with care. The full list is in {path}.",
             n=len(lines), total=len(batch.records), name=batch.path.name,
             lines=", ".join(str(n) for n in lines[:MAX_LISTED]) + (" …" if len(lines) > MAX_LISTED else ""),
             path=str(path)))


def _list_repairs(batch, path: Path, notice) -> None:
    """The repair report on stderr: how many, where the full list is, and the first cells."""
    from engine.houses.csv_io import MAX_LISTED

    notice(t("{n} cell(s) of {name} were not usable numbers and were replaced by the column median; the full list "
             "is in {path}.", n=len(batch.repairs), name=batch.path.name, path=str(path)))
    for r in batch.repairs[:MAX_LISTED]:
        notice(t("  line {line}, {column}: {value!r} → {replacement}", line=r.line, column=r.column,
                 value=r.original[:40], replacement=f"{r.replacement:.6g}"))
    if len(batch.repairs) > MAX_LISTED:
        notice(t("… and {n} more replaced cells.", n=len(batch.repairs) - MAX_LISTED))


def _train(args: argparse.Namespace) -> int:
    from engine.cli.output import print_json
    from engine.houses.boston import load_boston
    from engine.houses.csv_io import import_house_csv
    from engine.houses.models import model_label

    if args.csv is None:
        args.values, args.out = [], None
        _refuse_mixed_options(args)
    _max_depth(args)
    data = import_house_csv(args.csv, decimal=args.decimal, fill=args.fill) if args.csv else load_boston()
    models = _train_models(args, data)
    info = models.info
    if args.json:
        print_json({"data": info.provenance.label, "rows": info.provenance.n_samples,
                    "cv": [s.__dict__ for s in info.cv], "recommended": info.recommended,
                    "test_rmse": info.test_rmse, "quality_actions": info.quality.actions if info.quality else []})
        return 0
    print(t("{data}: {n} houses, 5-fold cross-validation", data=info.provenance.label, n=info.provenance.n_samples))
    print(f"{'':20} {'MSE':>8} {'MAE':>8} {'R²':>8}")
    for s in info.cv:
        mark = " *" if s.model == info.recommended else ""
        print(f"{model_label(s.model):20} {s.mse:8.2f} {s.mae:8.2f} {s.r2:8.3f}{mark}")
    if info.quality:
        for action in info.quality.actions:
            print("  - " + action)
    return 0
