"""`deepmine report OUT.pdf|OUT.html`: a report from the command line.

There is no interactive session here, so the report shows the cached digit model (if any)
and freshly trained house models, with the typical (median) house and any houses given as
NAME=VALUE sets priced. The file name, the sections and the houses are checked before the
training starts.
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


def _sections(text: str) -> list[str]:
    from engine.core.errors import InputError
    from engine.workbench import SECTION_KEYS

    sections = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTION_KEYS]
    if unknown:
        raise InputError("Unknown report section {name}; the sections are {names}.", name=", ".join(unknown),
                         names=", ".join(SECTION_KEYS))
    if not sections:
        raise InputError("Choose at least one section for the report.")
    return sections


def _report(args: argparse.Namespace) -> int:
    from engine.cli.output import notice, terminal_progress
    from engine.core.cache import ModelCache
    from engine.core.errors import InputError
    from engine.core.output_paths import REPORT_SUFFIXES, check_output
    from engine.core.session import PricedHouse, Session
    from engine.houses.boston import load_boston
    from engine.houses.models import train_house_models
    from engine.houses.validation import split_pairs, validate_house_values
    from engine.workbench import write_workbench_report as write_report

    out = check_output(args.out, force=args.force, allowed_suffixes=REPORT_SUFFIXES)  # before any work
    sections = _sections(args.sections)
    houses = [validate_house_values(split_pairs(h.split(","))) for h in args.house]
    if houses and "houses" not in sections:
        raise InputError("--house needs the houses section of the report.")
    progress = terminal_progress()
    session = Session()
    if "digits" in sections:
        from engine.digits.models import load_latest_digit_model

        model = load_latest_digit_model(ModelCache(on_problem=notice))
        if model is not None:
            session.digit_model = model.info
    if "houses" in sections:
        data = load_boston()
        models = train_house_models(data, progress=progress)
        session.house_models = models.info
        for given in [{}] + houses:
            pred = models.predict(dict(data.medians(), **given))
            session.add_house(PricedHouse(pred, models.explain(pred)))
    out = write_report(session, out, sections, overwrite=True, progress=progress)
    print(t("Report saved: {name}", name=str(out)))
    return 0
