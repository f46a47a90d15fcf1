"""The Tables workspace (数据表): open any table, see it, choose roles and the target, mine it, read the
cross-validation, the leakage notice and the recommended model, explain a row (rule path, what if), run
the depth lab, keep the top k features, predict. The pages are their own modules; this tab wires them.

Reading, profiling and "what if" run on the workspace's ``TaskOwner``; mining, the depth lab and the
top-k cross-validation run in the app's TensorFlow worker, on the table sent there once
(``engine.tables.tasks.with_held_table``). The GUI thread never reads a file or fits a model: it only
shows results and asks the fitted models for single predictions.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QMenu, QMessageBox, QProgressBar,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from engine.core.session import Session
from engine.tables.service import TableWorkspace
from engine.tables.settings import EXAMPLES, TABLE_SUFFIXES, MineSettings
from engine.tables.tasks import mine_held, open_table_task, with_held_table
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner
from gui.tables.data_page import TableDataPage
from gui.tables.depth_page import TableDepthPage
from gui.tables.explain_page import TableExplainPage
from gui.tables.form_page import FormPage
from gui.tables.models_page import TableModelsPage
from gui.tables.roles_page import TableRolesPage
from gui.tables.table_actions import TableActions

OPEN, MINE = "open-table", "mine"
FILTER = QT_TRANSLATE_NOOP("TablesTab", "Tables (*.csv *.tsv *.txt *.xlsx *.xls *.ods *.parquet);;All files (*)")
STATUS_EVERY_S = 0.25  # progress text at most this often: each new text re-lays the page out
MODELS_PAGE, EXPLAIN_PAGE, DEPTH_PAGE = 2, 3, 4


def is_table_file(path: str) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


class TablesTab(TableActions, QWidget):
    statusMessage = Signal(str)
    tableOpened = Signal()
    mined = Signal()
    fileError = Signal(str)
    whatIfShown = Signal()
    depthCurveShown = Signal()
    topKShown = Signal()

    def __init__(self, session: Session, settings: MineSettings | None = None, modal_errors: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or MineSettings()
        self.modal_errors = modal_errors
        self.tasks = TaskOwner(self)
        self.workspace = TableWorkspace()
        self.table_key = ""  # the open table's name in the TensorFlow worker (sent there once)
        self._status_at = 0.0
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_bar())
        self.status = QLabel(self.tr("Open a table (Ctrl+O), drop a file here, or choose an example."), self)
        self.status.setObjectName("tableStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.data_page = TableDataPage(self)
        self.roles_page = TableRolesPage(self)
        self.models_page = TableModelsPage(self)
        self.models_page.topKRequested.connect(self.run_top_k)
        self.explain_page = TableExplainPage(self)
        self.explain_page.explainRequested.connect(self.explain_row)
        self.explain_page.whatIfRequested.connect(self.what_if)
        self.depth_page = TableDepthPage(self)
        self.depth_page.runRequested.connect(self.run_depth_lab)
        self.form = FormPage(self)
        self.form.predictRequested.connect(self.predict_form)
        self.form.batchRequested.connect(self._choose_batch)
        self.pages = QTabWidget(self)
        self.pages.addTab(self.data_page, self.tr("Data"))
        self.pages.addTab(self.roles_page, self.tr("Column roles"))
        self.pages.addTab(self.models_page, self.tr("Models"))
        self.pages.addTab(self.explain_page, self.tr("Explain"))
        self.pages.addTab(self.depth_page, self.tr("Depth lab"))
        self.pages.addTab(self.form, self.tr("Predict"))
        self.pages.currentChanged.connect(self._page_shown)
        layout.addWidget(self.pages, 1)
        self.roles_table, self.cv_table = self.roles_page.roles_table, self.models_page.cv_table  # as before the split
        self.leakage_warning, self.rule_path = self.models_page.leakage_warning, self.explain_page.rule_path
        self._set_mining_enabled(False)

    # -- building --------------------------------------------------------------------------------
    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open table…"), self)
        self.open_button.clicked.connect(self.choose_file)
        self.examples_button = QPushButton(self.tr("Example tables"), self)
        self.examples_button.setObjectName("exampleTablesButton")
        menu = QMenu(self.examples_button)
        for e in EXAMPLES:
            action = menu.addAction(e.label)  # engine message ids (N_), shown in the person's language
            action.setObjectName(f"example_{e.key}")
            action.triggered.connect(lambda _=False, key=e.key: self.open_example(key))
        self.examples_button.setMenu(menu)
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("targetColumnCombo")
        self.target_combo.currentIndexChanged.connect(self._target_changed)
        self.task_combo = QComboBox(self)
        self.task_combo.setObjectName("taskCombo")
        self.task_combo.addItem(self.tr("regression"), "regression")
        self.task_combo.addItem(self.tr("classification"), "classification")
        self.task_combo.activated.connect(lambda _i: self._refresh_roles())
        self.mine_button = QPushButton(self.tr("Mine"), self)
        self.mine_button.setObjectName("mineButton")
        self.mine_button.clicked.connect(self.mine)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelMineButton")
        self.cancel_button.clicked.connect(lambda: self.tasks.cancel(MINE))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("mineProgress")
        self.progress.setRange(0, 100)
        from gui.tables.model_export import TableModelExport

        self.model_export = TableModelExport(self)
        for w in (self.open_button, self.examples_button, QLabel(self.tr("Target:"), self), self.target_combo,
                  self.task_combo, self.mine_button, self.cancel_button, self.model_export.button):
            bar.addWidget(w)
        bar.addWidget(self.progress, 1)
        return bar

    # -- opening -----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        folder = str(app_settings().value("tables/lastFolder", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a table"), folder, self.tr(FILTER))
        if path:
            app_settings().setValue("tables/lastFolder", str(Path(path).parent))
            self.open_path(path)

    def open_path(self, path: str) -> None:
        self.status.setText(self.tr("Reading {name}…").format(name=Path(path).name))
        self.progress.setValue(0)
        self.tasks.start(OPEN, open_table_task, path, on_progress=self._progress, on_done=self._opened,
                         on_error=self._file_error)

    def open_example(self, key: str) -> None:
        self.progress.setValue(0)
        self.tasks.start(OPEN, open_table_task, None, None, key, on_progress=self._progress, on_done=self._opened,
                         on_error=self._file_error)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_path(urls[0])
            event.acceptProposedAction()

    def _opened(self, opened) -> None:  # noqa: ANN001 — engine.tables.service.OpenedTable
        from engine.tables.roles import TASKS

        self.workspace.set_opened(opened)
        self.table_key = uuid.uuid4().hex
        table = opened.table
        self.data_page.show_table(opened, opened.roles.target)
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(table.columns)
        self.target_combo.setCurrentText(opened.roles.target)
        self.target_combo.blockSignals(False)
        self.task_combo.setCurrentIndex(TASKS.index(opened.roles.task))
        self.roles_page.show_roles(table, opened.roles)
        self.models_page.clear()
        self.explain_page.set_result(None)
        self.explain_page.set_rows(table.rows)
        self.depth_page.reset(self.settings.sizes.tree_depth, self.settings.sizes.tree_min_leaf)
        self.depth_page.set_enabled(False)
        self.form.set_enabled(False)
        changed = table.changed_cells
        text = self.tr("{name}: {rows} rows × {columns} columns.").format(name=table.name, rows=f"{table.rows:,}",
                                                                         columns=len(table.columns))
        if changed:
            first = table.changes[0]
            text += " " + self.tr("{n} cell(s) were not taken as written (first: {label} {line}, {column}: {value!r} "
                                  "— {reason}).").format(n=changed, label=self.tr(table.line_label), line=first.line,
                                                         column=first.column, value=first.value, reason=first.reason)
        for note in table.notes:
            text += "\n" + note
        self.status.setText(text)
        self.progress.setValue(100)  # read and profiled: the bar does not stay where the last step left it
        self._set_mining_enabled(True)
        self.pages.setCurrentIndex(0)
        self.tableOpened.emit()

    # -- roles ---------------------------------------------------------------------------------------
    def _choice(self):  # noqa: ANN202 — engine.tables.roles.RoleChoice
        from engine.tables.roles import RoleChoice

        ignore, keep = self.roles_page.overrides(self._suggested(self.target_combo.currentText(),
                                                                 self.task_combo.currentData()))
        choice = RoleChoice(self.target_combo.currentText(), self.task_combo.currentData(), ignore, keep)
        self.workspace.choice = choice  # what the roles page shows is what Compare and a project take
        return choice

    def current_choice(self):  # noqa: ANN201 — engine.tables.roles.RoleChoice | None
        """The target, task and columns left out or kept as the person set them now (None: no table open)."""
        if self.workspace.opened is None or not self.target_combo.currentText():
            return None
        return self._choice()

    def _target_changed(self, _index: int) -> None:
        from engine.tables.roles import TASKS, RoleChoice

        if self.workspace.opened is None or not self.target_combo.currentText():
            return
        roles = self.workspace.roles_for(RoleChoice(self.target_combo.currentText()))
        self.task_combo.setCurrentIndex(TASKS.index(roles.task))
        self.data_page.set_target(roles.target)
        self._show_roles(roles)

    def _refresh_roles(self) -> None:
        if self.workspace.opened is not None:
            self._show_roles(self.workspace.roles_for(self._choice()))

    def _suggested(self, target: str, task: str | None):  # noqa: ANN202 — engine.tables.roles.Roles
        """The roles suggested for ``target`` before the person's changes (the workspace's choice stays)."""
        from engine.tables.roles import suggest_roles

        opened = self.workspace.opened
        return suggest_roles(opened.table, opened.profiles, target, task)

    def _show_roles(self, roles) -> None:  # noqa: ANN001 — engine.tables.roles.Roles
        """``roles`` with the reasons of the suggestion, and the leaks the last mining found if it was of
        this target and task (a copy of the target is one only for its target)."""
        result = self.workspace.result
        leaks = result.leaks if result is not None and (result.target, result.task) == (roles.target, roles.task) \
            else ()
        self.roles_page.show_roles(self.workspace.table, roles, self._suggested(roles.target, roles.task), leaks)

    # -- mining ----------------------------------------------------------------------------------------
    def _set_mining_enabled(self, on: bool) -> None:
        self.mine_button.setEnabled(on)
        self.target_combo.setEnabled(on)

    def mine(self) -> None:
        opened = self.workspace.opened
        if opened is None:
            return
        choice = self._choice()
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Mining {name} for {target}…").format(name=opened.table.name,
                                                                          target=choice.target))
        self._status_at = time.monotonic()
        self.tasks.start(MINE, with_held_table, mine_held, self.table_key, opened.table, choice, self.settings,
                         opened.profiles, on_progress=self._progress, on_done=self._mined, on_error=self._mine_failed,
                         on_cancelled=lambda: self.status.setText(self.tr("Mining cancelled.")),
                         on_ended=lambda: self.cancel_button.setEnabled(False))

    def _progress(self, p) -> None:  # noqa: ANN001 — engine.core.tasks.Progress
        if p.fraction is not None:
            self.progress.setValue(int(p.fraction * 100))
        now = time.monotonic()
        if now - self._status_at < STATUS_EVERY_S and p.stage == "cv":
            return  # the bar moves at every fold; the words change at most four times a second
        self._status_at = now
        eta = p.data.get("eta_seconds") if p.data else None
        text = p.message + (" " + self.tr("(about {s} s left)").format(s=int(eta)) if eta is not None else "")
        self.status.setText(text)

    def _mined(self, result) -> None:  # noqa: ANN001 — engine.tables.mining.MineResult
        from engine.tables.predict import form_spec

        entry = self.workspace.set_result(result)
        self.session.tables.append(entry)
        self.progress.setValue(100)
        leaks = self.models_page.show_result(result)
        self._show_roles(result.roles)  # the leaks it found: left out, with their score, and keepable
        self.explain_page.set_result(result)
        tree = result.settings.sizes
        self.depth_page.reset(tree.tree_depth, tree.tree_min_leaf)
        self.depth_page.set_enabled("tree" in result.models)
        self.form.build(form_spec(self.workspace.table, result))
        self.form.set_enabled(True)
        self.status.setText(self.tr("Mined in {s} s. {leaks}").format(
            s=f"{result.seconds:.1f}", leaks=self.tr("{n} leaking column(s) left out.").format(n=leaks)
            if leaks else ""))
        self.pages.setCurrentIndex(MODELS_PAGE)
        self.statusMessage.emit(self.tr("The table is mined."))
        self.mined.emit()
        self.explain_page.request_what_if()  # row 1, the most informative feature: the page is ready when opened

    def _mine_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Mining failed: {reason}").format(reason=exc))
        self.statusMessage.emit(str(exc))

    def _file_error(self, exc: BaseException) -> None:
        message = str(exc)
        self.status.setText(message)
        self.progress.setValue(0)
        self.fileError.emit(message)
        if self.modal_errors:
            QMessageBox.warning(self, self.tr("The file was not used"), message)

    # -- projects ---------------------------------------------------------------------------------------------
    def restore_project_part(self, objects: dict) -> None:
        """Show what a project brought back (``engine.project.parts.tables``): its last mined table with the
        person's roles and its results. The project's minings are in the session already: none is added twice."""
        restored = objects.get("tables")
        if not restored:  # the project has no table (or its referenced file was left out): none is shown
            self.clear()
            return
        last = restored[-1]
        in_session = list(self.session.tables)
        self._opened(last.opened)
        self._show_roles(self.workspace.roles_for(last.choice))
        self._mined(last.entry.result)
        self.session.tables[:] = in_session
        self.workspace.mined = [r.entry for r in restored]

    def clear(self) -> None:
        """No table open (a new project, or one without tables): nothing of the previous one stays on screen."""
        for kind in self.tasks.running_kinds():
            self.tasks.cancel(kind)
        self.workspace.opened = self.workspace.choice = self.workspace.result = None
        self.workspace.mined = []
        for page in (self.data_page, self.roles_page, self.models_page):
            page.clear()
        self.explain_page.set_result(None)
        self.depth_page.clear()
        self.form.clear()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.blockSignals(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Open a table (Ctrl+O), drop a file here, or choose an example."))
        self._set_mining_enabled(False)
        self.model_export.refresh()

    def shutdown(self, msecs: int = 3000) -> bool:
        ended = self.data_page.shutdown(msecs) and self.tasks.shutdown(msecs)
        return self.model_export.shutdown(msecs) and ended
