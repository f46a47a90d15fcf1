"""The window's process never imports TensorFlow: a whole session — draw, saliency, train,
fine-tune on a correction, Compare, export a report — in a fresh process, then a look at its
modules. (In the same process as other tests the check would mean nothing: they import it.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT


@pytest.mark.slow
def test_a_whole_session_never_imports_tensorflow_in_the_window(tmp_path) -> None:
    env = dict(os.environ, DEEPMINE_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "tests.window_session", str(tmp_path)],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0 and lines, result.stdout[-2000:] + result.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert seen["model"] == "shipped"
    assert seen["prediction"].startswith("7") and seen["saliency"] is True
    assert seen["trained"] is True and seen["fine_tuned"] is True
    assert seen["prediction_after"][:1].isdigit()
    assert seen["compare_cells"] > 0
    assert seen["reports"] == ["session.html", "session.pdf"]
    assert seen["tensorflow_in_window"] is False and seen["keras_in_window"] is False
