"""The Tables part of a project: a mined table saved in one data folder opens in a fresh one with the same
table, roles and cross-validation scores, its models retrained (never unpickled) and predicting as before;
a table kept by reference that changed or moved on disk is named and not used."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engine.core.session import Session
from engine.core.tasks import run_task
from engine.project.files import apply_to_session, inspect_project, open_project_task, save_project_task
from engine.project.part import ProjectContext
from engine.tables.explain import predict_frame
from engine.tables.mining import MineSettings, mine_task
from engine.tables.roles import RoleChoice, model_frame
from engine.tables.service import TableWorkspace, open_table_task
from engine.tables.settings import ModelSizes
from engine.workbench import project_parts
from test_tables_cli import write_messy_table

TREES = MineSettings(models=("tree", "forest", "boosting"), sizes=ModelSizes(n_trees=10, boosting_iter=20))


def mined_session(path: Path, settings: MineSettings = TREES) -> tuple[Session, object]:
    """The person opened ``path``, left 日期 out by hand and mined it for 价格 (the leak is flagged)."""
    workspace = TableWorkspace()
    opened = run_task(open_table_task(str(path)))
    workspace.set_opened(opened)
    result = run_task(mine_task(opened.table, RoleChoice("价格", ignore=["日期"]), settings, opened.profiles))
    session = Session()
    session.tables.append(workspace.set_result(result))
    return session, opened.table


def save(session: Session, path: Path, embed: bool) -> Path:
    context = ProjectContext(options={"embed_tables": embed})
    return run_task(save_project_task(session, project_parts(), path, context=context)).path


def reopen(path: Path, home: Path, monkeypatch):  # noqa: ANN201
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("DEEPMINE_HOME", str(home))  # another machine's stand-in: nothing cached from the first
    opened = run_task(open_project_task(path, project_parts()))
    session = Session()
    apply_to_session(session, opened)
    return opened, session


def predictions(result, table) -> dict[str, list]:  # noqa: ANN001
    X = model_frame(table.frame, table.kinds, result.roles.features).reset_index(drop=True)
    return {name: predict_frame(result, X, name)[0].tolist() for name in result.models}


@pytest.mark.parametrize("embed", [True, False], ids=["embedded", "referenced"])
def test_a_mined_table_reopens_in_a_fresh_data_folder_with_the_same_scores(tmp_path, monkeypatch, embed) -> None:
    source = write_messy_table(tmp_path / "房价.csv")
    session, table = mined_session(source)
    before = session.tables[0].result
    project = save(session, tmp_path / "lesson.deepmine", embed)
    with zipfile.ZipFile(project) as zf:
        names = zf.namelist()
        part = json.loads(zf.read("parts/tables/part.json"))
    assert any(n.endswith(".parquet") for n in names) is embed
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names), "no fitted model is stored"
    if not embed:
        assert part["tables"][0]["sha256"] == table.source["sha256"] and part["tables"][0]["size"] > 0

    opened, restored = reopen(project, tmp_path / "fresh-home", monkeypatch)
    assert opened.notices == []
    entry = restored.tables[0]
    after = entry.result
    assert after.cv == before.cv and after.best == before.best and after.roles == before.roles
    assert [(f.column, f.kept) for f in after.leaks] == [("价格副本", False)]
    assert ("日期", "user") in after.roles.ignored, "the person's own choice came back"
    assert entry.table.columns == table.columns and entry.table.rows == table.rows
    assert entry.table.changed_cells == table.changed_cells and entry.table.changes[0] == table.changes[0]
    np.testing.assert_array_equal(entry.table.frame["面积"].to_numpy(), table.frame["面积"].to_numpy())
    assert predictions(after, entry.table) == predictions(before, table), "the retrained models predict as before"
    assert opened.objects()["tables"][-1].choice.ignore == ["日期"]
    info = inspect_project(project, project_parts())
    assert info.summaries["tables"].startswith("1 table")


def test_a_referenced_table_that_changed_on_disk_is_reported_not_used(tmp_path, monkeypatch) -> None:
    source = write_messy_table(tmp_path / "房价.csv")
    session, _ = mined_session(source)
    project = save(session, tmp_path / "lesson.deepmine", embed=False)
    raw = source.read_bytes()
    source.write_bytes(raw.replace("北京".encode("gbk"), "天津".encode("gbk"), 1))  # same size, other content

    opened, restored = reopen(project, tmp_path / "fresh-home", monkeypatch)
    assert restored.tables == [] and opened.objects()["tables"] == []
    assert len(opened.notices) == 1 and "房价.csv" in opened.notices[0] and "changed" in opened.notices[0]

    source.unlink()  # moved away
    opened, restored = reopen(project, tmp_path / "another-home", monkeypatch)
    assert restored.tables == [] and "was not found" in opened.notices[0]


def test_a_table_changed_after_it_was_read_is_embedded_instead_of_referenced(tmp_path) -> None:
    source = write_messy_table(tmp_path / "房价.csv")
    session, _ = mined_session(source)
    source.write_bytes(source.read_bytes() + "9999;北京;50,0;2020-01-01;100,0;201,0\n".encode("gbk"))
    project = save(session, tmp_path / "lesson.deepmine", embed=False)
    with zipfile.ZipFile(project) as zf:
        part = json.loads(zf.read("parts/tables/part.json"))
    assert part["tables"][0]["storage"] == "embedded", "the table as mined is kept, not the file as it is now"


def test_a_project_with_absurd_model_sizes_is_refused(tmp_path, monkeypatch) -> None:
    from engine.core.errors import DataError
    from project_helpers import hand_made_project

    source = write_messy_table(tmp_path / "房价.csv")
    session, _ = mined_session(source)
    project = save(session, tmp_path / "lesson.deepmine", embed=False)
    with zipfile.ZipFile(project) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        part = json.loads(zf.read("parts/tables/part.json"))
    part["minings"][0]["settings"]["sizes"]["n_trees"] = 10**9  # would keep the machine busy for days
    body = json.dumps(part).encode("utf-8")
    hostile = hand_made_project(tmp_path / "hostile.deepmine", {"parts/tables/part.json": body},
                                manifest={"parts": manifest["parts"]})
    monkeypatch.setenv("DEEPMINE_HOME", str(tmp_path / "fresh"))
    with pytest.raises(DataError, match="impossible model settings"):
        run_task(open_project_task(hostile, project_parts()))


def test_saved_results_that_do_not_fit_their_models_are_refused(tmp_path, capsys) -> None:
    """A recommended model that was never trained would raise in the Tables views: refused with one line,
    by `deepmine project check` too (it said "opens cleanly" before)."""
    from engine.cli.main import main
    from engine.core.errors import DataError
    from project_helpers import hand_made_project

    session, _ = mined_session(write_messy_table(tmp_path / "房价.csv"))
    project = save(session, tmp_path / "lesson.deepmine", embed=False)
    with zipfile.ZipFile(project) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        part = json.loads(zf.read("parts/tables/part.json"))
    part["minings"][0]["result"]["best"] = "bogus"
    hostile = hand_made_project(tmp_path / "hostile.deepmine", {"parts/tables/part.json": json.dumps(part).encode()},
                                manifest={"parts": manifest["parts"]})
    assert main(["project", "check", str(hostile)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the saved results do not fit their models" in err[0]
    with pytest.raises(DataError, match="the saved results do not fit their models"):
        run_task(open_project_task(hostile, project_parts()))


def test_a_table_opened_by_a_relative_path_is_found_from_another_working_folder(tmp_path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    write_messy_table(tmp_path / "data" / "房价.csv")
    monkeypatch.chdir(tmp_path)
    session, _ = mined_session(Path("data") / "房价.csv")  # as `deepmine mine data/房价.csv` would name it
    project = save(session, tmp_path / "lesson.deepmine", embed=False)
    with zipfile.ZipFile(project) as zf:
        stored = json.loads(zf.read("parts/tables/part.json"))["tables"][0]["path"]
    assert stored == str((tmp_path / "data" / "房价.csv").resolve())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    opened, restored = reopen(project, tmp_path / "fresh-home", monkeypatch)
    assert opened.notices == [] and len(restored.tables) == 1, "the table is found, not reported as moved"


@pytest.mark.slow  # trains a tiny Keras MLP (five folds and once on all rows)
def test_the_network_comes_back_from_its_stored_weights(tmp_path, monkeypatch) -> None:
    settings = MineSettings(models=("tree", "mlp"), sizes=ModelSizes(mlp_epochs=3, mlp_hidden=(8,), mlp_max_rows=200))
    source = write_messy_table(tmp_path / "房价.csv", n=120)
    session, table = mined_session(source, settings)
    before = session.tables[0].result
    project = save(session, tmp_path / "lesson.deepmine", embed=True)
    _, restored = reopen(project, tmp_path / "fresh-home", monkeypatch)
    after = restored.tables[0].result
    assert after.cv == before.cv
    assert predictions(after, restored.tables[0].table) == predictions(before, table)


def test_the_tables_workspace_shows_a_reopened_project(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QLabel, QTableWidget

    from gui.main_window import MainWindow
    from helpers import window_options

    source = write_messy_table(tmp_path / "房价.csv")
    session, _ = mined_session(source)
    before = session.tables[0].result
    project = save(session, tmp_path / "lesson.deepmine", embed=True)
    monkeypatch.setenv("DEEPMINE_HOME", str(tmp_path / "fresh-home"))
    window = MainWindow(options=window_options())
    qtbot.addWidget(window)
    window.projects.unsaved_prompt = lambda: "discard"
    with qtbot.waitSignal(window.projects.opened, timeout=120_000):
        window.projects.open_project(str(project))
    tab = window.tables_tab
    cv = window.findChild(QTableWidget, "tableCvTable")
    assert cv.rowCount() == 3 and tab.target_combo.currentText() == "价格"
    assert "价格副本" in window.findChild(QLabel, "leakageWarning").text()
    assert len(window.session.tables) == 1 and window.session.tables[0].result.cv == before.cv
    roles = window.findChild(QTableWidget, "columnRolesTable")
    by_name = {roles.item(i, 0).text(): i for i in range(roles.rowCount())}
    assert roles.cellWidget(by_name["日期"], 2).currentData() == "ignored", "the person's choice is shown"
    assert not window.isWindowModified()
    window.close()


def test_a_teachers_round_trip_through_the_gui_embeds_or_references_the_table(qtbot, tmp_path, monkeypatch,
                                                                             capsys) -> None:
    """File → Save as… with "Embed tables" on, then off; each opened in a fresh data folder through
    File → Open project…: the same CV scores; the referenced one reported once its file changed."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QTableWidget

    from engine.cli.main import main
    from gui.main_window import MainWindow
    from helpers import window_options

    source = write_messy_table(tmp_path / "房价.csv")
    session, table = mined_session(source)
    before = session.tables[0].result
    first = MainWindow(options=window_options())
    qtbot.addWidget(first)
    first.session.tables.extend(session.tables)  # what the Tables tab records when its mining ends
    embed = first.findChild(QAction, "embedTablesAction")
    assert embed.isCheckable() and embed.isChecked(), "tables are embedded unless the person says otherwise"
    paths = {}
    for name in ("embedded", "referenced"):
        with qtbot.waitSignal(first.projects.saved, timeout=60_000):
            first.projects.save_as(str(tmp_path / f"{name}.deepmine"))
        paths[name] = tmp_path / f"{name}.deepmine"
        embed.trigger()  # off for the second save
    assert first.projects.embed_tables(), "the choice is kept (toggled back on by the second trigger)"
    first.close()
    sizes = {name: path.stat().st_size for name, path in paths.items()}
    with zipfile.ZipFile(paths["embedded"]) as zf:
        parquet = zf.getinfo("parts/tables/tables/t0.parquet").file_size
    with zipfile.ZipFile(paths["referenced"]) as zf:
        assert not any(n.endswith(".parquet") for n in zf.namelist())
    assert sizes["embedded"] - sizes["referenced"] >= 0.9 * parquet, "the table's copy is what the embedded one adds"

    assert main(["project", "info", str(paths["referenced"])]) == 0
    assert f"referenced: {source}" in capsys.readouterr().out, "info names the table's file"
    assert main(["project", "check", str(paths["referenced"])]) == 0, "its file is where it was: clean"

    for name, home in (("embedded", "machine-b"), ("referenced", "machine-c")):
        monkeypatch.setenv("DEEPMINE_HOME", str(tmp_path / home))
        window = MainWindow(options=window_options())
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.projects.opened, timeout=120_000):
            window.projects.open_project(str(paths[name]))
        assert window.session.tables[0].result.cv == before.cv, name
        assert window.findChild(QTableWidget, "tableCvTable").rowCount() == 3
        window.close()

    source.write_bytes(source.read_bytes().replace("上海".encode("gbk"), "深圳".encode("gbk"), 1))
    assert main(["project", "info", str(paths["referenced"])]) == 0
    assert "(changed since it was saved)" in capsys.readouterr().out
    assert main(["project", "check", str(paths["referenced"])]) == 2, "opening would leave the table out"
    assert "房价.csv" in capsys.readouterr().err
    monkeypatch.setenv("DEEPMINE_HOME", str(tmp_path / "machine-d"))
    window = MainWindow(options=window_options())
    qtbot.addWidget(window)
    reported = []
    window.projects.reported.connect(reported.append)
    with qtbot.waitSignal(window.projects.opened, timeout=120_000):
        window.projects.open_project(str(paths["referenced"]))
    assert len(reported) == 1 and "房价.csv" in reported[0] and "changed" in reported[0] and "\n" not in reported[0]
    assert reported[0] in window.statusBar().currentMessage(), "the person sees it"
    assert window.session.tables == [], "a changed file is never used in the table's place"
    window.close()
