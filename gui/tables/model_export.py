"""Tables → Export model…: the mined table's recommended model, taken out of the app as a folder (skops
file, ONNX where the converter supports it, model card, README) by ``engine.tables.model_export``.

``TableModelExport(tab)`` gives the Tables workspace a button (``exportTableModelButton``) and an
action (``exportTableModelAction``), enabled only while a mined result exists. The export runs as a
task of its own ``TaskOwner`` (never on the GUI thread) and reports through the workspace's
``statusMessage`` (the window's status bar). Tests pass ``out_dir`` instead of answering the dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from engine.tables.settings import model_label
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner

EXPORT = "table-model-export"
FOLDER_KEY = "tables/exportFolder"


def _export_task(result: Any, table: Any, out_dir: str, overwrite: bool):  # noqa: ANN202 — a Task[list[str]]
    """The engine's export; imported here so that opening the window loads no scikit-learn or skl2onnx."""
    from engine.tables.model_export import export_table_model_task

    return (yield from export_table_model_task(result, table.name, None, out_dir, overwrite, table=table))


class TableModelExport(QObject):
    """The export of the Tables workspace's last mined model: its button, its action and its task."""

    exported = Signal(str)  # the folder written
    failed = Signal(str)  # one line, also shown in the status bar

    def __init__(self, tab: Any, parent: QObject | None = None) -> None:  # tab: gui.tables.workspace.TablesTab
        super().__init__(parent or tab)
        self.tab = tab
        self.tasks = TaskOwner(self, threads=1)
        self.button = QPushButton(self.tr("Export model…"), tab if isinstance(tab, QWidget) else None)
        self.button.setObjectName("exportTableModelButton")
        self.button.setToolTip(self.tr("Save the recommended model as skops and ONNX files, with its model card, "
                                       "to use outside the app"))
        self.button.clicked.connect(lambda _=False: self.export())
        self.action = QAction(self.tr("Export table model…"), self)
        self.action.setObjectName("exportTableModelAction")
        self.action.setStatusTip(self.button.toolTip())
        self.action.triggered.connect(lambda _=False: self.export())
        tab.mined.connect(self.refresh)
        tab.tableOpened.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Enabled only while a mined result exists and no export is running."""
        on = self.tab.workspace.result is not None and not self.tasks.is_running(EXPORT)
        self.button.setEnabled(on)
        self.action.setEnabled(on)

    def export(self, out_dir: str | None = None) -> None:
        """Ask for a new folder (or use ``out_dir``) and export the recommended model into it."""
        workspace = self.tab.workspace
        result, table = workspace.result, workspace.table
        if result is None or table is None:
            self._failed(self.tr("Mine a table first: there is no table model to export yet."))
            return
        overwrite = False
        if out_dir is None:
            folder = str(app_settings().value(FOLDER_KEY, str(Path.home())))
            suggested = Path(folder) / f"{Path(table.name).stem or 'table'}-{result.best}-model"
            out_dir, _ = QFileDialog.getSaveFileName(self.tab, self.tr("Export the table model to a new folder"),
                                                     str(suggested))
            if not out_dir:
                return
            app_settings().setValue(FOLDER_KEY, str(Path(out_dir).parent))
            overwrite = True  # the dialog asked before replacing
        label = model_label(result.best)
        self.tab.statusMessage.emit(self.tr("Exporting the {model}…").format(model=label))
        self.tasks.start(EXPORT, _export_task, result, table, out_dir, overwrite,
                         on_done=lambda names: self._exported(out_dir, label, names),
                         on_error=lambda exc: self._failed(str(exc)), on_ended=self.refresh)
        self.refresh()

    def _exported(self, out_dir: str, label: str, names: list[str]) -> None:
        self.tab.statusMessage.emit(self.tr("Exported the {model} to {path}: {files}.").format(
            model=label, path=out_dir, files=", ".join(names)))
        self.exported.emit(out_dir)

    def _failed(self, message: str) -> None:
        self.tab.statusMessage.emit(self.tr("The table model was not exported: {reason}").format(reason=message))
        self.failed.emit(message)

    def shutdown(self, msecs: int = 3000) -> bool:
        return self.tasks.shutdown(msecs)
