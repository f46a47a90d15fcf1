"""Export a model: every exported format loads again outside the app (Keras in safe mode, the
.tflite through LiteRT, the SavedModel through TensorFlow) and answers as the app does; an existing
folder is never replaced unasked."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.core.errors import InputError
from engine.core.tasks import run_task
from engine.digits.lite import LiteDigitModel
from engine.project.export import export_digit_model_job
from engine.project.parts.digits import model_card
from project_helpers import drawings, own_model_files


@pytest.mark.slow
def test_every_exported_format_gives_the_apps_predictions(tiny_models, tmp_path) -> None:
    import tensorflow as tf

    from engine.core import tf_runtime
    from engine.core.litert import LiteModel

    files = own_model_files(tiny_models)
    app = LiteDigitModel(files).predict_proba(drawings(16))
    out = tmp_path / "my-model"
    names = run_task(export_digit_model_job(files.keras_path, files.tflite_path, model_card(files.info), str(out)))
    assert names == ["README.txt", "digits.keras", "digits.tflite", "model-card.json", "saved_model"]
    x = drawings(16)
    keras_model = tf_runtime.keras().saving.load_model(out / "digits.keras", safe_mode=True)
    np.testing.assert_allclose(keras_model.predict(x, verbose=0), app, atol=1e-5)
    np.testing.assert_array_equal(LiteModel(out / "digits.tflite").run(x), app)
    saved = tf.saved_model.load(str(out / "saved_model"))
    np.testing.assert_allclose(saved.serve(x).numpy(), app, atol=1e-5)
    card = json.loads((out / "model-card.json").read_text(encoding="utf-8"))
    assert card["arch"] == "mlp" and set(card["exported_files"]) == {"digits.keras", "digits.tflite"}
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert 'load_model("digits.keras", safe_mode=True)' in readme and "tf.saved_model.load" in readme


def test_an_existing_folder_is_not_replaced_unasked(tmp_path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        run_task(export_digit_model_job("missing.keras", "missing.tflite", {}, str(out)))
    assert [p.name for p in tmp_path.iterdir()] == ["taken"] and (out / "mine.txt").read_text() == "keep me"


def test_cli_export_answers_one_line_when_there_is_nothing_to_export(tmp_path, capsys) -> None:
    from engine.cli.main import main

    assert main(["export-model", "--kind", "digits", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no trained digit model" in err[0]
    assert not (tmp_path / "out").exists()
