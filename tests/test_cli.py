"""`deepmine` end to end in a subprocess: answers on stdout, one clear line and exit 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def deepmine(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEEPMINE_HOME=str(home), DEEPMINE_LANG="en", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "gui.launcher", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


@pytest.mark.slow  # two processes each train the full-size house models
def test_predict_house_prints_a_price_and_json(deepmine_home) -> None:
    plain = deepmine(deepmine_home, "predict-house", "RM=7.5", "LSTAT=4")
    assert plain.returncode == 0, plain.stderr
    assert "Predicted price" in plain.stdout and "Why:" in plain.stdout
    data = json.loads(deepmine(deepmine_home, "predict-house", "RM=7.5", "LSTAT=4", "--json").stdout)
    assert data["price"] > 30


@pytest.mark.parametrize("args, words", [
    (["predict-house", "RM=abc"], "must be a number"),
    (["predict-house", "ROOMS=3"], "Unknown feature"),
    (["predict-house", "--csv", "missing.csv"], "does not exist"),
])
def test_bad_house_input_is_one_clear_line(deepmine_home, args, words) -> None:
    result = deepmine(deepmine_home, *args)
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[-1].startswith("deepmine: error:") and words in lines[-1]


@pytest.mark.slow  # trains a two-epoch MLP in a fresh process
def test_train_then_predict_digit_images(deepmine_home, tmp_path) -> None:
    from PIL import Image

    from engine.digits.mnist import load_offline_sample

    trained = deepmine(deepmine_home, "train", "--model", "mlp", "--epochs", "2", "--data", "offline",
                       "--no-download", "--json")
    assert trained.returncode == 0, trained.stderr[-1000:]
    assert json.loads(trained.stdout)["model"] == "mlp"
    data = load_offline_sample()
    paths = []
    for i in (10, 2600):
        path = tmp_path / f"digit{i}.png"
        Image.fromarray((255 - data.x[i] * 255).astype(np.uint8)).resize((200, 200)).save(path)
        paths.append(path)
    result = deepmine(deepmine_home, "predict-digit", *map(str, paths))
    assert result.returncode == 0, result.stderr[-1000:]
    rows = [line.split("\t") for line in result.stdout.strip().splitlines()]
    assert [r[0] for r in rows] == [str(p) for p in paths]
    assert all(r[1].isdigit() and 0 < float(r[2]) <= 1 for r in rows)

    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    failed = deepmine(deepmine_home, "predict-digit", str(bad))
    assert failed.returncode == 2
    assert "not an image" in failed.stderr.strip().splitlines()[-1]
