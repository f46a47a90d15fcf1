"""Mining a table: roles, leakage flagged before training, cleaning fitted inside each training fold,
cross-validation metrics, explanations, example tables, the report section."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.core.errors import DownloadError
from engine.core.tasks import run_task
from engine.tables.examples import load_california, load_example
from engine.tables.mining import MineSettings, cross_validate_task, mine_task, prepare
from engine.tables.pipeline import ModelSizes
from engine.tables.profile import profile_table
from engine.tables.roles import RoleChoice, suggest_roles
from engine.tables.table import NUMBER, TEXT, Table

ROOT = Path(__file__).resolve().parent.parent
SMALL = ModelSizes(n_trees=10, boosting_iter=20, mlp_epochs=5, mlp_hidden=(8,), mlp_max_rows=500)
TREES = MineSettings(models=("tree", "forest", "boosting"), sizes=SMALL)


def synthetic(n: int = 400, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    color = rng.choice(["red", "green", "blue"], n).astype(object)
    y = (x1 + (color == "red") > 0.3).astype(int)
    frame = pd.DataFrame({"row_id": np.arange(1, n + 1, dtype=float), "x1": x1, "x2": x2, "color": color,
                          "same": np.ones(n), "alive": np.where(y == 1, "yes", "no").astype(object),
                          "survived": y.astype(float)})
    frame.loc[::7, "x1"] = np.nan  # missing cells the imputer fills
    kinds = {c: NUMBER if pd.api.types.is_numeric_dtype(frame[c]) else TEXT for c in frame.columns}
    return Table("synthetic", frame, kinds)


def test_roles_are_suggested_with_reasons() -> None:
    table = synthetic()
    roles = suggest_roles(table, profile_table(table), "survived")
    assert roles.task == "classification"
    assert dict(roles.ignored) == {"row_id": "id", "same": "constant"}
    assert set(roles.features) == {"x1", "x2", "color", "alive"}


def test_a_recoding_of_the_target_is_flagged_and_left_out_unless_kept() -> None:
    table = synthetic()
    result = run_task(mine_task(table, RoleChoice("survived"), TREES))
    assert [(f.column, f.kept) for f in result.leaks] == [("alive", False)]
    assert result.leaks[0].score == pytest.approx(1.0)
    assert "alive" not in result.roles.features and ("alive", "leakage") in result.roles.ignored
    assert any("alive predicts survived almost perfectly" in n for n in result.notices)
    assert set(result.cv["tree"]) == {"accuracy", "balanced_accuracy", "f1_macro", "roc_auc"}
    assert result.cv[result.best]["accuracy"] < 0.99, "without the leak the task is not trivial"
    assert np.sum(result.confusion["tree"]) == 400

    kept = run_task(mine_task(table, RoleChoice("survived", keep=["alive"]), TREES))
    assert kept.leaks[0].kept and "alive" in kept.roles.features
    assert kept.cv["tree"]["accuracy"] == pytest.approx(1.0)


def test_imputer_and_scaler_are_fitted_inside_each_training_fold() -> None:
    """Fails if the cleaning were fitted on the whole table (or on any held-out rows)."""
    table = synthetic()
    roles = suggest_roles(table, profile_table(table), "survived", ignore=("alive",))
    prepared = prepare(table, roles)
    settings = MineSettings(models=("tree", "mlp"), sizes=SMALL)
    task = cross_validate_task(prepared, MineSettings(models=("tree",), sizes=SMALL), keep_fold_models=True)
    out = run_task(task)
    X = prepared.X.iloc[out["rows"]].reset_index(drop=True)
    whole_median = np.nanmedian(X["x1"])
    medians = []
    for pipe, (train, _test) in zip(out["fold_models"]["tree"], out["folds"]):
        imputer = pipe.named_steps["clean"].named_transformers_["num"].named_steps["impute"]
        numbers = list(pipe.named_steps["clean"].transformers_[0][2])
        assert imputer.statistics_[numbers.index("x1")] == pytest.approx(np.nanmedian(X["x1"].iloc[train]))
        medians.append(imputer.statistics_[numbers.index("x1")])
    assert not all(m == pytest.approx(whole_median) for m in medians), "folds differ from the whole table"
    # the network's scaler: mean and scale of the imputed training rows only (pipeline built, not trained)
    from engine.tables.pipeline import preprocessor

    for train, _test in out["folds"]:
        clean = preprocessor("network").fit(X.iloc[train])
        scaler = clean.named_transformers_["num"].named_steps["scale"]
        x1 = X["x1"].iloc[train].to_numpy()
        x1 = np.where(np.isnan(x1), np.nanmedian(x1), x1)
        numbers = list(clean.transformers_[0][2])
        assert scaler.mean_[numbers.index("x1")] == pytest.approx(x1.mean())
    from engine.tables.pipeline import make_pipeline

    assert make_pipeline("mlp", "classification", settings.sizes).named_steps["clean"] is not None


def test_rule_path_in_words_and_predictions_for_a_row() -> None:
    from engine.tables.explain import importances, row_inputs, rule_path, what_if

    table = synthetic()
    result = run_task(mine_task(table, RoleChoice("survived"), TREES))
    path = rule_path(result, row_inputs(table, result, 0))
    assert "→" in path.words and "training rows" in path.outcome
    assert any(s.column in ("x1", "color") for s in path.steps)
    ranked = importances(result)
    assert ranked["x1"]["mutual_information"] > ranked["x2"]["mutual_information"]
    assert ranked["x1"]["tree"] > ranked["x2"]["tree"]
    xs, curves = what_if(result, row_inputs(table, result, 0), "x1", table.frame["x1"])
    assert len(xs) == 40 and set(curves) == {"tree", "forest", "boosting"}
    assert all(0.0 <= v <= 1.0 for v in curves["forest"])


def test_example_tables_offline() -> None:
    wine = run_task(mine_task(load_example("wine"), RoleChoice("cultivar"), TREES))
    assert wine.task == "classification" and wine.cv["forest"]["accuracy"] > 0.85
    diabetes = run_task(mine_task(load_example("diabetes"), RoleChoice("target"),
                                  MineSettings(models=("tree",), sizes=SMALL)))
    assert diabetes.task == "regression" and set(diabetes.cv["tree"]) == {"mse", "mae", "r2"}
    boston = load_example("boston")
    assert "MEDV" in boston.columns and "racist" in boston.notes[0]
    assert load_example("breast_cancer").frame["diagnosis"].nunique() == 2


def test_california_download_failure_is_one_clear_line(monkeypatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")  # nothing listens there: no network, at once
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with pytest.raises(DownloadError) as err:
        load_california()
    message = str(err.value)
    assert message.startswith("California housing could not be downloaded") and "\n" not in message


def test_opening_and_profiling_never_imports_tensorflow(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n" + "".join(f"{i},{i % 3},x{i % 4}\n" for i in range(50)), encoding="utf-8")
    code = ("import sys; from engine.core.tasks import run_task; from engine.tables.service import open_table_task;"
            f"o = run_task(open_table_task({str(path)!r})); print(o.roles.target, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["c", "False"]


@pytest.mark.slow  # trains a tiny Keras MLP five times (and once more on all rows)
def test_keras_mlp_cross_validates_in_the_same_pipeline() -> None:
    table = synthetic(200)
    result = run_task(mine_task(table, RoleChoice("survived", ignore=["alive"]),
                                MineSettings(models=("tree", "mlp"), sizes=SMALL)))
    assert set(result.cv) == {"tree", "mlp"} and 0.4 < result.cv["mlp"]["accuracy"] <= 1.0
    import pickle

    from engine.tables.explain import predict_frame, row_inputs

    copy = pickle.loads(pickle.dumps(result.models["mlp"]))  # crosses from the worker: our own pipe only
    pred, proba = predict_frame(result, row_inputs(table, result, 1), "mlp")
    assert copy.predict(row_inputs(table, result, 1))[0] == pred[0] and proba.shape == (1, 2)


def test_report_section_lists_cleaning_roles_leaks_and_cv(tmp_path) -> None:
    from engine.core.session import Session
    from engine.tables.service import OpenedTable, TableWorkspace
    from engine.workbench import write_workbench_report

    table = synthetic()
    workspace = TableWorkspace()
    profiles = profile_table(table)
    workspace.set_opened(OpenedTable(table, profiles, suggest_roles(table, profiles, "survived")))
    entry = workspace.set_result(run_task(mine_task(table, RoleChoice("survived"), TREES)))
    workspace.explain_row(3)
    session = Session()
    session.tables.append(entry)
    out = write_workbench_report(session, tmp_path / "r.html", ["tables"])
    html = out.read_text(encoding="utf-8")
    assert "alive" in html and "Target leakage" in html and "balanced_accuracy" in html and "Rows explained" in html


def test_when_no_feature_is_left_the_error_names_each_column_and_why() -> None:
    from engine.core.errors import InputError

    n = 60
    frame = pd.DataFrame({"id": np.arange(n).astype(float), "copy": np.arange(n) % 7 * 1.5,
                          "y": np.arange(n) % 7 * 1.5})
    table = Table("copy.csv", frame, {"id": NUMBER, "copy": NUMBER, "y": NUMBER})
    with pytest.raises(InputError) as caught:
        run_task(mine_task(table, RoleChoice("y", "regression"), TREES))
    text = str(caught.value)
    assert "copy" in text and "leakage" in text and "id" in text and "--keep" in text, text
    kept = run_task(mine_task(table, RoleChoice("y", "regression", keep=["copy"]), TREES))
    assert "copy" in kept.roles.features, "kept on purpose, as the error says"


def test_too_few_rows_is_one_line_before_any_model_runs(recwarn) -> None:
    from engine.core.errors import InputError

    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "z": [2.0, 3.0, 1.0], "y": [1.0, 2.0, 3.5]})
    table = Table("three.csv", frame, {"x": NUMBER, "z": NUMBER, "y": NUMBER})
    with pytest.raises(InputError, match="At least 20 rows"):
        run_task(mine_task(table, RoleChoice("y"), TREES))
    assert not [w for w in recwarn if "sklearn" in str(w.filename)], "no library warning reaches the person"
