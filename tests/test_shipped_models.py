"""The digit models that ship with the app (assets/models): each is the file its card
describes, loads in Keras safe mode, reads a drawn digit, scores what its card says, and a
damaged one is explained and replaced by training — never a crash, never a wrong model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine.digits import shipped
from helpers import TINY, crash_lines, first_drawing_in_a_fresh_process, install_models, offline_digits, window_options

ARCHS = ("cnn", "mlp")


def require(arch: str) -> None:
    if not shipped.weights_path(arch).exists():
        pytest.skip(f"assets/models/digits-{arch}.keras is not built yet (`make models`)")


@pytest.fixture
def models_copy(tmp_path: Path) -> Path:
    """A copy of assets/models to damage."""
    require("cnn")
    folder = tmp_path / "models"
    shutil.copytree(shipped.models_asset_dir(), folder)
    return folder


def flip_bytes(path: Path, at: int = 2000, n: int = 16) -> None:
    data = bytearray(path.read_bytes())
    for i in range(at, at + n):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("arch", ARCHS)
def test_the_card_describes_the_weights_file(arch: str) -> None:
    require(arch)
    card = shipped.read_card(arch)
    path = shipped.weights_path(arch)
    assert card["weights_sha256"] == shipped.sha256_file(path)
    assert card["weights_file"] == path.name and card["weights_bytes"] == path.stat().st_size
    assert card["arch"] == arch and 0.9 < card["mnist_test_accuracy"] <= 1.0
    assert shipped.verified_weights(arch) == (path, card)


@pytest.mark.parametrize("arch", ARCHS)
def test_the_shipped_model_loads_in_safe_mode_and_reads_a_drawn_seven(arch: str) -> None:
    from engine.digits.pendigits import render_like_canvas
    from engine.digits.preprocess import preprocess_canvas
    from engine.digits.service import describe, load_shipped_model
    from gui.common.automation import SEVEN

    require(arch)
    model = load_shipped_model(arch)  # safe_mode=True inside: no code from the file runs
    assert model.info.card == shipped.read_card(arch) and model.info.arch == arch
    assert not model.info.from_cache
    prediction = model.predict(preprocess_canvas(render_like_canvas(SEVEN)))
    assert prediction.digit == 7, prediction.probabilities
    line = describe(model.info)
    assert f"Shipped {arch.upper()}" in line and f"{model.info.card['mnist_test_accuracy']:.2%}" in line


@pytest.mark.shared_data
@pytest.mark.parametrize("arch", [pytest.param("cnn", marks=pytest.mark.slow), "mlp"])  # 10,000 digits each
def test_official_test_accuracy_is_what_the_card_says(arch: str, shared_data: Path) -> None:
    from engine.digits.mnist import load_idx_pair
    from engine.digits.models import evaluate
    from engine.digits.service import load_shipped_model

    require(arch)
    folder = shared_data / "mnist-test"
    test = load_idx_pair(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")
    assert len(test) == 10_000
    model = load_shipped_model(arch)
    accuracy = evaluate(model, test).accuracy
    assert accuracy == pytest.approx(model.info.card["mnist_test_accuracy"], abs=0.002)


# --- damaged shipped files -------------------------------------------------------------------
def test_a_flipped_byte_in_the_weights_is_caught_by_the_checksum(models_copy: Path) -> None:
    from engine.core.errors import DeepMineError
    from engine.digits.service import load_shipped_model

    flip_bytes(models_copy / "digits-cnn.keras")
    with pytest.raises(DeepMineError, match=r"digits-cnn\.keras is damaged \(its checksum does not match its card\)"):
        load_shipped_model("cnn", models_copy)


def test_a_card_with_a_wrong_checksum_is_refused(models_copy: Path) -> None:
    from engine.core.errors import DeepMineError
    from engine.digits.service import load_shipped_model

    card = models_copy / "digits-cnn.card.json"
    data = json.loads(card.read_text(encoding="utf-8"))
    data["weights_sha256"] = "0" * 64
    card.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DeepMineError, match="checksum does not match its card"):
        load_shipped_model("cnn", models_copy)


def test_a_missing_or_garbled_card_is_named(models_copy: Path) -> None:
    from engine.core.errors import DeepMineError
    from engine.digits.service import load_shipped_model

    card = models_copy / "digits-cnn.card.json"
    card.write_text("{ not json", encoding="utf-8")
    with pytest.raises(DeepMineError, match=r"card digits-cnn\.card\.json is damaged"):
        load_shipped_model("cnn", models_copy)
    card.unlink()
    with pytest.raises(DeepMineError, match=r"digits-cnn\.card\.json is missing"):
        load_shipped_model("cnn", models_copy)


def test_a_file_that_matches_its_card_but_is_not_a_model_is_refused(models_copy: Path) -> None:
    from engine.core.errors import DeepMineError
    from engine.digits.service import load_shipped_model

    weights = models_copy / "digits-cnn.keras"
    weights.write_bytes(b"PK\x03\x04 not really a keras archive")
    card = models_copy / "digits-cnn.card.json"
    data = json.loads(card.read_text(encoding="utf-8"))
    data["weights_sha256"] = shipped.sha256_file(weights)
    card.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DeepMineError, match=r"shipped model digits-cnn\.keras cannot be loaded"):
        load_shipped_model("cnn", models_copy)


def test_a_damaged_shipped_model_at_start_is_explained_and_a_model_is_trained(models_copy: Path) -> None:
    from engine.core.tasks import run_task
    from engine.digits.service import startup_model_task

    flip_bytes(models_copy / "digits-cnn.keras")
    progress = []
    model = run_task(startup_model_task(offline_digits(TINY, shipped_root=models_copy)), progress.append)
    notices = [p.message for p in progress if p.stage == "notice"]
    assert any("digits-cnn.keras is damaged" in n and "Training a model instead" in n for n in notices), notices
    assert model.info.card is None and not model.info.from_cache
    assert model.info.arch == TINY.arch and len(model.info.history) == TINY.epochs
    assert model.predict(np.zeros((28, 28), np.float32) + 0.01).digit is not None


# --- the app -----------------------------------------------------------------------------------
def test_on_a_fresh_data_dir_the_app_starts_with_the_shipped_cnn_without_training(qtbot, deepmine_home) -> None:
    from PySide6.QtWidgets import QLabel

    from gui.main_window import MainWindow

    require("cnn")
    assert not list(deepmine_home.rglob("*.keras")), "a fresh data dir: no saved model"
    window = MainWindow()  # default options: what a person gets
    qtbot.addWidget(window)
    trainings: list[bool] = []
    window.digit_tab.trainingStarted.connect(lambda: trainings.append(True))
    window.show()
    with qtbot.waitSignal(window.digitModelReady, timeout=120_000):
        window.start_background_work()
    info = window.digit_tab.model.info
    assert info.card is not None and info.arch == "cnn"
    assert info.card["weights_sha256"] == shipped.read_card("cnn")["weights_sha256"]
    assert trainings == [], "no training ran"
    status = window.findChild(QLabel, "digitModelStatus").text()
    assert "Shipped CNN" in status and "shipped with the app" in status
    assert not window.digit_tab.draw.use_shipped.isVisible(), "no 'use the shipped model' offer: it is in use"


def test_going_back_to_the_shipped_model_is_remembered(qtbot, tiny_models) -> None:
    from PySide6.QtWidgets import QToolButton

    from gui.main_window import MainWindow

    require("cnn")
    install_models(tiny_models)  # the person trained a model earlier: it is the one loaded
    window = MainWindow(options=window_options())
    qtbot.addWidget(window)
    window.show()
    tab = window.digit_tab
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        tab.start_background_work()
    assert tab.model.info.from_cache
    button = window.findChild(QToolButton, "useShippedModelButton")
    assert button.isVisible()
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        button.click()
    assert tab.model.info.card is not None
    assert not button.isVisible()

    again = MainWindow(options=window_options())  # the next start
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.digit_tab.modelReady, timeout=60_000):
        again.digit_tab.start_background_work()
    assert again.digit_tab.model.info.card is not None, "the choice holds across starts"



def test_a_person_draws_a_seven_on_first_start_and_sees_a_seven(deepmine_home) -> None:
    """The whole first-start path in a fresh process (a crash fails this test, not the run):
    shipped CNN loaded off the GUI thread, a 7 drawn with the mouse, its prediction and
    saliency computed by the live recognition task."""
    require("cnn")
    result = first_drawing_in_a_fresh_process(deepmine_home)
    assert result.returncode == 0, f"exit {result.returncode}: {crash_lines(result)}"
    assert "shown 7" in result.stdout and result.stdout.strip().endswith("True"), result.stdout


def test_make_models_command_starts() -> None:
    """`make models` imports everything it trains with and answers --help (it broke once unnoticed)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "engine.digits.build_shipped", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--folds" in done.stdout
