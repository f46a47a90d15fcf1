"""The pen-path recogniser as the window runs it (LiteRT): it is asked only when there are strokes,
a file that does not match its card is refused with a message (the CNN then answers alone), and
the path is coloured by how much each point mattered."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine.digits import shipped
from engine.digits.online_recogniser import OnlineRecogniser, read_drawing

SEVEN = [[(0.28, 0.22), (0.72, 0.22), (0.44, 0.8)]]
CNN_SAYS_ONE = np.array([0.01, 0.82, 0.01, 0.01, 0.01, 0.01, 0.01, 0.1, 0.01, 0.01], np.float32)


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder with a tiny (untrained, seeded) pen-path model, its LiteRT file and its card."""
    from engine.core import tf_runtime
    from engine.core.litert import export_litert
    from engine.digits.online_model import OnlineParams, build_online

    folder = tmp_path_factory.mktemp("online_models")
    tf_runtime.keras().utils.set_random_seed(3)
    model = build_online(OnlineParams(filters=(8, 8, 8)))
    model.save(shipped.weights_path(shipped.ONLINE, folder))
    lite = export_litert(model, shipped.litert_path(shipped.ONLINE, folder))
    card = {"arch": "online", "weights_sha256": shipped.sha256_file(shipped.weights_path(shipped.ONLINE, folder)),
            "files": {lite.name: shipped.sha256_file(lite)}, "fusion": {"weight": 0.6}, "input": {"points": 64}}
    shipped.card_path(shipped.ONLINE, folder).write_text(json.dumps(card))
    return folder


