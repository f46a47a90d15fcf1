"""Native start-up chatter is filtered from fd 2, everything else written there is kept, in order.

The in-process tests write to fd 2 with ``os.write`` (what C code does); the subprocess tests
import the real TensorFlow the way every process of the app does (``engine.core.tf_runtime``).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.core.native_quiet import VERBOSE_ENV, quiet_native_stderr

ROOT = Path(__file__).resolve().parent.parent
ABSL = b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
ONEDNN = (b"I0000 00:00:1796163522.946911    6432 port.cc:153] oneDNN custom operations are on. You may see "
          b"slightly different numerical results due to floating-point round-off errors.\n")
CPU = (b"I0000 00:00:1796163523.009046    6432 cpu_feature_guard.cc:227] This TensorFlow binary is optimized.\n"
       b"To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the "
       b"appropriate compiler flags.\n")
XNNPACK = b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n"
REAL_ERROR = b"E0000 00:00:1796163523.1    6432 cuda_dnn.cc:8] Unable to register a factory\n"
WARNING = b"W0000 00:00:1796163523.2    6432 op_kernel.cc:1] an op is deprecated\n"


def test_chatter_is_dropped_and_every_other_line_replayed_in_order(capfd, monkeypatch) -> None:
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    with quiet_native_stderr():
        for chunk in (ABSL, ONEDNN, REAL_ERROR, CPU, b"a plain line from C\n", XNNPACK, WARNING, b"no newline"):
            os.write(2, chunk)
        assert capfd.readouterr().err == "", "nothing reaches stderr while the call runs"
    assert capfd.readouterr().err.encode() == REAL_ERROR + b"a plain line from C\n" + WARNING + b"no newline"


def test_nothing_is_filtered_with_verbose(capfd, monkeypatch) -> None:
    monkeypatch.setenv(VERBOSE_ENV, "1")
    with quiet_native_stderr():
        os.write(2, ABSL + ONEDNN)
    assert capfd.readouterr().err.encode() == ABSL + ONEDNN


def test_nested_and_concurrent_uses_share_one_capture(capfd, monkeypatch) -> None:
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    inside, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        with quiet_native_stderr():
            os.write(2, XNNPACK + b"from the other thread\n")
            inside.set()
            release.wait(10)

    with quiet_native_stderr():
        worker = threading.Thread(target=other_thread)
        worker.start()
        assert inside.wait(10)
        with quiet_native_stderr():
            os.write(2, ONEDNN + b"nested\n")
        release.set()
        worker.join(10)
        assert capfd.readouterr().err == ""
    assert sorted(capfd.readouterr().err.splitlines()) == ["from the other thread", "nested"]
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n", "fd 2 is the real stderr again"


def import_tensorflow(**env: str) -> subprocess.CompletedProcess[str]:
    """A fresh process importing TensorFlow and Keras as the CLI and the worker do."""
    full = {k: v for k, v in os.environ.items() if k not in (VERBOSE_ENV, "GLOG_minloglevel", "ABSL_MIN_LOG_LEVEL")}
    full.update(PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="0", **env)  # a stray 0 in the person's shell
    code = "from engine.core import tf_runtime; tf_runtime.keras(); import sys; print('ready', file=sys.stderr)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, cwd=ROOT,
                          timeout=300)


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"),
                    reason="the oneDNN notice this test looks for is TensorFlow's on x86-64")
def test_importing_tensorflow_prints_nothing_but_shows_its_logs_with_verbose() -> None:
    quiet = import_tensorflow()
    assert quiet.returncode == 0 and quiet.stderr == "ready\n", quiet.stderr[-2000:]
    verbose = import_tensorflow(**{VERBOSE_ENV: "1"})
    assert verbose.returncode == 0, verbose.stderr[-2000:]
    assert "oneDNN" in verbose.stderr, "without the filter TensorFlow does print its notices here"
