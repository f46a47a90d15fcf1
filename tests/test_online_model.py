"""The pen-path network: a tiny real one learns from a few writers and reads writers it never saw;
its LiteRT conversion (what the window runs) answers as Keras does; the shipped one is the file its
card describes and scores what the card says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.digits import shipped

TINY_FILTERS = (16, 24, 32)


@pytest.fixture(scope="module")
def pen_digits(shared_data: Path):
    from engine.digits.pendigits import read_pendigits

    digits = read_pendigits(shared_data / "pendigits" / "pendigits-orig.tra")
    return digits


@pytest.mark.slow
@pytest.mark.shared_data
def test_a_tiny_online_model_reads_writers_it_never_saw(pen_digits, tmp_path: Path) -> None:
    from engine.core.litert import LiteModel, export_litert
    from engine.core.tasks import run_task
    from engine.digits.online_model import OnlineParams, clean_features, predict_keras, train_online_task

    train_writers, held_writers = {1, 2, 3, 4}, {5, 6}
    train = [d for d in pen_digits if d.writer in train_writers]
    held = [d for d in pen_digits if d.writer in held_writers]
    params = OnlineParams(epochs=3, copies_per_epoch=2, batch_size=32, filters=TINY_FILTERS, seed=1)
    epochs = []
    model = run_task(train_online_task([d.strokes for d in train], np.array([d.label for d in train]), params),
                     lambda p: epochs.append(p.data["epoch"]) if p.stage == "epoch" else None)
    assert epochs == [1, 2, 3]
    x = clean_features([d.strokes for d in held])
    y = np.array([d.label for d in held])
    keras_probs = predict_keras(model, x)
    accuracy = float((keras_probs.argmax(axis=1) == y).mean())
    assert accuracy > 0.5, f"unseen writers read at {accuracy:.2f} (chance is 0.10)"

    lite = LiteModel(export_litert(model, tmp_path / "tiny.tflite"))
    assert np.abs(lite.run(x) - keras_probs).max() < 1e-5, "LiteRT answers as Keras does"


def test_training_stops_at_once_when_cancelled() -> None:
    """A cancel (the consumer stops iterating) is heard within a batch: no epoch runs to its end."""
    from engine.digits.online_model import OnlineParams, train_online_task

    one = [[(0.5, 0.1), (0.5, 0.9)]]
    task = train_online_task([one] * 64, np.ones(64), OnlineParams(epochs=50, filters=TINY_FILTERS, batch_size=8))
    stages = []
    for progress in task:
        stages.append(progress.stage)
        if progress.stage == "batch":
            task.close()
            break
    assert "epoch" not in stages


def require_shipped_online() -> None:
    if not shipped.card_path(shipped.ONLINE).exists():
        pytest.skip("assets/models/digits-online.* is not built yet (`make models`)")


def test_the_shipped_online_model_is_the_file_its_card_describes() -> None:
    require_shipped_online()
    card = shipped.read_card(shipped.ONLINE)
    keras_file, card_again = shipped.verified_weights(shipped.ONLINE)
    lite_file, _ = shipped.verified_litert(shipped.ONLINE)
    assert card == card_again and card["weights_sha256"] == shipped.sha256_file(keras_file)
    assert card["files"][lite_file.name] == shipped.sha256_file(lite_file)
    pen = card["pen_accuracy"]
    assert pen["folds"] == 5 and len(pen["per_writer"]) == 30 and pen["n_scored"] == 7494
    assert pen["fold_writers"] == shipped.read_card("cnn")["pen_accuracy"]["fold_writers"], "the CNN's folds"
    assert 0.0 <= card["fusion"]["weight"] <= 1.0


def test_every_fold_fused_is_at_least_as_good_as_the_better_model_alone_or_the_card_says_why() -> None:
    require_shipped_online()
    fusion = shipped.read_card(shipped.ONLINE)["fusion"]
    folds = fusion["fold_accuracy"]
    worse = [k for k, (f, c, o) in enumerate(zip(folds["fused"], folds["cnn"], folds["online"])) if f < max(c, o)]
    assert fusion["figures"]["fused_ge_best_every_fold"] == (not worse)
    if worse:
        assert fusion.get("where_not"), f"folds {worse}: the fused model is behind one model alone, unexplained"


def test_the_shipped_online_model_in_litert_answers_as_in_keras() -> None:
    from engine.core import tf_runtime
    from engine.digits.online_model import clean_features, predict_keras
    from engine.digits.online_recogniser import OnlineRecogniser
    from gui.common.automation import SEVEN

    require_shipped_online()
    keras = tf_runtime.keras()
    model = keras.saving.load_model(shipped.weights_path(shipped.ONLINE), compile=False, safe_mode=True)
    drawings = [SEVEN, [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]], [[(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]]]
    recogniser = OnlineRecogniser.from_shipped()
    lite = np.stack([recogniser.predict_strokes(d, tta_copies=0) for d in drawings])
    assert np.abs(lite - predict_keras(model, clean_features(drawings))).max() < 1e-5
    assert int(lite[0].argmax()) == 7 and int(lite[1].argmax()) == 1
    assert recogniser.tta_copies == shipped.read_card(shipped.ONLINE)["fusion"]["online_tta_copies"]
    averaged = recogniser.predict_strokes(drawings[0])  # with the card's test-time augmentation
    assert int(averaged.argmax()) == 7 and np.array_equal(averaged, recogniser.predict_strokes(drawings[0]))
