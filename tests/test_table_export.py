"""Export a mined table model (issue 23): every exported format loads again outside the app — the
skops file with its trusted types only, the ONNX file through onnxruntime — and predicts as the app
does on rows with a missing cell, a category and an unseen category; the model card holds the
columns, roles, cleaning and CV scores; the README's code runs as written; nothing is replaced
unasked; the CLI and the Tables workspace's button do it end to end. ``TestHostileFiles`` joins the
fault suite (bench/reliability.py)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from engine.core.errors import DataError, InputError
from engine.core.tasks import run_task
from engine.tables.explain import predict_frame
from engine.tables.mining import MineSettings, mine_task
from engine.tables.model_card import readme_code_blocks
from engine.tables.model_export import TRUSTED_TYPES, export_table_model_task, load_table_model, onnx_feeds
from engine.tables.reading import read_table
from engine.tables.roles import RoleChoice
from engine.tables.settings import MODEL_NAMES, ModelSizes

TINY = ModelSizes(n_trees=8, boosting_iter=15, mlp_epochs=4, mlp_hidden=(8,), mlp_max_rows=400)
CONVERTED = {"tree", "forest", "mlp"}  # skl2onnx 1.20 converts these; boosting fails with protobuf 7 (see card)


def write_table(path: Path, task: str, n: int = 160, seed: int = 3) -> Path:
    """编号 (an ID), 面积 (numbers, some empty), 颜色 (a category, some empty), 日期 (a date),
    副本 (a copy of the target: leakage) and 结果 (the target: yes/no, or a number)."""
    rng = np.random.default_rng(seed)
    area = rng.uniform(20, 120, n)
    color = rng.choice(["红", "绿", "蓝"], n)
    score = area / 40 + (color == "红") * 1.5 + rng.normal(0, 0.4, n)
    target = np.where(score > 2.2, "yes", "no") if task == "classification" else np.round(score * 10, 2)
    frame = pd.DataFrame({"编号": np.arange(1, n + 1), "面积": np.round(area, 1), "颜色": color,
                          "日期": [f"2021-{1 + i % 12:02d}-{1 + i % 27:02d}" for i in range(n)],
                          "副本": [f"copy-{v}" for v in target], "结果": target})
    frame = frame.astype({"面积": object, "颜色": object})
    frame.loc[::11, "面积"] = ""
    frame.loc[::13, "颜色"] = ""
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def mined_table(folder: Path, task: str, models: tuple[str, ...]):  # noqa: ANN201
    table = read_table(write_table(folder / f"{task}.csv", task))
    result = run_task(mine_task(table, RoleChoice("结果"), MineSettings(models=models, sizes=TINY)))
    return table, result


@pytest.fixture(scope="module")
def classified(tmp_path_factory):  # noqa: ANN201
    return mined_table(tmp_path_factory.mktemp("classification"), "classification", MODEL_NAMES)


@pytest.fixture(scope="module")
def regressed(tmp_path_factory):  # noqa: ANN201
    return mined_table(tmp_path_factory.mktemp("regression"), "regression", MODEL_NAMES)


@pytest.fixture(scope="module")
def tree_only(tmp_path_factory):  # noqa: ANN201 — light enough for the fault suite
    return mined_table(tmp_path_factory.mktemp("tree"), "classification", ("tree",))


def hard_rows(table, result) -> pd.DataFrame:  # noqa: ANN001
    """The table's first rows (with its own missing cells), then a missing number, a missing category and an
    unseen category, as the models' input frame."""
    from engine.tables.roles import model_frame

    X = model_frame(table.frame.iloc[:30], table.kinds, result.roles.features).reset_index(drop=True)
    extra = X.iloc[[0, 1, 2]].copy().reset_index(drop=True)
    extra.loc[0, "面积"] = np.nan
    extra["颜色"] = pd.Series([None, "红", "紫"], dtype=object)
    return pd.concat([X, extra], ignore_index=True).astype({"颜色": object})


