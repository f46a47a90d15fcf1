"""`deepmine compare`: both model families on both tasks, measured, as text, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from engine.core.i18n import t

CSV_FIELDS = ["task", "model", "size", "metric", "score", "score_std", "train_seconds", "predict_ms", "size_bytes",
              "explanation", "fits", "cached", "key"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help=t("compare deep learning with classic data mining on digits and houses"),
                       description=t("Train decision trees, random forests, gradient boosting and neural networks "
                                     "on digits (pixels) and houses (a table) over growing training sets, and "
                                     "measure score, training and prediction time, size and explainability. "
                                     "Finished cells are cached, so a rerun is instant."))
    p.add_argument("--preset", default="quick", metavar="{quick,full}",
                   help=t("quick (a few minutes) or full (the largest sizes; long); default: quick"))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=t("print every cell and the readings as JSON"))
    out.add_argument("--csv", metavar="OUT", help=t("write one row per cell to this CSV file (- for stdout)"))
    p.add_argument("--force", action="store_true", help=t("replace the --csv file if it exists"))
    p.add_argument("--data", type=Path, metavar="PATH",
                   help=t("training digits: mnist.npz or a folder of MNIST IDX files (default: the offline "
                          "5,000-digit sample)"))
    p.add_argument("--test", type=Path, metavar="PATH",
                   help=t("test digits: mnist.npz or a folder of IDX files (default: the test part of --data, "
                          "else a fixed held-out fifth)"))
    p.add_argument("--table", type=Path, metavar="TABLE",
                   help=t("the table half on your own table (any table format) instead of Boston; needs --target"))
    p.add_argument("--target", metavar="COL", help=t("--table: the column to predict"))
    p.add_argument("--task", choices=["regression", "classification"],
                   help=t("--table: regression or classification (default: detected from the target)"))
    p.add_argument("--ignore", nargs="+", default=[], metavar="COL", help=t("--table: columns to leave out"))
    p.add_argument("--keep", nargs="+", default=[], metavar="COL",
                   help=t("--table: keep these columns even when flagged as a leak of the target"))
    p.set_defaults(handler=_compare)


def _table_source(args: argparse.Namespace):  # noqa: ANN202 — engine.compare.table_source.TableSource | None
    from engine.core.errors import InputError

    if args.table is None:
        if args.target or args.task or args.ignore or args.keep:
            raise InputError("--target, --task, --ignore and --keep go with --table (your own table).")
        return None
    if not args.target:
        raise InputError("--table needs --target: the column to predict.")
    from engine.compare.table_source import TableSource
    from engine.tables.reading import read_table
    from engine.tables.roles import RoleChoice

    table = read_table(args.table)
    if args.target not in table.columns:
        raise InputError("{table} has no column {column}; its columns are: {columns}.", table=table.name,
                         column=args.target, columns=", ".join(map(str, table.columns)))
    return TableSource(table, RoleChoice(args.target, args.task, list(args.ignore), list(args.keep)))


def _auto_test(path: Path):
    """The test part beside the training data, when it is there (an npz with x_test, or t10k files)."""
    import numpy as np

    from engine.digits.mnist import IDX_TEST, load_mnist_file

    folder = path if path.is_dir() else path.parent
    if path.is_dir() or path.name.endswith((".gz", "-ubyte")):
        return load_mnist_file(folder, "test") if all((folder / n).exists() for n in IDX_TEST) else None
    try:
        with np.load(path, allow_pickle=False) as data:
            has_test = {"x_test", "y_test"} <= set(data.files)
    except (OSError, ValueError):
        return None
    return load_mnist_file(path, "test") if has_test else None


def _compare(args: argparse.Namespace) -> int:
    from engine.cli.output import end_progress, print_json, terminal_progress
    from engine.compare.cache import CellCache
    from engine.core.output_paths import CSV_SUFFIXES, check_output
    from engine.compare.presets import get_preset
    from engine.compare.runner import run_compare
    from engine.core.tasks import run_task
    from engine.digits.mnist import load_mnist_file

    if args.csv and args.csv != "-":  # before minutes of training, not after
        inputs = [p for p in (args.data, args.test, args.table) if p is not None]
        check_output(args.csv, inputs=inputs, force=args.force, allowed_suffixes=CSV_SUFFIXES)
    preset = get_preset(args.preset)  # an unknown name is one clear error line (exit 2)
    table = _table_source(args)
    data = load_mnist_file(args.data) if args.data else None
    test = load_mnist_file(args.test, "test") if args.test else _auto_test(args.data) if args.data else None
    # notices reach stderr in a log too; the per-cell progress lines only on a terminal
    progress = terminal_progress(t("compare: "))
    interactive = sys.stderr.isatty()
    report = progress if interactive else (lambda p: progress(p) if p.stage == "notice" else None)
    result = run_task(run_compare(preset, digits_data=data, digits_test=test, cache=CellCache(), table=table), report)
    end_progress()
    if args.json:
        from engine.compare.readings import result_with_readings

        print_json(result_with_readings(result))
    elif args.csv:
        _write_csv(result, args.csv)
    else:
        _print_text(result)
    return 0


def _write_csv(result, target: str) -> None:
    from engine.core.atomic import atomic_write_text

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for cell in result.cells:
        writer.writerow(cell.to_dict())
    if target == "-":
        sys.stdout.write(buf.getvalue())
    else:
        atomic_write_text(target, buf.getvalue())
        print(t("Wrote {n} cells to {path}.", n=len(result.cells), path=target))


def _print_text(result) -> None:
    from engine.compare.presets import model_title, task_title
    from engine.compare.readings import compare_readings, fmt_bytes, fmt_ms, fmt_score, fmt_seconds

    label = result.table.label if result.table is not None else ""
    for task in ("digits", result.table_task):
        sizes = result.sizes(task)
        if not sizes:
            continue
        metric = next(c.metric for c in result.cells if c.task == task)
        print(t("{task} — {metric}", task=task_title(task, table_label=label),
                metric=t("accuracy (higher is better)") if metric == "accuracy" else t("MSE (lower is better)")))
        width = max(len(model_title(task, m)) for m in result.models(task)) + 2
        print(" " * width + "".join(f"{s:>10,}" for s in sizes))
        for model in result.models(task):
            row = [result.cell(task, model, s) for s in sizes]
            print(model_title(task, model).ljust(width) + "".join(f"{fmt_score(c) if c else '—':>10}" for c in row))
        print()
    print(t("At the largest size: training seconds, ms per item, size on disk"))
    for task in ("digits", result.table_task):
        for model in result.models(task):
            c = result.largest(task, model)
            print(f"  {task_title(task, table_label=label)} · {model_title(task, model)}: {fmt_seconds(c.train_seconds)}, "
                  f"{fmt_ms(c.predict_ms)} ms, {fmt_bytes(c.size_bytes)}")
    print()
    for reading in compare_readings(result):
        print(f"{reading.title}: {reading.text}")
    cached = sum(c.cached for c in result.cells)
    print(t("{n} cells ({cached} from the cache) in {secs:.0f} s.", n=len(result.cells), cached=cached,
            secs=result.seconds))
