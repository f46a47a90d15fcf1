"""File → Export report: choose sections, format and file; the report is written off the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from engine.core.i18n import get_language
from engine.core.session import Session
from engine.core.tasks import Progress
from engine.workbench import workbench_report_task
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner

FOLDER_KEY = "report/lastFolder"


class ExportDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None, confirm_replace: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export a report"))
        self.session = session
        self.tasks = TaskOwner(self)
        self.saved: Path | None = None
        self.confirm_replace = confirm_replace  # scripted use may answer the question beforehand

        self.digits = QCheckBox(self.tr("Digits: the network, its training and the digits you drew"), self)
        self.digits.setObjectName("reportDigits")
        self.houses = QCheckBox(self.tr("Houses: the models, their comparison and the houses you priced"), self)
        self.houses.setObjectName("reportHouses")
        self.compare = QCheckBox(self.tr("Compare: deep learning and data mining side by side, as measured"), self)
        self.compare.setObjectName("reportCompare")
        self.tables = QCheckBox(self.tr("Tables: each table you mined, its cleaning, roles and cross-validation"), self)
        self.tables.setObjectName("reportTables")
        self.lab = QCheckBox(self.tr("Lab: the network you built, its curves, gradients and the experiments"), self)
        self.lab.setObjectName("reportLab")
        present = {"compare": getattr(session, "compare", None) is not None,
                   "tables": bool(getattr(session, "tables", None)), "lab": getattr(session, "lab", None) is not None}
        for name, box in (("digits", self.digits), ("houses", self.houses), ("compare", self.compare),
                          ("tables", self.tables), ("lab", self.lab)):
            box.setChecked(present.get(name, True))  # what the person did this session is in by default
            box.toggled.connect(self._validate)
        self.format = QComboBox(self)
        self.format.setObjectName("reportFormat")
        self.format.addItem(self.tr("PDF document"), ".pdf")
        self.format.addItem(self.tr("Web page (HTML, one file)"), ".html")
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path = QLineEdit(self)
        self.path.setObjectName("reportPath")
        self.path.textChanged.connect(self._validate)
        browse = QPushButton(self.tr("Choose…"), self)
        browse.setObjectName("reportBrowse")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("reportProgress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("reportExportButton")
        self.open_button = self.buttons.addButton(self.tr("Open the report"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved))))
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Include:"), self.digits)
        form.addRow("", self.houses)
        form.addRow("", self.compare)
        form.addRow("", self.tables)
        form.addRow("", self.lab)
        form.addRow(self.tr("Format:"), self.format)
        form.addRow(self.tr("File:"), path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(620, 260)
        folder = Path(str(app_settings().value(FOLDER_KEY, str(Path.home()))))
        name = self.tr("DeepMine report {date}").format(date=date.today().isoformat())
        self.path.setText(str(folder / f"{name}.pdf"))
        self._validate()

    # -- choices --------------------------------------------------------------------------------
    def sections(self) -> list[str]:
        boxes = (("digits", self.digits), ("houses", self.houses), ("compare", self.compare), ("tables", self.tables),
                 ("lab", self.lab))
        return [name for name, box in boxes if box.isChecked()]

    def _format_changed(self) -> None:
        path = Path(self.path.text())
        if path.suffix.lower() in (".pdf", ".html", ".htm") or not path.suffix:
            self.path.setText(str(path.with_suffix(self.format.currentData())))

    def _browse(self) -> None:
        suffix = self.format.currentData()
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report as"), self.path.text(),
                                                self.tr("PDF document (*.pdf);;Web page (*.html)") if suffix == ".pdf"
                                                else self.tr("Web page (*.html);;PDF document (*.pdf)"))
        if chosen:
            self.path.setText(chosen)

    def _validate(self) -> None:
        path = Path(self.path.text().strip()) if self.path.text().strip() else None
        problem = ""
        if not self.sections():
            problem = self.tr("Choose at least one part to include.")
        elif path is None:
            problem = self.tr("Choose a file name.")
        elif path.suffix.lower() not in (".pdf", ".html", ".htm"):
            problem = self.tr("The file name must end in .pdf or .html.")
        else:
            index = self.format.findData(".html" if path.suffix.lower() in (".html", ".htm") else ".pdf")
            self.format.blockSignals(True)
            self.format.setCurrentIndex(index)
            self.format.blockSignals(False)
        self.export_button.setEnabled(not problem and not self.tasks.is_running())
        if not self.tasks.is_running():
            self.status.setStyleSheet("color: #b3261e;" if problem else "")
            self.status.setText(problem)

    # -- export ---------------------------------------------------------------------------------
    def export(self) -> None:
        if self.tasks.is_running():
            return
        out = Path(self.path.text().strip()).expanduser()
        if out.exists() and self.confirm_replace:
            answer = QMessageBox.question(self, self.tr("Replace the file?"),
                                          self.tr("{name} already exists. Replace it?").format(name=out.name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Preparing the report…"))
        self.export_button.setEnabled(False)
        self.tasks.start("report", workbench_report_task, self.session, out, self.sections(), overwrite=True,
                         lang=get_language(), on_progress=self._progress, on_done=self._done, on_error=self._failed,
                         on_ended=self._ended)

    def _progress(self, p: Progress) -> None:
        if p.fraction is not None:
            self.progress.setValue(int(p.fraction * 100))
        self.status.setText(p.message)

    def _done(self, path: Path) -> None:
        self.saved = Path(path)
        app_settings().setValue(FOLDER_KEY, str(self.saved.parent))
        self.progress.setValue(100)
        self.status.setText(self.tr("Saved: {path}").format(path=str(self.saved)))
        self.open_button.setVisible(True)

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.status.setStyleSheet("color: #b3261e;")
        self.status.setText(self.tr("The report was not saved: {reason}").format(reason=exc))

    def _ended(self) -> None:
        self.export_button.setEnabled(bool(self.sections()) and bool(self.path.text().strip()))

    def reject(self) -> None:
        self.tasks.shutdown(3000)  # closing cancels a running export; nothing half-written stays
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)