def check_formats(out: Path, name: str, table, result) -> dict:  # noqa: ANN001
    """The exported folder's skops and ONNX files predict as the app does; returns the card."""
    card = json.loads((out / "model-card.json").read_text(encoding="utf-8"))
    X = hard_rows(table, result)
    app_pred, app_proba = predict_frame(result, X, name)
    model = sio.load(out / f"{name}.skops", trusted=list(TRUSTED_TYPES))
    inputs = [e["column"] for e in card["inputs"]]
    if result.task == "classification":
        np.testing.assert_array_equal(model.predict(X[inputs]).astype(str), app_pred.astype(str))
        np.testing.assert_allclose(model.predict_proba(X[inputs]), app_proba, atol=1e-5)
    else:
        np.testing.assert_allclose(model.predict(X[inputs]), app_pred, rtol=1e-5, atol=1e-4)
    if card["onnx"]["file"] is None:
        assert name not in CONVERTED, card["onnx"]["reason_missing"]
        assert card["onnx"]["reason_missing"] and "\n" not in card["onnx"]["reason_missing"]
        assert "No ONNX file: " + card["onnx"]["reason_missing"] in (out / "README.txt").read_text(encoding="utf-8")
        return card
    import onnxruntime as ort

    session = ort.InferenceSession(str(out / card["onnx"]["file"]), providers=["CPUExecutionProvider"])
    got = session.run(None, onnx_feeds(X, card["onnx"]["inputs"]))
    if result.task == "classification":
        np.testing.assert_array_equal(got[0].astype(str), app_pred.astype(str))
        np.testing.assert_allclose(got[1], app_proba, atol=1e-4)
    else:
        np.testing.assert_allclose(got[0][:, 0], app_pred, rtol=1e-4, atol=1e-3)
    return card


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_format_of_a_classifier_predicts_as_the_app(classified, tmp_path, name) -> None:
    table, result = classified
    names = run_task(export_table_model_task(result, table.name, name, tmp_path / "out", table=table))
    expected = {"README.txt", "model-card.json", f"{name}.skops"} | ({f"{name}.onnx"} if name in CONVERTED else set())
    assert expected <= set(names) <= expected | {f"{name}.onnx"}
    check_formats(tmp_path / "out", name, table, result)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_format_of_a_regressor_predicts_as_the_app(regressed, tmp_path, name) -> None:
    table, result = regressed
    run_task(export_table_model_task(result, table.name, name, tmp_path / "out", table=table))
    check_formats(tmp_path / "out", name, table, result)


def test_the_trusted_list_is_exactly_what_our_pipelines_need(classified, regressed, tmp_path) -> None:
    asked: set[str] = set()
    for i, (table, result) in enumerate((classified, regressed)):
        for name in MODEL_NAMES:
            out = tmp_path / f"{i}-{name}"
            run_task(export_table_model_task(result, table.name, name, out))
            asked |= set(sio.get_untrusted_types(file=out / f"{name}.skops"))
            card = json.loads((out / "model-card.json").read_text(encoding="utf-8"))
            assert set(card["skops"]["trusted_types"]) <= set(TRUSTED_TYPES)
            assert not any(t.startswith("engine.") for t in card["skops"]["trusted_types"]), "DeepMine is not needed"
    assert asked == set(TRUSTED_TYPES)


