"""Native libraries' start-up chatter kept off the terminal, their real warnings and errors kept.

TensorFlow's C++ code logs through absl before any log level is read ("WARNING: All log messages
before absl::InitializeLog() is called are written to STDERR", "oneDNN custom operations are
on…", twice: two of its shared libraries do it), whatever ``TF_CPP_MIN_LOG_LEVEL`` says; LiteRT
prints "INFO: Created TensorFlow Lite XNNPACK delegate for CPU." on a model's first allocation.
Neither goes through Python, so the only place to stop them is file descriptor 2: while such a
call runs, fd 2 points at a temporary file; afterwards every line that is not known start-up
chatter is written to the real stderr, in order. With ``DEEPMINE_NATIVE_LOGS=1`` (``deepmine -v``)
nothing is filtered.
"""

from __future__ import annotations

import faulthandler
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

VERBOSE_ENV = "DEEPMINE_NATIVE_LOGS"  # "1": show native libraries' logs unfiltered
# Known start-up chatter: informational only. Warnings and errors (glog/absl "W…", "E…", "F…"
# lines, anything else) are replayed.
START_UP_CHATTER = (
    re.compile(r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"),
    re.compile(r"I\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] .*"),  # absl/glog INFO lines (oneDNN, CPU features)
    re.compile(r"To enable the following instructions: .*, in other operations, rebuild TensorFlow with the "
               r"appropriate compiler flags\."),  # the second line of the CPU-features INFO message
    re.compile(r"INFO: Created TensorFlow Lite XNNPACK delegate for CPU\."),
)

_lock = threading.Lock()
_state: dict = {"depth": 0, "saved_fd": None, "capture": None, "faulthandler": False}


def is_chatter(line: str) -> bool:
    """Whether one line of native stderr output is known start-up chatter."""
    text = line.rstrip("\r\n")
    return any(pattern.fullmatch(text) for pattern in START_UP_CHATTER)


def filter_chatter(data: bytes) -> bytes:
    """``data`` without its chatter lines; every other byte kept as written."""
    lines = data.splitlines(keepends=True)
    return b"".join(line for line in lines if not is_chatter(line.decode("utf-8", "replace")))


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Run the body with fd 2 captured; replay what it wrote, less the chatter, when it ends.

    Process-wide (fd 2 is): what other threads print meanwhile is captured too and replayed
    after, never dropped unless it is chatter. Nested or concurrent uses share one capture. A
    process without a usable fd 2 (a windowed app on Windows) runs the body as is.
    """
    if os.environ.get(VERBOSE_ENV) == "1" or not _start():
        yield
        return
    try:
        yield
    finally:
        _stop()


def _start() -> bool:
    with _lock:
        if _state["depth"]:
            _state["depth"] += 1
            return True
        _flush_python_stderr()
        try:
            saved = os.dup(2)
        except OSError:
            return False
        capture = tempfile.TemporaryFile(prefix="deepmine-stderr-")
        try:
            os.dup2(capture.fileno(), 2)
        except OSError:
            os.close(saved)
            capture.close()
            return False
        # A native crash while fd 2 is captured: Python's fatal-error report still reaches the terminal.
        _state["faulthandler"] = not faulthandler.is_enabled()
        if _state["faulthandler"]:
            faulthandler.enable(file=saved)
        _state.update(depth=1, saved_fd=saved, capture=capture)
        return True


def _stop() -> None:
    with _lock:
        _state["depth"] -= 1
        if _state["depth"]:
            return
        _flush_python_stderr()
        saved, capture = _state["saved_fd"], _state["capture"]
        os.dup2(saved, 2)
        if _state["faulthandler"]:
            faulthandler.disable()
        os.close(saved)
        _state.update(saved_fd=None, capture=None, faulthandler=False)
        try:
            capture.seek(0)
            kept = filter_chatter(capture.read())
        finally:
            capture.close()
        while kept:
            try:
                written = os.write(2, kept)
            except OSError:  # stderr closed meanwhile: nothing left to tell
                return
            kept = kept[written:]


def _flush_python_stderr() -> None:
    """Text Python buffered for fd 2 goes where fd 2 pointed when it was written."""
    for stream in (sys.stderr, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
