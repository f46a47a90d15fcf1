"""What every ``deepmine`` subcommand prints, and how: progress lines, notices, JSON, file names in
tab-separated lines, exit codes, and the Unix rules for a standard output that cannot take it.

Its own module so the subcommands (``engine.cli.digits`` …) never import ``engine.cli.main``,
which imports them: no cycle.
"""

from __future__ import annotations

import errno
import json
import math
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from engine.core.i18n import t
from engine.core.tasks import Progress

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# what `cat` answers when the reader of its pipe went away: killed by SIGPIPE, 128 + 13, no message
EXIT_BROKEN_PIPE = 128 + getattr(signal, "SIGPIPE", 13)
WIDTH = 120
_state = {"quiet": False, "line_open": False, "last": ""}
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def set_quiet(quiet: bool) -> None:
    _state.update(quiet=quiet, line_open=False, last="")


def print_json(data: Any) -> None:
    """Machine-readable output for ``--json``: one valid JSON document on stdout.

    NaN and infinities are not JSON (``json.dump`` would write ``NaN``): they become ``null``.
    """
    json.dump(json_safe(data), sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite number replaced by None and NumPy values made plain."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            return json_safe(value.tolist())
        if isinstance(value, np.generic):
            return json_safe(value.item())
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def tsv_field(text: str) -> str:
    """A file name as one field of a tab-separated line: a tab, newline or backslash in it is
    written as ``\\t``, ``\\n``, ``\\\\`` (``--json`` gives names exactly)."""
    return text.translate(_TSV_ESCAPES)


def notice(message: str) -> None:
    """Something the person needs to know: one line on stderr, terminal or pipe alike (not with ``-q``)."""
    if _state["quiet"] or not message:
        return
    end_progress()
    print(message, file=sys.stderr, flush=True)


def problem(message: str) -> None:
    """A failure the person must see even with ``-q`` (a file that could not be read)."""
    end_progress()
    print(t("deepmine: error: {message}", message=message), file=sys.stderr, flush=True)


def end_progress() -> None:
    """Finish a progress line redrawn on a terminal, so what follows starts on its own line."""
    if _state["line_open"]:
        sys.stderr.write("\n")
        sys.stderr.flush()
        _state["line_open"] = False


def terminal_progress(prefix: str = "") -> Callable[[Progress], None]:
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


# --- standard output that cannot take the answer ------------------------------------------------
def stdout_missing() -> bool:
    """True when the command was started with its standard output closed (``>&-``)."""
    if sys.stdout is None:
        return True
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a file at all (a test's capture, a StringIO)
        return False
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def finish_stdout() -> None:
    """Flush the answer now, so that a write error is seen here and not at interpreter exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


def quiet_broken_pipe() -> int:
    """The reader went away (``… | head -1``): stop quietly, as ``cat`` does.

    Standard output is pointed at the null device so that Python's final flush at exit cannot
    print "Exception ignored … BrokenPipeError".
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_BROKEN_PIPE


def output_failed(exc: OSError) -> int:
    """The answer could not be written (a full disk, a closed or broken output): one line, exit 1."""
    if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
        return quiet_broken_pipe()
    reason = exc.strerror or str(exc)
    try:
        end_progress()
        print(t("deepmine: error: the output could not be written: {reason}", reason=reason), file=sys.stderr,
              flush=True)
    except (OSError, ValueError, AttributeError):
        pass
    if sys.stdout is not None:
        try:  # drop what is still buffered: it cannot be written, and must not fail again at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass
    return EXIT_FAILED
