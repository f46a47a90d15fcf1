"""The ``deepmine`` command line: every engine feature without a display.

Subcommands live in small modules (``cli_digits``, ``cli_houses``, ``cli_report``) that each
``register`` their parsers; this module owns the shared options, output and exit codes.
A ``DeepMineError`` becomes one clear line on stderr and exit code 2. Answers go to stdout;
notices (a rebuilt model, a replaced cell, a fallback data set) go to stderr whether or not it
is a terminal, unless ``-q``; progress bars only on a terminal; library logs only with ``-v``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from engine import __version__
from engine.core.errors import Cancelled, DeepMineError
from engine.core.i18n import set_language, system_language, t
from engine.core.tasks import Progress

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
WIDTH = 120
_state = {"quiet": False, "line_open": False, "last": ""}
# TensorFlow's C++ start-up chatter (oneDNN, CPU features, "All log messages before
# absl::InitializeLog()") is printed before Python logging exists: only the environment stops it.
QUIET_NATIVE_LOGS = {"TF_CPP_MIN_LOG_LEVEL": "3", "GLOG_minloglevel": "3", "ABSL_MIN_LOG_LEVEL": "3",
                     "TF_CPP_MIN_VLOG_LEVEL": "0", "GRPC_VERBOSITY": "ERROR"}


def build_parser() -> argparse.ArgumentParser:
    from engine.cli import compare as cli_compare, digits as cli_digits, houses as cli_houses, report as cli_report

    parser = argparse.ArgumentParser(
        prog="deepmine",
        description=t("DeepMine Workbench: a Keras digit recogniser and a scikit-learn house-price "
                      "explainer. Run without a command to open the desktop app."),
    )
    parser.add_argument("--version", action="version", version=f"DeepMine Workbench {__version__}")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help=t("language of messages (default: the system's)"))
    _add_output_options(parser, False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (cli_digits, cli_houses, cli_report, cli_compare):
        module.register(sub)
    for command in sub.choices.values():  # `deepmine predict-house -q …` works too
        _add_output_options(command, argparse.SUPPRESS)
    return parser


def _add_output_options(parser: argparse.ArgumentParser, default: object) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="store_true", default=default, help=t("show log messages"))
    group.add_argument("-q", "--quiet", action="store_true", default=default,
                       help=t("print no notices or progress, only the answer and errors"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _peek_lang(argv)
    set_language(lang or system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    _state.update(quiet=bool(args.quiet), line_open=False, last="")
    _quiet_libraries(bool(args.verbose))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.handler(args) or EXIT_OK)
    except Cancelled:
        end_progress()
        print(t("Cancelled."), file=sys.stderr)
        return EXIT_FAILED
    except DeepMineError as exc:
        end_progress()
        print(t("deepmine: error: {message}", message=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        end_progress()
        print(t("Interrupted."), file=sys.stderr)
        return 130
    finally:
        end_progress()


def _quiet_libraries(verbose: bool) -> None:
    """Before TensorFlow is imported: no native start-up chatter, no Python library logs, unless ``-v``."""
    if verbose:
        return
    os.environ.update(QUIET_NATIVE_LOGS)  # a stray TF_CPP_MIN_LOG_LEVEL=0 in the shell must not undo it
    for name in ("tensorflow", "absl", "keras", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)


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


def notice(message: str) -> None:
    """Something the person needs to know: one line on stderr, terminal or pipe alike (not with ``-q``)."""
    if _state["quiet"] or not message:
        return
    end_progress()
    print(message, file=sys.stderr, flush=True)


def end_progress() -> None:
    """Finish a progress line redrawn on a terminal, so what follows starts on its own line."""
    if _state["line_open"]:
        sys.stderr.write("\n")
        sys.stderr.flush()
        _state["line_open"] = False


def terminal_progress(prefix: str = "") -> Any:
    """A progress callback: a redrawn line on a terminal, stage lines in a log; notices always."""
    interactive = sys.stderr.isatty()

    def report(p: Progress) -> None:
        if p.stage == "notice":
            notice(p.message)
            return
        if _state["quiet"] or (not p.message and p.fraction is None):
            return
        pct = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
        line = f"{prefix}{pct}{p.message}"
        if interactive:
            sys.stderr.write("\r" + line[:WIDTH].ljust(WIDTH))
            sys.stderr.flush()
            _state["line_open"] = True
        elif p.stage in ("epoch", "stage", "download", "") and p.message != _state["last"]:
            print(line, file=sys.stderr)
            _state["last"] = p.message

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
