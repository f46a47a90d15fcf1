"""The ``deepmine`` command line: every engine feature without a display.

Subcommands live in small modules (``digits``, ``houses``, ``report``, ``compare``) that each
``register`` their parsers; this module owns the shared options and the exit codes. What they
print goes through ``engine.cli.output`` (they never import this module: no cycle).
A ``DeepMineError`` becomes one clear line on stderr and exit code 2. Answers go to stdout;
notices (a rebuilt model, a replaced cell, a fallback data set) go to stderr whether or not it
is a terminal, unless ``-q``; progress bars only on a terminal; library logs only with ``-v``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from engine import __version__
from engine.cli.output import (EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, _state, end_progress, finish_stdout,  # noqa: F401
                               notice, output_failed, print_json, quiet_broken_pipe, set_quiet, stdout_missing,
                               terminal_progress)
from engine.core.errors import Cancelled, DeepMineError
from engine.core.i18n import set_language, system_language, t
# TensorFlow's C++ start-up chatter (oneDNN, CPU features, "All log messages before
# absl::InitializeLog()") is printed before Python logging exists: only the environment stops it.
QUIET_NATIVE_LOGS = {"TF_CPP_MIN_LOG_LEVEL": "3", "GLOG_minloglevel": "3", "ABSL_MIN_LOG_LEVEL": "3",
                     "TF_CPP_MIN_VLOG_LEVEL": "0", "GRPC_VERBOSITY": "ERROR"}


def build_parser() -> argparse.ArgumentParser:
    from engine.cli import compare as cli_compare, digits as cli_digits, houses as cli_houses, report as cli_report
    from engine.cli import lab as cli_lab, project as cli_project, tables as cli_tables

    parser = argparse.ArgumentParser(
        prog="deepmine",
        description=t("DeepMine Workbench: a Keras digit recogniser and a scikit-learn house-price "
                      "explainer. Run without a command to open the desktop app."),
    )
    parser.add_argument("--version", action="version", version=f"DeepMine Workbench {__version__}")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help=t("language of messages (default: the system's)"))
    _add_output_options(parser, False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (cli_digits, cli_houses, cli_report, cli_compare, cli_tables, cli_lab, cli_project):
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
    set_quiet(bool(args.quiet))
    _quiet_libraries(bool(args.verbose))
    _route_logs(bool(args.verbose))
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    if stdout_missing():  # `deepmine … >&-`: the answer would vanish, so do no work for it
        print(t("deepmine: error: the standard output is closed, so the answer could not be printed."),
              file=sys.stderr)
        return EXIT_FAILED
    try:
        code = int(args.handler(args) or EXIT_OK)
        finish_stdout()
        return code
    except BrokenPipeError:  # `deepmine … | head -1`: the reader has what it wanted
        return quiet_broken_pipe()
    except OSError as exc:  # mostly the answer's own write: a full disk (/dev/full), an I/O error
        if exc.filename is None:
            return output_failed(exc)
        end_progress()
        print(t("deepmine: error: {message}", message=f"{exc.filename}: {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_FAILED
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
        os.environ["DEEPMINE_NATIVE_LOGS"] = "1"  # engine.core.native_quiet: TensorFlow's logs unfiltered
        return
    os.environ.update(QUIET_NATIVE_LOGS)  # a stray TF_CPP_MIN_LOG_LEVEL=0 in the shell must not undo it
    for name in ("tensorflow", "absl", "keras", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)


class _SentenceFormatter(logging.Formatter):
    """A library warning, without ``-v``, reaches the person as a sentence: no ``WARNING name:`` prefix."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


def _route_logs(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s") if verbose else _SentenceFormatter())
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


def _peek_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
