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

from engine.compare import QUICK, TINY, CellCache, CompareCell, CompareResult
from engine.compare.presets import DIGIT_MODELS, EXPLANATIONS, HOUSE_MODELS, ComparePreset
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


def _first_cells(cache: CellCache, n: int, preset: ComparePreset = TINY, table: TableSource | None = None
                 ) -> list[CompareCell]:
    """Run until ``n`` cells are out, then cancel (close) the generator."""
    task, cells = run_compare(preset, cache=cache, table=table), []
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


def test_cli_compares_on_the_persons_own_table(tiny_run, tmp_path) -> None:
    """`deepmine compare --table FILE --target COL`: the table half on that table, classification scored by accuracy."""
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=160).round(3), rng.normal(size=160).round(3)
    colour = rng.choice(["red", "blue"], size=160)
    lines = ["id,a,b,colour,passed"] + [f"{i},{x},{y},{c},{'yes' if x + y + (c == 'red') > 0.5 else 'no'}"
                                         for i, (x, y, c) in enumerate(zip(a, b, colour))]
    (tmp_path / "marks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ, DEEPMINE_HOME=str(tiny_run.home), DEEPMINE_LANG="en", PYTHONPATH=str(ROOT),
               TF_CPP_MIN_LOG_LEVEL="3")
    run = lambda *args: subprocess.run([sys.executable, "-m", "gui.launcher", "compare", "--preset", "tiny", *args],
                                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    out = run("--table", str(tmp_path / "marks.csv"), "--target", "passed", "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    own = [c for c in data["cells"] if c["task"] == "table"]
    assert {c["model"] for c in own} == {"tree", "forest", "boosting", "mlp"}
    assert all(c["metric"] == "accuracy" and 0 <= c["score"] <= 1 for c in own)
    assert not any(c["task"] == "houses" for c in data["cells"]), "Boston ran although a table was given"
    assert any("marks.csv" in r["text"] for r in data["readings"])
    bad = run("--table", str(tmp_path / "marks.csv"))
    assert bad.returncode == 2 and "--target" in bad.stderr and "Traceback" not in bad.stderr
    missing = run("--table", str(tmp_path / "marks.csv"), "--target", "grade")
    assert missing.returncode == 2 and "grade" in missing.stderr and "Traceback" not in missing.stderr


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


# --- the person's own table -------------------------------------------------------------------------
import dataclasses  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from engine.compare.table_source import TableSource  # noqa: E402
from engine.tables.roles import RoleChoice  # noqa: E402
from engine.tables.table import NUMBER, TEXT, Table  # noqa: E402

TABLE_ONLY = dataclasses.replace(TINY, name="tiny-table", digit_models=())  # the table half alone: seconds


def shop_table(n: int = 160, seed: int = 0, name: str = "shop.csv") -> Table:
    """A small table of our own: two numbers (one with missing cells), a category, a numeric target
    (price), a class target (grade) and a planted copy of the grade (label)."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], n).astype(object)
    price = 3 * x1 + 2 * (colour == "red") + rng.normal(scale=0.5, size=n)
    grade = np.where(price > 0.5, "high", "low").astype(object)
    frame = pd.DataFrame({"x1": x1, "x2": x2, "colour": colour, "price": price, "grade": grade,
                          "label": np.where(grade == "high", "H", "L").astype(object)})
    frame.loc[::9, "x2"] = np.nan
    kinds = {c: NUMBER if pd.api.types.is_numeric_dtype(frame[c]) else TEXT for c in frame.columns}
    return Table(name, frame, kinds)


def run_on(table: Table, choice: RoleChoice, cache: CellCache, preset=TABLE_ONLY):
    events = []
    result = run_task(run_compare(preset, cache=cache, table=TableSource(table, choice)), events.append)
    return result, events


@pytest.fixture(scope="module")
def own_runs(tmp_path_factory: pytest.TempPathFactory):
    """The tiny preset's table half on one table: a regression target and a classification target."""
    cache = CellCache(tmp_path_factory.mktemp("own_table") / "compare")
    table = shop_table()
    price, price_events = run_on(table, RoleChoice("price", ignore=["grade", "label"]), cache)
    grade, grade_events = run_on(table, RoleChoice("grade", ignore=["price"]), cache)
    return SimpleNamespace(cache=cache, table=table, price=price, grade=grade, grade_events=grade_events,
                           price_events=price_events)


@pytest.mark.parametrize("target", ["price", "grade"])
def test_a_persons_table_gives_a_curve_for_each_family_on_the_same_folds(own_runs, target) -> None:
    from engine.compare.cells import splits_fingerprint
    from engine.compare.table_half import prepare_table, table_splits

    result = getattr(own_runs, target)
    assert {(c.task, c.model, c.size) for c in result.cells} == {("table", m, s) for m in HOUSE_MODELS
                                                                 for s in (50, 100)}
    assert result.table.name == "shop.csv" and result.table.target == target and result.table_task == "table"
    for model in HOUSE_MODELS:
        assert [c.size for c in result.curve("table", model)] == [50, 100], "a learning curve over rows"
    choice = RoleChoice("price", ignore=["grade", "label"]) if target == "price" else RoleChoice("grade",
                                                                                                 ignore=["price"])
    setup = prepare_table(TableSource(own_runs.table, choice), TABLE_ONLY)
    for size in (50, 100):
        splits = table_splits(setup, size, TABLE_ONLY.house_repeats, TABLE_ONLY.seed)
        used = {c.model: c.folds for c in result.cells if c.size == size}
        assert set(used.values()) == {splits_fingerprint(splits)}, "trees and network: the very same rows"
        assert all(len(train) == size for train, _ in splits)
        held_out = np.sort(np.concatenate([test for _, test in splits]))
        assert np.array_equal(held_out, np.arange(len(setup.y))), "every row held out once per repeat"
    if target == "grade":
        assert result.table.task == "classification" and result.table.metric == "accuracy"
        assert all(0.0 <= c.score <= 1.0 and "f1_macro" in c.details for c in result.cells)
        assert result.table.notices and "label" in result.table.notices[0], "the planted copy is named"
        assert "label" not in result.table.features and "notice" in {p.stage for p in own_runs.grade_events}
        share = np.mean(setup.y == "high")
        for _, test in table_splits(setup, 100, 1, 0):
            assert abs(np.mean(setup.y[test] == "high") - share) < 0.05, "stratified folds"
    else:
        assert result.table.task == "regression" and result.table.metric == "mse"
        assert all(c.score > 0 and "r2" in c.details for c in result.cells)


def test_the_full_size_folds_are_the_tables_workspace_own() -> None:
    """At the full training folds a comparison cross-validates on the folds Mine uses."""
    from engine.compare.table_half import prepare_table, table_splits
    from engine.tables.mining import folds_for

    table = shop_table(n=163)  # folds of 33 and 32 rows: the full size keeps every training fold whole
    setup = prepare_table(TableSource(table, RoleChoice("grade", ignore=["price"])), TABLE_ONLY)
    ours = table_splits(setup, setup.full_size, 3, 0)
    mine = folds_for(setup.y, "classification")
    assert len(ours) == len(mine) == 5
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(ours, mine))


def test_readings_on_a_persons_table_name_it_and_its_metric(own_runs) -> None:
    for result, metric, way in ((own_runs.price, "MSE", "lower is better"),
                                (own_runs.grade, "accuracy", "higher is better")):
        r = {x.dimension: x for x in compare_readings(result, "en")}
        label = f"shop.csv → {result.table.target}"
        assert r["data_type"].text.startswith(f"On {label} the ") and f"{metric} " in r["data_type"].text
        assert way in r["data_type"].text and way in r["data_needed"].text
        assert f"{metric} " in r["data_type"].houses and "rows" in r["data_type"].houses
        assert "ms per row" in r["cost"].houses and label in r["cost"].text
        zh = compare_readings(result, "zh_CN")
        assert all("On " not in x.text and x.text for x in zh)
        assert ("越低越好" if metric == "MSE" else "越高越好") in zh[0].text
    # which family won, by how much, from the numbers: a hand-made pair at one size
    grade = own_runs.grade
    net, rival = grade.cell("table", "mlp", 100), grade.cell("table", "forest", 100)
    hand = CompareResult(TINY, [dataclasses.replace(net, score=0.80), dataclasses.replace(rival, score=0.85)],
                         table=grade.table)
    text = compare_readings(hand, "en")[0].text
    assert "the random forest won at 100 rows: accuracy 85.0% vs 80.0% for the neural network (MLP) (5.0 points " \
           "higher; higher is better)" in text
    level = CompareResult(TINY, [dataclasses.replace(net, score=0.85), dataclasses.replace(rival, score=0.85)],
                          table=grade.table)
    r = {x.dimension: x for x in compare_readings(level, "en")}
    assert "scored the same" in r["data_type"].text
    assert "ended level at 100 rows (accuracy 85.0% each)" in r["data_needed"].text, "a tie is never told as a loss"
    assert "ahead" not in r["data_needed"].text


def test_two_tables_never_share_a_cached_cell(own_runs) -> None:
    again, events = run_on(own_runs.table, RoleChoice("price", ignore=["grade", "label"]), own_runs.cache)
    assert all(c.cached for c in again.cells) and not [p for p in events if p.stage == "train"]
    assert [c.score for c in again.cells] == [c.score for c in own_runs.price.cells]
    other = shop_table()
    other.frame.loc[3, "price"] += 1.0  # one cell changed: another table
    sibling = CellCache(own_runs.cache.root)
    from engine.compare.table_half import prepare_table

    prints = {prepare_table(TableSource(tab, RoleChoice("price", ignore=["grade", "label"])), TABLE_ONLY).fingerprint
              for tab in (own_runs.table, other)}
    assert len(prints) == 2
    first_other = _first_table_cells(other, sibling, 2)
    assert not any(c.cached for c in first_other), "a changed table is measured afresh"
    assert {c.key for c in own_runs.price.cells}.isdisjoint({c.key for c in first_other})
    assert {c.key for c in own_runs.price.cells}.isdisjoint({c.key for c in own_runs.grade.cells}), \
        "another target of the same table has cells of its own"


def _first_table_cells(table: Table, cache: CellCache, n: int) -> list[CompareCell]:
    return _first_cells(cache, n, TABLE_ONLY, TableSource(table, RoleChoice("price", ignore=["grade", "label"])))


def test_a_large_table_is_sampled_with_a_notice(tmp_path) -> None:
    from engine.compare.table_half import prepare_table

    table = shop_table(n=20_500, seed=1, name="big.csv")
    setup = prepare_table(TableSource(table, RoleChoice("grade", ignore=["price"])), TABLE_ONLY)
    assert len(setup.y) == setup.info.rows_used == 20_000 and setup.info.rows_read == 20_500
    assert any("20,000 of the 20,500 rows" in n for n in setup.info.notices)
    assert setup.full_size == 16_000 and setup.sizes == [50, 100]
    quick_sizes = prepare_table(TableSource(table, RoleChoice("grade", ignore=["price"])), QUICK).sizes
    assert quick_sizes == [50, 100, 200, 800, 3200, 12800, 16000], "up to the table's rows"


def test_a_table_that_cannot_be_compared_is_one_clear_line() -> None:
    from engine.core.errors import InputError

    table = shop_table(n=12)
    with pytest.raises(InputError, match="At least 20 rows"):
        run_task(run_compare(TABLE_ONLY, cache=CellCache(), table=TableSource(table, RoleChoice("price"))))


def test_report_section_and_project_name_the_persons_table(own_runs, tmp_path) -> None:
    from engine.compare.report_section import compare_section, compare_summary
    from engine.core.session import Session
    from engine.project.files import apply_to_session, open_project_task, save_project_task
    from engine.project.parts.compare import PROVIDER
    from engine.report.model import Paragraph, Table as ReportTable

    for lang, words in (("en", ("target grade", "classification", "accuracy", "higher is better")),
                        ("zh_CN", ("目标列 grade", "分类", "准确率", "越高越好"))):
        section = compare_section(SimpleNamespace(compare=own_runs.grade), lang)
        text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
        assert "shop.csv" in text and all(w in text for w in words), (lang, text)
        tables = [b for b in section.blocks if isinstance(b, ReportTable)]
        assert "shop.csv → grade" in tables[0].header[2]
        assert "shop.csv → grade" in compare_summary(SimpleNamespace(compare=own_runs.grade), lang)
    session = Session()
    session.compare = own_runs.grade
    saved = run_task(save_project_task(session, [PROVIDER], tmp_path / "table.deepmine"))
    opened = run_task(open_project_task(saved.path, [PROVIDER]))
    restored = Session()
    apply_to_session(restored, opened)
    assert restored.compare.to_dict() == own_runs.grade.to_dict(), "a saved comparison on a table opens again"
    assert restored.compare.table.label == "shop.csv → grade" and restored.compare.table_task == "table"
