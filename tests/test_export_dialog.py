"""File → Export report (Ctrl+E): the dialog writes the chosen parts off the GUI thread, asks
before replacing a file, remembers the folder and reports failures in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox
from pypdf import PdfReader

from engine.core.session import Session


@pytest.fixture
def session():
    from engine.houses.boston import load_boston
    from engine.houses.models import HouseParams, train_house_models
    from engine.core.session import PricedHouse

    data = load_boston()
    models = train_house_models(data, HouseParams(n_trees=10, boosting_iter=20))
    s = Session()
    s.house_models = models.info
    pred = models.predict(dict(data.medians(), RM=7.1))
    s.add_house(PricedHouse(pred, models.explain(pred)))
    return s


def make_dialog(qtbot, session, confirm_replace: bool = True):
    from gui.common.export_dialog import ExportDialog

    dialog = ExportDialog(session, confirm_replace=confirm_replace)
    qtbot.addWidget(dialog)
    return dialog


def export(qtbot, dialog, timeout: int = 60_000) -> None:
    """Press Export and wait until the report task has ended."""
    with qtbot.waitSignal(dialog.tasks.idle, timeout=timeout):
        dialog.export_button.click()


def test_export_writes_the_chosen_format_and_remembers_the_folder(qtbot, session, tmp_path) -> None:
    dialog = make_dialog(qtbot, session)
    dialog.path.setText(str(tmp_path / "week 3.pdf"))
    dialog.digits.setChecked(False)
    export(qtbot, dialog)
    assert dialog.status.text().startswith("Saved")
    text = PdfReader(tmp_path / "week 3.pdf").pages[0].extract_text()
    assert "Houses" in text
    assert dialog.progress.value() == 100

    again = make_dialog(qtbot, session)
    assert Path(again.path.text()).parent == tmp_path, "the last folder is remembered"
    again.format.setCurrentIndex(again.format.findData(".html"))
    assert again.path.text().endswith(".html")


def test_replacing_a_file_needs_a_yes(qtbot, session, tmp_path, monkeypatch) -> None:
    out = tmp_path / "report.html"
    out.write_text("keep me")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    dialog = make_dialog(qtbot, session)
    dialog.path.setText(str(out))
    dialog.export_button.click()
    assert out.read_text() == "keep me"
    assert not dialog.tasks.is_running() and dialog.export_button.isEnabled(), "a No starts nothing"
    export(qtbot, dialog)
    assert dialog.status.text().startswith("Saved")
    assert "<html" in out.read_text(encoding="utf-8")
    assert len(asked) == 2 and "report.html" in asked[0]


def test_scripted_use_can_agree_to_replace_beforehand(qtbot, session, tmp_path, monkeypatch) -> None:
    out = tmp_path / "report.html"
    out.write_text("old")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("no question when agreed beforehand"))
    dialog = make_dialog(qtbot, session, confirm_replace=False)
    dialog.path.setText(str(out))
    export(qtbot, dialog)
    assert dialog.status.text().startswith("Saved") and "<html" in out.read_text(encoding="utf-8")


def test_an_unwritable_place_is_explained_and_nothing_is_left(qtbot, session, tmp_path) -> None:
    dialog = make_dialog(qtbot, session)
    dialog.path.setText(str(tmp_path / "no such folder" / "r.pdf"))
    export(qtbot, dialog, timeout=30_000)
    assert "not saved" in dialog.status.text()
    assert "folder does not exist" in dialog.status.text()
    assert list(tmp_path.iterdir()) == []
    assert dialog.export_button.isEnabled(), "the person can fix the path and try again"


def test_nothing_chosen_or_a_wrong_extension_disables_export(qtbot, session, tmp_path) -> None:
    dialog = make_dialog(qtbot, session)
    dialog.path.setText(str(tmp_path / "r.docx"))
    assert not dialog.export_button.isEnabled() and ".pdf or .html" in dialog.status.text()
    dialog.path.setText(str(tmp_path / "r.pdf"))
    dialog.digits.setChecked(False)
    dialog.houses.setChecked(False)
    assert not dialog.export_button.isEnabled()


def test_ctrl_e_opens_the_dialog(qtbot) -> None:
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    seen = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.objectName() if dialog else None)
        if dialog:
            dialog.reject()

    QTimer.singleShot(200, close_it)
    window.findChild(QAction, "exportReportAction").trigger()
    assert seen == ["exportDialog"]


def test_tables_and_lab_are_offered_and_checked_only_when_the_person_used_them(qtbot, session) -> None:
    from PySide6.QtWidgets import QCheckBox

    dialog = make_dialog(qtbot, session)
    tables, lab = dialog.findChild(QCheckBox, "reportTables"), dialog.findChild(QCheckBox, "reportLab")
    assert tables is not None and lab is not None
    assert not tables.isChecked() and not lab.isChecked(), "nothing mined, no lab run: left out by default"
    assert "tables" not in dialog.sections() and "lab" not in dialog.sections()
    tables.setChecked(True)
    assert "tables" in dialog.sections()
