"""The ``deepmine`` command line: every engine feature without a display.

Subcommands live in small modules (``cli_digits``, ``cli_houses``, ``cli_report``) that each
``register`` their parsers; this module owns the shared options, output and exit codes.
A ``DeepMineError`` becomes one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from engine import __version__
from engine.core.errors import Cancelled, DeepMineError
from engine.core.i18n import set_language, system_language, t
from engine.core.tasks import Progress

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    from engine.cli import compare as cli_compare, digits as cli_digits, houses as cli_houses, report as cli_report

    parser = argparse.ArgumentParser(
        prog="deepmine",
        description=t("DeepMine Workbench: a Keras digit recogniser and a scikit-learn house-price "
                      "explainer. Run without a command to open the desktop app."),
    )
    parser.add_argument("--version", action="version", version=f"DeepMine Workbench {__version__}")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help=t("language of messages (default: the system's)"))
    parser.add_argument("-v", "--verbose", action="store_true", help=t("show log messages"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (cli_digits, cli_houses, cli_report, cli_compare):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _peek_lang(argv)
    set_language(lang or system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.handler(args) or EXIT_OK)
    except Cancelled:
        print(t("Cancelled."), file=sys.stderr)
        return EXIT_FAILED
    except DeepMineError as exc:
        print(t("deepmine: error: {message}", message=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(t("Interrupted."), file=sys.stderr)
        return 130


def _peek_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def print_json(data: Any) -> None:
    """Machine-readable output for ``--json``: one JSON document on stdout."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def terminal_progress(prefix: str = "") -> Any:
    """A progress callback that redraws one line on stderr (only when it is a terminal)."""
    interactive = sys.stderr.isatty()

    def report(p: Progress) -> None:
        if not p.message and p.fraction is None:
            return
        pct = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
        line = f"{prefix}{pct}{p.message}"
        if interactive:
            sys.stderr.write("\r" + line[:120].ljust(120))
            sys.stderr.flush()
        elif p.stage in ("epoch", "stage", "download", ""):
            print(line, file=sys.stderr)

    return report


def _default(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
