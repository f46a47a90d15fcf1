"""The person's corrections keep their strokes beside the picture (plain JSON); older picture-only
samples still load and teach the CNN; the strokes fine-tune the pen-path model in the worker."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from engine.digits.user_samples import UserSamples, strokes_path

SEVEN = [[(0.28, 0.22), (0.5, 0.22), (0.72, 0.22)], [(0.72, 0.22), (0.6, 0.5), (0.44, 0.8)]]


def image() -> np.ndarray:
    a = np.zeros((28, 28), np.float32)
    a[5:22, 13:15] = 1.0
    return a


def test_strokes_are_kept_beside_the_png_and_read_back() -> None:
    store = UserSamples()
    png = store.add(image(), 7, strokes=[np.asarray(s) for s in SEVEN])
    saved = json.loads(strokes_path(png).read_text(encoding="utf-8"))
    assert saved["format"] == "deepmine-strokes" and saved["label"] == 7 and saved["strokes"][0][0] == [0.28, 0.22]
    [sample] = store.list()
    assert sample.label == 7 and len(sample.strokes) == 2
    assert all(np.allclose(a, b) for a, b in zip(sample.strokes, SEVEN))
    drawings, labels = store.stroke_samples()
    assert labels.tolist() == [7] and len(drawings) == 1
    store.delete(png)
    assert not png.exists() and not strokes_path(png).exists() and store.list() == []


def test_a_png_only_sample_still_loads_and_teaches_the_cnn_only() -> None:
    store = UserSamples()
    old = store.add(image(), 1)  # as every sample was kept before strokes were
    drawn = store.add(image(), 7, strokes=SEVEN)
    assert not strokes_path(old).exists()
    samples = {s.label: s for s in store.list()}
    assert samples[1].strokes is None and samples[7].strokes is not None
    x, y = store.arrays()
    assert sorted(y.tolist()) == [1, 7] and x.shape == (2, 28, 28), "both teach the CNN"
    assert store.stroke_samples()[1].tolist() == [7], "only the drawn one teaches the pen-path model"
    assert drawn.exists()


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "deepmine-strokes", "version": 1,
                                                               "label": 3, "strokes": [[[0, 0]]]}),
                                     json.dumps({"format": "other", "label": 1, "strokes": [[[0, 0]]]}),
                                     json.dumps({"format": "deepmine-strokes", "label": 1, "strokes": [[[0, "x"]]]}),
                                     json.dumps({"format": "deepmine-strokes", "label": 1, "strokes": [[0, 1, 2]]})])
def test_a_damaged_strokes_file_leaves_a_picture_only_sample(content: str) -> None:
    store = UserSamples()
    png = store.add(image(), 1, strokes=SEVEN)
    strokes_path(png).write_text(content, encoding="utf-8")
    [sample] = store.list()
    assert sample.label == 1 and sample.strokes is None


def test_unusable_strokes_are_not_kept() -> None:
    store = UserSamples()
    png = store.add(image(), 4, strokes=[[(0.1, float("nan"))]])
    assert png.exists() and not strokes_path(png).exists()


@pytest.fixture
def tiny_base(tmp_path: Path) -> Path:
    from engine.core import tf_runtime
    from engine.digits.online_model import OnlineParams, build_online

    tf_runtime.keras().utils.set_random_seed(2)
    path = tmp_path / "base.keras"
    build_online(OnlineParams(filters=(8, 8, 8))).save(path)
    return path


def test_fine_tuning_learns_the_persons_strokes_and_writes_a_model_the_window_can_run(tiny_base: Path) -> None:
    from engine.core.tasks import run_task
    from engine.digits.online_model import fine_tune_online_task
    from engine.digits.online_recogniser import OnlineRecogniser

    store = UserSamples()
    one = [[(0.5, 0.15), (0.5, 0.85)]]
    for k in range(4):
        shift = 0.02 * k
        store.add(image(), 7, strokes=[[(x + shift, y) for x, y in s] for s in SEVEN])
        store.add(image(), 1, strokes=[[(x + shift, y) for x, y in s] for s in one])
    store.add(image(), 3)  # picture-only: not used here
    stages = []
    result = run_task(fine_tune_online_task(base_keras=str(tiny_base), seed=1), lambda p: stages.append(p.stage))
    assert pickle.loads(pickle.dumps(result)) == result, "crosses back from the worker"
    assert result.n_samples == 8 and result.accuracy_after >= result.accuracy_before
    assert result.loss_after < result.loss_before and "epoch" in stages
    assert Path(result.keras_path).exists() and Path(result.tflite_path).exists()
    online, notices = OnlineRecogniser.load_for_app(prefer_user=True)
    assert notices == [] and online is not None and online.path == Path(result.tflite_path)
    assert online.predict_strokes(SEVEN).shape == (10,)

    Path(result.tflite_path).write_bytes(b"not a model")  # damaged: the shipped model (if any) takes over
    online, notices = OnlineRecogniser.load_for_app(prefer_user=True)
    assert "fine-tuned pen-path model cannot be used" in notices[0]


def test_fine_tuning_without_stroke_samples_says_what_to_do(tiny_base: Path) -> None:
    from engine.core.errors import InputError
    from engine.core.tasks import run_task
    from engine.digits.online_model import fine_tune_online_task

    UserSamples().add(image(), 3)
    with pytest.raises(InputError, match="only corrections kept with their strokes"):
        run_task(fine_tune_online_task(base_keras=str(tiny_base)))


def test_many_corrections_in_the_same_second_are_all_kept(tmp_path) -> None:
    """A sample never replaces another: names carry enough randomness and are checked."""
    from engine.digits.user_samples import UserSamples

    store = UserSamples(tmp_path)
    image = np.zeros((28, 28), np.float32)
    image[10:18, 13:15] = 1.0
    for _ in range(300):
        store.add(image, 1)
    assert len(store.list()) == 300
