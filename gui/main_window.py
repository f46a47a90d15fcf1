"""The main window: the two workspaces as tabs, menus, status bar and app-wide actions."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTabWidget

from engine import __version__
from engine.core.session import Session
from engine.digits.service import DigitSettings
from engine.houses.service import HouseSettings
from engine.tables.settings import MineSettings
from gui.common.i18n import preferred_language, save_language
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner


OTHERS_AFTER_MS = 1000  # the other workspaces are built by then even if the digit model is still loading
CLOSE_WAIT_S = 2.0  # how long closing waits for the workspaces' tasks to stop


@dataclass(frozen=True)
class WindowOptions:
    """What the workspaces start with; tests and the self-test pass tiny, offline settings."""

    digits: DigitSettings = field(default_factory=DigitSettings)
    houses: HouseSettings = field(default_factory=HouseSettings)
    tables: MineSettings = field(default_factory=MineSettings)
    modal_errors: bool = True  # False: file errors stay in the workspace's status line (scripted use)




if TYPE_CHECKING:
    from gui.compare.workspace import CompareTab
    from gui.digits.workspace import DigitTab
    from gui.houses.workspace import HouseTab
    from gui.lab.workspace import LabTab
    from gui.tables.workspace import TablesTab


class MainWindow(QMainWindow):
    """Owns the session, the job runner and the tabs; exposes the automation contract."""

    digitModelReady = Signal()
    workspacesBuilt = Signal()

    def __init__(self, build_workspaces: bool = True, options: WindowOptions | None = None) -> None:
        """``build_workspaces=False`` shows the frame first (menus, status bar) and builds the two
        workspaces — matplotlib and the plots' first paint, about a second — once it is on screen."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("DeepMine Workbench"))
        self.session = Session()
        self.options = options or WindowOptions()
        self.tasks = TaskOwner(self)  # app-wide work: TensorFlow's import
        self.digit_tab: DigitTab | None = None
        self.house_tab: HouseTab | None = None
        self.tables_tab: TablesTab | None = None
        self.compare_tab: CompareTab | None = None
        self.lab_tab: LabTab | None = None

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("workspaceTabs")
        self.setCentralWidget(self.tabs)
        self.setAcceptDrops(True)  # a table file dropped anywhere on the window opens in Tables
        self._build_menus()
        from gui.common.project_actions import ProjectActions

        self.projects = ProjectActions(self, self.session)  # File → projects, Digits → Export model, autosave
        self.statusBar().showMessage(self.tr("Starting…"))
        self._restore_geometry()
        if build_workspaces:
            self.build_workspaces()

    def build_workspaces(self) -> None:
        if self.digit_tab is not None:
            return
        self._build_digits()
        self._build_others()

    def _build_digits(self) -> None:
        from gui.digits.workspace import DigitTab

        self.digit_tab = DigitTab(self.session, self.options.digits, self)
        self.tabs.addTab(self.digit_tab, self.tr("Digits — deep learning"))
        self.digit_tab.modelReady.connect(self.digitModelReady)
        self.digit_tab.statusMessage.connect(self.show_status)

    def _build_others(self) -> None:
        if self.house_tab is not None:
            return
        from gui.compare.workspace import CompareTab
        from gui.houses.workspace import HouseTab
        from gui.lab.workspace import LabTab
        from gui.tables.workspace import TablesTab

        self.house_tab = HouseTab(self.session, self.options.houses, self.options.modal_errors, self)
        self.tabs.addTab(self.house_tab, self.tr("Houses — data mining"))
        self.tables_tab = TablesTab(self.session, self.options.tables, self.options.modal_errors, self)
        self.tabs.addTab(self.tables_tab, self.tr("Tables — your own data"))
        self.tables_tab.statusMessage.connect(self.show_status)
        self.compare_tab = CompareTab(self.session, self)
        self.tabs.addTab(self.compare_tab, self.tr("Compare — side by side"))
        self.compare_tab.statusMessage.connect(self.show_status)
        from engine.compare.table_source import source_of  # Compare's table half: the table open in Tables

        tables = self.tables_tab
        self.compare_tab.set_table_source(lambda: source_of(tables.workspace) if tables.current_choice() else None)
        tables.tableOpened.connect(self.compare_tab.refresh_table_choice)
        tables.mined.connect(self.compare_tab.refresh_table_choice)
        self.file_menu.insertAction(self.open_lesson_action, tables.model_export.action)  # File → Export table model…
        self.lab_tab = LabTab(self.session, self)
        self.tabs.addTab(self.lab_tab, self.lab_tab.title())
        self.lab_tab.statusMessage.connect(self.show_status)
        self.lab_tab.canvasModelReady.connect(self.use_lab_model)  # "Try it on my drawing"
        self.house_tab.statusMessage.connect(self.show_status)
        self.workspacesBuilt.emit()

    # -- automation contract -------------------------------------------------------------
    def isDigitModelReady(self) -> bool:  # noqa: N802 — Qt-style name is part of the contract
        return self.digit_tab is not None and self.digit_tab.isModelReady()

    # -- start-up ------------------------------------------------------------------------
    @Slot()
    def start_background_work(self) -> None:
        """Called once the window is visible: the digit workspace first, loading its model off the
        GUI thread; the other workspaces (matplotlib figures, about a second on two cores) once the
        canvas answers, or after a second at the latest. The TensorFlow worker starts once the canvas
        answers too (the digit workspace's warm-up job starts it): its import would compete."""
        if self.digit_tab is None:
            self._build_digits()
            self.digit_tab.start_background_work()
            self._others_timer = QTimer(self)
            self._others_timer.setSingleShot(True)
            self._others_timer.timeout.connect(self._continue_start)
            self.digit_tab.modelReady.connect(self._continue_start)
            self._others_timer.start(OTHERS_AFTER_MS)
            return
        self.digit_tab.start_background_work()
        self._continue_start()

    @Slot()
    def _continue_start(self) -> None:
        if getattr(self, "_started_rest", False):
            return
        self._started_rest = True
        self._build_others()
        self.projects.start()
        # The house models' cross-validation would compete with TensorFlow's import for the two
        # cores: they start once the digit model is up, or training, or after 20 s at the latest.
        start_houses = self.house_tab.start_background_work  # idempotent
        if self.digit_tab.isModelReady():
            start_houses()
        self.digit_tab.modelReady.connect(start_houses)
        self.digit_tab.trainingStarted.connect(start_houses)
        self._houses_timer = QTimer(self)
        self._houses_timer.setSingleShot(True)
        self._houses_timer.timeout.connect(start_houses)
        self._houses_timer.start(20_000)

    @Slot()
    def open_table(self) -> None:
        if self.tables_tab is not None:
            self.tabs.setCurrentWidget(self.tables_tab)
            self.tables_tab.choose_file()

    def dragEnterEvent(self, event) -> None:  # noqa: N802 — table files; the digit canvas takes its images itself
        from gui.tables.workspace import is_table_file

        urls = event.mimeData().urls()
        if self.tables_tab is not None and urls and urls[0].isLocalFile() and is_table_file(urls[0].toLocalFile()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        from gui.tables.workspace import is_table_file

        urls = event.mimeData().urls()
        if self.tables_tab is not None and urls and urls[0].isLocalFile() and is_table_file(urls[0].toLocalFile()):
            self.tabs.setCurrentWidget(self.tables_tab)
            self.tables_tab.open_path(urls[0].toLocalFile())
            event.acceptProposedAction()

    @Slot()
    def open_lesson(self) -> None:
        if self.lab_tab is not None:
            self.tabs.setCurrentWidget(self.lab_tab)
            self.lab_tab.choose_lesson()

    @Slot(object)
    def use_lab_model(self, model) -> None:
        """A lab network (a loaded LiteDigitModel) on the Digits canvas; "Use the shipped model" goes back."""
        if self.digit_tab is not None:
            self.digit_tab.use_model(model)
            self.tabs.setCurrentWidget(self.digit_tab)

    @Slot(str)
    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    # -- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_table_action = QAction(self.tr("&Open table…"), self)
        self.open_table_action.setObjectName("openTableAction")
        self.open_table_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_table_action.setStatusTip(self.tr("Open any table (CSV, Excel, Parquet) in the Tables workspace"))
        self.open_table_action.triggered.connect(self.open_table)
        file_menu.addAction(self.open_table_action)
        self.open_lesson_action = QAction(QCoreApplication.translate("LabTab", "Open &lesson…"), self)
        self.open_lesson_action.setObjectName("openLessonAction")
        self.open_lesson_action.setStatusTip(QCoreApplication.translate(
            "LabTab", "Open a lab lesson: a preset network, locked controls and a teacher's instructions"))
        self.open_lesson_action.triggered.connect(self.open_lesson)
        file_menu.addAction(self.open_lesson_action)
        self.export_action = QAction(self.tr("&Export report…"), self)
        self.export_action.setObjectName("exportReportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setStatusTip(self.tr("Save what you did as a PDF or HTML report"))
        self.export_action.triggered.connect(self.export_report)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        lang_menu = view_menu.addMenu(self.tr("&Language"))
        lang_menu.setObjectName("languageMenu")
        group = QActionGroup(self)
        current = preferred_language()
        for code, name in (("en", "English"), ("zh_CN", "简体中文")):
            action = QAction(name, self, checkable=True)  # each language named in itself
            action.setObjectName(f"language_{code}")
            action.setChecked(code == current)
            action.triggered.connect(lambda _=False, c=code: self.change_language(c))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About DeepMine Workbench"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    @Slot()
    def export_report(self) -> None:
        from gui.common.export_dialog import ExportDialog

        ExportDialog(self.session, self).exec()

    def change_language(self, lang: str) -> None:
        if lang == preferred_language():
            return
        save_language(lang)
        answer = QMessageBox.question(
            self, self.tr("Language changed"),
            self.tr("The new language applies after a restart. Restart DeepMine Workbench now?"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restart()

    def restart(self) -> None:
        if self.close():
            frozen = getattr(sys, "frozen", False)
            args = sys.argv[1:] if frozen else ["-m", "gui", *sys.argv[1:]]
            QProcess.startDetached(sys.executable, args)

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About DeepMine Workbench"),
            self.tr("<h3>DeepMine Workbench {version}</h3>"
                    "<p>Deep learning and data mining side by side: a Keras network that reads "
                    "your handwriting and a scikit-learn decision tree that prices a house and "
                    "explains why.</p>").format(version=__version__),
        )

    # -- shutdown ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.projects.closing():  # unsaved changes and the person chose Cancel
            event.ignore()
            return
        settings = app_settings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.sync()
        # Every task stops at its next step; the wait is bounded. The TensorFlow worker is ended
        # when the app leaves (gui.common.app.finish), after its relays here have been cancelled.
        owners = self.findChildren(TaskOwner)
        for owner in owners:  # all are told at once, then each is waited for within one bound
            owner.shutdown(0)
        deadline = time.monotonic() + CLOSE_WAIT_S
        for owner in owners:
            owner.shutdown(max(0, int((deadline - time.monotonic()) * 1000)))
        event.accept()
        app = QApplication.instance()
        if app is not None:
            app.setProperty("deepmineClosing", True)

    def _restore_geometry(self) -> None:
        geometry = app_settings().value("mainWindow/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        self.resize(1280, 800)
