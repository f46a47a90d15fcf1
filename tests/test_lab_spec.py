"""The lab's network specs and lesson files, without TensorFlow: sizes computed live, hostile specs
and lessons refused with one line before anything is built or trained, the shipped lessons valid."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.core.errors import DataError, InputError
from engine.lab.lessons import lesson_from_dict, read_lesson, shipped_lessons
from engine.lab.spec import LayerSpec, classic_mlp, default_cnn, make_network, mlp, network_from_dict

ROOT = Path(__file__).resolve().parent.parent


def one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert text and "\n" not in text and "Traceback" not in text
    return text


def test_the_classic_mlp_costs_what_keras_would_count() -> None:
    net = classic_mlp()
    assert net.depth == 1
    assert net.params == 784 * 128 + 128 + 128 * 10 + 10
    assert net.macs == 784 * 128 + 128 * 10
    assert [s.output_shape for s in net.sizes] == [(784,), (128,), (10,)]


def test_sizes_follow_the_layers_through_convolution_pooling_and_batch_norm() -> None:
    net = make_network([LayerSpec("Conv2D", filters=8, kernel_size=3), LayerSpec("BatchNormalization"),
                        LayerSpec("MaxPooling2D"), LayerSpec("Flatten"), LayerSpec("Dense", units=16)])
    shapes = [s.output_shape for s in net.sizes]
    assert shapes == [(28, 28, 8), (28, 28, 8), (14, 14, 8), (1568,), (16,), (10,)]
    assert net.params == (9 * 8 + 8) + 4 * 8 + (1568 * 16 + 16) + (16 * 10 + 10)
    assert net.sizes[0].macs == 28 * 28 * 9 * 8


@pytest.mark.parametrize("raw, words", [
    ([{"kind": "LSTM", "units": 8}], "unknown layer"),
    ([{"kind": "Dense", "units": 10 ** 9}], "units"),
    ([{"kind": "Dense", "units": "many"}], "units"),
    ([{"kind": "Dense", "units": 8.5}], "whole number"),
    ([{"kind": "Dense", "units": 8, "activation": "softplus"}], "activation"),
    ([{"kind": "Dense", "units": 8, "kernel": "rm -rf"}], "unknown setting"),
    ([{"kind": "Dropout", "rate": float("nan")}], "rate"),
    ([{"kind": "Dense"}], "needs units"),
    ([{"kind": "Dense", "units": 4096}] * 12, "parameters"),  # ~200 M parameters, 800 MB
    ([{"kind": "Dense", "units": 8}] * 13, "from 1 to 12"),
    ([{"kind": "Flatten"}], "from 1 to 12"),
    ([{"kind": "Flatten"}, {"kind": "Conv2D", "filters": 8}], "needs an image"),
    ([{"kind": "Conv2D", "filters": 512}] * 6, "multiply-adds"),
    ([{"kind": "MaxPooling2D", "pool_size": 4}] * 3 + [{"kind": "Dense", "units": 8}], "too small"),
    ("Dense", "list of layers"),
])
def test_a_hostile_spec_is_refused_with_one_line(raw, words) -> None:
    with pytest.raises(InputError) as caught:
        network_from_dict({"layers": raw} if isinstance(raw, list) else raw)
    assert words in one_line(caught)


def valid_lesson(**changes) -> dict:
    raw = {"format": 1, "id": "my-lesson", "title": {"en": "Try ReLU", "zh_CN": "试试 ReLU"},
           "instructions": {"en": "Change the activation.", "zh_CN": "改变激活函数。"},
           "preset": {"network": mlp([32, 32], "sigmoid").to_dict(), "optimizer": "sgd", "learning_rate": 0.1},
           "locked": ["optimizer"], "hidden": ["clipnorm"]}
    raw.update(changes)
    return raw


def test_a_lesson_opens_with_its_preset_locks_and_both_languages() -> None:
    lesson = lesson_from_dict(valid_lesson())
    assert lesson.recipe.optimizer == "sgd" and lesson.recipe.network.depth == 2
    assert lesson.locked == {"optimizer"} and lesson.hidden == {"clipnorm"}
    assert lesson.text("title", "zh_CN") == "试试 ReLU" and lesson.text("title", "en") == "Try ReLU"


TEN_GB = {"network": {"layers": [{"kind": "Flatten"}] + [{"kind": "Dense", "units": 4096}] * 12}}


@pytest.mark.parametrize("changes, words", [
    ({"preset": {"network": {"layers": [{"kind": "Transformer", "units": 8}]}}}, "unknown layer"),
    ({"preset": {"network": {"layers": [{"kind": "Dense", "units": 2 ** 40}]}}}, "units"),
    ({"preset": TEN_GB}, "parameters"),
    ({"preset": {"epochs": 10 ** 9}}, "epochs"),
    ({"preset": {"learning_rate": float("inf")}}, "learning_rate"),
    ({"preset": {"optimizer": "lbfgs"}}, "optimiser"),
    ({"preset": {"shell": "rm -rf /"}}, "Unknown lab setting"),
    ({"locked": ["everything"]}, "unknown control"),
    ({"format": 99}, "format 99"),
    ({"script": "import os"}, "unknown entry"),
    ({"title": {"fr": "Bonjour"}}, "English"),
    ({"instructions": {"en": "x" * 5000}}, "at most 4000"),
    ({"experiment": "telepathy"}, "unknown experiment"),
])
def test_a_hostile_lesson_file_is_refused_with_one_line_naming_the_file(tmp_path, changes, words) -> None:
    path = tmp_path / "lesson.json"
    path.write_text(json.dumps(valid_lesson(**changes)), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_lesson(path)
    text = one_line(caught)
    assert text.startswith("lesson.json") and words in text


def test_a_lesson_that_is_not_json_or_too_large_is_refused(tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_lesson(broken)
    assert "not valid JSON" in one_line(caught)
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(valid_lesson(padding="x" * 300_000)), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_lesson(huge)
    assert "at most 256 kB" in one_line(caught)


def test_refusing_a_hostile_lesson_loads_no_tensorflow(tmp_path) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(valid_lesson(preset=TEN_GB)), encoding="utf-8")
    code = ("import sys\nfrom engine.lab.lessons import read_lesson\n"
            f"try:\n    read_lesson({str(path)!r})\nexcept Exception as exc:\n    print(exc)\n"
            "print('tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    refusal, loaded = out.stdout.strip().splitlines()
    assert "parameters" in refusal and loaded == "False", "refused before anything was built"


def test_the_shipped_lessons_are_the_four_experiments() -> None:
    lessons = shipped_lessons()
    assert [lesson.experiment for lesson in lessons] == ["vanishing", "exploding", "overfitting", "explainability"]
    for lesson in lessons:
        assert lesson.text("instructions", "zh_CN") != lesson.text("instructions", "en")
    assert lessons[0].recipe.network.depth == 8 and lessons[1].recipe.learning_rate == 1.0


def test_the_default_cnn_preset_is_a_valid_spec() -> None:
    net = default_cnn()
    assert net.depth == 4 and 100_000 < net.params < 1_000_000
    assert network_from_dict(net.to_dict()) == net