def test_the_card_holds_columns_roles_cleaning_and_every_cv_score(classified, tmp_path) -> None:
    table, result = classified
    run_task(export_table_model_task(result, table.name, None, tmp_path / "out", table=table))
    card = json.loads((tmp_path / "out" / "model-card.json").read_text(encoding="utf-8"))
    assert card["exported"] == result.best and card["model"]["recommended"] == result.best
    assert card["table"]["source"]["sha256"] == table.source["sha256"] and card["table"]["name"] == "classification.csv"
    assert card["target"] == "结果" and card["task"] == "classification" and card["classes"] == ["no", "yes"]
    kinds = {e["column"]: e["kind"] for e in card["inputs"]}
    assert kinds == {"面积": "number", "颜色": "category", "日期.year": "date part", "日期.month": "date part",
                     "日期.weekday": "date part"}
    by_column = {e["column"]: e for e in card["inputs"]}
    assert set(by_column["颜色"]["categories"]) == {"红", "绿", "蓝"}
    assert 20 <= by_column["面积"]["observed_min"] < by_column["面积"]["observed_max"] <= 120
    assert card["features"] == {"面积": "number", "颜色": "category", "日期": "date"}
    ignored = {e["column"]: e["code"] for e in card["ignored"]}
    assert ignored == {"编号": "id", "副本": "leakage"}
    assert [(f["column"], f["kept"]) for f in card["leakage"]] == [("副本", False)]
    imputed = {e["column"]: e["cells"] for e in card["cleaning"]["imputed"]}
    assert imputed == {"面积": 15, "颜色": 13} and card["cleaning"]["rows_used"] == 160
    assert set(card["cross_validation"]["mean"]) == set(MODEL_NAMES)
    assert card["cross_validation"]["mean"]["tree"]["accuracy"] == pytest.approx(result.cv["tree"]["accuracy"])
    assert {"scikit-learn", "skops", "skl2onnx", "python"} <= set(card["versions"])
    assert set(card["files"]) == {n for n in os.listdir(tmp_path / "out") if n.endswith((".skops", ".onnx"))}


@pytest.mark.parametrize("name", ["forest", "mlp"])
def test_the_readme_code_runs_as_written(classified, regressed, tmp_path, monkeypatch, name) -> None:
    for i, (table, result) in enumerate((classified, regressed)):
        out = tmp_path / f"out{i}"
        run_task(export_table_model_task(result, table.name, name, out, table=table))
        blocks = readme_code_blocks((out / "README.txt").read_text(encoding="utf-8"))
        assert len(blocks) == 2, "a skops and an ONNX snippet"
        monkeypatch.chdir(out)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            for block in blocks:
                exec(compile(block, "README.txt", "exec"), {})  # noqa: S102 — our own generated snippet
        assert printed.getvalue().strip()


