"""The Compare engine: a tiny real run of both families on both tasks, readings written from the
numbers, cancel keeps finished cells, the per-cell cache (reuse and damage), the CLI."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from engine.compare import TINY, CellCache, CompareCell, CompareResult
from engine.compare.presets import DIGIT_MODELS, EXPLANATIONS, HOUSE_MODELS
from engine.compare.readings import compare_readings
from engine.compare.runner import run_compare
from engine.core.tasks import run_task

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ({("houses", m, s) for m in HOUSE_MODELS for s in (50, 100)}
            | {("digits", m, s) for m in DIGIT_MODELS for s in (100, 200)})


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory):
    """One real run of the tiny preset into a cache under its own data home, shared by the tests."""
    home = tmp_path_factory.mktemp("compare_home")
    cache = CellCache(home / "compare")
    events = []
    result = run_task(run_compare(TINY, cache=cache), events.append)
    return SimpleNamespace(home=home, cache=cache, result=result, events=events)


def _first_cells(cache: CellCache, n: int) -> list[CompareCell]:
    """Run until ``n`` cells are out, then cancel (close) the generator."""
    task, cells = run_compare(TINY, cache=cache), []
    for progress in task:
        if progress.stage == "cell":
            cells.append(progress.data["cell"])
            if len(cells) == n:
                break
    task.close()
    return cells


# --- a real run ---------------------------------------------------------------------------------
def test_tiny_run_measures_every_cell(tiny_run) -> None:
    result = tiny_run.result
    assert {(c.task, c.model, c.size) for c in result.cells} == EXPECTED
    for c in result.cells:
        assert math.isfinite(c.score) and not c.cached, c
        assert (0.0 <= c.score <= 1.0) if c.task == "digits" else c.score > 0
        assert c.train_seconds >= 0 and c.predict_ms > 0 and c.size_bytes > 0
        assert c.explanation == EXPLANATIONS[c.model]
    assert result.digits_test_size == 1000 and result.houses_rows == 506

    cell_events = [p for p in tiny_run.events if p.stage == "cell"]
    assert [p.data["cell"] for p in cell_events] == result.cells  # each finished cell is announced, in order
    fractions = [p.fraction for p in tiny_run.events if p.fraction is not None]
    assert fractions == sorted(fractions) and 0 <= fractions[0] and fractions[-1] == 1.0
    assert any(p.data.get("eta_seconds") for p in tiny_run.events)
    assert any(p.stage == "train" for p in tiny_run.events)
    assert len(compare_readings(result)) == 4


def test_a_rerun_reads_every_cell_from_the_cache(tiny_run) -> None:
    events = []
    again = run_task(run_compare(TINY, cache=tiny_run.cache), events.append)
    assert all(c.cached for c in again.cells)
    assert [(c.key, c.score) for c in again.cells] == [(c.key, c.score) for c in tiny_run.result.cells]
    assert not [p for p in events if p.stage == "train"], "nothing was trained"


def test_cancel_keeps_the_finished_cells(tmp_path) -> None:
    cache = CellCache(tmp_path / "compare")
    task = run_compare(TINY, cache=cache)
    for progress in task:
        if progress.stage == "cell":
            first = progress.data["cell"]
            break
    task.close()
    with pytest.raises(StopIteration):
        next(task)
    assert cache.keys() == [first.key]
    [again] = _first_cells(cache, 1)
    assert again.cached and again.key == first.key and again.score == first.score


def test_a_damaged_cache_file_is_recomputed(tiny_run, tmp_path) -> None:
    cache = CellCache(tmp_path / "compare")
    shutil.copytree(tiny_run.cache.root, cache.root)
    first, second, third = tiny_run.result.cells[:3]
    cache.path(first.key).write_text("{not json", encoding="utf-8")
    record = json.loads(cache.path(second.key).read_text(encoding="utf-8"))
    record["cell"]["score"] = "NaN"
    cache.path(second.key).write_text(json.dumps(record), encoding="utf-8")
    cache.path(third.key).write_text("", encoding="utf-8")
    cells = _first_cells(cache, 4)
    assert [c.cached for c in cells] == [False, False, False, True]
    assert all(math.isfinite(c.score) for c in cells)
    assert cache.get(first.key) is not None and cache.get(second.key).score == pytest.approx(second.score)


# --- readings from the numbers ------------------------------------------------------------------
def _cell(task: str, model: str, size: int, score: float, train: float) -> CompareCell:
    details = ({"depth": 20 if task == "digits" else 6, "leaves": 300} if model == "tree" else
               {"parameters": 60_000} if model in ("mlp", "cnn") else {"trees": 50})
    return CompareCell(task, model, size, score, "accuracy" if task == "digits" else "mse", train, 0.1, 10_000,
                       EXPLANATIONS[model], details=details)


def _by_hand(digits: dict[str, list[float]], houses: dict[str, list[float]]) -> CompareResult:
    cells = [_cell("digits", m, s, v, 100.0 if m == "cnn" else 5.0)
             for m, values in digits.items() for s, v in zip((500, 1000, 5000), values)]
    cells += [_cell("houses", m, s, v, 2.0 if m == "mlp" else 0.1)
              for m, values in houses.items() for s, v in zip((50, 404), values)]
    return CompareResult(TINY, cells)


def test_readings_say_what_was_measured_when_the_tree_beats_the_network() -> None:
    result = _by_hand({"tree": [0.80, 0.85, 0.90], "forest": [0.85, 0.90, 0.95], "cnn": [0.60, 0.70, 0.80]},
                      {"tree": [25.0, 18.0], "boosting": [20.0, 10.2], "mlp": [30.0, 14.8]})
    r = {x.dimension: x for x in compare_readings(result, "en")}
    assert "On this machine the random forest stayed ahead of the convolutional network (CNN) up to 5,000 digits " \
           "(95.0% vs 80.0%)" in r["data_needed"].text
    assert "the random forest beat the convolutional network (CNN) on pixels" in r["data_type"].text
    assert "On the table, the gradient boosting beats the neural network (MLP) at every size (MSE 10.2 vs 14.8 " \
           "at 404 rows)" in r["data_needed"].text
    assert "20× as long to train as the random forest" in r["cost"].text
    assert "depth 20, 300 leaves" in r["explainability"].digits
    assert "at most 6 questions on the table, but 20 questions about single pixels" in r["explainability"].text


def test_readings_follow_the_usual_story_when_the_numbers_do() -> None:
    result = _by_hand({"forest": [0.80, 0.85, 0.93], "cnn": [0.70, 0.90, 0.98]},
                      {"forest": [25.0, 12.0], "mlp": [20.0, 11.0]})
    r = {x.dimension: x for x in compare_readings(result, "en")}
    assert "passes the random forest from 1,000 digits on (90.0% vs 85.0%)" in r["data_needed"].text
    assert "On pixels the convolutional network (CNN) won (98.0% vs 93.0%" in r["data_type"].text
    assert "beat the random forest on the table at every size" in r["data_needed"].text  # the MLP did, here
    zh = compare_readings(result, "zh_CN")
    assert all("On " not in x.text and x.text for x in zh)


def test_report_section_in_both_languages() -> None:
    from engine.compare.report_section import compare_section, compare_summary
    from engine.report.model import Figure, Table

    result = _by_hand({"forest": [0.80, 0.85, 0.93], "cnn": [0.70, 0.90, 0.98]},
                      {"boosting": [20.0, 10.2], "mlp": [30.0, 14.8]})
    for lang in ("en", "zh_CN"):
        section = compare_section(SimpleNamespace(compare=result), lang)
        assert sum(isinstance(b, Figure) for b in section.blocks) == 2
        assert any(isinstance(b, Table) and len(b.rows) == 4 for b in section.blocks)
        assert compare_summary(SimpleNamespace(compare=result), lang)
    assert compare_summary(SimpleNamespace(), "en") is None
    assert len(compare_section(SimpleNamespace(compare=None), "en").blocks) == 1


# --- the command line ---------------------------------------------------------------------------
def test_cli_prints_every_cell_as_json(tiny_run) -> None:
    env = dict(os.environ, DEEPMINE_HOME=str(tiny_run.home), DEEPMINE_LANG="en", PYTHONPATH=str(ROOT),
               TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-m", "gui.launcher", "compare", "--preset", "tiny", "--json"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    assert {(c["task"], c["model"], c["size"]) for c in data["cells"]} == EXPECTED
    assert all(c["cached"] for c in data["cells"]) and len(data["readings"]) == 4


def test_engine_compare_imports_neither_qt_nor_tensorflow() -> None:
    code = ("import sys, engine.compare, engine.compare.runner, engine.compare.report_section, engine.cli.compare; "
            "print([m for m in ('tensorflow', 'keras', 'PySide6', 'sklearn') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.stdout.strip() == "[]", out.stderr[-2000:]


def test_the_apps_full_preset_uses_the_full_mnist_it_downloaded_and_its_test_set(tmp_path, monkeypatch) -> None:
    """A person who downloaded MNIST once gets the full preset on it, scored on its own test part."""
    import dataclasses

    import numpy as np

    from engine.compare.runner import app_compare_task
    from engine.digits.mnist import cached_mnist_path, load_offline_sample

    monkeypatch.setenv("DEEPMINE_HOME", str(tmp_path))
    sample = load_offline_sample()  # stands in for the download: the same format, fewer digits
    x = (sample.x * 255).astype(np.uint8) if sample.x.max() <= 1.0 else sample.x.astype(np.uint8)
    np.savez(cached_mnist_path(), x_train=x[:600], y_train=sample.y[:600], x_test=x[600:900], y_test=sample.y[600:900])
    preset = dataclasses.replace(TINY, name="tiny-full", digits_all=True, digit_sizes=(100,),
                                 digit_models=("tree",), house_models=())
    result = run_task(app_compare_task(preset))
    assert result.digits_test_size == 300, "scored on the download's own test digits"
    assert result.sizes("digits") == [100, 600], "up to every training digit the app has"
    assert "MNIST" in result.digits_source
