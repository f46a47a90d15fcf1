"""A teacher's round trip: a project saved in one user data folder opens in a fresh one (another
machine's stand-in) with the same model, the same predictions on the same drawings, the same
handwriting samples and the same Compare results; and the CLI reads it without the GUI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from engine.compare.presets import get_preset
from engine.compare.results import CompareCell, CompareResult
from engine.core.session import Session
from engine.core.tasks import run_task
from engine.digits.lite import LiteDigitModel, latest_cached
from engine.digits.user_samples import UserSamples
from engine.project.files import apply_to_session, inspect_project, open_project_task, save_project_task
from engine.project.part import ProjectContext
from engine.workbench import project_parts
from project_helpers import drawings, own_model_files, record_drawings


def comparison() -> CompareResult:
    cells = [CompareCell("digits", "tree", 100, 0.71, "accuracy", 0.2, 0.01, 12_000, "rule_path", key="a"),
             CompareCell("houses", "forest", 50, 21.5, "mse", 0.1, 0.02, 30_000, "feature_importances", 1.5, 5,
                         {"trees": 5.0}, key="b")]
    return CompareResult(get_preset("tiny"), cells, digits_source="offline sample", houses_rows=506, seconds=3.5,
                         versions={"numpy": "2"})


def move_home(monkeypatch, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("DEEPMINE_HOME", str(home))


def test_a_project_opens_in_a_fresh_data_folder_as_it_was_saved(tiny_models, tmp_path, monkeypatch) -> None:
    files = own_model_files(tiny_models)
    model = LiteDigitModel(files)
    session = Session()
    session.digit_model = files.info
    images = drawings(8)
    record_drawings(session, model, images)
    session.correct_digit(0, 3)
    session.compare = comparison()
    session.lab = {"runs": [{"name": "mine", "curve": np.arange(4, dtype=np.float32), "accuracy": 0.5}],
                   "experiments": {}}
    store = UserSamples()
    for i in range(3):
        store.add(images[i], i, strokes=[[[0.5, 0.1], [0.5, 0.9]]])
    before = model.predict_proba(images)
    project = tmp_path / "share" / "lesson.deepmine"
    project.parent.mkdir()
    saved = run_task(save_project_task(session, project_parts(), project,
                                       context=ProjectContext({"digit_model_files": files})))
    assert saved.path == project and set(saved.manifest.parts) >= {"digits", "compare", "lab"}

    move_home(monkeypatch, tmp_path / "another-machine")
    assert latest_cached() is None and UserSamples().list() == [], "the fresh folder starts empty"
    opened = run_task(open_project_task(project, project_parts()))
    restored = Session()
    apply_to_session(restored, opened)
    reopened = opened.objects()["digit_model"]
    after = reopened.predict_proba(np.stack([d.image28 for d in restored.digits]))
    assert np.array_equal(before, after), "the same predictions on the same drawings"
    assert [d.digit for d in restored.digits] == [d.digit for d in session.digits]
    assert restored.digits[0].corrected_label == 3
    assert Path(reopened.files.keras_path).parent == Path(os.environ["DEEPMINE_HOME"]) / "models"
    assert latest_cached() is not None, "the person's model is in the new folder's cache, the app's choice at start"
    samples = UserSamples().list()
    assert sorted(s.label for s in samples) == [0, 1, 2] and all(s.strokes for s in samples)
    assert restored.compare.to_dict() == session.compare.to_dict(), "the same Compare results"
    assert np.array_equal(restored.lab["runs"][0]["curve"], session.lab["runs"][0]["curve"])
    assert not (Path(os.environ["DEEPMINE_HOME"]) / "projects").exists() or \
        not any((Path(os.environ["DEEPMINE_HOME"]) / "projects").iterdir()), "the unpacked copy is removed"


def test_a_shipped_model_is_referenced_not_embedded(tmp_path) -> None:
    from engine.digits.lite import shipped_files

    files = shipped_files("cnn")
    session = Session()
    session.digit_model = files.info
    saved = run_task(save_project_task(session, project_parts(), tmp_path / "p.deepmine",
                                       context=ProjectContext({"digit_model_files": files})))
    assert not any(name.endswith((".keras", ".tflite")) for name in saved.manifest.entries)
    assert saved.size_bytes < 20_000
    opened = run_task(open_project_task(saved.path, project_parts()))
    assert opened.objects()["digit_model"].info.card["weights_sha256"] == files.info.card["weights_sha256"]


def test_saving_never_replaces_a_file_unasked(tmp_path) -> None:
    from engine.core.errors import InputError

    target = tmp_path / "mine.deepmine"
    target.write_bytes(b"the person's own file")
    session = Session()
    session.compare = comparison()
    with pytest.raises(InputError, match="already exists"):
        run_task(save_project_task(session, project_parts(), target))
    assert target.read_bytes() == b"the person's own file"
    run_task(save_project_task(session, project_parts(), target, overwrite=True))
    assert inspect_project(target, project_parts()).summaries["compare"].startswith("2 comparison results")


def test_cli_info_and_check_read_the_project_without_the_gui(tmp_path, capsys) -> None:
    from engine.cli.main import main

    session = Session()
    session.compare = comparison()
    path = run_task(save_project_task(session, project_parts(), tmp_path / "p.deepmine")).path
    assert main(["project", "check", str(path)]) == 0
    assert main(["project", "info", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    info = json.loads(out[out.index("{"):])
    assert info["parts"]["compare"].startswith("2 comparison results") and info["format_version"] == 1
    assert "parts/compare/part.json" in info["entries"]
