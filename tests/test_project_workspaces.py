"""Opening a project puts the workspaces back as they were, in a fresh data folder (another machine's
stand-in): the house lab's settings and the form's values on the Houses tab, the network being built
and the last run on the Lab tab; and a project saved in another language offers to switch to it
(the app restarts into it and opens the project again)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from engine.core.session import Session
from engine.core.tasks import run_task
from engine.project.files import save_project_task
from engine.workbench import project_parts
from helpers import window_options
from test_project_roundtrip import comparison, move_home


def new_window(qtbot):  # noqa: ANN201
    from gui.main_window import MainWindow

    window = MainWindow(options=window_options())
    qtbot.addWidget(window)
    return window


def save_through_the_menu(qtbot, window, path: Path) -> Path:  # noqa: ANN001
    with qtbot.waitSignal(window.projects.saved, timeout=60_000):
        window.projects.save_as(str(path))
    return path


def open_through_the_menu(qtbot, window, path: Path, *also) -> None:  # noqa: ANN001, ANN002
    with qtbot.waitSignals([window.projects.opened, *also], timeout=120_000):
        window.projects.open_project(str(path))


def test_the_houses_tab_gets_its_lab_settings_and_form_values_back(qtbot, tmp_path, monkeypatch) -> None:
    first = new_window(qtbot)
    houses = first.house_tab
    houses.lab.set_lab_settings({"max_depth": 3, "min_samples_leaf": 7, "drop_b": True})
    with qtbot.waitSignal(houses.modelsReady, timeout=120_000):
        houses.start_background_work()
    houses.set_values({"RM": 7.25, "LSTAT": 4.5, "CHAS": 1.0})
    houses.predict_and_record()
    form, price = houses.values(), houses.price.text()
    project = save_through_the_menu(qtbot, first, tmp_path / "houses.deepmine")
    first.close()

    move_home(monkeypatch, tmp_path / "another-machine")
    second = new_window(qtbot)
    again = second.house_tab
    assert again.lab.depth.value() != 3, "a new window starts from the default settings"
    open_through_the_menu(qtbot, second, project, again.modelsReady)
    assert (again.lab.depth.value(), again.lab.min_leaf.value(), again.lab.drop_b.isChecked()) == (3, 7, True)
    assert again.values() == form, "the form shows the house as it was saved, not the typical one"
    assert again.price.text() == price, "the retrained models price it as before"
    assert second.session.house_models.params["max_depth"] == 3 and len(second.session.houses) == 1
    assert not second.isWindowModified(), "retraining with the saved settings is no change"
    second.close()


def lab_run(recipe: dict) -> dict:
    """A finished lab run as the worker's ``lab_run_task`` returns it (its network file on the first machine)."""
    return {"recipe": recipe, "history": [{"loss": 1.2, "accuracy": 0.6, "val_loss": 1.0, "val_accuracy": 0.7},
                                          {"loss": 0.5, "accuracy": 0.86, "val_loss": 0.6, "val_accuracy": 0.82}],
            "gradient_norms": [{"batch": 1, "norms": [0.5, 0.2, 0.1]}], "diverged": False, "reason": "",
            "val_accuracy": 0.82, "val_size": 1000, "train_accuracy": 0.86, "params": 25_450, "seconds": 4.2,
            "train_size": 2000, "data_label": "offline sample", "confusion": None,
            "keras_path": "/first-machine/models/lab-net.keras"}


def test_the_lab_tab_gets_its_network_and_last_run_back(qtbot, tmp_path, monkeypatch) -> None:
    from engine.lab.recipe import LabRecipe
    from engine.lab.report_section import record_lab_run
    from engine.lab.spec import default_cnn

    first = new_window(qtbot)
    first.lab_tab.steps.apply_recipe(LabRecipe(network=default_cnn(), epochs=3, learning_rate=0.01, seed=7))
    built = first.lab_tab.steps.recipe_dict()
    record_lab_run(first.session, lab_run(built))
    project = save_through_the_menu(qtbot, first, tmp_path / "lab.deepmine")
    first.close()

    move_home(monkeypatch, tmp_path / "another-machine")
    second = new_window(qtbot)
    assert second.lab_tab.steps.recipe_dict() != built
    open_through_the_menu(qtbot, second, project)
    lab = second.lab_tab
    assert lab.steps.recipe_dict() == built, "the network and its training settings as they were saved"
    assert "82.0%" in lab.held_out.accuracy.text(), "the last run's test result is shown again"
    assert not lab.held_out.try_button.isEnabled(), "its network file stayed on the first machine"
    assert lab.run_button.isEnabled()
    second.close()


