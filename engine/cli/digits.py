"""`deepmine train` and `deepmine predict-digit`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.core.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help=t("train a digit model (and cache it)"),
                       description=t("Train a digit recogniser and store it in the model cache."))
    p.add_argument("--model", choices=["cnn", "mlp"], default="cnn", help=t("network type (default: cnn)"))
    p.add_argument("--epochs", type=int, help=t("training epochs"))
    p.add_argument("--batch-size", type=int, help=t("batch size"))
    p.add_argument("--learning-rate", type=float, help=t("learning rate"))
    p.add_argument("--seed", type=int, default=0, help=t("random seed (default: 0)"))
    p.add_argument("--data", default="auto",
                   help=t("training data: auto (full MNIST if available), offline (bundled 5,000-digit sample), "
                          "or a path to mnist.npz / IDX files"))
    p.add_argument("--no-download", action="store_true", help=t("never try to download MNIST"))
    p.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    p.set_defaults(handler=_train)

    q = sub.add_parser("predict-digit", help=t("recognise digits in image files"),
                       description=t("Print <file> <digit> <confidence> for each image, using the cached model "
                                     "(the default model is trained first if none is cached)."))
    q.add_argument("images", nargs="+", type=Path, help=t("image files (PNG, JPEG, …)"))
    q.add_argument("--json", action="store_true", help=t("print the results as JSON"))
    q.set_defaults(handler=_predict)


def _train(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from engine.cli.main import print_json, terminal_progress
    from engine.digits.models import DigitParams, save_digit_model, train_digit_model
    from engine.core.tasks import run_inline
    from engine.digits.mnist import load_training_data

    params = DigitParams.default(args.model)
    changes = {k: v for k, v in (("epochs", args.epochs), ("batch_size", args.batch_size),
                                 ("learning_rate", args.learning_rate), ("seed", args.seed)) if v is not None}
    params = replace(params, **changes)
    source, path = (args.data, None) if args.data in ("auto", "offline", "full") else ("file", args.data)
    data = run_inline(lambda progress, token: load_training_data(source, path, progress=progress, token=token,
                                                                allow_download=not args.no_download))
    if data.notice:
        print(data.notice, file=sys.stderr)
    model = run_inline(train_digit_model, data, params, progress=terminal_progress())
    if sys.stderr.isatty():
        print(file=sys.stderr)
    save_digit_model(model)
    ev = model.info.evaluation
    result = {"model": params.arch, "params": model.info.params, "data": model.info.train_provenance.label,
              "samples": model.info.train_provenance.n_samples, "accuracy": ev.accuracy if ev else None,
              "train_seconds": round(model.info.train_seconds, 1), "cache_key": model.info.cache_key}
    if args.json:
        print_json(result)
    else:
        print(t("Trained {arch} on {data} ({n} digits) in {secs:.0f} s; held-out accuracy {acc:.2%}.",
                arch=params.arch.upper(), data=result["data"], n=result["samples"], secs=model.info.train_seconds,
                acc=ev.accuracy if ev else float("nan")))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from engine.cli.main import print_json, terminal_progress
    from engine.digits.models import load_or_train_default
    from engine.core.errors import DataError
    from engine.core.tasks import run_inline
    from engine.digits.preprocess import load_image_file, preprocess_canvas

    images = []
    for path in args.images:  # read every file first: a bad one fails before minutes of training
        images.append((path, preprocess_canvas(load_image_file(path))))
    model = run_inline(load_or_train_default, progress=terminal_progress())
    rows = []
    for path, image in images:
        pred = model.predict(image)
        rows.append({"file": str(path), "digit": pred.digit, "confidence": round(pred.confidence, 4)})
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            digit = row["digit"] if row["digit"] is not None else t("no digit")
            print(f"{row['file']}\t{digit}\t{row['confidence']:.4f}")
    if not images:
        raise DataError("No image given.")
    return 0
