"""`deepmine report OUT.pdf|OUT.html`: a report from the command line.

There is no interactive session here, so the report shows the cached digit model (if any)
and freshly trained house models, with the typical (median) house and any houses given as
NAME=VALUE sets priced.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.core.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help=t("write a PDF or HTML report"),
                       description=t("Write a report of the cached digit model and the house models as a PDF or a "
                                     "self-contained HTML page (chosen by the file's extension)."))
    p.add_argument("out", type=Path, help=t("the report file: OUT.pdf or OUT.html"))
    p.add_argument("--sections", default="digits,houses", help=t("digits, houses or both (default: both)"))
    p.add_argument("--house", action="append", default=[], metavar="NAME=VALUE,…",
                   help=t("a house to price in the report, e.g. RM=7,LSTAT=5 (repeatable)"))
    p.add_argument("--force", action="store_true", help=t("replace OUT if it exists"))
    p.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from engine.houses.boston import load_boston
    from engine.cli.main import terminal_progress
    from engine.digits.models import load_latest_digit_model
    from engine.core.errors import InputError
    from engine.houses.models import train_house_models
    from engine.report.document import report_format
    from engine.workbench import write_workbench_report as write_report
    from engine.core.session import PricedHouse, Session

    report_format(args.out)  # refuse a wrong extension before any work
    if args.out.exists() and not args.force:
        raise InputError("{name} already exists; use --force to replace it.", name=str(args.out))
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    progress = terminal_progress()
    session = Session()
    if "digits" in sections:
        model = load_latest_digit_model()
        if model is not None:
            session.digit_model = model.info
    if "houses" in sections:
        data = load_boston()
        models = train_house_models(data, progress=progress)
        session.house_models = models.info
        houses = [data.medians()] + [dict(data.medians(), **_parse_house(h)) for h in args.house]
        for inputs in houses:
            pred = models.predict(inputs)
            session.add_house(PricedHouse(pred, models.explain(pred)))
    out = write_report(session, args.out, sections, overwrite=True, progress=progress)
    print(t("Report saved: {name}", name=str(out)))
    return 0


def _parse_house(text: str) -> dict[str, float]:
    from engine.cli.houses import _parse_values

    return _parse_values(text.split(","))