def test_the_cli_mines_and_exports_and_never_replaces_unasked(tmp_path, capsys) -> None:
    from engine.cli.main import main

    csv = write_table(tmp_path / "t.csv", "classification")
    out = tmp_path / "exported"
    args = ["export-model", "--kind", "table", str(csv), "--target", "结果", "--models", "tree,forest",
            "--model", "forest", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / n) for n in ("README.txt", "forest.onnx", "forest.skops", "model-card.json")]
    from engine.tables.roles import model_frame

    card = json.loads((out / "model-card.json").read_text(encoding="utf-8"))
    table = read_table(csv)
    X = model_frame(table.frame, table.kinds, list(card["features"]))[[e["column"] for e in card["inputs"]]]
    assert set(load_table_model(out / "forest.skops").predict(X)) <= {"yes", "no"}
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[-1]
    assert main([*args[:-1], "--force", str(out)]) == 0
    capsys.readouterr()
    assert main([*args[:-1], "--force", str(tmp_path)]) == 2, "the folder holding the table is never replaced"
    assert "which this export reads" in capsys.readouterr().err and csv.is_file()
    assert main([*args[:-1], "--ignore", "编号", str(tmp_path / "other")]) == 2
    assert "read as a column name" in capsys.readouterr().err
    assert main(["export-model", "--kind", "table", "--target", "结果", str(csv)]) == 2  # OUT missing
    assert main(["export-model", "--kind", "digits", str(csv), str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "takes only the output folder" in err[-1]


def test_the_tables_workspace_exports_through_its_button(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QPushButton

    from engine.core.session import Session
    from gui.tables.model_export import TableModelExport
    from gui.tables.workspace import TablesTab

    tab = TablesTab(Session(), MineSettings(models=("tree", "forest"), sizes=TINY), modal_errors=False)
    qtbot.addWidget(tab)
    export = tab.model_export
    button = tab.findChild(QPushButton, "exportTableModelButton")
    assert isinstance(export, TableModelExport) and button is export.button and not button.isEnabled()
    with qtbot.waitSignal(tab.tableOpened, timeout=60_000):
        tab.open_path(str(write_table(tmp_path / "t.csv", "classification")))
    tab.target_combo.setCurrentText("结果")
    assert not button.isEnabled(), "nothing mined yet"
    with qtbot.waitSignal(tab.mined, timeout=300_000):
        tab.mine_button.click()
    assert button.isEnabled() and export.action.isEnabled()
    messages: list[str] = []
    tab.statusMessage.connect(messages.append)
    out = tmp_path / "exported"
    with qtbot.waitSignal(export.exported, timeout=60_000):
        export.export(out_dir=str(out))
    best = tab.workspace.result.best
    assert (out / f"{best}.skops").is_file() and (out / "model-card.json").is_file()
    assert "Exported" in messages[-1] and str(out) in messages[-1]
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(export.failed, timeout=60_000) as refused:
        export.export(out_dir=str(out))  # the folder exists now: not replaced
    assert "already exists" in refused.args[0]
    assert export.shutdown() and tab.shutdown()


class TestHostileFiles:
    """Fault suite: a skops file is loaded only with the trusted types; a taken folder is never replaced."""

    def test_a_skops_file_asking_for_other_types_is_refused(self, tree_only, tmp_path) -> None:
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer

        hostile = tmp_path / "hostile.skops"
        sio.dump(Pipeline([("run", FunctionTransformer(os.system))]), hostile)
        with pytest.raises(DataError, match="does not trust .*system"):
            load_table_model(hostile)
        own = tmp_path / "app-pipeline.skops"  # the app's own pipeline, not made portable: our classes
        sio.dump(tree_only[1].models["tree"], own)
        with pytest.raises(DataError, match="engine.tables.pipeline.TopKColumns"):
            load_table_model(own)

    def test_a_damaged_skops_file_is_one_clear_line(self, tmp_path) -> None:
        broken = tmp_path / "broken.skops"
        broken.write_bytes(b"not a zip at all")
        with pytest.raises(DataError, match="not a readable skops model file") as err:
            load_table_model(broken)
        assert "\n" not in str(err.value)
        with zipfile.ZipFile(tmp_path / "empty.skops", "w") as z:
            z.writestr("schema.json", "{]")
        with pytest.raises(DataError, match="not a readable skops model file"):
            load_table_model(tmp_path / "empty.skops")

    def test_an_existing_folder_is_not_replaced_unasked(self, tree_only, tmp_path) -> None:
        table, result = tree_only
        out = tmp_path / "taken"
        out.mkdir()
        (out / "mine.txt").write_text("keep me", encoding="utf-8")
        with pytest.raises(InputError, match="already exists"):
            run_task(export_table_model_task(result, table.name, "tree", out))
        with pytest.raises(InputError, match="not an earlier export"):  # even when asked: not ours to delete
            run_task(export_table_model_task(result, table.name, "tree", out, overwrite=True))
        assert [p.name for p in tmp_path.iterdir()] == ["taken"] and (out / "mine.txt").read_text() == "keep me"
        earlier = tmp_path / "earlier"
        run_task(export_table_model_task(result, table.name, "tree", earlier))
        (earlier / "tree.skops").write_bytes(b"stale")
        run_task(export_table_model_task(result, table.name, "tree", earlier, overwrite=True))
        assert (earlier / "tree.skops").read_bytes() != b"stale", "an earlier export is replaced when asked"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier", "taken"], "no staging or old folder left"
        a_file = tmp_path / "notes.txt"
        a_file.write_text("mine", encoding="utf-8")
        with pytest.raises(InputError, match="is a file"):
            run_task(export_table_model_task(result, table.name, "tree", a_file, overwrite=True))
        assert a_file.read_text(encoding="utf-8") == "mine"

    def test_a_model_that_was_not_mined_is_one_clear_line(self, tree_only, tmp_path) -> None:
        table, result = tree_only
        with pytest.raises(InputError, match="was not mined"):
            run_task(export_table_model_task(result, table.name, "svm", tmp_path / "out"))
        assert not (tmp_path / "out").exists()
