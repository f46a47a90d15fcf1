"""`deepmine predict-house` and `deepmine train-houses`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.core.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict-house", help=t("price a house (or a CSV of houses)"),
                       description=t("Price a house from NAME=VALUE pairs (missing features take the data set's "
                                     "median), or every house of a CSV file."))
    p.add_argument("values", nargs="*", metavar="NAME=VALUE", help=t("feature values, e.g. RM=6.5 LSTAT=4"))
    p.add_argument("--csv", type=Path, help=t("CSV file of houses to price"))
    p.add_argument("--out", type=Path, help=t("where to write the priced CSV (default: <file>-priced.csv)"))
    p.add_argument("--max-depth", type=int, default=6, help=t("decision tree depth (default: 6)"))
    p.add_argument("--no-b", action="store_true", help=t("train without the B column"))
    p.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    p.set_defaults(handler=_predict)

    q = sub.add_parser("train-houses", help=t("train the house models and print the cross-validation table"))
    q.add_argument("--csv", type=Path, help=t("train on your own CSV instead of the Boston data"))
    q.add_argument("--max-depth", type=int, default=6, help=t("decision tree depth (default: 6)"))
    q.add_argument("--no-b", action="store_true", help=t("train without the B column"))
    q.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    q.set_defaults(handler=_train)


def _models(args: argparse.Namespace, csv_path: Path | None = None):
    from engine.houses.boston import load_boston
    from engine.houses.csv_io import import_house_csv
    from engine.houses.models import HouseParams, train_house_models
    from engine.core.tasks import run_inline

    data = import_house_csv(csv_path) if csv_path else load_boston()
    params = HouseParams(max_depth=args.max_depth if args.max_depth > 0 else None, drop_b=args.no_b)
    return data, run_inline(train_house_models, data, params)


def _parse_values(values: list[str]) -> dict[str, float]:
    from engine.core.errors import InputError

    parsed = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError("Write features as NAME=VALUE, e.g. RM=6.5 (got {item!r}).", item=item)
        try:
            parsed[name.strip().upper()] = float(value)
        except ValueError as exc:
            raise InputError("{name} must be a number, not {value!r}.", name=name, value=value) from exc
    return parsed


def _predict(args: argparse.Namespace) -> int:
    from engine.cli.main import print_json
    from engine.houses.csv_io import batch_predict_csv

    given = _parse_values(args.values)
    data, models = _models(args)
    if args.csv:
        out = args.out or args.csv.with_name(args.csv.stem + "-priced.csv")
        rows = batch_predict_csv(models, args.csv, out)
        if args.json:
            print_json({"rows": rows, "output": str(out)})
        else:
            print(t("Priced {n} houses → {path}", n=rows, path=out))
        return 0
    unknown = set(given) - set(data.features)
    if unknown:
        from engine.core.errors import InputError

        raise InputError("Unknown feature {name}; the features are {names}.", name=", ".join(sorted(unknown)),
                         names=", ".join(data.features))
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
        print(t("Warning: outside the training data for {names} — the model has never seen a house like this.",
                names=", ".join(pred.out_of_range)), file=sys.stderr)
    if defaults:
        print(t("Typical (median) values were used for {names}.", names=", ".join(defaults)), file=sys.stderr)
    return 0


def _train(args: argparse.Namespace) -> int:
    from engine.cli.main import print_json
    from engine.houses.models import model_label

    data, models = _models(args, args.csv)
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