def test_a_runs_network_file_is_used_only_from_the_apps_data_folder(qtbot, tmp_path) -> None:
    """A project names a path on the machine it was saved on: "Try it" opens a file only when it is one of
    this app's own, never any file the project points at (nor a link from the data folder to outside)."""
    from engine.core.paths import data_home

    window = new_window(qtbot)
    lab = window.lab_tab
    outside = tmp_path / "someone-elses.keras"
    inside = data_home() / "lab-models" / "net.keras"
    link = data_home() / "lab-models" / "link.keras"
    inside.parent.mkdir(parents=True, exist_ok=True)
    for file in (outside, inside):
        file.write_bytes(b"PK")
    cases = [(outside, None), (inside, str(inside.resolve()))]
    try:
        link.symlink_to(outside)
        cases.append((link, None))
    except OSError:  # a file system without links (Windows without the right): the other cases still run
        pass
    for path, kept in cases:
        run = lab_run(lab.steps.recipe_dict()) | {"keras_path": str(path)}
        lab.restore_project_part({"lab": {"runs": [run], "experiments": {}}})
        assert lab.last_run["keras_path"] == kept, path
        assert lab.held_out.try_button.isEnabled() is (kept is not None), path
    window.close()


def test_the_network_being_built_is_kept_without_a_run(qtbot, tmp_path, monkeypatch) -> None:
    from engine.lab.recipe import LabRecipe

    first = new_window(qtbot)
    first.lab_tab.steps.apply_recipe(LabRecipe(epochs=9, batch_size=32))
    built = first.lab_tab.steps.recipe_dict()
    first.compare_tab.show_result(comparison())  # something to save
    project = save_through_the_menu(qtbot, first, tmp_path / "lab.deepmine")
    first.close()
    move_home(monkeypatch, tmp_path / "another-machine")
    second = new_window(qtbot)
    open_through_the_menu(qtbot, second, project)
    assert second.lab_tab.steps.recipe_dict() == built
    second.close()


@pytest.fixture
def chinese_project(tmp_path) -> Path:
    session = Session(language="zh_CN")  # saved by someone whose app speaks Chinese
    session.compare = comparison()
    return run_task(save_project_task(session, project_parts(), tmp_path / "课堂.deepmine")).path


def test_a_project_in_another_language_switches_the_app_to_it_and_reopens(qtbot, chinese_project) -> None:
    from engine.core.i18n import set_language
    from gui.common.i18n import preferred_language
    from gui.common.project_language import REOPEN_KEY
    from gui.common.settings import app_settings

    window = new_window(qtbot)
    asked, restarted = [], []
    window.projects.language_prompt = lambda lang: asked.append(lang) or True
    window.projects.restart_app = lambda: restarted.append(True)
    open_through_the_menu(qtbot, window, chinese_project)
    assert asked == ["zh_CN"] and restarted == [True]
    assert preferred_language() == "zh_CN", "the app starts in Chinese from now on"
    assert window.findChild(QAction, "language_zh_CN").isChecked()
    window.close()

    set_language("zh_CN")  # what the restarted app's start-up does with the saved language
    restarted_window = new_window(qtbot)
    restarted_window.projects.language_prompt = lambda lang: pytest.fail("asked again after switching")
    with qtbot.waitSignal(restarted_window.projects.opened, timeout=60_000) as opened:
        restarted_window.projects.start()
    assert opened.args == [str(chinese_project)], "the restarted app opens the project again"
    assert restarted_window.session.compare.to_dict() == comparison().to_dict()
    assert not app_settings().value(REOPEN_KEY, ""), "only once"
    restarted_window.close()


def test_declining_the_language_keeps_it_and_says_how_to_switch(qtbot, chinese_project) -> None:
    from gui.common.settings import app_settings

    window = new_window(qtbot)
    window.projects.language_prompt = lambda lang: False
    window.projects.restart_app = lambda: pytest.fail("restarted although declined")
    open_through_the_menu(qtbot, window, chinese_project)
    assert app_settings().value("language", "", type=str) != "zh_CN", "the app's language stays"
    assert "简体中文" in window.statusBar().currentMessage() and "View" in window.statusBar().currentMessage()
    assert window.session.compare is not None
    window.close()
