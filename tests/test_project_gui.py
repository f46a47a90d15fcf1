"""The File menu's projects in the real window (pytest-qt): save, reopen, the title's name and
unsaved mark (the house form and the Lab's network count too), the close prompt (answered through
the public ``unsaved_prompt`` hook), the offer to restore after a session that did not close, and a
project from someone else that a workspace cannot take as it is: the rest still opens."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from engine.project import autosave
from helpers import window_options
from test_project_roundtrip import comparison


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow

    win = MainWindow(options=window_options())
    qtbot.addWidget(win)
    win.projects.start()  # what start_background_work does for projects (no model loading needed here)
    yield win
    win.projects.unsaved_prompt = lambda: "discard"
    win.close()


def test_the_contract_actions_exist(window) -> None:
    names = {a.objectName() for a in window.findChildren(QAction)}
    assert {"openProjectAction", "saveProjectAction", "exportModelAction"} <= names
    assert window.findChild(QAction, "openProjectAction").shortcut().toString() == "Ctrl+Shift+O"
    assert window.findChild(QAction, "saveProjectAction").shortcut().toString() == "Ctrl+S"


def test_save_then_reopen_marks_the_title_and_restores_compare(window, qtbot, tmp_path) -> None:
    projects = window.projects
    assert "Untitled" in window.windowTitle() and not window.isWindowModified()
    window.compare_tab.show_result(comparison())
    qtbot.waitUntil(window.isWindowModified, timeout=3000)
    path = tmp_path / "lesson.deepmine"
    with qtbot.waitSignal(projects.saved, timeout=30_000):
        projects.save_as(str(path))
    assert path.is_file() and not window.isWindowModified()
    assert window.windowTitle().startswith("lesson")
    assert projects.recent()[0] == str(path)

    projects.new_project()
    assert window.compare_tab.session.compare is None and "Untitled" in window.windowTitle()
    with qtbot.waitSignal(projects.opened, timeout=30_000):
        projects.open_project(str(path))
    assert window.compare_tab.table.rowCount() == 2, "the Compare results are shown again"
    assert window.session.compare.to_dict() == comparison().to_dict()
    assert window.windowTitle().startswith("lesson") and not window.isWindowModified()


def test_closing_with_unsaved_changes_asks(window, qtbot) -> None:
    window.show()
    window.compare_tab.show_result(comparison())
    qtbot.waitUntil(window.isWindowModified, timeout=3000)
    asked = []
    window.projects.unsaved_prompt = lambda: asked.append(1) or "cancel"
    assert not window.close(), "Cancel keeps the window open"
    assert asked and window.isVisible()
    window.projects.unsaved_prompt = lambda: "discard"
    assert window.close()
    assert not autosave.marker_path().exists(), "a clean close leaves no crash marker"


def test_a_broken_project_is_one_line_in_the_status_bar(window, qtbot, tmp_path) -> None:
    bad = tmp_path / "bad.deepmine"
    bad.write_bytes(b"PK\x03\x04 not really")
    with qtbot.waitSignal(window.projects.failed, timeout=10_000) as failed:
        window.projects.open_project(str(bad))
    assert "is not a DeepMine project" in failed.args[0] and "\n" not in failed.args[0]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_after_a_crash_the_next_start_offers_the_autosave(qtbot, tmp_path) -> None:
    """A marker whose process is gone and its autosave: the window offers them and restores on Yes."""
    from engine.core.session import Session
    from engine.core.tasks import run_task
    from engine.project.files import save_project_task
    from engine.workbench import project_parts
    from gui.main_window import MainWindow

    pid = dead_pid()
    session = Session()
    session.compare = comparison()
    run_task(save_project_task(session, project_parts(), autosave.autosave_path(pid), overwrite=True))
    autosave.marker_path(pid).write_text(json.dumps({"pid": pid, "project": None}), encoding="utf-8")
    assert [o.autosave for o in autosave.crashed_sessions()] == [autosave.autosave_path(pid)]

    win = MainWindow(options=window_options())
    qtbot.addWidget(win)
    offered = []
    win.projects.recovery_prompt = lambda offer: offered.append(offer) or True
    with qtbot.waitSignal(win.projects.opened, timeout=30_000):
        win.projects.start()
    assert offered and win.session.compare.to_dict() == comparison().to_dict()
    assert win.isWindowModified(), "restored work is not in a file of the person's yet"
    assert not autosave.marker_path(pid).exists() and not autosave.autosave_path(pid).exists()
    assert autosave.crashed_sessions() == []
    win.projects.unsaved_prompt = lambda: "discard"
    win.close()


def test_declining_the_offer_removes_the_leftovers(qtbot) -> None:
    from gui.main_window import MainWindow

    pid = dead_pid()
    autosave.autosave_path(pid).write_bytes(b"PK")
    autosave.marker_path(pid).write_text("{}", encoding="utf-8")
    win = MainWindow(options=window_options())
    qtbot.addWidget(win)
    win.projects.recovery_prompt = lambda offer: False
    with qtbot.waitSignal(win.projects.recoveryChecked, timeout=10_000) as checked:
        win.projects.start()
    assert checked.args == [True] and not autosave.autosave_path(pid).exists()
    win.close()


def test_the_autosave_goes_beside_the_user_data_not_over_the_persons_file(window, qtbot, tmp_path) -> None:
    from engine.project.files import inspect_project
    from engine.workbench import project_parts

    window.compare_tab.show_result(comparison())
    with qtbot.waitSignal(window.projects.autosaved, timeout=30_000) as autosaved:
        window.projects.autosave_now()
    assert autosaved.args == [str(autosave.autosave_path())] and window.projects.path is None
    assert inspect_project(autosave.autosave_path(), project_parts()).summaries["compare"].startswith("2 comparison")
    window.projects.update_title()  # the title follows on a one-second timer
    assert window.isWindowModified(), "an autosave is not the person's Save"


def test_export_without_a_digit_model_is_one_line(window, qtbot) -> None:
    assert window.digit_tab.model is None  # the window's model loads in start_background_work, not called here
    with qtbot.waitSignal(window.projects.failed, timeout=5_000) as failed:
        window.findChild(QAction, "exportModelAction").trigger()  # Digits → Export model…
    assert failed.args == ["There is no digit model to export yet."]


def test_changing_only_the_house_form_or_the_lab_network_is_an_unsaved_change(window, qtbot, tmp_path) -> None:
    from engine.lab.recipe import LabRecipe

    projects, houses = window.projects, window.house_tab
    with qtbot.waitSignal(houses.modelsReady, timeout=120_000):
        houses.start_background_work()
    projects.update_title()
    assert not window.isWindowModified(), "the typical house the models filled in is no change of the person's"
    houses.inputs["RM"].setValue(7.25)  # the person types another number of rooms, nothing else
    projects.update_title()
    assert window.isWindowModified()
    asked = []
    projects.unsaved_prompt = lambda: asked.append(1) or "cancel"
    assert not projects.closing() and asked, "closing asks"
    with qtbot.waitSignal(projects.autosaved, timeout=30_000):
        projects.autosave_now()
    with qtbot.waitSignal(projects.saved, timeout=30_000):
        projects.save_as(str(tmp_path / "form.deepmine"))
    assert not window.isWindowModified()

    window.lab_tab.steps.apply_recipe(LabRecipe(epochs=9))  # only the network being built changes
    projects.update_title()
    assert window.isWindowModified()
    window.lab_tab.steps.apply_recipe(LabRecipe())
    projects.update_title()
    assert window.isWindowModified() is False, "back to what was saved"


def with_parts(path: Path, extra: dict[str, dict]) -> Path:
    """A Compare project (saved by the app) with ``extra`` parts written in by hand (someone else's file)."""
    from engine.core.session import Session
    from engine.core.tasks import run_task
    from engine.project.files import save_project_task
    from engine.workbench import project_parts
    from project_helpers import hand_made_project

    session = Session()
    session.compare = comparison()
    saved = run_task(save_project_task(session, project_parts(), path.with_name("saved.deepmine")))
    with zipfile.ZipFile(saved.path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist() if name != "manifest.json"}
    entries.update({f"parts/{key}/part.json": json.dumps(data).encode() for key, data in extra.items()})
    parts = {**saved.manifest.parts, **{key: {"version": 1, "summary": ""} for key in extra}}
    return hand_made_project(path, entries, manifest={"parts": parts})


HOSTILE_HOUSES = {"settings": {"max_depth": 10**12, "min_samples_leaf": 7}, "models": None, "priced": [],
                  "form": {"RM": 7.25}}


def test_a_house_depth_past_the_range_opens_the_project_and_names_the_change(window, qtbot, tmp_path) -> None:
    path = with_parts(tmp_path / "hostile.deepmine", {"houses": HOSTILE_HOUSES})
    reported = []
    window.projects.reported.connect(reported.append)
    with qtbot.waitSignals([window.projects.opened, window.house_tab.modelsReady], timeout=120_000):
        window.projects.open_project(str(path))
    lab = window.house_tab.lab
    assert (lab.depth.value(), lab.min_leaf.value()) == (20, 7), "the nearest depth the lab offers"
    assert window.house_tab.values()["RM"] == 7.25
    assert window.projects.path == str(path) and window.windowTitle().startswith("hostile")
    assert window.compare_tab.table.rowCount() == 2, "the rest of the project is there"
    assert len(reported) == 1 and "max_depth 1000000000000 → 20" in reported[0]


def test_a_workspace_that_fails_on_a_project_is_named_and_the_rest_opens(window, qtbot, tmp_path,
                                                                        monkeypatch) -> None:
    """The crash of issue 23 as it was (the settings handed on unchecked): one line, and the project opens."""
    houses = window.house_tab
    monkeypatch.setattr(houses, "restore_project_part",
                        lambda objects: houses.lab.set_lab_settings({"max_depth": 10**12}))
    path = with_parts(tmp_path / "hostile.deepmine", {"houses": HOSTILE_HOUSES})
    reported = []
    window.projects.reported.connect(reported.append)
    with qtbot.waitSignal(window.projects.opened, timeout=60_000):
        window.projects.open_project(str(path))
    failed = [line for line in reported if "could not be shown" in line]
    assert len(failed) == 1 and "\n" not in failed[0]
    assert failed[0].startswith("Houses — data mining") and "OverflowError" in failed[0]
    assert window.projects.path == str(path) and window.compare_tab.table.rowCount() == 2
    assert failed[0] in window.statusBar().currentMessage()