@pytest.fixture
def models_copy(tiny_models: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    shutil.copytree(tiny_models, folder)
    return folder


class CountingRecogniser(OnlineRecogniser):
    """The real LiteRT recogniser, counting how often the canvas asks it."""

    calls = 0

    def predict_strokes(self, strokes):
        type(self).calls += 1
        return super().predict_strokes(strokes)


def test_a_strokeless_image_never_calls_the_online_model(tiny_models: Path) -> None:
    path, card = shipped.verified_litert(shipped.ONLINE, tiny_models)
    online = CountingRecogniser(path, 0.6, card)
    for strokes in (None, [], [[]]):  # a photo, an opened image, an empty stroke list
        reading = read_drawing(CNN_SAYS_ONE, strokes, online)
        assert reading.answered_by == ("cnn",) and reading.online_probabilities is None
        assert reading.digit == 1 and reading.confidence == pytest.approx(0.82)
    assert CountingRecogniser.calls == 0
    drawn = read_drawing(CNN_SAYS_ONE, SEVEN, online)
    assert CountingRecogniser.calls == 1 and drawn.answered_by == ("cnn", "online") and drawn.weight == 0.6
    assert drawn.online_probabilities.shape == (10,) and drawn.probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_fusion_weight_one_reads_the_picture_zero_the_path() -> None:
    from engine.digits.fusion import fuse

    online = np.full(10, 0.02, np.float32)
    online[7] = 0.82
    assert fuse(CNN_SAYS_ONE, online, 1.0).argmax() == 1 and fuse(CNN_SAYS_ONE, online, 0.0).argmax() == 7
    both = fuse(CNN_SAYS_ONE, online, 0.5)
    assert set(np.argsort(both)[-2:]) == {1, 7} and both.sum() == pytest.approx(1.0, abs=1e-6)


def test_a_damaged_online_file_is_refused_with_a_message_and_the_cnn_answers(models_copy: Path) -> None:
    lite = shipped.litert_path(shipped.ONLINE, models_copy)
    data = bytearray(lite.read_bytes())
    data[3000:3016] = bytes(b ^ 0xFF for b in data[3000:3016])
    lite.write_bytes(bytes(data))
    online, notices = OnlineRecogniser.load_for_app(models_copy)
    assert online is None
    assert len(notices) == 1 and "digits-online.tflite" in notices[0] and "checksum" in notices[0]
    assert "picture only" in notices[0]
    reading = read_drawing(CNN_SAYS_ONE, SEVEN, online)  # the canvas keeps answering, with the CNN
    assert reading.answered_by == ("cnn",) and reading.digit == 1


def test_a_card_without_the_litert_checksum_refuses_the_file(models_copy: Path) -> None:
    card_file = shipped.card_path(shipped.ONLINE, models_copy)
    card = json.loads(card_file.read_text())
    card.pop("files")
    card_file.write_text(json.dumps(card))
    online, notices = OnlineRecogniser.load_for_app(models_copy)
    assert online is None and "does not list digits-online.tflite" in notices[0]


@pytest.mark.parametrize("arch", ["cnn", "mlp"])
def test_the_shipped_picture_models_litert_files_are_checked_against_their_cards(arch: str, tmp_path: Path) -> None:
    from engine.core.errors import DataError

    if not shipped.litert_path(arch).exists():
        pytest.skip(f"assets/models/digits-{arch}.tflite is not built yet (`make models`)")
    path, card = shipped.verified_litert(arch)
    assert card["files"][path.name] == shipped.sha256_file(path)
    folder = tmp_path / "models"
    shutil.copytree(shipped.models_asset_dir(), folder)
    damaged = shipped.litert_path(arch, folder)
    damaged.write_bytes(damaged.read_bytes()[:-100])
    with pytest.raises(DataError, match=f"digits-{arch}.tflite is damaged"):
        shipped.verified_litert(arch, folder)


def test_point_importance_colours_every_point_of_the_path(tiny_models: Path) -> None:
    online = OnlineRecogniser.from_shipped(tiny_models)
    four = [[(0.6, 0.2), (0.3, 0.6), (0.75, 0.6)], [(0.6, 0.35), (0.6, 0.85)]]
    view = online.point_importance(four)
    assert view.points.shape == (64, 2) and view.importance.shape == (64,)
    assert view.stroke_start.sum() == 2 and view.stroke_start[0]
    assert 0.0 <= view.importance.min() and view.importance.max() <= 1.0
    assert view.digit == int(online.predict_strokes(four).argmax())
    assert (view.points[:, 0] >= 0.3 - 1e-6).all() and (view.points[:, 1] <= 0.85 + 1e-6).all(), "on the drawing"


def test_the_shipped_recogniser_reads_a_drawn_seven_and_fusion_helps_the_cnn() -> None:
    if not shipped.card_path(shipped.ONLINE).exists():
        pytest.skip("assets/models/digits-online.* is not built yet (`make models`)")
    online, notices = OnlineRecogniser.load_for_app()
    assert online is not None and notices == []
    assert online.weight == shipped.read_card(shipped.ONLINE)["fusion"]["weight"]
    assert int(online.predict_strokes(SEVEN).argmax()) == 7
    unsure_cnn = np.full(10, 0.05, np.float32)
    unsure_cnn[[1, 7]] = [0.34, 0.26]  # the picture alone hesitates between 1 and 7
    assert read_drawing(unsure_cnn, SEVEN, online).digit == 7


def test_the_window_reads_a_path_without_importing_tensorflow(tiny_models: Path) -> None:
    """The window's process never imports TensorFlow: the recogniser needs only LiteRT and NumPy."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; "
            "from engine.digits.online_recogniser import OnlineRecogniser, read_drawing; "
            f"online = OnlineRecogniser.from_shipped(Path({str(tiny_models)!r})); "
            "r = read_drawing([0.1] * 10, [[(0.2, 0.2), (0.8, 0.8)]], online); online.point_importance([[(0, 0), (1, 1)]]); "
            "print(r.answered_by, 'tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["False", "False"], out.stdout


def test_test_time_augmentation_averages_several_writings_and_answers_the_same_each_time(tiny_models: Path) -> None:
    online = OnlineRecogniser.from_shipped(tiny_models)
    assert online.tta_copies == 0, "the tiny card asks for none"
    clean = online.predict_strokes(SEVEN)
    averaged = online.predict_strokes(SEVEN, tta_copies=4)
    assert averaged.shape == (10,) and averaged.sum() == pytest.approx(1.0, abs=1e-5)
    assert not np.allclose(clean, averaged) and np.array_equal(averaged, online.predict_strokes(SEVEN, tta_copies=4))
