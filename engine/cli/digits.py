"""`deepmine train` and `deepmine predict-digit`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from engine.core.i18n import t

if TYPE_CHECKING:
    from engine.digits.service import DigitSettings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help=t("train a digit model (and cache it)"),
                       description=t("Train a digit recogniser and store it in the model cache."))
    p.add_argument("--model", choices=["cnn", "mlp"], default="cnn", help=t("network type (default: cnn)"))
    p.add_argument("--epochs", metavar="N", help=t("training epochs"))
    p.add_argument("--batch-size", metavar="N", help=t("batch size"))
    p.add_argument("--learning-rate", metavar="RATE", help=t("learning rate"))
    p.add_argument("--seed", default="0", metavar="N", help=t("random seed (default: 0)"))
    p.add_argument("--data", default="auto",
                   help=t("training data: auto (full MNIST if available), offline (bundled 5,000-digit sample), "
                          "or a path to mnist.npz / IDX files"))
    p.add_argument("--samples", type=_positive, metavar="N",
                   help=t("train on N randomly chosen digits of the data (default: all)"))
    p.add_argument("--no-download", action="store_true", help=t("never try to download MNIST"))
    p.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    p.set_defaults(handler=_train)

    q = sub.add_parser("predict-digit", help=t("recognise digits in image files"),
                       description=t("Print <file> <digit> <confidence> for each image, using your latest trained "
                                     "model, else the shipped one (a model is trained only if neither loads). A tab, "
                                     "newline or backslash in a file name is written as \\t, \\n, \\\\ (--json "
                                     "gives names exactly). An unreadable image is reported, the others are "
                                     "answered, and the exit code is 1."))
    q.add_argument("images", nargs="+", type=Path, help=t("image files (PNG, JPEG, …)"))
    q.add_argument("--no-download", action="store_true",
                   help=t("never try to download MNIST (if a model has to be trained)"))
    q.add_argument("--json", action="store_true", help=t("print the results as JSON"))
    q.set_defaults(handler=_predict)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(t("{value!r} is not a positive whole number", value=text))
    return value


def _settings(args: argparse.Namespace) -> tuple["DigitSettings", str | None]:
    """Where the data comes from: auto/offline/full, or a file the person named."""
    from engine.digits.service import DigitSettings

    data = getattr(args, "data", "auto")
    source, path = (data, None) if data in ("auto", "offline", "full") else ("file", data)
    return DigitSettings(source=source, allow_download=not args.no_download), path


def _params(args: argparse.Namespace):
    """The options as checked ``DigitParams``: ``InputError`` (one line, exit 2) before any work."""
    from dataclasses import replace

    from engine.cli.options import positive_number, whole_number
    from engine.digits.models import LIMITS, DigitParams

    changes = {"epochs": whole_number("--epochs", args.epochs, *LIMITS["epochs"]),
               "batch_size": whole_number("--batch-size", args.batch_size, *LIMITS["batch_size"]),
               "learning_rate": positive_number("--learning-rate", args.learning_rate, LIMITS["learning_rate"][1]),
               "seed": whole_number("--seed", args.seed, *LIMITS["seed"])}
    return replace(DigitParams.default(args.model), **{k: v for k, v in changes.items() if v is not None}).check()


def _saved(model) -> bool:
    """Whether the trained model really is in the cache (the service only says so when it is not)."""
    from engine.core.cache import ModelCache
    from engine.digits.models import CACHE_KIND

    key = model.info.cache_key
    return bool(key) and ModelCache().meta_path(CACHE_KIND, key).is_file()


def _train(args: argparse.Namespace) -> int:
    from engine.cli.output import EXIT_FAILED, end_progress, print_json, terminal_progress
    from engine.core.tasks import run_task
    from engine.digits.service import train_and_save_task

    params = _params(args)
    settings, path = _settings(args)
    # the service says what a person must know (sample data instead of MNIST, a model that
    # could not be saved) as "notice" progress: printed to stderr, terminal or not
    model = run_task(train_and_save_task(params, settings, path, args.samples), terminal_progress())
    end_progress()
    saved = _saved(model)
    ev = model.info.evaluation
    result = {"model": params.arch, "params": model.info.params, "data": model.info.train_provenance.label,
              "samples": model.info.train_provenance.n_samples, "accuracy": ev.accuracy if ev else None,
              "train_seconds": round(model.info.train_seconds, 1), "cache_key": model.info.cache_key,
              "saved": saved}
    if args.json:
        print_json(result)
    else:
        print(t("Trained {arch} on {data} ({n} digits) in {secs:.0f} s; held-out accuracy {acc:.2%}.",
                arch=params.arch.upper(), data=result["data"], n=result["samples"], secs=model.info.train_seconds,
                acc=ev.accuracy if ev else float("nan")))
    # a model that could not be cached is gone when this command ends: that is a failure, not a success
    return 0 if saved else EXIT_FAILED


def _predict(args: argparse.Namespace) -> int:
    from engine.cli.output import EXIT_FAILED, end_progress, print_json, problem, terminal_progress, tsv_field
    from engine.core.errors import DeepMineError
    from engine.core.tasks import run_task
    from engine.digits.preprocess import load_image_file, preprocess_canvas
    from engine.digits.app_tasks import startup_task  # LiteRT: no TensorFlow to recognise an image

    images, bad = [], 0
    for path in args.images:  # read every file first: a bad one is named before minutes of training
        try:
            images.append((path, preprocess_canvas(load_image_file(path))))
        except DeepMineError as exc:  # the others are still answered; the exit code says one failed
            if len(args.images) == 1:
                raise
            problem(str(exc))
            bad += 1
    if not images:
        from engine.core.errors import DataError

        raise DataError("None of the {n} images could be read.", n=bad)
    settings, _ = _settings(args)
    # the app's start-up path: the person's model, else the shipped one, else train (in the worker
    # process) — with a notice for each cache repair (leftovers of a killed save, a damaged model)
    model = run_task(startup_task(settings), terminal_progress())
    end_progress()
    rows = []
    for path, image in images:
        pred = model.predict(image)
        rows.append({"file": str(path), "digit": pred.digit, "confidence": round(pred.confidence, 4)})
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            digit = row["digit"] if row["digit"] is not None else t("no digit")
            print(f"{tsv_field(row['file'])}\t{digit}\t{row['confidence']:.4f}")
    return EXIT_FAILED if bad else 0
