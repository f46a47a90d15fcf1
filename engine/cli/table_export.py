"""`deepmine export-model --kind table TABLE --target COL [...] OUT`: mine the table as `deepmine mine`
does, then write the chosen model (default: the recommended one) as a skops file, ONNX where the
converter supports it, its model card and a README (``engine.tables.model_export``).

The export-model command reads its positionals between the options (``TABLE --target y OUT``), which
plain argparse refuses: ``allow_intermixed`` lets its parser use argparse's own intermixed parsing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from engine.core.i18n import t

DIGIT_MODELS = ("trained", "shipped")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The table options of export-model (the names and meanings of `deepmine mine`'s)."""
    from engine.cli.tables import add_mining_options

    parser.add_argument("table", type=Path, nargs="?", metavar="TABLE",
                        help=t("--kind table: the table file to mine"))
    parser.add_argument("--target", metavar="COL", help=t("--kind table: the column to predict"))
    add_mining_options(parser)


def allow_intermixed(parser: argparse.ArgumentParser) -> None:
    """Parse this (sub)parser with ``parse_known_intermixed_args``, so TABLE and OUT may sit between options."""
    plain = parser.parse_known_args
    busy: list[bool] = []

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        if busy:  # argparse's intermixed parsing calls the plain parse twice
            return plain(args, namespace)
        busy.append(True)
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            busy.pop()

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]


def digit_model_choice(args: argparse.Namespace) -> str:
    """The digit model asked for (default: the trained one); ``InputError`` for table-only arguments."""
    from engine.core.errors import InputError

    if args.table is not None:
        raise InputError("--kind digits takes only the output folder, not {value}.", value=str(args.table))
    if args.model is not None and args.model not in DIGIT_MODELS:
        raise InputError("--model {value} is a table model; for --kind digits use trained or shipped.",
                         value=args.model)
    return args.model or "trained"


def export_table(args: argparse.Namespace) -> int:
    from engine.cli.output import notice, terminal_progress
    from engine.cli.tables import run_mining
    from engine.core.errors import InputError
    from engine.core.staged_folder import check_destination
    from engine.core.tasks import run_task
    from engine.tables.model_export import CARD_NAME, export_table_model_task

    if args.table is None and (args.ignore or args.keep):
        raise InputError("The output folder was read as a column name: every word after --ignore or --keep is a "
                         "column. Put TABLE and OUT before them, or end their list with --.")
    if args.table is None or not args.target:
        raise InputError("--kind table needs the table and its target: deepmine export-model --kind table TABLE "
                         "--target COL OUT.")
    if args.model in DIGIT_MODELS:
        raise InputError("--model {value} is for --kind digits; a table model is tree, forest, boosting or mlp.",
                         value=args.model)
    mined = [m.strip() for m in args.models.split(",") if m.strip()]
    if args.model is not None and args.model not in mined:
        raise InputError("--model {name} is not among the mined models ({models}).", name=args.model,
                         models=", ".join(mined))
    check_destination(args.out, args.force, inputs=[args.table])  # a taken folder is refused before the mining
    table, result = run_mining(args)
    names = run_task(export_table_model_task(result, table.name, args.model, args.out, args.force, table=table),
                     terminal_progress(t("export: ")))
    card = json.loads((args.out / CARD_NAME).read_text(encoding="utf-8"))
    if not card["onnx"].get("file"):
        notice(t("No ONNX file for {model}: {reason}", model=card["model"]["label"],
                 reason=card["onnx"].get("reason_missing") or "-"))
    for name in names:
        print(args.out / name)
    return 0
